"""Nodes: the definitions Flowise serves (parsed and reusable unchanged), load methods and the
custom-function sandbox."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import (
    APIResponseValidationError,
    AsyncFlowise,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
)
from flowise_integrations.types.nodes import Node
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

CUSTOM_FUNCTION = recorded_body("nodes/get")


async def test_list_and_client_filter(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "nodes", recorded("nodes/list"))
    nodes = await client.nodes.list()
    assert dict(server.last.url.params) == {}
    assert [(n.name, n.category) for n in nodes] == [
        ("agentAgentflow", "Agent Flows"),
        ("conditionAgentflow", "Agent Flows"),
    ]
    await client.nodes.list(client_type="agentflowv2")
    assert dict(server.last.url.params) == {"client": "agentflowv2"}
    with pytest.raises(ValueError):
        await client.nodes.list(client_type="ui")  # type: ignore[arg-type]


async def test_get_parses_a_whole_definition(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "nodes/customFunction", recorded("nodes/get"))
    node = await client.nodes.get("customFunction")
    assert isinstance(node, Node)
    assert node.to_wire() == CUSTOM_FUNCTION  # reusable as node data, unchanged
    assert (node.label, node.version, node.category) == ("Custom JS Function", 3, "Utilities")
    assert node.base_classes == ["CustomFunction", "Utilities"]
    assert node.credential is None
    assert [(i.name, i.type) for i in node.inputs] == [
        ("functionInputVariables", "json"),
        ("functionName", "string"),
        ("tools", "Tool"),
        ("javascriptFunction", "code"),
    ]
    variables = node.inputs[0]
    assert (variables.optional, variables.accept_variable) == (True, True)
    assert variables.model_extra == {"list": True}
    assert node.outputs is not None
    assert [o.name for o in node.outputs] == ["output", "EndingNode"]
    assert node.file_path is not None
    assert node.file_path.endswith("CustomFunction.js")


async def test_get_unknown_node(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "nodes/nope", recorded("errors/node_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.nodes.get("nope")
    assert info.value.operation == "nodesService.getAllNodes"


async def test_list_by_category_encodes_the_name(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "nodes/category/Chat%20Models", recorded("nodes/list_by_category"))
    nodes = await client.nodes.list_by_category("Chat Models")
    assert server.last.url.raw_path == b"/api/v1/nodes/category/Chat%20Models"
    azure = nodes[1]
    assert (azure.name, azure.version) == ("azureChatOpenAI", 7.1)
    assert azure.outputs is None
    assert azure.credential is not None
    assert azure.credential.credential_names == ["azureOpenAIApi"]
    inputs = {i.name: i for i in azure.inputs}
    assert (inputs["modelName"].type, inputs["modelName"].load_method) == ("asyncOptions", "listModels")
    assert inputs["temperature"].default == 0.9
    effort = inputs["reasoningEffort"]
    assert effort.options
    assert effort.additional_params is True


async def test_load_method(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "node-load-method/chatOpenAI", httpx.Response(502), recorded("nodes/load_method"))
    retrying = client.with_options(retry=RetryPolicy(max_retries=1, initial_delay=0.0))
    result = await retrying.nodes.load_method(
        "chatOpenAI", method_name="listModels", inputs={"modelName": "gpt-4o"}, credential="cred-1"
    )
    assert server.last_json() == {
        "name": "chatOpenAI",
        "loadMethod": "listModels",
        "inputs": {"modelName": "gpt-4o"},
        "credential": "cred-1",
    }
    assert len(server.calls) == 2  # read-only: retried after the 502
    expected = recorded_body("nodes/load_method")
    assert [(o.label, o.name, o.description) for o in result] == [
        (o["label"], o["name"], None) for o in expected
    ]
    assert result[0].model_extra == {
        "input_cost": expected[0]["input_cost"],
        "output_cost": expected[0]["output_cost"],
    }


async def test_load_method_validation_and_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.nodes.load_method("chatOpenAI", method_name="")
    with pytest.raises(TypeError):
        await client.nodes.load_method("chatOpenAI", method_name="listModels", previous_nodes="x")  # type: ignore[arg-type]
    assert server.calls == []
    server.add("POST", "node-load-method/chatOpenAI", recorded("errors/forbidden"))
    with pytest.raises(PermissionDeniedError):
        await client.nodes.load_method("chatOpenAI", method_name="listModels")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("nodes/custom_function_string", "Hello Ada"),
        ("nodes/custom_function_number", 3),
        ("nodes/custom_function_object", {"sum": 3, "items": [1, 2]}),
        ("nodes/custom_function_empty", None),
    ],
)
async def test_execute_custom_function_returns_the_json_value(
    client: AsyncFlowise, server: MockFlowise, fixture: str, expected: object
) -> None:
    server.add("POST", "node-custom-function", recorded(fixture))
    result = await client.nodes.execute_custom_function("return $a + $b", {"a": 1, "b": 2})
    assert server.last_json() == {
        "javascriptFunction": "return $a + $b",
        "functionInputVariables": {"a": 1, "b": 2},
    }
    assert result == expected


async def test_execute_custom_function_falsy_value_in_queue_mode_is_none(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    """A queue-mode server answers a falsy value with a 500 of its own; the method returns ``None``."""
    server.add("POST", "node-custom-function", recorded("nodes/custom_function_queue_falsy"))
    assert await client.nodes.execute_custom_function("const unused = 1;") is None
    assert len(server.calls) == 1


async def test_execute_custom_function_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.nodes.execute_custom_function("")
    assert server.calls == []
    server.add("POST", "node-custom-function", recorded("nodes/custom_function_error"))
    with pytest.raises(InternalServerError, match="Error running custom function") as info:
        await client.nodes.execute_custom_function("throw new Error('boom');")
    assert info.value.detail is not None
    assert info.value.detail.endswith("Error: boom")
    assert len(server.calls) == 1  # runs code: never retried
    server.add("POST", "node-custom-function", recorded("errors/unknown_route"))
    with pytest.raises(APIResponseValidationError):
        await client.nodes.execute_custom_function("return 1")
