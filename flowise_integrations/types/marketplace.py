"""Marketplace templates (``/marketplaces``): the built-in ones and a workspace's custom ones.

Tool templates also carry ``schema`` (a JSON string), ``func``, ``color`` and ``iconSrc``; they are
kept as extra fields (``template.model_extra["schema"]``), since ``schema`` would shadow a
pydantic method.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ._base import FlowDataModel, FlowiseModel, JsonString

__all__ = ["CustomTemplate", "MarketplaceTemplate"]


def _number_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class MarketplaceTemplate(FlowDataModel):
    """A built-in template. ``type`` is ``"Chatflow"``, ``"AgentflowV2"`` or ``"Tool"``; ``flow_data``
    (decoded from its JSON string when first read) holds the whole template, nodes and edges included.
    Flowise 2.x numbers its templates (``id`` 0, 1, ...); the number is kept as a string."""

    id: Annotated[str | None, BeforeValidator(_number_as_text)] = None
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
