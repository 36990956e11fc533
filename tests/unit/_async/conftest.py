"""Clients wired to a :class:`MockFlowise` through httpx's mock transport (no network)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from flowise_integrations import AsyncFlowise
from tests.unit.mock_flowise import MockFlowise

BASE_URL = "http://flowise.test"
API_KEY = "test-key-123"


@pytest.fixture
def server() -> MockFlowise:
    return MockFlowise()


@pytest.fixture
async def client(server: MockFlowise) -> AsyncIterator[AsyncFlowise]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
        yield AsyncFlowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)
