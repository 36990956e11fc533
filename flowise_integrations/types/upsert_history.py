"""Upsert history records (``/upsert-history``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ._base import FlowiseModel
from .document_stores import IndexingResult

__all__ = ["UpsertFlowNode", "UpsertFlowParam", "UpsertRecord"]


class UpsertFlowParam(FlowiseModel):
    """A node input used by the upsert (file inputs show the file names)."""

    label: str | None = None
    name: str | None = None
    type: str | None = None
    value: Any = None


class UpsertFlowNode(FlowiseModel):
    """A node that ran in the upsert (``id`` is its node id, e.g. ``"plainText_0"``) and the
    inputs it was given; inputs wired from other nodes are not listed."""

    id: str | None = None
    label: str | None = None
    name: str | None = None
    category: str | None = None
    param_values: list[UpsertFlowParam] = Field(default_factory=list)


class UpsertRecord(FlowiseModel):
    """One recorded upsert. Flowise returns ``result`` and ``flow_data`` already parsed
    (``{}`` when a record has none); ``flow_data`` lists the nodes that ran, loader first.
    The stored ``result`` has the counters but no ``added_docs``."""

    id: str
    chatflowid: str
    result: IndexingResult = Field(default_factory=IndexingResult)
    flow_data: list[UpsertFlowNode] | dict[str, Any] = Field(default_factory=list)
    date: datetime | None = None
