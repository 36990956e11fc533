"""Argument checks and wire spellings shared by the resources (no I/O).

Bad arguments are rejected before a request is sent. Values are spelled the way Flowise reads
them: request bodies leave unset fields out; multipart fields are strings (objects as JSON, which
the routes ``JSON.parse``, booleans as ``"true"``/``"false"``); dates go out as ISO 8601 for
JavaScript's ``new Date(...)``; some multi-valued filters are a JSON-array string; and boolean
query flags are tested for truthiness, so ``"false"`` would count as true.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, TypeAlias

from .files import FileInput, FilePart, to_file_part

__all__ = [
    "DateInput",
    "check_bool",
    "check_int",
    "check_mapping",
    "check_str",
    "check_strs",
    "compact",
    "file_parts",
    "flag",
    "form_fields",
    "iso_date",
    "json_list",
    "non_empty",
    "repeated",
    "sort_order",
    "string_list",
]

DateInput: TypeAlias = datetime | date | str
"""A date filter: a ``datetime``/``date`` (sent as ISO 8601) or a string Flowise's ``new Date()`` parses.

A naive ``datetime`` is read in the server's local time zone; pass an aware one to be exact.
"""


def non_empty(name: str, value: object) -> str:
    """``value`` if it is a non-blank string, else ``TypeError``/``ValueError``."""
    check_str(name, value, required=True)
    assert isinstance(value, str)
    return value


def iso_date(name: str, value: DateInput | None) -> str | None:
    """A date filter as the string Flowise parses: ISO 8601 for ``datetime``/``date`` values."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return non_empty(name, value)


def string_list(name: str, values: Sequence[str]) -> list[str]:
    """``values`` as a list of strings; a bare string is refused (it would be split into letters)."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list of strings, got {type(values).__name__}")
    if not all(isinstance(value, str) for value in values):
        raise TypeError(f"{name} must contain only strings")
    return list(values)


def json_list(name: str, values: str | Sequence[str] | None) -> str | None:
    """A filter Flowise accepts as one value or a JSON-array string (``chatType``)."""
    if values is None or isinstance(values, str):
        return values
    return json.dumps(string_list(name, values))


def repeated(name: str, values: str | Sequence[str] | None) -> str | list[str] | None:
    """A filter given once or as a repeated query parameter (``feedbackType``, ``credentialName``)."""
    if values is None or isinstance(values, str):
        return values
    return string_list(name, values)


def flag(name: str, value: bool) -> Literal[True] | None:
    """A boolean query flag Flowise tests for truthiness: ``"false"`` would count as true, so
    a false flag is left out instead."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")
    return True if value else None


def check_str(name: str, value: object, *, required: bool = False) -> None:
    """``value`` is a string (non-empty when ``required``) or, when optional, None."""
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise ValueError(f"{name} must be a non-empty string")


def check_strs(**values: object) -> None:
    """Each keyword is an optional string: None or a ``str``."""
    for name, value in values.items():
        check_str(name, value)


def sort_order(name: str, value: object) -> str | None:
    """``"ASC"``, ``"DESC"`` or None. Flowise falls back to its default order for anything else."""
    if value is None:
        return None
    check_str(name, value)
    if value not in ("ASC", "DESC"):
        raise ValueError(f"{name} must be 'ASC' or 'DESC', got {value!r}")
    return str(value)


def check_bool(name: str, value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{name} must be a bool, got {type(value).__name__}")


def check_int(name: str, value: object, *, minimum: int) -> None:
    """``value`` is None or an int (not a bool) of at least ``minimum``."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")


def check_mapping(name: str, value: object) -> None:
    if value is not None and not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, got {type(value).__name__}")


def compact(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` without the unset (None) ones."""
    return {key: value for key, value in fields.items() if value is not None}


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def form_fields(fields: Mapping[str, Any]) -> dict[str, str]:
    """Every set field as a form string; unset (None) fields are left out."""
    return {key: _form_value(value) for key, value in fields.items() if value is not None}


def file_parts(files: Sequence[FileInput]) -> list[FilePart]:
    """The multipart ``files`` parts, each with its MIME type; an empty list is refused."""
    if isinstance(files, (str, bytes)) or not isinstance(files, Sequence):
        raise TypeError("files must be a list of paths or (filename, content[, mime_type]) tuples")
    if not files:
        raise ValueError("files must not be empty")
    return [to_file_part(item) for item in files]
