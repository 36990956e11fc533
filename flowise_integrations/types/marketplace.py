"""Marketplace templates (``/marketplaces``): the built-in ones and a workspace's custom ones.

Tool templates also carry ``schema`` (a JSON string), ``func``, ``color`` and ``iconSrc``; they are
kept as extra fields (``template.model_extra["schema"]``), since ``schema`` would shadow a
pydantic method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from ._base import FlowDataModel, FlowiseModel, JsonString

__all__ = ["CustomTemplate", "MarketplaceTemplate"]


class MarketplaceTemplate(FlowDataModel):
    """A built-in template. ``type`` is ``"Chatflow"``, ``"AgentflowV2"`` or ``"Tool"``; ``flow_data``
    (decoded from its JSON string when first read) holds the whole template, nodes and edges included."""

    id: str | None = None
    template_name: str
    type: str | None = None
    description: str | None = None
    badge: str | None = None
    framework: Any = None
    usecases: Any = None
    categories: list[str] = Field(default_factory=list)


class CustomTemplate(FlowiseModel):
    """A template saved in the workspace. ``usecases`` and ``flow_data`` are decoded from JSON
    strings; ``shared`` marks templates shared from another workspace."""

    id: str
    name: str | None = None
    type: str | None = None
    flow_data: JsonString[Any] | None = None
    description: str | None = None
    badge: str | None = None
    framework: Any = None
    usecases: JsonString[Any] | None = None
    categories: list[str] | None = None
    icon_src: str | None = None
    func: str | None = None
    shared: bool | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None
