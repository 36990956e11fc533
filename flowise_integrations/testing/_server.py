"""A real, throwaway Flowise server for integration tests: install, start, bootstrap, stop.

:class:`LocalFlowise` runs a pinned npm release of Flowise under Node 24 on a free loopback port,
with every piece of state (SQLite database, encryption key, uploads, logs, even ``$HOME``) in a
temporary directory that is deleted on :meth:`LocalFlowise.stop`. Once the server answers
``/api/v1/ping`` it registers an owner account and creates an API key, so tests start from a
server that accepts ``Authorization: Bearer <api_key>``.

The environment is made offline-friendly and hermetic: inherited Flowise settings (a developer's
``DATABASE_TYPE=postgres``, LangSmith tracing, ``NODE_ENV=production``...) are dropped, telemetry is
off, the model list is read from the install instead of GitHub, and a preload script answers
LangChain's tiktoken downloads from the bundled ranks (see ``data/tiktoken_preload.cjs``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from ._bootstrap import bootstrap
from ._cache import progress
from ._install import DEFAULT_FLOWISE_VERSION, install_flowise
from ._node import NodeRuntime, find_node
from ._process import HarnessError, ManagedProcess, free_port
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

    from flowise_integrations import AsyncFlowise, Flowise

__all__ = ["PRELOAD_PATH", "LocalFlowise"]

PRELOAD_PATH = Path(__file__).resolve().parent / "data" / "tiktoken_preload.cjs"
"""The CommonJS preload that serves tiktoken ranks offline (loaded with ``--require``)."""

_HOST = "127.0.0.1"

# Inherited variables that would change where Flowise keeps state, what it talks to, or how it
# authenticates; the harness decides these itself (callers can still set any of them via ``env``).
_DROPPED_PREFIXES = (
    "AZURE_BLOB_",
    "BLOB_STORAGE_",
    "CUSTOM_MCP_",
    "DATABASE_",
    "FLOWISE_",
    "GLOBAL_AGENT_",
    "GOOGLE_CLOUD_",
    "JWT_",
    "LANGCHAIN_",
    "LANGSMITH_",
    "LOG_",
    "METRICS_",
    "QUEUE_",
    "REDIS_",
    "S3_",
    "SECRETKEY_",
    "SMTP_",
)
_DROPPED_NAMES = frozenset(
    {
        "APP_URL",
        "DEBUG",
        "DISABLED_NODES",
        "ENABLE_METRICS",
        "EXPRESS_SESSION_SECRET",
        "HOST",
        "HTTP_DENY_LIST",
        "HTTP_SECURITY_CHECK",
        "LICENSE_URL",
        "MODE",
        "MODEL_LIST_CONFIG_JSON",
        "NODE_ENV",
        "OFFLINE",
        "PORT",
        "POSTHOG_PUBLIC_API_KEY",
        "SECURE_COOKIES",
        "STORAGE_TYPE",
        "TOKEN_HASH_SECRET",
    }
)


class LocalFlowise(Service):
    """A Flowise server in a child process group, with its own data directory and API key.

    Use as a context manager, or call :meth:`start` and :meth:`stop`. ``env`` entries are applied
    last and win over the harness's settings (e.g. ``{"HTTP_SECURITY_CHECK": "false"}``). A
    caller-supplied ``data_dir`` is kept on stop; otherwise a temporary one is created and removed.
    """

    def __init__(
        self,
        version: str = DEFAULT_FLOWISE_VERSION,
        *,
        cache_dir: Path | str | None = None,
        port: int | None = None,
        data_dir: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        startup_timeout: float = 180.0,
    ) -> None:
        self._version = version
        self._cache_dir = cache_dir
        self._requested_port = port
        self._requested_data_dir = Path(data_dir).absolute() if data_dir is not None else None
        self._extra_env = dict(env or {})
        self._startup_timeout = startup_timeout
        self._port: int | None = None
        self._data_dir: Path | None = None
        self._process: ManagedProcess | None = None
        self._api_key: str | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    # -- properties -------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """The Flowise release this server runs."""
        return self._version

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.running

    @property
    def port(self) -> int:
        """The TCP port the server listens on (chosen at :meth:`start` unless given)."""
        if self._port is None:
            raise HarnessError("LocalFlowise has not been started; call start() first")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, without a trailing slash or ``/api/v1``."""
        return f"http://{_HOST}:{self.port}"

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
        """The server's console output (stdout and stderr)."""
        return self.data_dir / "flowise.log"

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        """Install (if needed), start, wait for ``/api/v1/ping`` and bootstrap an API key."""
        if self.running:
            return self
        self.stop()  # clear up after a server that died on its own
        node = find_node(cache_dir=self._cache_dir)
        install_dir = install_flowise(self._version, cache_dir=self._cache_dir, node=node)
        self._prepare_state()
        process = ManagedProcess(
            f"flowise@{self._version}",
            [str(node.node), str(install_dir / "node_modules" / ".bin" / "flowise"), "start"],
            log_path=self.log_path,
            env=self._server_env(node, install_dir),
            cwd=install_dir,
        )
        self._process = process
        self._finalizer = weakref.finalize(self, _shutdown, process, self._owned_data_dir())
        try:
            self._launch(process)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the whole process group and delete the data directory unless the caller owns it."""
        if self._finalizer is not None:
            self._finalizer()
        self._finalizer = None
        self._process = None
        self._api_key = None

    def __repr__(self) -> str:
        where = self.base_url if self._port is not None else "not started"
        return f"LocalFlowise(version={self._version!r}, url={where!r}, running={self.running})"

    # -- clients ----------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> Flowise:
        """A synchronous :class:`flowise_integrations.Flowise` client for this server."""
        from flowise_integrations import Flowise

        return Flowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncFlowise:
        """An asynchronous :class:`flowise_integrations.AsyncFlowise` client for this server."""
        from flowise_integrations import AsyncFlowise

        return AsyncFlowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    # -- internals --------------------------------------------------------------------------

    def _prepare_state(self) -> None:
        self._port = self._requested_port or free_port(_HOST)
        if self._requested_data_dir is not None:
            self._data_dir = self._requested_data_dir
            self._data_dir.mkdir(parents=True, exist_ok=True)
        else:
            self._data_dir = Path(tempfile.mkdtemp(prefix="flowise-testing-"))
        for sub in ("database", "secrets", "logs", "storage"):
            (self._data_dir / sub).mkdir(exist_ok=True)

    def _owned_data_dir(self) -> Path | None:
        return None if self._requested_data_dir is not None else self._data_dir

    def _launch(self, process: ManagedProcess) -> None:
        started = time.monotonic()
        progress(f"starting flowise@{self._version} on {self.base_url} (log: {self.log_path})")
        process.start()
        process.wait_until(self._ping, timeout=self._startup_timeout, what="answering /api/v1/ping")
        try:
            self._api_key = bootstrap(self.base_url)
        except HarnessError as exc:
            raise HarnessError(f"{exc}\n{process.log_tail()}") from exc
        progress(f"flowise@{self._version} ready in {time.monotonic() - started:.1f}s")

    def _ping(self) -> bool:
        try:
            response = httpx.get(f"{self.base_url}/api/v1/ping", timeout=2.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and response.text.strip() == "pong"

    def _server_env(self, node: NodeRuntime, install_dir: Path) -> dict[str, str]:
        data = self.data_dir
        env = {key: value for key, value in os.environ.items() if not _is_flowise_setting(key)}
        inherited_node_options = env.get("NODE_OPTIONS", "")
        env.update(
            {
                "PATH": node.path_with_node_first(env.get("PATH", "")),
                "HOME": str(data),
                "HOST": _HOST,
                "PORT": str(self.port),
                "DATABASE_TYPE": "sqlite",
                "DATABASE_PATH": str(data / "database"),
                "SECRETKEY_PATH": str(data / "secrets"),
                "LOG_PATH": str(data / "logs"),
                "LOG_LEVEL": "info",
                "STORAGE_TYPE": "local",
                "BLOB_STORAGE_PATH": str(data / "storage"),
                "DISABLE_FLOWISE_TELEMETRY": "true",
                "NODE_OPTIONS": f"{_require_option(PRELOAD_PATH)} {inherited_node_options}".strip(),
                "FLOWISE_TESTING_TIKTOKEN_PATHS": str(install_dir / "node_modules"),
                "FLOWISE_TESTING_TIKTOKEN_LOG": "1",
            }
        )
        models = _local_models_json(install_dir)
        if models is not None:
            env["MODEL_LIST_CONFIG_JSON"] = str(models)
        env.update(self._extra_env)
        return env


def _require_option(script: Path) -> str:
    """``--require=<script>`` for ``NODE_OPTIONS``, quoted when the path contains whitespace."""
    text = str(script)
    return f'--require="{text}"' if any(ch.isspace() for ch in text) else f"--require={text}"


def _is_flowise_setting(name: str) -> bool:
    return name in _DROPPED_NAMES or name.startswith(_DROPPED_PREFIXES)


def _local_models_json(install_dir: Path) -> Path | None:
    """The model list bundled with flowise-components, so Flowise need not fetch it from GitHub."""
    candidates = (
        install_dir / "node_modules" / "flowise-components" / "models.json",
        install_dir / "node_modules" / "flowise" / "node_modules" / "flowise-components" / "models.json",
    )
    return next((path for path in candidates if path.is_file()), None)


def _shutdown(process: ManagedProcess, owned_data_dir: Path | None) -> None:
    """Stop ``process`` and remove ``owned_data_dir``; also runs at interpreter exit if forgotten."""
    process.stop()
    if owned_data_dir is not None:
        shutil.rmtree(owned_data_dir, ignore_errors=True)
