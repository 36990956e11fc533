"""A route table behind ``httpx.MockTransport`` that records every request it answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from tests.unit.recorded import recorded

Responder = httpx.Response | Callable[[httpx.Request], httpx.Response]

API = "/api/v1/"


class MockFlowise:
    """Answers ``(method, path)`` pairs; ``path`` is relative to ``/api/v1/`` and unencoded-exact.

    Unrouted requests fail the test with a 599 whose body names the request. Requests are kept
    in :attr:`calls` for assertions on method, path, query and body. ``GET /version`` answers as
    Flowise 3.1.4 did (clients ask it before a call that needs a capability) unless re-routed.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Responder]] = {
            ("GET", "version"): [lambda request: recorded("client/version", request=request)]
        }
        self.calls: list[httpx.Request] = []

    def add(self, method: str, path: str, *responses: Responder) -> MockFlowise:
        """Queue ``responses`` for ``method path``; the last one repeats."""
        self.routes[(method.upper(), path)] = list(responses)
        return self

    def json(self, method: str, path: str, body: Any, status: int = 200, **headers: str) -> MockFlowise:
        return self.add(method, path, httpx.Response(status, json=body, headers=headers))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        raw_path = request.url.raw_path.decode().split("?", 1)[0]
        key = (request.method, raw_path[len(API) :] if raw_path.startswith(API) else raw_path)
        queue = self.routes.get(key)
        if not queue:
            return httpx.Response(599, text=f"unrouted request {key}")
        responder = queue.pop(0) if len(queue) > 1 else queue[0]
        return responder(request) if callable(responder) else responder

    @property
    def last(self) -> httpx.Request:
        assert self.calls, "no request was sent"
        return self.calls[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)


class ChunkedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered as separate chunks, calling ``on_chunk`` before each one.

    For timing-dependent stream behaviour: ``on_chunk`` can advance a fake clock, so a test decides
    how much time passes between chunks without waiting for it.
    """

    def __init__(self, chunks: list[bytes], on_chunk: Callable[[], None] = lambda: None) -> None:
        self._chunks = chunks
        self._on_chunk = on_chunk

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            self._on_chunk()
            yield chunk

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            self._on_chunk()
            yield chunk
