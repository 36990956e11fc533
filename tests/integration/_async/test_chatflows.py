"""``client.chatflows`` against a real Flowise: CRUD, listing, key binding and the companion routes."""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, AuthenticationError, NotFoundError, Page
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.testing.flows import (
    CONVERSATION_NODES,
    ECHO_AGENTFLOW_NODES,
    conversation_flow,
    custom_function_flow,
    echo_agentflow_graph,
)
from flowise_integrations.types import Chatflow

OLD_TIMESTAMP = "2000-01-01T00:00:00.000Z"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _definitions(client: AsyncFlowise, *names: str) -> dict[str, dict[str, Any]]:
    return {name: (await client.nodes.get(name)).to_wire() for name in names}


async def _echo_graph(client: AsyncFlowise, start_inputs: dict[str, Any] | None = None) -> dict[str, Any]:
    """Start → Direct Reply ``"Echo: {{ question }}"`` (no model)."""
    return echo_agentflow_graph(await _definitions(client, *ECHO_AGENTFLOW_NODES), start_inputs=start_inputs)


async def _custom_function_graph(client: AsyncFlowise) -> dict[str, Any]:
    """One Custom JS Function ending node (a CHATFLOW without a model)."""
    return custom_function_flow(await _definitions(client, "customFunction")).to_flow_data()


async def _delete_if_present(client: AsyncFlowise, chatflow_id: str) -> None:
    with contextlib.suppress(NotFoundError):
        await client.chatflows.delete(chatflow_id)


@pytest.fixture
async def agentflow(async_flowise_client: AsyncFlowise) -> AsyncIterator[Chatflow]:
    """A fresh echo agentflow of this test's own."""
    created = await async_flowise_client.chatflows.create(
        name=_name("chatflows-test"), flow_data=await _echo_graph(async_flowise_client), type="AGENTFLOW"
    )
    yield created
    await _delete_if_present(async_flowise_client, created.id)


@pytest.fixture
async def scheduled_agentflow(async_flowise_client: AsyncFlowise) -> AsyncIterator[Chatflow]:
    """An agentflow started by the scheduler once a year (1 January, 00:00 UTC)."""
    graph = await _echo_graph(
        async_flowise_client,
        {
            "startInputType": "scheduleInput",
            "scheduleType": "cronExpression",
            "scheduleCronExpression": "0 0 1 1 *",
            "scheduleTimezone": "UTC",
            "scheduleInputMode": "text",
            "scheduleDefaultInput": "tick",
        },
    )
    created = await async_flowise_client.chatflows.create(
        name=_name("scheduled"), flow_data=graph, type="AGENTFLOW"
    )
    yield created
    await _delete_if_present(async_flowise_client, created.id)


# --------------------------------------------------------------------------------------------- CRUD


async def test_create_get_delete_chatflow_and_agentflow(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    chatflow_graph = await _custom_function_graph(client)
    agentflow_graph = await _echo_graph(client)
    chatflow = await client.chatflows.create(name=_name("cf"), flow_data=chatflow_graph, type="CHATFLOW")
    try:
        agentflow = await client.chatflows.create(
            name=_name("af"), flow_data=agentflow_graph, type="AGENTFLOW"
        )
        try:
            assert chatflow.type == "CHATFLOW"
            assert agentflow.type == "AGENTFLOW"
            assert uuid.UUID(chatflow.id)
            assert uuid.UUID(agentflow.id)

            fetched = await client.chatflows.get(agentflow.id)
            assert fetched.id == agentflow.id
            assert fetched.name == agentflow.name
            assert fetched.type == "AGENTFLOW"
            assert isinstance(fetched.flow_data, dict)
            assert [n["id"] for n in fetched.flow_data["nodes"]] == [
                "startAgentflow_0",
                "directReplyAgentflow_0",
            ]
            assert fetched.workspace_id
            assert fetched.created_date is not None
            assert fetched.updated_date is not None
            assert fetched.webhook_secret_configured is False

            fetched_chatflow = await client.chatflows.get(chatflow.id)
            assert fetched_chatflow.type == "CHATFLOW"
            assert fetched_chatflow.flow_data is not None
            assert fetched_chatflow.flow_data["nodes"][0]["data"]["name"] == "customFunction"
        finally:
            deleted = await client.chatflows.delete(agentflow.id)
        assert deleted.affected == 1
        with pytest.raises(NotFoundError) as info:
            await client.chatflows.get(agentflow.id)
        assert info.value.status_code == 404
        # Deleting again: the service wraps its 404 into a 500.
        with pytest.raises(NotFoundError) as again:
            await client.chatflows.delete(agentflow.id)
        assert again.value.status_code == 500
        assert again.value.wrapped
        assert again.value.operation == "chatflowsService.deleteChatflow"
    finally:
        await _delete_if_present(client, chatflow.id)


async def test_update_is_partial_and_round_trips_json_configs(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow
) -> None:
    client = async_flowise_client
    chatbot_config = {"welcomeMessage": "Hello!", "botMessage": {"showAvatar": True}}
    api_config = {"overrideConfig": {"status": False}, "note": ["a", 1]}

    updated = await client.chatflows.update(
        agentflow.id, chatbot_config=chatbot_config, api_config=api_config, category="tests;integration"
    )
    assert updated.chatbot_config == chatbot_config
    assert updated.api_config == api_config
    assert updated.category == "tests;integration"
    assert updated.name == agentflow.name  # untouched fields are kept
    assert updated.flow_data == agentflow.flow_data

    renamed = await client.chatflows.update(agentflow.id, name=agentflow.name + "-renamed", deployed=True)
    assert renamed.name == agentflow.name + "-renamed"
    assert renamed.deployed is True

    fetched = await client.chatflows.get(agentflow.id)
    assert fetched.name == agentflow.name + "-renamed"
    assert fetched.chatbot_config == chatbot_config
    assert fetched.api_config == api_config
    assert fetched.flow_data == agentflow.flow_data
    assert fetched.type == "AGENTFLOW"


async def test_bind_and_unbind_an_api_key(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow, echo_agentflow: Chatflow
) -> None:
    client = async_flowise_client
    key = await client.api_keys.create(name=_name("bind"), permissions=["chatflows:view"])
    secret = key.api_key.get_secret_value()
    try:
        assert await client.chatflows.list_by_api_key(secret, key_only=True) == []

        bound = await client.chatflows.update(agentflow.id, apikeyid=key.id)
        assert bound.apikeyid == key.id
        assert (await client.chatflows.get(agentflow.id)).apikeyid == key.id

        only_bound = await client.chatflows.list_by_api_key(secret, key_only=True)
        assert [f.id for f in only_bound] == [agentflow.id]
        bound_and_free = await client.chatflows.list_by_api_key(secret)
        assert agentflow.id in {f.id for f in bound_and_free}
        assert all(f.apikeyid in (None, "", key.id) for f in bound_and_free)
        assert echo_agentflow.id in {f.id for f in bound_and_free}  # unbound flows come too
        listed_key = next(k for k in await client.api_keys.list() if k.id == key.id)
        assert [f.flow_name for f in listed_key.chat_flows] == [agentflow.name]

        unbound = await client.chatflows.update(agentflow.id, apikeyid="")
        assert unbound.apikeyid == ""  # Flowise stores the empty string, not null
        assert await client.chatflows.list_by_api_key(secret, key_only=True) == []
    finally:
        await client.chatflows.update(agentflow.id, apikeyid="")
        await client.api_keys.delete(key.id)


async def test_list_by_unknown_api_key_is_401(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(AuthenticationError) as info:
        await async_flowise_client.chatflows.list_by_api_key("no-such-key-" + uuid.uuid4().hex)
    assert info.value.status_code == 401
    assert info.value.body == "Unauthorized"


# --------------------------------------------------------------------------------------------- listing


async def test_list_plain_typed_and_paginated(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow
) -> None:
    client = async_flowise_client
    everything = await client.chatflows.list()
    assert isinstance(everything, list)
    assert agentflow.id in {f.id for f in everything}

    agentflows = await client.chatflows.list(type="AGENTFLOW")
    assert agentflow.id in {f.id for f in agentflows}
    assert {f.type for f in agentflows} == {"AGENTFLOW"}
    chatflows = await client.chatflows.list(type="CHATFLOW")
    assert agentflow.id not in {f.id for f in chatflows}
    assert {f.type for f in chatflows} <= {"CHATFLOW"}
    # Without a type Flowise lists every type, not only chatflows.
    assert {f.id for f in everything} >= {f.id for f in agentflows} | {f.id for f in chatflows}

    page = await client.chatflows.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert len(page) == 1
    assert page.total == len(everything)
    assert page.page == 1
    assert page.limit == 1
    assert page.items[0].id in {f.id for f in everything}

    typed_page = await client.chatflows.list(type="AGENTFLOW", page=1, limit=100)
    assert typed_page.total == len(agentflows)
    assert sorted(f.id for f in typed_page) == sorted(f.id for f in agentflows)


async def test_iter_all_with_page_size_one_sees_created_flows(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    graph = await _echo_graph(client)
    created = [
        await client.chatflows.create(name=_name("iter"), flow_data=graph, type="AGENTFLOW") for _ in range(2)
    ]
    try:
        ids = [f.id async for f in client.chatflows.iter_all(page_size=1)]
        assert {c.id for c in created} <= set(ids)
        assert len(ids) == len(set(ids))
        assert len(ids) == len(await client.chatflows.list())
        agentflow_ids = [f.id async for f in client.chatflows.iter_all(type="AGENTFLOW", page_size=1)]
        assert {c.id for c in created} <= set(agentflow_ids)
    finally:
        for chatflow in created:
            await _delete_if_present(client, chatflow.id)


# --------------------------------------------------------------------------------------------- companions


async def test_has_changed_compares_with_the_updated_date(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow
) -> None:
    client = async_flowise_client
    current = await client.chatflows.get(agentflow.id)
    assert current.updated_date is not None
    assert await client.chatflows.has_changed(agentflow.id, current.updated_date) is False
    assert await client.chatflows.has_changed(agentflow.id, OLD_TIMESTAMP) is True
    # Flowise compares the text of Date.toISOString(): another spelling of the same instant differs.
    assert await client.chatflows.has_changed(agentflow.id, current.updated_date.isoformat()) is True
    with pytest.raises(NotFoundError) as info:
        await client.chatflows.has_changed(str(uuid.uuid4()), OLD_TIMESTAMP)
    assert info.value.status_code == 404


async def test_flow_config_lists_overridable_params(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, echo_agentflow: Chatflow
) -> None:
    client = async_flowise_client
    params = await client.chatflows.get_flow_config(conversation_chatflow.id)
    by_node = {(p.node_id, p.name) for p in params}
    assert ("conversationChain_0", "systemMessagePrompt") in by_node
    assert ("chatOpenAI_0", "temperature") in by_node
    assert {p.node for p in params if p.node_id == "chatOpenAI_0"} == {"OpenAI"}

    agent_params = await client.chatflows.get_flow_config(echo_agentflow.id)
    assert ("startAgentflow_0", "startInputType") in {(p.node_id, p.name) for p in agent_params}


async def test_streaming_status_per_flow(
    async_flowise_client: AsyncFlowise,
    echo_agentflow: Chatflow,
    conversation_chatflow: Chatflow,
    custom_function_chatflow: Chatflow,
) -> None:
    client = async_flowise_client
    assert (await client.chatflows.get_streaming_status(echo_agentflow.id)).is_streaming is True
    assert (await client.chatflows.get_streaming_status(conversation_chatflow.id)).is_streaming is True
    assert (await client.chatflows.get_streaming_status(custom_function_chatflow.id)).is_streaming is False
    with pytest.raises(NotFoundError) as info:
        await client.chatflows.get_streaming_status(str(uuid.uuid4()))
    assert info.value.status_code == 500
    assert info.value.operation == "chatflowsService.checkIfChatflowIsValidForStreaming"


async def test_upload_config(async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow) -> None:
    client = async_flowise_client
    config = await client.chatflows.get_upload_config(conversation_chatflow.id)
    assert config.is_image_upload_allowed is False  # chatOpenAI's allowImageUploads is off
    assert config.is_rag_file_upload_allowed is False
    assert config.is_speech_to_text_enabled is False
    assert config.img_upload_size_and_types == []
    assert config.file_upload_size_and_types == []


async def test_upload_config_reports_image_uploads(
    async_flowise_client: AsyncFlowise, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    model_url = flowise_model.base_url
    defs = await _definitions(client, *CONVERSATION_NODES)
    images = conversation_flow(defs, model_base_url=model_url, model_inputs={"allowImageUploads": True})
    graph = images.to_flow_data()
    created = await client.chatflows.create(name=_name("images"), flow_data=graph, type="CHATFLOW")
    try:
        config = await client.chatflows.get_upload_config(created.id)
        assert config.is_image_upload_allowed is True
        assert config.img_upload_size_and_types
        assert "image/png" in config.img_upload_size_and_types[0]["fileTypes"]
    finally:
        await _delete_if_present(client, created.id)


async def test_public_routes_need_is_public(async_flowise_client: AsyncFlowise, agentflow: Chatflow) -> None:
    client = async_flowise_client
    with pytest.raises(AuthenticationError) as info:
        await client.chatflows.get_public(agentflow.id)
    assert info.value.status_code == 401
    assert info.value.body == {"message": "Unauthorized"}

    # The chatbot config is public for any flow.
    before = await client.chatflows.get_public_chatbot_config(agentflow.id)
    assert set(before) >= {"uploads", "flowData"}
    assert "welcomeMessage" not in before

    await client.chatflows.update(agentflow.id, is_public=True, chatbot_config={"welcomeMessage": "Hi there"})
    public = await client.chatflows.get_public(agentflow.id)
    assert public.id == agentflow.id
    assert public.is_public is True
    assert public.name == agentflow.name
    assert isinstance(public.flow_data, dict)
    assert public.chatbot_config == {"welcomeMessage": "Hi there"}

    after = await client.chatflows.get_public_chatbot_config(agentflow.id)
    assert after["welcomeMessage"] == "Hi there"
    assert after["uploads"]["isImageUploadAllowed"] is False


async def test_webhook_secret_on_an_agentflow(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow
) -> None:
    client = async_flowise_client
    result = await client.chatflows.set_webhook_secret(agentflow.id)
    assert re.fullmatch(r"[0-9a-f]{64}", result["webhookSecret"])
    fetched = await client.chatflows.get(agentflow.id)
    assert fetched.webhook_secret_configured is True
    assert "webhookSecret" not in (fetched.model_extra or {})

    second = await client.chatflows.set_webhook_secret(agentflow.id)
    assert second["webhookSecret"] != result["webhookSecret"]

    assert await client.chatflows.clear_webhook_secret(agentflow.id) is None
    assert (await client.chatflows.get(agentflow.id)).webhook_secret_configured is False

    with pytest.raises(NotFoundError) as info:
        await client.chatflows.set_webhook_secret(str(uuid.uuid4()))
    assert info.value.status_code == 404


async def test_schedule_routes_on_a_flow_without_schedule(
    async_flowise_client: AsyncFlowise, agentflow: Chatflow
) -> None:
    client = async_flowise_client
    status = await client.chatflows.get_schedule_status(agentflow.id)
    assert status.enabled is False
    assert status.can_enable is False
    assert status.reason == "Flow is not configured as a scheduled flow"
    assert status.record is None

    with pytest.raises(NotFoundError) as info:
        await client.chatflows.set_schedule_enabled(agentflow.id, True)
    assert info.value.status_code == 404
    assert "No schedule record found" in info.value.message

    logs = await client.chatflows.list_trigger_logs(agentflow.id)
    assert logs == {"data": [], "total": 0, "page": 1, "limit": 20}
    deleted = await client.chatflows.delete_trigger_logs(agentflow.id, [str(uuid.uuid4())])
    assert deleted == {"success": True, "deletedLogs": 0, "deletedExecutions": 0}

    unknown = await client.chatflows.get_schedule_status(str(uuid.uuid4()))
    assert unknown.enabled is False
    assert unknown.reason == "Flow not found or has no data"


async def test_schedule_routes_on_a_scheduled_flow(
    async_flowise_client: AsyncFlowise, scheduled_agentflow: Chatflow
) -> None:
    client = async_flowise_client
    flow_id = scheduled_agentflow.id
    status = await client.chatflows.get_schedule_status(flow_id)
    assert status.enabled is True
    assert status.can_enable is True
    assert status.record is not None
    assert status.record["targetId"] == flow_id
    assert status.record["cronExpression"] == "0 0 1 1 *"
    assert status.record["nextRunAt"].endswith("-01-01T00:00:00.000Z")

    disabled = await client.chatflows.set_schedule_enabled(flow_id, False)
    assert disabled["enabled"] is False
    assert (await client.chatflows.get_schedule_status(flow_id)).enabled is False
    enabled = await client.chatflows.set_schedule_enabled(flow_id, True)
    assert enabled["enabled"] is True
    assert (await client.chatflows.get_schedule_status(flow_id)).enabled is True

    logs = await client.chatflows.list_trigger_logs(flow_id, page=1, limit=5, status=["SUCCEEDED", "FAILED"])
    assert logs == {"data": [], "total": 0, "page": 1, "limit": 5}
    assert await client.chatflows.delete_trigger_logs(flow_id, []) == {
        "success": True,
        "deletedLogs": 0,
        "deletedExecutions": 0,
    }
