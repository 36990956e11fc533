"""FlowiseQueryEngine against a real Flowise: RAG sources, streaming, sessions and the base-class
contracts (QueryEngineTool, RouterQueryEngine with a selector driven by FlowiseLLM)."""

from __future__ import annotations

import pytest
from llama_index.core.base.response.schema import AsyncStreamingResponse, Response, StreamingResponse
from llama_index.core.query_engine import RouterQueryEngine
from llama_index.core.selectors import LLMSingleSelector
from llama_index.core.tools import QueryEngineTool

from flowise_integrations import AsyncFlowise, Flowise, NotFoundError
from flowise_integrations.llama_index import FlowiseLLM, FlowiseQueryEngine
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.integration

SKY_QUESTION = "Why is the sky blue?"


def test_rag_query_returns_the_sky_source(flowise_client: Flowise, retrieval_chatflow: Chatflow) -> None:
    engine = FlowiseQueryEngine(retrieval_chatflow.id, client=flowise_client)

    response = engine.query(SKY_QUESTION)

    assert isinstance(response, Response)
    assert response.response == f"FAKE: {SKY_QUESTION}"
    top = response.source_nodes[0]
    assert top.node.metadata["source"] == "sky.txt"
    assert "Rayleigh scattering" in top.node.get_content()
    assert top.score is None
    assert len({n.node.node_id for n in response.source_nodes}) == len(response.source_nodes)
    assert response.metadata is not None
    assert response.metadata["chatflow_id"] == retrieval_chatflow.id
    assert response.metadata["chat_message_id"]
    stored = flowise_client.chat_messages.list(retrieval_chatflow.id, chat_id=response.metadata["chat_id"])
    assert [m.id for m in stored if m.role == "apiMessage"] == [response.metadata["chat_message_id"]]


async def test_aquery_returns_the_sky_source(
    async_flowise_client: AsyncFlowise, retrieval_chatflow: Chatflow
) -> None:
    engine = FlowiseQueryEngine(retrieval_chatflow.id, async_client=async_flowise_client)

    response = await engine.aquery(SKY_QUESTION)

    assert isinstance(response, Response)
    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"


def test_streaming_query_fills_sources_after_the_stream(
    flowise_client: Flowise, retrieval_chatflow: Chatflow
) -> None:
    engine = FlowiseQueryEngine(retrieval_chatflow.id, client=flowise_client, streaming=True)

    response = engine.query(SKY_QUESTION)

    assert isinstance(response, StreamingResponse)
    tokens = list(response.response_gen)
    assert len(tokens) > 1
    assert "".join(tokens) == f"FAKE: {SKY_QUESTION}"
    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"
    assert response.metadata is not None
    assert response.metadata["chat_message_id"]


async def test_async_streaming_query(
    async_flowise_client: AsyncFlowise, retrieval_chatflow: Chatflow
) -> None:
    engine = FlowiseQueryEngine(retrieval_chatflow.id, async_client=async_flowise_client, streaming=True)

    response = await engine.aquery(SKY_QUESTION)

    assert isinstance(response, AsyncStreamingResponse)
    assert "".join([t async for t in response.async_response_gen()]) == f"FAKE: {SKY_QUESTION}"
    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"


def test_agentflow_query(flowise_client: Flowise, echo_agentflow: Chatflow) -> None:
    response = FlowiseQueryEngine(echo_agentflow.id, client=flowise_client).query("hello agentflow")

    assert isinstance(response, Response)
    assert response.response == "Echo: hello agentflow"
    assert response.source_nodes == []
    assert response.metadata is not None
    assert response.metadata["execution_id"]


def test_session_id_keeps_queries_in_one_session(
    flowise_client: Flowise, conversation_chatflow: Chatflow
) -> None:
    engine = FlowiseQueryEngine(conversation_chatflow.id, client=flowise_client, session_id="li-qe-session-1")

    engine.query("first")
    second = engine.query("second")

    assert isinstance(second, Response)
    assert second.metadata is not None
    assert second.metadata["session_id"] == "li-qe-session-1"
    stored = flowise_client.chat_messages.list(conversation_chatflow.id, session_id="li-qe-session-1")
    assert [m.content for m in stored if m.role == "userMessage"] == ["first", "second"]


def test_unknown_chatflow_raises_the_client_error(flowise_client: Flowise) -> None:
    engine = FlowiseQueryEngine("00000000-0000-4000-8000-000000000000", client=flowise_client)

    with pytest.raises(NotFoundError):
        engine.query("q")


def test_query_engine_tool_wraps_the_engine(flowise_client: Flowise, retrieval_chatflow: Chatflow) -> None:
    engine = FlowiseQueryEngine(retrieval_chatflow.id, client=flowise_client)
    tool = QueryEngineTool.from_defaults(
        engine, name="sky_facts", description="Answers questions about the sky."
    )

    output = tool.call(SKY_QUESTION)

    assert output.content == f"FAKE: {SKY_QUESTION}"
    assert isinstance(output.raw_output, Response)
    assert output.raw_output.source_nodes[0].node.metadata["source"] == "sky.txt"


def _router(llm: FlowiseLLM, echo: FlowiseQueryEngine, rag: FlowiseQueryEngine) -> RouterQueryEngine:
    tools = [
        QueryEngineTool.from_defaults(echo, name="echo", description="Repeats any message back unchanged."),
        QueryEngineTool.from_defaults(
            rag, name="science", description="Answers science questions about the sky."
        ),
    ]
    return RouterQueryEngine(
        selector=LLMSingleSelector.from_defaults(llm=llm), query_engine_tools=tools, llm=llm
    )


def test_router_query_engine_selects_with_flowise_llm(
    flowise_client: Flowise,
    flowise_model: ModelStandIn,
    conversation_chatflow: Chatflow,
    echo_agentflow: Chatflow,
    retrieval_chatflow: Chatflow,
) -> None:
    llm = FlowiseLLM(conversation_chatflow.id, client=flowise_client)
    router = _router(
        llm,
        FlowiseQueryEngine(echo_agentflow.id, client=flowise_client),
        FlowiseQueryEngine(retrieval_chatflow.id, client=flowise_client),
    )
    seen = len(flowise_model.chat_requests())
    flowise_model.script('[{"choice": 2, "reason": "It is a question about the sky."}]')

    response = router.query(SKY_QUESTION)

    assert isinstance(response, Response)
    assert response.metadata is not None
    assert response.metadata["selector_result"].ind == 1
    assert response.response == f"FAKE: {SKY_QUESTION}"
    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"
    selector_request, rag_request = flowise_model.chat_requests()[seen:]
    selector_prompt = selector_request["messages"][-1]["content"]
    assert "Repeats any message back unchanged." in selector_prompt
    assert "Answers science questions about the sky." in selector_prompt
    assert SKY_QUESTION in selector_prompt
    assert "Rayleigh scattering" in str(rag_request["messages"])


async def test_router_query_engine_async_selects_the_other_engine(
    flowise_client: Flowise,
    async_flowise_client: AsyncFlowise,
    flowise_model: ModelStandIn,
    conversation_chatflow: Chatflow,
    echo_agentflow: Chatflow,
    retrieval_chatflow: Chatflow,
) -> None:
    def engine(flow: Chatflow) -> FlowiseQueryEngine:
        return FlowiseQueryEngine(flow.id, client=flowise_client, async_client=async_flowise_client)

    llm = FlowiseLLM(conversation_chatflow.id, client=flowise_client, async_client=async_flowise_client)
    router = _router(llm, engine(echo_agentflow), engine(retrieval_chatflow))
    flowise_model.script('[{"choice": 1, "reason": "The user wants an echo."}]')

    response = await router.aquery("ping me back")

    assert isinstance(response, Response)
    assert response.response == "Echo: ping me back"
    assert response.metadata is not None
    assert response.metadata["selector_result"].ind == 0
