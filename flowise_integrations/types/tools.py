"""Custom tool models (``/tools``).

A tool's ``schema`` column is a JSON string listing the tool's input properties; it is decoded
into :class:`ToolProperty` items on read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ._base import FlowiseModel, JsonString

__all__ = ["Tool", "ToolProperty", "ToolPropertyType"]

ToolPropertyType = Literal["string", "number", "boolean", "date"]
"""The property types Flowise turns into a tool input schema; it silently skips any other."""


class ToolProperty(FlowiseModel):
    """One input of a custom tool; the tool's code reads it as ``$<property>``."""

    id: int | str | None = None
    property: str
    description: str = ""
    type: str = "string"
    required: bool = False


class Tool(FlowiseModel):
    """A custom tool. ``schema_`` (``"schema"`` on the wire) is decoded from its JSON string;
    ``color`` is a CSS background value (a colour or a gradient)."""

    id: str
    name: str
    description: str = ""
    color: str | None = None
    icon_src: str | None = None
    schema_: JsonString[list[ToolProperty]] | None = Field(default=None, alias="schema")
    func: str | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None
