"""A real, throwaway Flowise server for integration tests: install, start, bootstrap, stop.

:class:`LocalFlowise` runs a pinned npm release of Flowise under Node 24 on a free loopback port,
with every piece of state (database, encryption key, uploads, logs, even ``$HOME``) in a temporary
directory that is deleted on :meth:`LocalFlowise.stop`. Once the server answers
``/api/v1/ping`` it registers an owner account and creates an API key, so tests start from a
server that accepts ``Authorization: Bearer <api_key>``.

Two topologies, chosen independently:

* ``mode="main"`` (default): one process runs the HTTP API and every flow. ``mode="queue"``: the
  production scale-out, a main server that takes HTTP and puts each prediction on a BullMQ queue
  in a harness-run Redis, and ``workers`` ``flowise worker`` processes that run the flows and
  relay streamed events back through Redis pub/sub.
* ``database="sqlite"`` (default) or ``"postgres"``: a harness-run PostgreSQL server.

Every process is reachable for fault injection: :attr:`LocalFlowise.main` and each of
:attr:`LocalFlowise.workers` can be killed, stopped and started again; :attr:`LocalFlowise.redis`
can be restarted.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import weakref
from base64 import b64encode
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import httpx

from ._bootstrap import basic_auth_environment, bootstrap
from ._cache import progress
from ._flowise_env import HOST, PRELOAD_PATH, flowise_environment
from ._install import DEFAULT_FLOWISE_VERSION, install_flowise, node_for_flowise
from ._postgres import LocalPostgres
from ._process import HarnessError, ManagedProcess, free_port
from ._redis import LocalRedis
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

    from flowise_integrations import AsyncFlowise, Flowise

__all__ = ["PRELOAD_PATH", "Database", "FlowiseProcess", "LocalFlowise", "Mode"]

Mode = Literal["main", "queue"]
Database = Literal["sqlite", "postgres"]

_PREDICTION_QUEUE = "flowise-queue-prediction"  # Flowise's default QUEUE_NAME + "-prediction"
# BullMQ names each worker's connection "bull:<base64 of the queue name>" (Queue.getWorkers).
_WORKER_CLIENT_NAME = "bull:" + b64encode(_PREDICTION_QUEUE.encode()).decode()


class FlowiseProcess:
    """One process of a :class:`LocalFlowise`: the main server or a queue worker.

    :meth:`start` returns once the process is ready (the main server answers ``/ping``; a worker has
    joined the prediction queue), :meth:`stop` shuts it down, :meth:`kill` crashes it (SIGKILL).
    """

    def __init__(self, server: LocalFlowise, process: ManagedProcess, role: str) -> None:
        self._server = weakref.proxy(server)
        self._process = process
        self.role = role

    @property
    def name(self) -> str:
        return self._process.name

    @property
    def running(self) -> bool:
        return self._process.running

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def log_path(self) -> Path:
        return self._process.log_path

    def start(self) -> None:
        """Start the process (again) and wait until it is ready."""
        if self.running:
            return
        self._process.start()
        self._server._wait_ready(self)

    def stop(self) -> None:
        """Shut the process down gracefully (SIGTERM, then SIGKILL after 15 s)."""
        self._process.stop()

    def kill(self) -> None:
        """SIGKILL the process group, as a crash or an OOM kill would."""
        self._process.kill()

    def log_tail(self, lines: int = 60) -> str:
        return self._process.log_tail(lines)

    def __repr__(self) -> str:
        return f"FlowiseProcess({self.name!r}, running={self.running})"


class LocalFlowise(Service):
    """A Flowise server in child process groups, with its own data directory and API key.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. ``env`` entries are applied
    last and win over the harness's settings (e.g. ``{"HTTP_SECURITY_CHECK": "false"}``). A
    caller-supplied ``data_dir`` is kept on stop; otherwise a temporary one is created and removed.
    """

    def __init__(
        self,
        version: str = DEFAULT_FLOWISE_VERSION,
        *,
        mode: Mode = "main",
        workers: int = 2,
        database: Database = "sqlite",
        cache_dir: Path | str | None = None,
        port: int | None = None,
        data_dir: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        startup_timeout: float = 180.0,
    ) -> None:
        if mode not in ("main", "queue"):
            raise ValueError(f"mode must be 'main' or 'queue', not {mode!r}")
        if database not in ("sqlite", "postgres"):
            raise ValueError(f"database must be 'sqlite' or 'postgres', not {database!r}")
        if mode == "queue" and workers < 1:
            raise ValueError("queue mode needs at least one worker")
        self._version = version
        self._mode: Mode = mode
        self._worker_count = workers if mode == "queue" else 0
        self._database: Database = database
        self._cache_dir = cache_dir
        self._requested_port = port
        self._requested_data_dir = Path(data_dir).absolute() if data_dir is not None else None
        self._extra_env = dict(env or {})
        self._startup_timeout = startup_timeout
        self._port: int | None = None
        self._data_dir: Path | None = None
        self._api_key: str | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self.main: FlowiseProcess | None = None
        """The main server (HTTP API), while started."""
        self.workers: list[FlowiseProcess] = []
        """The queue workers (``mode="queue"``), while started."""
        self.redis: LocalRedis | None = None
        """The Redis server queue mode runs on, while started."""
        self.postgres: LocalPostgres | None = None
        """The PostgreSQL server (``database="postgres"``), while started."""

    # -- properties -------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """The Flowise release this server runs."""
        return self._version

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def database(self) -> Database:
        return self._database

    @property
    def running(self) -> bool:
        """Whether the main server process is alive."""
        return self.main is not None and self.main.running

    @property
    def port(self) -> int:
        """The TCP port the server listens on (chosen at :meth:`start` unless given)."""
        if self._port is None:
            raise HarnessError("LocalFlowise has not been started; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash or ``/api/v1``."""
        return f"http://{HOST}:{self.port}"

    @property
    def api_key(self) -> str:
        """The plaintext API key created at start-up (send as ``Authorization: Bearer <key>``)."""
        if self._api_key is None:
            raise HarnessError("LocalFlowise is not running; call start() first")
        return self._api_key

    @property
    def data_dir(self) -> Path:
        """The directory holding this server's database, keys, uploads and logs."""
        if self._data_dir is None:
            raise HarnessError("LocalFlowise has not been started; call start() first")
        return self._data_dir

    @property
    def log_path(self) -> Path:
        """The main server's console output (stdout and stderr)."""
        return self.data_dir / "flowise.log"

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        """Install (if needed), start every process, wait until ready and bootstrap an API key."""
        if self.running:
            return self
        self.stop()  # clear up after a server that died on its own
        node = node_for_flowise(self._version, cache_dir=self._cache_dir)
        install_dir = install_flowise(self._version, cache_dir=self._cache_dir, node=node)
        self._prepare_state()
        self.postgres = LocalPostgres() if self._database == "postgres" else None
        self.redis = LocalRedis() if self._mode == "queue" else None
        managed: list[ManagedProcess] = []
        self._finalizer = weakref.finalize(
            self, _shutdown, managed, [self.redis, self.postgres], self._owned_data_dir()
        )
        started = time.monotonic()
        try:
            for backing in (self.postgres, self.redis):
                if backing is not None:
                    backing.start()
            env = flowise_environment(
                node=node,
                install_dir=install_dir,
                data_dir=self.data_dir,
                port=self.port,
                redis=self.redis,
                postgres=self.postgres,
                extra={**basic_auth_environment(self._version), **self._extra_env},
            )
            launcher = [str(node.node), str(install_dir / "node_modules" / ".bin" / "flowise")]

            def process(role: str, command: str, log_name: str) -> FlowiseProcess:
                managed.append(
                    ManagedProcess(
                        f"flowise@{self._version} {role}",
                        [*launcher, command],
                        log_path=self.data_dir / log_name,
                        env=env,
                        cwd=install_dir,
                        scratch=self._owned_data_dir(),
                    )
                )
                return FlowiseProcess(self, managed[-1], role)

            self.main = process("main", "start", "flowise.log")
            self.workers = [
                process(f"worker {n}", "worker", f"flowise-worker-{n}.log") for n in range(self._worker_count)
            ]
            progress(
                f"starting flowise@{self._version} ({self._topology()}) on {self.base_url} "
                f"(log: {self.log_path})"
            )
            self.main.start()
            self._api_key = self._bootstrap()
            for worker in self.workers:
                worker.start()
        except BaseException:
            self.stop()
            raise
        progress(f"flowise@{self._version} ready in {time.monotonic() - started:.1f}s")
        return self

    def stop(self) -> None:
        """Stop every process and server and delete the data directory unless the caller owns it."""
        if self._finalizer is not None:
            self._finalizer()
        self._finalizer = None
        self.main, self.workers, self.redis, self.postgres = None, [], None, None
        self._api_key = None

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not started"
        topology = self._topology()
        return f"LocalFlowise(version={self._version!r}, {topology}, url={where!r}, running={self.running})"

    # -- clients ----------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> Flowise:
        """A synchronous :class:`flowise_integrations.Flowise` client for this server."""
        from flowise_integrations import Flowise

        return Flowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncFlowise:
        """An asynchronous :class:`flowise_integrations.AsyncFlowise` client for this server."""
        from flowise_integrations import AsyncFlowise

        return AsyncFlowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    # -- queue ------------------------------------------------------------------------------

    def queue_workers(self) -> int:
        """How many workers are connected to the prediction queue now (as BullMQ counts them)."""
        if self.redis is None:
            return 0
        return self.redis.client_names().count(_WORKER_CLIENT_NAME)

    # -- internals --------------------------------------------------------------------------

    def _topology(self) -> str:
        workers = f", {self._worker_count} workers" if self._mode == "queue" else ""
        return f"mode={self._mode}{workers}, database={self._database}"

    def _prepare_state(self) -> None:
        self._port = self._requested_port or free_port(HOST)
        if self._requested_data_dir is not None:
            self._data_dir = self._requested_data_dir
            self._data_dir.mkdir(parents=True, exist_ok=True)
        else:
            self._data_dir = Path(tempfile.mkdtemp(prefix="flowise-testing-"))
        for sub in ("database", "secrets", "logs", "storage"):
            (self._data_dir / sub).mkdir(exist_ok=True)

    def _owned_data_dir(self) -> Path | None:
        return None if self._requested_data_dir is not None else self._data_dir

    def _bootstrap(self) -> str:
        try:
            return bootstrap(self.base_url)
        except HarnessError as exc:
            assert self.main is not None
            raise HarnessError(f"{exc}\n{self.main.log_tail()}") from exc

    def _wait_ready(self, process: FlowiseProcess) -> None:
        """Block until ``process`` serves: the main server answers ``/ping``, a worker joined the queue."""
        managed = process._process
        if process is self.main:
            managed.wait_until(self._ping, timeout=self._startup_timeout, what="answering /api/v1/ping")
            if self._api_key is not None:
                self._bootstrap()  # a restart: the key is in the database already; check it still logs in
            return
        expected = sum(worker.running for worker in self.workers)
        managed.wait_until(
            lambda: self._queue_workers_or_zero() >= expected,
            timeout=self._startup_timeout,
            what=f"joining the prediction queue ({expected} workers expected)",
        )

    def _queue_workers_or_zero(self) -> int:
        try:
            return self.queue_workers()
        except (OSError, HarnessError):
            return 0

    def _ping(self) -> bool:
        try:
            response = httpx.get(f"{self.base_url}/api/v1/ping", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.text.strip() == "pong"


def _shutdown(
    processes: list[ManagedProcess], backing: list[Service | None], owned_data_dir: Path | None
) -> None:
    """Stop the Flowise processes, then Redis and PostgreSQL, then remove ``owned_data_dir``.

    Also runs at interpreter exit if the server was never stopped.
    """
    for process in reversed(processes):  # workers first: the main server is what clients see last
        process.stop()
    for service in backing:
        if service is not None:
            service.stop()
    if owned_data_dir is not None:
        shutil.rmtree(owned_data_dir, ignore_errors=True)
