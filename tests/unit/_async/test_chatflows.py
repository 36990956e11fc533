"""Chatflows: request building, and parsing of the entities and companion answers Flowise 3.1.4 sent."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, InternalServerError, NotFoundError, Page
from flowise_integrations.types import Chatflow
from flowise_integrations.types.chatflows import FlowConfigParam, ScheduleStatus, UploadConfig
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

FLOW = recorded_body("chatflows/get")  # the echo agentflow
FLOW_ID = FLOW["id"]


async def test_create_encodes_json_string_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "chatflows", recorded("chatflows/create"))
    flow = await client.chatflows.create(
        name="echo-agentflow",
        flow_data={"nodes": [], "edges": []},
        type="AGENTFLOW",
        api_config={"rateLimit": {"status": True}},
    )
    assert server.last_json() == {
        "name": "echo-agentflow",
        "flowData": '{"nodes":[],"edges":[]}',
        "type": "AGENTFLOW",
        "apiConfig": '{"rateLimit":{"status":true}}',
    }
    assert server.last.headers["authorization"] == "Bearer test-key-123"
    assert isinstance(flow, Chatflow)
    assert flow.id == FLOW_ID
    assert flow.type == "AGENTFLOW"
    assert flow.flow_data is not None
    assert [node["id"] for node in flow.flow_data["nodes"]] == ["startAgentflow_0", "directReplyAgentflow_0"]
    assert flow.flow_data["edges"][0]["target"] == "directReplyAgentflow_0"
    assert flow.webhook_secret_configured is False
    assert flow.created_date is not None
    assert flow.created_date.year == 2026


async def test_model_round_trips_json_strings() -> None:
    updated = recorded_body("chatflows/update")
    flow = Chatflow.model_validate(updated)
    assert flow.chatbot_config == {"welcomeMessage": "Hello!"}
    wire = flow.model_dump(mode="json", by_alias=True)
    assert wire["flowData"] == updated["flowData"]
    assert json.loads(wire["chatbotConfig"]) == {"welcomeMessage": "Hello!"}


async def test_list_plain_and_paginated(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows", recorded("chatflows/list"))
    flows = await client.chatflows.list(type="AGENTFLOW")
    assert [(f.id, f.name) for f in flows] == [(FLOW_ID, "echo-agentflow")]
    assert dict(server.last.url.params) == {"type": "AGENTFLOW"}

    server.add("GET", "chatflows", recorded("chatflows/list_page"))
    page = await client.chatflows.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 4
    assert page.page == 1
    assert [f.name for f in page] == ["retrieval"]
    assert page.has_more
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}


async def test_iter_all_walks_pages_until_a_short_one(client: AsyncFlowise, server: MockFlowise) -> None:
    listed = recorded_body("chatflows/list_page")
    other = {**FLOW, "id": "other"}
    server.add(
        "GET",
        "chatflows",
        recorded("chatflows/list_page", body={**listed, "data": [*listed["data"], FLOW], "total": 3}),
        recorded("chatflows/list_page", body={**listed, "data": [other], "total": 3}),
    )
    ids = [flow.id async for flow in client.chatflows.iter_all(page_size=2)]
    assert ids == [listed["data"][0]["id"], FLOW_ID, "other"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


@pytest.mark.parametrize("bad", ["", "   ", ".", "..", "a\nb"])
async def test_bad_ids_are_rejected_before_sending(
    client: AsyncFlowise, server: MockFlowise, bad: str
) -> None:
    with pytest.raises(ValueError):
        await client.chatflows.get(bad)
    assert server.calls == []


async def test_ids_are_url_encoded(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows/a%2Fb%3Fc%23d", recorded("chatflows/get"))
    await client.chatflows.get("a/b?c#d")
    assert server.last.url.raw_path == b"/api/v1/chatflows/a%2Fb%3Fc%23d"


async def test_get_errors_keep_real_codes(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows/nope", recorded("errors/invalid_chatflow_id"))
    with pytest.raises(BadRequestError, match="Invalid Chatflow ID"):
        await client.chatflows.get("nope")
    missing = recorded_body("errors/chatflow_not_found")["message"].split()[1]
    server.add("GET", f"chatflows/{missing}", recorded("errors/chatflow_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.chatflows.get(missing)
    assert info.value.status_code == 404
    assert not info.value.wrapped
    assert info.value.body["message"] == f"Chatflow {missing} not found in the database!"


async def test_has_changed_spells_datetimes_like_to_iso_string(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    flow = Chatflow.model_validate({**FLOW, "updatedDate": "2026-01-01T10:20:30.045Z"})
    assert flow.updated_date is not None
    server.add(
        "GET",
        f"chatflows/has-changed/{FLOW_ID}/2026-01-01T10%3A20%3A30.045Z",
        recorded("chatflows/has_changed"),
    )
    assert await client.chatflows.has_changed(FLOW_ID, flow.updated_date) is False
    server.json("GET", f"chatflows/has-changed/{FLOW_ID}/2025-12-31", {"hasChanged": True})
    assert await client.chatflows.has_changed(FLOW_ID, "2025-12-31") is True


async def test_list_by_api_key(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "chatflows/apikey/fl-key", recorded("chatflows/list_by_api_key"))
    [bound] = await client.chatflows.list_by_api_key("fl-key", key_only=True)
    assert server.last.url.params["keyonly"] == "true"
    assert bound.name == "bound-echo"
    assert bound.apikeyid is not None

    # Flowise reports "no flows" as a wrapped 500, which the client turns into an empty list.
    server.add("GET", "chatflows/apikey/fl-key", recorded("chatflows/list_by_api_key_empty"))
    assert await client.chatflows.list_by_api_key("fl-key", key_only=True) == []


async def test_list_by_api_key_on_postgres_combines_bound_and_unbound_flows(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    """Flowise's "bound or unbound" query is invalid SQL on PostgreSQL; the client asks twice instead."""
    failed = recorded("chatflows/list_by_api_key_postgres")
    server.add("GET", "chatflows/apikey/fl-key", failed, recorded("chatflows/list_by_api_key"))
    listed = recorded_body("chatflows/list")
    unbound = {**listed[0], "name": "a-unbound", "apikeyid": None}
    other_key = {**listed[0], "id": "other", "name": "b-other-key", "apikeyid": "another-key-id"}
    server.json("GET", "chatflows", [other_key, unbound])
    flows = await client.chatflows.list_by_api_key("fl-key")
    assert [flow.name for flow in flows] == ["a-unbound", "bound-echo"]
    assert [request.url.params.get("keyonly") for request in server.calls] == [None, "true", None]

    # Only that SQL error is worked around; with key_only there is nothing to work around.
    server.add("GET", "chatflows/apikey/fl-key", failed)
    with pytest.raises(InternalServerError, match="zero-length"):
        await client.chatflows.list_by_api_key("fl-key", key_only=True)


COMPANIONS: list[tuple[str, str, str, Any]] = [
    ("get_flow_config", "flow-config", "chatflows/flow_config", list),
    ("get_streaming_status", "chatflows-streaming", "chatflows/streaming_status", None),
    ("get_upload_config", "chatflows-uploads", "chatflows/upload_config", UploadConfig),
    ("get_public", "public-chatflows", "chatflows/public", Chatflow),
    ("get_public_chatbot_config", "public-chatbotConfig", "chatflows/public_chatbot_config_set", dict),
]


@pytest.mark.parametrize(("method", "route", "fixture", "kind"), COMPANIONS)
async def test_companion_routes(
    client: AsyncFlowise, server: MockFlowise, method: str, route: str, fixture: str, kind: Any
) -> None:
    server.add("GET", f"{route}/{FLOW_ID}", recorded(fixture))
    result = await getattr(client.chatflows, method)(FLOW_ID)
    assert server.last.url.raw_path == f"/api/v1/{route}/{FLOW_ID}".encode()
    if kind is not None:
        assert isinstance(result, kind)


async def test_companion_bodies_parse(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"flow-config/{FLOW_ID}", recorded("chatflows/flow_config"))
    params = await client.chatflows.get_flow_config(FLOW_ID)
    assert all(isinstance(p, FlowConfigParam) for p in params)
    assert (params[-1].node, params[-1].node_id, params[-1].name) == (
        "Conversation Chain",
        "conversationChain_0",
        "systemMessagePrompt",
    )

    server.add("GET", f"chatflows-streaming/{FLOW_ID}", recorded("chatflows/streaming_status"))
    assert (await client.chatflows.get_streaming_status(FLOW_ID)).is_streaming is True
    server.add(
        "GET", f"chatflows-streaming/{FLOW_ID}", recorded("chatflows/streaming_status_custom_function")
    )
    assert (await client.chatflows.get_streaming_status(FLOW_ID)).is_streaming is False

    server.add("GET", f"chatflows-uploads/{FLOW_ID}", recorded("chatflows/upload_config"))
    uploads = await client.chatflows.get_upload_config(FLOW_ID)
    assert (uploads.is_image_upload_allowed, uploads.is_rag_file_upload_allowed) == (False, False)

    server.add("GET", f"public-chatflows/{FLOW_ID}", recorded("chatflows/public"))
    public = await client.chatflows.get_public(FLOW_ID)
    assert (public.name, public.is_public, public.chatbot_config) == (
        "public-echo",
        True,
        {"welcomeMessage": "Hello!"},
    )

    server.add("GET", f"public-chatbotConfig/{FLOW_ID}", recorded("chatflows/public_chatbot_config_set"))
    config = await client.chatflows.get_public_chatbot_config(FLOW_ID)
    assert config["welcomeMessage"] == "Hello!"
    assert config["uploads"]["isImageUploadAllowed"] is False


async def test_webhook_secret_and_schedule(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"chatflows/{FLOW_ID}"
    server.add("POST", f"{route}/webhook-secret", recorded("chatflows/webhook_secret"))
    assert await client.chatflows.set_webhook_secret(FLOW_ID) == {"webhookSecret": "webhook-secret-1"}
    server.add("DELETE", f"{route}/webhook-secret", recorded("chatflows/webhook_secret_cleared"))
    assert await client.chatflows.clear_webhook_secret(FLOW_ID) is None
    assert server.last.method == "DELETE"

    server.add("GET", f"{route}/schedule/status", recorded("chatflows/schedule_status"))
    status = await client.chatflows.get_schedule_status(FLOW_ID)
    assert isinstance(status, ScheduleStatus)
    assert (status.enabled, status.can_enable, status.record) == (False, False, None)
    assert status.reason == "Flow is not configured as a scheduled flow"

    server.add("PATCH", f"{route}/schedule/enabled", recorded("chatflows/schedule_enabled_without_schedule"))
    with pytest.raises(NotFoundError, match="No schedule record"):
        await client.chatflows.set_schedule_enabled(FLOW_ID, True)
    assert server.last_json() == {"enabled": True}

    server.add("GET", f"{route}/schedule/trigger-logs", recorded("chatflows/trigger_logs"))
    logs = await client.chatflows.list_trigger_logs(FLOW_ID, page=1, limit=5, status=["FAILED"])
    assert logs == {"data": [], "total": 0, "page": 1, "limit": 5}
    assert server.last.url.params.get_list("status") == ["FAILED"]
    server.add("DELETE", f"{route}/schedule/trigger-logs", recorded("chatflows/trigger_logs_deleted"))
    deleted = await client.chatflows.delete_trigger_logs(FLOW_ID, ["log-1"])
    assert server.last_json() == {"logIds": ["log-1"]}
    assert deleted["deletedLogs"] == 0


async def test_update_and_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"chatflows/{FLOW_ID}", recorded("chatflows/update"))
    updated = await client.chatflows.update(
        FLOW_ID, is_public=True, chatbot_config={"welcomeMessage": "Hello!"}
    )
    assert server.last_json() == {"isPublic": True, "chatbotConfig": '{"welcomeMessage":"Hello!"}'}
    assert updated.is_public is True
    server.add("DELETE", f"chatflows/{FLOW_ID}", recorded("chatflows/delete"))
    assert (await client.chatflows.delete(FLOW_ID)).affected == 1
    assert server.last.method == "DELETE"
