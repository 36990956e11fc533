"""A raw-socket HTTP server on 127.0.0.1 that misbehaves on purpose, byte by byte.

Each accepted connection runs in its own thread: the request is read, then the current
*behaviour* (a function of a :class:`Conn`) writes whatever bytes, pauses, resets or silences it
wants. :data:`FAULTS` names one behaviour per fault the reliability tests cover; the tests and
``measure_faults.py`` share them.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "FLOW_ID",
    "Behaviour",
    "Conn",
    "FaultServer",
    "Request",
    "refused_url",
    "sse_event",
]

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
CHATFLOW = {"id": FLOW_ID, "name": "fault", "flowData": "{}", "deployed": False, "type": "CHATFLOW"}


@dataclass
class Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Conn:
    """One accepted connection, after its request was read."""

    sock: socket.socket
    request: Request
    stopping: threading.Event
    closed: bool = field(default=False)

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def head(self, status: int, headers: dict[str, str] | None = None, reason: str = "X") -> None:
        lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def respond(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        extra = {"Content-Type": content_type, "Content-Length": str(len(body))}
        extra.update({name.replace("_", "-"): value for name, value in headers.items()})
        self.head(status, extra)
        self.send(body)

    def json(self, status: int, payload: Any, **headers: str) -> None:
        self.respond(status, json.dumps(payload).encode(), "application/json; charset=utf-8", **headers)

    def start_sse(self) -> None:
        """Response head of a Flowise event stream (chunked, like Express's ``res.write``)."""
        self.head(
            200,
            {
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "Transfer-Encoding": "chunked",
            },
            "OK",
        )

    def chunk(self, data: bytes) -> None:
        self.send(b"%x\r\n%s\r\n" % (len(data), data))

    def end_chunks(self) -> None:
        self.send(b"0\r\n\r\n")

    def reset(self) -> None:
        """Abort the connection with a TCP RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.sock.close()

    def hang(self) -> None:
        """Say nothing more until the server stops (or the client gives up)."""
        self.stopping.wait()


Behaviour = Callable[[Conn], None]


def sse_event(event: str, data: Any) -> bytes:
    """One event in Flowise's framing."""
    return b"message:\ndata:" + json.dumps({"event": event, "data": data}).encode() + b"\n\n"


def sse_answer(tokens: Iterable[str]) -> bytes:
    """A complete Flowise stream: the tokens, metadata and end."""
    tokens = list(tokens)
    body = b"".join(sse_event("token", token) for token in tokens)
    metadata = {"chatId": "c1", "chatMessageId": "m1", "question": "q", "sessionId": "c1"}
    return body + sse_event("metadata", metadata) + sse_event("end", "[DONE]")


class FaultServer:
    """Serves every connection with the current behaviour; counts and keeps the requests."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._behaviour: Behaviour = ok_json
        self._lock = threading.Lock()
        self._requests: list[Request] = []
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, name="fault-server", daemon=True)
        self._thread.start()

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    @property
    def hits(self) -> int:
        with self._lock:
            return len(self._requests)

    def serve(self, behaviour: Behaviour) -> None:
        """Answer the following connections with ``behaviour`` and forget earlier requests."""
        with self._lock:
            self._behaviour = behaviour
            self._requests.clear()

    def release(self) -> None:
        """Wake connections waiting in :meth:`Conn.hang` and close them; the server keeps serving."""
        self._stopping.set()
        with self._lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._stopping = threading.Event()

    def close(self) -> None:
        self.release()
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        self._listener.close()
        self._thread.join(5)

    def _accept_loop(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(sock, self._stopping), daemon=True).start()

    def _handle(self, sock: socket.socket, stopping: threading.Event) -> None:
        with self._lock:
            self._open.add(sock)
        try:
            request = _read_request(sock)
            if request is None:
                return
            with self._lock:
                self._requests.append(request)
                behaviour = self._behaviour
            conn = Conn(sock, request, stopping)
            try:
                behaviour(conn)
            except OSError:
                pass  # the client gave up first
            finally:
                conn.close()
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(sock)
            sock.close()


def _read_request(sock: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return Request(method, target, headers, body)


def refused_url() -> tuple[str, socket.socket]:
    """A URL whose port refuses connections: bound (so nobody else takes it) but not listening."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    return f"http://127.0.0.1:{holder.getsockname()[1]}", holder


# ------------------------------------------------------------------------------------------ behaviours
#
# Each answers a JSON route (``GET /chatflows/{id}``, ``POST /prediction/{id}``) and a streamed
# prediction alike: the fault is in the bytes, not in the route.

TOKENS = ["Hello", ",", " partial", " world"]
PARTIAL = "".join(TOKENS)


def ok_body(conn: Conn) -> bytes:
    """The JSON a healthy server answers to the request: a prediction or a chatflow."""
    if "/prediction/" in conn.request.target:
        return json.dumps({"text": "ok", "chatId": "c1", "chatMessageId": "m1"}).encode()
    return json.dumps(CHATFLOW).encode()


def ok_json(conn: Conn) -> None:
    conn.respond(200, ok_body(conn), "application/json; charset=utf-8")


def ok_stream(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(sse_answer(TOKENS))
    conn.end_chunks()


def reset_before_headers(conn: Conn) -> None:
    conn.reset()


def close_before_headers(conn: Conn) -> None:
    conn.close()


def reset_mid_body(conn: Conn) -> None:
    body = json.dumps(CHATFLOW).encode()
    conn.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body) + 1000)})
    conn.send(body[:20])
    time.sleep(0.05)
    conn.reset()


def incomplete_body(conn: Conn) -> None:
    """A FIN after half the promised ``Content-Length``."""
    body = json.dumps(CHATFLOW).encode()
    conn.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
    conn.send(body[: len(body) // 2])


def reset_mid_stream(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(b"".join(sse_event("token", token) for token in TOKENS))
    time.sleep(0.05)
    conn.reset()


def truncated_json(conn: Conn) -> None:
    """A complete HTTP message whose JSON body stops halfway."""
    body = json.dumps(CHATFLOW).encode()[:25]
    conn.respond(200, body, "application/json")


def truncated_stream(conn: Conn) -> None:
    """A stream that ends cleanly (last chunk sent) in the middle of an event, with no end event."""
    conn.start_sse()
    conn.chunk(b"".join(sse_event("token", token) for token in TOKENS) + b'message:\ndata:{"event":"tok')
    conn.end_chunks()


MALFORMED_LINES = (
    b"this line has no colon at all\n"
    b"event: not-a-flowise-field\n"
    b"id: 17\n"
    b"retry: soon\n"
    b"data\n"  # a field name alone: an empty data line, completed by the blank line below
    b"\n"
    b": a comment\n"
    b":heartbeat\n"
    b"\r\n"
    b"\xff\xfe not utf-8\n"
    b"\n"
)


def malformed_sse_lines(conn: Conn) -> None:
    """Lines that are not Flowise events, around a complete answer: all ignored, as SSE says."""
    conn.start_sse()
    conn.chunk(MALFORMED_LINES + sse_event("token", "Hello") + MALFORMED_LINES)
    conn.chunk(
        sse_event("token", ", partial") + b"message:\r\ndata:" + b'{"event":"token","data":" world"}\r\n\r\n'
    )
    conn.chunk(MALFORMED_LINES + sse_answer([]))
    conn.end_chunks()


def invalid_json_in_data(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(b"".join(sse_event("token", token) for token in TOKENS))
    conn.chunk(b"message:\ndata:{not json at all\n\n" + sse_answer(["never seen"]))
    conn.end_chunks()


def not_an_event_in_data(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(b"".join(sse_event("token", token) for token in TOKENS))
    conn.chunk(b'message:\ndata:["valid", "json", "but not an event"]\n\n' + sse_answer(["never seen"]))
    conn.end_chunks()


def never_ending_stream(conn: Conn) -> None:
    conn.start_sse()
    conn.chunk(b"".join(sse_event("token", token) for token in TOKENS))
    conn.hang()


def silent_after_headers(conn: Conn) -> None:
    """Headers of a JSON answer, then nothing."""
    conn.head(200, {"Content-Type": "application/json", "Content-Length": "100"})
    conn.hang()


def silent_before_headers(conn: Conn) -> None:
    """Flowise's streaming hang: the request is read and never answered."""
    conn.hang()


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour; the last one repeats."""
    lock = threading.Lock()
    count = [0]

    def behaviour(conn: Conn) -> None:
        with lock:
            index = min(count[0], len(behaviours) - 1)
            count[0] += 1
        behaviours[index](conn)

    return behaviour


def status(code: int, *, retry_after: str | None = None, text: str | None = None) -> Behaviour:
    """A short error answer (Flowise's JSON shape unless ``text`` is given)."""

    def behaviour(conn: Conn) -> None:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        if text is not None:
            conn.respond(code, text.encode(), "text/plain; charset=utf-8", **headers)
        else:
            conn.json(code, {"statusCode": code, "success": False, "message": f"failure {code}"}, **headers)

    behaviour.__name__ = f"status_{code}"
    return behaviour


NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
EXPRESS_404 = (
    b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    b"</head>\n<body>\n<pre>Cannot GET /api/v1/nowhere</pre>\n</body>\n</html>\n"
)
FLOWISE_UI = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>Flowise - Build AI Agents, '
    b'Visually</title></head><body><div id="root"></div></body></html>'
)


def html_502(conn: Conn) -> None:
    conn.respond(502, NGINX_502, "text/html")


def html_404(conn: Conn) -> None:
    conn.respond(404, EXPRESS_404, "text/html; charset=utf-8")


def html_200(conn: Conn) -> None:
    conn.respond(200, FLOWISE_UI, "text/html; charset=UTF-8")


BIG = 50 * 1024 * 1024


def big_json(conn: Conn) -> None:
    """A 50 MB prediction (or chatflow) JSON body (built from bytes: ``json.dumps`` would take seconds)."""
    filler = b"x" * BIG
    if "/prediction/" in conn.request.target:
        body = b'{"text": "' + filler + b'", "chatId": "c1"}'
    else:
        flow_data = b'"{\\"nodes\\": [], \\"edges\\": [], \\"filler\\": \\"' + filler + b'\\"}"'
        body = json.dumps(CHATFLOW).encode().replace(b'"{}"', flow_data)
    conn.respond(200, body, "application/json")


def big_invalid_json(conn: Conn) -> None:
    """50 MB that claim to be JSON and are not."""
    conn.respond(200, b"{" + b"x" * BIG, "application/json")


def big_stream(conn: Conn) -> None:
    """50 MB of answer in 1 KB tokens."""
    token = "y" * 1024
    conn.start_sse()
    frame = sse_event("token", token) * 1024  # 1 MB per chunk
    for _ in range(BIG // (1024 * 1024)):
        conn.chunk(frame)
    conn.chunk(sse_answer([]))
    conn.end_chunks()


def big_single_event(conn: Conn) -> None:
    """One 50 MB token event, sent in 64 KB pieces."""
    conn.start_sse()
    event = b'message:\ndata:{"event": "token", "data": "' + b"z" * BIG + b'"}\n\n'
    for start in range(0, len(event), 65536):
        conn.chunk(event[start : start + 65536])
    conn.chunk(sse_answer([]))
    conn.end_chunks()


def big_html_error(conn: Conn) -> None:
    body = b"<html><head><title>502 Bad Gateway</title></head><body>" + b"<p>x</p>" * (BIG // 8) + b"</body>"
    conn.respond(502, body, "text/html")


def drip(interval: float) -> Behaviour:
    """A correct answer (JSON or stream, as asked) sent in small pieces ``interval`` seconds apart."""

    def behaviour(conn: Conn) -> None:
        if "text/event-stream" in conn.request.headers.get("accept", ""):
            conn.start_sse()
            for event in (*(sse_event("token", token) for token in TOKENS), sse_answer([])):
                time.sleep(interval)
                conn.chunk(event)
            conn.end_chunks()
            return
        body = ok_body(conn)
        conn.head(200, {"Content-Type": "application/json", "Content-Length": str(len(body))})
        for start in range(0, len(body), 8):
            time.sleep(interval)
            conn.send(body[start : start + 8])

    behaviour.__name__ = f"drip_{interval}"
    return behaviour
