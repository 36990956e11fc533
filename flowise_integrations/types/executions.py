"""Agentflow execution models (``/executions``, ``/public-executions``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ._base import FlowiseModel, JsonString
from .chatflows import Chatflow
from .predictions import ExecutedNode

__all__ = ["Execution", "ExecutionDeleteResult", "ExecutionState"]

ExecutionState = Literal["INPROGRESS", "FINISHED", "ERROR", "TERMINATED", "TIMEOUT", "STOPPED"]


class Execution(FlowiseModel):
    """One agentflow (v2) run. ``execution_data`` and ``action`` are decoded from the JSON strings
    Flowise stores; listings also join the whole ``agentflow``. ``stopped_date`` is only
    meaningful for stopped runs."""

    id: str
    execution_data: JsonString[Any] = None
    state: str | None = None
    agentflow_id: str | None = None
    session_id: str | None = None
    action: JsonString[Any] = None
    is_public: bool | None = None
    agentflow: Chatflow | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None
    stopped_date: datetime | None = None

    @property
    def executed_nodes(self) -> list[ExecutedNode]:
        """``execution_data`` as typed nodes (empty when it is not a list)."""
        if not isinstance(self.execution_data, list):
            return []
        return [ExecutedNode.model_validate(node) for node in self.execution_data]


class ExecutionDeleteResult(FlowiseModel):
    """``DELETE /executions[/{id}]``: how many executions were deleted."""

    success: bool = False
    deleted_count: int = 0
