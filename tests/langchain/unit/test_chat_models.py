"""``ChatFlowise`` against a mock Flowise: what is sent, what comes back, and how errors surface."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage

from flowise_integrations import NotFoundError, StreamError
from flowise_integrations.langchain import ChatFlowise
from tests.unit.mock_clients import API_KEY, sse
from tests.unit.mock_flowise import MockFlowise

from .conftest import (
    CHATFLOW_ID,
    OTHER_CHATFLOW_ID,
    PREDICTION,
    SKY_DOC,
    metadata_event,
    prediction_json,
    token_stream,
)

PNG = base64.b64encode(b"\x89PNG fake").decode()


@pytest.fixture
def chat(clients: dict[str, Any]) -> ChatFlowise:
    return ChatFlowise(chatflow_id=CHATFLOW_ID, **clients)


def sent(server: MockFlowise, index: int = -1) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(server.calls[index].content)
    return body


# -- messages → request


def test_string_input_is_the_question(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: hi"))
    message = chat.invoke("hi")
    assert message.content == "FAKE: hi"
    assert sent(server) == {"question": "hi"}


def test_earlier_turns_become_history_and_system_messages_lead_the_question(
    server: MockFlowise, chat: ChatFlowise
) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    chat.invoke(
        [
            SystemMessage("Be brief."),
            HumanMessage("hello"),
            AIMessage("hi there"),
            SystemMessage("Answer in French."),
            HumanMessage("how are you"),
        ]
    )
    assert sent(server) == {
        "question": "Be brief.\n\nAnswer in French.\n\nhow are you",
        "history": [
            {"role": "userMessage", "content": "hello"},
            {"role": "apiMessage", "content": "hi there"},
        ],
    }


def test_system_messages_can_go_to_an_override_config_key(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, system_message_key="systemMessagePrompt", **clients)
    chat.invoke([SystemMessage("You are a pirate."), HumanMessage("hello")])
    assert sent(server) == {
        "question": "hello",
        "overrideConfig": {"systemMessagePrompt": "You are a pirate."},
    }


@pytest.mark.parametrize(
    ("part", "upload"),
    [
        (
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
            {
                "type": "file",
                "name": "image.png",
                "mime": "image/png",
                "data": f"data:image/png;base64,{PNG}",
            },
        ),
        (
            {"type": "image_url", "image_url": "https://example.com/cat.jpg"},
            {"type": "url", "name": "cat.jpg", "mime": "image/jpeg", "data": "https://example.com/cat.jpg"},
        ),
        (
            {"type": "image", "base64": PNG, "mime_type": "image/png"},
            {
                "type": "file",
                "name": "image.png",
                "mime": "image/png",
                "data": f"data:image/png;base64,{PNG}",
            },
        ),
        (
            {"type": "image", "url": "https://example.com/render?id=1", "mime_type": "image/webp"},
            {
                "type": "url",
                "name": "render",
                "mime": "image/webp",
                "data": "https://example.com/render?id=1",
            },
        ),
    ],
)
def test_images_in_the_question_become_uploads(
    server: MockFlowise, chat: ChatFlowise, part: dict[str, Any], upload: dict[str, Any]
) -> None:
    server.add("POST", PREDICTION, prediction_json("a cat"))
    chat.invoke([HumanMessage(content=[{"type": "text", "text": "What is this?"}, part])])
    assert sent(server) == {"question": "What is this?", "uploads": [upload]}


def test_an_image_url_without_a_known_type_is_refused_before_sending(
    server: MockFlowise, chat: ChatFlowise
) -> None:
    with pytest.raises(ValueError, match="mime_type"):
        chat.invoke([HumanMessage(content=[{"type": "image_url", "image_url": "https://example.com/x"}])])
    assert server.calls == []


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ([SystemMessage("only a system prompt")], "human message"),
        ([HumanMessage("hi"), AIMessage("Sure, here is")], "no AI message may follow"),
        ([HumanMessage("hi"), ToolMessage("42", tool_call_id="1")], "tool"),
        ([HumanMessage(content=[{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}])], "audio"),
    ],
)
def test_conversations_flowise_cannot_answer_are_refused(
    server: MockFlowise, chat: ChatFlowise, messages: list[Any], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        chat.invoke(messages)
    assert server.calls == []


def test_unknown_call_keywords_are_refused(chat: ChatFlowise) -> None:
    with pytest.raises(TypeError, match="tools"):
        chat.invoke("hi", tools=[])


# -- sessions, override config, chatflow per call


def test_session_precedence(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    chat = ChatFlowise(
        chatflow_id=CHATFLOW_ID, session_id="field", override_config={"a": 1, "sessionId": "x"}, **clients
    )
    chat.invoke("q")
    assert sent(server)["overrideConfig"] == {"a": 1, "sessionId": "field"}
    chat.invoke("q", config={"configurable": {"session_id": "configured"}})
    assert sent(server)["overrideConfig"] == {"a": 1, "sessionId": "configured"}
    chat.invoke("q", config={"configurable": {"session_id": "configured"}}, session_id="keyword")
    assert sent(server)["overrideConfig"] == {"a": 1, "sessionId": "keyword"}
    chat.invoke("q", session_id="keyword", override_config={"sessionId": "explicit", "b": 2})
    assert sent(server)["overrideConfig"] == {"a": 1, "sessionId": "explicit", "b": 2}


def test_configurable_session_reaches_a_model_inside_a_chain(server: MockFlowise, chat: ChatFlowise) -> None:
    from langchain_core.prompts import ChatPromptTemplate

    server.add("POST", PREDICTION, prediction_json("ok"))
    chain = ChatPromptTemplate.from_messages([("human", "{q}")]) | chat
    chain.invoke({"q": "hi"}, config={"configurable": {"session_id": "s-chain"}})
    assert sent(server)["overrideConfig"] == {"sessionId": "s-chain"}


@pytest.mark.parametrize(
    ("mode", "session", "history_sent"),
    [
        ("auto", None, True),
        ("auto", "s1", False),
        ("always", "s1", True),
        ("never", None, False),
    ],
)
def test_history_mode(
    server: MockFlowise, clients: dict[str, Any], mode: Any, session: str | None, history_sent: bool
) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, history_mode=mode, session_id=session, **clients)
    chat.invoke([HumanMessage("one"), AIMessage("two"), HumanMessage("three")])
    assert ("history" in sent(server)) is history_sent
    assert sent(server)["question"] == "three"


def test_temperature_and_max_tokens_are_override_config_keys(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    chat = ChatFlowise(
        chatflow_id=CHATFLOW_ID, temperature=0.2, max_tokens=50, override_config={"maxTokens": 10}, **clients
    )
    chat.invoke("q")
    assert sent(server)["overrideConfig"] == {"temperature": 0.2, "maxTokens": 10}
    params = chat._get_ls_params()
    assert (params["ls_temperature"], params["ls_max_tokens"]) == (0.2, 50)


@pytest.mark.parametrize("keyword", ["chatflow_id", "model"])
def test_another_chatflow_per_call(server: MockFlowise, chat: ChatFlowise, keyword: str) -> None:
    server.add("POST", f"prediction/{OTHER_CHATFLOW_ID}", prediction_json("Echo: hi"))
    message = chat.invoke("hi", **{keyword: OTHER_CHATFLOW_ID})
    assert server.last.url.path.endswith(OTHER_CHATFLOW_ID)
    assert message.response_metadata["model_name"] == OTHER_CHATFLOW_ID
    assert chat._get_ls_params(**{keyword: OTHER_CHATFLOW_ID})["ls_model_name"] == OTHER_CHATFLOW_ID


# -- results


def test_response_metadata(server: MockFlowise, chat: ChatFlowise) -> None:
    used_tool = {"tool": "calculator", "toolInput": {"a": 1}, "toolOutput": "2"}
    server.add(
        "POST",
        PREDICTION,
        prediction_json("FAKE: sky", sourceDocuments=[SKY_DOC], usedTools=[used_tool], sessionId="s9"),
    )
    message = chat.invoke("sky?")
    assert message.response_metadata == {
        "model_provider": "flowise",
        "model_name": CHATFLOW_ID,
        "chat_id": "chat-1",
        "session_id": "s9",
        "chat_message_id": "msg-1",
        "source_documents": [
            {"page_content": SKY_DOC["pageContent"], "metadata": SKY_DOC["metadata"], "id": "chunk-sky"}
        ],
        "used_tools": [{"tool": "calculator", "tool_input": {"a": 1}, "tool_output": "2"}],
    }
    assert message.usage_metadata is None


def test_stop_sequences_cut_the_answer(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: hi you there"))
    assert ChatFlowise(chatflow_id=CHATFLOW_ID, **clients).invoke("q", stop=["you"]).content == "FAKE: hi "
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, stop=["there", "hi"], **clients)
    assert chat.invoke("q").content == "FAKE: "


class _Tokens(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)


def test_stream_yields_a_chunk_per_token_then_metadata(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " stream", " me"))
    handler = _Tokens()
    chunks = list(chat.stream("stream me", config={"callbacks": [handler]}))
    assert [c.content for c in chunks] == ["FAKE:", " stream", " me", ""]
    assert handler.tokens == ["FAKE:", " stream", " me", ""]
    last = chunks[-1]
    assert last.chunk_position == "last"
    assert last.response_metadata["chat_id"] == "chat-1"
    assert last.response_metadata["chat_message_id"] == "msg-1"
    assert sent(server) == {"question": "stream me", "streaming": True, "chatId": sent(server)["chatId"]}


def test_stream_applies_stop_sequences_across_tokens(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " hi", " y", "ou", " there"))
    text = "".join(str(c.content) for c in chat.stream("q", stop=["you"]))
    assert text == "FAKE: hi "


def test_stream_reports_agentflow_usage(server: MockFlowise, chat: ChatFlowise) -> None:
    usage = {"event": "usageMetadata", "data": {"input_tokens": 2, "output_tokens": 3, "total_tokens": 5}}
    server.add("POST", PREDICTION, token_stream("FAKE:", " usage", extra=(usage,)))
    full: AIMessageChunk | None = None
    for chunk in chat.stream("usage"):
        full = chunk if full is None else full + chunk
    assert full is not None
    assert full.content == "FAKE: usage"
    assert full.usage_metadata == {"input_tokens": 2, "output_tokens": 3, "total_tokens": 5}


def test_invoke_with_streaming_true_streams(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " x"))
    handler = _Tokens()
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, streaming=True, **clients)
    assert chat.invoke("x", config={"callbacks": [handler]}).content == "FAKE: x"
    assert handler.tokens[:2] == ["FAKE:", " x"]
    assert sent(server)["streaming"] is True


# -- errors are the client's, unchanged


def test_status_errors_are_raised_unchanged(server: MockFlowise, chat: ChatFlowise) -> None:
    message = f"Chatflow {CHATFLOW_ID} not found in the database!"
    server.add("POST", PREDICTION, httpx.Response(404, json={"statusCode": 404, "message": message}))
    with pytest.raises(NotFoundError, match="not found"):
        chat.invoke("hi")


def test_stream_errors_are_raised_unchanged(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add(
        "POST",
        PREDICTION,
        sse({"event": "token", "data": "FAKE:"}, {"event": "error", "data": "model exploded"}),
    )
    with pytest.raises(StreamError, match="model exploded") as caught:
        list(chat.stream("hi"))
    assert caught.value.partial_text == "FAKE:"


# -- async


async def test_async_paths_use_the_async_client(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: a"), token_stream("FAKE:", " b"))
    assert (await chat.ainvoke("a", config={"configurable": {"session_id": "s-a"}})).content == "FAKE: a"
    assert sent(server)["overrideConfig"] == {"sessionId": "s-a"}
    chunks = [c async for c in chat.astream("b", stop=[" b"])]
    assert "".join(str(c.content) for c in chunks) == "FAKE:"
    assert chunks[-1].response_metadata["session_id"] == "chat-1"


async def test_async_stream_errors_are_raised_unchanged(server: MockFlowise, chat: ChatFlowise) -> None:
    server.add("POST", PREDICTION, sse({"event": "error", "data": "boom"}, metadata_event()))
    with pytest.raises(StreamError, match="boom"):
        [c async for c in chat.astream("hi")]


# -- configuration and secrets


def test_only_one_injected_client_gives_both_the_same_settings(server: MockFlowise, client: Any) -> None:
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, client=client)
    assert chat._async_client._config is client._config
    assert chat._client is client


def test_settings_from_fields_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_BASE_URL", "http://env.flowise.test/api/v1")
    monkeypatch.setenv("FLOWISE_API_KEY", "env-key")
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, timeout=5, max_retries=0)
    assert chat._client.base_url == "http://env.flowise.test/api/v1/"
    assert chat._client.max_retries == 0
    assert chat._async_client._config is chat._client._config
    assert chat._client._config.api_key is not None
    assert chat._client._config.api_key.get_secret_value() == "env-key"


def test_a_bad_base_url_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="base_url"):
        ChatFlowise(chatflow_id=CHATFLOW_ID, base_url="localhost:3000")


def test_the_key_never_shows(clients: dict[str, Any]) -> None:
    chat = ChatFlowise(chatflow_id=CHATFLOW_ID, base_url="http://flowise.test", api_key=API_KEY)
    assert API_KEY not in repr(chat)
    assert API_KEY not in str(chat)
    assert API_KEY not in dumps(chat)
    assert dumpd(chat)["kwargs"]["api_key"] == {"lc": 1, "type": "secret", "id": ["FLOWISE_API_KEY"]}
    injected = ChatFlowise(chatflow_id=CHATFLOW_ID, **clients)
    assert "client" not in dumpd(injected)["kwargs"]
    assert API_KEY not in dumps(injected)


@pytest.mark.filterwarnings("ignore:The function `load` is in beta")
def test_serialization_round_trip() -> None:
    chat = ChatFlowise(
        chatflow_id=CHATFLOW_ID,
        base_url="http://flowise.test",
        api_key=API_KEY,
        session_id="s1",
        override_config={"a": 1},
    )
    revived = load(
        dumpd(chat),
        allowed_objects=[ChatFlowise],
        valid_namespaces=["flowise_integrations"],
        secrets_map={"FLOWISE_API_KEY": API_KEY},
    )
    assert isinstance(revived, ChatFlowise)
    assert revived.model_dump() == chat.model_dump()
    assert revived.api_key is not None
    assert revived.api_key.get_secret_value() == API_KEY
