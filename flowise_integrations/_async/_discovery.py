"""Listing what can become an agent tool: flows of the wanted types and custom tools."""

from __future__ import annotations

import re
from collections.abc import Collection

from .._toolkit import FlowiseToolTarget, TargetKind, flow_types_for, select_targets
from ..types import Chatflow, Tool
from ._client import AsyncFlowise

__all__ = ["discover_targets"]


async def discover_targets(
    client: AsyncFlowise,
    *,
    include_ids: Collection[str] | None = None,
    exclude_ids: Collection[str] = (),
    name_pattern: str | re.Pattern[str] | None = None,
    kinds: Collection[TargetKind] | None = None,
) -> list[FlowiseToolTarget]:
    """The server's flows and custom tools, filtered and named by :func:`select_targets`."""
    flows: list[Chatflow] = []
    for flow_type in flow_types_for(kinds):
        flows.extend(await client.chatflows.list(type=flow_type))
    tools: list[Tool] = await client.tools.list() if kinds is None or "custom_tool" in kinds else []
    return select_targets(
        flows, tools, include_ids=include_ids, exclude_ids=exclude_ids, name_pattern=name_pattern, kinds=kinds
    )
