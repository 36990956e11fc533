"""FlowiseLLM on a mock transport: message mapping, completion, streaming, async, serialization."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage, ImageBlock, MessageRole, TextBlock
from llama_index.core.llms.llm import LLM
from llama_index.core.prompts import PromptTemplate

from flowise_integrations import AsyncFlowise, Flowise, Prediction, RateLimitError, StreamError
from flowise_integrations.llama_index import FlowiseLLM
from tests.unit.mock_clients import sse
from tests.unit.mock_flowise import MockFlowise

from .conftest import FLOW, PREDICTION, SKY, prediction_body, token_events

SECRET = "sk-llm-secret-value"


def llm(client: Flowise | None = None, async_client: AsyncFlowise | None = None, **fields: Any) -> FlowiseLLM:
    return FlowiseLLM(FLOW, client=client, async_client=async_client, **fields)


CONVERSATION = [
    ChatMessage(role=MessageRole.USER, content="My name is Ada."),
    ChatMessage(role=MessageRole.ASSISTANT, content="Hello Ada."),
    ChatMessage(role=MessageRole.USER, content="What is my name?"),
]


def test_is_a_chat_llm(client: Flowise) -> None:
    model = llm(client)
    assert isinstance(model, LLM)
    assert model.metadata.is_chat_model is True
    assert model.metadata.is_function_calling_model is False
    assert model.metadata.model_name == FLOW
    assert FlowiseLLM.class_name() == "FlowiseLLM"


def test_chat_sends_history_and_question_without_flattening(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="FAKE: What is my name?", sourceDocuments=[SKY]))

    response = llm(client).chat(CONVERSATION)

    assert server.last_json() == {
        "question": "What is my name?",
        "history": [
            {"role": "userMessage", "content": "My name is Ada."},
            {"role": "apiMessage", "content": "Hello Ada."},
        ],
    }
    assert response.message.role == MessageRole.ASSISTANT
    assert response.message.content == "FAKE: What is my name?"
    assert isinstance(response.raw, Prediction)
    assert response.additional_kwargs["chat_id"] == "chat-1"
    assert response.additional_kwargs["source_documents"][0]["page_content"] == SKY["pageContent"]


def test_a_single_message_sends_no_history(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())

    llm(client).chat([ChatMessage(role=MessageRole.USER, content="hi")])

    assert server.last_json() == {"question": "hi"}


def test_system_messages_go_to_the_configured_override_key(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())
    model = llm(client, system_message_key="systemMessagePrompt", override_config={"temperature": 0})

    model.chat([ChatMessage(role=MessageRole.SYSTEM, content="Be brief."), *CONVERSATION])

    body = server.last_json()
    assert body["overrideConfig"] == {"temperature": 0, "systemMessagePrompt": "Be brief."}
    assert [item["role"] for item in body["history"]] == ["userMessage", "apiMessage"]


def test_system_messages_without_a_key_go_before_the_question(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        llm(client).chat([ChatMessage(role=MessageRole.SYSTEM, content="Be brief."), *CONVERSATION])

    body = server.last_json()
    assert body["question"] == f"Be brief.\n\n{CONVERSATION[-1].content}"
    assert "overrideConfig" not in body
    assert len(body["history"]) == 2


def test_context_chat_engines_keep_their_retrieved_context(client: Flowise, server: MockFlowise) -> None:
    """LlamaIndex's context chat engine puts what it retrieved in a system message: it must arrive."""
    from llama_index.core.chat_engine import ContextChatEngine
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

    class OneNode(BaseRetriever):
        def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
            return [NodeWithScore(node=TextNode(text="The sky is blue because of Rayleigh scattering."))]

    server.json("POST", PREDICTION, prediction_body(text="Rayleigh."))
    engine = ContextChatEngine.from_defaults(retriever=OneNode(), llm=llm(client))

    assert str(engine.chat("Why is the sky blue?")) == "Rayleigh."

    question = server.last_json()["question"]
    assert "Rayleigh scattering" in question
    assert question.endswith("Why is the sky blue?")


def test_system_prompt_field_is_sent_through_predict(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="ok"))
    model = llm(client, system_prompt="You are terse.", system_message_key="systemMessagePrompt")

    assert model.predict(PromptTemplate("Tell me about {topic}"), topic="sky") == "ok"

    body = server.last_json()
    assert body["question"] == "Tell me about sky"
    assert body["overrideConfig"] == {"systemMessagePrompt": "You are terse."}


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([], "at least one"),
        ([ChatMessage(role=MessageRole.ASSISTANT, content="prefill")], "last message"),
        (
            [
                ChatMessage(role=MessageRole.TOOL, content="42"),
                ChatMessage(role=MessageRole.USER, content="q"),
            ],
            "user and assistant",
        ),
        (
            [
                ChatMessage(
                    role=MessageRole.USER, blocks=[TextBlock(text="see"), ImageBlock(url="http://x/i.png")]
                )
            ],
            "text only",
        ),
    ],
)
def test_unsupported_conversations_are_rejected_before_sending(
    client: Flowise, server: MockFlowise, messages: list[ChatMessage], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        llm(client).chat(messages)
    assert server.calls == []


def test_per_call_kwargs(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())
    model = llm(client)

    model.chat(CONVERSATION[-1:], override_config={"x": 1}, session_id="s-9")

    assert server.last_json()["overrideConfig"] == {"x": 1, "sessionId": "s-9"}
    with pytest.raises(TypeError, match="tools"):
        model.chat(CONVERSATION[-1:], tools=[])


def test_complete_sends_the_prompt_as_the_question(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="done"))

    response = llm(client).complete("Summarise this")

    assert response.text == "done"
    assert server.last_json() == {"question": "Summarise this"}


def test_usage_is_reported_under_llama_index_keys(client: Flowise, server: MockFlowise) -> None:
    body = prediction_body(usage={"input_tokens": 3, "output_tokens": 5, "total_tokens": 8})
    server.json("POST", PREDICTION, body)

    response = llm(client).complete("q")

    assert response.additional_kwargs["prompt_tokens"] == 3
    assert response.additional_kwargs["completion_tokens"] == 5
    assert response.additional_kwargs["total_tokens"] == 8


def test_stream_chat_yields_tokens_then_a_closing_response(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, sse(*token_events("FAKE:", " name", " Ada", sources=[SKY])))

    chunks = list(llm(client).stream_chat(CONVERSATION))

    assert [c.delta for c in chunks] == ["FAKE:", " name", " Ada", ""]
    assert [c.message.content for c in chunks] == ["FAKE:", "FAKE: name", "FAKE: name Ada", "FAKE: name Ada"]
    assert chunks[-1].additional_kwargs["chat_id"] == "chat-s"
    assert chunks[-1].additional_kwargs["source_documents"][0]["metadata"]["source"] == "sky.txt"
    body = json.loads(server.last.content)
    assert body["streaming"] is True
    assert body["history"][0] == {"role": "userMessage", "content": "My name is Ada."}


def test_stream_complete(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, sse(*token_events("a", "b")))

    chunks = list(llm(client).stream_complete("q"))

    assert [c.delta for c in chunks] == ["a", "b", ""]
    assert chunks[-1].text == "ab"


def test_stream_errors_propagate_unchanged(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, sse({"event": "token", "data": "x"}, {"event": "error", "data": "boom"}))

    with pytest.raises(StreamError):
        list(llm(client).stream_chat(CONVERSATION))


def test_http_errors_propagate_unchanged(client: Flowise, server: MockFlowise) -> None:
    server.add(
        "POST", PREDICTION, httpx.Response(429, text="Too many requests", headers={"Retry-After": "60"})
    )

    with pytest.raises(RateLimitError):
        llm(client).chat(CONVERSATION)
    with pytest.raises(RateLimitError):
        llm(client).stream_chat(CONVERSATION)


async def test_async_methods_use_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    model = llm(refusing_client, async_client)
    server.json("POST", PREDICTION, prediction_body(text="async chat"))
    assert (await model.achat(CONVERSATION)).message.content == "async chat"
    assert server.last_json()["history"][1] == {"role": "apiMessage", "content": "Hello Ada."}

    assert (await model.acomplete("q")).text == "async chat"

    server.add("POST", PREDICTION, sse(*token_events("x", "y")))
    chat_stream = await model.astream_chat(CONVERSATION)
    assert [c.delta async for c in chat_stream] == ["x", "y", ""]

    server.add("POST", PREDICTION, sse(*token_events("p", "q")))
    completion_stream = await model.astream_complete("q")
    assert [c.text async for c in completion_stream] == ["p", "pq", "pq"]


def test_sync_methods_use_the_sync_client(
    client: Flowise, refusing_async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", PREDICTION, prediction_body(text="sync"))
    assert llm(client, refusing_async_client).chat(CONVERSATION).message.content == "sync"


def test_key_from_environment_is_secret_and_never_serialized(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_API_KEY", SECRET)
    monkeypatch.setenv("FLOWISE_BASE_URL", "http://env:3000")
    model = FlowiseLLM(FLOW)

    assert model.api_key is not None
    assert model.api_key.get_secret_value() == SECRET
    assert model.base_url == "http://env:3000"
    assert model.connection.client.base_url == "http://env:3000/api/v1/"
    for text in (repr(model), str(model), model.to_json(), json.dumps(model.to_dict(), default=str)):
        assert SECRET not in text
    assert "api_key" not in model.to_dict()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SECRET not in json.dumps(model.to_payload(), default=str)


def test_chatflow_id_is_required() -> None:
    with pytest.raises(ValueError):
        FlowiseLLM()
