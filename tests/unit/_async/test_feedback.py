"""Feedback: create/list/update bodies and routes, and the real 400/404 codes."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, NotFoundError
from flowise_integrations.types.feedback import ChatMessageFeedback
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

FEEDBACK = recorded_body("feedback/create")
FLOW_ID = FEEDBACK["chatflowid"]
MESSAGE_ID = FEEDBACK["messageId"]


async def test_create(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "feedback", recorded("feedback/create"))
    feedback = await client.feedback.create(message_id=MESSAGE_ID, rating="THUMBS_UP", content="good")
    assert server.last_json() == {"messageId": MESSAGE_ID, "rating": "THUMBS_UP", "content": "good"}
    assert isinstance(feedback, ChatMessageFeedback)
    assert (feedback.message_id, feedback.rating, feedback.content) == (MESSAGE_ID, "THUMBS_UP", "good")
    # Flowise fills in the chat and flow of the message.
    assert feedback.chat_id == recorded_body("predictions/conversation_chain")["chatId"]
    assert feedback.chatflowid == FLOW_ID
    assert feedback.created_date is not None

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

    server.add("POST", "feedback", recorded("feedback/create_unknown_message"))
    with pytest.raises(NotFoundError, match="Message with ID"):
        await client.feedback.create(message_id="x", rating="THUMBS_UP")
    server.add("POST", "feedback", recorded("feedback/create_wrong_chat"))
    with pytest.raises(BadRequestError, match="Inconsistent chat ID"):
        await client.feedback.create(message_id=MESSAGE_ID, rating="THUMBS_UP", chat_id="other-chat")


async def test_list(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"feedback/{FLOW_ID}", recorded("feedback/list"))
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
    # Listed after the rating was changed (see test_update).
    assert [(f.id, f.rating, f.content) for f in items] == [
        (FEEDBACK["id"], "THUMBS_DOWN", "wrong after all")
    ]


async def test_update(client: AsyncFlowise, server: MockFlowise) -> None:
    feedback_id = FEEDBACK["id"]
    server.add("PUT", f"feedback/{feedback_id}", recorded("feedback/update"))
    assert await client.feedback.update(feedback_id, rating="THUMBS_DOWN", content="wrong after all") is None
    assert server.last.method == "PUT"
    assert server.last_json() == {"rating": "THUMBS_DOWN", "content": "wrong after all"}
    with pytest.raises(ValueError, match="nothing to update"):
        await client.feedback.update(feedback_id)

    server.add("PUT", "feedback/nope", recorded("feedback/update_not_found"))
    with pytest.raises(NotFoundError, match="Feedback with ID"):
        await client.feedback.update("nope", rating="THUMBS_UP")
