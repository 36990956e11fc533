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
prompts, retrieved context). Only the standard library is used.
"""

from __future__ import annotations

import contextlib
import copy
import json
import socket
import socketserver
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, cast

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


# --------------------------------------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that can close its open keep-alive connections and wait for their threads."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], standin: ModelStandIn) -> None:
        self.standin = standin
        self._connections: set[socket.socket] = set()
        self._workers: list[threading.Thread] = []
        self._lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on machines without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        worker = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name=f"model-standin-conn-{client_address[1]}",
            daemon=True,
        )
        with self._lock:
            self._connections.add(request)
            self._workers = [w for w in self._workers if w.is_alive()]
            self._workers.append(worker)
        worker.start()

    def shutdown_request(self, request: Any) -> None:
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up mid-response; report anything else as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_connections(self, timeout: float) -> None:
        """Unblock every connection thread (idle keep-alive or mid-stream) and wait for it to finish."""
        with self._lock:
            connections = list(self._connections)
            workers = list(self._workers)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        deadline = time.monotonic() + timeout
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    """Routes one connection's requests to the owning ``ModelStandIn``."""

    protocol_version = "HTTP/1.1"
    server_version = "flowise-integrations-model-standin"

    @property
    def _standin(self) -> ModelStandIn:
        return cast(_Server, self.server).standin

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read the recorded requests instead of an access log."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0].rstrip("/") or "/"
        try:
            raw = self._read_body()
        except ValueError:
            self.close_connection = True  # the framing is unknown, so the connection cannot be reused
            self._send_error(RequestError(400, "Malformed Content-Length or chunked request body."))
            return
        body: Any = None
        parse_error: RequestError | None = None
        if method == "POST":
            try:
                body = self._parse_body(raw)
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
            return lambda body: self._send_json(200, embeddings_response(body, standin.model))
        if method == "GET" and path == "/v1/models":
            return lambda _: self._send_json(200, {"object": "list", "data": [standin._model_object()]})
        if method == "GET" and path.startswith("/v1/models/"):
            model_id = path.removeprefix("/v1/models/")
            return lambda _: self._send_json(200, standin._model_object(model_id))
        raise RequestError(404, f"Unknown request URL: {method} {path}.")

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass  # skip trailers
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    @staticmethod
    def _parse_body(raw: bytes) -> dict[str, Any]:
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RequestError(400, f"We could not parse the JSON body of your request: {exc}") from exc
        if not isinstance(body, dict):
            raise RequestError(400, "The request body must be a JSON object.")
        return body

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
            self._send_event_stream(chunks)
        else:
            self._send_json(200, completion(model, messages, reply))

    def _send_error(self, exc: RequestError) -> None:
        self._send_json(exc.status, error_body(exc.message, exc.error_type))

    def _send_json(self, status: int, payload: Any) -> None:
        data = json_bytes(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_event_stream(self, frames: Iterable[dict[str, Any]]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for frame in frames:
                self._write_chunk(b"data: " + json_bytes(frame) + b"\n\n")
            self._write_chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:  # the client hung up, or stop() closed the connection mid-stream
            self.close_connection = True

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()


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
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._created = int(time.time())

    # -- lifecycle

    def start(self) -> Self:
        """Bind the port and serve from a daemon thread; returns ``self``."""
        if self._server is not None:
            raise HarnessError("the model stand-in is already running")
        try:
            server = _Server((self.host, self._requested_port), self)
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
