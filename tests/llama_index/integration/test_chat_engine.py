"""FlowiseChatEngine against a real Flowise: a server-side conversation, its history and reset."""

from __future__ import annotations

import pytest
from llama_index.core.base.llms.types import MessageRole
from llama_index.core.chat_engine.types import StreamingAgentChatResponse

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import FlowiseChatEngine
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.integration


def test_two_turns_then_reset(
    flowise_client: Flowise, flowise_model: ModelStandIn, conversation_chatflow: Chatflow
) -> None:
    engine = FlowiseChatEngine(conversation_chatflow.id, client=flowise_client)

    first = engine.chat("My name is Ada.")
    second = engine.chat("What is my name?")

    assert first.response == "FAKE: My name is Ada."
    assert second.response == "FAKE: What is my name?"
    remembered = flowise_model.chat_requests()[-1]["messages"]
    assert [m["content"] for m in remembered[-3:]] == [
        "My name is Ada.",
        "FAKE: My name is Ada.",
        "What is my name?",
    ]
    history = engine.chat_history
    assert [(m.role, m.content) for m in history] == [
        (MessageRole.USER, "My name is Ada."),
        (MessageRole.ASSISTANT, "FAKE: My name is Ada."),
        (MessageRole.USER, "What is my name?"),
        (MessageRole.ASSISTANT, "FAKE: What is my name?"),
    ]

    old_session = engine.session_id
    engine.reset()

    assert engine.session_id != old_session
    assert engine.chat_history == []
    engine.chat("Do you know me?")
    assert "Ada" not in str(flowise_model.chat_requests()[-1]["messages"])
    assert len(engine.chat_history) == 2


def test_stream_chat_keeps_the_session(flowise_client: Flowise, conversation_chatflow: Chatflow) -> None:
    engine = FlowiseChatEngine(conversation_chatflow.id, client=flowise_client)

    response = engine.stream_chat("Stream this turn please")

    assert isinstance(response, StreamingAgentChatResponse)
    tokens = list(response.response_gen)
    assert len(tokens) > 1
    assert "".join(tokens) == "FAKE: Stream this turn please"
    assert response.response == "FAKE: Stream this turn please"
    assert [m.content for m in engine.chat_history] == [
        "Stream this turn please",
        "FAKE: Stream this turn please",
    ]


async def test_async_conversation(
    async_flowise_client: AsyncFlowise, flowise_model: ModelStandIn, conversation_chatflow: Chatflow
) -> None:
    engine = FlowiseChatEngine(conversation_chatflow.id, async_client=async_flowise_client)

    first = await engine.achat("I like green tea.")
    streamed = await engine.astream_chat("What do I like?")
    tokens = [t async for t in streamed.async_response_gen()]

    assert first.response == "FAKE: I like green tea."
    assert "".join(tokens) == "FAKE: What do I like?"
    assert "I like green tea." in str(flowise_model.chat_requests()[-1]["messages"])
    history = await engine.aget_chat_history()
    assert len(history) == 4
    engine.reset()
    assert await engine.aget_chat_history() == []


def test_rag_chat_returns_source_nodes(flowise_client: Flowise, retrieval_chatflow: Chatflow) -> None:
    engine = FlowiseChatEngine(retrieval_chatflow.id, client=flowise_client)

    response = engine.chat("Why is the sky blue?")

    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"
    assert response.metadata is not None
    assert response.metadata["session_id"] == engine.session_id
