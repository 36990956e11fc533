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

CHAT_OPENAI = {
    "label": "ChatOpenAI",
    "name": "chatOpenAI",
    "version": 8.2,
    "type": "ChatOpenAI",
    "icon": "/srv/flowise/node_modules/flowise-components/dist/nodes/chatmodels/ChatOpenAI/openai.svg",
    "category": "Chat Models",
    "description": "Wrapper around OpenAI large language models that use the Chat endpoint",
    "baseClasses": ["ChatOpenAI", "BaseChatModel", "BaseLanguageModel", "Runnable"],
    "credential": {
        "label": "Connect Credential",
        "name": "credential",
        "type": "credential",
        "credentialNames": ["openAIApi"],
    },
    "inputs": [
        {"label": "Cache", "name": "cache", "type": "BaseCache", "optional": True},
        {
            "label": "Model Name",
            "name": "modelName",
            "type": "asyncOptions",
            "loadMethod": "listModels",
            "default": "gpt-4o-mini",
        },
        {
            "label": "Temperature",
            "name": "temperature",
            "type": "number",
            "step": 0.1,
            "default": 0.9,
            "optional": True,
        },
        {
            "label": "Reasoning Effort",
            "name": "reasoningEffort",
            "type": "options",
            "options": [{"label": "Low", "name": "low"}, {"label": "High", "name": "high"}],
            "additionalParams": True,
        },
    ],
    "filePath": "/srv/flowise/node_modules/flowise-components/dist/nodes/chatmodels/ChatOpenAI/ChatOpenAI.js",
}
CUSTOM_FUNCTION = {
    "label": "Custom JS Function",
    "name": "customFunction",
    "version": 3,
    "type": "CustomFunction",
    "category": "Utilities",
    "baseClasses": ["CustomFunction", "Utilities"],
    "inputs": [{"label": "Javascript Function", "name": "javascriptFunction", "type": "code"}],
    "outputs": [
        {
            "label": "Output",
            "name": "output",
            "baseClasses": ["string", "number", "boolean", "json", "array"],
        },
        {"label": "Ending Node", "name": "EndingNode", "baseClasses": ["CustomFunction"]},
    ],
}


async def test_list_and_client_filter(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "nodes", [CHAT_OPENAI, CUSTOM_FUNCTION])
    nodes = await client.nodes.list()
    assert dict(server.last.url.params) == {}
    assert [n.name for n in nodes] == ["chatOpenAI", "customFunction"]
    await client.nodes.list(client_type="agentflowv2")
    assert dict(server.last.url.params) == {"client": "agentflowv2"}
    with pytest.raises(ValueError):
        await client.nodes.list(client_type="ui")  # type: ignore[arg-type]


async def test_get_parses_a_definition(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "nodes/chatOpenAI", CHAT_OPENAI)
    node = await client.nodes.get("chatOpenAI")
    assert isinstance(node, Node)
    assert node.to_wire() == CHAT_OPENAI  # reusable as node data, unchanged
    assert node.version == 8.2
    assert node.category == "Chat Models"
    assert node.base_classes[0] == "ChatOpenAI"
    assert node.credential is not None
    assert node.credential.credential_names == ["openAIApi"]
    model = node.inputs[1]
    assert (model.type, model.load_method, model.default) == ("asyncOptions", "listModels", "gpt-4o-mini")
    effort = node.inputs[3]
    assert effort.options is not None
    assert [o.name for o in effort.options] == ["low", "high"]
    assert effort.additional_params is True
    assert node.inputs[2].model_extra == {"step": 0.1}
    assert node.file_path is not None
    assert node.file_path.endswith("ChatOpenAI.js")


async def test_get_unknown_node(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET",
        "nodes/nope",
        {
            "statusCode": 500,
            "success": False,
            "message": "Error: nodesService.getAllNodes - Node nope not found",
        },
        500,
    )
    with pytest.raises(NotFoundError):
        await client.nodes.get("nope")


async def test_list_by_category_encodes_the_name(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "nodes/category/Chat%20Models", [CHAT_OPENAI])
    nodes = await client.nodes.list_by_category("Chat Models")
    assert server.last.url.raw_path == b"/api/v1/nodes/category/Chat%20Models"
    assert nodes[0].outputs is None
    assert nodes[0].name == "chatOpenAI"
    server.json("GET", "nodes/category/Utilities", [CUSTOM_FUNCTION])
    [node] = await client.nodes.list_by_category("Utilities")
    assert node.outputs is not None
    assert node.outputs[1].name == "EndingNode"


async def test_load_method(client: AsyncFlowise, server: MockFlowise) -> None:
    options = [
        {"label": "gpt-4o", "name": "gpt-4o", "description": "Most capable"},
        {"label": "gpt-4o-mini", "name": "gpt-4o-mini"},
    ]
    server.add("POST", "node-load-method/chatOpenAI", httpx.Response(502), httpx.Response(200, json=options))
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
    assert [(o.name, o.description) for o in result] == [("gpt-4o", "Most capable"), ("gpt-4o-mini", None)]


async def test_load_method_validation_and_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.nodes.load_method("chatOpenAI", method_name="")
    with pytest.raises(TypeError):
        await client.nodes.load_method("chatOpenAI", method_name="listModels", previous_nodes="x")  # type: ignore[arg-type]
    assert server.calls == []
    server.json("POST", "node-load-method/chatOpenAI", {"message": "Forbidden"}, 403)
    with pytest.raises(PermissionDeniedError):
        await client.nodes.load_method("chatOpenAI", method_name="listModels")


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('"Echo: hi"', "Echo: hi"),
        ("3", 3),
        ('{"sum":3,"items":[1,2]}', {"sum": 3, "items": [1, 2]}),
        ("", None),
    ],
)
async def test_execute_custom_function_returns_the_json_value(
    client: AsyncFlowise, server: MockFlowise, answer: str, expected: object
) -> None:
    server.add(
        "POST",
        "node-custom-function",
        httpx.Response(200, text=answer, headers={"content-type": "application/json; charset=utf-8"}),
    )
    result = await client.nodes.execute_custom_function("return $a + $b", {"a": 1, "b": 2})
    assert server.last_json() == {
        "javascriptFunction": "return $a + $b",
        "functionInputVariables": {"a": 1, "b": 2},
    }
    assert result == expected


async def test_execute_custom_function_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.nodes.execute_custom_function("")
    assert server.calls == []
    server.json(
        "POST",
        "node-custom-function",
        {
            "statusCode": 500,
            "success": False,
            "message": "Error: nodesService.executeCustomFunction - Error running custom function: "
            "ReferenceError: x is not defined",
        },
        500,
    )
    with pytest.raises(InternalServerError, match="Error running custom function"):
        await client.nodes.execute_custom_function("return x")
    assert len(server.calls) == 1  # runs code: never retried
    server.add(
        "POST",
        "node-custom-function",
        httpx.Response(200, text="<html>ui</html>", headers={"content-type": "text/html"}),
    )
    with pytest.raises(APIResponseValidationError):
        await client.nodes.execute_custom_function("return 1")
