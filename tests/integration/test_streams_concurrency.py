"""Concurrent prediction streams on one async client (asyncio only, so not generated for the sync client)."""

from __future__ import annotations

import asyncio
import uuid

from flowise_integrations import AsyncFlowise, Prediction
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.types import Chatflow
from flowise_integrations.types import stream_events as ev


async def _run(
    client: AsyncFlowise, chatflow_id: str, question: str
) -> tuple[str, list[ev.StreamEvent], Prediction]:
    chat_id = str(uuid.uuid4())
    async with client.predictions.stream(chatflow_id, question, chat_id=chat_id) as stream:
        events = [event async for event in stream]
        final = await stream.final()
    return chat_id, events, final


async def test_two_concurrent_streams_get_their_own_text(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    # A small per-token delay keeps both streams open at the same time.
    flowise_model.token_delay = 0.05
    try:
        (chat_a, events_a, final_a), (chat_b, events_b, final_b) = await asyncio.gather(
            _run(async_flowise_client, conversation_chatflow.id, "alpha apple avocado apricot"),
            _run(async_flowise_client, conversation_chatflow.id, "beta banana blueberry blackberry"),
        )
    finally:
        flowise_model.token_delay = 0.0

    assert chat_a != chat_b
    assert final_a.text == "FAKE: alpha apple avocado apricot"
    assert final_b.text == "FAKE: beta banana blueberry blackberry"
    assert [e.data for e in events_a if isinstance(e, ev.TokenEvent)] == [
        "FAKE:",
        " alpha",
        " apple",
        " avocado",
        " apricot",
    ]
    assert [e.data for e in events_b if isinstance(e, ev.TokenEvent)] == [
        "FAKE:",
        " beta",
        " banana",
        " blueberry",
        " blackberry",
    ]
    for chat_id, events, final in ((chat_a, events_a, final_a), (chat_b, events_b, final_b)):
        assert events[-1] == ev.EndEvent("[DONE]")
        metadata = events[-2]
        assert isinstance(metadata, ev.MetadataEvent)
        assert metadata.data.chat_id == chat_id
        assert final.chat_id == chat_id
        assert final.session_id == chat_id
    # Both runs reached the model, each with only its own question.
    questions = sorted(r["messages"][-1]["content"] for r in flowise_model.chat_requests())
    assert questions == ["alpha apple avocado apricot", "beta banana blueberry blackberry"]
