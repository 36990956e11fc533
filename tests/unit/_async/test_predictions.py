"""Predictions, whole and streamed, on the answers and event streams Flowise 3.1.4 sent."""

from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import (
    AnswerNotKeptError,
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncFlowise,
    NotResumableError,
    StreamError,
    Upload,
)
from flowise_integrations._core import idle
from flowise_integrations._core.prediction import DiscardingAccumulator
from flowise_integrations.types import (
    ActionEvent,
    AgentFlowEvent,
    AgentFlowExecutedDataEvent,
    EndEvent,
    ErrorEvent,
    HumanInput,
    MetadataEvent,
    NextAgentFlowEvent,
    SourceDocumentsEvent,
    StartEvent,
    TokenEvent,
    UnknownEvent,
)
from tests.unit.mock_flowise import ChunkedStream, MockFlowise
from tests.unit.recorded import recorded, recorded_body, recorded_events, recorded_sse, recorded_sse_bytes

FLOW = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
ROUTE = f"prediction/{FLOW}"


def sse(*events: dict[str, object], tail: bytes = b"") -> httpx.Response:
    """A stream framed as Flowise frames it, for event sequences the server cannot be made to send."""
    body = b"".join(b"message:\ndata:" + json.dumps(e).encode() + b"\n\n" for e in events) + tail
    return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})


def stream_without(name: str, *dropped: str) -> httpx.Response:
    """The recorded stream ``name`` without its events named in ``dropped``."""
    return sse(*(e for e in recorded_events(name) if e["event"] not in dropped))


async def test_create_sends_flowise_shapes(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/conversation_chain"))
    upload = Upload.from_bytes(b"\x89PNG", "pic.png")
    prediction = await client.predictions.create(
        FLOW,
        "hello chain",
        chat_id="c1",
        override_config={"sessionId": "s1", "temperature": 0.1},
        history=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
        uploads=[upload],
        lead_email="x@example.com",
    )
    assert server.last_json() == {
        "question": "hello chain",
        "chatId": "c1",
        "overrideConfig": {"sessionId": "s1", "temperature": 0.1},
        "history": [{"role": "userMessage", "content": "a"}, {"role": "apiMessage", "content": "b"}],
        "uploads": [
            {"type": "file", "name": "pic.png", "mime": "image/png", "data": "data:image/png;base64,iVBORw=="}
        ],
        "leadEmail": "x@example.com",
    }
    body = recorded_body("predictions/conversation_chain")
    assert prediction.text == "FAKE: hello chain"
    assert prediction.question == "hello chain"
    assert prediction.memory_type == "Buffer Memory"
    assert prediction.session_id == prediction.chat_id == body["chatId"]
    assert prediction.chat_message_id == body["chatMessageId"]
    assert prediction.is_stream_valid is False
    assert prediction.follow_up_prompts is None
    assert prediction.source_documents == []


async def test_memory_keeps_the_session(client: AsyncFlowise, server: MockFlowise) -> None:
    first = recorded_body("predictions/conversation_chain")
    server.add("POST", ROUTE, recorded("predictions/conversation_chain_memory"))
    second = await client.predictions.create(FLOW, "and again", chat_id=first["chatId"])
    assert second.text == "FAKE: and again"
    assert second.session_id == first["sessionId"]
    assert second.chat_message_id != first["chatMessageId"]


async def test_follow_up_prompts_are_decoded_twice(client: AsyncFlowise, server: MockFlowise) -> None:
    # Flowise sends follow-up prompts double-encoded when a flow enables them (not the harness flows).
    body = recorded_body("predictions/conversation_chain")
    body["followUpPrompts"] = json.dumps(json.dumps(["q1", "q2"]))
    server.add("POST", ROUTE, recorded("predictions/conversation_chain", body=body))
    assert (await client.predictions.create(FLOW, "hi")).follow_up_prompts == ["q1", "q2"]


async def test_retrieval_answer_has_source_documents(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/retrieval"))
    prediction = await client.predictions.create(FLOW, "Why is the sky blue?")
    assert prediction.text == "FAKE: Why is the sky blue?"
    sources = [doc.metadata["source"] for doc in prediction.source_documents]
    assert sources[0] == "sky.txt"
    assert len(sources) == 4
    sky = prediction.source_documents[0]
    assert sky.page_content.startswith("The sky looks blue because of Rayleigh scattering")
    assert sky.metadata["loc"] == {"lines": {"from": 1, "to": 1}}
    assert sky.metadata["docId"]


async def test_agentflow_answer(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/agentflow"))
    prediction = await client.predictions.create(FLOW, "hello agentflow")
    assert prediction.text == "Echo: hello agentflow"
    assert prediction.execution_id == recorded_body("predictions/agentflow")["executionId"]
    assert prediction.memory_type is None
    nodes = prediction.agent_flow_executed_data
    assert [(n.node_id, n.node_label, n.status) for n in nodes] == [
        ("startAgentflow_0", "Start", "FINISHED"),
        ("directReplyAgentflow_0", "Direct Reply", "FINISHED"),
    ]
    assert nodes[1].previous_node_ids == ["startAgentflow_0"]
    assert nodes[1].data["output"] == {"content": "Echo: hello agentflow"}


async def test_custom_function_answer(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/custom_function"))
    prediction = await client.predictions.create(FLOW, "hello fn")
    assert prediction.text == "Echo: hello fn"
    assert prediction.session_id == prediction.chat_id


async def test_human_input_stop_and_resume(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/human_input_stopped"))
    stopped = await client.predictions.create(FLOW, "ship it?", chat_id="c1")
    assert stopped.text == "\n\nApprove?"
    assert stopped.action is not None
    assert stopped.action.mapping == {"approve": "Proceed", "reject": "Reject"}
    assert stopped.action.elements is not None
    assert [e["type"] for e in stopped.action.elements] == [
        "agentflowv2-approve-button",
        "agentflowv2-reject-button",
    ]
    assert stopped.action.data is not None
    assert stopped.action.data["nodeId"] == "humanInputAgentflow_0"
    assert [n.status for n in stopped.agent_flow_executed_data] == ["FINISHED", "STOPPED"]

    server.add("POST", ROUTE, recorded("predictions/human_input_resumed"))
    resumed = await client.predictions.create(
        FLOW, chat_id="c1", human_input={"type": "proceed", "feedback": "go"}
    )
    assert server.last_json() == {"chatId": "c1", "humanInput": {"type": "proceed", "feedback": "go"}}
    assert resumed.text == "Approved"
    assert resumed.question is None
    assert resumed.action is None
    assert resumed.agent_flow_executed_data[-1].node_id == "approved_0"

    server.add("POST", ROUTE, recorded("predictions/human_input_resumed"))
    await client.predictions.create(
        FLOW, chat_id="c1", human_input=HumanInput(type="reject", start_node_id="humanInputAgentflow_0")
    )
    assert server.last_json() == {
        "chatId": "c1",
        "humanInput": {"type": "reject", "startNodeId": "humanInputAgentflow_0"},
    }

    server.add("POST", ROUTE, recorded("errors/resume_finished"))
    with pytest.raises(NotResumableError, match="FINISHED"):
        await client.predictions.create(FLOW, chat_id="c1", human_input={"type": "proceed"})


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"question": 3}, TypeError),
        ({"question": "q", "form": {"a": 1}}, ValueError),
        ({"history": [{"role": "system", "content": "x"}]}, ValueError),
        ({"history": "hi"}, TypeError),
        ({"override_config": {"sessionId": 5}}, TypeError),
        ({"human_input": {"type": "maybe"}}, ValueError),
        ({"human_input": {"feedback": "no type"}}, ValueError),
        ({"human_input": {"type": "proceed", "feedback": 3}}, ValueError),
        ({"human_input": "proceed"}, TypeError),
        ({"files": [("a.bin", b"x")]}, ValueError),
        ({"files": [("a.txt", b"x")], "history": [{"role": "user", "content": "x"}]}, ValueError),
    ],
)
async def test_bad_arguments_raise_before_sending(
    client: AsyncFlowise, server: MockFlowise, kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await client.predictions.create(FLOW, **kwargs)  # type: ignore[arg-type]
    assert server.calls == []


async def test_multipart_files_with_override_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/custom_function"))
    await client.predictions.create(
        FLOW, "summarise", files=[("notes.txt", b"hello")], override_config={"sessionId": "s1", "topK": 2}
    )
    request = server.last
    assert request.headers["content-type"].startswith("multipart/form-data")
    body = request.content.decode()
    assert 'name="files"; filename="notes.txt"' in body
    assert "Content-Type: text/plain" in body
    assert 'name="sessionId"\r\n\r\ns1' in body
    assert 'name="topK"\r\n\r\n2' in body
    assert 'name="question"\r\n\r\nsummarise' in body


async def test_stream_yields_typed_events_and_aggregates(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("conversation_chain"))
    async with client.predictions.stream(FLOW, "stream chain") as stream:
        events = [event async for event in stream]
        final = await stream.final()
    body = server.last_json()
    assert body["streaming"] is True
    assert body["chatId"] == stream.chat_id
    assert server.last.headers["accept"].startswith("text/event-stream")
    assert [type(e) for e in events] == [
        StartEvent,
        TokenEvent,
        TokenEvent,
        TokenEvent,
        MetadataEvent,
        EndEvent,
    ]
    metadata = recorded_events("conversation_chain")[-2]["data"]
    assert final.text == "FAKE: stream chain"
    assert final.question == "stream chain"
    assert final.chat_id == metadata["chatId"]
    assert final.chat_message_id == metadata["chatMessageId"]
    assert final.memory_type == "Buffer Memory"


async def test_text_stream(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("conversation_chain"))
    chunks = [chunk async for chunk in client.predictions.stream(FLOW, "x").text_stream]
    assert chunks == ["FAKE:", " stream", " chain"]


async def test_session_id_becomes_the_chat_id(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("conversation_chain"))
    stream = client.predictions.stream(FLOW, "x", override_config={"sessionId": "sess-9"})
    assert stream.chat_id == "sess-9"
    await stream.final()
    assert server.last_json()["chatId"] == "sess-9"


async def test_retrieval_stream_carries_source_documents(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("retrieval"))
    async with client.predictions.stream(FLOW, "What does a volcano do?") as stream:
        events = [event async for event in stream]
        final = await stream.final()
    assert [e.event for e in events[-3:]] == ["sourceDocuments", "metadata", "end"]
    [documents] = [e for e in events if isinstance(e, SourceDocumentsEvent)]
    assert documents.data[0].metadata["source"] == "volcano.txt"
    assert final.text == "FAKE: What does a volcano do?"
    assert [d.metadata["source"] for d in final.source_documents] == [
        d.metadata["source"] for d in documents.data
    ]


async def test_agentflow_stream(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("agentflow"))
    stream = client.predictions.stream(FLOW, "stream me")
    events = [event async for event in stream]
    assert events[0] == AgentFlowEvent("INPROGRESS")
    assert events[-3] == AgentFlowEvent("FINISHED")
    assert [type(e) for e in events[-2:]] == [MetadataEvent, EndEvent]
    steps = [(e.data["nodeId"], e.data["status"]) for e in events if isinstance(e, NextAgentFlowEvent)]
    assert steps == [
        ("startAgentflow_0", "INPROGRESS"),
        ("startAgentflow_0", "FINISHED"),
        ("directReplyAgentflow_0", "INPROGRESS"),
        ("directReplyAgentflow_0", "FINISHED"),
    ]
    executed = [e for e in events if isinstance(e, AgentFlowExecutedDataEvent)]
    assert [len(e.data) for e in executed] == [1, 2]
    assert [e.data for e in events if isinstance(e, TokenEvent)] == ["Echo: stream me"]
    assert (await stream.final()).text == "Echo: stream me"


async def test_agentflow_stream_without_tokens_falls_back_to_the_last_node(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    # No token arrived: the final text falls back to the last node's output.
    server.add("POST", ROUTE, stream_without("agentflow", "token"))
    assert (await client.predictions.stream(FLOW, "stream me").final()).text == "Echo: stream me"


async def test_human_input_stream_ends_with_the_action(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("human_input"))
    async with client.predictions.stream(FLOW, "ship it?") as stream:
        events = [event async for event in stream]
        final = await stream.final()
    [action] = [e for e in events if isinstance(e, ActionEvent)]
    assert action.data.mapping == {"approve": "Proceed", "reject": "Reject"}
    assert AgentFlowEvent("STOPPED") in events
    assert [e.event for e in events[-2:]] == ["metadata", "end"]
    assert final.action is not None
    assert final.action.id == action.data.id
    assert final.text == "\n\nApprove?"


async def test_error_event_raises(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("flow_key_unauthorized"))
    seen: list[object] = []
    stream = client.predictions.stream(FLOW, "hi")
    with pytest.raises(StreamError) as info:
        async for event in stream:
            seen.append(event)
    assert seen == [ErrorEvent("Error: predictionsServices.buildChatflow - Unauthorized")]
    assert info.value.message == "Error: predictionsServices.buildChatflow - Unauthorized"
    assert info.value.chat_id == stream.chat_id
    assert info.value.partial_text == ""


async def test_error_event_keeps_the_partial_text(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "POST",
        ROUTE,
        sse(
            {"event": "token", "data": "Hel"},
            *recorded_events("flow_key_unauthorized"),
        ),
    )
    stream = client.predictions.stream(FLOW, "x")
    with pytest.raises(StreamError) as info:
        await stream.final()
    assert info.value.partial_text == "Hel"
    assert "Unauthorized" in str(info.value)
    assert stream.text == "Hel"


async def test_json_answer_still_streams(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/custom_function_streamed"))
    async with client.predictions.stream(FLOW, "stream fn") as stream:
        events = [event async for event in stream]
    assert [type(e) for e in events] == [TokenEvent, MetadataEvent, EndEvent]
    assert events[0] == TokenEvent("Echo: stream fn")
    assert await stream.final() == await client.predictions.create(FLOW, "stream fn")


@pytest.mark.parametrize("name", ["conversation_chain", "retrieval", "agentflow", "human_input"])
async def test_a_stream_that_keeps_no_answer_yields_the_same_events(
    client: AsyncFlowise, server: MockFlowise, name: str
) -> None:
    server.add("POST", ROUTE, recorded_sse(name), recorded_sse(name))
    async with client.predictions.stream(FLOW, "x") as kept:
        expected = [event async for event in kept]
    async with client.predictions.stream(FLOW, "x", keep_answer=False) as stream:
        events = [event async for event in stream]
        assert isinstance(stream._state.accumulator, DiscardingAccumulator)
        with pytest.raises(AnswerNotKeptError, match="keep_answer=False"):
            await stream.final()
        with pytest.raises(AnswerNotKeptError, match="text_stream"):
            stream.text  # noqa: B018
    assert events == expected
    assert any(isinstance(e, TokenEvent) for e in events)
    assert kept.text  # the default stream still keeps its answer
    assert (await kept.final()).text == kept.text


async def test_text_stream_without_keeping_the_answer(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("conversation_chain"))
    stream = client.predictions.stream(FLOW, "x", keep_answer=False)
    assert [chunk async for chunk in stream.text_stream] == ["FAKE:", " stream", " chain"]
    with pytest.raises(AnswerNotKeptError):
        await stream.final()


async def test_json_answer_is_not_kept_either(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("predictions/custom_function_streamed"))
    stream = client.predictions.stream(FLOW, "stream fn", keep_answer=False)
    events = [event async for event in stream]
    assert [type(e) for e in events] == [TokenEvent, MetadataEvent, EndEvent]
    assert events[0] == TokenEvent("Echo: stream fn")
    with pytest.raises(AnswerNotKeptError):
        await stream.final()
    with pytest.raises(AnswerNotKeptError):
        stream.text  # noqa: B018


async def test_error_event_without_keeping_the_answer(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "POST",
        ROUTE,
        sse(
            {"event": "token", "data": "Hel"},
            *recorded_events("flow_key_unauthorized"),
        ),
    )
    stream = client.predictions.stream(FLOW, "x", keep_answer=False)
    seen: list[object] = []
    with pytest.raises(StreamError) as info:
        async for event in stream:
            seen.append(event)
    assert seen == [TokenEvent("Hel"), ErrorEvent("Error: predictionsServices.buildChatflow - Unauthorized")]
    assert info.value.message == "Error: predictionsServices.buildChatflow - Unauthorized"
    assert info.value.chat_id == stream.chat_id
    assert info.value.partial_text == ""


async def test_stream_without_end_keeps_no_partial_text(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, stream_without("conversation_chain", "metadata", "end"))
    with pytest.raises(APIConnectionError, match="end event") as info:
        await client.predictions.stream(FLOW, "x", keep_answer=False).final()
    assert info.value.partial_text == ""


async def test_stream_without_end_is_a_connection_error(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, stream_without("conversation_chain", "metadata", "end"))
    with pytest.raises(APIConnectionError) as info:
        await client.predictions.stream(FLOW, "x").final()
    assert info.value.partial_text == "FAKE: stream chain"


class FakeClock:
    """``time.monotonic`` for :mod:`flowise_integrations._core.idle`, moved on by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float = 30.0) -> None:
        self.now += seconds


HEARTBEAT = b":heartbeat\n\n"


def timed_sse(clock: FakeClock, *chunks: dict[str, object] | bytes) -> httpx.Response:
    """Events (dicts) and raw chunks such as :data:`HEARTBEAT`, each 30 fake seconds after the last."""
    body = [
        c if isinstance(c, bytes) else b"message:\ndata:" + json.dumps(c).encode() + b"\n\n" for c in chunks
    ]
    stream = ChunkedStream(body, on_chunk=clock.advance)
    return httpx.Response(200, stream=stream, headers={"content-type": "text/event-stream"})


TOKEN = {"event": "token", "data": "par"}
END = {"event": "end", "data": "[DONE]"}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(idle, "time", clock)
    return clock


async def test_heartbeats_alone_end_in_an_idle_timeout(
    client: AsyncFlowise, server: MockFlowise, clock: FakeClock
) -> None:
    # What a queue-mode stream looks like once the worker running it is gone: heartbeats forever.
    server.add("POST", ROUTE, timed_sse(clock, TOKEN, *[HEARTBEAT] * 1000))
    with pytest.raises(APITimeoutError) as info:
        await client.predictions.stream(FLOW, "x", idle_timeout=100).final()
    assert info.value.phase == "idle"
    assert info.value.partial_text == "par"
    assert clock.now == 1000 + 30 * 5  # token at +30; heartbeats at +60, +90, +120 and +150 > 30 + 100


async def test_idle_timeout_without_keeping_the_answer(
    client: AsyncFlowise, server: MockFlowise, clock: FakeClock
) -> None:
    server.add("POST", ROUTE, timed_sse(clock, TOKEN, *[HEARTBEAT] * 1000))
    with pytest.raises(APITimeoutError) as info:
        await client.predictions.stream(FLOW, "x", idle_timeout=100, keep_answer=False).final()
    assert info.value.phase == "idle"
    assert info.value.partial_text == ""


async def test_events_between_heartbeats_keep_the_stream_alive(
    client: AsyncFlowise, server: MockFlowise, clock: FakeClock
) -> None:
    server.add("POST", ROUTE, timed_sse(clock, *[HEARTBEAT] * 3, TOKEN, *[HEARTBEAT] * 3, TOKEN, END))
    assert (await client.predictions.stream(FLOW, "x", idle_timeout=100).final()).text == "parpar"


async def test_no_idle_timeout_waits_through_heartbeats(
    client: AsyncFlowise, server: MockFlowise, clock: FakeClock
) -> None:
    server.add("POST", ROUTE, timed_sse(clock, *[HEARTBEAT] * 50, TOKEN, END))
    assert (await client.predictions.stream(FLOW, "x", idle_timeout=None).final()).text == "par"


async def test_idle_timeout_caps_the_read_timeout(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse(TOKEN, END))
    await client.predictions.stream(FLOW, "x", idle_timeout=5).final()
    assert server.last.extensions["timeout"]["read"] == 5  # the 60 s default would wait through the silence
    await client.predictions.stream(FLOW, "x", idle_timeout=5, options={"timeout": 2}).final()
    assert server.last.extensions["timeout"]["read"] == 2  # a shorter read timeout stays


async def test_idle_timeout_must_be_positive(client: AsyncFlowise) -> None:
    with pytest.raises(ValueError, match="idle_timeout"):
        client.predictions.stream(FLOW, "x", idle_timeout=0)


async def test_invalid_json_event(client: AsyncFlowise, server: MockFlowise) -> None:
    head = recorded_sse_bytes("conversation_chain").split(b'message:\ndata:{"event":"metadata"')[0]
    server.add(
        "POST",
        ROUTE,
        httpx.Response(
            200, content=head + b"message:\ndata:{not json\n\n", headers={"content-type": "text/event-stream"}
        ),
    )
    with pytest.raises(APIResponseValidationError) as info:
        await client.predictions.stream(FLOW, "x").final()
    assert info.value.partial_text == "FAKE: stream chain"


async def test_unknown_events_pass_through(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse({"event": "somethingNew", "data": {"x": 1}}, *recorded_events("agentflow")))
    events = [event async for event in client.predictions.stream(FLOW, "hi")]
    assert isinstance(events[0], UnknownEvent)
    assert events[0].event == "somethingNew"
    assert events[0].data == {"x": 1}
    assert events[1] == AgentFlowEvent("INPROGRESS")


async def test_abort_calls_the_abort_route(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded_sse("conversation_chain"))
    stream = client.predictions.stream(FLOW, "x", chat_id="chat-7")
    server.add("PUT", f"chatmessage/abort/{FLOW}/chat-7", recorded("chat_messages/abort"))
    async with stream:
        await stream.abort()
    assert server.last.method == "PUT"
    assert stream.response is not None
    assert stream.response.is_closed


async def test_stream_rejects_non_uuid_ids(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="never answer"):
        client.predictions.stream("not-a-uuid", "x")
    assert server.calls == []
