"""Retry decisions and backoff, as pure functions of what happened.

Only the send loop in the clients does I/O; it asks :meth:`RetryPolicy.delay_for_status` and
:meth:`RetryPolicy.delay_for_exception` whether, and how long, to wait before the next attempt.
"""

from __future__ import annotations

import dataclasses
import email.utils
import random
import time
from collections.abc import Mapping

import httpx

from .._constants import DEFAULT_MAX_RETRIES, INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, MAX_RETRY_WAIT

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy", "parse_rate_limit", "parse_retry_after"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_GATEWAY_STATUSES = frozenset({502, 503, 504})
# Raised before the request left this machine: always safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached Flowise: only safe to repeat when repeating changes nothing.
_MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
    httpx.ReadError,
    httpx.WriteError,
)


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), else ``None``."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = parsed.timestamp() - (time.time() if now is None else now)
    return max(seconds, 0.0)


def parse_rate_limit(headers: Mapping[str, str], field: str) -> int | None:
    """A limiter figure (``field`` is ``limit`` or ``remaining``) from ``X-RateLimit-<field>``,
    as one Flowise process sends it, or ``RateLimit-<field>`` (draft 6), as queue mode does."""
    for name in (f"x-ratelimit-{field}", f"ratelimit-{field}"):
        value = headers.get(name)
        if value is not None:
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """When to retry and how long to wait.

    By default a request is retried on connection failures and on 429 (Flowise's limiter rejects
    before the flow runs); gateway errors (502/503/504) and dropped connections only for
    idempotent requests. A 500 is never retried unless ``retry_server_errors``; a request that runs
    a flow or writes (a POST) is repeated after it may have reached the server only with
    ``retry_non_idempotent``. A ``Retry-After`` longer than ``max_retry_wait`` is not slept through:
    the error is raised at once with ``retry_after`` set.
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = INITIAL_RETRY_DELAY
    max_delay: float = MAX_RETRY_DELAY
    max_retry_wait: float = MAX_RETRY_WAIT
    jitter: float = 0.25
    retry_non_idempotent: bool = False
    retry_server_errors: bool = False

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.initial_delay < 0 or self.max_delay < 0 or self.max_retry_wait < 0:
            raise ValueError("retry delays must be >= 0")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    def backoff(self, retries_done: int, *, rand: float | None = None) -> float:
        """Exponential backoff for the next attempt, capped, with up to ``jitter`` taken off."""
        base = min(self.initial_delay * (2**retries_done), self.max_delay)
        fraction = random.random() if rand is None else rand
        return float(base * (1 - self.jitter * fraction))

    def delay_for_status(
        self, status_code: int, headers: Mapping[str, str], *, retries_done: int, idempotent: bool
    ) -> float | None:
        """Seconds to wait before retrying after an error status, or ``None`` to give up."""
        if retries_done >= self.max_retries:
            return None
        if status_code == 429:
            retryable = True
        elif status_code in _GATEWAY_STATUSES:
            retryable = idempotent or self.retry_non_idempotent
        elif status_code >= 500:
            retryable = self.retry_server_errors and (idempotent or self.retry_non_idempotent)
        else:
            retryable = False
        if not retryable:
            return None
        retry_after = parse_retry_after(headers)
        if retry_after is None:
            return self.backoff(retries_done)
        if retry_after > self.max_retry_wait:
            return None
        return retry_after

    def delay_for_exception(
        self, exc: httpx.TransportError, *, retries_done: int, idempotent: bool
    ) -> float | None:
        """Seconds to wait before retrying after a transport error, or ``None`` to give up."""
        if retries_done >= self.max_retries:
            return None
        if isinstance(exc, _NOT_SENT):
            return self.backoff(retries_done)
        if isinstance(exc, _MAYBE_SENT) and (idempotent or self.retry_non_idempotent):
            return self.backoff(retries_done)
        return None
