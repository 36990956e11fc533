"""Servers left behind by a killed owner are stopped by the next harness start.

The "server" is a sleeping Python process and its owner a child interpreter that is SIGKILLed,
so these tests need neither Flowise nor Chroma.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flowise_integrations.testing._process import ManagedProcess, _record_path, _start_time, stop_orphans

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]

OWNER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from flowise_integrations.testing._process import ManagedProcess

    scratch = Path({scratch!r})
    scratch.mkdir()
    server = ManagedProcess("orphan-to-be", {argv!r}, log_path=scratch / "orphan.log", scratch=scratch)
    server.start()
    print(server.pid, flush=True)
    sys.stdin.read()  # until killed
    """
)


def gone(pid: int, timeout: float = 30.0) -> bool:
    """Whether ``pid`` exits (or becomes a zombie) within ``timeout``: a wait for a condition."""
    deadline = time.monotonic() + timeout
    while _start_time(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_killed_owners_server_is_stopped_by_the_next_start_and_its_scratch_removed(tmp_path: Path) -> None:
    scratch = tmp_path / "orphan-scratch"
    code = OWNER.format(argv=SLEEPER, scratch=str(scratch))
    owner = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert owner.stdout is not None
    orphan = int(owner.stdout.readline())
    assert _record_path(orphan).exists()
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    assert _start_time(orphan) is not None  # the owner's death left its server running
    assert (scratch / "orphan.log").exists()

    successor = ManagedProcess("successor", SLEEPER, log_path=tmp_path / "successor.log")
    successor.start()
    try:
        assert gone(orphan)
        assert not _record_path(orphan).exists()
        assert not scratch.exists()
    finally:
        successor.stop()


def test_servers_of_a_live_owner_are_left_alone(tmp_path: Path) -> None:
    server = ManagedProcess("mine", SLEEPER, log_path=tmp_path / "mine.log", scratch=tmp_path)
    server.start()
    pid = server.pid
    assert pid is not None
    try:
        assert "mine" not in stop_orphans()
        assert server.running
        assert (tmp_path / "mine.log").exists()
        assert _record_path(pid).exists()
    finally:
        server.stop()
    assert not _record_path(pid).exists()
    assert gone(pid)


def test_a_reused_pid_is_never_signalled(tmp_path: Path) -> None:
    """A record whose server pid now belongs to another process (other start time) is dropped."""
    bystander = subprocess.Popen(SLEEPER)
    try:
        _record_path(bystander.pid).parent.mkdir(parents=True, exist_ok=True)
        _record_path(bystander.pid).write_text(
            f'{{"pid": {bystander.pid}, "started": "1", "owner": {os.getpid()}, "owner_started": "1"}}'
        )
        stop_orphans()
        assert bystander.poll() is None
        assert not _record_path(bystander.pid).exists()
    finally:
        bystander.kill()
        bystander.wait()
