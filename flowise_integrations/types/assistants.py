"""Assistant models (``/assistants``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ._base import FlowiseModel, JsonString

__all__ = ["Assistant", "AssistantDocumentStore", "AssistantType"]

AssistantType = Literal["CUSTOM", "OPENAI", "AZURE"]


class Assistant(FlowiseModel):
    """An assistant. ``details`` is decoded from the JSON string Flowise stores: for ``CUSTOM``
    assistants the UI keeps ``{name, chatModel, instruction, flowId, documentStores, tools}``
    there; for ``OPENAI``/``AZURE`` it mirrors the OpenAI assistant (``id`` is OpenAI's)."""

    id: str
    details: JsonString[dict[str, Any]] = Field(default_factory=dict)
    credential: str | None = None
    icon_src: str | None = None
    type: str | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None


class AssistantDocumentStore(FlowiseModel):
    """An upserted document store a custom assistant can use: ``name`` is the store id."""

    name: str
    label: str | None = None
    description: str | None = None
