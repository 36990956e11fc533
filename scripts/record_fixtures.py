"""Record real Flowise responses as the fixtures the unit tests answer requests with.

Starts :class:`~flowise_integrations.testing.LocalStack` (model stand-in, Chroma and a fresh
Flowise), creates the test flows and a document store, and drives the sync client through a
representative call of every resource method and every error body the server produces. Each
response is written to ``<out>/json/<resource>/<name>.json`` as ``{"status", "headers", "body"}``
and each streamed prediction to ``<out>/sse/<name>.sse``, byte for byte as received.

Everything that differs between runs is normalised (:class:`Normaliser`), so recording twice
gives identical files::

    .venv/bin/python scripts/record_fixtures.py [--out tests/fixtures] [--release 2.2.8]

``--release`` records the few responses the unit tests keep of an older release, into
``<out>/json/releases/<version>/``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from flowise_integrations import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    Flowise,
    InternalServerError,
    NotFoundError,
    NotResumableError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    StreamError,
)
from flowise_integrations._core.request import RequestSpec
from flowise_integrations.flows import Catalogue, Flow
from flowise_integrations.testing import LocalStack, ToolCall, flows
from flowise_integrations.testing._cache import cache_root
from flowise_integrations.types import Chatflow

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures"

KEPT_HEADERS = ("content-type", "retry-after", "x-ratelimit-limit", "x-ratelimit-remaining")
FIXED_DATE = "2026-01-01T00:00:00"
# UUIDs that are constants of Flowise, not ids: the credential redaction sentinel's suffix.
CONSTANT_UUIDS = frozenset({"07167752-1a71-43b1-bf8f-4f32252165db"})
# Keys whose string values are secrets (placeholders numbered per key) or timings (set to 0).
SECRET_KEYS = {"apiKey": "api-key", "apiSecret": "api-secret", "encryptedData": "encrypted-data"}
TIMING_KEYS = ("timeTaken",)
# Responses of the queue-mode topology on PostgreSQL, which the recorder does not start: kept as
# they are when the rest is recorded again (see tests/fixtures/README.md).
QUEUE_FIXTURES = (
    "json/chatflows/list_by_api_key_postgres.json",
    "json/nodes/custom_function_queue_falsy.json",
)

# Responses of older Flowise releases (``--release``), one directory per version; a full
# recording keeps them.
RELEASES_DIR = "releases"

_UUID = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}(?![0-9A-Za-z])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?")
_TIMING = re.compile('("(?:' + "|".join(TIMING_KEYS) + r')":)-?\d+(?:\.\d+)?')

NOTES = b"Attachments are read by Flowise.\nSecond line of the notes."
FULL_UPLOAD = {"fullFileUpload": {"status": True, "allowedUploadFileTypes": "text/plain"}}


# --------------------------------------------------------------------------------------------- normalising


class Normaliser:
    """Rewrites what changes between runs into stable placeholders.

    * UUIDs become ``00000000-0000-4000-8000-00000000000N``, numbered in order of first
      appearance over the whole run (the same id gets the same placeholder in every file);
    * ISO timestamps become ``2026-01-01T00:00:00`` (same precision and suffix);
    * secrets (``apiKey``, ``apiSecret``, ``encryptedData`` values, registered literals) become
      ``<kind>-N`` placeholders wherever they appear;
    * literals registered with :meth:`literal` (server URLs with their ports, paths of this
      machine, generated names) become fixed text;
    * ``timeTaken`` becomes 0.
    """

    def __init__(self) -> None:
        self._uuids: dict[str, str] = {}
        self._placeholders: set[str] = set()
        self._literals: dict[str, str] = {}
        self._secret_counts: dict[str, int] = {}

    def literal(self, value: str, replacement: str) -> None:
        if value and value not in self._literals:
            self._literals[value] = replacement

    def secret(self, value: str, kind: str) -> None:
        if value and value not in self._literals:
            self._secret_counts[kind] = self._secret_counts.get(kind, 0) + 1
            self._literals[value] = f"{kind}-{self._secret_counts[kind]}"

    def stream(self, text: str) -> str:
        """A stream's text: :meth:`text`, after putting each ``metadata`` object in key order."""
        return self.text("".join(_sorted_metadata_line(line) for line in text.splitlines(keepends=True)))

    def text(self, text: str) -> str:
        for value in sorted(self._literals, key=len, reverse=True):
            replacement = self._literals[value]
            text = re.sub(re.escape(value) + r"(?![0-9])", lambda _, new=replacement: new, text)
        text = _UUID.sub(self._uuid, text)
        text = _ISO_DATE.sub(lambda m: FIXED_DATE + ("." + "0" * (len(m[1]) - 1) if m[1] else ""), text)
        return _TIMING.sub(r"\g<1>0", text)

    def json(self, value: Any) -> Any:
        return self._rewrite(value)

    def collect_secrets(self, value: Any) -> None:
        """Register the values of secret keys anywhere in ``value`` (call before rewriting)."""
        if isinstance(value, dict):
            for key, item in value.items():
                if key in SECRET_KEYS and isinstance(item, str):
                    self.secret(item, SECRET_KEYS[key])
                self.collect_secrets(item)
        elif isinstance(value, list):
            for item in value:
                self.collect_secrets(item)

    def _uuid(self, match: re.Match[str]) -> str:
        value = match[0].lower()
        if value in CONSTANT_UUIDS or value in self._placeholders:
            return match[0]
        if value not in self._uuids:
            placeholder = f"00000000-0000-4000-8000-{len(self._uuids) + 1:012d}"
            self._uuids[value] = placeholder
            self._placeholders.add(placeholder)
        return self._uuids[value]

    def _rewrite(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {
                self.text(key): 0
                if key in TIMING_KEYS and isinstance(item, (int, float))
                else self._rewrite(item)
                for key, item in _metadata_in_order(value).items()
            }
        if isinstance(value, list):
            return [self._rewrite(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def _metadata_in_order(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` with the keys of its ``metadata`` object sorted: Chroma returns a document's
    metadata in no fixed order."""
    metadata = value.get("metadata")
    if not isinstance(metadata, dict):
        return value
    return {**value, "metadata": dict(sorted(metadata.items()))}


def _sorted_metadata(value: Any) -> Any:
    """:func:`_metadata_in_order` applied at every level of ``value``."""
    if isinstance(value, list):
        return [_sorted_metadata(item) for item in value]
    if isinstance(value, dict):
        return _metadata_in_order({key: _sorted_metadata(item) for key, item in value.items()})
    return value


def _sorted_metadata_line(line: str) -> str:
    """An SSE ``data:`` line with its metadata objects sorted, re-encoded as JavaScript's
    ``JSON.stringify`` would; other lines, and lines without metadata, are kept as they are."""
    prefix, _, payload = line.partition("data:")
    if prefix or not payload.strip():
        return line
    event = json.loads(payload)
    encoded = json.dumps(_sorted_metadata(event), separators=(",", ":"), ensure_ascii=False)
    if encoded == payload.rstrip("\n"):
        return line
    if json.dumps(event, separators=(",", ":"), ensure_ascii=False) != payload.rstrip("\n"):
        raise AssertionError(f"cannot re-encode this event faithfully: {payload[:200]}")
    return "data:" + encoded + payload[len(payload.rstrip("\n")) :]


# --------------------------------------------------------------------------------------------- recording


@dataclass
class Capture:
    kind: str  # "json" or "sse"
    name: str
    route: str | None
    first: int | None
    where: Callable[[Any], bool] | None
    responses: list[httpx.Response] = field(default_factory=list)


class Recorder:
    """Captures the responses of the calls made inside :meth:`json`/:meth:`sse` blocks.

    ``http_hook`` is the sync client's response event hook: it reads every body (streams too)
    so that the bytes are kept, and hands the response to the open capture. Files are written
    by :meth:`write`, normalised in the order they were captured.
    """

    def __init__(self, normaliser: Normaliser) -> None:
        self.normaliser = normaliser
        self._open: Capture | None = None
        self._done: list[Capture] = []

    def http_hook(self, response: httpx.Response) -> None:
        response.read()
        if self._open is not None:
            self._open.responses.append(response)

    @contextlib.contextmanager
    def json(
        self,
        name: str,
        *,
        raises: type[Exception] | None = None,
        route: str | None = None,
        first: int | None = None,
        where: Callable[[Any], bool] | None = None,
    ) -> Iterator[None]:
        """Record the block's last response (or the last one whose path contains ``route``) as
        ``json/<name>.json``; with ``raises`` the block must raise that error. ``first`` keeps only
        the first items of a list body (or of its ``data`` list), of those ``where`` accepts."""
        with self._capture(Capture("json", name, route, first, where), raises):
            yield

    @contextlib.contextmanager
    def sse(self, name: str, *, raises: type[Exception] | None = None) -> Iterator[None]:
        """Record the block's streamed response as ``sse/<name>.sse``."""
        with self._capture(Capture("sse", name, None, None, None), raises):
            yield

    @contextlib.contextmanager
    def _capture(self, capture: Capture, raises: type[Exception] | None) -> Iterator[None]:
        if self._open is not None:
            raise RuntimeError(f"{capture.name}: captures do not nest (inside {self._open.name})")
        self._open = capture
        try:
            if raises is None:
                yield
            else:
                try:
                    yield
                except raises:
                    pass
                else:
                    raise AssertionError(f"{capture.name}: expected {raises.__name__}")
        finally:
            self._open = None
        self._done.append(capture)

    def write(self, out: Path, *, release: str | None = None) -> list[Path]:
        """Normalise every capture, in capture order, and write it under ``out``; for a
        ``release`` pass, under ``out/json/releases/<release>`` alone."""
        if release is not None:
            target_dir = out / "json" / RELEASES_DIR / release
            shutil.rmtree(target_dir, ignore_errors=True)
            return self._write_records(target_dir, out / "sse")
        return self._write_all(out)

    def _write_all(self, out: Path) -> list[Path]:
        kept = {name: (out / name).read_bytes() for name in QUEUE_FIXTURES if (out / name).exists()}
        releases = out / "json" / RELEASES_DIR
        kept.update(
            (str(path.relative_to(out)), path.read_bytes()) for path in sorted(releases.rglob("*.json"))
        )
        for sub in ("json", "sse"):
            shutil.rmtree(out / sub, ignore_errors=True)
        for name, content in kept.items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)
        return self._write_records(out / "json", out / "sse")

    def _write_records(self, json_dir: Path, sse_dir: Path) -> list[Path]:
        records = [(capture, self._record(capture)) for capture in self._done]
        for _, record in records:
            self.normaliser.collect_secrets(record)
        written = []
        for capture, record in records:
            if capture.kind == "sse":
                target = sse_dir / f"{capture.name}.sse"
                content = self.normaliser.stream(record).encode()
            else:
                target = json_dir / f"{capture.name}.json"
                content = json.dumps(self.normaliser.json(record), indent=2, ensure_ascii=False) + "\n"
                content = content.encode()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written.append(target)
        return written

    @staticmethod
    def _record(capture: Capture) -> Any:
        """The raw stream text, or ``{"status", "headers", "body"}`` for a JSON capture."""
        response = _pick(capture)
        streamed = response.headers.get("content-type", "").startswith("text/event-stream")
        if streamed != (capture.kind == "sse"):
            raise AssertionError(f"{capture.name}: recorded as {capture.kind}, got {response.text[:200]!r}")
        if streamed:
            return response.content.decode()
        body: Any = response.text
        if "json" in response.headers.get("content-type", "") and response.content.strip():
            body = _first_items(response.json(), capture.first, capture.where)
        headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
        return {"status": response.status_code, "headers": headers, "body": body}


def _pick(capture: Capture) -> httpx.Response:
    responses = [r for r in capture.responses if capture.route is None or capture.route in r.request.url.path]
    if not responses:
        raise AssertionError(f"{capture.name}: no response captured")
    return responses[-1]


def _first_items(body: Any, first: int | None, where: Callable[[Any], bool] | None) -> Any:
    if first is None:
        return body
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return {**body, "data": _first_items(body["data"], first, where)}
    if not isinstance(body, list):
        raise AssertionError(f"first={first} given for a body that is not a list")
    return [item for item in body if where is None or where(item)][:first]


def next_second() -> None:
    """Wait for the clock's next second. Flowise stores dates to the second and sorts lists by
    them, so rows written within one second could be listed in either order."""
    time.sleep(1.02 - time.time() % 1)


# --------------------------------------------------------------------------------------------- flows


@dataclass
class Context:
    stack: LocalStack
    client: Flowise
    rec: Recorder
    ids: dict[str, str] = field(default_factory=dict)

    def chat_model(self) -> dict[str, Any]:
        """``chatOpenAI`` on the model stand-in, as the assistant and document-store builders send it."""
        inputs = {
            "modelName": "fake-model",
            "temperature": 0,
            "basepath": self.stack.model_base_url,
            "openAIApiKey": "sk-stand-in",
        }
        return {"name": "chatOpenAI", "inputs": inputs}

    def definitions(self, *names: str) -> dict[str, dict[str, Any]]:
        return {name: self.client.nodes.get(name).to_wire() for name in names}


def upsert_flow(ctx: Context) -> Chatflow:
    """plainText → in-memory vector store with localAIEmbeddings: what ``/vector/upsert`` runs."""
    flow = Flow.chatflow(
        Catalogue(ctx.definitions("plainText", "localAIEmbeddings", "memoryVectorStore").values())
    )
    embeddings = flow.add(
        "localAIEmbeddings", inputs={"basePath": ctx.stack.model_base_url, "modelName": "stand-in"}
    )
    sky = {"text": flows.DEFAULT_CORPUS["sky.txt"], "metadata": json.dumps({"source": "sky.txt"})}
    loader = flow.add("plainText", inputs=sky, output="document")
    store = flow.add("memoryVectorStore", output="retriever")
    flow.connect(loader, store, "document")
    flow.connect(embeddings, store, "embeddings")
    graph = flow.to_flow_data()
    return ctx.client.chatflows.create(name="upsert-flow", flow_data=graph, type="CHATFLOW")


# --------------------------------------------------------------------------------------------- scenarios


def record_setup(ctx: Context) -> None:
    """The harness's flows and document store, created as the test fixtures create them."""
    client, stack, rec = ctx.client, ctx.stack, ctx.rec
    with rec.json("chatflows/create"):
        ctx.ids["echo"] = flows.create_echo_agentflow(client, name="echo-agentflow").id
    next_second()
    ctx.ids["conversation"] = flows.create_conversation_chatflow(
        client, model_base_url=stack.model_base_url, name="conversation-chain"
    ).id
    next_second()
    ctx.ids["custom"] = flows.create_custom_function_chatflow(client, name="custom-function").id
    next_second()
    with rec.json("document_stores/upsert", route="/document-store/upsert/"):
        store_id, _ = flows.create_document_store(
            client, model_base_url=stack.model_base_url, chroma_url=stack.chroma_url, name="corpus"
        )
    ctx.ids["store"] = store_id
    store = client.document_stores.get(store_id)
    assert store.vector_store_config is not None
    rec.normaliser.literal(store.vector_store_config.config["collectionName"], "corpus-collection")
    next_second()
    ctx.ids["retrieval"] = flows.create_retrieval_chatflow(
        client, model_base_url=stack.model_base_url, store_id=store_id, name="retrieval"
    ).id
    # What the Flowise UI does on saving a flow that uses the store (the API leaves it empty).
    where_used = {"whereUsed": json.dumps([ctx.ids["retrieval"]])}
    client._request(RequestSpec("PUT", f"document-store/store/{store_id}", json=where_used), None)


def record_chatflows(ctx: Context) -> None:
    client, rec, ids = ctx.client, ctx.rec, ctx.ids
    with rec.json("chatflows/get"):
        echo = client.chatflows.get(ids["echo"])
    with rec.json("chatflows/list"):
        client.chatflows.list(type="AGENTFLOW")
    with rec.json("chatflows/list_page"):
        client.chatflows.list(page=1, limit=1)
    assert echo.updated_date is not None
    with rec.json("chatflows/has_changed"):
        client.chatflows.has_changed(echo.id, echo.updated_date)
    with rec.json("chatflows/flow_config"):
        client.chatflows.get_flow_config(ids["conversation"])
    with rec.json("chatflows/streaming_status"):
        client.chatflows.get_streaming_status(ids["echo"])
    with rec.json("chatflows/streaming_status_custom_function"):
        client.chatflows.get_streaming_status(ids["custom"])
    with rec.json("chatflows/upload_config"):
        client.chatflows.get_upload_config(ids["echo"])
    with rec.json("chatflows/public_chatbot_config"):
        client.chatflows.get_public_chatbot_config(ids["echo"])
    next_second()
    public = flows.create_echo_agentflow(client, name="public-echo")
    with rec.json("chatflows/update"):
        client.chatflows.update(public.id, is_public=True, chatbot_config={"welcomeMessage": "Hello!"})
    with rec.json("chatflows/public"):
        client.chatflows.get_public(public.id)
    with rec.json("chatflows/public_chatbot_config_set"):
        client.chatflows.get_public_chatbot_config(public.id)
    with rec.json("chatflows/webhook_secret"):
        secret = client.chatflows.set_webhook_secret(public.id)
    for value in secret.values():
        if isinstance(value, str):
            rec.normaliser.secret(value, "webhook-secret")
    with rec.json("chatflows/webhook_secret_cleared"):
        client.chatflows.clear_webhook_secret(public.id)
    with rec.json("chatflows/schedule_status"):
        client.chatflows.get_schedule_status(public.id)
    with rec.json("chatflows/schedule_enabled_without_schedule", raises=NotFoundError):
        client.chatflows.set_schedule_enabled(public.id, True)
    with rec.json("chatflows/trigger_logs"):
        client.chatflows.list_trigger_logs(public.id, page=1, limit=5)
    with rec.json("chatflows/trigger_logs_deleted"):
        client.chatflows.delete_trigger_logs(public.id, [str(uuid.uuid4())])
    with rec.json("chatflows/delete"):
        client.chatflows.delete(public.id)


def record_predictions(ctx: Context) -> None:
    client, rec, ids = ctx.client, ctx.rec, ctx.ids
    with rec.json("predictions/agentflow"):
        client.predictions.create(ids["echo"], "hello agentflow")
    chat_id = str(uuid.uuid4())
    with rec.json("predictions/conversation_chain"):
        first = client.predictions.create(ids["conversation"], "hello chain", chat_id=chat_id)
    ctx.ids["conversation_chat"] = chat_id
    ctx.ids["conversation_message"] = first.chat_message_id or ""
    with rec.json("predictions/conversation_chain_memory"):
        client.predictions.create(ids["conversation"], "and again", chat_id=chat_id)
    with rec.json("predictions/custom_function"):
        client.predictions.create(ids["custom"], "hello fn")
    chat_id = str(uuid.uuid4())
    with rec.json("predictions/retrieval"):
        client.predictions.create(ids["retrieval"], "Why is the sky blue?", chat_id=chat_id)
    with rec.json("chat_messages/list_retrieval"):
        client.chat_messages.list(ids["retrieval"], chat_id=chat_id)
    with (
        rec.json("predictions/custom_function_streamed"),
        client.predictions.stream(ids["custom"], "stream fn") as s,
    ):
        s.final()
    for name, flow_id, question in (
        ("agentflow", ids["echo"], "stream me"),
        ("conversation_chain", ids["conversation"], "stream chain"),
        ("retrieval", ids["retrieval"], "What does a volcano do?"),
    ):
        with rec.sse(name), client.predictions.stream(flow_id, question) as stream:
            stream.final()

    human = flows.create_human_input_agentflow(client)
    chat_id = str(uuid.uuid4())
    with rec.json("predictions/human_input_stopped"):
        stopped = client.predictions.create(human.id, "ship it?", chat_id=chat_id)
    assert stopped.execution_id is not None
    with rec.json("executions/get_stopped"):
        client.executions.get(stopped.execution_id)
    # Before the resume, which clears the stored message's action.
    with rec.json("chat_messages/list_human_input"):
        client.chat_messages.list(human.id, chat_id=chat_id)
    with rec.json("predictions/human_input_resumed"):
        client.predictions.create(
            human.id, chat_id=chat_id, human_input={"type": "proceed", "feedback": "go"}
        )
    with rec.json("errors/resume_finished", raises=NotResumableError):
        client.predictions.create(human.id, chat_id=chat_id, human_input={"type": "proceed"})
    with rec.json("errors/resume_without_execution", raises=NotResumableError):
        client.predictions.create(human.id, chat_id=str(uuid.uuid4()), human_input={"type": "proceed"})
    with rec.sse("human_input"), client.predictions.stream(human.id, "ship it?") as stream:
        stream.final()
    client.chatflows.delete(human.id)
    record_tool_approval(ctx)


def record_tool_approval(ctx: Context) -> None:
    """An Agent node whose tool needs approval: the stopped run, then approved."""
    client, stack, rec = ctx.client, ctx.stack, ctx.rec
    tool = client.tools.create(
        name="ship_order",
        description="Ships an order.",
        schema=[{"property": "order", "type": "string", "description": "Order id", "required": True}],
        func="return 'shipped ' + $order;",
    )
    approval = flows.create_tool_approval_agentflow(
        client, model_base_url=stack.model_base_url, tool_id=tool.id
    )
    stack.model.script(ToolCall("ship_order", {"order": "A-1"}), "Order A-1 shipped.")
    chat_id = str(uuid.uuid4())
    with rec.json("predictions/tool_approval_stopped"):
        client.predictions.create(approval.id, "ship order A-1", chat_id=chat_id)
    with rec.json("predictions/tool_approval_resumed"):
        client.predictions.create(approval.id, chat_id=chat_id, human_input={"type": "proceed"})
    client.chatflows.delete(approval.id)
    client.tools.delete(tool.id)


def record_errors(ctx: Context) -> None:
    client, stack, rec = ctx.client, ctx.stack, ctx.rec
    missing = str(uuid.uuid4())
    with rec.json("errors/unauthorized", raises=AuthenticationError):
        client.with_options(api_key="not-a-key").chatflows.list()
    with rec.json("errors/verify_unknown_key", raises=AuthenticationError):
        client.api_keys.verify("not-a-key")
    with rec.json("errors/chatflows_by_unknown_key", raises=AuthenticationError):
        client.chatflows.list_by_api_key("not-a-key")
    with rec.json("errors/invalid_chatflow_id", raises=BadRequestError):
        client.chatflows.get("not-a-uuid")
    with rec.json("errors/chatflow_not_found", raises=NotFoundError):
        client.chatflows.get(missing)
    with rec.json("errors/prediction_chatflow_not_found", raises=NotFoundError):
        client.predictions.create(missing, "hello")
    with rec.json("errors/tool_not_found", raises=NotFoundError):
        client.tools.get(missing)
    with rec.json("errors/execution_not_found", raises=NotFoundError):
        client.executions.get(missing)
    with rec.json("errors/credential_not_found", raises=NotFoundError):
        client.credentials.get(missing)
    with rec.json("errors/node_not_found", raises=NotFoundError):
        client.nodes.get("noSuchNode")
    with rec.json("errors/document_store_not_found", raises=NotFoundError):
        client.document_stores.get(missing)
    with rec.json("errors/public_chatflow_unauthorized", raises=AuthenticationError):
        client.chatflows.get_public(ctx.ids["echo"])
    with rec.json("errors/negative_page", raises=PreconditionFailedError):
        client._request(RequestSpec("GET", "tools", params={"page": -1, "limit": 2}), None)
    with rec.json("errors/apikey_without_permissions", raises=PreconditionFailedError):
        client._request(RequestSpec("POST", "apikey", json={"keyName": "none", "permissions": []}), None)
    with rec.json("errors/tool_without_color", raises=InternalServerError):
        client._request(RequestSpec("POST", "tools", json={"name": "no-color", "description": "x"}), None)
    with rec.json("errors/datasets_forbidden", raises=PermissionDeniedError):
        client.datasets.list()
    with rec.json("errors/unknown_route", raises=APIResponseValidationError):
        client.with_options(base_url=f"{stack.base_url}/api/v1/no-such-prefix/").chatflows.list()

    restricted = client.api_keys.create(name="restricted", permissions=["chatflows:view"])
    key = restricted.api_key.get_secret_value()
    with rec.json("errors/forbidden", raises=PermissionDeniedError):
        client.tools.list(options={"api_key": key})
    bound = flows.create_echo_agentflow(client, name="bound-echo")
    client.chatflows.update(bound.id, apikeyid=restricted.id)
    with rec.json("api_keys/list_with_bound_flow"):
        client.api_keys.list()
    with rec.json("errors/flow_key_unauthorized", raises=AuthenticationError):
        client.predictions.create(bound.id, "hi")
    with rec.json("vectors/upsert_flow_key_unauthorized", raises=AuthenticationError):
        client.vectors.upsert(bound.id)
    with (
        rec.sse("flow_key_unauthorized", raises=StreamError),
        client.predictions.stream(bound.id, "hi") as stream,
    ):
        stream.final()
    with rec.json("chatflows/list_by_api_key"):
        client.chatflows.list_by_api_key(key, key_only=True)
    with rec.json("chatflows/list_by_api_key_empty"):
        client.chatflows.list_by_api_key(ctx.stack.api_key, key_only=True)
    client.chatflows.delete(bound.id)
    client.api_keys.delete(restricted.id)

    limited = flows.create_rate_limited_chatflow(client, limit=2, window_seconds=60)
    rec.normaliser.literal(limited.name, "rate-limited")
    with rec.json("predictions/rate_limited_first"):
        client.predictions.create(limited.id, "hi")
    client.predictions.create(limited.id, "hi")
    with rec.json("errors/rate_limited", raises=RateLimitError):
        client.predictions.create(limited.id, "hi")
    client.chatflows.delete(limited.id)


def record_api_keys(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    next_second()
    with rec.json("api_keys/create"):
        created = client.api_keys.create(name="reader", permissions=["chatflows:view", "tools:view"])
    with rec.json("api_keys/list"):
        client.api_keys.list()
    with rec.json("api_keys/list_page"):
        client.api_keys.list(page=1, limit=1)
    with rec.json("api_keys/verify"):
        client.api_keys.verify(created.api_key.get_secret_value())
    next_second()
    with rec.json("api_keys/update"):
        client.api_keys.update(created.id, name="reader-2", permissions=["chatflows:view"])
    with rec.json("api_keys/delete"):
        client.api_keys.delete(created.id)


def record_tools(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    schema = [{"property": "email", "description": "Address to write to", "type": "string", "required": True}]
    next_second()
    with rec.json("tools/create"):
        tool = client.tools.create(
            name="send_email", description="Sends an email", schema=schema, func="return 'sent to ' + $email;"
        )
    next_second()
    other = client.tools.create(name="other_tool", description="Another tool")
    with rec.json("tools/list"):
        client.tools.list()
    with rec.json("tools/list_page"):
        client.tools.list(page=1, limit=1)
    with rec.json("tools/get"):
        client.tools.get(tool.id)
    next_second()
    with rec.json("tools/update"):
        client.tools.update(tool.id, description="Sends an email to one address")
    with rec.json("tools/delete"):
        client.tools.delete(other.id)
    client.tools.delete(tool.id)


def record_variables(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    next_second()
    with rec.json("variables/create"):
        variable = client.variables.create(name="greeting", value="hello")
    next_second()
    runtime = client.variables.create(name="HOME_DIR", value="", type="runtime")
    with rec.json("variables/list"):
        client.variables.list()
    with rec.json("variables/list_page"):
        client.variables.list(page=1, limit=1)
    next_second()
    with rec.json("variables/update"):
        client.variables.update(variable.id, value="hello again")
    with rec.json("variables/delete"):
        client.variables.delete(runtime.id)
    with rec.json("variables/update_not_found", raises=NotFoundError):
        client.variables.update(runtime.id, value="gone")
    client.variables.delete(variable.id)


def record_credentials(ctx: Context) -> None:
    """A credential type with a URL, a plain and a password field: ``get`` masks, shows and redacts."""
    client, rec = ctx.client, ctx.rec
    data = {"openSearchUrl": "https://admin:hunter2@search:9200", "user": "admin", "password": "pw-recorded"}
    with rec.json("credentials/create"):
        credential = client.credentials.create(name="search", credential_name="openSearchUrl", data=data)
    with rec.json("credentials/list"):
        client.credentials.list(credential_name="openSearchUrl")
    with rec.json("credentials/get"):
        client.credentials.get(credential.id)
    with rec.json("credentials/reveal"):
        client.credentials.reveal(credential.id)
    with rec.json("credentials/update"):
        client.credentials.update(credential.id, name="search-renamed", data={"user": "reader"})
    with rec.json("credentials/components", first=2):
        client.credentials.list_components()
    with rec.json("credentials/component"):
        client.credentials.get_component("openSearchUrl")
    with rec.json("credentials/component_not_found", raises=NotFoundError):
        client.credentials.get_component("noSuchCredential")
    with rec.json("credentials/delete"):
        client.credentials.delete(credential.id)


def record_assistants(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    with rec.json("assistants/create"):
        assistant = client.assistants.create(
            details={"name": "helper", "instruction": "Be brief."}, credential=str(uuid.uuid4())
        )
    with rec.json("assistants/list"):
        client.assistants.list(type="CUSTOM")
    with rec.json("assistants/get"):
        client.assistants.get(assistant.id)
    with rec.json("assistants/update"):
        client.assistants.update(assistant.id, details={"name": "helper", "instruction": "Be very brief."})
    with rec.json("assistants/update_without_name", raises=InternalServerError):
        client.assistants.update(assistant.id, details={"instruction": "nameless"})
    with rec.json("assistants/get_not_found", raises=NotFoundError):
        client.assistants.get(str(uuid.uuid4()))
    with rec.json("assistants/generate_instruction"):
        client.assistants.generate_instruction(
            task="answer questions about the sky", chat_model=ctx.chat_model()
        )
    with rec.json("assistants/components_docstores"):
        client.assistants.list_document_stores()
    with rec.json("assistants/components_chat_models", first=2):
        client.assistants.list_chat_models()
    with rec.json("assistants/components_tools", first=2):
        client.assistants.list_tools()
    with rec.json("assistants/delete"):
        client.assistants.delete(assistant.id)


def record_executions(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    with rec.json("executions/list"):
        page = client.executions.list(agentflow_id=ctx.ids["echo"], page=1, limit=2)
    execution_id = page.items[0].id
    with rec.json("executions/get"):
        client.executions.get(execution_id)
    with rec.json("executions/update"):
        client.executions.update(execution_id, is_public=True)
    with rec.json("executions/public"):
        client.executions.get_public(execution_id)
    with rec.json("executions/public_not_found", raises=NotFoundError):
        client.executions.get_public(str(uuid.uuid4()))
    with rec.json("executions/delete"):
        client.executions.delete(execution_id)
    with rec.json("executions/delete_many"):
        client.executions.delete_many([page.items[1].id, str(uuid.uuid4())])


def record_messages(ctx: Context) -> None:
    """Chat messages, feedback, stats and leads, on the ConversationChain's first chat."""
    client, rec, ids = ctx.client, ctx.rec, ctx.ids
    flow_id, chat_id = ids["conversation"], ids["conversation_chat"]
    with rec.json("feedback/create"):
        feedback = client.feedback.create(
            message_id=ids["conversation_message"], rating="THUMBS_UP", content="good"
        )
    with rec.json("feedback/update"):
        client.feedback.update(feedback.id, rating="THUMBS_DOWN", content="wrong after all")
    with rec.json("feedback/create_unknown_message", raises=NotFoundError):
        client.feedback.create(message_id=str(uuid.uuid4()), rating="THUMBS_UP")
    with rec.json("feedback/create_wrong_chat", raises=BadRequestError):
        client.feedback.create(
            message_id=ids["conversation_message"], rating="THUMBS_UP", chat_id="other-chat"
        )
    with rec.json("feedback/update_not_found", raises=NotFoundError):
        client.feedback.update(str(uuid.uuid4()), rating="THUMBS_UP")
    with rec.json("feedback/list"):
        client.feedback.list(flow_id, chat_id=chat_id)
    with rec.json("chat_messages/list"):
        client.chat_messages.list(flow_id, chat_id=chat_id)
    with rec.json("chat_messages/list_feedback"):
        client.chat_messages.list(flow_id, chat_id=chat_id, feedback=True, feedback_type="THUMBS_DOWN")
    with rec.json("stats/get"):
        client.stats.get(flow_id)
    with rec.json("stats/get_not_found", raises=NotFoundError):
        client.stats.get(str(uuid.uuid4()))
    with rec.json("chat_messages/abort"):
        client.chat_messages.abort(flow_id, chat_id)
    with rec.json("chat_messages/delete"):
        client.chat_messages.delete(flow_id, chat_id=chat_id)
    with rec.json("errors/chat_messages_unknown_flow", raises=NotFoundError):
        client.chat_messages.delete(str(uuid.uuid4()))
    with rec.json("leads/create"):
        client.leads.create(chatflow_id=flow_id, name="Ada", email="ada@example.com", phone="555-0100")
    with rec.json("leads/list_not_found", raises=NotFoundError):
        client.leads.list(flow_id)


def record_vectors(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    chatflow = upsert_flow(ctx)
    with rec.json("vectors/upsert"):
        client.vectors.upsert(chatflow.id)
    with rec.json("upsert_history/list"):
        records = client.upsert_history.list(chatflow.id)
    with rec.json("upsert_history/delete"):
        client.upsert_history.delete([records[0].id])
    with rec.json("upsert_history/store_not_found", raises=NotFoundError):
        client.upsert_history.list(ctx.ids["store"])
    with rec.json("upsert_history/delete_not_found", raises=NotFoundError):
        client.upsert_history.delete([records[0].id])
    with rec.json("vectors/upsert_chatflow_not_found", raises=NotFoundError):
        client.vectors.upsert(ctx.ids["store"])
    client.chatflows.delete(chatflow.id)


def record_attachments(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    chatflow = flows.create_echo_agentflow(client, name="uploads")
    client.chatflows.update(chatflow.id, chatbot_config=FULL_UPLOAD)
    chat_id = str(uuid.uuid4())
    with rec.json("attachments/create"):
        client.attachments.create(chatflow.id, chat_id, [("notes.txt", NOTES)])
    with rec.json("attachments/create_base64"):
        client.attachments.create(chatflow.id, chat_id, [("notes.txt", NOTES)], base64=True)
    with rec.json("attachments/type_not_allowed", raises=InternalServerError):
        client.attachments.create(chatflow.id, chat_id, [("data.json", b'{"a": 1}')])
    with rec.json("attachments/upload_not_enabled", raises=InternalServerError):
        client.attachments.create(ctx.ids["echo"], chat_id, [("notes.txt", NOTES)])
    with rec.json("attachments/chatflow_not_found", raises=NotFoundError):
        client.attachments.create(str(uuid.uuid4()), chat_id, [("notes.txt", NOTES)])
    client.chatflows.delete(chatflow.id)


# The components the flow-builder unit tests build and check flows from (a catalogue snapshot).
CATALOGUE_NODES = frozenset(
    {
        "chatOpenAI",
        "bufferMemory",
        "conversationChain",
        "documentStoreVS",
        "conversationalRetrievalQAChain",
        "customFunction",
        "startAgentflow",
        "conditionAgentflow",
        "humanInputAgentflow",
        "directReplyAgentflow",
        "llmAgentflow",
    }
)


def record_nodes(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    with rec.json("nodes/get"):
        client.nodes.get("customFunction")
    with rec.json(
        "nodes/catalogue", first=len(CATALOGUE_NODES), where=lambda node: node["name"] in CATALOGUE_NODES
    ):
        client.nodes.list()
    with rec.json("nodes/list", first=2):
        client.nodes.list()
    with rec.json("nodes/list_by_category", first=2):
        client.nodes.list_by_category("Chat Models")
    with rec.json("nodes/load_method", first=3):
        client.nodes.load_method("chatOpenAI", method_name="listModels")
    with rec.json("nodes/custom_function_string"):
        client.nodes.execute_custom_function("return 'Hello ' + $name;", {"name": "Ada"})
    with rec.json("nodes/custom_function_object"):
        client.nodes.execute_custom_function("return {sum: $a + $b, items: [$a, $b]};", {"a": 1, "b": 2})
    with rec.json("nodes/custom_function_number"):
        client.nodes.execute_custom_function("return $a + $b;", {"a": 1, "b": 2})
    with rec.json("nodes/custom_function_empty"):
        client.nodes.execute_custom_function("const x = 1;")
    with rec.json("nodes/custom_function_error", raises=InternalServerError):
        client.nodes.execute_custom_function("throw new Error('boom');")


def record_marketplace(ctx: Context) -> None:
    client, rec = ctx.client, ctx.rec
    with rec.json("marketplace/templates", first=2):
        client.marketplace.list_templates()
    with rec.json("marketplace/templates_tool", first=1, where=lambda template: template["type"] == "Tool"):
        client.marketplace.list_templates()
    # The harness key lacks the custom-template permissions, and cannot grant them to a new key.
    with rec.json("marketplace/custom_list_forbidden", raises=PermissionDeniedError):
        client.marketplace.list_custom_templates()
    with rec.json("marketplace/custom_save_forbidden", raises=PermissionDeniedError):
        client.marketplace.save_custom_template(name="echo-template", chatflow_id=ctx.ids["echo"])
    with rec.json("errors/apikey_exceeds_permissions", raises=BadRequestError):
        client.api_keys.create(name="templates", permissions=["templates:custom"])


def record_document_stores(ctx: Context) -> None:
    client, stack, rec, store_id = ctx.client, ctx.stack, ctx.rec, ctx.ids["store"]
    with rec.json("document_stores/get"):
        store = client.document_stores.get(store_id)
    loader_id = store.loaders[0].id
    assert loader_id is not None
    with rec.json("document_stores/query"):
        client.document_stores.vector_store.query(store_id, "Why is the sky blue?", top_k=2)
    with rec.json("document_stores/chunks"):
        client.document_stores.chunks.list(store_id, loader_id)
    with rec.json("document_stores/configs"):
        client.document_stores.get_configs(store_id, loader_id)

    next_second()
    with rec.json("document_stores/create"):
        empty = client.document_stores.create(name="scratch", description="step by step")
    with rec.json("document_stores/query_unconfigured", raises=InternalServerError):
        client.document_stores.vector_store.query(empty.id, "anything")
    with rec.json("document_stores/upsert_not_configured", raises=InternalServerError):
        client._request(RequestSpec("POST", f"document-store/upsert/{empty.id}", json={}), None)
    with rec.json("document_stores/list"):
        client.document_stores.list()
    with rec.json("document_stores/list_page"):
        client.document_stores.list(page=1, limit=1)
    next_second()
    with rec.json("document_stores/update"):
        client.document_stores.update(empty.id, description="loaded step by step")

    text = {"name": "plainText", "config": {"text": flows.DEFAULT_CORPUS["volcano.txt"], "metadata": "{}"}}
    splitter = {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 60, "chunkOverlap": 10}}
    one_chunk = {**splitter, "config": {"chunkSize": 500, "chunkOverlap": 10}}
    embedding = {"basePath": stack.model_base_url, "modelName": "stand-in"}
    chroma = {"collectionName": "scratch", "chromaURL": stack.chroma_url, "topK": 2}
    with rec.json("document_stores/loader_preview"):
        client.document_stores.loaders.preview(loader=text, splitter=splitter, preview_chunk_count=2)
    with rec.json("document_stores/loader_saved"):
        saved = client.document_stores.loaders.save(empty.id, loader=text, splitter=splitter)
    assert saved.id is not None
    with rec.json("document_stores/loader_processed"):
        page = client.document_stores.loaders.process(
            saved.id, store_id=empty.id, loader=text, splitter=splitter
        )
    chunk = page.chunks[0]
    with rec.json("document_stores/chunk_updated"):
        client.document_stores.chunks.update(empty.id, saved.id, chunk.id, page_content="A volcano erupts.")
    with rec.json("document_stores/chunk_deleted"):
        client.document_stores.chunks.delete(empty.id, saved.id, page.chunks[-1].id)
    # Flowise embeds a loader's chunks in no fixed order: keep one, so the insert is repeatable.
    for extra in page.chunks[1:-1]:
        client.document_stores.chunks.delete(empty.id, saved.id, extra.id)
    with rec.json("document_stores/vector_inserted"):
        client.document_stores.vector_store.insert(
            empty.id,
            embedding_name="localAIEmbeddings",
            embedding_config=embedding,
            vector_store_name="chroma",
            vector_store_config=chroma,
        )
    with rec.json("document_stores/vector_config_saved"):
        client.document_stores.vector_store.save(
            empty.id,
            embedding_name="localAIEmbeddings",
            embedding_config=embedding,
            vector_store_name="chroma",
            vector_store_config=chroma,
        )
    with rec.json("document_stores/vector_config_updated"):
        client.document_stores.vector_store.update_config(
            empty.id, vector_store_name="chroma", vector_store_config={**chroma, "topK": 3}
        )
    with rec.json("document_stores/vector_delete_without_record_manager", raises=APIStatusError):
        client.document_stores.vector_store.delete(empty.id)
    with rec.json("document_stores/refresh"):
        client.document_stores.refresh(empty.id, items=[{"docId": saved.id, "splitter": one_chunk}])
    with rec.json("document_stores/loader_deleted"):
        client.document_stores.loaders.delete(empty.id, saved.id)
    with rec.json("document_stores/loader_delete_missing", raises=InternalServerError):
        client.document_stores.loaders.delete(empty.id, saved.id)
    with rec.json("document_stores/generate_tool_description"):
        client.document_stores.generate_tool_description(
            store_id, chat_model={"name": "chatOpenAI", "config": ctx.chat_model()["inputs"]}
        )
    with rec.json("document_stores/delete"):
        client.document_stores.delete(empty.id)
    record_file_upsert(ctx, embedding, chroma)
    for kind in ("loaders", "embeddings", "vector_stores", "record_managers"):
        with rec.json(f"document_stores/components_{kind}", first=2):
            getattr(client.document_stores.components, kind)()


def record_file_upsert(ctx: Context, embedding: dict[str, Any], chroma: dict[str, Any]) -> None:
    """A multipart upsert of a text file, and the store whose loader then lists that file."""
    client, rec = ctx.client, ctx.rec
    store = client.document_stores.create(name="uploads")
    with rec.json("document_stores/upsert_files"):
        client.document_stores.upsert(
            store.id,
            loader={"name": "textFile", "config": {}},
            splitter={
                "name": "recursiveCharacterTextSplitter",
                "config": {"chunkSize": 500, "chunkOverlap": 10},
            },
            embedding={"name": "localAIEmbeddings", "config": embedding},
            vector_store={"name": "chroma", "config": {**chroma, "collectionName": "uploads"}},
            files=[("notes.txt", NOTES)],
        )
    with rec.json("document_stores/get_with_files"):
        client.document_stores.get(store.id)
    client.document_stores.delete(store.id)


def record_client(ctx: Context) -> None:
    with ctx.rec.json("client/ping"):
        ctx.client.ping()
    with ctx.rec.json("client/version"):
        ctx.client.version()


SCENARIOS: tuple[Callable[[Context], None], ...] = (
    record_setup,
    record_chatflows,
    record_predictions,
    record_errors,
    record_api_keys,
    record_tools,
    record_variables,
    record_credentials,
    record_assistants,
    record_executions,
    record_messages,
    record_vectors,
    record_attachments,
    record_nodes,
    record_marketplace,
    record_document_stores,
    record_client,
)


def record_release(ctx: Context) -> None:
    """What the unit tests need of an older release: its version, a route it lacks, and the bodies
    whose shape differs from 3.1.4's."""
    client, rec = ctx.client, ctx.rec
    with rec.json("version"):
        client.version()
    with rec.json("executions_route"):  # sent as is: the client would refuse before asking
        client._http.get(
            client.base_url + "executions", headers={"Authorization": f"Bearer {ctx.stack.api_key}"}
        )
    with rec.json("marketplace_templates", first=2):
        client.marketplace.list_templates()
    if client.capabilities().supports("human_input"):
        human = flows.create_human_input_agentflow(client)
        with rec.json("human_input_stopped"):
            client.predictions.create(human.id, "ship it?", chat_id=str(uuid.uuid4()))


# --------------------------------------------------------------------------------------------- main


def _register_literals(normaliser: Normaliser, stack: LocalStack, urls: Mapping[str, str]) -> None:
    normaliser.secret(stack.api_key, SECRET_KEYS["apiKey"])
    for url, fixed in urls.items():
        normaliser.literal(url, fixed)
    normaliser.literal(str(cache_root()), "/home/flowise/.cache/flowise-integrations")
    if stack.flowise is not None:
        normaliser.literal(str(stack.flowise.data_dir), "/tmp/flowise-testing")


def record(out: Path, *, release: str | None = None) -> list[Path]:
    """Record every scenario on the default Flowise, or :func:`record_release` on ``release``."""
    normaliser = Normaliser()
    recorder = Recorder(normaliser)
    scenarios = SCENARIOS if release is None else (record_release,)
    stack_args = {} if release is None else {"flowise_version": release}
    with LocalStack(use_env_server=False, **stack_args) as stack:
        urls = {
            stack.base_url: "http://127.0.0.1:3000",
            stack.model.base_url.removesuffix("/v1"): "http://127.0.0.1:8080",
            stack.chroma_url: "http://127.0.0.1:8000",
        }
        _register_literals(normaliser, stack, urls)
        with httpx.Client(event_hooks={"response": [recorder.http_hook]}) as http:
            client = stack.client(max_retries=0, http_client=http)
            ctx = Context(stack=stack, client=client, rec=recorder)
            for scenario in scenarios:
                scenario(ctx)
    return recorder.write(out, release=release)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="fixtures directory (default %(default)s)"
    )
    parser.add_argument(
        "--release",
        help="record the few responses kept of an older Flowise release (e.g. 2.2.8) instead",
    )
    args = parser.parse_args(argv)
    written = record(args.out, release=args.release)
    print(f"recorded {len(written)} fixtures into {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
