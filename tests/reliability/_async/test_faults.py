"""Every fault the fault server injects ends in the documented typed error, within the timeout.

Non-streaming calls run as ``chatflows.get`` (idempotent GET) and ``predictions.create`` (POST);
streams as ``predictions.stream``. The client times out after 1 s of silence and does not retry
unless a test sets a policy; the delays the send loop would sleep between retries are recorded
instead of slept. A stream that fails keeps what it received in ``exc.partial_text`` and
``stream.text``.
"""

from __future__ import annotations

import email.utils
import time
from typing import Any

import pytest

from flowise_integrations import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFlowise,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from flowise_integrations._async._streaming import AsyncPredictionStream
from flowise_integrations.types import Chatflow, Prediction
from tests.reliability import fault_server as faults
from tests.reliability._async.conftest import API_KEY, TIMEOUT
from tests.reliability.fault_server import BIG, FLOW_ID, PARTIAL, FaultServer

pytestmark = pytest.mark.timeout(60)

CALLS = ["get", "create"]


async def call(client: AsyncFlowise, kind: str, **kwargs: Any) -> Chatflow | Prediction:
    if kind == "get":
        return await client.chatflows.get(FLOW_ID, **kwargs)
    return await client.predictions.create(FLOW_ID, "q", **kwargs)


async def consume(stream: AsyncPredictionStream) -> str:
    """Read ``stream`` to the end; its text."""
    async with stream:
        async for _ in stream:
            pass
    return stream.text


async def collect_text(stream: AsyncPredictionStream, received: list[str]) -> None:
    async with stream:
        async for text in stream.text_stream:
            received.append(text)


def retrying(client: AsyncFlowise, **changes: Any) -> AsyncFlowise:
    return client.with_options(retry=RetryPolicy(max_retries=2, **changes))


# ------------------------------------------------------------------------------ the request never completes


@pytest.mark.parametrize("kind", CALLS)
async def test_connection_refused(kind: str) -> None:
    url, holder = faults.refused_url()
    client = AsyncFlowise(url, api_key=API_KEY, timeout=TIMEOUT, max_retries=0)
    try:
        with pytest.raises(APIConnectionError) as info:
            await call(client, kind)
    finally:
        await client.aclose()
        holder.close()
    assert not isinstance(info.value, APITimeoutError)
    assert "ConnectError" in str(info.value)


async def test_connection_refused_stream() -> None:
    url, holder = faults.refused_url()
    client = AsyncFlowise(url, api_key=API_KEY, timeout=TIMEOUT, max_retries=0)
    stream = client.predictions.stream(FLOW_ID, "q")
    try:
        with pytest.raises(APIConnectionError) as info:
            await consume(stream)
    finally:
        await client.aclose()
        holder.close()
    assert not isinstance(info.value, APITimeoutError)
    assert stream.text == ""


async def test_connection_refused_is_retried_for_any_method(sleeps: list[float]) -> None:
    url, holder = faults.refused_url()
    client = AsyncFlowise(url, api_key=API_KEY, timeout=TIMEOUT, max_retries=2)
    try:
        with pytest.raises(APIConnectionError):
            await client.predictions.create(FLOW_ID, "q")
    finally:
        await client.aclose()
        holder.close()
    assert len(sleeps) == 2  # nothing reached a server, so even a prediction is sent again


@pytest.mark.parametrize("kind", CALLS)
@pytest.mark.parametrize(
    "behaviour",
    [faults.reset_before_headers, faults.close_before_headers, faults.reset_mid_body, faults.incomplete_body],
)
async def test_connection_dropped(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
    kind: str,
) -> None:
    fault_server.serve(behaviour)
    with pytest.raises(APIConnectionError) as info:
        await call(client, kind)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.request is not None
    assert fault_server.hits == 1


@pytest.mark.parametrize("behaviour", [faults.reset_before_headers, faults.close_before_headers])
async def test_stream_dropped_before_headers(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
) -> None:
    fault_server.serve(behaviour)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIConnectionError) as info:
        await consume(stream)
    assert not isinstance(info.value, APITimeoutError)
    assert stream.text == ""


@pytest.mark.parametrize("behaviour", [faults.reset_mid_body, faults.incomplete_body])
async def test_stream_answered_with_json_cut_midway(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
) -> None:
    # Flowise answers a stream request with plain JSON when the flow cannot stream.
    fault_server.serve(faults.ok_json)
    assert await consume(client.predictions.stream(FLOW_ID, "q")) == "ok"

    fault_server.serve(behaviour)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIConnectionError) as info:
        await consume(stream)
    assert not isinstance(info.value, APITimeoutError)
    assert stream.text == ""


async def test_reset_mid_stream_keeps_partial_text(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.reset_mid_stream)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIConnectionError) as info:
        await consume(stream)
    assert not isinstance(info.value, APITimeoutError)
    assert info.value.partial_text == PARTIAL
    assert stream.text == PARTIAL


async def test_dropped_connection_is_retried_only_when_idempotent(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(faults.reset_before_headers)
    with pytest.raises(APIConnectionError):
        await retrying(client).chatflows.get(FLOW_ID)
    assert fault_server.hits == 3

    fault_server.serve(faults.reset_before_headers)
    with pytest.raises(APIConnectionError):
        await retrying(client).predictions.create(FLOW_ID, "q")
    assert fault_server.hits == 1  # the flow may have run: a prediction is not sent twice


# ------------------------------------------------------------------------------------------- timeouts


@pytest.mark.parametrize("kind", CALLS)
@pytest.mark.parametrize("behaviour", [faults.silent_before_headers, faults.silent_after_headers])
async def test_silent_server_times_out(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
    kind: str,
) -> None:
    fault_server.serve(behaviour)
    with pytest.raises(APITimeoutError) as info:
        await call(client, kind)
    assert info.value.phase == "read"


async def test_stream_never_answered_times_out_with_hint(
    client: AsyncFlowise,
    fault_server: FaultServer,
) -> None:
    fault_server.serve(faults.silent_before_headers)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APITimeoutError) as info:
        await consume(stream)
    assert info.value.phase == "read"
    assert "chatflow id" in str(info.value)
    assert stream.text == ""


async def test_never_ending_stream_times_out_keeping_partial_text(
    client: AsyncFlowise,
    fault_server: FaultServer,
) -> None:
    fault_server.serve(faults.never_ending_stream)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APITimeoutError) as info:
        await consume(stream)
    assert info.value.phase == "read"
    assert info.value.partial_text == PARTIAL
    assert stream.text == PARTIAL


async def test_never_ending_stream_text_stream(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.never_ending_stream)
    received: list[str] = []
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APITimeoutError) as info:
        await collect_text(stream, received)
    assert "".join(received) == PARTIAL == info.value.partial_text == stream.text


@pytest.mark.parametrize("kind", CALLS)
async def test_slow_drip_below_read_timeout_succeeds(
    client: AsyncFlowise,
    fault_server: FaultServer,
    kind: str,
) -> None:
    # Each piece arrives well within the 1 s read timeout; the whole answer takes longer than that.
    fault_server.serve(faults.drip(0.1))
    result = await call(client, kind)
    assert result.id == FLOW_ID if isinstance(result, Chatflow) else result.text == "ok"


async def test_slow_drip_stream_below_read_timeout_succeeds(
    client: AsyncFlowise,
    fault_server: FaultServer,
) -> None:
    fault_server.serve(faults.drip(0.25))
    assert await consume(client.predictions.stream(FLOW_ID, "q")) == PARTIAL


@pytest.mark.parametrize("kind", CALLS)
async def test_slow_drip_above_read_timeout_times_out(
    client: AsyncFlowise,
    fault_server: FaultServer,
    kind: str,
) -> None:
    fault_server.serve(faults.drip(1.0))
    with pytest.raises(APITimeoutError) as info:
        await call(client, kind, options={"timeout": 0.3})
    assert info.value.phase == "read"


async def test_slow_drip_stream_above_read_timeout_times_out(
    client: AsyncFlowise,
    fault_server: FaultServer,
) -> None:
    fault_server.serve(faults.drip(1.0))
    stream = client.predictions.stream(FLOW_ID, "q", options={"timeout": 0.3})
    with pytest.raises(APITimeoutError) as info:
        await consume(stream)
    assert info.value.phase == "read"
    assert stream.text == info.value.partial_text == ""


# ------------------------------------------------------------------------------------------ bad bodies


@pytest.mark.parametrize("kind", CALLS)
async def test_truncated_json(client: AsyncFlowise, fault_server: FaultServer, kind: str) -> None:
    fault_server.serve(faults.truncated_json)
    with pytest.raises(APIResponseValidationError) as info:
        await call(client, kind)
    assert "not valid JSON" in str(info.value)
    assert info.value.status_code == 200


async def test_stream_cut_inside_an_event(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.truncated_stream)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIConnectionError) as info:
        await consume(stream)
    assert "end event" in str(info.value)
    assert info.value.partial_text == PARTIAL
    assert stream.text == PARTIAL


async def test_malformed_sse_lines_are_ignored(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.malformed_sse_lines)
    assert await consume(client.predictions.stream(FLOW_ID, "q")) == "Hello, partial world"


@pytest.mark.parametrize("behaviour", [faults.invalid_json_in_data, faults.not_an_event_in_data])
async def test_invalid_event_data(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
) -> None:
    fault_server.serve(behaviour)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIResponseValidationError) as info:
        await consume(stream)
    assert "Invalid event" in str(info.value)
    assert info.value.partial_text == PARTIAL
    assert stream.text == PARTIAL


@pytest.mark.parametrize("kind", CALLS)
async def test_html_page_for_json(client: AsyncFlowise, fault_server: FaultServer, kind: str) -> None:
    fault_server.serve(faults.html_200)
    with pytest.raises(APIResponseValidationError) as info:
        await call(client, kind)
    assert "HTML" in str(info.value)
    assert "base_url" in str(info.value)


async def test_html_page_for_stream(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.html_200)
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(APIResponseValidationError) as info:
        await consume(stream)
    assert "HTML" in str(info.value)
    assert stream.text == ""


# ---------------------------------------------------------------------------------------- error statuses


async def test_html_error_pages(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.html_502)
    with pytest.raises(InternalServerError) as info:
        await client.chatflows.get(FLOW_ID)
    assert info.value.status_code == 502
    assert str(info.value) == "502 502 Bad Gateway"

    fault_server.serve(faults.html_404)
    with pytest.raises(NotFoundError) as not_found:
        await client.chatflows.get(FLOW_ID)
    assert not_found.value.status_code == 404
    assert "<" not in str(not_found.value)

    fault_server.serve(faults.html_502)
    with pytest.raises(InternalServerError):
        await consume(client.predictions.stream(FLOW_ID, "q"))


@pytest.mark.parametrize("code", [502, 503, 504])
@pytest.mark.parametrize("retry_after", [None, "1", "date"])
async def test_gateway_errors_are_retried_for_idempotent_calls(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
    code: int,
    retry_after: str | None,
) -> None:
    header = retry_after
    if retry_after == "date":
        header = email.utils.formatdate(time.time() + 5, usegmt=True)
    fault_server.serve(faults.status(code, retry_after=header))
    with pytest.raises(InternalServerError) as info:
        await retrying(client).chatflows.get(FLOW_ID)
    assert info.value.status_code == code
    assert fault_server.hits == 3  # the first try and max_retries=2 more
    assert len(sleeps) == 2
    if retry_after is None:
        # Exponential backoff from 0.5 s with up to 25 % jitter taken off.
        assert 0.375 <= sleeps[0] <= 0.5
        assert 0.75 <= sleeps[1] <= 1.0
    elif retry_after == "1":
        assert sleeps == [1.0, 1.0]
    else:
        assert all(3.0 <= delay <= 5.0 for delay in sleeps)


@pytest.mark.parametrize("code", [502, 503, 504])
async def test_gateway_errors_on_predictions(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
    code: int,
) -> None:
    fault_server.serve(faults.status(code, retry_after="1"))
    with pytest.raises(InternalServerError):
        await retrying(client).predictions.create(FLOW_ID, "q")
    assert fault_server.hits == 1  # a proxy error may hide a flow that ran

    fault_server.serve(faults.status(code, retry_after="1"))
    with pytest.raises(InternalServerError):
        await consume(retrying(client).predictions.stream(FLOW_ID, "q"))
    assert fault_server.hits == 1

    fault_server.serve(faults.status(code))
    with pytest.raises(InternalServerError):
        await consume(retrying(client, retry_non_idempotent=True).predictions.stream(FLOW_ID, "q"))
    assert fault_server.hits == 3


async def test_gateway_error_then_success(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(faults.sequence(faults.status(503), faults.html_502, faults.ok_json))
    chatflow = await retrying(client).chatflows.get(FLOW_ID)
    assert chatflow.id == FLOW_ID
    assert fault_server.hits == 3
    assert len(sleeps) == 2

    fault_server.serve(faults.sequence(faults.status(503), faults.ok_stream))
    stream = retrying(client, retry_non_idempotent=True).predictions.stream(FLOW_ID, "q")
    assert await consume(stream) == PARTIAL
    assert fault_server.hits == 2


async def test_gives_up_after_max_retries(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(faults.status(503))
    with pytest.raises(InternalServerError):
        await client.with_options(max_retries=4).chatflows.get(FLOW_ID)
    assert fault_server.hits == 5
    assert len(sleeps) == 4

    fault_server.serve(faults.status(503))
    with pytest.raises(InternalServerError):
        await client.chatflows.get(FLOW_ID, options={"max_retries": 1})
    assert fault_server.hits == 2


async def test_failed_stream_is_not_sent_again(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.status(500))
    stream = client.predictions.stream(FLOW_ID, "q")
    with pytest.raises(InternalServerError):
        async for _ in stream:
            pass
    async for _ in stream:  # iterating again does not run the prediction a second time
        pass
    assert (await stream.final()).text == ""
    assert fault_server.hits == 1


async def test_500_is_never_retried(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    for kind in CALLS:
        fault_server.serve(faults.status(500, retry_after="1"))
        with pytest.raises(InternalServerError) as info:
            await call(retrying(client), kind)
        assert info.value.status_code == 500
        assert str(info.value) == "500 failure 500"
        assert fault_server.hits == 1
    fault_server.serve(faults.status(500))
    with pytest.raises(InternalServerError):
        await consume(retrying(client, retry_non_idempotent=True).predictions.stream(FLOW_ID, "q"))
    assert fault_server.hits == 1
    assert sleeps == []


RATE_LIMITED = "Too many requests, please try again later."


@pytest.mark.parametrize("kind", CALLS)
async def test_429_text_body_is_retried(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
    kind: str,
) -> None:
    fault_server.serve(faults.status(429, retry_after="2", text=RATE_LIMITED))
    with pytest.raises(RateLimitError) as info:
        await call(retrying(client), kind)
    assert fault_server.hits == 3  # the limiter rejects before the flow runs: safe even for a prediction
    assert sleeps == [2.0, 2.0]
    assert info.value.retry_after == 2.0
    assert info.value.status_code == 429
    assert str(info.value) == f"429 {RATE_LIMITED}"
    assert info.value.body == RATE_LIMITED


async def test_429_without_retry_after_backs_off(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(faults.status(429, text=RATE_LIMITED))
    with pytest.raises(RateLimitError) as info:
        await retrying(client).predictions.create(FLOW_ID, "q")
    assert info.value.retry_after is None
    assert fault_server.hits == 3
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


async def test_429_with_long_retry_after_fails_fast(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(faults.status(429, retry_after="60", text=RATE_LIMITED))
    with pytest.raises(RateLimitError) as info:
        await retrying(client).predictions.create(FLOW_ID, "q")
    assert info.value.retry_after == 60.0
    assert fault_server.hits == 1
    assert sleeps == []


async def test_429_on_a_stream(client: AsyncFlowise, fault_server: FaultServer, sleeps: list[float]) -> None:
    fault_server.serve(faults.status(429, retry_after="1", text=RATE_LIMITED))
    stream = retrying(client).predictions.stream(FLOW_ID, "q")
    with pytest.raises(RateLimitError) as info:
        await consume(stream)
    assert info.value.retry_after == 1.0
    assert fault_server.hits == 3
    assert sleeps == [1.0, 1.0]


async def test_retries_use_a_fresh_request_each_time(
    client: AsyncFlowise,
    fault_server: FaultServer,
    sleeps: list[float],
) -> None:
    fault_server.serve(
        faults.sequence(faults.status(429, retry_after="0", text=RATE_LIMITED), faults.ok_json)
    )
    prediction = await retrying(client).predictions.create(FLOW_ID, "same question")
    assert prediction.text == "ok"
    first, second = fault_server.requests
    assert first.body == second.body
    assert b"same question" in second.body
    assert second.headers["authorization"] == f"Bearer {API_KEY}"


# --------------------------------------------------------------------------------------------- 50 MB


async def test_50_mb_json_body(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.big_json)
    prediction = await client.predictions.create(FLOW_ID, "q")
    assert len(prediction.text) == BIG
    chatflow = await client.chatflows.get(FLOW_ID)
    assert chatflow.flow_data is not None
    assert len(chatflow.flow_data["filler"]) == BIG


async def test_50_mb_invalid_json_body(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.big_invalid_json)
    with pytest.raises(APIResponseValidationError) as info:
        await client.chatflows.get(FLOW_ID)
    assert len(str(info.value)) < 1000
    assert len(info.value.body) <= 500


async def test_50_mb_html_error_page(client: AsyncFlowise, fault_server: FaultServer) -> None:
    fault_server.serve(faults.big_html_error)
    with pytest.raises(APIStatusError) as info:
        await client.chatflows.get(FLOW_ID)
    assert str(info.value) == "502 502 Bad Gateway"


@pytest.mark.parametrize("behaviour", [faults.big_stream, faults.big_single_event])
async def test_50_mb_stream(
    client: AsyncFlowise,
    fault_server: FaultServer,
    behaviour: faults.Behaviour,
) -> None:
    fault_server.serve(behaviour)
    text = await consume(client.predictions.stream(FLOW_ID, "q"))
    assert len(text) == BIG
