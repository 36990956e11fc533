"""``client.executions`` against a real Flowise: the runs recorded for the echo agentflow."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.types import Chatflow, Prediction


@pytest.fixture
async def two_runs(
    async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow
) -> AsyncIterator[tuple[str, list[Prediction]]]:
    """Two predictions in a fresh session of the echo agentflow; the executions and messages they
    created are removed afterwards."""
    session_id = f"executions-{uuid.uuid4().hex}"
    runs = [
        await async_flowise_client.predictions.create(
            echo_agentflow.id, question, override_config={"sessionId": session_id}
        )
        for question in ("first run", "second run")
    ]
    yield session_id, runs
    left = await async_flowise_client.executions.list(session_id=session_id, limit=50)
    if left.items:
        await async_flowise_client.executions.delete_many([execution.id for execution in left.items])
    await async_flowise_client.chat_messages.delete(echo_agentflow.id, session_id=session_id)


async def test_list_filters(
    async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow, two_runs: tuple[str, list[Prediction]]
) -> None:
    session_id, (first, second) = two_runs
    assert first.execution_id is not None
    assert second.execution_id is not None
    executions = async_flowise_client.executions

    page = await executions.list(agentflow_id=echo_agentflow.id, session_id=session_id, state="FINISHED")
    assert isinstance(page, Page)
    assert page.total == 2
    # Flowise sorts by updatedDate, newest first, but SQLite stores whole seconds: runs made in
    # the same second come back in no particular order.
    assert {execution.id for execution in page.items} == {first.execution_id, second.execution_id}
    for execution in page.items:
        assert execution.state == "FINISHED"
        assert execution.session_id == session_id
        assert execution.agentflow_id == echo_agentflow.id
        assert execution.agentflow is not None
        assert execution.agentflow.id == echo_agentflow.id
        assert execution.agentflow.name == echo_agentflow.name

    assert (await executions.list(session_id=session_id, state="ERROR")).total == 0
    assert (await executions.list(agentflow_id=str(uuid.uuid4()), session_id=session_id)).total == 0
    by_id = await executions.list(id=first.execution_id)
    assert [execution.id for execution in by_id.items] == [first.execution_id]

    # agentflow_name matches part of the name, case-insensitively.
    part = echo_agentflow.name[-8:].upper()
    assert (await executions.list(agentflow_name=part, session_id=session_id)).total == 2
    assert (await executions.list(agentflow_name="no-such-flow-name", session_id=session_id)).total == 0

    now = datetime.now(timezone.utc)
    window = await executions.list(
        session_id=session_id, start_date=now - timedelta(minutes=10), end_date=now + timedelta(minutes=10)
    )
    assert window.total == 2
    assert (await executions.list(session_id=session_id, start_date=now + timedelta(days=1))).total == 0
    assert (await executions.list(session_id=session_id, end_date=now - timedelta(days=1))).total == 0


async def test_pages_and_iter_all(
    async_flowise_client: AsyncFlowise, two_runs: tuple[str, list[Prediction]]
) -> None:
    session_id, (first, second) = two_runs

    page_one = await async_flowise_client.executions.list(session_id=session_id, page=1, limit=1)
    page_two = await async_flowise_client.executions.list(session_id=session_id, page=2, limit=1)
    assert page_one.total == page_two.total == 2
    assert len(page_one.items) == len(page_two.items) == 1
    assert {e.id for e in page_one.items + page_two.items} == {first.execution_id, second.execution_id}

    iterated = [
        e.id async for e in async_flowise_client.executions.iter_all(session_id=session_id, page_size=1)
    ]
    assert sorted(iterated) == sorted([first.execution_id, second.execution_id])


async def test_get_decodes_execution_data(
    async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow, two_runs: tuple[str, list[Prediction]]
) -> None:
    session_id, (first, _) = two_runs
    assert first.execution_id is not None

    execution = await async_flowise_client.executions.get(first.execution_id)
    assert execution.id == first.execution_id
    assert execution.state == "FINISHED"
    assert execution.session_id == session_id
    assert execution.agentflow_id == echo_agentflow.id
    assert execution.agentflow is None  # only listings join the flow
    assert isinstance(execution.execution_data, list)
    nodes = execution.executed_nodes
    assert [n.node_id for n in nodes] == ["startAgentflow_0", "directReplyAgentflow_0"]
    assert all(n.status == "FINISHED" for n in nodes)
    assert nodes[-1].data["output"]["content"] == "Echo: first run"

    # The stored messages point at their execution.
    messages = await async_flowise_client.chat_messages.list(echo_agentflow.id, session_id=session_id)
    first_pair = messages[:2]
    assert [m.role for m in first_pair] == ["userMessage", "apiMessage"]
    assert {m.execution_id for m in first_pair} == {first.execution_id}
    assert first_pair[1].execution is not None
    assert first_pair[1].execution.state == "FINISHED"


async def test_share_publicly_then_delete(
    async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow, two_runs: tuple[str, list[Prediction]]
) -> None:
    session_id, (first, second) = two_runs
    assert first.execution_id is not None
    assert second.execution_id is not None
    executions = async_flowise_client.executions

    with pytest.raises(NotFoundError) as private:
        await executions.get_public(first.execution_id)
    assert private.value.status_code == 500

    updated = await executions.update(first.execution_id, is_public=True)
    assert updated.id == first.execution_id
    assert updated.is_public is True
    assert (await executions.get(first.execution_id)).is_public is True

    public = await executions.get_public(first.execution_id)
    assert public.id == first.execution_id
    assert public.is_public is True
    assert [n.node_id for n in public.executed_nodes] == ["startAgentflow_0", "directReplyAgentflow_0"]

    deleted = await executions.delete(first.execution_id)
    assert deleted.success is True
    assert deleted.deleted_count == 1
    assert (await executions.delete(first.execution_id)).deleted_count == 0
    with pytest.raises(NotFoundError) as gone:
        await executions.get(first.execution_id)
    assert gone.value.status_code == 500
    assert f"Execution {first.execution_id} not found" in gone.value.message

    many = await executions.delete_many([second.execution_id, str(uuid.uuid4())])
    assert many.success is True
    assert many.deleted_count == 1
    assert (await executions.list(session_id=session_id)).total == 0

    # The messages stay, unlinked from the deleted executions.
    messages = await async_flowise_client.chat_messages.list(echo_agentflow.id, session_id=session_id)
    assert [m.content for m in messages] == ["first run", "Echo: first run", "second run", "Echo: second run"]
    assert {m.execution_id for m in messages} == {None}


async def test_unknown_execution_is_not_found(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.executions.get(unknown)
    assert info.value.status_code == 500
    assert info.value.detail == f"Execution {unknown} not found"
    with pytest.raises(NotFoundError):
        await async_flowise_client.executions.update(unknown, is_public=True)
    with pytest.raises(NotFoundError):
        await async_flowise_client.executions.get_public(unknown)
