"""The API key and credential secrets never show: not in a repr or str, a log record, an exception
message or traceback, or a pickle.

Every check greps the rendered text (or the pickled bytes) for the secret itself and for its
URL-encoded form. Requests go through real sockets (the fault server, or the real Flowise of the
test harness) so that httpx and httpcore log everything they log at DEBUG.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import inspect
import logging
import pickle
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import pytest

from flowise_integrations import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncFlowise,
    AuthenticationError,
    Flowise,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
    StreamError,
)
from flowise_integrations.testing import LocalStack
from flowise_integrations.types import ApiKey, Chatflow, CredentialDetail
from tests.reliability import fault_server as faults
from tests.reliability.fault_server import FLOW_ID, Conn, FaultServer, sse_event

pytestmark = pytest.mark.timeout(120)

SECRET = f"sk-secret-{uuid.uuid4().hex}"
CREDENTIAL_SECRET = f"cred-secret-{uuid.uuid4().hex}"
LOGGERS = ("", "httpx", "httpcore", "flowise_integrations")


def shows(text: str | bytes, *secrets: str) -> list[str]:
    """The secrets (or their URL-encoded forms) found in ``text``."""
    found = []
    for secret in secrets:
        for form in {secret, quote(secret, safe="")}:
            if (form.encode() if isinstance(text, bytes) else form) in text:
                found.append(secret)
    return found


def assert_hidden(obj: object, *secrets: str, pickled: bool = True) -> None:
    """``repr``/``str`` of ``obj`` (and its pickle, unless pickling is refused) show no secret."""
    assert not shows(repr(obj), *secrets), repr(obj)
    assert not shows(str(obj), *secrets), str(obj)
    if pickled:
        assert not shows(pickled_or_refusal(obj), *secrets), f"{type(obj).__name__} pickles a secret"


def pickled_or_refusal(obj: object) -> bytes:
    """``obj`` pickled, or the message of the error refusing to pickle it."""
    try:
        return pickle.dumps(obj)
    except (TypeError, AttributeError, pickle.PicklingError) as refused:
        return str(refused).encode()


def assert_exception_hidden(exc: BaseException, *secrets: str) -> None:
    assert_hidden(exc, *secrets)
    rendered = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert not shows(rendered, *secrets), rendered
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert str(copy) == str(exc)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every record of every logger at DEBUG, httpx and httpcore included."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def assert_logs_hidden(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    records = caplog.records
    assert any(r.name.startswith("httpcore") for r in records), "httpcore logged nothing"
    assert any(r.name == "httpx" for r in records), "httpx logged nothing"
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s")
    for record in records:
        rendered = [formatter.format(record), str(record.msg), repr(record.args), repr(record.__dict__)]
        for text in rendered:
            assert not shows(text, *secrets), f"{record.name}: {text}"
    assert not shows(caplog.text, *secrets)


# ------------------------------------------------------------------------------------------- clients


def test_clients_never_show_the_key(fault_server: FaultServer) -> None:
    clients = [
        Flowise(fault_server.url, api_key=SECRET),
        AsyncFlowise(fault_server.url, api_key=SECRET),
    ]
    clients += [client.with_options(timeout=3) for client in clients]
    for client in clients:
        assert_hidden(client, SECRET)
        assert_hidden(client._config, SECRET, pickled=False)
        with pytest.raises(TypeError):
            pickle.dumps(client)
    clients[0].close()
    asyncio.run(clients[1].aclose())


def test_models_never_show_secrets() -> None:
    api_key = ApiKey.model_validate(
        {"id": "k1", "keyName": "ci", "apiKey": SECRET, "apiSecret": CREDENTIAL_SECRET}
    )
    detail = CredentialDetail.model_validate(
        {
            "id": "c1",
            "name": "openai",
            "credentialName": "openAIApi",
            "encryptedData": CREDENTIAL_SECRET,
            "plainDataObj": {"openAIApiKey": CREDENTIAL_SECRET, "url": f"https://u:{SECRET}@h"},
        }
    )
    # These models exist to carry the secret: pickling round-trips it (like pydantic's SecretStr),
    # so only their text forms are checked.
    for model in (api_key, detail):
        assert_hidden(model, SECRET, CREDENTIAL_SECRET, pickled=False)
        assert not shows(repr(model.model_dump()), SECRET, CREDENTIAL_SECRET)
        assert not shows(model.model_dump_json(), SECRET, CREDENTIAL_SECRET)
    assert api_key.api_key.get_secret_value() == SECRET


# ------------------------------------------------------------------------------ logs and exceptions


def _unauthorized(conn: Conn) -> None:
    conn.json(401, {"statusCode": 401, "success": False, "message": "Unauthorized Access"})


def _verify_ok(conn: Conn) -> None:
    conn.json(200, "OK")


def _error_event(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(sse_event("token", "partial") + sse_event("error", "Error: the flow failed"))
    conn.end_chunks()


def _secret_in_bad_shape(conn: Conn) -> None:
    """A credential whose body fails validation, with the secret among the offending values."""
    conn.json(200, {"id": 17, "name": ["x"], "plainDataObj": {"openAIApiKey": CREDENTIAL_SECRET}})


def _retry_policy() -> RetryPolicy:
    return RetryPolicy(max_retries=1, initial_delay=0.01, jitter=0)


# Each: how the server misbehaves, the call (sync client; the async twin is derived), the error.
FAULTS: list[tuple[faults.Behaviour, str, type[APIError]]] = [
    (_unauthorized, "verify", AuthenticationError),
    (_unauthorized, "get", AuthenticationError),
    (faults.status(503, retry_after="0"), "verify", APIStatusError),
    (faults.status(429, retry_after="0", text="Too many requests"), "create", RateLimitError),
    (faults.html_404, "verify", NotFoundError),
    (faults.silent_before_headers, "verify", APITimeoutError),
    (faults.reset_before_headers, "verify", APIConnectionError),
    (faults.reset_mid_stream, "stream", APIConnectionError),
    (faults.invalid_json_in_data, "stream", APIResponseValidationError),
    (_error_event, "stream", StreamError),
    (faults.html_200, "verify", APIResponseValidationError),
    (_secret_in_bad_shape, "credential", APIResponseValidationError),
]


def _sync_call(client: Flowise, call: str) -> object:
    if call == "verify":
        return client.api_keys.verify(SECRET)
    if call == "get":
        return client.chatflows.get(FLOW_ID)
    if call == "create":
        return client.predictions.create(FLOW_ID, "q")
    if call == "credential":
        return client.credentials.get("c1")
    with client.predictions.stream(FLOW_ID, "q") as stream:
        return stream.final()


async def _async_call(client: AsyncFlowise, call: str) -> object:
    if call == "verify":
        return await client.api_keys.verify(SECRET)
    if call == "get":
        return await client.chatflows.get(FLOW_ID)
    if call == "create":
        return await client.predictions.create(FLOW_ID, "q")
    if call == "credential":
        return await client.credentials.get("c1")
    async with client.predictions.stream(FLOW_ID, "q") as stream:
        return await stream.final()


def test_errors_and_logs_never_show_secrets(
    fault_server: FaultServer, logs: pytest.LogCaptureFixture
) -> None:
    errors: list[BaseException] = []

    async def run_async() -> None:
        async with AsyncFlowise(
            fault_server.url, api_key=SECRET, timeout=0.5, retry=_retry_policy()
        ) as client:
            for behaviour, call, error in FAULTS:
                fault_server.serve(behaviour)
                with pytest.raises(error) as info:
                    await _async_call(client, call)
                errors.append(info.value)
                fault_server.release()
            fault_server.serve(_verify_ok)
            assert await client.api_keys.verify(SECRET) is True

    with Flowise(fault_server.url, api_key=SECRET, timeout=0.5, retry=_retry_policy()) as client:
        for behaviour, call, error in FAULTS:
            fault_server.serve(behaviour)
            with pytest.raises(error) as info:
                _sync_call(client, call)
            errors.append(info.value)
            fault_server.release()
        fault_server.serve(_verify_ok)
        assert client.api_keys.verify(SECRET) is True
    asyncio.run(run_async())

    # The key did go out, in the header and (verify) in the path; it just never came back in view.
    assert any(r.headers.get("authorization") == f"Bearer {SECRET}" for r in fault_server.requests)
    assert any(SECRET in r.target for r in fault_server.requests)
    for exc in errors:
        assert_exception_hidden(exc, SECRET, CREDENTIAL_SECRET)
    assert_logs_hidden(logs, SECRET, CREDENTIAL_SECRET)
    retried = [r for r in logs.records if r.name == "flowise_integrations" and "retrying" in r.getMessage()]
    assert retried, "the retries were not logged"


def test_unpickled_errors_keep_their_data(fault_server: FaultServer) -> None:
    fault_server.serve(faults.status(429, retry_after="7", text="Too many requests"))
    with (
        Flowise(fault_server.url, api_key=SECRET, max_retries=0) as client,
        pytest.raises(RateLimitError) as info,
    ):
        client.api_keys.verify(SECRET)
    copy = pickle.loads(pickle.dumps(info.value))
    assert isinstance(copy, RateLimitError)
    assert (copy.status_code, copy.retry_after, copy.body) == (429, 7.0, "Too many requests")
    assert copy.response.text == "Too many requests"
    assert copy.request is not None
    assert "authorization" not in copy.request.headers
    assert copy.request.url.path.endswith("/verify/apikey/***")
    # The live exception still has the request as it was sent.
    assert info.value.request is not None
    assert info.value.request.headers["authorization"] == f"Bearer {SECRET}"


# ------------------------------------------------------------------------------------ the real server


@pytest.mark.integration
def test_real_server_round_trips_keep_secrets(
    flowise_stack: LocalStack, conversation_chatflow: Chatflow, logs: pytest.LogCaptureFixture
) -> None:
    key = flowise_stack.api_key
    wrong_key = f"wrong-{SECRET}"
    secrets = (key, wrong_key, CREDENTIAL_SECRET)
    seen: list[object] = []
    errors: list[BaseException] = []
    with Flowise(flowise_stack.base_url, api_key=key) as client:
        seen.append(client)
        assert client.api_keys.verify(key) is True
        with pytest.raises(AuthenticationError) as bad_key:
            client.api_keys.verify(wrong_key)
        errors.append(bad_key.value)
        keys = client.api_keys.list()
        assert any(k.api_key.get_secret_value() == key for k in keys)
        for api_key in keys:
            assert_hidden(api_key, *secrets, pickled=False)  # carries the key itself: see above

        created = client.credentials.create(
            name=f"secret-test-{uuid.uuid4().hex[:8]}",
            credential_name="openAIApi",
            data={"openAIApiKey": CREDENTIAL_SECRET},
        )
        try:
            fetched = client.credentials.get(created.id)
            assert fetched.plain_data["openAIApiKey"].get_secret_value() != CREDENTIAL_SECRET  # redacted
            updated = client.credentials.update(created.id, data={"openAIApiKey": CREDENTIAL_SECRET})
            listed = [c for c in client.credentials.list() if c.id == created.id]
            seen += [created, fetched, updated, *listed]
        finally:
            client.credentials.delete(created.id)

        with pytest.raises(NotFoundError) as missing:
            client.chatflows.get(str(uuid.uuid4()))
        errors.append(missing.value)
        answer = client.predictions.create(
            conversation_chatflow.id, "hello", override_config={"sessionId": "s1"}
        )
        with client.predictions.stream(conversation_chatflow.id, "again", chat_id="s1") as stream:
            streamed = stream.final()
        seen += [answer, streamed]
        client.chat_messages.delete(conversation_chatflow.id, session_id="s1")

    for obj in seen:
        assert_hidden(obj, *secrets)
    for exc in errors:
        assert_exception_hidden(exc, *secrets)
    assert_logs_hidden(logs, *secrets)


# ------------------------------------------------------------------------------------------ adapters
#
# The adapter packages are optional and still growing: every class and tool factory they export is
# checked, whatever is there.

ADAPTER_PACKAGES = ("flowise_integrations.langchain", "flowise_integrations.llama_index")
_FILLERS: dict[str, Any] = {
    "chatflow_id": FLOW_ID,
    "store_id": "store-1",
    "name": "flowise_tool",
    "description": "A Flowise tool",
    "code": "return 'ok'",
    "question": "q",
}


def _adapters(base_url: str) -> Iterator[tuple[str, object]]:
    """Every exported adapter class, and each tool factory that needs no server, built with the key."""
    chatflow = Chatflow(id=FLOW_ID, name="flow")
    for package in ADAPTER_PACKAGES:
        if importlib.util.find_spec(package) is None:
            continue
        module = importlib.import_module(package)
        for name in module.__all__:
            export = getattr(module, name)
            try:
                parameters = list(inspect.signature(export).parameters.values())
            except (TypeError, ValueError):
                continue  # typed dicts and the like
            if not any(parameter.name == "api_key" for parameter in parameters):
                continue
            kwargs: dict[str, Any] = {"api_key": SECRET, "base_url": base_url}
            if inspect.isclass(export):
                accepted = {p.name for p in parameters} | set(getattr(export, "model_fields", {}))
                kwargs.update({key: value for key, value in _FILLERS.items() if key in accepted})
                yield f"{package}.{name}", export(**kwargs)
            elif parameters[0].name == "chatflow":  # a factory given the flow itself needs no request
                yield f"{package}.{name}", export(chatflow, **kwargs)


def test_adapters_never_show_the_key(fault_server: FaultServer) -> None:
    for name, adapter in _adapters(fault_server.url):
        assert not shows(repr(adapter), SECRET), name
        assert not shows(str(adapter), SECRET), name
        to_json: Callable[[], Any] | None = getattr(adapter, "model_dump_json", None)
        if to_json is not None:
            with contextlib.suppress(Exception):  # not every component serialises
                assert not shows(to_json(), SECRET), name
        if importlib.util.find_spec("langchain_core") is not None:
            from langchain_core.load import dumps
            from langchain_core.load.serializable import Serializable

            if isinstance(adapter, Serializable) and adapter.is_lc_serializable():
                assert not shows(dumps(adapter), SECRET), name


def test_adapters_do_not_pickle_the_key(fault_server: FaultServer) -> None:
    leaking = []
    for name, adapter in _adapters(fault_server.url):
        # Refusing to pickle is fine, as long as the refusal says nothing.
        if shows(pickled_or_refusal(adapter), SECRET):
            leaking.append(name)
    assert not leaking, f"these adapters pickle their api_key: {leaking}"
