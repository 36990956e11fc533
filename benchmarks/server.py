"""A minimal keep-alive HTTP/1.1 server replaying recorded Flowise answers instantly.

It runs in its own process (its own GIL and, on a 2-core machine, its own core), so the client
under test pays only for its own work. Routes:

* ``POST /api/v1/prediction/{id}`` — the recorded echo-agentflow answer; for the stream ids of
  :mod:`benchmarks.data`, an SSE stream framed and chunked as Flowise sends it (one HTTP chunk per
  event): the recorded echo-agentflow stream, the scaled one, the 20 MiB one (in 64 KiB chunks),
  or a timed one whose token ``data`` is the
  server's ``time.monotonic_ns()`` when the event was written (one token every ``--interval-us``);
* ``GET /api/v1/chatflows`` — the recorded 200-flow listing;
* ``GET /api/v1/chatflows-streaming/{id}`` — the recorded ``{"isStreaming": ...}``;
* ``GET /api/v1/ping`` — ``pong``.

Run: ``python benchmarks/server.py [--port 0]``; it prints ``PORT <n>`` once it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import data

# Flowise 3.1.4's response headers (Express), so header parsing costs what it costs for real.
_JSON_HEAD = (
    "HTTP/1.1 200 OK\r\n"
    "Vary: Origin\r\n"
    "Content-Security-Policy: frame-ancestors 'self'\r\n"
    "X-Frame-Options: SAMEORIGIN\r\n"
    "Content-Type: {ctype}\r\n"
    "Content-Length: {length}\r\n"
    'ETag: W/"2d5-v8UCWQ9HncSdMH0zQb86hUMlSuM"\r\n'
    "Date: Sat, 28 Nov 2026 22:23:03 GMT\r\n"
    "Connection: keep-alive\r\n"
    "Keep-Alive: timeout=5\r\n"
    "\r\n"
)
_SSE_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Vary: Origin\r\n"
    b"Content-Security-Policy: frame-ancestors 'self'\r\n"
    b"X-Frame-Options: SAMEORIGIN\r\n"
    b"Content-Type: text/event-stream\r\n"
    b"Cache-Control: no-cache\r\n"
    b"Connection: keep-alive\r\n"
    b"X-Accel-Buffering: no\r\n"
    b"Date: Sat, 28 Nov 2026 22:23:04 GMT\r\n"
    b"Transfer-Encoding: chunked\r\n"
    b"\r\n"
)
_NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
_TIMED_TOKENS = 200


def _json_response(body: bytes, ctype: str = "application/json; charset=utf-8") -> bytes:
    return _JSON_HEAD.format(ctype=ctype, length=len(body)).encode() + body


def _chunk(payload: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(payload), payload)


def _chunked(frames: tuple[bytes, ...] | list[bytes], *, per_event: bool = True) -> list[bytes]:
    """The frames as HTTP chunks (one per event, as Flowise sends them, or ~64 KiB), in ~64 KiB writes."""
    writes: list[bytes] = []
    group: list[bytes] = []
    size = 0
    for frame in frames:
        group.append(frame)
        size += len(frame)
        if size >= 65536:
            writes.append(b"".join(map(_chunk, group)) if per_event else _chunk(b"".join(group)))
            group, size = [], 0
    if group:
        writes.append(b"".join(map(_chunk, group)) if per_event else _chunk(b"".join(group)))
    writes.append(b"0\r\n\r\n")
    return writes


class Server:
    def __init__(self, interval_us: int) -> None:
        self.interval = interval_us / 1e6
        self.prediction = _json_response(data.prediction_body())
        self.chatflows = _json_response(data.chatflows_body())
        self.streaming = _json_response(data.chatflows_streaming_body())
        self.pong = _json_response(b"pong", "text/html; charset=utf-8")
        self.streams = {
            data.STREAM_ID.encode(): _chunked(data.stream_frames(tokens=data.STREAM_TOKENS)),
            # 64 KiB HTTP chunks: the 20 MiB stream measures memory, not h11's per-chunk cost.
            data.BIG_STREAM_ID.encode(): _chunked(data.big_stream_frames(), per_event=False),
            data.SMALL_STREAM_ID.encode(): _chunked(data.small_stream_frames()),
        }
        self.tail = data.stream_frames(tokens=0)[-2:]  # metadata, end

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, _, header_block = head.partition(b"\r\n")
                method, target, _ = request_line.split(b" ", 2)
                lower = header_block.lower()
                length = 0
                at = lower.find(b"content-length:")
                if at >= 0:
                    length = int(lower[at + 15 : lower.index(b"\r\n", at)])
                if length:
                    await reader.readexactly(length)
                close = b"connection: close" in lower
                await self.respond(method, target.split(b"?", 1)[0], writer)
                if close:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def respond(self, method: bytes, path: bytes, writer: asyncio.StreamWriter) -> None:
        if method == b"POST" and path.startswith(b"/api/v1/prediction/"):
            flow_id = path.rsplit(b"/", 1)[1]
            if flow_id == data.TIMED_STREAM_ID.encode():
                await self.timed_stream(writer)
                return
            writes = self.streams.get(flow_id)
            if writes is None:
                writer.write(self.prediction)
            else:
                writer.write(_SSE_HEAD)
                for chunk in writes:
                    writer.write(chunk)
                    await writer.drain()
                return
        elif path == b"/api/v1/chatflows":
            writer.write(self.chatflows)
        elif path.startswith(b"/api/v1/chatflows-streaming/"):
            writer.write(self.streaming)
        elif path == b"/api/v1/ping":
            writer.write(self.pong)
        else:
            writer.write(_NOT_FOUND)
        await writer.drain()

    async def timed_stream(self, writer: asyncio.StreamWriter) -> None:
        """Tokens carrying the time they were written; asyncio writes to the socket at once (TCP_NODELAY)."""
        writer.write(_SSE_HEAD)
        await writer.drain()
        for _ in range(_TIMED_TOKENS):
            await asyncio.sleep(self.interval)
            frame = b'message:\ndata:{"event":"token","data":"%d"}\n\n' % time.monotonic_ns()
            writer.write(_chunk(frame))
            await writer.drain()
        writer.write(b"".join(_chunk(f) for f in self.tail) + b"0\r\n\r\n")
        await writer.drain()


async def main(port: int, interval_us: int) -> None:
    server = Server(interval_us)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", port, backlog=512)
    print(f"PORT {listener.sockets[0].getsockname()[1]}", flush=True)
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--interval-us", type=int, default=2000)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(args.port, args.interval_us))
