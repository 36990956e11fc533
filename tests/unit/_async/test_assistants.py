"""Assistants: the JSON-string details, delete-both flag and builder components."""

from __future__ import annotations

import json
import uuid

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, PreconditionFailedError
from flowise_integrations.types.assistants import Assistant
from flowise_integrations.types.nodes import Node
from tests.unit.mock_flowise import MockFlowise

ASSISTANT_ID = "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d"
CREDENTIAL = "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"
ASSISTANT = {
    "id": ASSISTANT_ID,
    "details": '{"name":"Helper","instruction":"Be brief","flowId":"f-1"}',
    "credential": CREDENTIAL,
    "iconSrc": None,
    "type": "CUSTOM",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-01T00:00:00.000Z",
    "workspaceId": "ws-1",
}


async def test_create_custom_encodes_details_and_generates_a_credential(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "assistants", ASSISTANT)
    assistant = await client.assistants.create(details={"name": "Helper"})
    body = server.last_json()
    assert body["details"] == '{"name":"Helper"}'
    assert body["type"] == "CUSTOM"
    assert uuid.UUID(body["credential"])
    assert "iconSrc" not in body
    assert isinstance(assistant, Assistant)
    assert assistant.details == {"name": "Helper", "instruction": "Be brief", "flowId": "f-1"}
    assert json.loads(assistant.to_wire()["details"])["flowId"] == "f-1"


async def test_create_openai_needs_a_credential(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="credential"):
        await client.assistants.create(details={"name": "x"}, type="OPENAI")
    with pytest.raises(ValueError):
        await client.assistants.create(details="not json")
    with pytest.raises(TypeError):
        await client.assistants.create(details="[1, 2]")
    assert server.calls == []

    server.json("POST", "assistants", {**ASSISTANT, "type": "OPENAI"})
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
    server.json("GET", "assistants", [ASSISTANT])
    assistants = await client.assistants.list(type="CUSTOM")
    assert dict(server.last.url.params) == {"type": "CUSTOM"}
    assert assistants[0].details["name"] == "Helper"

    server.json("GET", f"assistants/{ASSISTANT_ID}", ASSISTANT)
    assert (await client.assistants.get(ASSISTANT_ID)).id == ASSISTANT_ID
    assert server.last.url.raw_path == f"/api/v1/assistants/{ASSISTANT_ID}".encode()

    message = "Error: assistantsService.getAssistantById - Assistant nope not found"
    server.json("GET", "assistants/nope", {"statusCode": 500, "success": False, "message": message}, 500)
    with pytest.raises(NotFoundError):
        await client.assistants.get("nope")


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"assistants/{ASSISTANT_ID}", ASSISTANT)
    await client.assistants.update(ASSISTANT_ID, details={"name": "Helper", "instruction": "Be brief"})
    assert server.last.method == "PUT"
    assert server.last_json() == {"details": '{"name":"Helper","instruction":"Be brief"}'}
    with pytest.raises(ValueError, match="nothing to update"):
        await client.assistants.update(ASSISTANT_ID)

    message = "Error: assistantsService.updateAssistant - Details must include a name field"
    server.json(
        "PUT", f"assistants/{ASSISTANT_ID}", {"statusCode": 412, "success": False, "message": message}, 412
    )
    with pytest.raises(PreconditionFailedError):
        await client.assistants.update(ASSISTANT_ID, details={"instruction": "x"})


async def test_delete_sends_is_delete_both_only_when_true(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"assistants/{ASSISTANT_ID}", {"raw": [], "affected": 1})
    result = await client.assistants.delete(ASSISTANT_ID)
    assert result.affected == 1
    assert server.last.url.query == b""
    await client.assistants.delete(ASSISTANT_ID, delete_both=True)
    assert dict(server.last.url.params) == {"isDeleteBoth": "true"}


async def test_components(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "assistants/components/chatmodels", [{"name": "chatOpenAI", "label": "ChatOpenAI"}])
    server.json(
        "GET", "assistants/components/docstores", [{"name": "store-1", "label": "KB", "description": ""}]
    )
    server.json("GET", "assistants/components/tools", [{"name": "calculator", "inputs": []}])
    models = await client.assistants.list_chat_models()
    assert isinstance(models[0], Node)
    assert models[0].name == "chatOpenAI"
    stores = await client.assistants.list_document_stores()
    assert stores[0].name == "store-1"
    assert stores[0].label == "KB"
    assert (await client.assistants.list_tools())[0].name == "calculator"


async def test_generate_instruction(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "assistants/generate/instruction", {"content": "You are a helpful bot."})
    model = {"name": "chatOpenAI", "inputs": {"modelName": "gpt-4o"}, "credential": CREDENTIAL}
    text = await client.assistants.generate_instruction(task="answer FAQs", chat_model=model)
    assert text == "You are a helpful bot."
    assert server.last_json() == {"task": "answer FAQs", "selectedChatModel": model}
    with pytest.raises(ValueError):
        await client.assistants.generate_instruction(task="x", chat_model={})
