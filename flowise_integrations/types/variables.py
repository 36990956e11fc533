"""Variable models (``/variables``), read in flows as ``$vars.<name>``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import FlowiseModel

__all__ = ["Variable", "VariableType"]

VariableType = Literal["static", "runtime"]
"""``static`` variables hold ``value``; ``runtime`` ones read ``process.env[name]`` on the server
when a flow runs."""


class Variable(FlowiseModel):
    """A variable. ``type`` is ``"static"`` or ``"runtime"`` (``"string"`` for rows created
    without a type, which Flowise's column default produces)."""

    id: str
    name: str
    value: str | None = None
    type: str | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None
