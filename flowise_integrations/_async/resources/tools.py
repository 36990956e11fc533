"""``client.tools``: custom tools (JavaScript functions with a typed input schema) that agents call."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, TypeAlias, get_args, overload

from ..._core.pagination import Page
from ..._core.params import compact, non_empty
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types._base import encode_json_string
from ...types.chatflows import DeleteResult
from ...types.tools import Tool, ToolProperty, ToolPropertyType
from ._base import AsyncResource

__all__ = ["DEFAULT_TOOL_COLOR", "AsyncTools"]

DEFAULT_TOOL_COLOR = "#4f46e5"
"""Sent when no colour is given: Flowise's ``tool.color`` column is NOT NULL, so a tool created
without one fails with a database error (500)."""

ToolSchemaInput: TypeAlias = Sequence[ToolProperty | Mapping[str, Any]] | str
_PROPERTY_TYPES = get_args(ToolPropertyType)


def _schema_item(position: int, item: ToolProperty | Mapping[str, Any]) -> dict[str, Any]:
    prop = item if isinstance(item, ToolProperty) else ToolProperty.model_validate(item)
    if prop.type not in _PROPERTY_TYPES:
        raise ValueError(
            f"schema property {prop.property!r} has type {prop.type!r}; Flowise only accepts "
            f"{', '.join(_PROPERTY_TYPES)} and silently drops anything else"
        )
    wire = prop.model_dump(mode="json", by_alias=True, exclude_none=True)
    wire.setdefault("id", position)
    return wire


def encode_tool_schema(schema: ToolSchemaInput) -> str:
    """The JSON string Flowise stores for a tool's input properties.

    Takes :class:`ToolProperty` items, dicts with the same keys, or a JSON string of them; items
    without an ``id`` are numbered from 1 as the Flowise UI does.
    """
    if isinstance(schema, str):
        try:
            schema = json.loads(schema)
        except ValueError as exc:
            raise ValueError(f"schema is not valid JSON: {exc}") from None
    if not isinstance(schema, Sequence) or isinstance(schema, str):
        raise TypeError(f"schema must be a list of properties, got {type(schema).__name__}")
    return str(encode_json_string([_schema_item(i, item) for i, item in enumerate(schema, start=1)]))


def _tool_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """camelCase body with the schema encoded; unset (None) fields are left out."""
    body = compact(fields)
    if "schema" in body:
        body["schema"] = encode_tool_schema(body["schema"])
    return body


class AsyncTools(AsyncResource):
    """``/tools``. ``schema`` takes :class:`ToolProperty` items (or dicts) and is encoded for you."""

    async def create(
        self,
        *,
        name: str,
        description: str,
        schema: ToolSchemaInput | None = None,
        func: str | None = None,
        color: str = DEFAULT_TOOL_COLOR,
        icon_src: str | None = None,
        options: RequestOptions | None = None,
    ) -> Tool:
        """``POST /tools``. ``func`` is the JavaScript body run by the tool; it reads each schema
        property as ``$<property>`` and returns a string. ``color`` is any CSS background value."""
        body = _tool_body(
            {
                "name": non_empty("name", name),
                "description": non_empty("description", description),
                "color": non_empty("color", color),
                "iconSrc": icon_src,
                "schema": schema,
                "func": func,
            }
        )
        return await self._client._request(RequestSpec("POST", "tools", json=body), options, cast=Tool)

    @overload
    async def list(
        self, *, page: None = None, limit: None = None, options: RequestOptions | None = None
    ) -> list[Tool]: ...
    @overload
    async def list(self, *, page: int, limit: int, options: RequestOptions | None = None) -> Page[Tool]: ...
    async def list(
        self, *, page: int | None = None, limit: int | None = None, options: RequestOptions | None = None
    ) -> list[Tool] | Page[Tool]:
        """``GET /tools``: every tool of the workspace, most recently updated first, or one page."""
        return await self._list("tools", Tool, page=page, limit=limit, options=options)

    def iter_all(self, *, page_size: int = 100, options: RequestOptions | None = None) -> AsyncIterator[Tool]:
        """Every tool, fetched ``page_size`` at a time."""
        return self._iter_all("tools", Tool, params=None, page_size=page_size, options=options)

    async def get(self, tool_id: str, *, options: RequestOptions | None = None) -> Tool:
        """``GET /tools/{id}``. An unknown id is a wrapped 500 (raised as ``NotFoundError``)."""
        spec = RequestSpec("GET", path("tools/{id}", id=tool_id))
        return await self._client._request(spec, options, cast=Tool)

    async def update(
        self,
        tool_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        schema: ToolSchemaInput | None = None,
        func: str | None = None,
        color: str | None = None,
        icon_src: str | None = None,
        options: RequestOptions | None = None,
    ) -> Tool:
        """``PUT /tools/{id}`` with only the given fields; ``schema`` replaces the whole list."""
        body = _tool_body(
            {
                "name": name,
                "description": description,
                "color": color,
                "iconSrc": icon_src,
                "schema": schema,
                "func": func,
            }
        )
        if not body:
            raise ValueError("nothing to update: give at least one field")
        spec = RequestSpec("PUT", path("tools/{id}", id=tool_id), json=body)
        return await self._client._request(spec, options, cast=Tool)

    async def delete(self, tool_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /tools/{id}``. An unknown id is not an error: ``affected`` is 0."""
        spec = RequestSpec("DELETE", path("tools/{id}", id=tool_id))
        return await self._client._request(spec, options, cast=DeleteResult)
