"""A throwaway PostgreSQL server for Flowise's ``DATABASE_TYPE=postgres``.

``LocalPostgres`` runs ``initdb`` into a temporary folder (trust authentication, loopback only),
starts ``postgres`` on a free port with durability settings a test database does not need turned
off, waits for ``pg_isready`` and creates the database. PostgreSQL refuses to run as root, so when
the harness is root the server runs as the ``postgres`` system user (created by the distribution's
package) or else ``nobody``, and its folder is handed to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ._process import HarnessError, ManagedProcess, free_port
from ._programs import PostgresPrograms, find_postgres
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["LocalPostgres"]

_HOST = "127.0.0.1"
_SETTINGS = {
    "listen_addresses": _HOST,
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",  # Flowise's main and each worker keep a pool of their own
}


def _service_user() -> str | None:
    """Who runs the server: this user, or an unprivileged one when this is root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise HarnessError(
        "running as root, PostgreSQL needs an unprivileged user (postgres or nobody); none exists"
    )


class LocalPostgres(Service):
    """A PostgreSQL server on ``127.0.0.1`` holding one database, ``database``, owned by ``user``.

    No password is needed (trust authentication on loopback). The data folder is temporary and
    removed by :meth:`stop`.
    """

    def __init__(
        self,
        *,
        database: str = "flowise",
        user: str = "flowise",
        port: int = 0,
        startup_timeout: float = 60.0,
        programs: PostgresPrograms | None = None,
    ) -> None:
        self.database = database
        self.user = user
        self._requested_port = port
        self._startup_timeout = startup_timeout
        self._programs = programs
        self._port: int | None = None
        self._root: Path | None = None
        self._process: ManagedProcess | None = None

    @property
    def host(self) -> str:
        return _HOST

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    @property
    def port(self) -> int:
        if self._port is None:
            raise HarnessError("this PostgreSQL server has not been started; call start() first")
        return self._port

    @property
    def url(self) -> str:
        """``postgresql://<user>@127.0.0.1:<port>/<database>``."""
        return f"postgresql://{self.user}@{_HOST}:{self.port}/{self.database}"

    def start(self) -> Self:
        """Create the cluster, start the server and create the database."""
        if self._process is not None:
            raise HarnessError("this PostgreSQL server is already running")
        programs = self._programs or find_postgres()
        run_as = _service_user()
        self._root = root = Path(tempfile.mkdtemp(prefix="flowise-postgres-"))
        self._port = self._requested_port or free_port(_HOST)
        try:
            if run_as is not None:
                os.chmod(root, 0o755)
                shutil.chown(root, user=run_as)
            self._run(
                programs,
                run_as,
                "initdb",
                "-D",
                str(root / "data"),
                "-U",
                self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            )
            settings = [arg for key, value in _SETTINGS.items() for arg in ("-c", f"{key}={value}")]
            self._process = process = ManagedProcess(
                f"postgres {programs.major}",
                [
                    programs.tool("postgres"),
                    "-D",
                    str(root / "data"),
                    "-p",
                    str(self._port),
                    "-k",
                    str(root),
                    *settings,
                ],
                log_path=root / "postgres.log",
                cwd=root,
                scratch=root,
                user=run_as,
                stop_signal=signal.SIGINT,  # "fast" shutdown: do not wait for clients to leave
            )
            process.start()
            process.wait_until(
                lambda: self._ready(programs),
                timeout=self._startup_timeout,
                what=f"accepting connections on {self.port}",
            )
            self._run(
                programs,
                run_as,
                "createdb",
                "-h",
                _HOST,
                "-p",
                str(self._port),
                "-U",
                self.user,
                self.database,
            )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop the server and remove its data. Safe to call twice."""
        process, self._process = self._process, None
        if process is not None:
            process.stop()
        root, self._root = self._root, None
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
        self._port = None

    def log_tail(self, lines: int = 60) -> str:
        return self._process.log_tail(lines) if self._process is not None else "(PostgreSQL is not running)"

    def __repr__(self) -> str:
        where = self.url if self._port is not None else "not started"
        return f"LocalPostgres({where}, running={self.running})"

    def _ready(self, programs: PostgresPrograms) -> bool:
        probe = [programs.tool("pg_isready"), "-q", "-h", _HOST, "-p", str(self.port), "-U", self.user]
        return subprocess.run(probe, capture_output=True, timeout=10, check=False).returncode == 0

    def _run(self, programs: PostgresPrograms, run_as: str | None, tool: str, *args: str) -> None:
        argv = [programs.tool(tool), *args]
        try:
            subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True, user=run_as)
        except subprocess.CalledProcessError as exc:
            raise HarnessError(
                f"{tool} failed (exit {exc.returncode}): {(exc.stderr or exc.stdout).strip()}"
            ) from exc
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise HarnessError(f"could not run {tool}: {exc}") from exc
