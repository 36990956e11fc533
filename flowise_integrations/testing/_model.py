"""A deterministic OpenAI-compatible model server for offline tests.

Flowise's ``chatOpenAI`` and ``localAIEmbeddings`` nodes talk to an LLM provider over the OpenAI wire
protocol. ``ModelStandIn`` serves that protocol from a local thread, so flows that contain a model can run
without network access or a real model, and tests can assert on exact output:

* ``POST /v1/chat/completions`` answers ``"FAKE: " + <last user message>`` (or a scripted or computed
  reply: text, or :class:`ToolCall` s for agents), as a ``chat.completion`` object or, with
  ``"stream": true``, as ``chat.completion.chunk`` server-sent events (see :mod:`._model_wire`);
* ``POST /v1/embeddings`` returns hashed bag-of-words vectors, so retrieval order follows word overlap;
* ``GET /v1/models`` lists the configured model.

Every request is recorded, so a test can check what a flow actually sent to its model (history, system
prompts, retrieved context). The server itself is :mod:`._model_http`; only the standard library
is used.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from ._model_http import JSONRequestHandler, TrackingHTTPServer
from ._model_text import default_reply
from ._model_wire import (
    Reply,
    RequestError,
    ToolCall,
    completion,
    completion_chunks,
    embeddings_response,
    error_body,
    include_usage,
    json_bytes,
    request_messages,
)
from ._process import HarnessError
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["ModelStandIn", "Reply", "ReplyFunction", "ToolCall"]

ReplyFunction = Callable[[list[dict[str, Any]]], Reply]
"""Computes a reply (text or tool calls) from the request's ``messages`` (``role``/``content`` dicts)."""

_OWNER = "flowise-integrations"


class _Handler(JSONRequestHandler):
    """Routes one connection's requests to the owning ``ModelStandIn``, answering as OpenAI does."""

    server_version = "flowise-integrations-model-standin"

    @property
    def _standin(self) -> ModelStandIn:
        return cast(ModelStandIn, cast(TrackingHTTPServer, self.server).owner)

    def handle_method(self, method: str) -> None:
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        try:
            raw = self.read_body()
        except ValueError:
            self.close_connection = True  # the framing is unknown, so the connection cannot be reused
            self._send_error(RequestError(400, "Malformed Content-Length or chunked request body."))
            return
        body: Any = None
        parse_error: RequestError | None = None
        if method == "POST":
            try:
                body = _parse_body(raw)
            except RequestError as exc:
                parse_error = exc
        self._standin._record(path, body)
        try:
            action = self._find_route(method, path)
            if parse_error is not None:
                raise parse_error
            action(body)
        except RequestError as exc:
            self._send_error(exc)

    def _find_route(self, method: str, path: str) -> Callable[[Any], None]:
        standin = self._standin
        if method == "POST" and path == "/v1/chat/completions":
            return self._chat_completions
        if method == "POST" and path == "/v1/embeddings":
            return lambda body: self.send_json(200, json_bytes(embeddings_response(body, standin.model)))
        if method == "GET" and path == "/v1/models":
            models = {"object": "list", "data": [standin._model_object()]}
            return lambda _: self.send_json(200, json_bytes(models))
        if method == "GET" and path.startswith("/v1/models/"):
            model_id = path.removeprefix("/v1/models/")
            return lambda _: self.send_json(200, json_bytes(standin._model_object(model_id)))
        raise RequestError(404, f"Unknown request URL: {method} {path}.")

    def _chat_completions(self, body: dict[str, Any]) -> None:
        standin = self._standin
        messages = request_messages(body)
        try:
            reply = standin._next_reply(messages)
        except Exception as exc:
            raise RequestError(500, f"The reply function failed: {exc!r}", "server_error") from exc
        model = str(body.get("model") or standin.model)
        if body.get("stream") is True:
            chunks = completion_chunks(
                model, messages, reply, include_usage=include_usage(body), token_delay=standin.token_delay
            )
            frames = (b"data: " + json_bytes(chunk) + b"\n\n" for chunk in chunks)
            self.send_chunked(
                200, "text/event-stream; charset=utf-8", itertools.chain(frames, [b"data: [DONE]\n\n"])
            )
        else:
            self.send_json(200, json_bytes(completion(model, messages, reply)))

    def _send_error(self, exc: RequestError) -> None:
        self.send_json(exc.status, json_bytes(error_body(exc.message, exc.error_type)))


def _parse_body(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(400, f"We could not parse the JSON body of your request: {exc}") from exc
    if not isinstance(body, dict):
        raise RequestError(400, "The request body must be a JSON object.")
    return body


# --------------------------------------------------------------------------------------------- public class


class ModelStandIn(Service):
    """A local, deterministic OpenAI-compatible server that Flowise's model nodes can point at.

    Point a ``chatOpenAI`` node's ``basepath`` (or an embeddings node's ``basePath``) at :attr:`base_url`.
    Replies come, in order of precedence, from :meth:`script`, the ``reply`` function, or
    ``"FAKE: " + <last user message>``. ``token_delay`` seconds pass before each streamed token, which helps
    tests that stop or watch a stream midway. Use it as a context manager, or call :meth:`start` and
    :meth:`stop`.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        reply: ReplyFunction | None = None,
        token_delay: float = 0.0,
        model: str = "fake-model",
    ) -> None:
        if token_delay < 0:
            raise ValueError("token_delay must not be negative")
        self.host = host
        self.model = model
        self.token_delay = float(token_delay)
        self._requested_port = port
        self._reply = reply
        self._lock = threading.Lock()
        self._records: list[tuple[str, Any]] = []
        self._script: deque[Reply] = deque()
        self._server: TrackingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._created = int(time.time())

    # -- lifecycle

    def start(self) -> Self:
        """Bind the port and serve from a daemon thread; returns ``self``."""
        if self._server is not None:
            raise HarnessError("the model stand-in is already running")
        try:
            server = TrackingHTTPServer(
                (self.host, self._requested_port), _Handler, self, name="model-standin"
            )
        except OSError as exc:
            raise HarnessError(
                f"the model stand-in could not listen on {self.host}:{self._requested_port}: {exc}"
            ) from exc
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"model-standin-{server.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving, close open connections, and join the server thread. Safe to call twice."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.close_connections(timeout)
        if thread is not None:
            thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        """The bound port (raises ``HarnessError`` before :meth:`start`)."""
        if self._server is None:
            raise HarnessError("the model stand-in is not running; call start() first")
        return self._server.server_port

    @property
    def base_url(self) -> str:
        """The OpenAI base URL including ``/v1``, e.g. ``http://127.0.0.1:8011/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    # -- configuration and records

    def script(self, *replies: Reply) -> None:
        """Queue replies that the next chat completions return, first in first out, before the usual reply.

        A reply is text, a :class:`ToolCall` or a list of them (parallel calls): an agent test scripts
        ``ToolCall("my_tool", {"question": "hi"})`` and then the final answer the model gives once it
        has read the tool's result.
        """
        with self._lock:
            self._script.extend(replies)

    @property
    def requests(self) -> list[tuple[str, Any]]:
        """A copy of every request received so far, as ``(path, parsed JSON body or None)``."""
        with self._lock:
            return copy.deepcopy(self._records)

    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat-completion requests received so far, oldest first."""
        return [
            body for path, body in self.requests if path == "/v1/chat/completions" and isinstance(body, dict)
        ]

    def reset(self) -> None:
        """Forget recorded requests and any unused scripted replies."""
        with self._lock:
            self._records.clear()
            self._script.clear()

    def __repr__(self) -> str:
        where = self.base_url if self._server is not None else "not running"
        return f"ModelStandIn(model={self.model!r}, {where})"

    # -- used by the request handler

    def _record(self, path: str, body: Any) -> None:
        with self._lock:
            self._records.append((path, body))

    def _next_reply(self, messages: list[dict[str, Any]]) -> Reply:
        with self._lock:
            scripted = self._script.popleft() if self._script else None
        if scripted is not None:
            return scripted
        if self._reply is not None:
            reply = self._reply(copy.deepcopy(messages))
            return reply if isinstance(reply, (str, ToolCall, list, tuple)) else str(reply)
        return default_reply(messages)

    def _model_object(self, model_id: str | None = None) -> dict[str, Any]:
        return {"id": model_id or self.model, "object": "model", "created": self._created, "owned_by": _OWNER}
