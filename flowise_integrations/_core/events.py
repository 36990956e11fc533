"""Flowise SSE payloads (``{"event": name, "data": ...}``) → typed stream events."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import from_json

from ..types import stream_events as ev
from ..types.predictions import (
    Action,
    AgentReasoning,
    ExecutedNode,
    PredictionMetadata,
    SourceDocument,
    UsageMetadata,
    UsedTool,
)

__all__ = ["decode_event"]


@functools.cache
def _list_of(model: type[Any]) -> TypeAdapter[list[Any]]:
    """``TypeAdapter(list[model])``, built on first use: building validators at import slows ``import``."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {"value": value}


def _as_str(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


_BUILDERS: dict[str, Callable[[Any, dict[str, Any]], ev.StreamEvent]] = {
    "token": lambda d, _: ev.TokenEvent(_as_str(d)),
    "start": lambda d, _: ev.StartEvent(_as_str(d)),
    "thinking": lambda d, raw: ev.ThinkingEvent(_as_str(d), raw.get("duration")),
    "sourceDocuments": lambda d, _: ev.SourceDocumentsEvent(
        _list_of(SourceDocument).validate_python(_as_list(d))
    ),
    "usedTools": lambda d, _: ev.UsedToolsEvent(_list_of(UsedTool).validate_python(_as_list(d))),
    "calledTools": lambda d, _: ev.CalledToolsEvent(d),
    "fileAnnotations": lambda d, _: ev.FileAnnotationsEvent(_as_list(d)),
    "artifacts": lambda d, _: ev.ArtifactsEvent(_as_list(d)),
    "tool": lambda d, _: ev.ToolEvent(d),
    "agentReasoning": lambda d, _: ev.AgentReasoningEvent(
        _list_of(AgentReasoning).validate_python(_as_list(d))
    ),
    "nextAgent": lambda d, _: ev.NextAgentEvent(d),
    "agent_trace": lambda d, _: ev.AgentTraceEvent(_as_dict(d)),
    "agentFlowEvent": lambda d, _: ev.AgentFlowEvent(_as_str(d)),
    "nextAgentFlow": lambda d, _: ev.NextAgentFlowEvent(_as_dict(d)),
    "agentFlowExecutedData": lambda d, _: ev.AgentFlowExecutedDataEvent(
        _list_of(ExecutedNode).validate_python(_as_list(d))
    ),
    "action": lambda d, _: ev.ActionEvent(Action.model_validate(_as_dict(d))),
    "usageMetadata": lambda d, _: ev.UsageMetadataEvent(UsageMetadata.model_validate(_as_dict(d))),
    "metadata": lambda d, _: ev.MetadataEvent(PredictionMetadata.model_validate(_as_dict(d))),
    "tts_start": lambda d, _: ev.TtsStartEvent(_as_dict(d)),
    "tts_data": lambda d, _: ev.TtsDataEvent(_as_dict(d)),
    "tts_end": lambda d, _: ev.TtsEndEvent(_as_dict(d)),
    "tts_abort": lambda d, _: ev.TtsAbortEvent(_as_dict(d)),
    "error": lambda d, _: ev.ErrorEvent(_as_str(d)),
    "abort": lambda d, _: ev.AbortEvent(d),
    "end": lambda d, _: ev.EndEvent(d),
}


def _loads(data: str) -> Any:
    try:
        # pydantic-core's parser: several times faster than json.loads on the small token events.
        return from_json(data)
    except ValueError:
        return json.loads(data)  # what it refuses and the json module accepts (lone surrogates)


def decode_event(data: str) -> ev.StreamEvent:
    """Parse one SSE ``data`` payload. Raises ``ValueError`` when it is not a Flowise event."""
    payload = _loads(data)
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        raise ValueError(f"not a Flowise stream event: {data[:200]!r}")
    name = payload["event"]
    value = payload.get("data")
    if name == "token":  # the hot path: most events are tokens
        return ev.TokenEvent(value if isinstance(value, str) else _as_str(value))
    builder = _BUILDERS.get(name)
    if builder is None:
        return ev.UnknownEvent(value, name=name, raw=payload)
    return builder(value, payload)
