"""Argument checks and query-value spellings shared by several resources.

Flowise reads dates with JavaScript's ``new Date(...)``, takes some multi-valued filters as a
JSON-array string, and treats any non-empty string as true for its boolean flags. These helpers
spell values the way the server reads them and reject bad arguments before a request is sent.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, TypeAlias

__all__ = ["DateInput", "flag", "iso_date", "json_list", "non_empty", "repeated", "string_list"]

DateInput: TypeAlias = datetime | date | str
"""A date filter: a ``datetime``/``date`` (sent as ISO 8601) or a string Flowise's ``new Date()`` parses.

A naive ``datetime`` is read in the server's local time zone; pass an aware one to be exact.
"""


def non_empty(name: str, value: object) -> str:
    """``value`` if it is a non-blank string, else ``TypeError``/``ValueError``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
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
