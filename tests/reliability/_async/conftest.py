"""Clients of the fault server: 1 s timeouts, no retries unless a test asks for them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flowise_integrations import AsyncFlowise
from tests.reliability.fault_server import FaultServer
from tests.reliability.helpers import record_sleeps

API_KEY = "sk-reliability-key"
TIMEOUT = 1.0


@pytest.fixture
async def client(fault_server: FaultServer) -> AsyncIterator[AsyncFlowise]:
    async with AsyncFlowise(fault_server.url, api_key=API_KEY, timeout=TIMEOUT, max_retries=0) as client:
        yield client


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The delays the client's send loop sleeps between attempts (recorded, not slept)."""
    return record_sleeps(monkeypatch, "flowise_integrations._async._client.asyncio.sleep")
