"""Request-body helpers shared by resource modules: argument checks, camelCase bodies without
unset fields, and multipart form fields and file parts.

Flowise parses multipart bodies with multer, so every form field arrives as a string: objects are
sent as JSON (the routes ``JSON.parse`` them) and booleans as ``"true"``/``"false"``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..._core.files import FileInput, FilePart, to_file_part

__all__ = ["check_bool", "check_int", "check_mapping", "check_str", "compact", "file_parts", "form_fields"]


def check_str(name: str, value: object, *, required: bool = False) -> None:
    """``value`` is a string (non-empty when ``required``) or, when optional, None."""
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise ValueError(f"{name} must be a non-empty string")


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
