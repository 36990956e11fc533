"""Assistants: the JSON-string details, delete-both flag and builder components."""

from __future__ import annotations

import json
import uuid

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.types.assistants import Assistant
from flowise_integrations.types.nodes import Node
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

ASSISTANT = recorded_body("assistants/create")
ASSISTANT_ID = ASSISTANT["id"]
CREDENTIAL = ASSISTANT["credential"]


async def test_create_custom_encodes_details_and_generates_a_credential(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "assistants", recorded("assistants/create"))
    assistant = await client.assistants.create(details={"name": "helper", "instruction": "Be brief."})
    body = server.last_json()
    assert body["details"] == '{"name":"helper","instruction":"Be brief."}'
    assert body["type"] == "CUSTOM"
    assert uuid.UUID(body["credential"])
    assert "iconSrc" not in body
    assert isinstance(assistant, Assistant)
    assert assistant.id == ASSISTANT_ID
    assert assistant.type == "CUSTOM"
    assert assistant.details == {"name": "helper", "instruction": "Be brief."}
    assert assistant.credential == CREDENTIAL
    assert json.loads(assistant.to_wire()["details"])["instruction"] == "Be brief."


async def test_create_openai_needs_a_credential(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="credential"):
        await client.assistants.create(details={"name": "x"}, type="OPENAI")
    with pytest.raises(ValueError):
        await client.assistants.create(details="not json")
    with pytest.raises(TypeError):
        await client.assistants.create(details="[1, 2]")
    assert server.calls == []

    server.add("POST", "assistants", recorded("assistants/create"))
    await client.assistants.create(
        details='{"name":"x","model":"gpt-4o"}', credential=CREDENTIAL, type="OPENAI", icon_src="i.png"
    )
    assert server.last_json() == {
        "details": '{"name":"x","model":"gpt-4o"}',
        "credential": CREDENTIAL,
        "type": "OPENAI",
        "iconSrc": "i.png",
    }


async def test_list_and_get(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "assistants", recorded("assistants/list"))
    assistants = await client.assistants.list(type="CUSTOM")
    assert dict(server.last.url.params) == {"type": "CUSTOM"}
    assert [(a.id, a.details["name"]) for a in assistants] == [(ASSISTANT_ID, "helper")]

    server.add("GET", f"assistants/{ASSISTANT_ID}", recorded("assistants/get"))
    assert (await client.assistants.get(ASSISTANT_ID)).details["instruction"] == "Be brief."
    assert server.last.url.raw_path == f"/api/v1/assistants/{ASSISTANT_ID}".encode()

    server.add("GET", "assistants/nope", recorded("assistants/get_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.assistants.get("nope")
    assert info.value.operation == "assistantsService.getAssistantById"


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"assistants/{ASSISTANT_ID}", recorded("assistants/update"))
    updated = await client.assistants.update(
        ASSISTANT_ID, details={"name": "helper", "instruction": "Be very brief."}
    )
    assert server.last.method == "PUT"
    assert server.last_json() == {"details": '{"name":"helper","instruction":"Be very brief."}'}
    assert updated.details == {"name": "helper", "instruction": "Be very brief."}
    with pytest.raises(ValueError, match="nothing to update"):
        await client.assistants.update(ASSISTANT_ID)

    # A custom assistant's details must keep a name: Flowise answers a wrapped 500.
    server.add("PUT", f"assistants/{ASSISTANT_ID}", recorded("assistants/update_without_name"))
    with pytest.raises(InternalServerError, match="Details must include a name field"):
        await client.assistants.update(ASSISTANT_ID, details={"instruction": "nameless"})


async def test_delete_sends_is_delete_both_only_when_true(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"assistants/{ASSISTANT_ID}", recorded("assistants/delete"))
    result = await client.assistants.delete(ASSISTANT_ID)
    assert result.affected == 1
    assert server.last.url.query == b""
    await client.assistants.delete(ASSISTANT_ID, delete_both=True)
    assert dict(server.last.url.params) == {"isDeleteBoth": "true"}


async def test_components(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "assistants/components/chatmodels", recorded("assistants/components_chat_models"))
    server.add("GET", "assistants/components/docstores", recorded("assistants/components_docstores"))
    server.add("GET", "assistants/components/tools", recorded("assistants/components_tools"))
    models = await client.assistants.list_chat_models()
    assert all(isinstance(model, Node) for model in models)
    assert [m.name for m in models] == ["awsChatBedrock", "azureChatOpenAI"]
    assert all(m.category == "Chat Models" for m in models)
    [store] = await client.assistants.list_document_stores()
    assert (store.label, store.description) == ("corpus", "flowise-integrations corpus")
    assert uuid.UUID(store.name)  # the store's id
    tools = await client.assistants.list_tools()
    assert [t.name for t in tools] == ["awsDynamoDBKVStorage", "awsSNS"]
    assert all(t.inputs for t in tools)


async def test_generate_instruction(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "assistants/generate/instruction", recorded("assistants/generate_instruction"))
    model = {"name": "chatOpenAI", "inputs": {"modelName": "gpt-4o"}, "credential": CREDENTIAL}
    text = await client.assistants.generate_instruction(
        task="answer questions about the sky", chat_model=model
    )
    assert text == recorded_body("assistants/generate_instruction")["content"]
    assert "answer questions about the sky" in text
    assert server.last_json() == {"task": "answer questions about the sky", "selectedChatModel": model}
    with pytest.raises(ValueError):
        await client.assistants.generate_instruction(task="x", chat_model={})
