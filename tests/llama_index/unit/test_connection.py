"""Connection settings shared by every adapter: environment, secrets, injected clients."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import (
    FlowiseChatEngine,
    FlowiseLLM,
    FlowiseQueryEngine,
    FlowiseRetriever,
    FlowiseToolSpec,
)
from flowise_integrations.llama_index._connection import FlowiseConnection
from tests.unit.mock_flowise import MockFlowise

from .conftest import FLOW, PREDICTION, STORE, prediction_body

SECRET = "sk-flowise-very-secret"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_BASE_URL", "http://env-flowise:3000")
    monkeypatch.setenv("FLOWISE_API_KEY", SECRET)

    connection = FlowiseConnection()

    assert connection.base_url == "http://env-flowise:3000"
    assert isinstance(connection.api_key, SecretStr)
    assert connection.api_key.get_secret_value() == SECRET
    assert connection.client.base_url == "http://env-flowise:3000/api/v1/"
    assert connection.async_client.base_url == "http://env-flowise:3000/api/v1/"


def test_empty_environment_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_BASE_URL", "")
    monkeypatch.setenv("FLOWISE_API_KEY", "  ")

    connection = FlowiseConnection()

    assert connection.base_url is None
    assert connection.api_key is None
    assert connection.client.base_url == "http://localhost:3000/api/v1/"


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_BASE_URL", "http://env-flowise:3000")
    monkeypatch.setenv("FLOWISE_API_KEY", "env-key")

    connection = FlowiseConnection(base_url="http://arg:3000", api_key=SECRET, timeout=7, max_retries=0)

    assert connection.client.base_url == "http://arg:3000/api/v1/"
    assert connection.client.max_retries == 0
    assert connection.api_key is not None
    assert connection.api_key.get_secret_value() == SECRET


@pytest.mark.parametrize(
    "make",
    [
        lambda: FlowiseQueryEngine(FLOW, api_key=SECRET),
        lambda: FlowiseRetriever(STORE, api_key=SECRET),
        lambda: FlowiseChatEngine(FLOW, api_key=SECRET),
        lambda: FlowiseToolSpec(api_key=SECRET),
        lambda: FlowiseLLM(FLOW, api_key=SECRET),
    ],
)
def test_the_key_never_appears_in_repr(make: object) -> None:
    adapter = make()  # type: ignore[operator]
    assert SECRET not in repr(adapter)
    assert SECRET not in str(adapter)


def test_an_injected_sync_client_is_the_template_for_the_async_one(server: MockFlowise) -> None:
    sync = Flowise("http://injected:3000", api_key=SECRET, max_retries=1)
    connection = FlowiseConnection(client=sync, base_url="http://ignored:1")

    assert connection.client is sync
    assert connection.async_client.base_url == "http://injected:3000/api/v1/"
    assert connection.async_client.max_retries == 1


def test_an_injected_async_client_is_the_template_for_the_sync_one() -> None:
    async_client = AsyncFlowise("http://injected-async:3000", api_key=SECRET)
    connection = FlowiseConnection(async_client=async_client)

    assert connection.async_client is async_client
    assert connection.client.base_url == "http://injected-async:3000/api/v1/"


def test_injected_clients_are_sent_the_requests(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", PREDICTION, prediction_body())

    FlowiseQueryEngine(FLOW, client=client).query("q")

    assert server.last.headers["Authorization"].startswith("Bearer ")


def test_wrong_client_types_are_rejected() -> None:
    with pytest.raises(TypeError, match="client"):
        FlowiseConnection(client=AsyncFlowise("http://h"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="async_client"):
        FlowiseConnection(async_client=Flowise("http://h"))  # type: ignore[arg-type]


async def test_close_only_closes_what_the_connection_built() -> None:
    async with httpx.AsyncClient() as http:
        injected = AsyncFlowise("http://h", http_client=http)
        connection = FlowiseConnection(async_client=injected)
        built = connection.client

        await connection.aclose()

        assert built._http.is_closed
        assert not http.is_closed
