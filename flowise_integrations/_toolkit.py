"""Which Flowise flows and custom tools become agent tools, and under which names.

Shared by the LangChain toolkit and the LlamaIndex tool spec so both expose the same tools with
the same names. Discovery (listing chatflows, agentflows, assistants and custom tools) is the
only I/O (``_async/_discovery.py`` and its generated twin); selection, naming and argument
schemas here are pure functions.

Tool names must match ``[a-zA-Z0-9_-]{1,64}`` (the OpenAI and Anthropic tool-name rule). Names
are derived from the Flowise name; when two tools would share a name, every one of them gets a
short suffix taken from its id, so the result does not depend on listing order and no tool is
ever dropped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Literal

from .types import Chatflow, ChatflowType, Tool

__all__ = [
    "FlowiseToolTarget",
    "TargetKind",
    "chatflow_target",
    "custom_tool_target",
    "flow_types_for",
    "form_fields",
    "input_schema",
    "safe_tool_name",
    "select_targets",
]

TargetKind = Literal["chatflow", "agentflow", "assistant", "custom_tool"]
MAX_NAME_LENGTH = 64
_UNSAFE = re.compile(r"[^a-zA-Z0-9_-]+")
_CHATFLOW_KINDS: dict[str, TargetKind] = {
    "CHATFLOW": "chatflow",
    "MULTIAGENT": "chatflow",
    "AGENTFLOW": "agentflow",
    "ASSISTANT": "assistant",
}
_FLOW_TYPES: tuple[tuple[ChatflowType, TargetKind], ...] = (
    ("CHATFLOW", "chatflow"),
    ("MULTIAGENT", "chatflow"),
    ("AGENTFLOW", "agentflow"),
    ("ASSISTANT", "assistant"),
)
_JSON_TYPES = {"string": "string", "number": "number", "boolean": "boolean", "date": "string"}


@dataclasses.dataclass(frozen=True)
class FlowiseToolTarget:
    """Something that can run as a tool: a flow (by prediction) or a custom tool (server-side code).

    ``parameters`` is a JSON schema object for the tool's arguments; ``takes_form`` says they are
    an agentflow's form fields (sent as ``form``) rather than ``{question}``.
    """

    kind: TargetKind
    id: str
    name: str
    flowise_name: str
    description: str
    parameters: dict[str, Any]
    code: str | None = None
    takes_form: bool = False


def safe_tool_name(raw: str, *, suffix: str = "") -> str:
    """``raw`` reduced to ``[a-zA-Z0-9_-]``, with ``suffix`` kept, at most 64 characters."""
    base = _UNSAFE.sub("_", raw).strip("_-") or "flowise_tool"
    tail = f"_{suffix}" if suffix else ""
    return base[: MAX_NAME_LENGTH - len(tail)].rstrip("_-") + tail


def _id_suffix(target_id: str) -> str:
    return hashlib.sha1(target_id.encode()).hexdigest()[:6]


def _dedupe(targets: list[FlowiseToolTarget]) -> list[FlowiseToolTarget]:
    counts = Counter(target.name for target in targets)
    return [
        dataclasses.replace(target, name=safe_tool_name(target.flowise_name, suffix=_id_suffix(target.id)))
        if counts[target.name] > 1
        else target
        for target in targets
    ]


def form_fields(chatflow: Chatflow) -> list[dict[str, Any]] | None:
    """The form fields of an agentflow whose Start node takes form input, else ``None``."""
    nodes = (chatflow.flow_data or {}).get("nodes") or []
    for node in nodes:
        data = node.get("data") or {}
        inputs = data.get("inputs") or {}
        if data.get("name") == "startAgentflow" and inputs.get("startInputType") == "formInput":
            fields = inputs.get("formInputTypes") or []
            return [field for field in fields if isinstance(field, dict) and field.get("name")]
    return None


def _form_schema(fields: Sequence[dict[str, Any]]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for field in fields:
        kind = field.get("type")
        schema: dict[str, Any] = {
            "type": "number" if kind == "number" else "boolean" if kind == "boolean" else "string"
        }
        # The Start node stores choices as {"option": ...}; accept {"name": ...} too.
        options = [
            opt.get("option") or opt.get("name")
            for opt in field.get("addOptions") or field.get("options") or []
            if isinstance(opt, dict) and (opt.get("option") or opt.get("name"))
        ]
        if options:
            schema["enum"] = options
        schema["description"] = str(field.get("label") or field["name"])
        properties[field["name"]] = schema
    return {"type": "object", "properties": properties, "required": list(properties)}


_QUESTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"question": {"type": "string", "description": "The message to send to the flow."}},
    "required": ["question"],
}


def input_schema(tool: Tool) -> dict[str, Any]:
    """A JSON schema for a custom tool's arguments, from its Flowise ``schema`` properties."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for prop in tool.schema_ or []:
        properties[prop.property] = {
            "type": _JSON_TYPES.get(prop.type, "string"),
            "description": prop.description or prop.property,
            **({"format": "date"} if prop.type == "date" else {}),
        }
        if prop.required:
            required.append(prop.property)
    return {"type": "object", "properties": properties, "required": required}


def chatflow_target(chatflow: Chatflow, *, description: str | None = None) -> FlowiseToolTarget:
    """A chatflow, agentflow or assistant as a tool taking ``{question}`` (or its form fields)."""
    kind = _CHATFLOW_KINDS.get(chatflow.type or "CHATFLOW", "chatflow")
    fields = form_fields(chatflow) if kind == "agentflow" else None
    if description is None:
        inputs = "with the given form values" if fields else "on a question"
        description = f"Runs the Flowise {kind} '{chatflow.name}' {inputs} and returns its answer."
        if chatflow.category:
            description += f" Category: {chatflow.category}."
    return FlowiseToolTarget(
        kind=kind,
        id=chatflow.id,
        name=safe_tool_name(chatflow.name),
        flowise_name=chatflow.name,
        description=description,
        parameters=_form_schema(fields) if fields else _QUESTION_SCHEMA,
        takes_form=bool(fields),
    )


def custom_tool_target(tool: Tool) -> FlowiseToolTarget:
    """A Flowise custom tool, run server-side with its arguments as ``$<property>`` variables."""
    return FlowiseToolTarget(
        kind="custom_tool",
        id=tool.id,
        name=safe_tool_name(tool.name),
        flowise_name=tool.name,
        description=tool.description or f"Runs the Flowise custom tool '{tool.name}'.",
        parameters=input_schema(tool),
        code=tool.func or "",
    )


def select_targets(
    chatflows: Iterable[Chatflow],
    tools: Iterable[Tool],
    *,
    include_ids: Collection[str] | None = None,
    exclude_ids: Collection[str] = (),
    name_pattern: str | re.Pattern[str] | None = None,
    kinds: Collection[TargetKind] | None = None,
) -> list[FlowiseToolTarget]:
    """Filter by id allow/deny lists, a regular expression on the Flowise name and kinds; name safely.

    The result is sorted by kind, then Flowise name, then id.
    """
    pattern = re.compile(name_pattern) if isinstance(name_pattern, str) else name_pattern
    candidates = [chatflow_target(flow) for flow in chatflows] + [custom_tool_target(tool) for tool in tools]
    chosen = [
        target
        for target in candidates
        if (include_ids is None or target.id in include_ids)
        and target.id not in exclude_ids
        and (pattern is None or pattern.search(target.flowise_name))
        and (kinds is None or target.kind in kinds)
    ]
    chosen.sort(key=lambda t: (t.kind, t.flowise_name, t.id))
    return _dedupe(chosen)


def flow_types_for(kinds: Collection[TargetKind] | None) -> list[ChatflowType]:
    """The chatflow ``type`` values to list for ``kinds`` (all when ``None``)."""
    return [flow_type for flow_type, kind in _FLOW_TYPES if kinds is None or kind in kinds]
