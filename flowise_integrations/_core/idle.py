"""The stream idle limit: how long a stream may carry nothing but heartbeats.

Flowise writes a ``:heartbeat`` comment every 30 seconds on every open stream, whether or not
anything is still running it. When the run dies without a word (in queue mode: the only worker was
killed, or Redis lost the job), the stream stays open forever on heartbeats alone, and a read
timeout between chunks never fires. :class:`IdleWatch` measures the time since the last real
event instead; the stream checks it whenever bytes arrive, and the stream's read timeout is capped
at the same limit so that silence between two heartbeats is caught too.
"""

from __future__ import annotations

import time

import httpx

from .._exceptions import APITimeoutError

__all__ = ["IdleWatch"]

_TIMER_SLACK = 0.05  # seconds a timer may fire early


class IdleWatch:
    """Raises :class:`APITimeoutError` once ``limit`` seconds pass without an event (``None``: never)."""

    __slots__ = ("_last", "limit")

    def __init__(self, limit: float | None) -> None:
        if limit is not None and limit <= 0:
            raise ValueError(f"idle_timeout must be a positive number of seconds or None, not {limit!r}")
        self.limit = limit
        self._last = time.monotonic()

    def event(self) -> None:
        """An event arrived: the idle clock starts again."""
        self._last = time.monotonic()

    def check(self, request: httpx.Request, *, partial_text: str, read_timed_out: bool = False) -> None:
        """Raise if the stream has been idle (heartbeats only) for longer than the limit.

        ``read_timed_out``: a read just hit the timeout the limit caps it at, which means the limit
        was reached (give or take the event loop's timer resolution).
        """
        if self.limit is None:
            return
        idle = time.monotonic() - self._last
        if idle > self.limit or (read_timed_out and idle >= self.limit - _TIMER_SLACK):
            raise APITimeoutError(
                f"Flowise sent no event for {idle:.0f}s (idle_timeout={self.limit:g}s), only heartbeats: "
                "the run is no longer progressing. In queue mode this is what a run looks like when no "
                "worker is left to finish it; the answer may be incomplete",
                request=request,
                phase="idle",
                partial_text=partial_text,
            )
