"""Error paths against a real Flowise: each failure arrives as the typed exception with the real body."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from flowise_integrations import (
    APIResponseValidationError,
    APITimeoutError,
    AsyncFlowise,
    AsyncPredictionStream,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    RequestOptions,
    StreamError,
)
from flowise_integrations._core.request import RequestSpec
from flowise_integrations.testing import LocalStack
from flowise_integrations.testing.flows import ECHO_AGENTFLOW_NODES, echo_agentflow_graph
from flowise_integrations.types import Chatflow
from flowise_integrations.types import stream_events as ev
from flowise_integrations.types.api_keys import ApiKey


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def restricted_key(async_flowise_client: AsyncFlowise) -> AsyncIterator[ApiKey]:
    """A key that may only view chatflows."""
    key = await async_flowise_client.api_keys.create(name=_name("restricted"), permissions=["chatflows:view"])
    yield key
    await async_flowise_client.api_keys.delete(key.id)


@pytest.fixture
async def bound_agentflow(
    async_flowise_client: AsyncFlowise, restricted_key: ApiKey
) -> AsyncIterator[Chatflow]:
    """An echo agentflow bound to ``restricted_key``."""
    client = async_flowise_client
    defs = {name: (await client.nodes.get(name)).to_wire() for name in ECHO_AGENTFLOW_NODES}
    graph = echo_agentflow_graph(defs)
    created = await client.chatflows.create(name=_name("bound"), flow_data=graph, type="AGENTFLOW")
    try:
        yield await client.chatflows.update(created.id, apikeyid=restricted_key.id)
    finally:
        await client.chatflows.delete(created.id)


async def _drain(stream: AsyncPredictionStream, seen: list[ev.StreamEvent]) -> None:
    async with stream:
        async for event in stream:
            seen.append(event)


# --------------------------------------------------------------------------------------------- auth


async def test_bad_api_key_is_authentication_error(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client.with_options(api_key="not-a-key-" + uuid.uuid4().hex)
    with pytest.raises(AuthenticationError) as info:
        await client.chatflows.list()
    assert info.value.status_code == 401
    assert info.value.body == {"error": "Unauthorized Access"}
    assert info.value.message == "401 Unauthorized Access"
    assert not info.value.wrapped


async def test_missing_permission_is_permission_denied(
    async_flowise_client: AsyncFlowise, restricted_key: ApiKey
) -> None:
    client = async_flowise_client
    options: RequestOptions = {"api_key": restricted_key.api_key.get_secret_value()}
    assert isinstance(await client.chatflows.list(options=options), list)  # chatflows:view is granted
    with pytest.raises(PermissionDeniedError) as info:
        await client.tools.list(options=options)
    assert info.value.status_code == 403
    assert info.value.body == {"message": "Forbidden"}
    assert await client.tools.list() is not None  # the full key still may


async def test_datasets_are_an_enterprise_feature(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(PermissionDeniedError) as info:
        await async_flowise_client.datasets.list()
    assert info.value.status_code == 403
    assert info.value.body == {"message": "Forbidden"}
    assert "Enterprise" in info.value.message
    assert "feat:datasets" in info.value.message


# --------------------------------------------------------------------------------------------- not found


async def test_unknown_ids_are_not_found_even_when_wrapped(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    missing = str(uuid.uuid4())

    with pytest.raises(NotFoundError) as tool:
        await client.tools.get(missing)
    assert tool.value.status_code == 500
    assert tool.value.wrapped
    assert tool.value.operation == "toolsService.getToolById"
    assert tool.value.detail == f"Tool {missing} not found"

    with pytest.raises(NotFoundError) as execution:
        await client.executions.get(missing)
    assert execution.value.status_code == 500
    assert execution.value.operation == "executionsService.getExecutionById"
    assert execution.value.detail == f"Execution {missing} not found"

    with pytest.raises(NotFoundError) as chatflow:
        await client.chatflows.get(missing)
    assert chatflow.value.status_code == 404
    assert not chatflow.value.wrapped
    assert chatflow.value.body["message"] == f"Chatflow {missing} not found in the database!"

    with pytest.raises(NotFoundError) as prediction:
        await client.predictions.create(missing, "hello")
    assert prediction.value.status_code == 404


async def test_invalid_uuid_is_bad_request(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    with pytest.raises(BadRequestError) as info:
        await client.chatflows.get("not-a-uuid")
    assert info.value.status_code == 400
    assert info.value.body == {
        "statusCode": 400,
        "success": False,
        "message": "Invalid Chatflow ID",
        "stack": {},
    }

    with pytest.raises(BadRequestError) as prediction:
        await client.predictions.create("not-a-uuid", "hello")
    assert prediction.value.status_code == 400
    assert prediction.value.detail == "Invalid Chatflow ID"


# --------------------------------------------------------------------------------------------- 412


async def test_missing_or_invalid_parameters(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    # The client refuses what Flowise would answer with 412, before sending anything.
    with pytest.raises(ValueError, match="at least one permission"):
        await client.api_keys.create(name=_name("empty"), permissions=[])
    with pytest.raises(ValueError, match="positive integer"):
        await client.chatflows.list(page=-1, limit=2)

    # Sent anyway, such a request gets Flowise's 412.
    for route in ("chatflows", "tools"):
        with pytest.raises(PreconditionFailedError) as info:
            await client._request(RequestSpec("GET", route, params={"page": -1, "limit": 2}), None)
        assert info.value.status_code == 412
        assert info.value.detail == "Error: page cannot be negative!"
    with pytest.raises(PreconditionFailedError) as key:
        await client._request(
            RequestSpec("POST", "apikey", json={"keyName": _name("k"), "permissions": []}), None
        )
    assert key.value.status_code == 412
    assert key.value.operation == "apikeyController.createApiKey"
    assert key.value.detail == "permissions must be an array of strings!"


# --------------------------------------------------------------------------------------------- rate limit


async def test_rate_limit(async_flowise_client: AsyncFlowise, rate_limited_chatflow: Chatflow) -> None:
    client = async_flowise_client
    options: RequestOptions = {"max_retries": 0}
    for _ in range(2):
        answer = await client.predictions.create(rate_limited_chatflow.id, "hi", options=options)
        assert answer.text == "Echo: hi"
    with pytest.raises(RateLimitError) as info:
        await client.predictions.create(rate_limited_chatflow.id, "hi", options=options)
    assert info.value.status_code == 429
    assert info.value.retry_after == 60
    assert info.value.body == "Too many requests, slow down"
    assert (info.value.limit, info.value.remaining) == (2, 0)  # X-RateLimit-* or, in queue mode, RateLimit-*

    stream = client.predictions.stream(rate_limited_chatflow.id, "hi", options=options)
    with pytest.raises(RateLimitError) as streamed:
        await _drain(stream, [])
    assert streamed.value.retry_after == 60


# --------------------------------------------------------------------------------------------- wrong server


async def test_unknown_route_is_response_validation_error(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack
) -> None:
    client = async_flowise_client.with_options(base_url=f"{flowise_stack.base_url}/api/v1/no-such-prefix/")
    with pytest.raises(APIResponseValidationError) as info:
        await client.chatflows.list()
    assert info.value.status_code == 200  # Flowise serves its web UI for any unknown path
    assert info.value.response.headers["content-type"].startswith("text/html")
    assert "HTML page" in info.value.message
    with pytest.raises(APIResponseValidationError):
        await client.ping()


# --------------------------------------------------------------------------------------------- streaming hang


async def test_streaming_to_unknown_chatflow_times_out(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    missing = str(uuid.uuid4())
    stream = client.predictions.stream(missing, "hello", options={"timeout": 3})
    with pytest.raises(APITimeoutError) as info:
        await _drain(stream, [])
    assert info.value.phase == "read"
    assert "Flowise never answers a streaming prediction" in info.value.message
    assert "unknown or invalid chatflow id" in info.value.message
    # Without streaming the same request is an ordinary 404.
    with pytest.raises(NotFoundError):
        await client.predictions.create(missing, "hello")


async def test_streaming_to_a_non_uuid_is_refused_before_sending(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(ValueError, match="not a UUID"):
        async_flowise_client.predictions.stream("not-a-uuid", "hello")


# --------------------------------------------------------------------------------------------- per-flow keys


async def test_flow_bound_to_a_key(
    async_flowise_client: AsyncFlowise, bound_agentflow: Chatflow, restricted_key: ApiKey
) -> None:
    client = async_flowise_client
    key = restricted_key.api_key.get_secret_value()

    # The client's own (full) key is not the flow's key: Flowise wraps its 401 into a 500.
    with pytest.raises(AuthenticationError) as info:
        await client.predictions.create(bound_agentflow.id, "hi")
    assert info.value.status_code == 500
    assert info.value.wrapped
    assert info.value.operation == "predictionsServices.buildChatflow"
    assert info.value.detail == "Unauthorized"

    answer = await client.predictions.create(bound_agentflow.id, "hi", options={"api_key": key})
    assert answer.text == "Echo: hi"

    # Streaming: the stream opens (200) and then carries an error event.
    stream = client.predictions.stream(bound_agentflow.id, "hi")
    seen: list[ev.StreamEvent] = []
    with pytest.raises(StreamError) as streamed:
        await _drain(stream, seen)
    assert streamed.value.message == "Error: predictionsServices.buildChatflow - Unauthorized"
    assert streamed.value.chat_id == stream.chat_id
    assert streamed.value.partial_text == ""
    assert seen == [ev.ErrorEvent("Error: predictionsServices.buildChatflow - Unauthorized")]

    async with client.predictions.stream(bound_agentflow.id, "hi", options={"api_key": key}) as keyed:
        assert (await keyed.final()).text == "Echo: hi"
