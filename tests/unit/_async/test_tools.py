"""Custom tools: the JSON-string schema, the NOT NULL colour, pagination and wrapped 404s."""

from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations._async.resources.tools import DEFAULT_TOOL_COLOR
from flowise_integrations.types.tools import Tool, ToolProperty
from tests.unit.mock_flowise import MockFlowise

TOOL_ID = "1f0c9a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
SCHEMA = '[{"id":1,"property":"email","description":"Recipient","type":"string","required":true}]'
TOOL = {
    "id": TOOL_ID,
    "name": "send_email",
    "description": "Send an email",
    "color": "linear-gradient(rgb(155,190,84), rgb(176,69,245))",
    "iconSrc": None,
    "schema": SCHEMA,
    "func": "return $email;",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-02T00:00:00.000Z",
    "workspaceId": "ws-1",
}


async def test_create_encodes_schema_and_defaults_the_colour(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "tools", TOOL)
    tool = await client.tools.create(
        name="send_email",
        description="Send an email",
        schema=[
            ToolProperty(property="email", description="Recipient", required=True),
            {"property": "count", "type": "number"},
        ],
        func="return $email;",
    )
    body = server.last_json()
    assert body["color"] == DEFAULT_TOOL_COLOR
    assert "iconSrc" not in body
    assert isinstance(body["schema"], str)
    assert json.loads(body["schema"]) == [
        {"id": 1, "property": "email", "description": "Recipient", "type": "string", "required": True},
        {"id": 2, "property": "count", "description": "", "type": "number", "required": False},
    ]
    assert body["func"] == "return $email;"
    assert isinstance(tool, Tool)
    assert tool.schema_ is not None
    assert tool.schema_[0].property == "email"
    assert tool.schema_[0].required is True
    assert tool.created_date is not None
    assert tool.created_date.year == 2026


async def test_create_accepts_a_json_string_schema_and_keeps_given_ids(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "tools", TOOL)
    await client.tools.create(
        name="t", description="d", schema=SCHEMA, color="#000000", icon_src="http://x/i.svg"
    )
    body = server.last_json()
    assert json.loads(body["schema"]) == json.loads(SCHEMA)
    assert body["color"] == "#000000"
    assert body["iconSrc"] == "http://x/i.svg"


@pytest.mark.parametrize(
    "schema",
    [
        [{"property": "x", "type": "object"}],
        [{"description": "no property"}],
        "not json",
    ],
)
async def test_bad_schemas_are_refused_before_sending(
    client: AsyncFlowise, server: MockFlowise, schema: object
) -> None:
    with pytest.raises(ValueError):
        await client.tools.create(name="t", description="d", schema=schema)  # type: ignore[arg-type]
    assert server.calls == []


def test_schema_alias_round_trips() -> None:
    tool = Tool.model_validate(TOOL)
    assert "schema_" in repr(tool)
    assert tool.model_dump(by_alias=True)["schema"][0]["property"] == "email"
    assert Tool(id="t", name="n", schema_=[ToolProperty(property="p")]).schema_ == [
        ToolProperty(property="p")
    ]


def test_schema_is_re_encoded_in_json_dumps() -> None:
    wire = Tool.model_validate(TOOL).to_wire()
    assert json.loads(wire["schema"]) == json.loads(SCHEMA)


async def test_list_plain_paginated_and_iter_all(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "tools", [TOOL])
    tools = await client.tools.list()
    assert [t.id for t in tools] == [TOOL_ID]
    assert server.last.url.query == b""

    server.json("GET", "tools", {"data": [TOOL], "total": 3})
    page = await client.tools.list(page=3, limit=1)
    assert isinstance(page, Page)
    assert page.total == 3
    assert dict(server.last.url.params) == {"page": "3", "limit": "1"}

    server.add(
        "GET",
        "tools",
        httpx.Response(200, json={"data": [TOOL, TOOL], "total": 3}),
        httpx.Response(200, json={"data": [{**TOOL, "id": "last"}], "total": 3}),
    )
    server.calls.clear()
    ids = [tool.id async for tool in client.tools.iter_all(page_size=2)]
    assert ids == [TOOL_ID, TOOL_ID, "last"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


async def test_get_unknown_id_is_a_wrapped_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"tools/{TOOL_ID}", TOOL)
    assert (await client.tools.get(TOOL_ID)).name == "send_email"
    assert server.last.url.raw_path == f"/api/v1/tools/{TOOL_ID}".encode()

    body = {
        "statusCode": 500,
        "success": False,
        "message": "Error: toolsService.getToolById - Tool x not found",
    }
    server.json("GET", "tools/x", body, 500)
    with pytest.raises(NotFoundError) as info:
        await client.tools.get("x")
    assert info.value.status_code == 500
    assert info.value.operation == "toolsService.getToolById"


async def test_update_sends_only_given_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"tools/{TOOL_ID}", {**TOOL, "description": "new"})
    tool = await client.tools.update(
        TOOL_ID, description="new", schema=[{"property": "a", "type": "boolean"}]
    )
    assert server.last.method == "PUT"
    body = server.last_json()
    assert set(body) == {"description", "schema"}
    assert json.loads(body["schema"])[0]["type"] == "boolean"
    assert tool.description == "new"
    with pytest.raises(ValueError, match="nothing to update"):
        await client.tools.update(TOOL_ID)


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"tools/{TOOL_ID}", {"raw": [], "affected": 1})
    assert (await client.tools.delete(TOOL_ID)).affected == 1
    assert server.last.method == "DELETE"


async def test_empty_colour_is_refused(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.tools.create(name="t", description="d", color="")
    assert server.calls == []
