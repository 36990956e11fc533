"""Conversions between Flowise's types and LlamaIndex's: nodes, messages, metadata, tool outputs.

Pure functions with no I/O, shared by the query engine, retriever, LLM, chat engine and tools.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from llama_index.core.base.llms.types import ChatMessage, MessageRole, TextBlock
from llama_index.core.bridge.pydantic import BaseModel, Field
from llama_index.core.schema import NodeWithScore, TextNode
from llama_index.core.tools import ToolOutput

from ..types import ChatMessage as FlowiseChatMessage
from ..types import HistoryMessage, Prediction, QueryDocument, SourceDocument, UsedTool

__all__ = [
    "FlowiseTurn",
    "from_flowise_messages",
    "prediction_metadata",
    "query_nodes",
    "source_nodes",
    "to_flowise_turn",
    "tool_outputs",
    "usage_kwargs",
]

_NODE_NAMESPACE = uuid.UUID("6f1c5b2e-4f0b-4d2e-9a59-1b7f5c0de0a1")
_USER_ROLES = frozenset({MessageRole.USER})
_ASSISTANT_ROLES = frozenset({MessageRole.ASSISTANT, MessageRole.CHATBOT, MessageRole.MODEL})
_SYSTEM_ROLES = frozenset({MessageRole.SYSTEM, MessageRole.DEVELOPER})


# ----------------------------------------------------------------------------------------- nodes


def _fallback_node_id(text: str, metadata: Mapping[str, Any]) -> str:
    """A stable id for a chunk that came without one: the same text and metadata, the same id."""
    key = json.dumps([text, metadata], sort_keys=True, default=str, ensure_ascii=False)
    return str(uuid.uuid5(_NODE_NAMESPACE, key))


def source_nodes(documents: Sequence[SourceDocument]) -> list[NodeWithScore]:
    """Flowise source documents as nodes: the vector-store id when Flowise sends one, else a
    stable id derived from the content; metadata as Flowise sent it; no score (Flowise gives none)."""
    nodes = []
    for document in documents:
        node_id = str(document.id or "") or _fallback_node_id(document.page_content, document.metadata)
        node = TextNode(id_=node_id, text=document.page_content, metadata=dict(document.metadata))
        nodes.append(NodeWithScore(node=node, score=None))
    return nodes


def query_nodes(documents: Sequence[QueryDocument]) -> list[NodeWithScore]:
    """Document-store query results as nodes: the chunk id as node id, metadata kept, no score."""
    return [
        NodeWithScore(
            node=TextNode(
                id_=document.id or _fallback_node_id(document.page_content, document.metadata),
                text=document.page_content,
                metadata=dict(document.metadata),
            ),
            score=None,
        )
        for document in documents
    ]


# -------------------------------------------------------------------------------------- metadata


def _used_tool_dict(tool: UsedTool) -> dict[str, Any]:
    return tool.model_dump(mode="json", exclude_none=True)


def prediction_metadata(prediction: Prediction, chatflow_id: str) -> dict[str, Any]:
    """What a caller needs to continue or audit a run: ids, the tools Flowise used, follow-ups."""
    metadata: dict[str, Any] = {
        "chatflow_id": chatflow_id,
        "chat_id": prediction.chat_id,
        "session_id": prediction.session_id,
        "chat_message_id": prediction.chat_message_id,
        "used_tools": [_used_tool_dict(tool) for tool in prediction.all_used_tools],
    }
    optional = {
        "execution_id": prediction.execution_id,
        "memory_type": prediction.memory_type,
        "follow_up_prompts": prediction.follow_up_prompts,
        "usage": prediction.usage.model_dump() if prediction.usage is not None else None,
    }
    metadata.update({key: value for key, value in optional.items() if value is not None})
    return metadata


def usage_kwargs(prediction: Prediction) -> dict[str, int]:
    """Token counts under the keys LlamaIndex's token counters read (agentflow LLM nodes only)."""
    if prediction.usage is None:
        return {}
    return {
        "prompt_tokens": prediction.usage.input_tokens,
        "completion_tokens": prediction.usage.output_tokens,
        "total_tokens": prediction.usage.total_tokens,
    }


def tool_outputs(tools: Sequence[UsedTool]) -> list[ToolOutput]:
    """Flowise's used tools as LlamaIndex tool outputs (for ``AgentChatResponse.sources``)."""
    outputs = []
    for tool in tools:
        raw_input = tool.tool_input if isinstance(tool.tool_input, dict) else {"input": tool.tool_input}
        output = tool.tool_output
        content = output if isinstance(output, str) else json.dumps(output, default=str)
        outputs.append(
            ToolOutput(
                tool_name=tool.tool or "flowise_tool",
                content=content,
                raw_input=raw_input,
                raw_output=output,
                is_error=tool.error is not None,
            )
        )
    return outputs


# -------------------------------------------------------------------------------------- messages


class FlowiseTurn(BaseModel):
    """A LlamaIndex conversation as one Flowise run: the question, earlier turns, system text."""

    question: str
    history: list[HistoryMessage] = Field(default_factory=list)
    system: str | None = None


def _message_text(message: ChatMessage) -> str:
    parts = []
    for block in message.blocks:
        if not isinstance(block, TextBlock):
            raise ValueError(
                f"Flowise predictions take text only; a {message.role.value} message holds a "
                f"{type(block).__name__}"
            )
        parts.append(block.text)
    return "".join(parts)


def to_flowise_turn(messages: Sequence[ChatMessage]) -> FlowiseTurn:
    """Split a chat into Flowise's shape without flattening it into one prompt.

    The last message must come from the user and becomes the question; earlier user and
    assistant messages become ``history`` (``userMessage``/``apiMessage``) in order. System (and
    developer) messages are joined into ``system``, which the caller may send through
    ``override_config``; Flowise's history has no system role. Tool and function messages have no
    Flowise equivalent and are rejected.
    """
    if not messages:
        raise ValueError("at least one message is needed")
    last = messages[-1]
    if last.role not in _USER_ROLES:
        raise ValueError(f"the last message must be a user message, got {last.role.value!r}")
    history: list[HistoryMessage] = []
    system: list[str] = []
    for message in messages[:-1]:
        if message.role in _SYSTEM_ROLES:
            system.append(_message_text(message))
        elif message.role in _USER_ROLES:
            history.append(HistoryMessage(role="user", content=_message_text(message)))
        elif message.role in _ASSISTANT_ROLES:
            history.append(HistoryMessage(role="assistant", content=_message_text(message)))
        else:
            raise ValueError(
                "Flowise history holds user and assistant messages only, got a "
                f"{message.role.value!r} message"
            )
    return FlowiseTurn(
        question=_message_text(last), history=history, system="\n\n".join(system) if system else None
    )


def from_flowise_messages(messages: Sequence[FlowiseChatMessage]) -> list[ChatMessage]:
    """Stored Flowise messages as LlamaIndex chat messages, ids kept in ``additional_kwargs``."""
    return [
        ChatMessage(
            role=MessageRole.USER if message.role == "userMessage" else MessageRole.ASSISTANT,
            content=message.content,
            additional_kwargs={"id": message.id, "chat_id": message.chat_id},
        )
        for message in messages
    ]
