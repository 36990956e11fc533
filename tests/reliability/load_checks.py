"""The load scenarios, shared by the single-process and the queue-mode load tests.

* :func:`sessions_keep_their_history`: ``sessions`` concurrent sessions of the ConversationChain flow
  (Buffer Memory keyed by ``sessionId``), ``turns`` predictions each: every answer is its own, each
  session's stored history holds exactly its own question/answer pairs in order, and every model
  call saw only its own session's earlier turns.
* :func:`streams_keep_their_text`: ``streams`` concurrent streams with distinct chat ids on one
  client: each gets its own answer, token by token, and its own metadata.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from flowise_integrations import AsyncFlowise
from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.types import stream_events as ev


@dataclass(frozen=True)
class LoadFigures:
    calls: int
    seconds: float
    peak_open: int = 0

    def __str__(self) -> str:
        peak = f", at most {self.peak_open} open at once" if self.peak_open else ""
        return f"{self.calls} calls in {self.seconds:.1f} s ({self.calls / self.seconds:.0f}/s){peak}"


@contextlib.asynccontextmanager
async def wide_client(stack: LocalStack, connections: int) -> AsyncIterator[AsyncFlowise]:
    """A client whose pool holds ``connections`` requests open at once (the default allows 100)."""
    limits = httpx.Limits(max_connections=connections + 20, max_keepalive_connections=connections + 20)
    async with httpx.AsyncClient(limits=limits) as http:
        yield stack.async_client(http_client=http)


def _question(session: int, turn: int, tag: str) -> str:
    return f"session {session} turn {turn} {tag}"


async def sessions_keep_their_history(
    client: AsyncFlowise, flow: str, model: ModelStandIn, *, sessions: int, turns: int
) -> LoadFigures:
    tag = uuid.uuid4().hex[:8]
    session_ids = [f"load-{tag}-{n}" for n in range(sessions)]

    async def converse(n: int) -> None:
        for turn in range(turns):
            question = _question(n, turn, tag)
            answer = await client.predictions.create(
                flow, question, override_config={"sessionId": session_ids[n]}
            )
            assert answer.text == f"FAKE: {question}"
            assert answer.session_id == session_ids[n]

    started = time.monotonic()
    try:
        await asyncio.gather(*(converse(n) for n in range(sessions)))
        figures = LoadFigures(calls=sessions * turns, seconds=time.monotonic() - started)

        for n, session in enumerate(session_ids):
            stored = await client.chat_messages.list(flow, session_id=session)
            expected = []
            for turn in range(turns):
                question = _question(n, turn, tag)
                expected += [("userMessage", question), ("apiMessage", f"FAKE: {question}")]
            assert [(message.role, message.content) for message in stored] == expected, session
            assert {message.session_id for message in stored} == {session}

        # Buffer Memory fed every model call its own session's earlier turns, and nothing else.
        calls = [
            request for request in model.chat_requests() if tag in str(request["messages"][-1].get("content"))
        ]
        assert len(calls) == sessions * turns
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
        for session in session_ids:
            with contextlib.suppress(Exception):
                await client.chat_messages.delete(flow, session_id=session)
    return figures


async def streams_keep_their_text(
    client: AsyncFlowise, flow: str, model: ModelStandIn, *, streams: int
) -> LoadFigures:
    tag = uuid.uuid4().hex[:8]
    model.token_delay = 0.02  # a small delay per token keeps all the streams open together
    open_now, peak = 0, 0

    async def run(n: int) -> None:
        nonlocal open_now, peak
        chat_id = f"stream-{tag}-{n}"
        question = f"stream {n} of {tag} with several words"
        tokens = []
        async with client.predictions.stream(flow, question, chat_id=chat_id) as stream:
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
        await asyncio.gather(*(run(n) for n in range(streams)))
    finally:
        for n in range(streams):
            with contextlib.suppress(Exception):
                await client.chat_messages.delete(flow, chat_id=f"stream-{tag}-{n}")
    figures = LoadFigures(calls=streams, seconds=time.monotonic() - started, peak_open=peak)
    assert peak >= streams // 2  # they really ran side by side
    return figures
