"""Prediction models: what a chatflow or agentflow run returns, and what a run is given."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .._core.files import guess_mime
from ._base import FlowiseModel, decode_json_string

__all__ = [
    "Action",
    "AgentReasoning",
    "ExecutedNode",
    "HistoryMessage",
    "Prediction",
    "PredictionMetadata",
    "SourceDocument",
    "Upload",
    "UploadType",
    "UsageMetadata",
    "UsedTool",
]


class SourceDocument(FlowiseModel):
    """A retrieved chunk: ``pageContent`` plus the loader's metadata, and the vector store's id
    for it when the store reports one (not the document store's chunk id)."""

    id: str | int | None = None
    page_content: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)


class UsedTool(FlowiseModel):
    """A tool call made while answering."""

    tool: str = ""
    tool_input: Any = None
    tool_output: Any = None
    source_documents: list[SourceDocument] | None = None
    error: Any = None


class AgentReasoning(FlowiseModel):
    """One agent's step in a multi-agent flow."""

    agent_name: str | None = None
    messages: list[Any] = Field(default_factory=list)
    next: str | None = None
    instructions: str | None = None
    used_tools: list[UsedTool] | None = None
    source_documents: list[SourceDocument] | None = None
    state: Any = None
    node_name: str | None = None


class Action(FlowiseModel):
    """A pause for human input or tool approval; send it back to resume."""

    id: str | None = None
    mapping: dict[str, Any] | None = None
    elements: list[dict[str, Any]] | None = None
    data: dict[str, Any] | None = None


class ExecutedNode(FlowiseModel):
    """One node's run in an agentflow (``agentFlowExecutedData`` items)."""

    node_id: str = ""
    node_label: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)
    previous_node_ids: list[str] = Field(default_factory=list)
    status: str | None = None

    @property
    def output(self) -> dict[str, Any]:
        output = self.data.get("output")
        return output if isinstance(output, dict) else {}


class UsageMetadata(FlowiseModel):
    """Token usage as LangChain reports it (only agentflow LLM and Agent nodes send it)."""

    # Flowise forwards LangChain's snake_case keys as they are.
    model_config = ConfigDict(alias_generator=None)

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: UsageMetadata) -> UsageMetadata:
        return UsageMetadata(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


def _decode_follow_up_prompts(value: Any) -> Any:
    # Stored as JSON of a list and returned JSON-encoded once more: decode until it is a list.
    for _ in range(2):
        if isinstance(value, str):
            decoded = decode_json_string(value)
            if decoded is value:
                break
            value = decoded
    return value


class _PredictionFields(FlowiseModel):
    chat_id: str | None = None
    chat_message_id: str | None = None
    question: str | None = None
    session_id: str | None = None
    memory_type: str | None = None
    follow_up_prompts: list[str] | None = None
    flow_variables: dict[str, Any] | None = None
    action: Action | None = None

    @field_validator("follow_up_prompts", mode="before")
    @classmethod
    def _follow_ups(cls, value: Any) -> Any:
        return _decode_follow_up_prompts(value)


class PredictionMetadata(_PredictionFields):
    """The ``metadata`` event sent after a streamed run: the ids a caller needs to continue."""


class Prediction(_PredictionFields):
    """The result of ``POST /prediction/{id}``, or of a stream aggregated by ``final()``.

    Agentflows (v2) put source documents and tool calls inside the executed-node data rather
    than at the top level; :attr:`all_source_documents` and :attr:`all_used_tools` look in both.
    """

    text: str = ""
    json_: Any = Field(default=None, alias="json")
    source_documents: list[SourceDocument] = Field(default_factory=list)
    used_tools: list[UsedTool] = Field(default_factory=list)
    agent_reasoning: list[AgentReasoning] = Field(default_factory=list)
    artifacts: list[Any] = Field(default_factory=list)
    file_annotations: list[Any] = Field(default_factory=list)
    execution_id: str | None = None
    agent_flow_executed_data: list[ExecutedNode] = Field(default_factory=list)
    usage: UsageMetadata | None = None
    """Token usage, summed over the agentflow nodes that report it; ``None`` for chatflows."""
    is_stream_valid: bool | None = None
    form: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _action_from_stopped_node(self) -> Prediction:
        # Flowise 3.0 answers a run stopped at Human Input without the top-level ``action`` (3.1
        # adds it); the stopped node's output holds the same object.
        if self.action is None:
            for node in reversed(self.agent_flow_executed_data):
                found = node.output.get("humanInputAction")
                if node.status == "STOPPED" and isinstance(found, dict):
                    self.action = Action.model_validate(found)
                    break
        return self

    @model_validator(mode="after")
    def _usage_from_nodes(self) -> Prediction:
        # Agentflows report usage per LLM/Agent node, inside the executed data: add it up.
        if self.usage is None:
            found = [
                UsageMetadata.model_validate(usage)
                for node in self.agent_flow_executed_data
                if isinstance(usage := node.output.get("usageMetadata"), dict)
            ]
            if found:
                self.usage = sum(found[1:], found[0])
        return self

    @property
    def all_source_documents(self) -> list[SourceDocument]:
        """Top-level source documents, else those of the last agentflow node that produced any."""
        if self.source_documents:
            return self.source_documents
        for node in reversed(self.agent_flow_executed_data):
            docs = node.output.get("sourceDocuments")
            if docs:
                return [SourceDocument.model_validate(doc) for doc in docs]
        return []

    @property
    def all_used_tools(self) -> list[UsedTool]:
        """Top-level used tools, plus those reported inside agentflow nodes."""
        tools = list(self.used_tools)
        for node in self.agent_flow_executed_data:
            tools.extend(UsedTool.model_validate(tool) for tool in node.output.get("usedTools") or [])
        return tools


UploadType = Literal["file", "file:rag", "file:full", "audio", "url"]


class Upload(FlowiseModel):
    """A file given to a prediction in its JSON body (``uploads``).

    ``data`` is a ``data:<mime>;base64,...`` URI, or a plain URL when ``type == "url"``. Build one
    with :meth:`from_bytes`, :meth:`from_path` or :meth:`from_url` to get a MIME type that Flowise
    accepts for the file name.
    """

    type: UploadType
    name: str
    mime: str
    data: str

    @classmethod
    def from_bytes(
        cls, content: bytes, name: str, *, type: UploadType = "file", mime: str | None = None
    ) -> Upload:
        mime = mime or guess_mime(name)
        encoded = base64.b64encode(content).decode("ascii")
        return cls(type=type, name=name, mime=mime, data=f"data:{mime};base64,{encoded}")

    @classmethod
    def from_path(cls, path: str | Path, *, type: UploadType = "file", mime: str | None = None) -> Upload:
        file = Path(path)
        return cls.from_bytes(file.read_bytes(), file.name, type=type, mime=mime)

    @classmethod
    def from_url(cls, url: str, *, name: str | None = None, mime: str | None = None) -> Upload:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"URL uploads need an http(s) URL, got {url!r}")
        name = name or url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "file"
        return cls(type="url", name=name, mime=mime or guess_mime(name), data=url)


Role = Literal["user", "assistant", "userMessage", "apiMessage"]
_WIRE_ROLES = {
    "user": "userMessage",
    "assistant": "apiMessage",
    "userMessage": "userMessage",
    "apiMessage": "apiMessage",
}


class HistoryMessage(FlowiseModel):
    """One earlier turn. ``user``/``assistant`` are accepted and sent as Flowise's role names."""

    role: Role
    content: str

    def to_wire(self) -> dict[str, Any]:
        return {"role": _WIRE_ROLES[self.role], "content": self.content}


HistoryInput = HistoryMessage | dict[str, Any]


def history_to_wire(history: list[HistoryInput]) -> list[dict[str, Any]]:
    """Validate history items and convert them to ``{"role": "userMessage"|"apiMessage", "content"}``."""
    if not isinstance(history, list):
        raise TypeError(f"history must be a list, got {type(history).__name__}")
    return [HistoryMessage.model_validate(item).to_wire() for item in history]
