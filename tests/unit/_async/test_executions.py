"""Executions: always-paginated listing, filters, JSON-string columns and bulk delete."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, NotFoundError, Page
from flowise_integrations.types.chatflows import Chatflow
from flowise_integrations.types.executions import Execution
from tests.unit.mock_flowise import MockFlowise

EXEC_ID = "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c"
FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
NODES = [
    {
        "nodeId": "directReplyAgentflow_0",
        "nodeLabel": "Direct Reply",
        "data": {"output": {"content": "Echo: hi"}},
        "previousNodeIds": ["startAgentflow_0"],
        "status": "FINISHED",
    }
]
EXECUTION = {
    "id": EXEC_ID,
    "executionData": json.dumps(NODES),
    "state": "FINISHED",
    "agentflowId": FLOW_ID,
    "sessionId": "chat-1",
    "action": None,
    "isPublic": False,
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-01T00:00:01.000Z",
    "stoppedDate": None,
    "workspaceId": "ws-1",
}
LISTED = {
    **EXECUTION,
    "agentflow": {"id": FLOW_ID, "name": "echo", "flowData": '{"nodes":[],"edges":[]}', "type": "AGENTFLOW"},
}


def not_found(op: str) -> dict[str, object]:
    return {
        "statusCode": 500,
        "success": False,
        "message": f"Error: executionsService.{op} - Execution x not found",
    }


async def test_list_is_always_a_page_with_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "executions", {"data": [LISTED], "total": 13})
    page = await client.executions.list(
        agentflow_id=FLOW_ID,
        agentflow_name="ech",
        session_id="chat-1",
        state="FINISHED",
        start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        end_date="2026-02-01",
    )
    assert isinstance(page, Page)
    assert page.total == 13
    assert page.page == 1
    assert page.limit == 12
    assert dict(server.last.url.params) == {
        "agentflowId": FLOW_ID,
        "agentflowName": "ech",
        "sessionId": "chat-1",
        "state": "FINISHED",
        "startDate": "2026-01-01T00:00:00+00:00",
        "endDate": "2026-02-01",
        "page": "1",
        "limit": "12",
    }
    execution = page.items[0]
    assert isinstance(execution, Execution)
    assert isinstance(execution.agentflow, Chatflow)
    assert execution.agentflow.flow_data == {
        "nodes": [],
        "edges": [],
    }
    assert execution.execution_data == NODES
    assert execution.executed_nodes[0].output == {"content": "Echo: hi"}
    assert json.loads(execution.to_wire()["executionData"]) == NODES


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
        httpx.Response(200, json={"data": [LISTED, LISTED], "total": 3}),
        httpx.Response(200, json={"data": [{**LISTED, "id": "last"}], "total": 3}),
    )
    ids = [e.id async for e in client.executions.iter_all(session_id="chat-1", page_size=2)]
    assert ids == [EXEC_ID, EXEC_ID, "last"]
    assert [dict(c.url.params) for c in server.calls] == [
        {"sessionId": "chat-1", "page": "1", "limit": "2"},
        {"sessionId": "chat-1", "page": "2", "limit": "2"},
    ]


async def test_get_and_get_public(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"executions/{EXEC_ID}", {**EXECUTION, "action": '{"id":"a-1","mapping":{}}'})
    execution = await client.executions.get(EXEC_ID)
    assert execution.agentflow is None
    assert execution.action == {"id": "a-1", "mapping": {}}

    server.json("GET", "executions/x", not_found("getExecutionById"), 500)
    with pytest.raises(NotFoundError):
        await client.executions.get("x")

    server.json("GET", f"public-executions/{EXEC_ID}", {**EXECUTION, "isPublic": True})
    public = await client.executions.get_public(EXEC_ID)
    assert server.last.url.raw_path == f"/api/v1/public-executions/{EXEC_ID}".encode()
    assert public.is_public is True
    server.json("GET", "public-executions/x", not_found("getPublicExecutionById"), 500)
    with pytest.raises(NotFoundError):
        await client.executions.get_public("x")


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"executions/{EXEC_ID}", {**EXECUTION, "isPublic": True})
    updated = await client.executions.update(EXEC_ID, is_public=True)
    assert server.last_json() == {"isPublic": True}
    assert updated.is_public is True
    await client.executions.update(EXEC_ID, extra={"state": "TERMINATED"})
    assert server.last_json() == {"state": "TERMINATED"}
    with pytest.raises(ValueError):
        await client.executions.update(EXEC_ID)


async def test_delete_and_delete_many(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"executions/{EXEC_ID}", {"success": True, "deletedCount": 1})
    result = await client.executions.delete(EXEC_ID)
    assert result.success
    assert result.deleted_count == 1

    server.json("DELETE", "executions", {"success": True, "deletedCount": 2})
    result = await client.executions.delete_many([EXEC_ID, "other"])
    assert server.last.method == "DELETE"
    assert server.last.url.raw_path == b"/api/v1/executions"
    assert server.last_json() == {"executionIds": [EXEC_ID, "other"]}
    assert result.deleted_count == 2

    server.calls.clear()
    with pytest.raises(ValueError):
        await client.executions.delete_many([])
    with pytest.raises(TypeError):
        await client.executions.delete_many(EXEC_ID)
    assert server.calls == []

    server.json("DELETE", "executions", {"success": False, "message": "No execution IDs provided"}, 400)
    with pytest.raises(BadRequestError, match="No execution IDs"):
        await client.executions.delete_many(["x"])
