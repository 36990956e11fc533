"""Capability detection: the client asks ``/version`` once and refuses what the server lacks.

The older releases' answers are recorded from Flowise 2.2.8 and 3.0.13
(``tests/fixtures/json/releases``): a 2.2 server answers a route it lacks with its UI's HTML page
and status 200, so without the check the caller would get a bewildering parse error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from flowise_integrations import (
    APIResponseValidationError,
    AsyncFlowise,
    UnsupportedFeatureError,
)
from tests.unit.mock_clients import API_KEY, BASE_URL
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

OLD = "releases/2.2.8"
MIDDLE = "releases/3.0.13"


def _fresh(http: httpx.AsyncClient) -> AsyncFlowise:
    """A client that has not asked the server anything yet (unlike the shared ``client``)."""
    return AsyncFlowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)


@pytest.fixture
async def http(server: MockFlowise) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
        yield http


def _paths(server: MockFlowise) -> list[str]:
    return [f"{call.method} {call.url.path}" for call in server.calls]


async def test_a_lacking_server_is_refused_before_sending(
    server: MockFlowise, http: httpx.AsyncClient
) -> None:
    server.add("GET", "version", recorded(f"{OLD}/version"))
    server.add("GET", "executions", recorded(f"{OLD}/executions_route"))
    client = _fresh(http)
    with pytest.raises(UnsupportedFeatureError) as info:
        await client.executions.list()
    error = info.value
    assert (error.capability, error.server_version, error.since) == ("executions", "2.2.8", "3.0.0")
    assert str(error) == (
        "Flowise 2.2.8 does not support agentflow executions (client.executions) "
        "(capability 'executions', added in Flowise 3.0.0)"
    )
    assert _paths(server) == ["GET /api/v1/version"]
    # The version is asked once, for every later call and for the client's with_options copies.
    with pytest.raises(UnsupportedFeatureError, match="datasets"):
        await client.datasets.list()
    with pytest.raises(UnsupportedFeatureError, match="'agentflows'"):
        await client.with_options(timeout=5).chatflows.create(name="a", flow_data={}, type="AGENTFLOW")
    with pytest.raises(UnsupportedFeatureError, match="'human_input'"):
        await client.predictions.create("flow", human_input={"type": "proceed"})
    with pytest.raises(UnsupportedFeatureError, match="'workspaces'"):
        await client.api_keys.create(name="k", permissions=["chatflows:view"])
    assert _paths(server) == ["GET /api/v1/version"]


async def test_without_the_check_the_route_answers_html(server: MockFlowise, http: httpx.AsyncClient) -> None:
    """What the check spares the caller: when the version cannot be had, 2.2.8's page comes back."""
    server.add("GET", "version", httpx.Response(404, json={"message": "Not found"}))
    server.add("GET", "executions", recorded(f"{OLD}/executions_route"))
    with pytest.raises(APIResponseValidationError, match="HTML"):
        await _fresh(http).executions.list()


async def test_a_capable_server_is_asked_once(server: MockFlowise, http: httpx.AsyncClient) -> None:
    server.add("GET", "version", recorded(f"{MIDDLE}/version"))
    server.add("GET", "executions", recorded("executions/list"))
    client = _fresh(http)
    await client.executions.list()
    await client.executions.list()
    assert _paths(server) == ["GET /api/v1/version", "GET /api/v1/executions", "GET /api/v1/executions"]
    with pytest.raises(UnsupportedFeatureError, match=r"Flowise 3\.0\.13 .* added in Flowise 3\.1\.3"):
        await client.credentials.reveal("some-id")
    assert len(server.calls) == 3


async def test_ungated_calls_never_ask(server: MockFlowise, http: httpx.AsyncClient) -> None:
    server.add("GET", "chatflows", httpx.Response(200, json=[]))
    await _fresh(http).chatflows.list()
    assert _paths(server) == ["GET /api/v1/chatflows"]


async def test_capabilities_refresh_and_a_silent_server(server: MockFlowise, http: httpx.AsyncClient) -> None:
    server.add("GET", "version", recorded(f"{OLD}/version"), recorded("client/version"))
    client = _fresh(http)
    assert (await client.capabilities()).version == "2.2.8"
    assert (await client.capabilities()).version == "2.2.8"
    upgraded = await client.capabilities(refresh=True)
    assert upgraded.version == "3.1.4"
    assert upgraded.missing == ()
    # A server that will not tell its version is given the benefit of the doubt.
    server.add("GET", "version", httpx.Response(404, json={"message": "Not found"}))
    server.add("GET", "executions", recorded("executions/list"))
    silent = _fresh(http)
    server.calls.clear()
    assert (await silent.executions.list()).total == 2
    assert (await silent.executions.list()).total == 2
    assert _paths(server) == ["GET /api/v1/version", "GET /api/v1/executions", "GET /api/v1/executions"]


async def test_another_server_is_asked_again(server: MockFlowise, http: httpx.AsyncClient) -> None:
    server.add("GET", "version", recorded(f"{OLD}/version"))
    client = _fresh(http)
    await client.capabilities()
    other = client.with_options(base_url="http://other.test")
    assert other._server is not client._server
    assert client.with_options(max_retries=1)._server is client._server
