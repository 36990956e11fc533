"""Configuration precedence and secret handling."""

from __future__ import annotations

import logging
import pickle

import httpx
import pytest

from flowise_integrations import AsyncFlowise, Flowise, NotFoundError
from flowise_integrations._config import normalize_base_url, resolve_config
from flowise_integrations._types import NOT_GIVEN

SECRET = "sk-very-secret-value-123"


def resolve(environ: dict[str, str], **kwargs: object) -> object:
    args: dict[str, object] = {
        "base_url": None,
        "api_key": None,
        "timeout": NOT_GIVEN,
        "max_retries": NOT_GIVEN,
        "retry": None,
        "default_headers": None,
    }
    args.update(kwargs)
    return resolve_config(environ=environ, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    ["http://h:3000", "http://h:3000/", "http://h:3000/api/v1", "http://h:3000/api/v1/", " http://h:3000 "],
)
def test_base_url_forms(url: str) -> None:
    assert normalize_base_url(url) == "http://h:3000/api/v1/"


def test_base_url_keeps_a_path_prefix() -> None:
    assert normalize_base_url("https://proxy/flowise/") == "https://proxy/flowise/api/v1/"


@pytest.mark.parametrize("bad", ["localhost:3000", "ftp://h", "", "/api/v1"])
def test_bad_base_urls(bad: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        normalize_base_url(bad)


def test_precedence_argument_env_default() -> None:
    env = {"FLOWISE_BASE_URL": "http://env:1", "FLOWISE_API_KEY": "env-key"}
    config = resolve(env, base_url="http://arg:2", api_key="arg-key")
    assert config.base_url == "http://arg:2/api/v1/"  # type: ignore[attr-defined]
    assert config.api_key.get_secret_value() == "arg-key"  # type: ignore[attr-defined]
    config = resolve(env)
    assert config.base_url == "http://env:1/api/v1/"  # type: ignore[attr-defined]
    assert config.api_key.get_secret_value() == "env-key"  # type: ignore[attr-defined]
    config = resolve({"FLOWISE_BASE_URL": "", "FLOWISE_API_KEY": "  "})
    assert config.base_url == "http://localhost:3000/api/v1/"  # type: ignore[attr-defined]
    assert config.api_key is None  # type: ignore[attr-defined]


def test_env_timeout_and_retries() -> None:
    config = resolve({"FLOWISE_TIMEOUT": "12.5", "FLOWISE_MAX_RETRIES": "5"})
    assert config.timeout.read == 12.5  # type: ignore[attr-defined]
    assert config.retry.max_retries == 5  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="FLOWISE_TIMEOUT"):
        resolve({"FLOWISE_TIMEOUT": "soon"})


def test_bad_argument_types() -> None:
    with pytest.raises(TypeError):
        Flowise("http://h", api_key=123)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Flowise("http://h", max_retries="2")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Flowise("http://h", http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="api_key="):
        Flowise("http://h", default_headers={"Authorization": "Bearer x"})


def test_timeouts_per_operation_and_override() -> None:
    seen: list[dict[str, float | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"version": "3.1.4"})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Flowise("http://h", http_client=http)
    client.version()
    client.version(options={"timeout": 3})
    client.with_options(timeout=None).version()
    assert seen[0]["read"] == 60.0
    assert seen[0]["connect"] == 5.0
    assert seen[1]["read"] == 3.0
    assert seen[2]["read"] is None


def test_secret_never_in_repr_pickle_or_errors(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"message": "Chatflow x not found in the database!"})

    caplog.set_level(logging.DEBUG)
    client = Flowise(
        "http://h", api_key=SECRET, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    async_client = AsyncFlowise("http://h", api_key=SECRET)
    with pytest.raises(NotFoundError) as info:
        client.chatflows.get("x")
    texts = [
        repr(client),
        str(client),
        repr(async_client),
        repr(client._config),
        str(info.value),
        repr(info.value),
    ]
    texts += [record.getMessage() for record in caplog.records]
    assert all(SECRET not in text for text in texts)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(client)


def test_per_call_api_key_and_headers() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"version": "3.1.4"})

    client = Flowise(
        "http://h",
        api_key="main",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        default_headers={"X-Team": "a"},
    )
    client.version(options={"api_key": "flow-key", "headers": {"X-Trace": "1"}})
    assert seen[0].headers["authorization"] == "Bearer flow-key"
    assert seen[0].headers["x-team"] == "a"
    assert seen[0].headers["x-trace"] == "1"
    assert "x-request-from" not in seen[0].headers
    with pytest.raises(TypeError, match="unknown request option"):
        client.version(options={"retries": 1})  # type: ignore[typeddict-unknown-key]


def test_with_options_shares_the_pool_and_keeps_the_parent_open() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"version": "3.1.4"})

    with Flowise("http://h", api_key="k", http_client=None) as parent:
        parent._http = httpx.Client(transport=httpx.MockTransport(handler))
        child = parent.with_options(max_retries=5)
        assert child.max_retries == 5
        assert parent.max_retries == 2
        assert child._http is parent._http
        child.close()
        assert parent.version() == "3.1.4"
    assert parent._http.is_closed
