from __future__ import annotations

import json

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, PermissionDeniedError
from flowise_integrations.types.marketplace import CustomTemplate, MarketplaceTemplate
from tests.unit.mock_flowise import MockFlowise

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
FLOW_FILE = {
    "description": "A simple LLM chain",
    "usecases": ["Basic"],
    "framework": ["Langchain"],
    "nodes": [],
    "edges": [],
}
TEMPLATES = [
    {
        "id": "2f0e7b1c-1111-4a2b-9c3d-444455556666",
        "templateName": "Simple LLM Chain",
        "flowData": json.dumps(FLOW_FILE),
        "badge": "POPULAR",
        "framework": ["Langchain"],
        "usecases": ["Basic"],
        "categories": ["Chat Models", "Chains"],
        "type": "Chatflow",
        "description": "A simple LLM chain",
    },
    {
        "name": "add_contact_hubspot",
        "description": "Add new contact to Hubspot",
        "color": "linear-gradient(rgb(85,198,123), rgb(0,230,99))",
        "iconSrc": "https://cdn.worldvectorlogo.com/logos/hubspot-1.svg",
        "schema": '[{"id":1,"property":"email","description":"email","type":"string","required":true}]',
        "func": "return $email",
        "id": "9a8b7c6d-0000-4000-8000-000000000001",
        "type": "Tool",
        "framework": ["Langchain"],
        "badge": "",
        "usecases": [],
        "categories": [],
        "templateName": "Add Hubspot Contact",
    },
]
CUSTOM = {
    "id": "7d6c5b4a-aaaa-4bbb-8ccc-dddddddddddd",
    "name": "My RAG",
    "flowData": '{"nodes":[],"edges":[]}',
    "description": "exported",
    "badge": None,
    "framework": "",
    "usecases": '["Documents QnA"]',
    "type": "Chatflow",
    "workspaceId": "ws-1",
    "createdDate": "2026-01-02T03:04:05.000Z",
    "updatedDate": "2026-01-02T03:04:05.000Z",
}


async def test_list_templates(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "marketplaces/templates", TEMPLATES)
    flow, tool = await client.marketplace.list_templates()
    assert server.last.url.raw_path == b"/api/v1/marketplaces/templates"
    assert isinstance(flow, MarketplaceTemplate)
    assert flow.flow_data == FLOW_FILE
    assert flow.categories == ["Chat Models", "Chains"]
    assert tool.type == "Tool"
    assert tool.flow_data is None
    assert tool.model_extra is not None
    assert json.loads(tool.model_extra["schema"])[0]["property"] == "email"


async def test_list_templates_needs_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "marketplaces/templates", {"message": "Forbidden"}, 403)
    with pytest.raises(PermissionDeniedError):
        await client.marketplace.list_templates()


async def test_list_custom_templates(client: AsyncFlowise, server: MockFlowise) -> None:
    listed = {**CUSTOM, "usecases": ["Documents QnA"], "categories": [], "badge": "", "shared": True}
    tool = {**CUSTOM, "id": "t", "type": "Tool", "usecases": "", "iconSrc": "x.svg", "func": "return 1"}
    del tool["flowData"]
    server.json("GET", "marketplaces/custom", [listed, tool])
    templates = await client.marketplace.list_custom_templates()
    assert templates[0].usecases == ["Documents QnA"]
    assert templates[0].shared is True
    assert templates[0].flow_data == {"nodes": [], "edges": []}
    assert (templates[1].flow_data, templates[1].icon_src, templates[1].usecases) == (None, "x.svg", "")


async def test_save_custom_template(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "marketplaces/custom", CUSTOM)
    template = await client.marketplace.save_custom_template(
        name="My RAG",
        chatflow_id=FLOW_ID,
        description="exported",
        usecases=["Documents QnA"],
        type="Chatflow",
    )
    assert server.last_json() == {
        "name": "My RAG",
        "chatflowId": FLOW_ID,
        "description": "exported",
        "usecases": ["Documents QnA"],
        "type": "Chatflow",
    }
    assert isinstance(template, CustomTemplate)
    assert template.usecases == ["Documents QnA"]
    assert template.flow_data == {"nodes": [], "edges": []}

    tool = {"iconSrc": "x.svg", "schema": "[]", "func": "return 1"}
    await client.marketplace.save_custom_template(name="My tool", tool=tool)
    assert server.last_json() == {"name": "My tool", "tool": tool}


async def test_save_custom_template_validation(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        await client.marketplace.save_custom_template(name="x")
    with pytest.raises(ValueError, match="exactly one"):
        await client.marketplace.save_custom_template(name="x", chatflow_id=FLOW_ID, tool={"func": ""})
    with pytest.raises(TypeError):
        await client.marketplace.save_custom_template(name="x", chatflow_id=FLOW_ID, usecases="QnA")
    assert server.calls == []
    server.json(
        "POST",
        "marketplaces/custom",
        {
            "statusCode": 500,
            "success": False,
            "message": "Error: marketplacesService.saveCustomTemplate - "
            f"Chatflow {FLOW_ID} not found in the database!",
        },
        500,
    )
    with pytest.raises(NotFoundError):
        await client.marketplace.save_custom_template(name="x", chatflow_id=FLOW_ID)


async def test_delete_custom_template(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"marketplaces/custom/{CUSTOM['id']}", {"raw": [], "affected": 1})
    result = await client.marketplace.delete_custom_template(CUSTOM["id"])
    assert server.last.method == "DELETE"
    assert result.affected == 1
