"""The client under test, async here and sync in the generated twin, on the shared mock ``server``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from flowise_integrations import AsyncFlowise
from tests.unit.mock_clients import API_KEY, BASE_URL
from tests.unit.mock_flowise import MockFlowise


@pytest.fixture
async def client(server: MockFlowise) -> AsyncIterator[AsyncFlowise]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(server.handle)) as http:
        yield AsyncFlowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)
