"""Measurement helpers: interleaved A/B timing, medians, the replay-server process, machine facts.

Variants are timed in rounds; each round runs every variant once (a batch of calls), in an order
that rotates and alternates direction from round to round, so load from other processes on the
machine falls on every variant alike. A result is the median over rounds of the per-call time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class Samples:
    """Per-call times in nanoseconds, one per round."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def spread(self) -> tuple[float, float]:
        """The 25th and 75th percentiles."""
        if len(self.values) < 4:
            return min(self.values), max(self.values)
        q = statistics.quantiles(self.values, n=4)
        return q[0], q[2]


def _orders(names: list[str], rounds: int) -> Iterator[list[str]]:
    for r in range(rounds):
        k = r % len(names)
        order = names[k:] + names[:k]
        yield order if (r // len(names)) % 2 == 0 else order[::-1]


def interleaved(
    variants: Mapping[str, Callable[[], object]],
    *,
    rounds: int,
    batch: int,
    warmup: int = 3,
    deadline: float | None = None,
    min_rounds: int = 5,
) -> dict[str, Samples]:
    """Time each variant ``batch`` calls per round for ``rounds`` rounds, interleaved.

    ``deadline`` (a ``time.monotonic()`` value) stops early, after at least ``min_rounds`` rounds,
    so a loaded machine cannot push the whole run past its time budget.
    """
    names = list(variants)
    for name in names:
        for _ in range(warmup):
            variants[name]()
    results = {name: Samples() for name in names}
    for r, order in enumerate(_orders(names, rounds)):
        if deadline is not None and r >= min_rounds and time.monotonic() > deadline:
            break
        for name in order:
            fn = variants[name]
            start = time.perf_counter_ns()
            for _ in range(batch):
                fn()
            results[name].values.append((time.perf_counter_ns() - start) / batch)
    return results


async def ainterleaved(
    variants: Mapping[str, Callable[[], Awaitable[object]]],
    *,
    rounds: int,
    batch: int,
    warmup: int = 3,
    deadline: float | None = None,
    min_rounds: int = 5,
) -> dict[str, Samples]:
    """:func:`interleaved` for coroutine functions, on the running loop."""
    names = list(variants)
    for name in names:
        for _ in range(warmup):
            await variants[name]()
    results = {name: Samples() for name in names}
    for r, order in enumerate(_orders(names, rounds)):
        if deadline is not None and r >= min_rounds and time.monotonic() > deadline:
            break
        for name in order:
            fn = variants[name]
            start = time.perf_counter_ns()
            for _ in range(batch):
                await fn()
            results[name].values.append((time.perf_counter_ns() - start) / batch)
    return results


@contextlib.contextmanager
def replay_server(*args: str) -> Iterator[str]:
    """Start ``benchmarks/server.py`` in its own process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "server.py"), *args],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("PORT "):
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_python(code: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120) -> str:
    """Run ``code`` in a fresh interpreter of this venv; returns its stdout."""
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"subprocess failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(flowise_version: str | None) -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in load],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            "flowise-integrations": _version("flowise-integrations"),
            "httpx": _version("httpx"),
            "pydantic": _version("pydantic"),
            "pydantic-core": _version("pydantic-core"),
            "httpx-sse": _version("httpx-sse"),
            "flowise (official SDK)": _version("flowise"),
            "requests": _version("requests"),
            "langchain-core": _version("langchain-core"),
            "llama-index-core": _version("llama-index-core"),
        },
        "flowise_server": flowise_version,
    }
