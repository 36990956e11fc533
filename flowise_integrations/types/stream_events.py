"""Typed events of a streamed prediction, one class per Flowise SSE ``event`` name.

Every event has ``event`` (Flowise's name) and ``data``; classes narrow ``data`` to its real type
so callers can ``match`` on them. Events this version does not know arrive as
:class:`UnknownEvent` with the raw payload, so nothing the server sends is dropped.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from .predictions import (
    Action,
    AgentReasoning,
    ExecutedNode,
    PredictionMetadata,
    SourceDocument,
    UsageMetadata,
    UsedTool,
)

__all__ = [
    "AbortEvent",
    "ActionEvent",
    "AgentFlowEvent",
    "AgentFlowExecutedDataEvent",
    "AgentReasoningEvent",
    "AgentTraceEvent",
    "ArtifactsEvent",
    "CalledToolsEvent",
    "EndEvent",
    "ErrorEvent",
    "FileAnnotationsEvent",
    "MetadataEvent",
    "NextAgentEvent",
    "NextAgentFlowEvent",
    "SourceDocumentsEvent",
    "StartEvent",
    "StreamEvent",
    "ThinkingEvent",
    "TokenEvent",
    "ToolEvent",
    "TtsAbortEvent",
    "TtsDataEvent",
    "TtsEndEvent",
    "TtsStartEvent",
    "UnknownEvent",
    "UsageMetadataEvent",
    "UsedToolsEvent",
]


@dataclasses.dataclass(frozen=True, slots=True)
class _Event:
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class TokenEvent(_Event):
    """A chunk of answer text. The final text is the concatenation of every token."""

    event: ClassVar[str] = "token"
    data: str


@dataclasses.dataclass(frozen=True, slots=True)
class StartEvent(_Event):
    """The first token, sent once *and* again as a :class:`TokenEvent`: never append it."""

    event: ClassVar[str] = "start"
    data: str


@dataclasses.dataclass(frozen=True, slots=True)
class ThinkingEvent(_Event):
    """Reasoning text from a reasoning model; ``duration`` in milliseconds when sent."""

    event: ClassVar[str] = "thinking"
    data: str
    duration: int | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class SourceDocumentsEvent(_Event):
    event: ClassVar[str] = "sourceDocuments"
    data: list[SourceDocument]


@dataclasses.dataclass(frozen=True, slots=True)
class UsedToolsEvent(_Event):
    event: ClassVar[str] = "usedTools"
    data: list[UsedTool]


@dataclasses.dataclass(frozen=True, slots=True)
class CalledToolsEvent(_Event):
    event: ClassVar[str] = "calledTools"
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class FileAnnotationsEvent(_Event):
    event: ClassVar[str] = "fileAnnotations"
    data: list[Any]


@dataclasses.dataclass(frozen=True, slots=True)
class ArtifactsEvent(_Event):
    event: ClassVar[str] = "artifacts"
    data: list[Any]


@dataclasses.dataclass(frozen=True, slots=True)
class ToolEvent(_Event):
    """The name of the tool an OpenAI Assistant node is running."""

    event: ClassVar[str] = "tool"
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class AgentReasoningEvent(_Event):
    event: ClassVar[str] = "agentReasoning"
    data: list[AgentReasoning]


@dataclasses.dataclass(frozen=True, slots=True)
class NextAgentEvent(_Event):
    event: ClassVar[str] = "nextAgent"
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class AgentTraceEvent(_Event):
    event: ClassVar[str] = "agent_trace"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class AgentFlowEvent(_Event):
    """Agentflow state: ``INPROGRESS`` first, then ``FINISHED``/``ERROR``/``TERMINATED``/``STOPPED``."""

    event: ClassVar[str] = "agentFlowEvent"
    data: str


@dataclasses.dataclass(frozen=True, slots=True)
class NextAgentFlowEvent(_Event):
    """One agentflow node's status: ``{nodeId, nodeLabel, status, error?}``."""

    event: ClassVar[str] = "nextAgentFlow"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class AgentFlowExecutedDataEvent(_Event):
    """Every node executed so far, re-sent after each node."""

    event: ClassVar[str] = "agentFlowExecutedData"
    data: list[ExecutedNode]


@dataclasses.dataclass(frozen=True, slots=True)
class ActionEvent(_Event):
    """The flow stopped for human input; resume with ``human_input=``."""

    event: ClassVar[str] = "action"
    data: Action


@dataclasses.dataclass(frozen=True, slots=True)
class UsageMetadataEvent(_Event):
    event: ClassVar[str] = "usageMetadata"
    data: UsageMetadata


@dataclasses.dataclass(frozen=True, slots=True)
class MetadataEvent(_Event):
    """Ids of the finished run (chat id, message id, session id, follow-up prompts)."""

    event: ClassVar[str] = "metadata"
    data: PredictionMetadata


@dataclasses.dataclass(frozen=True, slots=True)
class TtsStartEvent(_Event):
    event: ClassVar[str] = "tts_start"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class TtsDataEvent(_Event):
    event: ClassVar[str] = "tts_data"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class TtsEndEvent(_Event):
    event: ClassVar[str] = "tts_end"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class TtsAbortEvent(_Event):
    event: ClassVar[str] = "tts_abort"
    data: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class ErrorEvent(_Event):
    """Flowise failed after the stream opened; iterating raises ``StreamError`` right after it."""

    event: ClassVar[str] = "error"
    data: str


@dataclasses.dataclass(frozen=True, slots=True)
class AbortEvent(_Event):
    event: ClassVar[str] = "abort"
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class EndEvent(_Event):
    """Always the last event of a stream."""

    event: ClassVar[str] = "end"
    data: Any


@dataclasses.dataclass(frozen=True, slots=True)
class UnknownEvent(_Event):
    """An event name this version does not model; ``name`` and ``data`` are as Flowise sent them."""

    name: str = ""
    raw: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def event(self) -> str:
        return self.name


StreamEvent = (
    TokenEvent
    | StartEvent
    | ThinkingEvent
    | SourceDocumentsEvent
    | UsedToolsEvent
    | CalledToolsEvent
    | FileAnnotationsEvent
    | ArtifactsEvent
    | ToolEvent
    | AgentReasoningEvent
    | NextAgentEvent
    | AgentTraceEvent
    | AgentFlowEvent
    | NextAgentFlowEvent
    | AgentFlowExecutedDataEvent
    | ActionEvent
    | UsageMetadataEvent
    | MetadataEvent
    | TtsStartEvent
    | TtsDataEvent
    | TtsEndEvent
    | TtsAbortEvent
    | ErrorEvent
    | AbortEvent
    | EndEvent
    | UnknownEvent
)
"""Any event a prediction stream yields."""
