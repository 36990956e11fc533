"""Custom tools: the JSON-string schema, the NOT NULL colour, pagination and wrapped 404s."""

from __future__ import annotations

import json

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations._async.resources.tools import DEFAULT_TOOL_COLOR
from flowise_integrations.types.tools import Tool, ToolProperty
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

TOOL = recorded_body("tools/create")
TOOL_ID = TOOL["id"]
SCHEMA = TOOL["schema"]  # as Flowise stores it: a JSON string
OTHER = recorded_body("tools/list")[0]


async def test_create_encodes_schema_and_defaults_the_colour(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "tools", recorded("tools/create"))
    tool = await client.tools.create(
        name="send_email",
        description="Sends an email",
        schema=[
            ToolProperty(property="email", description="Address to write to", required=True),
            {"property": "count", "type": "number"},
        ],
        func="return 'sent to ' + $email;",
    )
    body = server.last_json()
    assert body["color"] == DEFAULT_TOOL_COLOR
    assert "iconSrc" not in body
    assert isinstance(body["schema"], str)
    assert json.loads(body["schema"]) == [
        {
            "id": 1,
            "property": "email",
            "description": "Address to write to",
            "type": "string",
            "required": True,
        },
        {"id": 2, "property": "count", "description": "", "type": "number", "required": False},
    ]
    assert body["func"] == "return 'sent to ' + $email;"
    assert isinstance(tool, Tool)
    assert (tool.id, tool.color, tool.icon_src) == (TOOL_ID, DEFAULT_TOOL_COLOR, None)
    assert tool.schema_ is not None
    assert [(p.id, p.property, p.type, p.required) for p in tool.schema_] == [(1, "email", "string", True)]
    assert tool.func == "return 'sent to ' + $email;"
    assert tool.created_date is not None
    assert tool.created_date.year == 2026


async def test_create_accepts_a_json_string_schema_and_keeps_given_ids(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "tools", recorded("tools/create"))
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
    server.add("GET", "tools", recorded("tools/list"))
    tools = await client.tools.list()
    assert [(t.id, t.name) for t in tools] == [(OTHER["id"], "other_tool"), (TOOL_ID, "send_email")]
    assert (tools[0].schema_, tools[0].func) == (None, None)  # created without them
    assert server.last.url.query == b""

    server.add("GET", "tools", recorded("tools/list_page"))
    page = await client.tools.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 2
    assert [t.name for t in page] == ["other_tool"]
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}

    listed = recorded_body("tools/list")
    server.add(
        "GET",
        "tools",
        recorded("tools/list_page", body={"data": listed, "total": 3}),
        recorded("tools/list_page", body={"data": [{**TOOL, "id": "last"}], "total": 3}),
    )
    server.calls.clear()
    ids = [tool.id async for tool in client.tools.iter_all(page_size=2)]
    assert ids == [OTHER["id"], TOOL_ID, "last"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


async def test_get_unknown_id_is_a_wrapped_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"tools/{TOOL_ID}", recorded("tools/get"))
    assert (await client.tools.get(TOOL_ID)).name == "send_email"
    assert server.last.url.raw_path == f"/api/v1/tools/{TOOL_ID}".encode()

    server.add("GET", "tools/x", recorded("errors/tool_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.tools.get("x")
    assert info.value.status_code == 500
    assert info.value.operation == "toolsService.getToolById"


async def test_update_sends_only_given_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"tools/{TOOL_ID}", recorded("tools/update"))
    tool = await client.tools.update(
        TOOL_ID, description="Sends an email to one address", schema=[{"property": "a", "type": "boolean"}]
    )
    assert server.last.method == "PUT"
    body = server.last_json()
    assert set(body) == {"description", "schema"}
    assert json.loads(body["schema"])[0]["type"] == "boolean"
    assert tool.description == "Sends an email to one address"
    with pytest.raises(ValueError, match="nothing to update"):
        await client.tools.update(TOOL_ID)


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"tools/{TOOL_ID}", recorded("tools/delete"))
    assert (await client.tools.delete(TOOL_ID)).affected == 1
    assert server.last.method == "DELETE"


async def test_empty_colour_is_refused(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.tools.create(name="t", description="d", color="")
    assert server.calls == []
