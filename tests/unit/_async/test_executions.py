"""Executions: always-paginated listing, filters, JSON-string columns and bulk delete."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.types.chatflows import Chatflow
from flowise_integrations.types.executions import Execution
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

LISTED = recorded_body("executions/list")["data"]  # the echo agentflow's two runs, newest first
EXECUTION = recorded_body("executions/get")
EXEC_ID = EXECUTION["id"]
FLOW_ID = EXECUTION["agentflowId"]


async def test_list_is_always_a_page_with_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "executions", recorded("executions/list"))
    page = await client.executions.list(
        agentflow_id=FLOW_ID,
        agentflow_name="ech",
        session_id="chat-1",
        state="FINISHED",
        start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        end_date="2026-02-01",
        limit=2,
    )
    assert isinstance(page, Page)
    assert (page.total, page.page, page.limit) == (2, 1, 2)
    assert dict(server.last.url.params) == {
        "agentflowId": FLOW_ID,
        "agentflowName": "ech",
        "sessionId": "chat-1",
        "state": "FINISHED",
        "startDate": "2026-01-01T00:00:00+00:00",
        "endDate": "2026-02-01",
        "page": "1",
        "limit": "2",
    }
    assert [e.id for e in page] == [EXEC_ID, LISTED[1]["id"]]
    execution = page.items[0]
    assert isinstance(execution, Execution)
    assert (execution.state, execution.agentflow_id) == ("FINISHED", FLOW_ID)
    assert isinstance(execution.agentflow, Chatflow)
    assert execution.agentflow.name == "echo-agentflow"
    assert execution.agentflow.flow_data is not None
    assert len(execution.agentflow.flow_data["nodes"]) == 2
    assert execution.execution_data == json.loads(LISTED[0]["executionData"])
    assert [n.node_id for n in execution.executed_nodes] == ["startAgentflow_0", "directReplyAgentflow_0"]
    assert execution.executed_nodes[-1].output == {"content": "Echo: stream me"}
    assert json.loads(execution.to_wire()["executionData"]) == execution.execution_data


async def test_list_defaults_to_flowise_page_size(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "executions", recorded("executions/list"))
    page = await client.executions.list()
    assert dict(server.last.url.params) == {"page": "1", "limit": "12"}
    assert not page.has_more


async def test_list_validates_state_and_paging(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="state"):
        await client.executions.list(state="DONE")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.executions.list(page=0)
    assert server.calls == []


async def test_iter_all(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "GET",
        "executions",
        recorded("executions/list", body={"data": LISTED, "total": 3}),
        recorded("executions/list", body={"data": [{**LISTED[0], "id": "last"}], "total": 3}),
    )
    ids = [e.id async for e in client.executions.iter_all(session_id="chat-1", page_size=2)]
    assert ids == [EXEC_ID, LISTED[1]["id"], "last"]
    assert [dict(c.url.params) for c in server.calls] == [
        {"sessionId": "chat-1", "page": "1", "limit": "2"},
        {"sessionId": "chat-1", "page": "2", "limit": "2"},
    ]


async def test_get_and_get_public(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"executions/{EXEC_ID}", recorded("executions/get"))
    execution = await client.executions.get(EXEC_ID)
    assert execution.agentflow is None
    assert execution.action is None
    assert execution.is_public is None
    assert execution.stopped_date is None

    server.add("GET", "executions/x", recorded("errors/execution_not_found"))
    with pytest.raises(NotFoundError):
        await client.executions.get("x")

    server.add("GET", f"public-executions/{EXEC_ID}", recorded("executions/public"))
    public = await client.executions.get_public(EXEC_ID)
    assert server.last.url.raw_path == f"/api/v1/public-executions/{EXEC_ID}".encode()
    assert public.is_public is True
    server.add("GET", "public-executions/x", recorded("executions/public_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.executions.get_public("x")
    assert info.value.operation == "executionsService.getPublicExecutionById"


async def test_a_stopped_execution(client: AsyncFlowise, server: MockFlowise) -> None:
    stopped_id = recorded_body("executions/get_stopped")["id"]
    server.add("GET", f"executions/{stopped_id}", recorded("executions/get_stopped"))
    execution = await client.executions.get(stopped_id)
    assert execution.state == "STOPPED"
    assert execution.stopped_date is not None
    assert [n.status for n in execution.executed_nodes] == ["FINISHED", "STOPPED"]
    # Flowise 3.1.4 leaves the action column empty; when set it is a JSON string.
    action = {"id": "a-1", "mapping": {"approve": "Proceed", "reject": "Reject"}}
    body = {**recorded_body("executions/get_stopped"), "action": json.dumps(action)}
    server.add("GET", f"executions/{stopped_id}", recorded("executions/get_stopped", body=body))
    assert (await client.executions.get(stopped_id)).action == action


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"executions/{EXEC_ID}", recorded("executions/update"))
    updated = await client.executions.update(EXEC_ID, is_public=True)
    assert server.last_json() == {"isPublic": True}
    assert updated.is_public is True
    await client.executions.update(EXEC_ID, extra={"state": "TERMINATED"})
    assert server.last_json() == {"state": "TERMINATED"}
    with pytest.raises(ValueError):
        await client.executions.update(EXEC_ID)


async def test_delete_and_delete_many(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"executions/{EXEC_ID}", recorded("executions/delete"))
    result = await client.executions.delete(EXEC_ID)
    assert result.success
    assert result.deleted_count == 1

    server.add("DELETE", "executions", recorded("executions/delete_many"))
    result = await client.executions.delete_many([LISTED[1]["id"], "unknown"])
    assert server.last.method == "DELETE"
    assert server.last.url.raw_path == b"/api/v1/executions"
    assert server.last_json() == {"executionIds": [LISTED[1]["id"], "unknown"]}
    assert result.deleted_count == 1  # unknown ids are skipped

    server.calls.clear()
    with pytest.raises(ValueError):
        await client.executions.delete_many([])
    with pytest.raises(TypeError):
        await client.executions.delete_many(EXEC_ID)
    assert server.calls == []
