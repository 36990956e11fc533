"""Pydantic models for tool arguments, from the flat JSON schemas ``_toolkit`` builds.

One implementation for every adapter (LangChain tools, LlamaIndex tools, the MCP server), so a
tool's arguments are checked, coerced and named the same way wherever it runs.
"""

from __future__ import annotations

import keyword
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

__all__ = ["args_model", "wire_args"]

_JSON_TYPES: dict[str, type] = {"string": str, "number": float, "integer": int, "boolean": bool}
_BOUNDS = {"minimum": "ge", "maximum": "le", "minLength": "min_length", "maxLength": "max_length"}


def _field_name(raw: str, taken: set[str]) -> str:
    """``raw`` if it can be a pydantic field name, else a safe variant (the alias keeps ``raw``)."""
    candidate = raw
    if not raw.isidentifier() or keyword.iskeyword(raw) or raw.startswith("_") or hasattr(BaseModel, raw):
        candidate = "field_" + "".join(ch if ch.isalnum() else "_" for ch in raw)
    while candidate in taken:
        candidate += "_"
    taken.add(candidate)
    return candidate


def args_model(
    name: str, schema: Mapping[str, Any], *, extra: Literal["ignore", "forbid"] = "ignore"
) -> type[BaseModel]:
    """A pydantic model for a flat JSON object schema.

    Property types map to ``str``/``float``/``int``/``bool``, ``enum`` to a ``Literal``;
    descriptions, ``format`` and bounds (``minimum``, ``maximum``, ``minLength``, ``maxLength``)
    are kept; properties not ``required`` default to ``None``. Names
    that cannot be field names (``"schema"``, ``"my-flag"``) keep their JSON name as the alias,
    so the model's JSON schema is the one it was built from. ``extra="forbid"`` rejects arguments
    the schema does not name instead of dropping them.
    """
    properties: Mapping[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or ())
    taken: set[str] = set()
    fields: dict[str, Any] = {}
    for prop, spec in properties.items():
        spec = spec if isinstance(spec, Mapping) else {}
        annotation: Any = _JSON_TYPES.get(str(spec.get("type", "string")), str)
        if spec.get("enum"):
            annotation = Literal[tuple(spec["enum"])]
        extra_schema = {"format": spec["format"]} if spec.get("format") else None
        field_name = _field_name(prop, taken)
        alias = prop if field_name != prop else None
        described: dict[str, Any] = {"description": spec.get("description"), "alias": alias}
        described |= {bound: spec[key] for key, bound in _BOUNDS.items() if key in spec}
        if prop in required:
            fields[field_name] = (annotation, Field(..., json_schema_extra=extra_schema, **described))
        else:
            fields[field_name] = (annotation | None, Field(None, json_schema_extra=extra_schema, **described))
    config = ConfigDict(populate_by_name=True, extra=extra)
    model: type[BaseModel] = create_model(name, __config__=config, **fields)
    return model


def wire_args(model: type[BaseModel] | None, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Parsed arguments (by field name) under their schema names, without the unset (``None``) ones."""
    fields = model.model_fields if model is not None else {}
    return {
        (fields[key].alias or key) if key in fields else key: value
        for key, value in kwargs.items()
        if value is not None
    }
