"""``FlowFile``: a flow in a file, for flows kept in git: its name, type, id and graph.

The file is JSON with the graph as an object (not the string Flowise stores), two-space indented,
keys in the order Flowise wrote them, so a change to a flow is a readable change to its file.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, cast, get_args

from .._exceptions import FlowiseError
from ..types import Chatflow, ChatflowType
from ._graph import Flow, FlowKind

__all__ = ["FlowFile", "FlowFileError"]

_TYPES: tuple[str, ...] = get_args(ChatflowType)


def _kind(flow_type: ChatflowType) -> FlowKind:
    """Agentflows (v2) are graphs of agentflow nodes; every other type is a chatflow graph."""
    return "AGENTFLOW" if flow_type == "AGENTFLOW" else "CHATFLOW"


class FlowFileError(FlowiseError, ValueError):
    """A file that is not a flow file; the message names the file and what is wrong."""


@dataclasses.dataclass
class FlowFile:
    """A flow with what creating it again needs: ``name``, ``type`` and, once created, ``id``."""

    name: str
    type: ChatflowType
    flow: Flow
    id: str | None = None
    category: str | None = None

    @classmethod
    def from_chatflow(cls, chatflow: Chatflow) -> FlowFile:
        """The file for a flow read from the server (``chatflows.get``)."""
        flow_type = cast(ChatflowType, chatflow.type if chatflow.type in _TYPES else "CHATFLOW")
        flow = Flow.from_flow_data(chatflow.flow_data_json or "{}", kind=_kind(flow_type))
        return cls(name=chatflow.name, type=flow_type, flow=flow, id=chatflow.id, category=chatflow.category)

    @classmethod
    def load(cls, path: str | Path) -> FlowFile:
        """Read a file written by :meth:`save` (or by hand in the same shape)."""
        where = Path(path)
        try:
            data = json.loads(where.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise FlowFileError(f"{where}: not JSON ({exc})") from None
        if not isinstance(data, dict):
            raise FlowFileError(f"{where}: a flow file is a JSON object")
        name, flow_type, flow_data = data.get("name"), data.get("type"), data.get("flowData")
        if not isinstance(name, str) or not name:
            raise FlowFileError(f"{where}: 'name' must be a non-empty string")
        if flow_type not in _TYPES:
            raise FlowFileError(f"{where}: 'type' must be one of {list(_TYPES)}, not {flow_type!r}")
        if not isinstance(flow_data, dict) or not isinstance(flow_data.get("nodes"), list):
            raise FlowFileError(f"{where}: 'flowData' must be an object with a 'nodes' list")
        return cls(
            name=name,
            type=flow_type,
            flow=Flow.from_flow_data(flow_data, kind=_kind(flow_type)),
            id=data.get("id") if isinstance(data.get("id"), str) else None,
            category=data.get("category") if isinstance(data.get("category"), str) else None,
        )

    def to_json(self) -> str:
        body: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.id:
            body["id"] = self.id
        if self.category:
            body["category"] = self.category
        body["flowData"] = self.flow.to_flow_data()
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")
