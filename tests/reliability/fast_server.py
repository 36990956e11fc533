"""A fast keep-alive HTTP/1.1 server for the leak tests, run in its own process.

``python -m tests.reliability.fast_server`` prints its port on the first line of stdout and
serves until stdin closes. Running apart keeps its sockets out of the test process's
``/proc/self/fd``, and its work off the test process's GIL. Paths (under ``/api/v1/``):

* ``GET chatflows/<id>`` — the chatflow as JSON; ``missing`` → 404, ``broken`` → 500,
  ``reset`` → the connection is reset before any answer;
* ``POST prediction/<id>`` — with ``Accept: text/event-stream`` a stream of 5 tokens, else JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import struct
import sys

CHATFLOW = json.dumps({"id": "flow", "name": "fast", "flowData": "{}", "deployed": False}).encode()
PREDICTION = json.dumps({"text": "ok", "chatId": "c1", "chatMessageId": "m1"}).encode()
TOKENS = [f"t{i} " for i in range(5)]


def _event(event: str, data: object) -> bytes:
    return b"message:\ndata:" + json.dumps({"event": event, "data": data}).encode() + b"\n\n"


STREAM_CHUNKS = [_event("token", token) for token in TOKENS] + [
    _event("metadata", {"chatId": "c1", "chatMessageId": "m1"}) + _event("end", "[DONE]")
]


def _chunked(chunks: list[bytes]) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _json(status: int, body: bytes) -> bytes:
    return _head(status, {"Content-Type": "application/json", "Content-Length": str(len(body))}) + body


STREAM_RESPONSE = _head(
    200, {"Content-Type": "text/event-stream", "Transfer-Encoding": "chunked"}
) + _chunked(STREAM_CHUNKS)


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line, *header_lines = head.decode("latin-1").split("\r\n")
            method, target, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if length:
                await reader.readexactly(length)
            path = target.split("?", 1)[0]
            if path.endswith("/reset"):
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
                return
            if path.endswith("/missing"):
                writer.write(_json(404, b'{"statusCode":404,"message":"Chatflow missing not found"}'))
            elif path.endswith("/broken"):
                writer.write(_json(500, b'{"statusCode":500,"message":"Error: x.y - broken"}'))
            elif method == "POST" and "text/event-stream" in headers.get("accept", ""):
                writer.write(STREAM_RESPONSE)
            elif method == "POST":
                writer.write(_json(200, PREDICTION))
            else:
                writer.write(_json(200, CHATFLOW))
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def _main() -> None:
    server = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    os._exit(0)  # no graceful shutdown to wait for: the connections' owner is gone


if __name__ == "__main__":
    asyncio.run(_main())
