"""Clients that talk to a :class:`MockFlowise` route table through ``httpx.MockTransport``.

Every suite gets the fixtures ``server`` (the route table), ``client`` and ``async_client``
(``tests/conftest.py`` registers this module as a plugin), so the core, adapter and framework unit
tests share one way of wiring a client to a mock server. The clients have asked ``/version`` (a
3.1.4 server) before the test starts, and that request is not in ``server.calls``. :func:`sse`
frames a streamed prediction exactly as Flowise 3.1.4 does (``message:\\ndata:{...}``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from flowise_integrations import AsyncFlowise, Flowise
from tests.unit.mock_flowise import MockFlowise

BASE_URL = "http://flowise.test"
API_KEY = "test-key-123"


def sse(*events: dict[str, Any]) -> httpx.Response:
    """A streamed prediction of these events, in Flowise's framing."""
    body = b"".join(b"message:\ndata:" + json.dumps(e).encode() + b"\n\n" for e in events)
    return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})


@pytest.fixture
def server() -> MockFlowise:
    return MockFlowise()


@pytest.fixture
def client(server: MockFlowise) -> Iterator[Flowise]:
    with httpx.Client(transport=httpx.MockTransport(server.handle)) as http:
        flowise = Flowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)
        flowise.capabilities()  # as a first call needing a capability would; then forgotten
        server.calls.clear()
        yield flowise


@pytest.fixture
async def async_client(server: MockFlowise) -> AsyncIterator[AsyncFlowise]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
        flowise = AsyncFlowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)
        await flowise.capabilities()
        server.calls.clear()
        yield flowise
