"""Opt-in pytest fixtures for a real local Flowise (registered through the ``pytest11`` entry point).

Nothing starts unless a test asks for a fixture. ``flowise_stack`` starts the model stand-in,
Chroma and Flowise once per session (or uses the server named by ``FLOWISE_BASE_URL`` and
``FLOWISE_API_KEY``); the flow fixtures create their flows once per session, except
``rate_limited_chatflow`` which is new for every test. Without Node.js/npm the fixtures skip
with a message, except under ``CI`` where a harness that cannot start fails the run.

The topology of ``flowise_stack`` is chosen per run, so one suite can be run against each:
``--flowise-version=3.0.13`` (any Flowise release), ``--flowise-mode=queue`` (Redis and BullMQ
workers), ``--flowise-workers=N`` and ``--flowise-database=postgres``, or the same as
``FLOWISE_TESTING_VERSION``, ``FLOWISE_TESTING_MODE``, ``FLOWISE_TESTING_WORKERS`` and
``FLOWISE_TESTING_DATABASE``. ``flowise_queue_stack`` is always a local queue-mode server on
PostgreSQL, for tests that need one whatever the run's topology (it is ``flowise_stack`` itself
when that already is one).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import cast, get_args

import pytest

from .. import AsyncFlowise, Flowise
from .._constants import ENV_BASE_URL
from ..types import Chatflow
from . import flows
from ._install import DEFAULT_FLOWISE_VERSION
from ._model import ModelStandIn
from ._server import Database, Mode
from ._stack import LocalStack

VERSION_ENV = "FLOWISE_TESTING_VERSION"
MODE_ENV = "FLOWISE_TESTING_MODE"
WORKERS_ENV = "FLOWISE_TESTING_WORKERS"
DATABASE_ENV = "FLOWISE_TESTING_DATABASE"


@dataclass(frozen=True)
class Topology:
    """How the session's Flowise runs: its ``version``, ``mode``, ``workers`` (queue mode) and
    ``database``."""

    version: str = DEFAULT_FLOWISE_VERSION
    mode: Mode = "main"
    workers: int = 2
    database: Database = "sqlite"

    @classmethod
    def from_config(cls, config: pytest.Config) -> Topology:
        """The command line's choice, else the environment's, else the defaults (one process, SQLite)."""

        def choose(option: str, env: str, allowed: tuple[str, ...]) -> str | None:
            value = config.getoption(option) or os.environ.get(env) or None
            if value is not None and value not in allowed:
                raise pytest.UsageError(f"{env} must be one of {', '.join(allowed)}, not {value!r}")
            return value

        mode = choose("flowise_mode", MODE_ENV, get_args(Mode)) or cls.mode
        database = choose("flowise_database", DATABASE_ENV, get_args(Database)) or cls.database
        workers_text = config.getoption("flowise_workers") or os.environ.get(WORKERS_ENV) or str(cls.workers)
        try:
            workers = int(workers_text)
        except ValueError:
            raise pytest.UsageError(f"{WORKERS_ENV} must be a whole number, not {workers_text!r}") from None
        if workers < 1:
            raise pytest.UsageError(f"{WORKERS_ENV} must be at least 1, not {workers}")
        version = config.getoption("flowise_version") or os.environ.get(VERSION_ENV) or cls.version
        return cls(version=version, mode=cast(Mode, mode), workers=workers, database=cast(Database, database))

    def __str__(self) -> str:
        workers = f" with {self.workers} workers" if self.mode == "queue" else ""
        return f"flowise@{self.version}, mode={self.mode}{workers}, database={self.database}"


QUEUE_TOPOLOGY = Topology(mode="queue", workers=2, database="postgres")
"""What ``flowise_queue_stack`` runs: Flowise's production scale-out."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("flowise", "local Flowise (flowise_integrations.testing)")
    group.addoption(
        "--flowise-version",
        help=f"the Flowise release flowise_stack runs (default {DEFAULT_FLOWISE_VERSION}); env {VERSION_ENV}",
    )
    group.addoption(
        "--flowise-mode",
        choices=get_args(Mode),
        help=f"flowise_stack as one process (main) or with Redis and BullMQ workers (queue); env {MODE_ENV}",
    )
    group.addoption("--flowise-workers", help=f"queue workers in queue mode (default 2); env {WORKERS_ENV}")
    group.addoption(
        "--flowise-database",
        choices=get_args(Database),
        help=f"the database flowise_stack runs on (default sqlite); env {DATABASE_ENV}",
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"flowise_stack topology: {Topology.from_config(config)}"


def _skip_or_fail_without_node() -> None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing and not os.environ.get(ENV_BASE_URL):
        message = (
            f"{' and '.join(missing)} not found: the local Flowise needs Node.js and npm "
            "(or set FLOWISE_BASE_URL and FLOWISE_API_KEY to use a running server)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _local_stack(topology: Topology, *, use_env_server: bool) -> LocalStack:
    return LocalStack(
        flowise_version=topology.version,
        mode=topology.mode,
        workers=topology.workers,
        database=topology.database,
        use_env_server=use_env_server,
    )


@pytest.fixture(scope="session")
def flowise_topology(pytestconfig: pytest.Config) -> Topology:
    """The topology ``flowise_stack`` runs (``--flowise-mode`` and friends)."""
    return Topology.from_config(pytestconfig)


@pytest.fixture(scope="session")
def flowise_stack(flowise_topology: Topology) -> Iterator[LocalStack]:
    """The running stack: ``base_url``, ``api_key``, ``model`` (the stand-in), ``chroma_url``."""
    _skip_or_fail_without_node()
    with _local_stack(flowise_topology, use_env_server=True) as stack:
        yield stack


@pytest.fixture(scope="session")
def flowise_queue_stack(request: pytest.FixtureRequest, flowise_topology: Topology) -> Iterator[LocalStack]:
    """A local stack whose Flowise runs in queue mode (Redis, 2 workers) on PostgreSQL.

    Its processes are reachable for fault injection: ``stack.flowise.workers[0].kill()``,
    ``stack.flowise.redis.restart()``, ``stack.flowise.main.stop()`` and ``.start()`` again.
    """
    if flowise_topology == QUEUE_TOPOLOGY:
        session_stack: LocalStack = request.getfixturevalue("flowise_stack")
        if session_stack.flowise is not None:  # a local one, not FLOWISE_BASE_URL's server
            yield session_stack
            return
    _skip_or_fail_without_node()
    with _local_stack(QUEUE_TOPOLOGY, use_env_server=False) as stack:
        yield stack


@pytest.fixture(scope="session")
def flowise_server(flowise_stack: LocalStack) -> LocalStack:
    """Alias of ``flowise_stack`` for tests that only need the server's URL and key."""
    return flowise_stack


@pytest.fixture
def flowise_model(flowise_stack: LocalStack) -> Iterator[ModelStandIn]:
    """The model stand-in, holding only what this test sends it.

    Recorded requests and scripted replies are cleared before the test (other tests share the stack
    without asking for this fixture) and after it, and the token delay is restored.
    """
    model = flowise_stack.model
    token_delay = model.token_delay
    model.reset()
    yield model
    model.reset()
    model.token_delay = token_delay


@pytest.fixture(scope="session")
def flowise_client(flowise_stack: LocalStack) -> Iterator[Flowise]:
    with flowise_stack.client() as client:
        yield client


@pytest.fixture
async def async_flowise_client(flowise_stack: LocalStack) -> AsyncIterator[AsyncFlowise]:
    async with flowise_stack.async_client() as client:
        yield client


@pytest.fixture(scope="session")
def echo_agentflow(flowise_client: Flowise) -> Chatflow:
    """Agentflow v2, no model: answers ``"Echo: <question>"``."""
    return flows.create_echo_agentflow(flowise_client)


@pytest.fixture(scope="session")
def human_input_agentflow(flowise_client: Flowise) -> Chatflow:
    """Agentflow v2 that stops at a Human Input node ("Approve?"): ``proceed`` answers
    ``"Approved"``, ``reject`` answers ``"Rejected"``."""
    return flows.create_human_input_agentflow(flowise_client)


@pytest.fixture(scope="session")
def conversation_chatflow(flowise_client: Flowise, flowise_stack: LocalStack) -> Chatflow:
    """ConversationChain on the stand-in with Buffer Memory: streams tokens, remembers per session."""
    return flows.create_conversation_chatflow(flowise_client, model_base_url=flowise_stack.model_base_url)


@pytest.fixture(scope="session")
def custom_function_chatflow(flowise_client: Flowise) -> Chatflow:
    """Custom JS Function ending node: answers ``"Echo: <question>"`` as JSON even when streaming."""
    return flows.create_custom_function_chatflow(flowise_client)


@pytest.fixture
def rate_limited_chatflow(flowise_client: Flowise) -> Iterator[Chatflow]:
    """A fresh echo agentflow limited to 2 predictions a minute."""
    chatflow = flows.create_rate_limited_chatflow(flowise_client, limit=2, window_seconds=60)
    yield chatflow
    flowise_client.chatflows.delete(chatflow.id)


@pytest.fixture(scope="session")
def document_store(flowise_client: Flowise, flowise_stack: LocalStack) -> str:
    """The id of a document store holding :data:`flows.DEFAULT_CORPUS` in Chroma."""
    store_id, _ = flows.create_document_store(
        flowise_client, model_base_url=flowise_stack.model_base_url, chroma_url=flowise_stack.chroma_url
    )
    return store_id


@pytest.fixture(scope="session")
def retrieval_chatflow(flowise_client: Flowise, flowise_stack: LocalStack, document_store: str) -> Chatflow:
    """Conversational retrieval QA over ``document_store``, returning source documents."""
    return flows.create_retrieval_chatflow(
        flowise_client, model_base_url=flowise_stack.model_base_url, store_id=document_store
    )
