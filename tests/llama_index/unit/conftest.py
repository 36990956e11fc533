"""Sync and async clients wired to one :class:`MockFlowise` route table (no network), and bodies
shaped like the ones Flowise 3.1.4 sends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from flowise_integrations import AsyncFlowise, Flowise
from tests.unit.mock_clients import API_KEY, BASE_URL

FLOW = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
STORE = "7b0f3a10-79ca-4fa0-9628-1b3a8671d3cb"
PREDICTION = f"prediction/{FLOW}"

SKY = {
    "pageContent": "The sky looks blue because of Rayleigh scattering.",
    "metadata": {"docId": "loader-sky", "source": "sky.txt", "loc": {"lines": {"from": 1, "to": 1}}},
    "id": "fb998060-eb78-11f1-a475-9d378f48f293",
}
VOLCANO = {
    "pageContent": "A volcano erupts when molten magma rises through the crust.",
    "metadata": {"source": "volcano.txt", "docId": "loader-volcano"},
    "id": "fc073650-eb78-11f1-a475-9d378f48f293",
}


def prediction_body(text: str = "FAKE: Why is the sky blue?", **extra: Any) -> dict[str, Any]:
    """A chatflow's JSON answer as Flowise sends it."""
    return {
        "text": text,
        "question": "Why is the sky blue?",
        "chatId": "chat-1",
        "chatMessageId": "msg-1",
        "isStreamValid": False,
        "sessionId": "chat-1",
        **extra,
    }


def token_events(
    *tokens: str, sources: list[dict[str, Any]] | None = None, chat_id: str = "chat-s"
) -> list[dict[str, Any]]:
    """start, tokens, optional sourceDocuments, metadata, end: a chain's stream."""
    events: list[dict[str, Any]] = [{"event": "start", "data": tokens[0]}]
    events += [{"event": "token", "data": token} for token in tokens]
    if sources is not None:
        events.append({"event": "sourceDocuments", "data": sources})
    events.append(
        {
            "event": "metadata",
            "data": {"chatId": chat_id, "chatMessageId": "msg-s", "question": "q", "sessionId": chat_id},
        }
    )
    events.append({"event": "end", "data": "[DONE]"})
    return events


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the sync client was used for {request.method} {request.url}")


def _refuse_async(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the async client was used for {request.method} {request.url}")


@pytest.fixture
def refusing_client() -> Iterator[Flowise]:
    """A sync client that fails the test if anything uses it (proves async paths stay async)."""
    with httpx.Client(transport=httpx.MockTransport(_refuse)) as http:
        yield Flowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)


@pytest.fixture
async def refusing_async_client() -> AsyncIterator[AsyncFlowise]:
    """An async client that fails the test if anything uses it (proves sync paths stay sync)."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(_refuse_async)) as http:
        yield AsyncFlowise(BASE_URL, api_key=API_KEY, max_retries=0, http_client=http)
