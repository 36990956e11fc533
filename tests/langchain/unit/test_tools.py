"""Flow tools, custom tools and the toolkit against a mock Flowise, plus LangChain's tool unit suite."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langchain_core.messages import ToolCall, ToolMessage
from langchain_core.tools import BaseTool
from langchain_tests.unit_tests import ToolsUnitTests

from flowise_integrations import InternalServerError, Prediction
from flowise_integrations.langchain import FlowiseChatflowTool, FlowiseCustomTool, FlowiseToolkit
from flowise_integrations.types import Chatflow, Tool
from tests.unit.mock_clients import API_KEY, BASE_URL
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

from .conftest import CHATFLOW_ID, OTHER_CHATFLOW_ID, PREDICTION, prediction_json

ADD_TOOL: dict[str, Any] = {
    "id": "6cf87d15-204b-441c-8cd4-66e3cc020f22",
    "name": "add numbers",
    "description": "Adds a and b",
    "color": "#4f46e5",
    "iconSrc": None,
    "schema": json.dumps(
        [
            {"property": "a", "description": "first", "type": "number", "required": True, "id": 1},
            {"property": "b", "description": "second", "type": "number", "required": True, "id": 2},
        ]
    ),
    "func": "return $a + $b;",
}
FORM_START = {
    "id": "startAgentflow_0",
    "data": {
        "name": "startAgentflow",
        "inputs": {
            "startInputType": "formInput",
            "formInputTypes": [
                {"type": "string", "label": "City", "name": "city"},
                {"type": "number", "label": "Days", "name": "days"},
            ],
        },
    },
}


def chatflow(flow_id: str, name: str, flow_type: str, nodes: list[Any] | None = None) -> dict[str, Any]:
    return {
        "id": flow_id,
        "name": name,
        "type": flow_type,
        "flowData": json.dumps({"nodes": nodes or [], "edges": []}),
        "category": None,
    }


FLOWS = {
    "CHATFLOW": [chatflow(CHATFLOW_ID, "Sky helper", "CHATFLOW")],
    "AGENTFLOW": [
        chatflow(OTHER_CHATFLOW_ID, "Trip planner", "AGENTFLOW", [FORM_START]),
        chatflow("a6b1c7d2-0000-4000-8000-000000000001", "Sky helper", "AGENTFLOW"),
    ],
    "MULTIAGENT": [],
    "ASSISTANT": [],
}


def list_flows(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=FLOWS[request.url.params["type"]])


def sent(server: MockFlowise) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(server.last.content)
    return body


# -- LangChain's tool unit suite


class TestChatflowToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[BaseTool]:
        return FlowiseChatflowTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {
            "name": "sky_helper",
            "description": "Answers questions about the sky.",
            "chatflow_id": CHATFLOW_ID,
            "base_url": BASE_URL,
            "api_key": "test",
        }

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"question": "Why is the sky blue?"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"FLOWISE_BASE_URL": "http://env.flowise.test", "FLOWISE_API_KEY": "env-key"},
            {"name": "sky_helper", "description": "Sky answers.", "chatflow_id": CHATFLOW_ID},
            {"base_url": "http://env.flowise.test", "api_key": "env-key"},
        )


class TestCustomToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> BaseTool:
        return FlowiseCustomTool.from_tool(Tool.model_validate(ADD_TOOL), base_url=BASE_URL)

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"a": 1, "b": 2}


# -- flow tools


def test_chatflow_tool_returns_text_and_the_prediction(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: sky"))
    tool = FlowiseChatflowTool(name="sky", description="d", chatflow_id=CHATFLOW_ID, **clients)
    call = ToolCall(name="sky", args={"question": "sky?"}, id="call-1", type="tool_call")
    message = tool.invoke(call)
    assert isinstance(message, ToolMessage)
    assert message.content == "FAKE: sky"
    assert isinstance(message.artifact, Prediction)
    assert message.artifact.chat_message_id == "msg-1"
    assert sent(server) == {"question": "sky?"}


def test_chatflow_tool_session_from_field_and_from_the_run(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    tool = FlowiseChatflowTool(
        name="sky", description="d", chatflow_id=CHATFLOW_ID, session_id="s-field", **clients
    )
    tool.invoke({"question": "q"})
    assert sent(server)["overrideConfig"] == {"sessionId": "s-field"}
    tool.invoke({"question": "q"}, config={"configurable": {"session_id": "s-run"}})
    assert sent(server)["overrideConfig"] == {"sessionId": "s-run"}


def test_form_agentflow_tool_takes_its_form_fields(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", f"prediction/{OTHER_CHATFLOW_ID}", prediction_json("Trip to Paris"))
    flow = Chatflow.model_validate(FLOWS["AGENTFLOW"][0])
    tool = FlowiseChatflowTool.from_chatflow(flow, **clients)
    assert tool.name == "Trip_planner"
    assert tool.form_input
    assert tool.tool_call_schema.model_json_schema()["required"] == ["city", "days"]  # type: ignore[union-attr]
    assert tool.invoke({"city": "Paris", "days": 3}) == "Trip to Paris"
    assert sent(server) == {"form": {"city": "Paris", "days": 3.0}}
    with pytest.raises(ValueError, match="days"):
        tool.invoke({"city": "Paris"})


async def test_chatflow_tool_async(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: async"))
    tool = FlowiseChatflowTool(name="sky", description="d", chatflow_id=CHATFLOW_ID, **clients)
    assert await tool.ainvoke({"question": "async"}, config={"configurable": {"session_id": "s"}}) == (
        "FAKE: async"
    )
    assert sent(server) == {"question": "async", "overrideConfig": {"sessionId": "s"}}


# -- custom tools


def test_custom_tool_runs_its_code_on_the_server(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", "node-custom-function", httpx.Response(200, json=3))
    tool = FlowiseCustomTool.from_tool(Tool.model_validate(ADD_TOOL), **clients)
    assert (tool.name, tool.description) == ("add_numbers", "Adds a and b")
    assert tool.invoke({"a": 1, "b": 2}) == "3"
    assert sent(server) == {
        "javascriptFunction": "return $a + $b;",
        "functionInputVariables": {"a": 1.0, "b": 2.0},
    }


async def test_custom_tool_async_and_text_results(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add(
        "POST", "node-custom-function", httpx.Response(200, json="x1"), httpx.Response(200, content=b"")
    )
    tool = FlowiseCustomTool.from_tool(Tool.model_validate(ADD_TOOL), **clients)
    assert await tool.ainvoke({"a": 1, "b": 2}) == "x1"
    assert await tool.ainvoke({"a": 1, "b": 2}) == ""


def test_custom_tool_errors_are_raised_unchanged(server: MockFlowise, clients: dict[str, Any]) -> None:
    body = {"statusCode": 500, "message": "Error running custom function: ReferenceError: $c is not defined"}
    server.add("POST", "node-custom-function", httpx.Response(500, json=body))
    tool = FlowiseCustomTool.from_tool(Tool.model_validate(ADD_TOOL), **clients)
    with pytest.raises(InternalServerError, match="not defined"):
        tool.invoke({"a": 1, "b": 2})


def test_custom_tool_with_handle_tool_error_answers_with_the_error(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    body = {"statusCode": 500, "message": "Error running custom function: ReferenceError: $c is not defined"}
    server.add("POST", "node-custom-function", httpx.Response(500, json=body))
    tool = FlowiseCustomTool.from_tool(Tool.model_validate(ADD_TOOL), handle_tool_error=True, **clients)
    call = {"name": tool.name, "args": {"a": 1, "b": 2}, "id": "call_1", "type": "tool_call"}
    message = tool.invoke(call)
    assert message.status == "error"
    assert (
        message.content
        == "InternalServerError: 500 Error running custom function: ReferenceError: $c is not defined"
    )
    assert API_KEY not in message.content


async def test_chatflow_tool_with_handle_tool_error_answers_a_404(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    flow = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
    missing = "errors/prediction_chatflow_not_found"
    server.add("POST", f"prediction/{flow}", recorded(missing), recorded(missing))
    tool = FlowiseChatflowTool(
        name="gone", description="A deleted flow.", chatflow_id=flow, handle_tool_error=True, **clients
    )
    call = {"name": "gone", "args": {"question": "hi"}, "id": "call_2", "type": "tool_call"}
    for message in (tool.invoke(call), await tool.ainvoke(call)):
        assert message.status == "error"
        assert message.content.startswith("NotFoundError: 404")
        assert message.artifact is None


# -- toolkit


def test_toolkit_lists_everything_with_safe_unique_names(
    server: MockFlowise, clients: dict[str, Any]
) -> None:
    server.add("GET", "chatflows", list_flows)
    server.json("GET", "tools", [ADD_TOOL])
    tools = FlowiseToolkit(**clients).get_tools()
    names = [tool.name for tool in tools]
    # Both "Sky helper" flows keep their place, each with a suffix from its id.
    assert names[0].startswith("Sky_helper_")
    assert names[2].startswith("Sky_helper_")
    assert names[0] != names[2]
    assert names[1] == "Trip_planner"
    assert names[3] == "add_numbers"
    assert all(len(name) <= 64 for name in names)
    assert [type(tool) for tool in tools] == [
        FlowiseChatflowTool,
        FlowiseChatflowTool,
        FlowiseChatflowTool,
        FlowiseCustomTool,
    ]
    assert all(tool._client is clients["client"] for tool in tools)  # type: ignore[attr-defined]


def test_toolkit_filters(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("GET", "chatflows", list_flows)
    server.json("GET", "tools", [ADD_TOOL])
    by_kind = FlowiseToolkit(kinds=["custom_tool"], **clients).get_tools()
    assert [t.name for t in by_kind] == ["add_numbers"]
    assert not any(call.url.path.endswith("chatflows") for call in server.calls)
    by_pattern = FlowiseToolkit(name_pattern="^Trip", session_id="s1", **clients).get_tools()
    assert [t.name for t in by_pattern] == ["Trip_planner"]
    assert by_pattern[0].session_id == "s1"  # type: ignore[attr-defined]
    included = FlowiseToolkit(include_ids=[CHATFLOW_ID, ADD_TOOL["id"]], **clients).get_tools()
    assert [t.name for t in included] == ["Sky_helper", "add_numbers"]
    excluded = FlowiseToolkit(exclude_ids=[CHATFLOW_ID], kinds=["chatflow"], **clients).get_tools()
    assert excluded == []


async def test_toolkit_async(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("GET", "chatflows", list_flows)
    server.json("GET", "tools", [ADD_TOOL])
    tools = await FlowiseToolkit(kinds=["agentflow"], **clients).aget_tools()
    assert sorted(t.name for t in tools) == ["Sky_helper", "Trip_planner"]
