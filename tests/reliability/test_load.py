"""Load on the real Flowise: many sessions and streams at once, and nothing lost or crossed.

* 500 predictions over 50 concurrent sessions of the ConversationChain flow (Buffer Memory keyed by
  ``sessionId``): each session's stored history holds exactly its own question/answer pairs, in
  order, and every model call saw only its own session's earlier turns.
* 200 concurrent streams with distinct chat ids on one client: each gets its own answer, token by
  token, and its own metadata.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from flowise_integrations import AsyncFlowise
from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.types import Chatflow
from flowise_integrations.types import stream_events as ev

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

SESSIONS = 50
TURNS = 10  # per session: 500 predictions
STREAMS = 200


@pytest.fixture
async def wide_client(flowise_stack: LocalStack) -> AsyncIterator[AsyncFlowise]:
    """A client whose pool holds every stream of the test open at once (the default allows 100)."""
    limits = httpx.Limits(max_connections=STREAMS + 20, max_keepalive_connections=STREAMS + 20)
    async with httpx.AsyncClient(limits=limits) as http:
        yield flowise_stack.async_client(http_client=http)


def _question(session: int, turn: int, tag: str) -> str:
    return f"session {session} turn {turn} {tag}"


async def test_500_predictions_over_50_sessions_keep_each_history(
    wide_client: AsyncFlowise,
    conversation_chatflow: Chatflow,
    flowise_model: ModelStandIn,
) -> None:
    flow = conversation_chatflow.id
    tag = uuid.uuid4().hex[:8]
    sessions = [f"load-{tag}-{n}" for n in range(SESSIONS)]

    async def converse(n: int) -> None:
        for turn in range(TURNS):
            question = _question(n, turn, tag)
            answer = await wide_client.predictions.create(
                flow, question, override_config={"sessionId": sessions[n]}
            )
            assert answer.text == f"FAKE: {question}"
            assert answer.session_id == sessions[n]

    started = time.monotonic()
    try:
        await asyncio.gather(*(converse(n) for n in range(SESSIONS)))
        elapsed = time.monotonic() - started

        for n, session in enumerate(sessions):
            stored = await wide_client.chat_messages.list(flow, session_id=session)
            expected = []
            for turn in range(TURNS):
                question = _question(n, turn, tag)
                expected += [("userMessage", question), ("apiMessage", f"FAKE: {question}")]
            assert [(message.role, message.content) for message in stored] == expected, session
            assert {message.session_id for message in stored} == {session}

        # Buffer Memory fed every model call its own session's earlier turns, and nothing else.
        calls = [
            request
            for request in flowise_model.chat_requests()
            if tag in str(request["messages"][-1].get("content"))
        ]
        assert len(calls) == SESSIONS * TURNS
        for request in calls:
            messages = [m for m in request["messages"] if m["role"] != "system"]
            _, n_text, _, turn_text, _ = messages[-1]["content"].split(" ")
            n, turn = int(n_text), int(turn_text)
            expected_messages = []
            for earlier in range(turn):
                question = _question(n, earlier, tag)
                expected_messages += [("user", question), ("assistant", f"FAKE: {question}")]
            expected_messages.append(("user", _question(n, turn, tag)))
            assert [(m["role"], m["content"]) for m in messages] == expected_messages
    finally:
        for session in sessions:
            with contextlib.suppress(Exception):
                await wide_client.chat_messages.delete(flow, session_id=session)
    print(f"\n{SESSIONS * TURNS} predictions over {SESSIONS} sessions: {elapsed:.1f} s")


async def test_200_concurrent_streams_get_their_own_text(
    wide_client: AsyncFlowise,
    conversation_chatflow: Chatflow,
    flowise_model: ModelStandIn,
) -> None:
    flow = conversation_chatflow.id
    tag = uuid.uuid4().hex[:8]
    # A small delay per token keeps all the streams open together.
    flowise_model.token_delay = 0.02

    open_now, peak = 0, 0

    async def run(n: int) -> None:
        nonlocal open_now, peak
        chat_id = f"stream-{tag}-{n}"
        question = f"stream {n} of {tag} with several words"
        tokens = []
        async with wide_client.predictions.stream(flow, question, chat_id=chat_id) as stream:
            open_now += 1
            peak = max(peak, open_now)
            async for event in stream:
                if isinstance(event, ev.TokenEvent):
                    tokens.append(event.data)
                elif isinstance(event, ev.MetadataEvent):
                    assert event.data.chat_id == chat_id
            final = await stream.final()
            open_now -= 1
        assert "".join(tokens) == f"FAKE: {question}"
        assert final.text == f"FAKE: {question}"
        assert final.chat_id == chat_id

    started = time.monotonic()
    try:
        await asyncio.gather(*(run(n) for n in range(STREAMS)))
    finally:
        for n in range(STREAMS):
            with contextlib.suppress(Exception):
                await wide_client.chat_messages.delete(flow, chat_id=f"stream-{tag}-{n}")
    print(f"\n{STREAMS} concurrent streams: {time.monotonic() - started:.1f} s, at most {peak} open at once")
    assert peak >= STREAMS // 2  # they really ran side by side
