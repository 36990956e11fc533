"""A throwaway Chroma server for document-store tests.

Flowise cannot back a document store with an in-memory vector store, and faiss needs a native binding that an
offline install lacks, so document-store tests use the ``chroma`` vector-store node against a real Chroma
server. ``LocalChroma`` runs the ``chroma`` command of the ``chromadb`` package (installed by the
``flowise-integrations[testing]`` extra) on a free loopback port with its data in a temporary directory, waits
until it answers its heartbeat, and stops it again with its whole process group.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from ._process import HarnessError, ManagedProcess, free_port
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["LocalChroma", "find_chroma_executable"]

_HEARTBEAT_PATHS = ("/api/v2/heartbeat", "/api/v1/heartbeat")
_LOG_NAME = "chroma.log"


def find_chroma_executable() -> str:
    """Return the ``chroma`` command: beside the running interpreter first, then on ``PATH``."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("chroma")
    if found is not None:
        return found
    raise HarnessError(
        "the 'chroma' command was not found next to the Python interpreter or on PATH; "
        "install it with: pip install 'flowise-integrations[testing]'"
    )


def _heartbeat_ok(base_url: str) -> bool:
    """True once the server answers a heartbeat, on the v2 API or, for older servers, the v1 API."""
    for path in _HEARTBEAT_PATHS:
        try:
            response = httpx.get(base_url + path, timeout=2.0, trust_env=False)
        except httpx.HTTPError:
            return False
        if response.status_code == 200:
            return True
    return False


class LocalChroma(Service):
    """A Chroma server on ``127.0.0.1`` for the duration of a test session.

    Give Flowise's ``chroma`` node :attr:`url` as its ``chromaURL``. Data lives in ``path`` when given (and is
    kept), otherwise in a temporary directory that :meth:`stop` removes. The server's output goes to
    ``chroma.log`` in the data directory; a failed start quotes its tail. Use it as a context manager, or call
    :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self,
        *,
        path: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        startup_timeout: float = 60.0,
        executable: str | None = None,
    ) -> None:
        self.host = host
        self.startup_timeout = startup_timeout
        self._requested_port = port
        self._given_path = Path(path) if path is not None else None
        self._executable = executable
        self._data_dir: Path | None = None
        self._port: int | None = None
        self._process: ManagedProcess | None = None

    # -- lifecycle

    def start(self) -> Self:
        """Start the server and wait for its heartbeat; returns ``self``."""
        if self._process is not None:
            raise HarnessError("this Chroma server is already running")
        executable = self._executable or find_chroma_executable()
        data_dir = self._prepare_data_dir()
        port = self._requested_port or free_port(self.host)
        process = ManagedProcess(
            "chroma",
            [executable, "run", "--path", str(data_dir), "--host", self.host, "--port", str(port)],
            log_path=data_dir / _LOG_NAME,
            env=self._child_env(),
            cwd=data_dir,
            scratch=data_dir if self._given_path is None else None,
        )
        self._data_dir, self._port, self._process = data_dir, port, process
        try:
            process.start()
            process.wait_until(
                lambda: _heartbeat_ok(self.url),
                timeout=self.startup_timeout,
                what=f"a heartbeat on {self.url}",
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server's process group and remove a temporary data directory. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        data_dir, self._data_dir = self._data_dir, None
        if data_dir is not None and self._given_path is None:
            shutil.rmtree(data_dir, ignore_errors=True)
        self._port = None

    # -- where it is

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    @property
    def port(self) -> int:
        """The server's port (raises ``HarnessError`` before :meth:`start`)."""
        if self._port is None:
            raise HarnessError("this Chroma server is not running; call start() first")
        return self._port

    @property
    def url(self) -> str:
        """Base URL with no path (e.g. ``http://127.0.0.1:8012``), the form Flowise's ``chromaURL`` takes."""
        return f"http://{self.host}:{self.port}"

    @property
    def path(self) -> Path:
        """The data directory (raises ``HarnessError`` before :meth:`start`)."""
        if self._data_dir is None:
            raise HarnessError("this Chroma server is not running; call start() first")
        return self._data_dir

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server's log, for error messages."""
        if self._process is None:
            return "(Chroma is not running)"
        return self._process.log_tail(lines)

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not running"
        return f"LocalChroma({where})"

    # -- helpers

    def _prepare_data_dir(self) -> Path:
        if self._given_path is not None:
            self._given_path.mkdir(parents=True, exist_ok=True)
            return self._given_path
        return Path(tempfile.mkdtemp(prefix="flowise-chroma-"))

    @staticmethod
    def _child_env() -> dict[str, str]:
        env = dict(os.environ)
        env["ANONYMIZED_TELEMETRY"] = "False"
        env.setdefault("NO_COLOR", "1")  # keep the log readable when quoted in an error
        return env
