"""Where the harness keeps its downloads, and how processes take turns filling it.

Installing Node and Flowise takes minutes and gigabytes, so both are installed once into a
per-user cache and reused. Several test processes (``pytest-xdist`` workers, parallel CI jobs)
may ask for the same install at the same moment; an exclusive ``flock`` on a lock file next to
the install makes the second one wait and then find the finished result. Stdlib only.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ._process import HarnessError

__all__ = ["CACHE_DIR_ENV", "cache_root", "file_lock", "progress", "staged_dir"]

CACHE_DIR_ENV = "FLOWISE_TESTING_CACHE_DIR"
"""Environment variable that overrides the cache root."""

_APP_DIR = "flowise-integrations"
_STAGING_SUFFIX = ".partial-"


def cache_root(cache_dir: Path | str | None = None) -> Path:
    """Return (and create) the cache root.

    Order: the explicit ``cache_dir`` argument, ``$FLOWISE_TESTING_CACHE_DIR``,
    ``$XDG_CACHE_HOME/flowise-integrations``, ``~/.cache/flowise-integrations``.
    """
    if cache_dir is not None:
        root = Path(cache_dir)
    elif os.environ.get(CACHE_DIR_ENV):
        root = Path(os.environ[CACHE_DIR_ENV])
    elif os.environ.get("XDG_CACHE_HOME"):
        root = Path(os.environ["XDG_CACHE_HOME"]) / _APP_DIR
    else:
        root = Path.home() / ".cache" / _APP_DIR
    root = root.expanduser().absolute()
    root.mkdir(parents=True, exist_ok=True)
    return root


def progress(message: str) -> None:
    """Print a harness progress line to stderr (installs are slow; silence looks like a hang)."""
    print(f"[flowise-testing] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def file_lock(path: Path, *, timeout: float = 1800.0, poll_interval: float = 0.2) -> Iterator[None]:
    """Hold an exclusive cross-process lock on ``path`` for the duration of the ``with`` block.

    The lock is an ``flock`` on the file itself, so it is released by the kernel if the holder
    dies. It is not re-entrant: taking the same lock twice in one process waits for itself.
    Raises :class:`HarnessError` naming the lock file if it cannot be taken within ``timeout``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, timeout=timeout, poll_interval=poll_interval)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, *, timeout: float, poll_interval: float) -> None:
    deadline = time.monotonic() + timeout
    announced = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise HarnessError(
                f"timed out after {timeout:.0f}s waiting for the lock file {path}; another process "
                "holds it (probably installing into the same cache)."
            )
        if not announced:
            progress(f"waiting for {path} (another process is installing) ...")
            announced = True
        time.sleep(poll_interval)


@contextlib.contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Build a directory next to ``final`` and move it into place only if the block succeeds.

    Yields an empty temporary sibling of ``final``. On normal exit it replaces ``final`` by a
    rename (atomic on one filesystem); on any exception it is deleted, so a failed install
    leaves nothing behind. Leftovers of earlier runs that were killed outright are swept first.
    The caller must hold the lock that guards ``final``.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(final)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}{_STAGING_SUFFIX}", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    try:
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise HarnessError(f"could not move the finished install {tmp} to {final}: {exc}") from exc


def _sweep_stale(final: Path) -> None:
    for leftover in final.parent.glob(f".{final.name}{_STAGING_SUFFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
