from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, NotFoundError, Page
from flowise_integrations.types import Chatflow
from tests.unit.mock_flowise import MockFlowise

FLOW = {
    "id": "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f",
    "name": "echo",
    "flowData": '{"nodes":[],"edges":[]}',
    "deployed": False,
    "isPublic": False,
    "apikeyid": None,
    "chatbotConfig": None,
    "apiConfig": '{"rateLimit":{"status":true}}',
    "type": "AGENTFLOW",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-01T00:00:00.000Z",
    "workspaceId": "ws-1",
}


async def test_create_encodes_json_string_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "chatflows", FLOW)
    flow = await client.chatflows.create(name="echo", flow_data={"nodes": [], "edges": []}, type="AGENTFLOW")
    body = server.last_json()
    assert body == {"name": "echo", "flowData": '{"nodes":[],"edges":[]}', "type": "AGENTFLOW"}
    assert isinstance(flow, Chatflow)
    assert flow.flow_data == {"nodes": [], "edges": []}
    assert flow.api_config == {"rateLimit": {"status": True}}
    assert server.last.headers["authorization"] == "Bearer test-key-123"


async def test_model_round_trips_json_strings() -> None:
    flow = Chatflow.model_validate(FLOW)
    wire = flow.model_dump(mode="json", by_alias=True)
    assert wire["flowData"] == FLOW["flowData"]
    assert json.loads(wire["apiConfig"]) == {"rateLimit": {"status": True}}


async def test_list_plain_and_paginated(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows")
    server.json("GET", "chatflows", [FLOW])
    flows = await client.chatflows.list(type="AGENTFLOW")
    assert [f.id for f in flows] == [FLOW["id"]]
    assert dict(server.last.url.params) == {"type": "AGENTFLOW"}

    server.json("GET", "chatflows", {"data": [FLOW], "total": 7})
    page = await client.chatflows.list(page=2, limit=1)
    assert isinstance(page, Page)
    assert page.total == 7
    assert page.page == 2
    assert len(page) == 1
    assert dict(server.last.url.params) == {"page": "2", "limit": "1"}


async def test_iter_all_walks_pages_until_a_short_one(client: AsyncFlowise, server: MockFlowise) -> None:
    second = {**FLOW, "id": "other"}
    server.add(
        "GET",
        "chatflows",
        httpx.Response(200, json={"data": [FLOW, FLOW], "total": 3}),
        httpx.Response(200, json={"data": [second], "total": 3}),
    )
    ids = [flow.id async for flow in client.chatflows.iter_all(page_size=2)]
    assert ids == [FLOW["id"], FLOW["id"], "other"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


@pytest.mark.parametrize("bad", ["", "   ", ".", "..", "a\nb"])
async def test_bad_ids_are_rejected_before_sending(
    client: AsyncFlowise, server: MockFlowise, bad: str
) -> None:
    with pytest.raises(ValueError):
        await client.chatflows.get(bad)
    assert server.calls == []


async def test_ids_are_url_encoded(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "chatflows/a%2Fb%3Fc%23d", FLOW)
    await client.chatflows.get("a/b?c#d")
    assert server.last.url.raw_path == b"/api/v1/chatflows/a%2Fb%3Fc%23d"


async def test_get_errors_keep_real_codes(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET", "chatflows/nope", {"statusCode": 400, "success": False, "message": "Invalid Chatflow ID"}, 400
    )
    with pytest.raises(BadRequestError, match="Invalid Chatflow ID"):
        await client.chatflows.get("nope")
    missing = "0b1e6f4f-0000-4000-8000-000000000000"
    server.json(
        "GET",
        f"chatflows/{missing}",
        {"statusCode": 404, "success": False, "message": f"Chatflow {missing} not found in the database!"},
        404,
    )
    with pytest.raises(NotFoundError) as info:
        await client.chatflows.get(missing)
    assert info.value.status_code == 404
    assert not info.value.wrapped


async def test_has_changed_spells_datetimes_like_to_iso_string(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    flow = Chatflow.model_validate({**FLOW, "updatedDate": "2026-01-01T10:20:30.045Z"})
    assert flow.updated_date is not None
    server.json(
        "GET", f"chatflows/has-changed/{FLOW['id']}/2026-01-01T10%3A20%3A30.045Z", {"hasChanged": False}
    )
    assert await client.chatflows.has_changed(FLOW["id"], flow.updated_date) is False
    server.json("GET", f"chatflows/has-changed/{FLOW['id']}/2025-12-31", {"hasChanged": True})
    assert await client.chatflows.has_changed(FLOW["id"], "2025-12-31") is True


async def test_list_by_api_key_without_flows_is_empty(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET",
        "chatflows/apikey/fl-key",
        {
            "statusCode": 500,
            "success": False,
            "message": "Error: chatflowsService.getChatflowByApiKey - Chatflow not found in the database!",
        },
        500,
    )
    assert await client.chatflows.list_by_api_key("fl-key", key_only=True) == []
    assert server.last.url.params["keyonly"] == "true"
