"""FlowiseChatEngine on a mock transport: sessions, history from the server, streaming, async."""

from __future__ import annotations

import json

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.chat_engine.types import AgentChatResponse, BaseChatEngine, StreamingAgentChatResponse

from flowise_integrations import AsyncFlowise, Flowise, NotFoundError
from flowise_integrations.llama_index import FlowiseChatEngine
from tests.unit.mock_clients import sse
from tests.unit.mock_flowise import MockFlowise

from .conftest import FLOW, PREDICTION, SKY, prediction_body, token_events

MESSAGES = f"chatmessage/{FLOW}"


def stored(session: str) -> list[dict[str, object]]:
    common = {"chatflowid": FLOW, "chatType": "EXTERNAL", "chatId": session, "sessionId": session}
    return [
        {"id": "m1", "role": "userMessage", "content": "My name is Ada", **common},
        {
            "id": "m2",
            "role": "apiMessage",
            "content": "FAKE: My name is Ada",
            "sourceDocuments": None,
            **common,
        },
    ]


def test_is_a_base_chat_engine(client: Flowise) -> None:
    assert isinstance(FlowiseChatEngine(FLOW, client=client), BaseChatEngine)


def test_every_turn_uses_the_session(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="FAKE: hi", sourceDocuments=[SKY]))
    engine = FlowiseChatEngine(FLOW, session_id="s-1", override_config={"temperature": 0}, client=client)

    first = engine.chat("hi")
    engine.chat("again")

    assert isinstance(first, AgentChatResponse)
    assert first.response == "FAKE: hi"
    assert first.source_nodes[0].node.node_id == SKY["id"]
    assert first.metadata is not None
    assert first.metadata["chat_id"] == "chat-1"
    bodies = [json.loads(call.content) for call in server.calls]
    assert [b["question"] for b in bodies] == ["hi", "again"]
    for body in bodies:
        assert body["chatId"] == "s-1"
        assert body["overrideConfig"] == {"temperature": 0, "sessionId": "s-1"}


def test_used_tools_become_sources(client: Flowise, server: MockFlowise) -> None:
    tools = [{"tool": "calculator", "toolInput": {"input": "2+2"}, "toolOutput": "4"}]
    server.json("POST", PREDICTION, prediction_body(usedTools=tools))

    response = FlowiseChatEngine(FLOW, client=client).chat("2+2?")

    assert [(s.tool_name, s.content, s.raw_input) for s in response.sources] == [
        ("calculator", "4", {"input": "2+2"})
    ]


def test_reset_starts_a_new_session(client: Flowise) -> None:
    engine = FlowiseChatEngine(FLOW, client=client)
    before = engine.session_id

    engine.reset()

    assert engine.session_id != before
    assert len(engine.session_id) == 36


def test_chat_history_is_read_from_the_server(client: Flowise, server: MockFlowise) -> None:
    server.json("GET", MESSAGES, stored("s-7"))
    engine = FlowiseChatEngine(FLOW, session_id="s-7", client=client)

    history = engine.chat_history

    assert [(m.role, m.content) for m in history] == [
        (MessageRole.USER, "My name is Ada"),
        (MessageRole.ASSISTANT, "FAKE: My name is Ada"),
    ]
    assert history[0].additional_kwargs["id"] == "m1"
    assert server.last.url.params["sessionId"] == "s-7"


async def test_aget_chat_history_uses_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("GET", MESSAGES, stored("s-8"))
    engine = FlowiseChatEngine(FLOW, session_id="s-8", client=refusing_client, async_client=async_client)

    history = await engine.aget_chat_history()

    assert len(history) == 2
    assert server.last.url.params["sessionId"] == "s-8"


def test_chat_history_argument_is_sent_as_flowise_history(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())
    earlier = [
        ChatMessage(role=MessageRole.USER, content="I like tea."),
        ChatMessage(role=MessageRole.ASSISTANT, content="Noted."),
    ]

    FlowiseChatEngine(FLOW, client=client).chat("What do I like?", chat_history=earlier)

    assert server.last_json()["history"] == [
        {"role": "userMessage", "content": "I like tea."},
        {"role": "apiMessage", "content": "Noted."},
    ]


def test_system_messages_in_chat_history_go_before_the_question(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())
    earlier = [
        ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
        ChatMessage(role=MessageRole.USER, content="hi"),
    ]

    FlowiseChatEngine(FLOW, client=client).chat("again", chat_history=earlier)

    assert server.last_json()["history"] == [{"role": "userMessage", "content": "hi"}]
    assert server.last_json()["question"] == "Be brief.\n\nagain"


def test_stream_chat(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, sse(*token_events("FAKE:", " streamed", sources=[SKY], chat_id="s-3")))
    engine = FlowiseChatEngine(FLOW, session_id="s-3", client=client)

    response = engine.stream_chat("streamed")

    assert isinstance(response, StreamingAgentChatResponse)
    assert response.source_nodes == []
    assert list(response.response_gen) == ["FAKE:", " streamed"]
    assert response.response == "FAKE: streamed"
    assert str(response) == "FAKE: streamed"
    assert [n.node.metadata["source"] for n in response.source_nodes] == ["sky.txt"]
    body = json.loads(server.last.content)
    assert body["streaming"] is True
    assert body["chatId"] == "s-3"
    assert body["overrideConfig"] == {"sessionId": "s-3"}


async def test_achat_and_astream_chat_use_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    engine = FlowiseChatEngine(FLOW, session_id="s-4", client=refusing_client, async_client=async_client)
    server.json("POST", PREDICTION, prediction_body(text="async turn"))
    assert (await engine.achat("one")).response == "async turn"

    server.add("POST", PREDICTION, sse(*token_events("FAKE:", " two", sources=[SKY], chat_id="s-4")))
    response = await engine.astream_chat("two")
    assert [token async for token in response.async_response_gen()] == ["FAKE:", " two"]
    assert response.response == "FAKE: two"
    assert len(response.source_nodes) == 1
    assert all(json.loads(call.content)["chatId"] == "s-4" for call in server.calls)


def test_errors_are_raised_unchanged(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, httpx.Response(404, json={"message": "Chatflow not found"}))
    engine = FlowiseChatEngine(FLOW, client=client)

    with pytest.raises(NotFoundError):
        engine.chat("q")
    with pytest.raises(NotFoundError):
        engine.stream_chat("q")
