"""The SSE decoder yields the same events for every way the bytes can be split."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from flowise_integrations._core.events import decode_event
from flowise_integrations._core.sse import SSEDecoder
from flowise_integrations.types import EndEvent, TokenEvent, UnknownEvent
from tests.unit.recorded import FIXTURES, recorded_sse_bytes

RECORDED_STREAMS = b"".join(
    recorded_sse_bytes(path.stem) for path in sorted((FIXTURES / "sse").glob("*.sse"))
)

FLOWISE_FRAMES = (
    b'message:\ndata:{"event":"start","data":"FAKE:"}\n\n'
    b'message:\ndata:{"event":"token","data":"FAKE:"}\n\n'
    b":heartbeat\n\n"
    b'message:\ndata:{"event":"token","data":" data:image/png;base64,AAA \\u00e9\xe2\x80\xa8"}\n\n'
    b'message:\ndata:{"event":"end","data":"[DONE]"}\n\n'
)


def decode_all(chunks: list[bytes]) -> list[str]:
    decoder = SSEDecoder()
    out: list[str] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.flush())
    return out


def split_at(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    return [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]


def test_flowise_framing() -> None:
    events = [json.loads(d) for d in decode_all([FLOWISE_FRAMES])]
    assert [e["event"] for e in events] == ["start", "token", "token", "end"]
    # The token contains "data:" and a U+2028 line separator: neither may split or strip it.
    assert events[2]["data"] == " data:image/png;base64,AAA \u00e9\u2028"


def test_every_single_split_point() -> None:
    whole = decode_all([FLOWISE_FRAMES])
    for i in range(len(FLOWISE_FRAMES) + 1):
        assert decode_all([FLOWISE_FRAMES[:i], FLOWISE_FRAMES[i:]]) == whole


def test_recorded_streams_are_known_events_ending_in_end() -> None:
    events = [decode_event(d) for d in decode_all([RECORDED_STREAMS])]
    assert events
    assert not any(isinstance(event, UnknownEvent) for event in events)
    ends = [event for event in events if isinstance(event, EndEvent)]
    assert len(ends) == len(list((FIXTURES / "sse").glob("*.sse")))
    assert events[-1] == EndEvent("[DONE]")


@settings(max_examples=100)
@given(st.lists(st.integers(min_value=0, max_value=100_000), max_size=60))
def test_recorded_streams_survive_any_chunking(cuts: list[int]) -> None:
    assert decode_all(split_at(RECORDED_STREAMS, cuts)) == decode_all([RECORDED_STREAMS])


@settings(max_examples=300)
@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=40))
def test_any_chunking_gives_the_same_events(cuts: list[int]) -> None:
    assert decode_all(split_at(FLOWISE_FRAMES, cuts)) == decode_all([FLOWISE_FRAMES])


@settings(max_examples=200)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30), min_size=1, max_size=8
    ),
    st.sampled_from([b"\n", b"\r\n", b"\r"]),
    st.lists(st.integers(min_value=0, max_value=10_000), max_size=20),
)
def test_round_trip_any_text_any_line_ending(tokens: list[str], eol: bytes, cuts: list[int]) -> None:
    frames = b"".join(
        b"message:" + eol + b"data:" + json.dumps({"event": "token", "data": t}).encode() + eol + eol
        for t in tokens
    )
    decoded = [decode_event(d) for d in decode_all(split_at(frames, cuts))]
    assert decoded == [TokenEvent(t) for t in tokens]


def test_spec_rules() -> None:
    stream = (
        b": comment\n"
        b"data: one\ndata:two\n\n"  # one optional space is removed; lines join with \n
        b"event: ignored\nid: 3\nretry: 10\ndata\n\n"  # a bare field name is an empty value
        b"data:unterminated"
    )
    assert decode_all([stream]) == ["one\ntwo", ""]


def test_blank_lines_without_data_dispatch_nothing() -> None:
    assert decode_all([b"\n\n\nmessage:\n\n:heartbeat\n\n"]) == []
