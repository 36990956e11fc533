"""Marketplace: the built-in templates (flows with their flow data, tools with code), and custom
templates, which the harness key may not touch."""

from __future__ import annotations

import json

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, PermissionDeniedError
from flowise_integrations.types.marketplace import CustomTemplate, MarketplaceTemplate
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
# Custom templates need permissions no API key can get on the harness server: this body is written
# after the server's CustomTemplate entity.
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
    server.add("GET", "marketplaces/templates", recorded("marketplace/templates"))
    first, second = await client.marketplace.list_templates()
    assert server.last.url.raw_path == b"/api/v1/marketplaces/templates"
    assert isinstance(first, MarketplaceTemplate)
    assert (first.template_name, first.type) == ("Agentic RAG", "AgentflowV2")
    assert first.categories == ["Agent Flows"]
    assert first.usecases == ["Reflective Agent", "Documents QnA"]
    # flowData is the template file, with its own description and nodes.
    assert first.flow_data is not None
    assert first.flow_data["nodes"]
    assert first.flow_data["description"] == first.description
    assert second.template_name == "Agents Handoff"


async def test_tool_templates_carry_their_code(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "marketplaces/templates", recorded("marketplace/templates_tool"))
    [tool] = await client.marketplace.list_templates()
    assert tool.type == "Tool"
    assert tool.flow_data is None
    assert tool.model_extra is not None
    assert tool.model_extra["func"]
    assert json.loads(tool.model_extra["schema"])[0]["property"]


async def test_list_templates_needs_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "marketplaces/templates", recorded("errors/forbidden"))
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

    server.add("GET", "marketplaces/custom", recorded("marketplace/custom_list_forbidden"))
    with pytest.raises(PermissionDeniedError):
        await client.marketplace.list_custom_templates()


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

    server.add("POST", "marketplaces/custom", recorded("marketplace/custom_save_forbidden"))
    with pytest.raises(PermissionDeniedError) as info:
        await client.marketplace.save_custom_template(name="My RAG", chatflow_id=FLOW_ID)
    assert info.value.body == {"message": "Forbidden"}


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
