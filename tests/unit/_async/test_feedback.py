"""Feedback: create/list/update bodies and routes, and the real 400/404 codes."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, NotFoundError
from flowise_integrations.types.feedback import ChatMessageFeedback
from tests.unit.mock_flowise import MockFlowise

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
MESSAGE_ID = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
FEEDBACK = {
    "id": "f-1",
    "chatflowid": FLOW_ID,
    "chatId": "chat-1",
    "messageId": MESSAGE_ID,
    "rating": "THUMBS_UP",
    "content": "spot on",
    "createdDate": "2026-01-01T00:00:02.000Z",
}


async def test_create(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "feedback", FEEDBACK)
    feedback = await client.feedback.create(message_id=MESSAGE_ID, rating="THUMBS_UP", content="spot on")
    assert server.last_json() == {"messageId": MESSAGE_ID, "rating": "THUMBS_UP", "content": "spot on"}
    assert isinstance(feedback, ChatMessageFeedback)
    assert feedback.message_id == MESSAGE_ID
    assert feedback.chat_id == "chat-1"

    await client.feedback.create(
        message_id=MESSAGE_ID, rating="THUMBS_DOWN", chat_id="chat-1", chatflow_id=FLOW_ID
    )
    assert server.last_json() == {
        "messageId": MESSAGE_ID,
        "rating": "THUMBS_DOWN",
        "chatId": "chat-1",
        "chatflowid": FLOW_ID,
    }


async def test_create_validates_and_maps_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="rating"):
        await client.feedback.create(message_id=MESSAGE_ID, rating="UP")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.feedback.create(message_id="", rating="THUMBS_UP")
    assert server.calls == []

    server.json(
        "POST",
        "feedback",
        {"statusCode": 404, "success": False, "message": "Message with ID x not found"},
        404,
    )
    with pytest.raises(NotFoundError):
        await client.feedback.create(message_id="x", rating="THUMBS_UP")
    message = "Inconsistent chat ID: message with ID x does not belong to chat with ID other"
    server.json("POST", "feedback", {"statusCode": 400, "success": False, "message": message}, 400)
    with pytest.raises(BadRequestError, match="Inconsistent chat ID"):
        await client.feedback.create(message_id="x", rating="THUMBS_UP", chat_id="other")


async def test_list(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"feedback/{FLOW_ID}", [FEEDBACK])
    items = await client.feedback.list(
        FLOW_ID, chat_id="chat-1", order="DESC", start_date="2026-01-01", end_date="2026-02-01"
    )
    assert server.last.url.raw_path.startswith(f"/api/v1/feedback/{FLOW_ID}".encode())
    assert dict(server.last.url.params) == {
        "chatId": "chat-1",
        "order": "DESC",
        "startDate": "2026-01-01",
        "endDate": "2026-02-01",
    }
    assert [f.rating for f in items] == ["THUMBS_UP"]


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", "feedback/f-1", {"status": "OK"})
    assert await client.feedback.update("f-1", rating="THUMBS_DOWN", content="wrong") is None
    assert server.last.method == "PUT"
    assert server.last_json() == {"rating": "THUMBS_DOWN", "content": "wrong"}
    with pytest.raises(ValueError, match="nothing to update"):
        await client.feedback.update("f-1")

    message = "Feedback with ID nope not found"
    server.json("PUT", "feedback/nope", {"statusCode": 404, "success": False, "message": message}, 404)
    with pytest.raises(NotFoundError):
        await client.feedback.update("nope", rating="THUMBS_UP")
