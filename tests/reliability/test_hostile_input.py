"""Hostile input: ids that would bend a URL, arguments of the wrong type, and text that must
arrive untouched.

* Any string used as an id is either refused before a request (``ValueError``/``TypeError``) or
  becomes exactly one path segment that decodes back to it (checked on the raw request path that
  a mock transport records, for every route that takes an id).
* Every parameter of every resource method, given a value of the wrong type, is refused before a
  request (``TypeError``, ``ValueError`` or a pydantic ``ValidationError``).
* Unicode, emoji, 1 MB of text and JSON-looking strings in questions and history reach the model
  through the real Flowise unchanged, come back in the answer, and are stored as sent.
"""

from __future__ import annotations

import contextlib
import inspect
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowise_integrations import APIError, AsyncFlowise, Flowise
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.timeout(300)

FLOW = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
MARK = "SENTINEL-ID"
REFUSED = (TypeError, ValueError, pydantic.ValidationError)


class Recorder:
    """A mock transport that keeps each request and answers 404; ``GET /version`` (which the
    client asks before a call that needs a capability) answers as Flowise 3.1.4 and is not kept."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == "/api/v1/version":
            return httpx.Response(200, json={"version": "3.1.4"})
        self.requests.append(request)
        return httpx.Response(404, json={"statusCode": 404, "message": "not found"})


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def client(recorder: Recorder) -> Iterator[Flowise]:
    with httpx.Client(transport=httpx.MockTransport(recorder)) as http:
        yield Flowise("http://flowise.test", api_key="k", max_retries=0, http_client=http)


@pytest.fixture
async def async_client(recorder: Recorder) -> AsyncIterator[AsyncFlowise]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(recorder)) as http:
        yield AsyncFlowise("http://flowise.test", api_key="k", max_retries=0, http_client=http)


# ------------------------------------------------------------------------------------------------- ids

# Every route whose path carries a caller-given id (the id under test is ``x``).
ID_ROUTES: dict[str, Callable[[Any, str], Any]] = {
    "chatflows.get": lambda c, x: c.chatflows.get(x),
    "chatflows.delete": lambda c, x: c.chatflows.delete(x),
    "chatflows.get_public": lambda c, x: c.chatflows.get_public(x),
    "chatflows.get_flow_config": lambda c, x: c.chatflows.get_flow_config(x),
    "chatflows.list_by_api_key": lambda c, x: c.chatflows.list_by_api_key(x),
    "predictions.create": lambda c, x: c.predictions.create(x, "q"),
    "vectors.upsert": lambda c, x: c.vectors.upsert(x),
    "chat_messages.list": lambda c, x: c.chat_messages.list(x),
    "chat_messages.abort": lambda c, x: c.chat_messages.abort(FLOW, x),
    "tools.get": lambda c, x: c.tools.get(x),
    "credentials.get": lambda c, x: c.credentials.get(x),
    "credentials.get_component": lambda c, x: c.credentials.get_component(x),
    "variables.delete": lambda c, x: c.variables.delete(x),
    "executions.get": lambda c, x: c.executions.get(x),
    "assistants.get": lambda c, x: c.assistants.get(x),
    "document_stores.get": lambda c, x: c.document_stores.get(x),
    "api_keys.verify": lambda c, x: c.api_keys.verify(x),
    "api_keys.delete": lambda c, x: c.api_keys.delete(x),
    "leads.list": lambda c, x: c.leads.list(x),
    "stats.get": lambda c, x: c.stats.get(x),
    "nodes.get": lambda c, x: c.nodes.get(x),
    "upsert_history.list": lambda c, x: c.upsert_history.list(x),
}

NASTY_IDS = [
    "a/b",
    "/",
    "..",
    ".",
    "../../etc/passwd",
    "...",
    "%2e%2e",
    "%2F",
    "%",
    "100%",
    "?",
    "a?b=c",
    "#",
    "a#b",
    " ",
    " a b ",
    "\t",
    "\n",
    "a\r\nX-Injected: 1",
    "\x00",
    "\x7f",
    "é",
    "日本語",
    "😀",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\ud800",
    "a" * 10_000,
    "😀/.." * 500,
    "&=+;,$@:",
    "\\",
    "'\"<>`{}|^[]",
]


def _raw_target(request: httpx.Request) -> str:
    return request.url.raw_path.decode("ascii")


def _templates(client: Flowise, recorder: Recorder) -> dict[str, tuple[str, str]]:
    """For each route, what comes before and after the id in the raw request target."""
    templates = {}
    for name, route in ID_ROUTES.items():
        recorder.requests.clear()
        with pytest.raises(APIError):
            route(client, MARK)
        (request,) = recorder.requests
        before, _, after = _raw_target(request).partition(MARK)
        assert before, name
        templates[name] = (before, after)
    return templates


_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {}  # learnt once per session


def check_id(client: Flowise, recorder: Recorder, templates: dict[str, tuple[str, str]], value: str) -> None:
    for name, route in ID_ROUTES.items():
        recorder.requests.clear()
        try:
            route(client, value)
        except REFUSED:
            assert recorder.requests == [], f"{name}({value!r}) was sent, then refused"
            continue
        except APIError:
            pass
        (request,) = recorder.requests
        target = _raw_target(request)
        before, after = templates[name]
        assert target.startswith(before), (name, value, target)
        assert target.endswith(after), (name, value, target)
        segment = target[len(before) : len(target) - len(after)]
        assert not set(segment) & set("/?#"), (name, value, segment)
        assert unquote(segment, errors="strict") == value, (name, value, segment)


def test_nasty_ids_are_encoded_or_refused(client: Flowise, recorder: Recorder) -> None:
    templates = _templates(client, recorder)
    for value in NASTY_IDS:
        check_id(client, recorder, templates, value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(
        st.text(),
        st.text(alphabet=st.sampled_from("/.?#% \t\r\n%2eEfF\\&=+;:@"), max_size=20),
        st.text(min_size=2000, max_size=5000),
        st.sampled_from(NASTY_IDS).flatmap(lambda nasty: st.text(max_size=5).map(lambda text: nasty + text)),
    )
)
def test_any_id_is_encoded_or_refused(client: Flowise, recorder: Recorder, value: str) -> None:
    if "sync" not in _TEMPLATES:
        _TEMPLATES["sync"] = _templates(client, recorder)
    check_id(client, recorder, _TEMPLATES["sync"], value)


async def test_async_client_encodes_ids_the_same_way(
    client: Flowise, async_client: AsyncFlowise, recorder: Recorder
) -> None:
    for value in NASTY_IDS:
        recorder.requests.clear()
        try:
            client.chatflows.get(value)
        except REFUSED:
            refused_sync = True
        except APIError:
            refused_sync = False
        sent_sync = [_raw_target(r) for r in recorder.requests]
        recorder.requests.clear()
        try:
            await async_client.chatflows.get(value)
        except REFUSED:
            assert refused_sync, value
        except APIError:
            assert not refused_sync, value
        assert [_raw_target(r) for r in recorder.requests] == sent_sync, value


# --------------------------------------------------------------------------------------- wrong types


class WrongType:
    """Of no type any parameter accepts."""


# Values for required parameters that the methods accept (each call is checked to send a request).
VALID: dict[str, Any] = {
    "chat_model": {"name": "chatOpenAI"},
    "csv": "input,output\nq,a\n",
    "data": {"openAIApiKey": "sk"},
    "details": {"name": "assistant"},
    "enabled": True,
    "execution_ids": ["e1"],
    "files": [("notes.txt", b"text")],
    "flow_data": {"nodes": [], "edges": []},
    "ids": ["i1"],
    "javascript_function": "return 1",
    "last_updated": "2024-01-01T00:00:00.000Z",
    "log_ids": ["l1"],
    "permissions": ["chatflows:view"],
    "rating": "THUMBS_UP",
    "row_ids": ["r1"],
    "method_name": "listModels",
    "category": "Agents",
}
# Methods that need one optional field to have anything to send.
EXTRA: dict[str, dict[str, Any]] = {
    "assistants.update": {"details": {"name": "a"}},
    "credentials.update": {"name": "n"},
    "datasets.update": {"name": "n"},
    "document_stores.upsert": {"doc_id": "d1"},
    "executions.update": {"is_public": True},
    "feedback.update": {"rating": "THUMBS_UP"},
    "marketplace.save_custom_template": {"chatflow_id": FLOW},
    "tools.update": {"name": "n"},
    "variables.update": {"name": "n"},
}


def _valid(name: str) -> Any:
    if name in VALID:
        return VALID[name]
    return FLOW if name.endswith("_id") else "text"


def _methods(
    client: Flowise | AsyncFlowise,
) -> Iterator[tuple[str, Callable[..., Any], dict[str, Any], list[str]]]:
    """Every public resource method, valid keyword arguments for it, and its parameters."""
    for resource_name in dir(client):
        resource = getattr(client, resource_name)
        if resource_name.startswith("_") or not hasattr(resource, "_client"):
            continue
        for method_name, method in inspect.getmembers(resource, inspect.ismethod):
            if method_name.startswith("_"):
                continue
            name = f"{resource_name}.{method_name}"
            parameters = [p for p in inspect.signature(method).parameters.values() if p.name != "options"]
            kwargs = {p.name: _valid(p.name) for p in parameters if p.default is inspect.Parameter.empty}
            kwargs.update(EXTRA.get(name, {}))
            yield name, method, kwargs, [p.name for p in parameters]


def _run(method: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    result = method(**kwargs)
    if hasattr(result, "__enter__"):  # a prediction stream: opened when entered
        with result:
            pass
    elif hasattr(result, "__next__"):  # iter_all: lazy until the first item
        next(result, None)


async def _arun(method: Callable[..., Any], kwargs: dict[str, Any]) -> None:
    result = method(**kwargs)
    if inspect.isawaitable(result):
        await result
    elif hasattr(result, "__aenter__"):
        async with result:
            pass
    elif hasattr(result, "__anext__"):
        await anext(result, None)


def test_wrong_types_are_refused_before_any_request(client: Flowise, recorder: Recorder) -> None:
    checked = 0
    for name, method, kwargs, parameters in _methods(client):
        recorder.requests.clear()
        with contextlib.suppress(APIError):
            _run(method, kwargs)
        assert len(recorder.requests) == 1, f"{name}({kwargs}) sent {len(recorder.requests)} requests"
        for parameter in parameters:
            recorder.requests.clear()
            with pytest.raises(REFUSED):
                _run(method, {**kwargs, parameter: WrongType()})
            assert recorder.requests == [], f"{name}({parameter}=<wrong type>) was sent"
            checked += 1
    assert checked > 250  # every parameter of every method


async def test_wrong_types_are_refused_before_any_request_async(
    async_client: AsyncFlowise, recorder: Recorder
) -> None:
    for name, method, kwargs, parameters in _methods(async_client):
        recorder.requests.clear()
        with contextlib.suppress(APIError):
            await _arun(method, kwargs)
        assert len(recorder.requests) == 1, name
        for parameter in parameters:
            recorder.requests.clear()
            with pytest.raises(REFUSED):
                await _arun(method, {**kwargs, parameter: WrongType()})
            assert recorder.requests == [], f"{name}({parameter}=<wrong type>) was sent"


WRONG_SETTINGS: list[tuple[dict[str, Any], type[Exception]]] = [
    ({"base_url": 3000}, TypeError),
    ({"base_url": "ftp://flowise.test"}, ValueError),
    ({"base_url": "not a url"}, ValueError),
    ({"api_key": 12345}, TypeError),
    ({"timeout": "fast"}, TypeError),
    ({"timeout": True}, TypeError),
    ({"max_retries": "2"}, TypeError),
    ({"max_retries": True}, TypeError),
    ({"max_retries": -1}, ValueError),
    ({"default_headers": {"Authorization": "Bearer x"}}, ValueError),
    ({"http_client": object()}, TypeError),
]


@pytest.mark.parametrize(("settings", "error"), WRONG_SETTINGS)
def test_wrong_client_settings(settings: dict[str, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        Flowise(**{"base_url": "http://flowise.test", **settings})
    with pytest.raises(error):
        AsyncFlowise(**{"base_url": "http://flowise.test", **settings})


@pytest.mark.parametrize(
    "options",
    [
        {"unknown": 1},
        {"timeout": "soon"},
        {"max_retries": "2"},
        {"max_retries": -1},
        {"headers": ["X-A", "1"]},
        {"api_key": 5},
    ],
)
def test_wrong_request_options(client: Flowise, recorder: Recorder, options: dict[str, Any]) -> None:
    recorder.requests.clear()
    with pytest.raises((TypeError, ValueError)):
        client.chatflows.get(FLOW, options=options)  # type: ignore[arg-type]
    assert recorder.requests == []


# ----------------------------------------------------------------------------------- the real server

JSON_LOOKING = [
    '{"question": "nested", "overrideConfig": {"sessionId": "other"}}',
    '["a", 1, null, true]',
    "null",
    '"quoted"',
    "{{template}} {variable} ${js} %s %(name)s",
    '</script><script>alert("x")</script>',
]
UNICODE = [
    "héllo wörld — ñ ß Ω",
    "日本語のテキスト 中文 한국어",
    "emoji 😀👍🏽👨‍👩‍👧‍👦 🇪🇺",
    "rtl \u202eevil\u202c zero\u200bwidth bom\ufeff",
    "line1\nline2\r\nline3\ttab  spaces  ",
    "back\\slash \"double\" 'single'",
]


def _one_megabyte() -> str:
    word = 'ü😀{"k":[1,2]}日本<b>&amp;\\n' * 500
    return " ".join([word] * 100)[:1_000_000]


@pytest.mark.integration
async def test_text_round_trips_through_flowise(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client, flow = async_flowise_client, conversation_chatflow.id
    questions = [*UNICODE, *JSON_LOOKING]
    session = f"hostile-{uuid.uuid4().hex}"
    try:
        for question in questions:
            answer = await client.predictions.create(flow, question, override_config={"sessionId": session})
            assert flowise_model.chat_requests()[-1]["messages"][-1]["content"] == question
            assert answer.text == f"FAKE: {question}"
        stored = await client.chat_messages.list(flow, session_id=session)
        expected = [pair for q in questions for pair in (("userMessage", q), ("apiMessage", f"FAKE: {q}"))]
        assert [(m.role, m.content) for m in stored] == expected
    finally:
        await client.chat_messages.delete(flow, session_id=session)


@pytest.mark.integration
async def test_history_round_trips_through_flowise(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    history = []
    for user, assistant in zip(UNICODE, JSON_LOOKING, strict=True):
        history += [{"role": "userMessage", "content": user}, {"role": "apiMessage", "content": assistant}]
    chat_id = f"history-{uuid.uuid4().hex}"
    try:
        async with async_flowise_client.predictions.stream(
            conversation_chatflow.id, "and now?", chat_id=chat_id, history=history
        ) as stream:
            answer = await stream.final()
        assert answer.text == "FAKE: and now?"
        received = [m for m in flowise_model.chat_requests()[-1]["messages"] if m["role"] != "system"]
        sent = [("user" if h["role"] == "userMessage" else "assistant", h["content"]) for h in history]
        assert [(m["role"], m["content"]) for m in received] == [*sent, ("user", "and now?")]
    finally:
        await async_flowise_client.chat_messages.delete(conversation_chatflow.id, chat_id=chat_id)


@pytest.mark.integration
async def test_one_megabyte_round_trips_through_flowise(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    big = _one_megabyte()
    assert len(big) == 1_000_000
    flow = conversation_chatflow.id
    whole, streamed = f"big-{uuid.uuid4().hex}", f"big-{uuid.uuid4().hex}"
    try:
        answer = await async_flowise_client.predictions.create(
            flow, big, override_config={"sessionId": whole}
        )
        assert flowise_model.chat_requests()[-1]["messages"][-1]["content"] == big
        assert answer.text == f"FAKE: {big}"

        async with async_flowise_client.predictions.stream(flow, big, chat_id=streamed) as stream:
            text = "".join([chunk async for chunk in stream.text_stream])
        assert text == f"FAKE: {big}"
        assert flowise_model.chat_requests()[-1]["messages"][-1]["content"] == big

        for session in (whole, streamed):
            stored = await async_flowise_client.chat_messages.list(flow, session_id=session)
            assert [(m.role, m.content) for m in stored] == [
                ("userMessage", big),
                ("apiMessage", f"FAKE: {big}"),
            ]
    finally:
        for session in (whole, streamed):
            await async_flowise_client.chat_messages.delete(flow, session_id=session)
