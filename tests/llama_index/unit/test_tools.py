"""FlowiseToolSpec and the tool factories on a mock transport."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from llama_index.core.bridge.pydantic import ValidationError
from llama_index.core.tools import FunctionTool
from llama_index.core.tools.tool_spec.base import BaseToolSpec

from flowise_integrations import AsyncFlowise, Flowise, InternalServerError
from flowise_integrations.llama_index import (
    FlowiseToolSpec,
    atools_from_server,
    chatflow_tool,
    custom_tool,
    tools_from_server,
)
from flowise_integrations.types import Chatflow, Tool
from tests.unit.mock_flowise import MockFlowise

from .conftest import FLOW, PREDICTION, STORE, prediction_body

ECHO_ID = "bc16c0d8-3bc5-4aa5-973b-7fe1d5412e01"
FORM_ID = "0e0e0e0e-1111-4222-8333-444455556666"
TOOL_ID = "9d9d9d9d-aaaa-4bbb-8ccc-dddddddddddd"


def chatflow(
    flow_id: str, name: str, flow_type: str, nodes: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "id": flow_id,
        "name": name,
        "type": flow_type,
        "flowData": json.dumps({"nodes": nodes or [], "edges": []}),
        "deployed": False,
        "category": None,
    }


FORM_NODES = [
    {
        "id": "startAgentflow_0",
        "data": {
            "name": "startAgentflow",
            "inputs": {
                "startInputType": "formInput",
                "formInputTypes": [
                    {"type": "string", "label": "City name", "name": "city"},
                    {
                        "type": "options",
                        "label": "Speed",
                        "name": "speed",
                        "addOptions": [{"name": "fast"}, {"name": "slow"}],
                    },
                ],
            },
        },
    }
]
CHATFLOWS = {
    "CHATFLOW": [chatflow(FLOW, "Sky Q&A", "CHATFLOW")],
    "AGENTFLOW": [
        chatflow(ECHO_ID, "echo agent", "AGENTFLOW"),
        chatflow(FORM_ID, "weather form", "AGENTFLOW", FORM_NODES),
    ],
    "MULTIAGENT": [],
    "ASSISTANT": [],
}
TOOL = {
    "id": TOOL_ID,
    "name": "adder tool",
    "description": "Adds two numbers.",
    "color": "#4f46e5",
    "schema": json.dumps(
        [
            {"id": 1, "property": "a", "type": "number", "description": "first", "required": True},
            {"id": 2, "property": "b", "type": "number", "description": "second", "required": True},
            {"id": 3, "property": "label", "type": "string", "description": "label", "required": False},
        ]
    ),
    "func": "return ($label || 'sum') + '=' + ($a + $b);",
}


def chatflows_by_type(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=CHATFLOWS[request.url.params["type"]])


@pytest.fixture
def spec(client: Flowise, async_client: AsyncFlowise) -> FlowiseToolSpec:
    return FlowiseToolSpec(chatflow_id=FLOW, store_id=STORE, client=client, async_client=async_client)


# ------------------------------------------------------------------------------------------ spec


def test_spec_tools_have_sync_and_async_implementations(spec: FlowiseToolSpec) -> None:
    tools = spec.to_tool_list()

    assert isinstance(spec, BaseToolSpec)
    assert [t.metadata.name for t in tools] == [
        "predict",
        "list_chatflows",
        "query_document_store",
        "upsert_text",
        "list_variables",
        "get_variable",
    ]
    for tool, (sync_name, async_name) in zip(tools, FlowiseToolSpec.spec_functions, strict=True):
        assert tool.fn == getattr(spec, sync_name)  # type: ignore[misc]
        assert tool.async_fn == getattr(spec, async_name)  # type: ignore[misc]
    predict = tools[0].metadata
    assert predict.fn_schema is not None
    schema = predict.get_parameters_dict()
    assert schema["required"] == ["question"]
    assert schema["properties"]["question"]["description"] == "The message to send to the flow."


def test_predict_runs_the_default_or_given_flow(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="answer"))
    server.json("POST", f"prediction/{ECHO_ID}", prediction_body(text="Echo: hi"))
    predict = spec.to_tool_list(["predict"])[0]

    assert predict.call(question="q").content == "answer"
    assert predict.call(question="hi", chatflow_id=ECHO_ID, session_id="s-1").content == "Echo: hi"
    assert server.last_json() == {"question": "hi", "overrideConfig": {"sessionId": "s-1"}}


async def test_apredict(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body(text="async answer"))
    predict = spec.to_tool_list([("predict", "apredict")])[0]

    assert (await predict.acall(question="q")).content == "async answer"


def test_predict_without_a_flow_is_an_error(client: Flowise) -> None:
    with pytest.raises(ValueError, match="chatflow_id"):
        FlowiseToolSpec(client=client).predict("q")


def test_list_chatflows(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.add("GET", "chatflows", chatflows_by_type)

    flows = spec.list_chatflows(kind="agentflow")

    assert [(f["id"], f["name"], f["type"]) for f in flows] == [
        (ECHO_ID, "echo agent", "AGENTFLOW"),
        (FORM_ID, "weather form", "AGENTFLOW"),
    ]
    assert server.last.url.params["type"] == "AGENTFLOW"


async def test_alist_chatflows_all_kinds(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("GET", "chatflows", CHATFLOWS["CHATFLOW"] + CHATFLOWS["AGENTFLOW"])

    flows = await spec.alist_chatflows()

    assert len(flows) == 3
    assert "type" not in server.last.url.params


def test_query_document_store(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    docs = [{"pageContent": "Rayleigh", "metadata": {"source": "sky.txt"}, "id": "chunk-1", "chunkNo": 1}]
    server.json("POST", "document-store/vectorstore/query", {"timeTaken": 3, "docs": docs})

    hits = spec.query_document_store("sky", top_k=1)

    assert hits == [{"id": "chunk-1", "content": "Rayleigh", "metadata": {"source": "sky.txt"}}]
    assert server.last_json() == {"storeId": STORE, "query": "sky", "inputs": {"topK": 1}}


async def test_aquery_document_store_uses_the_default_top_k(
    spec: FlowiseToolSpec, server: MockFlowise
) -> None:
    server.json("POST", "document-store/vectorstore/query", {"docs": []})

    assert await spec.aquery_document_store("sky") == []
    assert server.last_json()["inputs"] == {"topK": 4}


STORE_BODY = {
    "id": STORE,
    "name": "corpus",
    "status": "UPSERTED",
    "loaders": [{"id": "loader-1", "loaderId": "plainText", "loaderName": "Plain Text"}],
    "whereUsed": [],
}
UPSERTED = {
    "numAdded": 1,
    "numDeleted": 0,
    "numUpdated": 0,
    "numSkipped": 0,
    "totalKeys": 1,
    "addedDocs": [],
    "docId": "loader-new",
}


def test_upsert_text_reuses_the_stores_first_loader(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("GET", f"document-store/store/{STORE}", STORE_BODY)
    server.json("POST", f"document-store/upsert/{STORE}", UPSERTED)

    result = spec.upsert_text("Glaciers carve valleys.", metadata={"source": "glacier.txt"})

    assert result == {
        "store_id": STORE,
        "doc_id": "loader-new",
        "num_added": 1,
        "num_updated": 0,
        "num_skipped": 0,
    }
    assert server.last_json() == {
        "docId": "loader-1",
        "loader": {
            "name": "plainText",
            "config": {"text": "Glaciers carve valleys.", "metadata": json.dumps({"source": "glacier.txt"})},
        },
    }


async def test_aupsert_text_with_an_explicit_doc_id(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("POST", f"document-store/upsert/{STORE}", UPSERTED)

    await spec.aupsert_text("text", doc_id="loader-9")

    assert [call.method for call in server.calls] == ["POST"]
    body = server.last_json()
    assert body["docId"] == "loader-9"
    assert body["loader"]["config"]["metadata"] == "{}"


def test_upsert_text_with_explicit_components(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", f"document-store/upsert/{STORE}", UPSERTED)
    components = {
        "upsert_embedding": {"name": "localAIEmbeddings", "config": {"basePath": "http://m/v1"}},
        "upsert_vector_store": {"name": "chroma", "config": {"collectionName": "c"}},
        "upsert_splitter": {
            "name": "recursiveCharacterTextSplitter",
            "config": {"chunkSize": 500, "chunkOverlap": 20},
        },
    }
    spec = FlowiseToolSpec(store_id=STORE, client=client, **components)  # type: ignore[arg-type]

    spec.upsert_text("text")

    body = server.last_json()
    assert "docId" not in body
    assert body["embedding"]["name"] == "localAIEmbeddings"
    assert body["vectorStore"] == {"name": "chroma", "config": {"collectionName": "c"}}
    assert body["splitter"]["config"]["chunkOverlap"] == 20


def test_upsert_text_into_a_store_without_loaders_needs_components(
    spec: FlowiseToolSpec, server: MockFlowise
) -> None:
    server.json("GET", f"document-store/store/{STORE}", {**STORE_BODY, "loaders": []})

    with pytest.raises(ValueError, match="upsert_embedding"):
        spec.upsert_text("text")


def test_variables(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    variables = [
        {"id": "v1", "name": "region", "value": "eu-west", "type": "static"},
        {"id": "v2", "name": "HOME", "value": "", "type": "runtime"},
    ]
    server.json("GET", "variables", variables)

    assert spec.list_variables() == [
        {"name": "region", "value": "eu-west", "type": "static"},
        {"name": "HOME", "value": "", "type": "runtime"},
    ]
    assert spec.get_variable("region") == "eu-west"
    assert spec.get_variable("missing") is None


async def test_async_variables(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.json("GET", "variables", [{"id": "v1", "name": "region", "value": "eu-west", "type": "static"}])

    assert await spec.alist_variables() == [{"name": "region", "value": "eu-west", "type": "static"}]
    assert await spec.aget_variable("region") == "eu-west"


def test_spec_errors_are_raised_unchanged(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.add(
        "POST",
        PREDICTION,
        httpx.Response(500, json={"message": "Error: predictionsServices.buildChatflow - boom"}),
    )

    with pytest.raises(InternalServerError):
        spec.predict("q")


# ------------------------------------------------------------------------------------- factories


def test_chatflow_tool_from_a_chatflow(
    client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    flow = Chatflow.model_validate(CHATFLOWS["AGENTFLOW"][0])
    server.json("POST", f"prediction/{ECHO_ID}", prediction_body(text="Echo: hello"))

    tool = chatflow_tool(flow, client=client, async_client=async_client, session_id="s-5")

    assert isinstance(tool, FunctionTool)
    assert tool.metadata.name == "echo_agent"
    assert (
        tool.metadata.description
        == "Runs the Flowise agentflow 'echo agent' on a question and returns its answer."
    )
    assert tool.metadata.get_parameters_dict()["required"] == ["question"]
    output = tool.call(question="hello")
    assert output.content == "Echo: hello"
    assert server.last_json() == {"question": "hello", "overrideConfig": {"sessionId": "s-5"}}


async def test_chatflow_tool_by_id_and_async_call(
    client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("GET", f"chatflows/{FLOW}", CHATFLOWS["CHATFLOW"][0])
    server.json("POST", PREDICTION, prediction_body(text="sky answer"))

    tool = chatflow_tool(FLOW, client=client, async_client=async_client, name="sky", description="Sky facts.")

    assert (tool.metadata.name, tool.metadata.description) == ("sky", "Sky facts.")
    assert (await tool.acall(question="why blue?")).content == "sky answer"


def test_form_agentflow_tool_sends_form_fields(client: Flowise, server: MockFlowise) -> None:
    flow = Chatflow.model_validate(CHATFLOWS["AGENTFLOW"][1])
    server.json("POST", f"prediction/{FORM_ID}", prediction_body(text="sunny"))

    tool = chatflow_tool(flow, client=client)
    schema = tool.metadata.get_parameters_dict()

    assert schema["properties"]["speed"]["enum"] == ["fast", "slow"]
    assert sorted(schema["required"]) == ["city", "speed"]
    assert tool.call(city="Paris", speed="fast").content == "sunny"
    assert server.last_json() == {"form": {"city": "Paris", "speed": "fast"}}
    with pytest.raises(ValidationError):
        tool.call(city="Paris", speed="warp")


def test_custom_tool_runs_server_side(
    client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "node-custom-function", httpx.Response(200, json="sum=5"))

    tool = custom_tool(Tool.model_validate(TOOL), client=client, async_client=async_client)

    assert tool.metadata.name == "adder_tool"
    assert tool.metadata.description == "Adds two numbers."
    params = tool.metadata.get_parameters_dict()
    assert params["required"] == ["a", "b"]
    assert params["properties"]["a"]["type"] == "number"
    assert tool.call(a=2, b="3").content == "sum=5"
    assert server.last_json() == {
        "javascriptFunction": TOOL["func"],
        "functionInputVariables": {"a": 2.0, "b": 3.0, "label": None},
    }


async def test_custom_tool_by_id_async_and_json_results(
    client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("GET", f"tools/{TOOL_ID}", TOOL)
    server.add("POST", "node-custom-function", httpx.Response(200, json={"sum": 5}))

    tool = custom_tool(TOOL_ID, client=client, async_client=async_client)
    output = await tool.acall(a=2, b=3, label="x")

    assert output.content == '{"sum": 5}'
    assert server.last_json()["functionInputVariables"] == {"a": 2.0, "b": 3.0, "label": "x"}


def test_custom_tool_errors_are_raised_unchanged(client: Flowise, server: MockFlowise) -> None:
    body = {"message": "Error: nodesService.executeCustomFunction - Error running custom function: boom"}
    server.add("POST", "node-custom-function", httpx.Response(500, json=body))

    with pytest.raises(InternalServerError):
        custom_tool(Tool.model_validate(TOOL), client=client).call(a=1, b=2)


def test_tools_from_server_filters_like_the_toolkit(client: Flowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows", chatflows_by_type)
    server.json("GET", "tools", [TOOL])

    every = tools_from_server(client=client)
    assert [t.metadata.name for t in every] == ["echo_agent", "weather_form", "Sky_Q_A", "adder_tool"]

    chosen = tools_from_server(client=client, name_pattern="^(echo|adder)", exclude_ids=[TOOL_ID])
    assert [t.metadata.name for t in chosen] == ["echo_agent"]

    sent = len(server.calls)
    only_tools = tools_from_server(client=client, kinds=["custom_tool"])
    assert [t.metadata.name for t in only_tools] == ["adder_tool"]
    assert [call.url.path for call in server.calls[sent:]] == ["/api/v1/tools"]


async def test_atools_from_server_uses_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("GET", "chatflows", chatflows_by_type)
    server.json("GET", "tools", [TOOL])
    server.json("POST", f"prediction/{ECHO_ID}", prediction_body(text="Echo: x"))

    tools = await atools_from_server(client=refusing_client, async_client=async_client, include_ids=[ECHO_ID])

    assert [t.metadata.name for t in tools] == ["echo_agent"]
    assert (await tools[0].acall(question="x")).content == "Echo: x"


def test_spec_factories_share_its_connection(spec: FlowiseToolSpec, server: MockFlowise) -> None:
    server.add("GET", "chatflows", chatflows_by_type)
    server.json("GET", "tools", [TOOL])

    assert [t.metadata.name for t in spec.tools_from_server(kinds=["chatflow"])] == ["Sky_Q_A"]
    assert spec.custom_tool(Tool.model_validate(TOOL)).metadata.name == "adder_tool"
    assert spec.chatflow_tool(Chatflow.model_validate(CHATFLOWS["CHATFLOW"][0])).metadata.name == "Sky_Q_A"
