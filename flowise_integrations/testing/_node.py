"""Install the Node.js runtimes Flowise needs, and run npm with readable failures.

Flowise 3.1.x declares ``engines.node: ^24``, 3.0 and 2.2 ``^20``, while a machine ships whatever
Node it ships. Rather than asking for a system install, the harness installs Node from the npm
registry: the ``node-<platform>-<arch>`` packages carry the official binary plus its
``include/node`` headers, which node-gyp needs to compile native modules (sqlite3) offline. The
system ``npm`` is used for every install; it runs under whichever ``node`` comes first on
``PATH``. Which release a Flowise version gets is decided in :mod:`._engines`.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ._cache import cache_root, file_lock, progress, staged_dir
from ._process import HarnessError

__all__ = [
    "NODE_BINARY_ENV",
    "NodeRuntime",
    "install_node",
    "node_version",
    "npm_executable",
    "run_logged",
    "runtime_at",
]

NODE_BINARY_ENV = "FLOWISE_TESTING_NODE"
"""Environment variable naming a node binary to use instead of an installed release."""

_PLATFORMS = {"linux": "linux", "darwin": "darwin"}
_ARCHES = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}
_HEARTBEAT_SECONDS = 30.0
_TAIL_LINES = 40


@dataclass(frozen=True)
class NodeRuntime:
    """A usable Node.js runtime.

    ``nodedir`` is the folder holding ``include/node`` headers for node-gyp, when known.
    """

    bin_dir: Path
    node: Path
    nodedir: Path | None

    def path_with_node_first(self, path: str | None = None) -> str:
        """Return ``path`` (default: this process's ``PATH``) with :attr:`bin_dir` prepended."""
        rest = os.environ.get("PATH", "") if path is None else path
        return os.pathsep.join([str(self.bin_dir), *[p for p in rest.split(os.pathsep) if p]])


def node_version(node: Path) -> tuple[int, int, int]:
    """Return ``node --version`` as a tuple; :class:`HarnessError` if it does not run."""
    try:
        out = subprocess.run(
            [str(node), "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise HarnessError(f"could not run {node} --version: {exc}") from exc
    match = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)\S*", out.strip())
    if match is None:
        raise HarnessError(f"{node} --version printed {out.strip()!r}, not a Node version")
    return int(match[1]), int(match[2]), int(match[3])


def install_node(version: str, *, cache_dir: Path | str | None = None) -> NodeRuntime:
    """Install ``node-<platform>-<arch>@<version>`` into ``<cache>/node-<version>`` (idempotent)."""
    package = _node_package_name()
    root = cache_root(cache_dir)
    final = root / f"node-{version}"
    if _node_binary(final, package).is_file():
        return runtime_at(_node_binary(final, package))
    with file_lock(root / f"node-{version}.lock"):
        if not _node_binary(final, package).is_file():
            progress(f"installing Node {version} ({package}) into {final} ...")
            started = time.monotonic()
            with staged_dir(final) as tmp:
                _npm_install_node(tmp, package, version, log_path=root / "logs" / f"node-{version}.log")
            progress(f"Node {version} installed in {time.monotonic() - started:.0f}s")
    return runtime_at(_node_binary(final, package))


def npm_executable(path: str | None = None) -> str:
    """Return the ``npm`` found on ``path`` (default ``PATH``), or raise a clear error."""
    npm = shutil.which("npm", path=path)
    if npm is None:
        raise HarnessError(
            "npm was not found on PATH; install Node.js with npm (any version) so the harness can "
            f"install the Node release Flowise needs and Flowise, or set ${NODE_BINARY_ENV}"
        )
    return npm


def run_logged(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    log_path: Path,
    what: str,
    timeout: float = 1800.0,
) -> None:
    """Run ``argv`` with its output appended to ``log_path``; raise with the output's tail on failure.

    Prints a heartbeat line every 30 s so that a long npm install is visibly alive.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n$ (cd {cwd} && {shlex.join(argv)})\n".encode())
        log.flush()
        start_offset = log.tell()
        try:
            proc = subprocess.Popen(
                list(argv),
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise HarnessError(f"{what}: could not run {shlex.join(argv)}: {exc}") from exc
        returncode = _wait_with_heartbeat(proc, what=what, timeout=timeout)
    if returncode != 0:
        reason = "timed out" if returncode is None else f"failed with exit code {returncode}"
        raise HarnessError(
            f"{what} {reason}: {shlex.join(argv)} (in {cwd})\n"
            f"--- output tail (full log: {log_path}) ---\n{_tail(log_path, start_offset)}"
        )


def _wait_with_heartbeat(proc: subprocess.Popen[bytes], *, what: str, timeout: float) -> int | None:
    started = time.monotonic()
    next_beat = started + _HEARTBEAT_SECONDS
    while True:
        try:
            return proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if now - started > timeout:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return None
        if now >= next_beat:
            progress(f"... still {what} ({now - started:.0f}s)")
            next_beat = now + _HEARTBEAT_SECONDS


def _tail(log_path: Path, offset: int) -> str:
    try:
        with open(log_path, "rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
    except OSError:
        return "(no output captured)"
    return "\n".join(text.splitlines()[-_TAIL_LINES:]) or "(no output)"


def _node_package_name() -> str:
    plat = _PLATFORMS.get(sys.platform)
    arch = _ARCHES.get(platform.machine().lower())
    if plat is None or arch is None:
        raise HarnessError(
            f"no Node package known for {sys.platform}/{platform.machine()}; install the Node "
            f"release Flowise needs yourself and set ${NODE_BINARY_ENV} to its node binary"
        )
    return f"node-{plat}-{arch}"


def _node_binary(install_dir: Path, package: str) -> Path:
    return install_dir / "node_modules" / package / "bin" / "node"


def _npm_install_node(tmp: Path, package: str, version: str, *, log_path: Path) -> None:
    log_path.unlink(missing_ok=True)
    (tmp / "package.json").write_text(
        json.dumps({"name": "flowise-testing-node", "version": "0.0.0", "private": True}) + "\n"
    )
    npm = npm_executable()
    run_logged(
        [npm, "install", "--no-audit", "--no-fund", "--no-update-notifier", f"{package}@{version}"],
        cwd=tmp,
        env=os.environ,
        log_path=log_path,
        what=f"installing Node {version} with npm",
    )
    node = _node_binary(tmp, package)
    if not node.is_file():
        raise HarnessError(f"npm installed {package}@{version} but {node} is missing (see {log_path})")
    got = ".".join(map(str, node_version(node)))
    if version.count(".") == 2 and got != version:
        raise HarnessError(f"asked npm for {package}@{version} but got Node {got}")


def runtime_at(node: Path) -> NodeRuntime:
    """The runtime of the ``node`` binary at ``node``, with its headers when they sit beside it."""
    real = node.resolve()
    prefix = real.parent.parent
    nodedir = prefix if (prefix / "include" / "node" / "node.h").is_file() else None
    return NodeRuntime(bin_dir=real.parent, node=real, nodedir=nodedir)
