"""Pure conversions: stop sequences on streamed text, chunk documents."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from flowise_integrations.langchain._convert import (
    StopCutter,
    cut_at_stop,
    query_document_to_document,
)
from flowise_integrations.types.document_stores import QueryDocument

_TEXT = st.text(alphabet="ab xy", max_size=30)


@given(
    text=_TEXT,
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=6),
    stop=st.lists(st.text(alphabet="ab xy", min_size=1, max_size=4), max_size=3),
)
def test_streamed_text_is_cut_exactly_as_the_whole_text(text: str, cuts: list[int], stop: list[str]) -> None:
    """However the answer is split into tokens, the emitted text equals ``cut_at_stop`` on the whole."""
    points = sorted({min(c, len(text)) for c in cuts})
    pieces = [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]
    cutter = StopCutter(stop)
    emitted = "".join(cutter.feed(piece) for piece in pieces) + cutter.flush()
    assert emitted == cut_at_stop(text, stop)


def test_stop_cutter_holds_back_only_a_possible_stop_prefix() -> None:
    cutter = StopCutter(["END"])
    assert cutter.feed("hello E") == "hello "
    assert cutter.feed("Xtra") == "EXtra"
    assert cutter.feed(" EN") == " "
    assert cutter.feed("D more") == ""
    assert cutter.stopped
    assert cutter.flush() == ""


def test_no_stop_sequences_pass_everything_through() -> None:
    cutter = StopCutter(None)
    assert cutter.feed("abc") == "abc"
    assert cut_at_stop("abc", []) == "abc"


def test_chunk_becomes_a_document_with_its_origin() -> None:
    doc = QueryDocument.model_validate(
        {
            "pageContent": "The sky is blue.",
            "metadata": {"docId": "loader-1", "source": "sky.txt", "loc": {"lines": {"from": 1, "to": 1}}},
            "id": "chunk-1",
            "chunkNo": 2,
        }
    )
    document = query_document_to_document(doc, "store-1")
    assert document.id == "chunk-1"
    assert document.page_content == "The sky is blue."
    assert document.metadata == {
        "docId": "loader-1",
        "source": "sky.txt",
        "loc": {"lines": {"from": 1, "to": 1}},
        "chunk_id": "chunk-1",
        "chunk_no": 2,
        "doc_id": "loader-1",
        "store_id": "store-1",
    }
