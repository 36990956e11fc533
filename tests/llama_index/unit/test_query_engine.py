"""FlowiseQueryEngine on a mock transport: responses, sources, streaming, errors, base contracts."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import AsyncStreamingResponse, Response, StreamingResponse
from llama_index.core.tools import QueryEngineTool

from flowise_integrations import AsyncFlowise, Flowise, NotFoundError, StreamError
from flowise_integrations.llama_index import FlowiseQueryEngine
from tests.unit.mock_clients import sse
from tests.unit.mock_flowise import MockFlowise

from .conftest import FLOW, PREDICTION, SKY, VOLCANO, prediction_body, token_events


def engine(
    client: Flowise | None = None, async_client: AsyncFlowise | None = None, **kwargs: Any
) -> FlowiseQueryEngine:
    return FlowiseQueryEngine(FLOW, client=client, async_client=async_client, **kwargs)


def test_is_a_base_query_engine_without_prompts(client: Flowise) -> None:
    qe = engine(client)
    assert isinstance(qe, BaseQueryEngine)
    assert qe._get_prompt_modules() == {}
    assert qe.get_prompts() == {}


def test_query_returns_response_with_source_nodes(client: Flowise, server: MockFlowise) -> None:
    body = prediction_body(
        sourceDocuments=[SKY, VOLCANO],
        usedTools=[{"tool": "search", "toolInput": {"q": "sky"}, "toolOutput": "blue"}],
    )
    server.json("POST", PREDICTION, body)

    response = engine(client).query("Why is the sky blue?")

    assert isinstance(response, Response)
    assert response.response == "FAKE: Why is the sky blue?"
    assert [n.node.node_id for n in response.source_nodes] == [SKY["id"], VOLCANO["id"]]
    assert response.source_nodes[0].node.get_content() == SKY["pageContent"]
    assert response.source_nodes[0].node.metadata == SKY["metadata"]
    assert all(n.score is None for n in response.source_nodes)
    assert response.metadata is not None
    assert response.metadata["chat_id"] == "chat-1"
    assert response.metadata["session_id"] == "chat-1"
    assert response.metadata["chat_message_id"] == "msg-1"
    assert response.metadata["chatflow_id"] == FLOW
    assert response.metadata["used_tools"][0]["tool"] == "search"
    assert server.last_json() == {"question": "Why is the sky blue?"}


def test_source_nodes_from_agentflow_executed_data(client: Flowise, server: MockFlowise) -> None:
    body = prediction_body(
        text="Echo",
        agentFlowExecutedData=[
            {"nodeId": "startAgentflow_0", "data": {"output": {}}},
            {
                "nodeId": "retrieverAgentflow_0",
                "data": {
                    "output": {"sourceDocuments": [{"pageContent": "chunk", "metadata": {"source": "a"}}]}
                },
            },
        ],
        executionId="exec-1",
    )
    server.json("POST", PREDICTION, body)

    response = engine(client).query("q")

    assert isinstance(response, Response)
    assert [n.node.get_content() for n in response.source_nodes] == ["chunk"]
    assert response.source_nodes[0].node.metadata == {"source": "a"}
    assert response.metadata is not None
    assert response.metadata["execution_id"] == "exec-1"


def test_source_without_id_gets_a_stable_id(client: Flowise, server: MockFlowise) -> None:
    doc = {"pageContent": "same text", "metadata": {"source": "s.txt"}}
    server.json("POST", PREDICTION, prediction_body(sourceDocuments=[doc]))
    qe = engine(client)

    first = qe.query("q")
    second = qe.query("q")

    assert isinstance(first, Response)
    assert isinstance(second, Response)
    assert first.source_nodes[0].node.node_id == second.source_nodes[0].node.node_id


def test_session_and_override_config_are_sent(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())

    engine(client, session_id="s-42", override_config={"systemMessagePrompt": "Be brief"}).query("hi")

    assert server.last_json() == {
        "question": "hi",
        "overrideConfig": {"systemMessagePrompt": "Be brief", "sessionId": "s-42"},
    }


async def test_aquery_uses_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", PREDICTION, prediction_body(sourceDocuments=[SKY]))

    response = await engine(refusing_client, async_client).aquery("Why is the sky blue?")

    assert isinstance(response, Response)
    assert response.response == "FAKE: Why is the sky blue?"
    assert response.source_nodes[0].node.metadata["source"] == "sky.txt"


def test_streaming_fills_sources_when_the_stream_ends(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, sse(*token_events("FAKE:", " sky", " blue", sources=[SKY])))

    response = engine(client, streaming=True).query("Why is the sky blue?")

    assert isinstance(response, StreamingResponse)
    assert response.source_nodes == []
    assert json.loads(server.last.content)["streaming"] is True
    assert list(response.response_gen) == ["FAKE:", " sky", " blue"]
    assert [n.node.node_id for n in response.source_nodes] == [SKY["id"]]
    assert response.metadata is not None
    assert response.metadata["chat_id"] == "chat-s"


async def test_async_streaming(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", PREDICTION, sse(*token_events("FAKE:", " async", sources=[VOLCANO])))

    response = await engine(refusing_client, async_client, streaming=True).aquery("q")

    assert isinstance(response, AsyncStreamingResponse)
    assert [token async for token in response.async_response_gen()] == ["FAKE:", " async"]
    assert response.response_txt == "FAKE: async"
    assert [n.node.metadata["source"] for n in response.source_nodes] == ["volcano.txt"]


def test_http_errors_raise_from_query_unchanged(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", PREDICTION, httpx.Response(404, json={"message": f"Chatflow {FLOW} not found"}))

    with pytest.raises(NotFoundError):
        engine(client).query("q")
    with pytest.raises(NotFoundError):
        engine(client, streaming=True).query("q")


def test_stream_error_raises_from_the_generator(client: Flowise, server: MockFlowise) -> None:
    server.add(
        "POST",
        PREDICTION,
        sse({"event": "token", "data": "partial"}, {"event": "error", "data": "model exploded"}),
    )
    response = engine(client, streaming=True).query("q")
    assert isinstance(response, StreamingResponse)

    with pytest.raises(StreamError) as caught:
        list(response.response_gen)
    assert caught.value.partial_text == "partial"


def test_query_engine_tool_wraps_it(client: Flowise, async_client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="Rayleigh", sourceDocuments=[SKY]))
    tool = QueryEngineTool.from_defaults(engine(client, async_client), name="sky", description="Sky facts")

    output = tool.call("Why is the sky blue?")

    assert output.content == "Rayleigh"
    assert isinstance(output.raw_output, Response)
    assert output.raw_output.source_nodes[0].node.node_id == SKY["id"]
    assert tool.metadata.name == "sky"


async def test_query_engine_tool_acall(async_client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="async answer"))
    tool = QueryEngineTool.from_defaults(engine(async_client=async_client), name="flow", description="d")

    output = await tool.acall(input="q")

    assert output.content == "async answer"
    assert server.last_json()["question"] == "q"


def test_repr_never_shows_the_key() -> None:
    qe = FlowiseQueryEngine(FLOW, api_key="super-secret-key")
    assert "super-secret-key" not in repr(qe)
    assert "super-secret-key" not in repr(qe.connection)
    assert FLOW in repr(qe)


def test_chatflow_id_is_required() -> None:
    with pytest.raises(ValueError, match="chatflow_id"):
        FlowiseQueryEngine("")
