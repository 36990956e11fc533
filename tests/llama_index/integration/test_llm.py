"""FlowiseLLM against a real Flowise: what the flow's model receives, streaming, async."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import ChatMessage, MessageRole

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import FlowiseLLM
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.integration

CONVERSATION = [
    ChatMessage(role=MessageRole.SYSTEM, content="You are a terse test assistant."),
    ChatMessage(role=MessageRole.USER, content="My name is Ada."),
    ChatMessage(role=MessageRole.ASSISTANT, content="Hello Ada."),
    ChatMessage(role=MessageRole.USER, content="What is my name?"),
]


def turns(request: dict[str, Any]) -> list[tuple[str, str]]:
    return [(message["role"], message["content"]) for message in request["messages"]]


@pytest.fixture
def llm(
    flowise_client: Flowise, async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> FlowiseLLM:
    return FlowiseLLM(
        conversation_chatflow.id,
        system_message_key="systemMessagePrompt",
        client=flowise_client,
        async_client=async_flowise_client,
    )


def test_chat_reaches_the_model_as_separate_turns(llm: FlowiseLLM, flowise_model: ModelStandIn) -> None:
    seen = len(flowise_model.chat_requests())

    response = llm.chat(CONVERSATION)

    assert response.message.content == "FAKE: What is my name?"
    (request,) = flowise_model.chat_requests()[seen:]
    assert turns(request) == [
        ("system", "You are a terse test assistant."),
        ("user", "My name is Ada."),
        ("assistant", "Hello Ada."),
        ("user", "What is my name?"),
    ]


def test_without_a_system_key_system_text_reaches_the_model_before_the_question(
    flowise_client: Flowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    seen = len(flowise_model.chat_requests())

    FlowiseLLM(conversation_chatflow.id, client=flowise_client).chat(CONVERSATION)

    (request,) = flowise_model.chat_requests()[seen:]
    assert turns(request)[-1] == ("user", "You are a terse test assistant.\n\nWhat is my name?")
    assert [role for role, _ in turns(request)].count("system") <= 1  # the flow's own prompt only
    assert all("terse test" not in content for role, content in turns(request) if role == "system")


def test_calls_do_not_share_memory(llm: FlowiseLLM, flowise_model: ModelStandIn) -> None:
    llm.complete("Remember the word quokka.")
    seen = len(flowise_model.chat_requests())

    response = llm.complete("Which word?")

    assert response.text == "FAKE: Which word?"
    (request,) = flowise_model.chat_requests()[seen:]
    assert "quokka" not in str(request["messages"])


def test_stream_chat(llm: FlowiseLLM, flowise_model: ModelStandIn) -> None:
    seen = len(flowise_model.chat_requests())

    chunks = list(llm.stream_chat(CONVERSATION))

    assert len(chunks) > 2
    assert "".join(c.delta or "" for c in chunks) == "FAKE: What is my name?"
    assert chunks[-1].message.content == "FAKE: What is my name?"
    assert chunks[-1].additional_kwargs["chat_message_id"]
    (request,) = flowise_model.chat_requests()[seen:]
    assert turns(request)[1:3] == [("user", "My name is Ada."), ("assistant", "Hello Ada.")]


async def test_async_chat_and_completion(llm: FlowiseLLM, flowise_model: ModelStandIn) -> None:
    seen = len(flowise_model.chat_requests())

    chat = await llm.achat(CONVERSATION)
    completion = await llm.acomplete("complete me")
    stream = await llm.astream_chat(CONVERSATION)
    deltas = [c.delta async for c in stream]
    completion_stream = await llm.astream_complete("stream me")
    texts = [c.text async for c in completion_stream]

    assert chat.message.content == "FAKE: What is my name?"
    assert completion.text == "FAKE: complete me"
    assert "".join(d or "" for d in deltas) == "FAKE: What is my name?"
    assert texts[-1] == "FAKE: stream me"
    requests = flowise_model.chat_requests()[seen:]
    assert len(requests) == 4
    assert turns(requests[0])[1] == ("user", "My name is Ada.")
