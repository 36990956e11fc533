"""Stored conversations against a real Flowise: ``client.chat_messages``, ``client.stats``,
``client.feedback`` and ``client.leads``."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, InternalServerError, NotFoundError
from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.testing.flows import CONVERSATION_NODES, conversation_flow
from flowise_integrations.types import Chatflow, Prediction


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


@pytest.fixture
async def session_id(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> AsyncIterator[str]:
    """A fresh session of the shared conversation chatflow; its messages are deleted afterwards."""
    session = _id("session")
    yield session
    await async_flowise_client.chat_messages.delete(conversation_chatflow.id, session_id=session)


async def _conversation_graph(client: AsyncFlowise, model_base_url: str) -> dict[str, Any]:
    defs = {name: (await client.nodes.get(name)).to_wire() for name in CONVERSATION_NODES}
    return conversation_flow(defs, model_base_url=model_base_url).to_flow_data()


@pytest.fixture
async def own_chatflow(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack
) -> AsyncIterator[Chatflow]:
    """A conversation chatflow of this test's own, so flow-wide counts start from zero."""
    created = await async_flowise_client.chatflows.create(
        name=_id("stats-flow"),
        flow_data=await _conversation_graph(async_flowise_client, flowise_stack.model_base_url),
        type="CHATFLOW",
    )
    yield created
    with contextlib.suppress(NotFoundError):
        await async_flowise_client.chatflows.delete(created.id)


async def _ask(client: AsyncFlowise, chatflow_id: str, question: str, session: str) -> Prediction:
    return await client.predictions.create(chatflow_id, question, override_config={"sessionId": session})


async def test_messages_of_a_session_in_order(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, session_id: str
) -> None:
    flow_id = conversation_chatflow.id
    first = await _ask(async_flowise_client, flow_id, "alpha", session_id)
    second = await _ask(async_flowise_client, flow_id, "beta", session_id)

    messages = await async_flowise_client.chat_messages.list(flow_id, session_id=session_id)
    assert [(m.role, m.content) for m in messages] == [
        ("userMessage", "alpha"),
        ("apiMessage", "FAKE: alpha"),
        ("userMessage", "beta"),
        ("apiMessage", "FAKE: beta"),
    ]
    assert [m.id for m in messages if m.role == "apiMessage"] == [
        first.chat_message_id,
        second.chat_message_id,
    ]
    for message in messages:
        assert message.chatflowid == flow_id
        assert message.chat_id == session_id
        assert message.session_id == session_id
        assert message.memory_type == "Buffer Memory"
        assert message.chat_type == "EXTERNAL"
        assert message.created_date is not None


async def test_message_filters(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, session_id: str
) -> None:
    flow_id = conversation_chatflow.id
    messages = async_flowise_client.chat_messages
    first = await _ask(async_flowise_client, flow_id, "one", session_id)
    await _ask(async_flowise_client, flow_id, "two", session_id)
    in_order = ["one", "FAKE: one", "two", "FAKE: two"]

    def contents(found: list[Any]) -> list[str]:
        return [m.content for m in found]

    assert contents(await messages.list(flow_id, session_id=session_id, order="ASC")) == in_order
    assert contents(await messages.list(flow_id, session_id=session_id, order="DESC")) == in_order[::-1]
    assert contents(await messages.list(flow_id, chat_id=session_id)) == in_order
    assert contents(await messages.list(flow_id, chat_id=_id("other-chat"))) == []

    assert (
        contents(await messages.list(flow_id, session_id=session_id, memory_type="Buffer Memory")) == in_order
    )
    assert await messages.list(flow_id, session_id=session_id, memory_type="Zep Memory") == []

    assert first.chat_message_id is not None
    by_id = await messages.list(flow_id, message_id=first.chat_message_id)
    assert [(m.id, m.content) for m in by_id] == [(first.chat_message_id, "FAKE: one")]

    assert contents(await messages.list(flow_id, session_id=session_id, chat_type="EXTERNAL")) == in_order
    assert await messages.list(flow_id, session_id=session_id, chat_type="INTERNAL") == []
    both_types = await messages.list(flow_id, session_id=session_id, chat_type=["INTERNAL", "EXTERNAL"])
    assert contents(both_types) == in_order

    now = datetime.now(timezone.utc)
    window = await messages.list(
        flow_id,
        session_id=session_id,
        start_date=now - timedelta(minutes=10),
        end_date=now + timedelta(minutes=10),
    )
    assert contents(window) == in_order
    assert await messages.list(flow_id, session_id=session_id, start_date=now + timedelta(days=1)) == []
    assert await messages.list(flow_id, session_id=session_id, end_date=now - timedelta(days=1)) == []


async def test_delete_by_session_clears_messages_and_memory(
    async_flowise_client: AsyncFlowise,
    conversation_chatflow: Chatflow,
    flowise_model: ModelStandIn,
    session_id: str,
) -> None:
    flow_id = conversation_chatflow.id
    secret_word = _id("remember")
    await _ask(async_flowise_client, flow_id, f"my word is {secret_word}", session_id)
    other_session = _id("other-session")
    try:
        await _ask(async_flowise_client, flow_id, "unrelated", other_session)

        deleted = await async_flowise_client.chat_messages.delete(flow_id, session_id=session_id)
        assert deleted.affected == 2
        assert await async_flowise_client.chat_messages.list(flow_id, session_id=session_id) == []
        others = await async_flowise_client.chat_messages.list(flow_id, session_id=other_session)
        assert [m.content for m in others] == ["unrelated", "FAKE: unrelated"]

        # The buffer memory reads the stored messages: the next turn starts without history.
        before = len(flowise_model.chat_requests())
        await _ask(async_flowise_client, flow_id, "what was my word?", session_id)
        sent = flowise_model.chat_requests()[before:]
        assert len(sent) == 1
        assert secret_word not in json.dumps(sent[0]["messages"])
    finally:
        await async_flowise_client.chat_messages.delete(flow_id, chat_id=other_session)
    assert await async_flowise_client.chat_messages.list(flow_id, session_id=other_session) == []


async def test_abort_on_an_unknown_chat_returns_quietly(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> None:
    chat_id = _id("never-started")
    assert await async_flowise_client.chat_messages.abort(conversation_chatflow.id, chat_id) is None
    assert await async_flowise_client.chat_messages.list(conversation_chatflow.id, chat_id=chat_id) == []


async def test_unknown_chatflow_errors(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    # Listing checks the flow's workspace first, and reports a missing flow as "Unauthorized access".
    with pytest.raises(InternalServerError) as listing:
        await async_flowise_client.chat_messages.list(unknown)
    assert listing.value.status_code == 500
    assert "Unauthorized access" in listing.value.message

    with pytest.raises(NotFoundError) as deleting:
        await async_flowise_client.chat_messages.delete(unknown, session_id="any")
    assert deleting.value.status_code == 404
    assert f"Chatflow {unknown} not found" in deleting.value.message

    with pytest.raises(NotFoundError) as stats:
        await async_flowise_client.stats.get(unknown)
    assert stats.value.status_code == 500
    assert "not found in workspace" in stats.value.message


async def test_stats_and_feedback(async_flowise_client: AsyncFlowise, own_chatflow: Chatflow) -> None:
    flow_id = own_chatflow.id
    stats = async_flowise_client.stats
    assert (await stats.get(flow_id)).model_dump() == {
        "total_messages": 0,
        "total_sessions": 0,
        "total_feedback": 0,
        "positive_feedback": 0,
    }

    session_a, session_b = _id("a"), _id("b")
    await _ask(async_flowise_client, flow_id, "a1", session_a)
    rated = await _ask(async_flowise_client, flow_id, "a2", session_a)
    await _ask(async_flowise_client, flow_id, "b1", session_b)
    assert rated.chat_message_id is not None

    counts = await stats.get(flow_id)
    assert (counts.total_messages, counts.total_sessions, counts.total_feedback) == (6, 2, 0)
    assert (await stats.get(flow_id, chat_type="INTERNAL")).total_messages == 0
    assert (await stats.get(flow_id, chat_type=["EXTERNAL", "INTERNAL"])).total_messages == 6
    now = datetime.now(timezone.utc)
    assert (await stats.get(flow_id, start_date=now - timedelta(minutes=10))).total_messages == 6
    assert (await stats.get(flow_id, start_date=now + timedelta(days=1))).total_messages == 0

    feedback = await async_flowise_client.feedback.create(
        message_id=rated.chat_message_id, rating="THUMBS_UP", content="helpful"
    )
    assert feedback.message_id == rated.chat_message_id
    assert feedback.chatflowid == flow_id
    assert feedback.chat_id == session_a
    assert feedback.rating == "THUMBS_UP"
    assert feedback.content == "helpful"

    listed = await async_flowise_client.feedback.list(flow_id)
    assert [(f.id, f.rating) for f in listed] == [(feedback.id, "THUMBS_UP")]
    assert [f.id for f in await async_flowise_client.feedback.list(flow_id, chat_id=session_a)] == [
        feedback.id
    ]
    assert await async_flowise_client.feedback.list(flow_id, chat_id=session_b) == []
    assert [f.id for f in await async_flowise_client.feedback.list(flow_id, order="DESC")] == [feedback.id]
    assert [
        f.id
        for f in await async_flowise_client.feedback.list(
            flow_id, start_date=now - timedelta(minutes=10), end_date=now + timedelta(minutes=10)
        )
    ] == [feedback.id]

    counts = await stats.get(flow_id)
    assert (
        counts.total_messages,
        counts.total_sessions,
        counts.total_feedback,
        counts.positive_feedback,
    ) == (
        6,
        2,
        1,
        1,
    )
    # With a feedback filter only the rated answers and the question before each are counted.
    thumbs_up = await stats.get(flow_id, feedback_type="THUMBS_UP")
    assert (thumbs_up.total_messages, thumbs_up.total_sessions, thumbs_up.total_feedback) == (2, 1, 1)
    assert (await stats.get(flow_id, feedback_type="THUMBS_DOWN")).total_messages == 0

    rated_messages = await async_flowise_client.chat_messages.list(
        flow_id, feedback=True, session_id=session_a
    )
    assert [(m.content, m.feedback.rating if m.feedback else None) for m in rated_messages] == [
        ("a1", None),
        ("FAKE: a1", None),
        ("a2", None),
        ("FAKE: a2", "THUMBS_UP"),
    ]

    assert (
        await async_flowise_client.feedback.update(feedback.id, rating="THUMBS_DOWN", content="wrong") is None
    )
    [changed] = await async_flowise_client.feedback.list(flow_id)
    assert (changed.id, changed.rating, changed.content) == (feedback.id, "THUMBS_DOWN", "wrong")
    counts = await stats.get(flow_id)
    assert (counts.total_feedback, counts.positive_feedback) == (1, 0)
    assert (await stats.get(flow_id, feedback_type="THUMBS_UP")).total_messages == 0
    assert (await stats.get(flow_id, feedback_type=["THUMBS_UP", "THUMBS_DOWN"])).total_feedback == 1

    only_down = await async_flowise_client.chat_messages.list(
        flow_id, feedback=True, feedback_type="THUMBS_DOWN"
    )
    assert [m.content for m in only_down] == ["a2", "FAKE: a2"]

    # Feedback mode pages by session: one session per page here.
    page_one = await async_flowise_client.chat_messages.list(flow_id, feedback=True, page=1, limit=1)
    page_two = await async_flowise_client.chat_messages.list(flow_id, feedback=True, page=2, limit=1)
    assert len({m.session_id for m in page_one}) == 1
    assert len({m.session_id for m in page_two}) == 1
    assert {m.session_id for m in page_one + page_two} == {session_a, session_b}

    deleted = await async_flowise_client.chat_messages.delete(flow_id, session_id=session_a)
    assert deleted.affected == 4
    counts = await stats.get(flow_id)
    assert (counts.total_messages, counts.total_sessions, counts.total_feedback) == (2, 1, 0)
    assert await async_flowise_client.feedback.list(flow_id) == []


async def test_feedback_errors(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, session_id: str
) -> None:
    answer = await _ask(async_flowise_client, conversation_chatflow.id, "rate me", session_id)
    assert answer.chat_message_id is not None

    with pytest.raises(NotFoundError) as unknown_message:
        await async_flowise_client.feedback.create(message_id=str(uuid.uuid4()), rating="THUMBS_UP")
    assert unknown_message.value.status_code == 404

    with pytest.raises(NotFoundError) as unknown_feedback:
        await async_flowise_client.feedback.update(str(uuid.uuid4()), rating="THUMBS_UP")
    assert unknown_feedback.value.status_code == 404

    with pytest.raises(BadRequestError) as mismatch:
        await async_flowise_client.feedback.create(
            message_id=answer.chat_message_id, rating="THUMBS_UP", chat_id=_id("other-chat")
        )
    assert "Inconsistent chat ID" in mismatch.value.message
    assert await async_flowise_client.feedback.list(conversation_chatflow.id, chat_id=session_id) == []


async def test_leads_create_and_list(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> None:
    """Flowise has no route to delete a lead, so the leads created here stay on the server."""
    chat_id = _id("lead-chat")
    lead = await async_flowise_client.leads.create(
        chatflow_id=conversation_chatflow.id,
        name="Ada",
        email="ada@example.com",
        phone="+44 20 0000",
        chat_id=chat_id,
    )
    assert lead.chatflowid == conversation_chatflow.id
    assert (lead.name, lead.email, lead.phone, lead.chat_id) == (
        "Ada",
        "ada@example.com",
        "+44 20 0000",
        chat_id,
    )
    assert lead.created_date is not None

    generated = await async_flowise_client.leads.create(
        chatflow_id=conversation_chatflow.id, email="bo@example.com"
    )
    assert generated.chat_id is not None
    assert str(uuid.UUID(generated.chat_id)) == generated.chat_id
    assert generated.name is None

    # Listing reads the logged-in UI user's workspace, which an API key never sets.
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.leads.list(conversation_chatflow.id)
    assert info.value.status_code == 404
    assert "workspace undefined not found" in info.value.message
