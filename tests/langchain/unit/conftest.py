"""Offline fixtures: clients on ``httpx.MockTransport`` answering like Flowise 3.1.4, sockets off.

Response bodies are copies of what a real Flowise sends (recorded from the test harness):
``message:\\ndata:{...}`` SSE frames, camelCase prediction JSON, ``{"timeTaken", "docs"}`` query
results.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import pytest_socket

from flowise_integrations import AsyncFlowise, Flowise
from tests.unit.mock_clients import sse

CHATFLOW_ID = "b49fbe6d-104b-4537-bd29-543c403d63ef"
OTHER_CHATFLOW_ID = "168d7d26-4688-46f0-953e-4e570ba010c3"
STORE_ID = "914c5350-2f5e-4be9-9bb1-50bfebcb9837"
PREDICTION = f"prediction/{CHATFLOW_ID}"


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    """Unit tests never open a network socket (Unix socket pairs stay allowed for event loops)."""
    pytest_socket.disable_socket(allow_unix_socket=True)
    yield
    pytest_socket.enable_socket()


def metadata_event(chat_id: str = "chat-1", session_id: str | None = None) -> dict[str, Any]:
    return {
        "event": "metadata",
        "data": {
            "chatId": chat_id,
            "chatMessageId": "msg-1",
            "question": "q",
            "sessionId": session_id or chat_id,
            "memoryType": "Buffer Memory",
        },
    }


def token_stream(*tokens: str, extra: tuple[dict[str, Any], ...] = ()) -> httpx.Response:
    """``start``, one ``token`` per item, any extra events, ``metadata``, ``end``."""
    return sse(
        {"event": "start", "data": tokens[0] if tokens else ""},
        *({"event": "token", "data": t} for t in tokens),
        *extra,
        metadata_event(),
        {"event": "end", "data": "[DONE]"},
    )


def prediction_json(text: str, **fields: Any) -> httpx.Response:
    body = {
        "text": text,
        "question": "q",
        "chatId": "chat-1",
        "chatMessageId": "msg-1",
        "sessionId": "chat-1",
        "isStreamValid": False,
        **fields,
    }
    return httpx.Response(200, json=body)


SKY_DOC = {
    "pageContent": "The sky looks blue because of Rayleigh scattering.",
    "metadata": {"docId": "doc-sky", "source": "sky.txt", "loc": {"lines": {"from": 1, "to": 1}}},
    "id": "chunk-sky",
}


@pytest.fixture
def clients(client: Flowise, async_client: AsyncFlowise) -> dict[str, Any]:
    """Keyword arguments that connect a component to the mock server."""
    return {"client": client, "async_client": async_client}
