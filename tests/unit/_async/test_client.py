"""The send loop: retries, backoff, Retry-After, transport errors, ping/version, closing."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    AsyncFlowise,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

BASE_URL = "http://flowise.test"


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record backoff sleeps instead of sleeping."""
    recorded: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr("asyncio.sleep", fake_sleep)
    return recorded


def make_client(server: MockFlowise, **kwargs: object) -> AsyncFlowise:
    http = httpx.AsyncClient(transport=httpx.MockTransport(server.handle))
    return AsyncFlowise(BASE_URL, api_key="k", http_client=http, **kwargs)  # type: ignore[arg-type]


async def test_ping_and_version(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "ping", recorded("client/ping"))
    server.add("GET", "version", recorded("client/version"))
    assert await client.ping() == "pong"
    assert await client.version() == "3.1.4"


async def test_gateway_errors_are_retried_with_backoff(server: MockFlowise, delays: list[float]) -> None:
    server.add(
        "GET", "version", httpx.Response(503), httpx.Response(502), httpx.Response(200, json={"version": "1"})
    )
    client = make_client(server, retry=RetryPolicy(max_retries=2, jitter=0.0))
    assert await client.version() == "1"
    assert delays == [0.5, 1.0]
    assert len(server.calls) == 3


async def test_gives_up_after_max_retries(server: MockFlowise, delays: list[float]) -> None:
    server.add("GET", "version", httpx.Response(504, text="gateway timeout"))
    client = make_client(server, retry=RetryPolicy(max_retries=2, jitter=0.0))
    with pytest.raises(InternalServerError) as info:
        await client.version()
    assert info.value.status_code == 504
    assert len(server.calls) == 3


async def test_retry_after_is_used(server: MockFlowise, delays: list[float]) -> None:
    server.add(
        "GET",
        "version",
        httpx.Response(503, headers={"retry-after": "2"}),
        httpx.Response(200, json={"version": "1"}),
    )
    await make_client(server).version()
    assert delays == [2.0]


async def test_500_is_never_retried(server: MockFlowise, delays: list[float]) -> None:
    server.add("GET", "version", httpx.Response(500, json={"message": "boom"}))
    with pytest.raises(InternalServerError):
        await make_client(server).version()
    assert len(server.calls) == 1
    assert delays == []


async def test_predictions_are_not_retried_on_gateway_errors(
    server: MockFlowise, delays: list[float]
) -> None:
    flow = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
    server.add("POST", f"prediction/{flow}", httpx.Response(502))
    with pytest.raises(InternalServerError):
        await make_client(server).predictions.create(flow, "hi")
    assert len(server.calls) == 1


async def test_429_long_retry_after_raises_at_once(server: MockFlowise, delays: list[float]) -> None:
    flow = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
    server.add("POST", f"prediction/{flow}", recorded("errors/rate_limited"))
    with pytest.raises(RateLimitError) as info:
        await make_client(server).predictions.create(flow, "hi")
    assert info.value.retry_after == 60.0
    assert str(info.value) == "429 Too many requests, slow down"
    assert len(server.calls) == 1


async def test_429_short_retry_after_is_retried_even_for_predictions(
    server: MockFlowise, delays: list[float]
) -> None:
    flow = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
    limited = recorded("errors/rate_limited")
    limited.headers["retry-after"] = "1"
    server.add("POST", f"prediction/{flow}", limited, recorded("predictions/rate_limited_first"))
    prediction = await make_client(server).predictions.create(flow, "hi")
    assert prediction.text == "Echo: hi"
    assert delays == [1.0]


async def test_connection_errors_are_translated_and_retried(delays: list[float]) -> None:
    attempts = 0

    def refuse(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        raise httpx.ConnectError("connection refused", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(refuse))
    client = AsyncFlowise(BASE_URL, http_client=http, retry=RetryPolicy(max_retries=1, jitter=0.0))
    with pytest.raises(APIConnectionError, match="ConnectError"):
        await client.version()
    assert attempts == 2


async def test_read_timeout_on_post_is_not_retried(delays: list[float]) -> None:
    attempts = 0

    def slow(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        raise httpx.ReadTimeout("timed out", request=request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    client = AsyncFlowise(BASE_URL, http_client=http)
    with pytest.raises(APITimeoutError) as info:
        await client.predictions.create("5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f", "hi")
    assert info.value.phase == "read"
    assert attempts == 1


async def test_unknown_route_html_200_is_a_validation_error(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("GET", "version", recorded("errors/unknown_route"))
    with pytest.raises(APIResponseValidationError, match="base_url") as info:
        await client.version()
    assert info.value.status_code == 200
    assert "HTML page" in info.value.message


async def test_context_manager_closes_owned_client() -> None:
    async with AsyncFlowise(BASE_URL) as client:
        http = client._http
    assert http.is_closed


async def test_injected_http_client_is_left_open() -> None:
    http = httpx.AsyncClient()
    async with AsyncFlowise(BASE_URL, http_client=http):
        pass
    assert not http.is_closed
    await http.aclose()
