"""Child server processes for the harness: free ports, start in a process group, wait, stop.

Every server the harness runs (Flowise and its workers, Chroma, Redis, PostgreSQL) is started the
same way: in a new session so that the whole process tree (``npx`` → ``sh`` → ``node``) can be
signalled at once, with its output in a log file whose tail explains a failed start. A server that
refuses to run as root (PostgreSQL) is started as another system user when the harness is root.

A program that is killed (not stopped) cannot stop its servers, so every start is recorded in a
per-user directory and the next start anywhere stops the servers whose owner is gone (Linux:
processes are told apart by their start time in ``/proc``, so a reused pid is never signalled),
then removes the temporary directory the server worked in, once the server has exited.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["HarnessError", "ManagedProcess", "free_port", "stop_orphans"]

_REGISTRY = Path(tempfile.gettempdir()) / f"flowise-integrations-{os.getuid()}" / "processes"


class HarnessError(RuntimeError):
    """A harness component could not be installed or started; the message says why."""


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on ``host`` that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _start_time(pid: int) -> str | None:
    """When ``pid`` started (``/proc/<pid>/stat`` field 22), or None if it is gone, a zombie or unknowable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] == "Z" else fields[19]


def _record_path(pid: int) -> Path:
    return _REGISTRY / f"{pid}.json"


def _record(pid: int, name: str, scratch: Path | None) -> None:
    started, owner_started = _start_time(pid), _start_time(os.getpid())
    if started is None or owner_started is None:
        return  # no /proc: nothing could be verified later, so nothing is recorded
    record = {"pid": pid, "started": started, "owner": os.getpid(), "owner_started": owner_started}
    if scratch is not None:
        record["scratch"] = str(scratch)
    with contextlib.suppress(OSError):  # a registry that cannot be written only loses the sweep
        _REGISTRY.mkdir(parents=True, exist_ok=True)
        _record_path(pid).write_text(json.dumps({**record, "name": name}))


def _wait_gone(pid: int, started: str, timeout: float) -> None:
    """Wait until the process ``pid`` that started at ``started`` has exited (or ``timeout`` passed)."""
    deadline = time.monotonic() + timeout
    while _start_time(pid) == started and time.monotonic() < deadline:
        time.sleep(0.02)


def stop_orphans() -> list[str]:
    """Stop the servers whose owning process died without stopping them; returns their names.

    A record is acted on only when its owner is gone: its server is killed if it is still the very
    process that was started (same pid and start time), its scratch directory is removed, and the
    record is dropped.
    """
    stopped: list[str] = []
    try:
        paths = sorted(_REGISTRY.glob("*.json"))
    except OSError:
        return stopped
    for path in paths:
        try:
            record = json.loads(path.read_text())
            pid, owner = int(record["pid"]), int(record["owner"])
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)
            continue
        if _start_time(owner) == record["owner_started"]:
            continue  # its owner still runs and will stop it
        if _start_time(pid) == record["started"]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            _wait_gone(pid, record["started"], timeout=10.0)  # so nothing writes into its scratch
            stopped.append(str(record.get("name", pid)))
        if isinstance(scratch := record.get("scratch"), str):
            shutil.rmtree(scratch, ignore_errors=True)
        path.unlink(missing_ok=True)
    return stopped


class ManagedProcess:
    """A child process in its own process group, logging to ``log_path``."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        user: str | None = None,
        stop_signal: signal.Signals = signal.SIGTERM,
        scratch: Path | None = None,
    ) -> None:
        """``scratch`` is a temporary directory the process works in (its data, its log) that the
        owner removes after :meth:`stop`; if the owner dies instead, the orphan sweep removes it."""
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self._env = dict(env) if env is not None else None
        self._cwd = cwd
        self._user = user
        self._stop_signal = stop_signal
        self._scratch = scratch
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        """The process group leader's pid, while started."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        stop_orphans()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            try:
                self._proc = subprocess.Popen(
                    self.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=self._env,
                    cwd=self._cwd,
                    start_new_session=True,
                    user=self._user,
                )
            except OSError as exc:
                raise HarnessError(f"could not start {self.name} ({self.argv[0]}): {exc}") from exc
        _record(self._proc.pid, self.name, self._scratch)

    def wait_until(self, ready: Callable[[], bool], *, timeout: float, what: str) -> None:
        """Poll ``ready`` until it is true; fail fast if the process exits, with the log's tail."""
        deadline = time.monotonic() + timeout
        while True:
            if self._proc is not None and self._proc.poll() is not None:
                raise HarnessError(
                    f"{self.name} exited with code {self._proc.returncode} before {what}.\n{self.log_tail()}"
                )
            if ready():
                return
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"{self.name} did not reach {what} within {timeout:.0f}s.\n{self.log_tail()}"
                )
            time.sleep(0.25)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the whole process group (its stop signal, then SIGKILL after ``timeout``)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, self._stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout)
        _kill_group(proc)  # also the grandchildren that outlived the leader

    def kill(self) -> None:
        """SIGKILL the whole process group at once, as a crash would (no shutdown handlers run)."""
        proc, self._proc = self._proc, None
        if proc is not None:
            _kill_group(proc)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return f"(no log at {self.log_path})"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- last {lines} lines of {self.log_path} ---\n{tail}"


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL ``proc``'s process group, reap the leader and forget its registry record."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    _record_path(proc.pid).unlink(missing_ok=True)
