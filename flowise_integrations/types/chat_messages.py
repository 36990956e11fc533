"""Stored chat message models (``/chatmessage``).

Flowise stores a message's lists (source documents, tools used, uploads, ...) as JSON strings and
usually decodes them before answering, but leaves ``followUpPrompts`` encoded and gives up on the
remaining fields when one fails to parse. Each list field accepts both forms.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import field_validator

from ._base import FlowiseModel, JsonString
from .executions import Execution
from .feedback import ChatMessageFeedback
from .predictions import Action, AgentReasoning, SourceDocument, UsedTool, _decode_follow_up_prompts

__all__ = ["ChatMessage", "ChatType", "MessageRole"]

MessageRole = Literal["apiMessage", "userMessage"]
ChatType = Literal["INTERNAL", "EXTERNAL", "EVALUATION", "MCP", "SCHEDULED", "WEBHOOK"]
"""Where a message came from: API calls are ``EXTERNAL``, the Flowise UI ``INTERNAL``."""


class ChatMessage(FlowiseModel):
    """One stored message: a ``userMessage`` or the ``apiMessage`` that answered it.

    ``feedback`` is set only by feedback-mode listings; ``execution`` (agentflows) is joined when
    the message has one.
    """

    id: str
    role: MessageRole
    chatflowid: str | None = None
    content: str = ""
    chat_type: str | None = None
    chat_id: str | None = None
    memory_type: str | None = None
    session_id: str | None = None
    execution_id: str | None = None
    execution: Execution | None = None
    lead_email: str | None = None
    source_documents: JsonString[list[SourceDocument]] | None = None
    used_tools: JsonString[list[UsedTool]] | None = None
    file_annotations: JsonString[list[Any]] | None = None
    agent_reasoning: JsonString[list[AgentReasoning]] | None = None
    reason_content: JsonString[Any] = None
    file_uploads: JsonString[list[dict[str, Any]]] | None = None
    action: JsonString[Action] | None = None
    artifacts: JsonString[list[Any]] | None = None
    follow_up_prompts: JsonString[list[str]] | None = None
    feedback: ChatMessageFeedback | None = None
    created_date: datetime | None = None

    @field_validator("follow_up_prompts", mode="before")
    @classmethod
    def _follow_ups(cls, value: Any) -> Any:
        return _decode_follow_up_prompts(value)
