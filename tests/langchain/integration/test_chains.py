"""The LangChain components in real chains against a real Flowise and its model stand-in."""

from __future__ import annotations

import re
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from langchain_core.chat_history import InMemoryChatMessageHistory
from langchain_core.documents import Document
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables import RunnablePassthrough
from langchain_core.runnables.history import RunnableWithMessageHistory

from flowise_integrations import Flowise, NotFoundError
from flowise_integrations.langchain import (
    ChatFlowise,
    FlowiseChatflowTool,
    FlowiseCustomTool,
    FlowiseLLM,
    FlowiseRetriever,
    FlowiseRunnable,
    FlowiseToolkit,
)
from flowise_integrations.testing import LocalStack, ModelStandIn, flows
from flowise_integrations.types import Chatflow, Tool
from flowise_integrations.types import stream_events as ev

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[3] / "README.md"


def _user_texts(request: dict[str, Any]) -> list[str]:
    return [str(m["content"]) for m in request["messages"] if m["role"] == "user"]


# -- chat model in chains


def test_prompt_model_parser_streams_token_by_token(
    connection: dict[str, Any], conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.reset()
    chat = ChatFlowise(chatflow_id=conversation_chatflow.id, **connection)
    chain = ChatPromptTemplate.from_messages([("human", "Tell me about {topic}")]) | chat | StrOutputParser()
    tokens = list(chain.stream({"topic": "volcanic ash clouds"}))
    assert [t for t in tokens if t] == ["FAKE:", " Tell", " me", " about", " volcanic", " ash", " clouds"]
    assert _user_texts(flowise_model.chat_requests()[-1])[-1] == "Tell me about volcanic ash clouds"


async def test_async_stream_through_a_chain(
    connection: dict[str, Any], conversation_chatflow: Chatflow
) -> None:
    chat = ChatFlowise(chatflow_id=conversation_chatflow.id, **connection)
    chain = ChatPromptTemplate.from_messages([("human", "{q}")]) | chat | StrOutputParser()
    tokens = [t async for t in chain.astream({"q": "async tokens arrive"})]
    assert "".join(tokens) == "FAKE: async tokens arrive"
    assert len([t for t in tokens if t]) == 4


# RunnableWithMessageHistory is deprecated in favour of LangGraph persistence, but still widely used.
@pytest.mark.filterwarnings("ignore::langchain_core._api.deprecation.LangChainDeprecationWarning")
def test_message_history_keeps_a_two_turn_conversation(
    connection: dict[str, Any], conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    """LangChain's history and the flow's memory agree; the model sees turn one once in turn two."""
    flowise_model.reset()
    stores: dict[str, InMemoryChatMessageHistory] = {}
    prompt = ChatPromptTemplate.from_messages([MessagesPlaceholder("history"), ("human", "{input}")])
    chat = ChatFlowise(chatflow_id=conversation_chatflow.id, **connection)
    chain = RunnableWithMessageHistory(
        prompt | chat,
        lambda session_id: stores.setdefault(session_id, InMemoryChatMessageHistory()),
        input_messages_key="input",
        history_messages_key="history",
    )
    session = {"configurable": {"session_id": f"lc-{uuid.uuid4().hex[:8]}"}}
    first = chain.invoke({"input": "my favourite colour is teal"}, config=session)
    second = chain.invoke({"input": "what did I just tell you"}, config=session)
    assert first.content == "FAKE: my favourite colour is teal"
    assert second.content == "FAKE: what did I just tell you"
    turn_two = flowise_model.chat_requests()[-1]["messages"]
    contents = [m["content"] for m in turn_two]
    assert contents.count("my favourite colour is teal") == 1
    assert contents.count("FAKE: my favourite colour is teal") == 1
    assert contents[-1] == "what did I just tell you"
    assert first.response_metadata["session_id"] == session["configurable"]["session_id"]
    assert len(next(iter(stores.values())).messages) == 4


def test_stateless_history_is_sent_when_there_is_no_session(
    connection: dict[str, Any], conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.reset()
    chat = ChatFlowise(chatflow_id=conversation_chatflow.id, **connection)
    chat.invoke([HumanMessage("I live in Lyon"), AIMessage("Noted."), HumanMessage("Where do I live?")])
    messages = flowise_model.chat_requests()[-1]["messages"]
    assert [(m["role"], m["content"]) for m in messages[-3:]] == [
        ("user", "I live in Lyon"),
        ("assistant", "Noted."),
        ("user", "Where do I live?"),
    ]


def test_system_messages_prepended_or_sent_as_the_flow_prompt(
    connection: dict[str, Any], conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.reset()
    messages = [SystemMessage("You are a pirate."), HumanMessage("hello")]
    ChatFlowise(chatflow_id=conversation_chatflow.id, **connection).invoke(messages)
    prepended = flowise_model.chat_requests()[-1]["messages"]
    assert prepended[0] == {"role": "system", "content": "You are a test assistant."}
    assert prepended[-1]["content"] == "You are a pirate.\n\nhello"

    chat = ChatFlowise(
        chatflow_id=conversation_chatflow.id, system_message_key="systemMessagePrompt", **connection
    )
    chat.invoke(messages)
    overridden = flowise_model.chat_requests()[-1]["messages"]
    assert overridden[0] == {"role": "system", "content": "You are a pirate."}
    assert overridden[-1]["content"] == "hello"


def test_temperature_and_max_tokens_reach_the_model_where_the_flow_allows(
    connection: dict[str, Any],
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    flowise_model: ModelStandIn,
) -> None:
    created = flows.create_conversation_chatflow(flowise_client, model_base_url=flowise_stack.model_base_url)
    try:
        chat = ChatFlowise(chatflow_id=created.id, temperature=0.7, max_tokens=5, **connection)
        flowise_model.reset()
        chat.invoke("settings check")
        locked = flowise_model.chat_requests()[-1]
        assert (locked["temperature"], "max_tokens" in locked) == (0, False)  # not enabled: ignored
        allowed = [("Temperature", "temperature", "number"), ("Max Tokens", "maxTokens", "number")]
        flowise_client.chatflows.update(
            created.id, api_config=flows.override_config_enabled("OpenAI", allowed)
        )
        chat.invoke("settings check")
        applied = flowise_model.chat_requests()[-1]
        assert (applied["temperature"], applied["max_tokens"]) == (0.7, 5)
    finally:
        flowise_client.chatflows.delete(created.id)


def test_agentflow_usage_reaches_usage_metadata(connection: dict[str, Any], llm_agentflow: Chatflow) -> None:
    chat = ChatFlowise(chatflow_id=llm_agentflow.id, **connection)
    full: AIMessageChunk | None = None
    for chunk in chat.stream("count my tokens"):
        full = chunk if full is None else full + chunk
    assert full is not None
    assert full.content == "FAKE: count my tokens"
    assert full.usage_metadata is not None
    assert full.usage_metadata["output_tokens"] == 4  # the stand-in counts words
    assert full.usage_metadata["total_tokens"] == (
        full.usage_metadata["input_tokens"] + full.usage_metadata["output_tokens"]
    )


def test_a_flow_flowise_cannot_stream_still_streams_one_chunk(
    connection: dict[str, Any], custom_function_chatflow: Chatflow
) -> None:
    chat = ChatFlowise(chatflow_id=custom_function_chatflow.id, **connection)
    chunks = list(chat.stream("json only"))
    assert [c.content for c in chunks] == ["Echo: json only", ""]
    assert chunks[-1].response_metadata["chat_message_id"]


def test_unknown_chatflow_raises_the_clients_error(connection: dict[str, Any]) -> None:
    chat = ChatFlowise(chatflow_id=str(uuid.uuid4()), **connection)
    with pytest.raises(NotFoundError):
        chat.invoke("hello")


def test_llm_invoke_and_stream(connection: dict[str, Any], conversation_chatflow: Chatflow) -> None:
    llm = FlowiseLLM(chatflow_id=conversation_chatflow.id, **connection)
    assert llm.invoke("plain text in") == "FAKE: plain text in"
    assert list(llm.stream("plain text out")) == ["FAKE:", " plain", " text", " out"]


# -- runnable: whole predictions, events, batches


class _CountingTransport(httpx.BaseTransport):
    """Forwards to the network; every ``group`` predictions wait until all are in flight together."""

    def __init__(self, group: int) -> None:
        self._inner = httpx.HTTPTransport()
        self._lock = threading.Lock()
        self._barrier = threading.Barrier(group, timeout=60)
        self.current = 0
        self.peak = 0
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/prediction/" not in request.url.path:
            return self._inner.handle_request(request)
        with self._lock:
            self.current += 1
            self.count += 1
            self.peak = max(self.peak, self.current)
        try:
            self._barrier.wait()
            response = self._inner.handle_request(request)
            response.read()
            return response
        finally:
            with self._lock:
                self.current -= 1

    def close(self) -> None:
        self._inner.close()


def test_batch_of_twenty_with_at_most_five_in_flight(
    flowise_stack: LocalStack, echo_agentflow: Chatflow
) -> None:
    transport = _CountingTransport(group=5)
    http = httpx.Client(transport=transport)
    with Flowise(flowise_stack.base_url, api_key=flowise_stack.api_key, http_client=http) as client, http:
        flow = FlowiseRunnable(chatflow_id=echo_agentflow.id, client=client)
        questions = [f"question {i}" for i in range(20)]
        predictions = flow.batch(questions, config={"max_concurrency": 5})
    assert [p.text for p in predictions] == [f"Echo: {q}" for q in questions]
    assert transport.count == 20
    assert transport.peak == 5


async def test_runnable_streams_typed_events_and_astream_events(
    connection: dict[str, Any], retrieval_chatflow: Chatflow
) -> None:
    flow = FlowiseRunnable(chatflow_id=retrieval_chatflow.id, **connection)
    prediction = flow.invoke({"question": "Why is the sky blue?"})
    assert prediction.source_documents[0].metadata["source"] == "sky.txt"
    events = [e async for e in flow.astream("Why is the sky blue?")]
    assert isinstance(events[-1], ev.EndEvent)
    sources = next(e for e in events if isinstance(e, ev.SourceDocumentsEvent))
    assert sources.data[0].metadata["source"] == "sky.txt"
    assert "".join(e.data for e in events if isinstance(e, ev.TokenEvent)) == prediction.text
    kinds = [e["event"] async for e in flow.astream_events("Why is the sky blue?", version="v2")]
    assert kinds[0] == "on_chain_start"
    assert kinds[-1] == "on_chain_end"
    assert kinds.count("on_chain_stream") > 3


# -- retrieval


def test_retriever_in_a_rag_chain(
    connection: dict[str, Any],
    document_store: str,
    conversation_chatflow: Chatflow,
    flowise_model: ModelStandIn,
) -> None:
    flowise_model.reset()
    retriever = FlowiseRetriever(store_id=document_store, k=2, **connection)
    docs = retriever.invoke("Why is the sky blue?")
    assert next(d.metadata["source"] for d in docs) == "sky.txt"
    assert docs[0].metadata["store_id"] == document_store
    assert docs[0].metadata["chunk_id"] == docs[0].id

    def join_pages(found: list[Document]) -> str:
        return "\n".join(d.page_content for d in found)

    rag = (
        {"context": retriever | join_pages, "question": RunnablePassthrough()}
        | ChatPromptTemplate.from_messages([("human", "Context: {context}\nQuestion: {question}")])
        | ChatFlowise(chatflow_id=conversation_chatflow.id, **connection)
        | StrOutputParser()
    )
    answer = rag.invoke("Why is the sky blue?")
    assert "Rayleigh scattering" in answer
    prompt_seen = _user_texts(flowise_model.chat_requests()[-1])[-1]
    assert prompt_seen.startswith("Context: The sky looks blue because of Rayleigh scattering")


async def test_retriever_async_honours_k(connection: dict[str, Any], document_store: str) -> None:
    retriever = FlowiseRetriever(store_id=document_store, **connection)
    docs = await retriever.ainvoke("How do plants make glucose from sunlight?", k=1)
    assert [d.metadata["source"] for d in docs] == ["photosynthesis.txt"]


# -- tools


def test_toolkit_builds_tools_from_real_flows_and_runs_them(
    connection: dict[str, Any], echo_agentflow: Chatflow, form_agentflow: Chatflow, add_tool: Tool
) -> None:
    toolkit = FlowiseToolkit(include_ids=[echo_agentflow.id, form_agentflow.id, add_tool.id], **connection)
    tools = {tool.name: tool for tool in toolkit.get_tools()}
    assert set(tools) == {
        re.sub(r"[^a-zA-Z0-9_-]+", "_", echo_agentflow.name),
        "LC_Trip_planner",
        "lc_add_numbers",
    }
    echo = tools[re.sub(r"[^a-zA-Z0-9_-]+", "_", echo_agentflow.name)]
    assert echo.invoke({"question": "ping"}) == "Echo: ping"
    trip = tools["LC_Trip_planner"]
    assert isinstance(trip, FlowiseChatflowTool)
    assert trip.form_input
    assert trip.invoke({"city": "Paris", "days": 3}) == "Trip to Paris for 3 days"
    assert tools["lc_add_numbers"].invoke({"a": 2, "b": 40}) == "42"
    only_tools = FlowiseToolkit(kinds=["custom_tool"], name_pattern="^lc add", **connection).get_tools()
    assert [t.name for t in only_tools] == ["lc_add_numbers"]


async def test_toolkit_async_and_flow_tool_artifact(
    connection: dict[str, Any], echo_agentflow: Chatflow
) -> None:
    tools = await FlowiseToolkit(include_ids=[echo_agentflow.id], **connection).aget_tools()
    [tool] = tools
    message = await tool.ainvoke(
        {"name": tool.name, "args": {"question": "artifact"}, "id": "call-1", "type": "tool_call"}
    )
    assert message.content == "Echo: artifact"
    assert message.artifact.chat_id


def test_custom_tool_executes_on_the_server(connection: dict[str, Any], add_tool: Tool) -> None:
    tool = FlowiseCustomTool.from_tool(add_tool, **connection)
    assert tool.name == "lc_add_numbers"
    assert tool.invoke({"a": 1, "b": 2}) == "3"
    schema = tool.tool_call_schema.model_json_schema()  # type: ignore[union-attr]
    assert schema["properties"]["a"] == {"description": "First number", "title": "A", "type": "number"}
    assert schema["required"] == ["a", "b"]


async def test_custom_tool_async(connection: dict[str, Any], add_tool: Tool) -> None:
    tool = FlowiseCustomTool.from_tool(add_tool, **connection)
    assert await tool.ainvoke({"a": 10, "b": 5}) == "15"


# -- the README example


def test_readme_example_runs(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    flowise_stack: LocalStack,
    conversation_chatflow: Chatflow,
    document_store: str,
    form_agentflow: Chatflow,
    add_tool: Tool,
) -> None:
    section = README.read_text().split("\n## LangChain\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python", 1)[1].split("```", 1)[0]
    code = code.replace('"<chatflow-id>"', repr(conversation_chatflow.id))
    code = code.replace('"<document-store-id>"', repr(document_store))
    monkeypatch.setenv("FLOWISE_BASE_URL", flowise_stack.base_url)
    monkeypatch.setenv("FLOWISE_API_KEY", flowise_stack.api_key)
    exec(compile(code, str(README), "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "FAKE: Why is the sky blue?"
    assert lines[1] == "FAKE: Explain photosynthesis in one line."
    assert "FAKE: Context: The sky looks blue because of Rayleigh scattering" in out
    assert "['sky.txt', " in out
    assert "'LC_Trip_planner'" in lines[-1]
    assert "'lc_add_numbers'" in lines[-1]
