"""Predictions, whole and streamed, on bodies shaped like Flowise's."""

from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncFlowise,
    StreamError,
    Upload,
)
from flowise_integrations.types import (
    AgentFlowEvent,
    EndEvent,
    ErrorEvent,
    MetadataEvent,
    StartEvent,
    TokenEvent,
    UnknownEvent,
)
from tests.unit.mock_flowise import MockFlowise

FLOW = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
ROUTE = f"prediction/{FLOW}"


def sse(*events: dict[str, object], tail: bytes = b"") -> httpx.Response:
    body = b"".join(b"message:\ndata:" + json.dumps(e).encode() + b"\n\n" for e in events) + tail
    return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})


CHAIN = (
    {"event": "start", "data": "FAKE:"},
    {"event": "token", "data": "FAKE:"},
    {"event": "token", "data": " stream"},
    {"event": "token", "data": " chain"},
    {
        "event": "metadata",
        "data": {
            "chatId": "c1",
            "chatMessageId": "m1",
            "question": "stream chain",
            "sessionId": "c1",
            "memoryType": "Buffer Memory",
        },
    },
    {"event": "end", "data": "[DONE]"},
)


async def test_create_sends_flowise_shapes(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST",
        ROUTE,
        {
            "text": "FAKE: hi",
            "question": "hi",
            "chatId": "c1",
            "chatMessageId": "m1",
            "sessionId": "c1",
            "memoryType": "Buffer Memory",
            "isStreamValid": False,
            "followUpPrompts": json.dumps(json.dumps(["q1", "q2"])),
            "sourceDocuments": [{"pageContent": "sky", "metadata": {"source": "a"}}],
        },
    )
    upload = Upload.from_bytes(b"\x89PNG", "pic.png")
    prediction = await client.predictions.create(
        FLOW,
        "hi",
        chat_id="c1",
        override_config={"sessionId": "s1", "temperature": 0.1},
        history=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
        uploads=[upload],
        lead_email="x@example.com",
    )
    assert server.last_json() == {
        "question": "hi",
        "chatId": "c1",
        "overrideConfig": {"sessionId": "s1", "temperature": 0.1},
        "history": [{"role": "userMessage", "content": "a"}, {"role": "apiMessage", "content": "b"}],
        "uploads": [
            {"type": "file", "name": "pic.png", "mime": "image/png", "data": "data:image/png;base64,iVBORw=="}
        ],
        "leadEmail": "x@example.com",
    }
    assert prediction.text == "FAKE: hi"
    assert prediction.follow_up_prompts == ["q1", "q2"]
    assert prediction.source_documents[0].page_content == "sky"
    assert prediction.memory_type == "Buffer Memory"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"question": 3}, TypeError),
        ({"question": "q", "form": {"a": 1}}, ValueError),
        ({"history": [{"role": "system", "content": "x"}]}, ValueError),
        ({"history": "hi"}, TypeError),
        ({"override_config": {"sessionId": 5}}, TypeError),
        ({"human_input": {"type": "maybe"}}, ValueError),
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
    server.json("POST", ROUTE, {"text": "ok"})
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
    server.add("POST", ROUTE, sse(*CHAIN))
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
    assert final.text == "FAKE: stream chain"
    assert final.chat_message_id == "m1"
    assert final.memory_type == "Buffer Memory"


async def test_text_stream(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse(*CHAIN))
    chunks = [chunk async for chunk in client.predictions.stream(FLOW, "x").text_stream]
    assert chunks == ["FAKE:", " stream", " chain"]


async def test_session_id_becomes_the_chat_id(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse(*CHAIN))
    stream = client.predictions.stream(FLOW, "x", override_config={"sessionId": "sess-9"})
    assert stream.chat_id == "sess-9"
    await stream.final()


async def test_error_event_raises_with_partial_text(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "POST",
        ROUTE,
        sse(
            {"event": "token", "data": "Hel"},
            {"event": "error", "data": "Error: predictionsServices.buildChatflow - boom"},
            {"event": "end", "data": "[DONE]"},
        ),
    )
    seen: list[object] = []
    stream = client.predictions.stream(FLOW, "x")
    with pytest.raises(StreamError) as info:
        async for event in stream:
            seen.append(event)
    assert isinstance(seen[-1], ErrorEvent)
    assert info.value.partial_text == "Hel"
    assert info.value.chat_id == stream.chat_id
    assert "boom" in str(info.value)
    assert stream.text == "Hel"


async def test_json_answer_still_streams(client: AsyncFlowise, server: MockFlowise) -> None:
    body = {
        "text": "Echo: hi",
        "question": "hi",
        "chatId": "c2",
        "chatMessageId": "m2",
        "isStreamValid": False,
    }
    server.json("POST", ROUTE, body)
    async with client.predictions.stream(FLOW, "hi") as stream:
        events = [event async for event in stream]
    assert [type(e) for e in events] == [TokenEvent, MetadataEvent, EndEvent]
    assert await stream.final() == await client.predictions.create(FLOW, "hi")


async def test_stream_without_end_is_a_connection_error(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse({"event": "token", "data": "par"}))
    with pytest.raises(APIConnectionError) as info:
        await client.predictions.stream(FLOW, "x").final()
    assert info.value.partial_text == "par"


async def test_invalid_json_event(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse({"event": "token", "data": "ok"}, tail=b"message:\ndata:{not json\n\n"))
    with pytest.raises(APIResponseValidationError) as info:
        await client.predictions.stream(FLOW, "x").final()
    assert info.value.partial_text == "ok"


async def test_unknown_and_agentflow_events(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "POST",
        ROUTE,
        sse(
            {"event": "agentFlowEvent", "data": "INPROGRESS"},
            {"event": "somethingNew", "data": {"x": 1}},
            {
                "event": "agentFlowExecutedData",
                "data": [
                    {
                        "nodeId": "directReplyAgentflow_0",
                        "nodeLabel": "Direct Reply",
                        "data": {"output": {"content": "Echo: hi"}},
                        "previousNodeIds": [],
                        "status": "FINISHED",
                    }
                ],
            },
            {"event": "agentFlowEvent", "data": "FINISHED"},
            {"event": "end", "data": "[DONE]"},
        ),
    )
    stream = client.predictions.stream(FLOW, "hi")
    events = [event async for event in stream]
    assert isinstance(events[0], AgentFlowEvent)
    assert isinstance(events[1], UnknownEvent)
    assert events[1].event == "somethingNew"
    assert events[1].data == {"x": 1}
    # No token arrived: the final text falls back to the last node's output.
    assert (await stream.final()).text == "Echo: hi"


async def test_abort_calls_the_abort_route(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, sse(*CHAIN))
    stream = client.predictions.stream(FLOW, "x", chat_id="chat-7")
    server.json("PUT", f"chatmessage/abort/{FLOW}/chat-7", {"status": 200, "message": "Chat message aborted"})
    async with stream:
        await stream.abort()
    assert server.last.method == "PUT"
    assert stream.response is not None
    assert stream.response.is_closed


async def test_stream_rejects_non_uuid_ids(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="never answer"):
        client.predictions.stream("not-a-uuid", "x")
    assert server.calls == []
