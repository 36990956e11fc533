"""Flowise's production topology under load and faults: queue mode (Redis, 2 BullMQ workers) on Postgres.

* load: 2,000 predictions over 100 concurrent sessions and 300 concurrent streams, checked as in
  ``load_checks.py``, and no socket to the server left open once the client closes;
* a worker SIGKILLed while streams and predictions run on it: every call either completes with its
  own full answer (on the other worker) or fails with a typed error, never a cut or doubled answer
  reported as success; calls after the kill succeed; the restarted worker rejoins the queue;
* Redis restarted mid-run, and the main server stopped mid-stream: typed errors, no hang, and the
  same client works once the servers are back;
* ``stream.abort()`` stops the run on the worker: on the server, the execution's LLM node failed with
  the abort and no answer was stored.

Each test leaves every process of the topology running (``healthy_queue``), whatever it broke.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from flowise_integrations import APIConnectionError, APIError, APITimeoutError, AsyncFlowise
from flowise_integrations.testing import FlowiseProcess, LocalFlowise, LocalStack, ModelStandIn, flows
from flowise_integrations.types import Execution
from tests.reliability.load_checks import sessions_keep_their_history, streams_keep_their_text, wide_client
from tests.reliability.sockets import open_fds, sockets_to

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]

SESSIONS = 100
TURNS = 20  # per session: 2,000 predictions
STREAMS = 300
IDLE_TIMEOUT = 5.0  # below BullMQ's stalled-job recovery (15-60 s), so a rerun cannot join a stream
LONG_QUESTION = " ".join(f"word{n}" for n in range(30))


@dataclass(frozen=True)
class QueueFlows:
    conversation: str
    model_agentflow: str


@pytest.fixture(scope="module")
def queue_flows(flowise_queue_stack: LocalStack) -> Iterator[QueueFlows]:
    stack = flowise_queue_stack
    with stack.client() as client:  # closed before the tests: they count the sockets to the server
        created = QueueFlows(
            conversation=flows.create_conversation_chatflow(client, model_base_url=stack.model_base_url).id,
            model_agentflow=flows.create_model_agentflow(client, model_base_url=stack.model_base_url).id,
        )
    yield created
    with stack.client() as client:
        for flow_id in (created.conversation, created.model_agentflow):
            with contextlib.suppress(APIError):
                client.chatflows.delete(flow_id)


@pytest.fixture
def queue_server(flowise_queue_stack: LocalStack) -> Iterator[LocalFlowise]:
    """The queue-mode server; afterwards Redis, the main server and every worker run again."""
    server = flowise_queue_stack.flowise
    assert server is not None
    assert server.redis is not None
    yield server
    if not server.redis.running:
        server.redis.start()
    assert server.main is not None
    server.main.start()
    for worker in server.workers:
        worker.start()
    assert server.queue_workers() == len(server.workers)


@pytest.fixture
def queue_model(flowise_queue_stack: LocalStack) -> Iterator[ModelStandIn]:
    model = flowise_queue_stack.model
    yield model
    model.reset()
    model.token_delay = 0.0


def _expected(question: str) -> str:
    return f"FAKE: {question}"


def _non_socket_fds() -> int:
    return sum(count for target, count in open_fds().items() if not target.startswith("socket:"))


# ---------------------------------------------------------------------------------------------- load


async def test_2000_predictions_over_100_sessions_keep_each_history(
    flowise_queue_stack: LocalStack, queue_flows: QueueFlows, queue_model: ModelStandIn
) -> None:
    port = flowise_queue_stack.flowise.port  # type: ignore[union-attr]
    files_before = _non_socket_fds()
    async with wide_client(flowise_queue_stack, SESSIONS) as client:
        figures = await sessions_keep_their_history(
            client, queue_flows.conversation, queue_model, sessions=SESSIONS, turns=TURNS
        )
        assert 0 < sockets_to(port) <= SESSIONS + 20
    assert sockets_to(port) == 0
    assert _non_socket_fds() == files_before
    print(f"\nqueue mode, predictions over {SESSIONS} sessions: {figures}")


async def test_300_concurrent_streams_on_2_workers_get_their_own_text(
    flowise_queue_stack: LocalStack, queue_flows: QueueFlows, queue_model: ModelStandIn
) -> None:
    port = flowise_queue_stack.flowise.port  # type: ignore[union-attr]
    files_before = _non_socket_fds()
    async with wide_client(flowise_queue_stack, STREAMS) as client:
        figures = await streams_keep_their_text(
            client, queue_flows.conversation, queue_model, streams=STREAMS
        )
    assert sockets_to(port) == 0
    assert _non_socket_fds() == files_before
    print(f"\nqueue mode, concurrent streams: {figures}")


# -------------------------------------------------------------------------------------------- faults


@dataclass
class Outcome:
    """How one call ended: its answer, or the error it raised, and when."""

    expected: str
    text: str | None = None
    error: APIError | None = None
    ended: float = 0.0

    @property
    def completed(self) -> bool:
        return self.error is None and self.text == self.expected


class InFlight:
    """Streams and predictions started together on one flow, each with its own chat id."""

    def __init__(self, client: AsyncFlowise, flow: str, *, streams: int, predictions: int) -> None:
        self._client, self._flow = client, flow
        self._tag = uuid.uuid4().hex[:6]
        self._streams, self._predictions = streams, predictions
        self._streaming = 0
        self.all_streaming = asyncio.Event()
        """Set once every stream has received its first token: all runs are under way on a worker."""

    def _question(self, n: int) -> str:
        return f"{self._tag} call {n} {LONG_QUESTION}"

    async def _stream(self, n: int) -> Outcome:
        outcome = Outcome(_expected(self._question(n)))
        try:
            async with self._client.predictions.stream(
                self._flow, self._question(n), chat_id=f"{self._tag}-{n}", idle_timeout=IDLE_TIMEOUT
            ) as stream:
                started = False
                async for _ in stream.text_stream:
                    if not started:
                        started = True
                        self._streaming += 1
                        if self._streaming == self._streams:
                            self.all_streaming.set()
                outcome.text = (await stream.final()).text
        except APIError as exc:
            outcome.error = exc
        outcome.ended = time.monotonic()
        return outcome

    async def _predict(self, n: int) -> Outcome:
        outcome = Outcome(_expected(self._question(n)))
        try:
            outcome.text = (await self._client.predictions.create(self._flow, self._question(n))).text
        except APIError as exc:
            outcome.error = exc
        outcome.ended = time.monotonic()
        return outcome

    def start(self) -> asyncio.Future[list[Outcome]]:
        streams = [self._stream(n) for n in range(self._streams)]
        predictions = [self._predict(self._streams + n) for n in range(self._predictions)]
        return asyncio.gather(*streams, *predictions)


def _running_jobs(worker: FlowiseProcess, since: int) -> int:
    """Prediction jobs the worker has started but not finished since byte ``since`` of its log."""
    with worker.log_path.open("rb") as log:
        log.seek(since)
        text = log.read().decode(errors="replace")
    lines = [line for line in text.splitlines() if "flowise-queue-prediction" in line]

    def count(marker: str) -> int:
        return sum(marker in line for line in lines)

    return count("Processing job") - count("Completed job") - count("failed in flowise-queue-prediction")


def _report(what: str, outcomes: list[Outcome], fault_at: float) -> None:
    failed = [o for o in outcomes if o.error is not None]
    kinds = sorted({type(o.error).__name__ for o in failed})
    last = max(o.ended for o in outcomes) - fault_at
    print(
        f"\n{what}: {len(outcomes)} calls, {len(outcomes) - len(failed)} completed, {len(failed)} failed "
        f"({', '.join(kinds) or '-'}), the last ended {last:.1f} s after the fault"
    )


def _assert_no_silent_damage(outcomes: list[Outcome]) -> None:
    """Every call completed with exactly its own answer or raised; none succeeded with other text."""
    for outcome in outcomes:
        if outcome.error is None:
            assert outcome.text == outcome.expected


async def _answers(client: AsyncFlowise, flow: str, count: int) -> None:
    questions = [f"after {n} {uuid.uuid4().hex[:6]}" for n in range(count)]
    answers = await asyncio.gather(*(client.predictions.create(flow, q) for q in questions))
    assert [answer.text for answer in answers] == [_expected(q) for q in questions]


async def test_sigkill_of_a_worker_mid_flight(
    flowise_queue_stack: LocalStack,
    queue_server: LocalFlowise,
    queue_flows: QueueFlows,
    queue_model: ModelStandIn,
) -> None:
    queue_model.token_delay = 0.1  # about 3 s per answer: the kill lands mid-run
    offsets = [worker.log_path.stat().st_size for worker in queue_server.workers]
    async with flowise_queue_stack.async_client() as client:
        calls = InFlight(client, queue_flows.conversation, streams=20, predictions=20)
        running = calls.start()
        await calls.all_streaming.wait()
        busy = [
            _running_jobs(worker, offset)
            for worker, offset in zip(queue_server.workers, offsets, strict=True)
        ]
        victim = queue_server.workers[busy.index(max(busy))]
        victim.kill()
        killed_at = time.monotonic()
        outcomes = await running

        streams, predictions = outcomes[:20], outcomes[20:]
        _assert_no_silent_damage(outcomes)
        failed_streams = [o for o in streams if o.error is not None]
        assert failed_streams, f"the kill hit no stream (jobs per worker: {busy})"
        for outcome in failed_streams:
            assert isinstance(outcome.error, APITimeoutError), outcome.error
            assert outcome.error.phase == "idle"
            assert outcome.expected.startswith(outcome.error.partial_text or "")
        # A non-streaming prediction has no wire to watch: BullMQ reruns its job on the other worker.
        assert all(o.completed for o in predictions), [o.error for o in predictions if o.error]
        _report("worker SIGKILL, streams", streams, killed_at)
        _report("worker SIGKILL, predictions", predictions, killed_at)

        await _answers(client, queue_flows.conversation, 10)  # one worker left: calls still succeed
        assert queue_server.queue_workers() == 1
        victim.start()  # waits until BullMQ counts it again
        assert queue_server.queue_workers() == 2
        await _answers(client, queue_flows.conversation, 10)


async def test_redis_restart_mid_run(
    flowise_queue_stack: LocalStack,
    queue_server: LocalFlowise,
    queue_flows: QueueFlows,
    queue_model: ModelStandIn,
) -> None:
    assert queue_server.redis is not None
    assert queue_server.main is not None
    queue_model.token_delay = 0.1
    async with flowise_queue_stack.async_client(timeout=20.0) as client:
        calls = InFlight(client, queue_flows.conversation, streams=10, predictions=10)
        running = calls.start()
        await calls.all_streaming.wait()
        queue_server.redis.restart()
        restarted_at = time.monotonic()
        outcomes = await running
        _assert_no_silent_damage(outcomes)
        for outcome in outcomes:
            assert outcome.error is None or isinstance(outcome.error, APIConnectionError), outcome.error
        _report("Redis restart", outcomes, restarted_at)

        # Flowise's main keeps a Redis client that never reconnects: back to work after its restart.
        queue_server.main.stop()
        queue_server.main.start()
        await _answers(client, queue_flows.conversation, 10)


async def test_main_server_stopped_mid_stream(
    flowise_queue_stack: LocalStack,
    queue_server: LocalFlowise,
    queue_flows: QueueFlows,
    queue_model: ModelStandIn,
) -> None:
    assert queue_server.main is not None
    queue_model.token_delay = 0.1
    async with flowise_queue_stack.async_client() as client:
        calls = InFlight(client, queue_flows.conversation, streams=10, predictions=0)
        running = calls.start()
        await calls.all_streaming.wait()
        queue_server.main.stop()
        stopped_at = time.monotonic()
        outcomes = await running
        _assert_no_silent_damage(outcomes)
        for outcome in outcomes:
            assert isinstance(outcome.error, APIConnectionError), outcome.error
            assert outcome.error.partial_text, "the text that arrived is kept"
            assert outcome.expected.startswith(outcome.error.partial_text)
        _report("main server stopped", outcomes, stopped_at)

        queue_server.main.start()
        await _answers(client, queue_flows.conversation, 10)  # the same client, new connections


# --------------------------------------------------------------------------------------------- abort


async def test_abort_stops_the_run_on_the_worker(
    flowise_queue_stack: LocalStack, queue_flows: QueueFlows, queue_model: ModelStandIn
) -> None:
    queue_model.token_delay = 0.3  # about 10 s for the whole answer
    flow = queue_flows.model_agentflow
    async with flowise_queue_stack.async_client() as client:
        async with client.predictions.stream(flow, LONG_QUESTION) as stream:
            async for text in stream.text_stream:
                if text:  # the model's first chunk is an empty one
                    await stream.abort()
        session = stream.chat_id
        assert stream.text
        assert len(stream.text) < len(_expected(LONG_QUESTION))

        execution = await _settled_execution(client, flow, session)
        llm = execution.executed_nodes[-1]
        print(
            f"\naborted run: execution {execution.state}, {llm.node_id} {llm.status}: {llm.data.get('error')}"
        )
        # The worker stopped the model call: the node failed with the abort, not with an answer.
        assert llm.node_id == "llmAgentflow_0"
        assert execution.state in ("TERMINATED", "ERROR")  # 3.1.4 says ERROR: see docs/quirks.md
        assert llm.status == execution.state
        assert "abort" in str(llm.data.get("error")).lower()
        messages = await client.chat_messages.list(flow, chat_id=session)
        assert _expected(LONG_QUESTION) not in [message.content for message in messages]


async def _settled_execution(client: AsyncFlowise, flow: str, session: str) -> Execution:
    """The session's execution once the worker has written its final state (it does so after abort)."""
    deadline = time.monotonic() + 30
    while True:
        page = await client.executions.list(agentflow_id=flow, session_id=session)
        if page.items and page.items[0].state != "INPROGRESS":
            return page.items[0]
        assert time.monotonic() < deadline, (
            f"the execution is still {page.items[0].state if page.items else None}"
        )
        await asyncio.sleep(0.2)
