"""A throwaway Redis server for Flowise's queue mode, and the few commands the harness sends it.

``LocalRedis`` runs ``redis-server`` (see :mod:`._programs` for where it comes from) on a free
loopback port with persistence off and its working directory in a temporary folder, waits until
it answers ``PING``, and stops it with its process group. :meth:`LocalRedis.restart` brings it
back on the same port, as a Redis failover or restart would look to Flowise.

:func:`redis_command` speaks just enough RESP2 for ``PING`` and ``CLIENT LIST``: the harness reads
who is connected (BullMQ names its workers' connections) without a Redis client library.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ._process import HarnessError, ManagedProcess, free_port
from ._programs import find_redis_server
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["LocalRedis", "redis_command"]

_HOST = "127.0.0.1"


def redis_command(host: str, port: int, *args: str, timeout: float = 5.0) -> object:
    """Send one command and return its reply (``str``, ``int``, ``None`` or a list of those).

    An error reply raises :class:`HarnessError`; a refused or dropped connection raises ``OSError``.
    """
    request = f"*{len(args)}\r\n" + "".join(f"${len(arg.encode())}\r\n{arg}\r\n" for arg in args)
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(request.encode())
        return _read_reply(sock.makefile("rb"))


def _read_reply(stream: IO[bytes]) -> object:
    line = stream.readline()
    if not line.endswith(b"\r\n"):
        raise OSError("Redis closed the connection mid-reply")
    kind, body = line[:1], line[1:-2].decode()
    if kind == b"+":
        return body
    if kind == b"-":
        raise HarnessError(f"Redis answered an error: {body}")
    if kind == b":":
        return int(body)
    if kind == b"$":
        size = int(body)
        if size < 0:
            return None
        return stream.read(size + 2)[:-2].decode()
    if kind == b"*":
        count = int(body)
        return None if count < 0 else [_read_reply(stream) for _ in range(count)]
    raise OSError(f"not a RESP reply: {line[:40]!r}")


class LocalRedis(Service):
    """A Redis server on ``127.0.0.1`` with nothing saved to disk.

    ``url`` (``redis://127.0.0.1:<port>``) is what Flowise's ``REDIS_URL`` takes. Use it as a context
    manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(
        self, *, port: int = 0, startup_timeout: float = 30.0, executable: str | None = None
    ) -> None:
        self._requested_port = port
        self._startup_timeout = startup_timeout
        self._executable = executable
        self._port: int | None = None
        self._data_dir: Path | None = None
        self._process: ManagedProcess | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    @property
    def port(self) -> int:
        if self._port is None:
            raise HarnessError("this Redis server has not been started; call start() first")
        return self._port

    @property
    def url(self) -> str:
        return f"redis://{_HOST}:{self.port}"

    def start(self) -> Self:
        """Start the server (on its old port after a :meth:`stop` or crash) and wait for ``PING``."""
        if self.running:
            return self
        executable = self._executable or str(find_redis_server())
        if self._data_dir is None:
            self._data_dir = Path(tempfile.mkdtemp(prefix="flowise-redis-"))
        self._port = self._port or self._requested_port or free_port(_HOST)
        process = ManagedProcess(
            "redis",
            [
                executable,
                "--bind",
                _HOST,
                "--port",
                str(self._port),
                "--dir",
                str(self._data_dir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",  # BullMQ loses jobs under any eviction policy
            ],
            log_path=self._data_dir / "redis.log",
            cwd=self._data_dir,
            scratch=self._data_dir,
        )
        self._process = process
        try:
            process.start()
            process.wait_until(self.ping, timeout=self._startup_timeout, what=f"answering PING on {self.url}")
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self) -> None:
        """SIGKILL the server, as a crash would; :meth:`start` brings it back on the same port."""
        if self._process is not None:
            self._process.kill()

    def restart(self) -> None:
        """Stop the server and start it again on the same port, empty (nothing is persisted)."""
        if self._process is not None:
            self._process.stop()
        self.start()

    def stop(self) -> None:
        """Stop the server and remove its working directory. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        data_dir, self._data_dir = self._data_dir, None
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)
        self._port = None

    def ping(self) -> bool:
        """True when the server answers ``PING``."""
        try:
            return redis_command(_HOST, self.port, "PING", timeout=2.0) == "PONG"
        except (OSError, HarnessError):
            return False

    def client_names(self) -> list[str]:
        """The names of the connected clients (``CLIENT LIST``); unnamed ones as ``""``."""
        listing = redis_command(_HOST, self.port, "CLIENT", "LIST")
        names = []
        for line in str(listing).splitlines():
            fields = dict(field.split("=", 1) for field in line.split() if "=" in field)
            names.append(fields.get("name", ""))
        return names

    def log_tail(self, lines: int = 60) -> str:
        return self._process.log_tail(lines) if self._process is not None else "(Redis is not running)"

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return f"LocalRedis({where}, running={self.running})"
