"""Retry decisions are pure functions of what happened."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import RetryPolicy
from flowise_integrations._core.retry import parse_rate_limit, parse_retry_after
from tests.unit.recorded import recorded

POLICY = RetryPolicy(max_retries=2, initial_delay=0.5, max_delay=8.0, jitter=0.0)


def test_backoff_is_exponential_and_capped() -> None:
    assert [POLICY.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_jitter_only_shortens() -> None:
    policy = RetryPolicy(jitter=0.25)
    assert policy.backoff(1, rand=0.0) == 1.0
    assert policy.backoff(1, rand=1.0) == 0.75


@pytest.mark.parametrize(
    ("status", "idempotent", "retried"),
    [
        (429, False, True),
        (429, True, True),
        (502, True, True),
        (503, True, True),
        (504, True, True),
        (502, False, False),
        (500, True, False),
        (500, False, False),
        (400, True, False),
        (404, True, False),
    ],
)
def test_status_decisions(status: int, idempotent: bool, retried: bool) -> None:
    delay = POLICY.delay_for_status(status, {}, retries_done=0, idempotent=idempotent)
    assert (delay is not None) is retried


def test_opt_ins() -> None:
    policy = RetryPolicy(retry_non_idempotent=True, retry_server_errors=True, jitter=0.0)
    assert policy.delay_for_status(502, {}, retries_done=0, idempotent=False) == 0.5
    assert policy.delay_for_status(500, {}, retries_done=0, idempotent=False) == 0.5


def test_gives_up_after_max_retries() -> None:
    assert POLICY.delay_for_status(503, {}, retries_done=2, idempotent=True) is None
    assert RetryPolicy(max_retries=0).delay_for_status(429, {}, retries_done=0, idempotent=True) is None


def test_retry_after_is_honoured_and_capped() -> None:
    assert POLICY.delay_for_status(429, {"retry-after": "3"}, retries_done=0, idempotent=False) == 3.0
    # Longer than max_retry_wait (20 s): give up at once so the caller sees retry_after.
    assert POLICY.delay_for_status(429, {"retry-after": "60"}, retries_done=0, idempotent=False) is None


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "-5"}) == 0.0
    assert parse_retry_after(recorded("errors/rate_limited").headers) == 60.0


def test_parse_rate_limit_reads_both_header_generations() -> None:
    legacy = recorded("errors/rate_limited").headers  # one Flowise process: X-RateLimit-*
    assert (parse_rate_limit(legacy, "limit"), parse_rate_limit(legacy, "remaining")) == (2, 0)
    draft6 = httpx.Headers({"RateLimit-Limit": "5", "RateLimit-Remaining": "3", "RateLimit-Reset": "60"})
    assert (parse_rate_limit(draft6, "limit"), parse_rate_limit(draft6, "remaining")) == (5, 3)
    assert parse_rate_limit({"ratelimit-limit": "many"}, "limit") is None
    assert parse_rate_limit({}, "remaining") is None


REQ = httpx.Request("GET", "http://x")


@pytest.mark.parametrize(
    ("exc", "idempotent", "retried"),
    [
        (httpx.ConnectError("refused", request=REQ), False, True),
        (httpx.ConnectTimeout("slow", request=REQ), False, True),
        (httpx.PoolTimeout("busy", request=REQ), False, True),
        (httpx.ReadTimeout("slow", request=REQ), True, True),
        (httpx.ReadTimeout("slow", request=REQ), False, False),
        (httpx.RemoteProtocolError("reset", request=REQ), True, True),
        (httpx.RemoteProtocolError("reset", request=REQ), False, False),
    ],
)
def test_exception_decisions(exc: httpx.TransportError, idempotent: bool, retried: bool) -> None:
    assert (POLICY.delay_for_exception(exc, retries_done=0, idempotent=idempotent) is not None) is retried


def test_invalid_policies_are_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=2)
