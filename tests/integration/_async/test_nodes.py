"""``client.nodes`` and ``client.marketplace`` against a real Flowise.

The harness key holds ``templates:marketplace`` but none of the custom-template permissions, and a
key cannot grant permissions its creator lacks: custom templates are asserted as refused (403).
"""

from __future__ import annotations

import uuid

import pytest

from flowise_integrations import (
    AsyncFlowise,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
)
from flowise_integrations.testing import LocalStack
from flowise_integrations.testing.flows import custom_function_flow
from flowise_integrations.types.marketplace import MarketplaceTemplate
from flowise_integrations.types.nodes import Node, NodeOption


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# -- definitions


async def test_list(async_flowise_client: AsyncFlowise) -> None:
    nodes = await async_flowise_client.nodes.list()
    assert len(nodes) > 100
    assert all(isinstance(n, Node) for n in nodes)
    names = [n.name for n in nodes]
    assert len(names) == len(set(names))
    assert {"chatOpenAI", "plainText", "chroma", "startAgentflow", "customFunction"} <= set(names)


async def test_get(async_flowise_client: AsyncFlowise) -> None:
    chat = await async_flowise_client.nodes.get("chatOpenAI")
    assert isinstance(chat, Node)
    assert (chat.name, chat.label, chat.category, chat.type) == (
        "chatOpenAI",
        "OpenAI",
        "Chat Models",
        "ChatOpenAI",
    )
    assert "BaseChatModel" in chat.base_classes
    inputs = {param.name: param for param in chat.inputs}
    assert inputs["modelName"].load_method == "listModels"
    assert inputs["modelName"].type == "asyncOptions"
    assert inputs["streaming"].default is True
    assert chat.credential is not None
    assert chat.credential.credential_names == ["openAIApi"]
    # The wire form round-trips into flow node data.
    assert chat.to_wire()["name"] == "chatOpenAI"
    assert {"modelName", "basepath"} <= {param["name"] for param in chat.to_wire()["inputs"]}

    with pytest.raises(NotFoundError) as missing:
        await async_flowise_client.nodes.get("noSuchNode")
    assert missing.value.status_code == 500
    assert "noSuchNode" in missing.value.message


async def test_client_type_filters_inputs_and_options(async_flowise_client: AsyncFlowise) -> None:
    nodes = async_flowise_client.nodes

    def start_types(start: Node) -> set[str]:
        (param,) = (p for p in start.inputs if p.name == "startInputType")
        return {option.name for option in param.options or []}

    full = await nodes.get("startAgentflow")
    assert start_types(full) >= {"chatInput", "formInput", "webhookTrigger", "scheduleInput"}
    assert start_types(await nodes.get("startAgentflow", client_type="agentflowv2")) == start_types(full)
    sdk = start_types(await nodes.get("startAgentflow", client_type="agentflowsdk"))
    assert "chatInput" in sdk
    assert sdk.isdisjoint({"formInput", "webhookTrigger", "scheduleInput"})

    agent = {n.name: n for n in await nodes.list(client_type="agentflowsdk")}["agentAgentflow"]
    assert "agentKnowledgeDocumentStores" not in {p.name for p in agent.inputs}
    full_agent = await nodes.get("agentAgentflow")
    assert "agentKnowledgeDocumentStores" in {p.name for p in full_agent.inputs}

    with pytest.raises(ValueError, match="client_type"):
        await nodes.get("startAgentflow", client_type="ui")  # type: ignore[arg-type]


async def test_list_by_category(async_flowise_client: AsyncFlowise) -> None:
    models = await async_flowise_client.nodes.list_by_category("Chat Models")
    assert models
    assert all(isinstance(n, Node) and n.category == "Chat Models" for n in models)
    assert "chatOpenAI" in {n.name for n in models}
    assert await async_flowise_client.nodes.list_by_category("No Such Category") == []


# -- load methods


async def test_load_method_list_models(async_flowise_client: AsyncFlowise) -> None:
    models = await async_flowise_client.nodes.load_method("chatOpenAI", method_name="listModels")
    assert models
    assert all(isinstance(option, NodeOption) and option.name for option in models)
    assert all(option.label for option in models)


async def test_load_method_list_stores(async_flowise_client: AsyncFlowise, flowise_stack: LocalStack) -> None:
    """``listStores`` offers only stores whose vectors are upserted."""
    stores = async_flowise_client.document_stores
    upserted = await stores.create(name=_name("load-method"), description="listed")
    empty = await stores.create(name=_name("load-method-empty"))
    try:
        await stores.upsert(
            upserted.id,
            loader={"name": "plainText", "config": {"text": "Load methods list upserted stores."}},
            splitter={
                "name": "recursiveCharacterTextSplitter",
                "config": {"chunkSize": 500, "chunkOverlap": 20},
            },
            embedding={
                "name": "localAIEmbeddings",
                "config": {"basePath": flowise_stack.model_base_url, "modelName": "stand-in"},
            },
            vector_store={
                "name": "chroma",
                "config": {
                    "collectionName": f"c{uuid.uuid4().hex[:12]}",
                    "chromaURL": flowise_stack.chroma_url,
                },
            },
        )
        options = await async_flowise_client.nodes.load_method("documentStoreVS", method_name="listStores")
        assert all(isinstance(option, NodeOption) for option in options)
        ours = [option for option in options if option.name == upserted.id]
        assert [(o.label, o.description) for o in ours] == [(upserted.name, "listed")]
        assert empty.id not in {option.name for option in options}
    finally:
        await stores.delete(upserted.id)
        await stores.delete(empty.id)
    options = await async_flowise_client.nodes.load_method("documentStoreVS", method_name="listStores")
    assert upserted.id not in {option.name for option in options}


async def test_load_method_failures(async_flowise_client: AsyncFlowise) -> None:
    # An unknown method is an empty answer, not an error.
    assert await async_flowise_client.nodes.load_method("chatOpenAI", method_name="noSuchMethod") == []
    with pytest.raises(NotFoundError) as missing:
        await async_flowise_client.nodes.load_method("noSuchNode", method_name="listModels")
    assert missing.value.status_code == 404


# -- custom functions


async def test_execute_custom_function(async_flowise_client: AsyncFlowise) -> None:
    run = async_flowise_client.nodes.execute_custom_function
    assert await run("return $a + $b", {"a": 1, "b": 2}) == 3
    assert await run("return 'Hello ' + $name", {"name": "Ada"}) == "Hello Ada"
    assert await run("return {items: [$a, $b], ok: true}", {"a": 1, "b": "x"}) == {
        "items": [1, "x"],
        "ok": True,
    }
    assert await run("const unused = 1;") is None


async def test_execute_custom_function_errors(async_flowise_client: AsyncFlowise) -> None:
    run = async_flowise_client.nodes.execute_custom_function
    with pytest.raises(InternalServerError) as thrown:
        await run("throw new Error('boom-7')")
    assert thrown.value.status_code == 500
    assert thrown.value.operation == "nodesService.executeCustomFunction"
    assert thrown.value.detail.startswith("Error running custom function")
    assert thrown.value.detail.endswith("Error: boom-7")

    with pytest.raises(InternalServerError) as undefined:
        await run("return notDefinedAnywhere.x")
    assert "ReferenceError: notDefinedAnywhere is not defined" in undefined.value.detail

    with pytest.raises(InternalServerError) as syntax:
        await run("this is not javascript")
    assert "SyntaxError" in syntax.value.detail


# -- marketplace


async def test_list_templates(async_flowise_client: AsyncFlowise) -> None:
    templates = await async_flowise_client.marketplace.list_templates()
    assert templates
    assert all(isinstance(t, MarketplaceTemplate) and t.template_name for t in templates)
    assert {"Chatflow", "AgentflowV2", "Tool"} <= {t.type for t in templates}

    flows = [t for t in templates if t.type in ("Chatflow", "AgentflowV2")]
    assert all(isinstance(t.flow_data, dict) and t.flow_data["nodes"] for t in flows)
    tools = [t for t in templates if t.type == "Tool"]
    assert tools
    assert all(t.flow_data is None for t in tools)
    assert all(t.model_extra and {"func", "schema"} <= t.model_extra.keys() for t in tools)


async def test_custom_templates_need_template_permissions(async_flowise_client: AsyncFlowise) -> None:
    marketplace = async_flowise_client.marketplace
    defs = {"customFunction": (await async_flowise_client.nodes.get("customFunction")).to_wire()}
    chatflow = await async_flowise_client.chatflows.create(
        name=_name("template-source"),
        flow_data=custom_function_flow(defs).to_flow_data(),
        type="CHATFLOW",
    )
    try:
        with pytest.raises(PermissionDeniedError) as saving:
            await marketplace.save_custom_template(name=_name("template"), chatflow_id=chatflow.id)
        assert (saving.value.status_code, saving.value.body) == (403, {"message": "Forbidden"})
    finally:
        await async_flowise_client.chatflows.delete(chatflow.id)

    with pytest.raises(PermissionDeniedError) as listing:
        await marketplace.list_custom_templates()
    assert listing.value.status_code == 403
    with pytest.raises(PermissionDeniedError) as deleting:
        await marketplace.delete_custom_template(str(uuid.uuid4()))
    assert deleting.value.status_code == 403

    # Nor can the harness key make a key that holds them.
    with pytest.raises(BadRequestError, match="exceed your own permissions"):
        await async_flowise_client.api_keys.create(
            name=_name("templates"), permissions=["templates:custom", "templates:flowexport"]
        )
