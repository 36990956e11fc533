"""Chat messages: the truthy-flag quirks, feedback-mode paging, both list-field forms, abort."""

from __future__ import annotations

import json

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.types.chat_messages import ChatMessage
from flowise_integrations.types.executions import Execution
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
ROUTE = f"chatmessage/{FLOW_ID}"
RETRIEVAL_ANSWER = recorded_body("chat_messages/list_retrieval")[1]


async def test_list_parses_a_conversation(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", ROUTE, recorded("chat_messages/list"))
    messages = await client.chat_messages.list(FLOW_ID)
    assert server.last.url.raw_path == f"/api/v1/{ROUTE}".encode()
    assert server.last.url.query == b""
    assert all(isinstance(m, ChatMessage) for m in messages)
    assert [(m.role, m.content) for m in messages] == [
        ("userMessage", "hello chain"),
        ("apiMessage", "FAKE: hello chain"),
        ("userMessage", "and again"),
        ("apiMessage", "FAKE: and again"),
    ]
    first = messages[0]
    assert (first.chat_type, first.memory_type) == ("EXTERNAL", "Buffer Memory")
    assert first.session_id == first.chat_id
    assert first.source_documents is None
    assert first.execution is None
    assert first.created_date is not None


async def test_list_parses_source_documents(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", ROUTE, recorded("chat_messages/list_retrieval"))
    question, answer = await client.chat_messages.list(FLOW_ID)
    assert question.source_documents is None
    assert answer.content == "FAKE: Why is the sky blue?"
    assert answer.source_documents is not None
    assert answer.source_documents[0].metadata["source"] == "sky.txt"
    assert answer.source_documents[0].page_content.startswith("The sky looks blue")
    assert answer.memory_type == ""


async def test_list_parses_an_agentflow_action_and_execution(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("GET", ROUTE, recorded("chat_messages/list_human_input"))
    question, stopped = await client.chat_messages.list(FLOW_ID)
    assert stopped.action is not None
    assert stopped.action.mapping == {"approve": "Proceed", "reject": "Reject"}
    assert isinstance(stopped.execution, Execution)
    assert stopped.execution.id == stopped.execution_id == question.execution_id
    assert stopped.execution.state == "STOPPED"
    assert [n.node_id for n in stopped.execution.executed_nodes] == [
        "startAgentflow_0",
        "humanInputAgentflow_0",
    ]


async def test_list_parses_columns_left_as_strings(client: AsyncFlowise, server: MockFlowise) -> None:
    # When one column fails to parse, Flowise stops and leaves the remaining ones as strings.
    unparsed = {
        **RETRIEVAL_ANSWER,
        "sourceDocuments": json.dumps(RETRIEVAL_ANSWER["sourceDocuments"]),
        "usedTools": json.dumps([{"tool": "calculator", "toolInput": {"a": 1}, "toolOutput": "2"}]),
        "agentReasoning": json.dumps([{"agentName": "planner", "messages": ["go"]}]),
        "followUpPrompts": '["Why at sunset?","What about Mars?"]',
    }
    server.add("GET", ROUTE, recorded("chat_messages/list_retrieval", body=[unparsed]))
    [message] = await client.chat_messages.list(FLOW_ID)
    assert message.source_documents is not None
    assert message.source_documents[0].metadata["source"] == "sky.txt"
    assert message.used_tools is not None
    assert message.used_tools[0].tool_output == "2"
    assert message.agent_reasoning is not None
    assert message.agent_reasoning[0].agent_name == "planner"
    assert message.follow_up_prompts == ["Why at sunset?", "What about Mars?"]


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
    server.add("GET", ROUTE, recorded("chat_messages/list_feedback"))
    messages = await client.chat_messages.list(
        FLOW_ID, feedback=True, feedback_type=["THUMBS_UP", "THUMBS_DOWN"], page=2, limit=10
    )
    params = server.last.url.params
    assert params["feedback"] == "true"
    assert params.get_list("feedbackType") == ["THUMBS_UP", "THUMBS_DOWN"]
    assert (params["page"], params["limit"]) == ("2", "10")
    assert isinstance(messages, list)
    question, answer = messages
    assert question.feedback is None
    assert answer.feedback is not None
    assert (answer.feedback.rating, answer.feedback.content) == ("THUMBS_DOWN", "wrong after all")
    assert answer.feedback.message_id == answer.id


async def test_page_without_feedback_mode_is_refused(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="feedback=True"):
        await client.chat_messages.list(FLOW_ID, page=1, limit=10)
    with pytest.raises(ValueError):
        await client.chat_messages.list(FLOW_ID, feedback=True, page=1)
    assert server.calls == []


async def test_foreign_flow_is_a_wrapped_500(client: AsyncFlowise, server: MockFlowise) -> None:
    # The harness has one workspace, so this body is written after the server source.
    message = "Error: chatMessagesService.getAllChatMessages - Unauthorized access"
    server.json("GET", ROUTE, {"statusCode": 500, "success": False, "message": message}, 500)
    with pytest.raises(InternalServerError, match="Unauthorized access"):
        await client.chat_messages.list(FLOW_ID)


async def test_delete_filters_and_hard_delete_flag(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", ROUTE, recorded("chat_messages/delete"))
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


async def test_delete_unknown_flow_is_a_404(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", ROUTE, recorded("errors/chat_messages_unknown_flow"))
    with pytest.raises(NotFoundError, match="not found in the database") as info:
        await client.chat_messages.delete(FLOW_ID)
    assert info.value.status_code == 404


async def test_abort(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"chatmessage/abort/{FLOW_ID}/chat%2F1", recorded("chat_messages/abort"))
    assert await client.chat_messages.abort(FLOW_ID, "chat/1") is None
    assert server.last.method == "PUT"
    assert server.last.url.raw_path == f"/api/v1/chatmessage/abort/{FLOW_ID}/chat%2F1".encode()
    with pytest.raises(ValueError):
        await client.chat_messages.abort(FLOW_ID, "")


def test_list_fields_are_re_encoded_in_json_dumps() -> None:
    wire = ChatMessage.model_validate(RETRIEVAL_ANSWER).to_wire()
    assert json.loads(wire["sourceDocuments"]) == RETRIEVAL_ANSWER["sourceDocuments"]
