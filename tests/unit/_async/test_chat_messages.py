"""Chat messages: the truthy-flag quirks, feedback-mode paging, both list-field forms, abort."""

from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.types.chat_messages import ChatMessage
from tests.unit.mock_flowise import MockFlowise

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
ROUTE = f"chatmessage/{FLOW_ID}"
DOCS = [{"pageContent": "The sky is blue.", "metadata": {"source": "kb"}}]
TOOLS = [{"tool": "calculator", "toolInput": {"a": 1}, "toolOutput": "2"}]
USER = {
    "id": "m-1",
    "role": "userMessage",
    "chatflowid": FLOW_ID,
    "content": "why is the sky blue?",
    "chatType": "EXTERNAL",
    "chatId": "chat-1",
    "memoryType": "Buffer Memory",
    "sessionId": "chat-1",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "leadEmail": None,
    "execution": None,
}
PARSED = {
    **USER,
    "id": "m-2",
    "role": "apiMessage",
    "content": "Rayleigh scattering.",
    "executionId": None,
    "sourceDocuments": DOCS,
    "usedTools": TOOLS,
    "fileUploads": [{"type": "file", "name": "a.png", "mime": "image/png"}],
    "action": {"id": "act-1", "mapping": {"approve": "Yes", "reject": "No"}},
    "artifacts": [{"type": "png", "data": "FILE-STORAGE::a.png"}],
    "followUpPrompts": '["Why at sunset?","What about Mars?"]',
}
# What Flowise sends when one column fails to parse: it stops and leaves the rest as strings.
RAW = {
    **PARSED,
    "id": "m-3",
    "sourceDocuments": json.dumps(DOCS),
    "usedTools": json.dumps(TOOLS),
    "agentReasoning": json.dumps([{"agentName": "planner", "messages": ["go"]}]),
    "action": json.dumps(PARSED["action"]),
}


async def test_list_parses_both_list_forms(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", ROUTE, [USER, PARSED, RAW])
    messages = await client.chat_messages.list(FLOW_ID)
    assert server.last.url.raw_path == f"/api/v1/{ROUTE}".encode()
    assert server.last.url.query == b""
    user, parsed, raw = messages
    assert isinstance(user, ChatMessage)
    assert user.role == "userMessage"
    assert user.source_documents is None
    for message in (parsed, raw):
        assert message.source_documents is not None
        assert message.source_documents[0].page_content == "The sky is blue."
        assert message.used_tools is not None
        assert message.used_tools[0].tool_output == "2"
        assert message.action is not None
        assert message.action.mapping == {"approve": "Yes", "reject": "No"}
        assert message.follow_up_prompts == ["Why at sunset?", "What about Mars?"]
    assert raw.agent_reasoning is not None
    assert raw.agent_reasoning[0].agent_name == "planner"
    assert parsed.file_uploads == [{"type": "file", "name": "a.png", "mime": "image/png"}]


async def test_list_filters_never_send_feedback_false(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", ROUTE, [])
    await client.chat_messages.list(
        FLOW_ID,
        chat_type=["EXTERNAL"],
        order="DESC",
        chat_id="chat-1",
        memory_type="Buffer Memory",
        session_id="s-1",
        message_id="m-2",
        start_date="2026-01-01",
        end_date="2026-02-01",
    )
    assert dict(server.last.url.params) == {
        "chatType": '["EXTERNAL"]',
        "order": "DESC",
        "chatId": "chat-1",
        "memoryType": "Buffer Memory",
        "sessionId": "s-1",
        "messageId": "m-2",
        "startDate": "2026-01-01",
        "endDate": "2026-02-01",
    }
    assert "feedback" not in server.last.url.params


async def test_feedback_mode_pages_by_session(client: AsyncFlowise, server: MockFlowise) -> None:
    rated = {
        **PARSED,
        "feedback": {
            "id": "f-1",
            "chatflowid": FLOW_ID,
            "chatId": "chat-1",
            "messageId": "m-2",
            "rating": "THUMBS_UP",
            "content": None,
            "createdDate": "2026-01-01T00:00:02.000Z",
        },
    }
    server.json("GET", ROUTE, [USER, rated])
    messages = await client.chat_messages.list(
        FLOW_ID, feedback=True, feedback_type=["THUMBS_UP", "THUMBS_DOWN"], page=2, limit=10
    )
    params = server.last.url.params
    assert params["feedback"] == "true"
    assert params.get_list("feedbackType") == ["THUMBS_UP", "THUMBS_DOWN"]
    assert (params["page"], params["limit"]) == ("2", "10")
    assert isinstance(messages, list)
    assert len(messages) == 2
    assert messages[1].feedback is not None
    assert messages[1].feedback.rating == "THUMBS_UP"


async def test_page_without_feedback_mode_is_refused(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="feedback=True"):
        await client.chat_messages.list(FLOW_ID, page=1, limit=10)
    with pytest.raises(ValueError):
        await client.chat_messages.list(FLOW_ID, feedback=True, page=1)
    assert server.calls == []


async def test_foreign_flow_is_a_wrapped_500(client: AsyncFlowise, server: MockFlowise) -> None:
    message = "Error: chatMessagesService.getAllChatMessages - Unauthorized access"
    server.json("GET", ROUTE, {"statusCode": 500, "success": False, "message": message}, 500)
    with pytest.raises(InternalServerError, match="Unauthorized access"):
        await client.chat_messages.list(FLOW_ID)


async def test_delete_filters_and_hard_delete_flag(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", ROUTE, {"raw": [], "affected": 4})
    result = await client.chat_messages.delete(FLOW_ID)
    assert server.last.method == "DELETE"
    assert server.last.url.query == b""
    assert result.affected == 4

    await client.chat_messages.delete(
        FLOW_ID,
        chat_id="chat-1",
        memory_type="Buffer Memory",
        session_id="s-1",
        chat_type="EXTERNAL",
        start_date="2026-01-01",
        end_date="2026-02-01",
    )
    assert dict(server.last.url.params) == {
        "chatId": "chat-1",
        "memoryType": "Buffer Memory",
        "sessionId": "s-1",
        "chatType": "EXTERNAL",
        "startDate": "2026-01-01",
        "endDate": "2026-02-01",
    }

    await client.chat_messages.delete(FLOW_ID, feedback_type="THUMBS_DOWN", hard_delete=True)
    assert dict(server.last.url.params) == {"feedbackType": "THUMBS_DOWN", "hardDelete": "true"}


async def test_delete_unknown_flow_is_a_plain_text_404(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "DELETE", ROUTE, httpx.Response(404, text="Chatflow not found", headers={"content-type": "text/html"})
    )
    with pytest.raises(NotFoundError, match="Chatflow not found"):
        await client.chat_messages.delete(FLOW_ID)


async def test_abort(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "PUT", f"chatmessage/abort/{FLOW_ID}/chat%2F1", {"status": 200, "message": "Chat message aborted"}
    )
    assert await client.chat_messages.abort(FLOW_ID, "chat/1") is None
    assert server.last.method == "PUT"
    assert server.last.url.raw_path == f"/api/v1/chatmessage/abort/{FLOW_ID}/chat%2F1".encode()
    with pytest.raises(ValueError):
        await client.chat_messages.abort(FLOW_ID, "")


def test_list_fields_are_re_encoded_in_json_dumps() -> None:
    wire = ChatMessage.model_validate(RAW).to_wire()
    assert json.loads(wire["sourceDocuments"]) == DOCS
    assert json.loads(wire["followUpPrompts"]) == ["Why at sunset?", "What about Mars?"]
