"""Responses recorded from a real Flowise 3.1.4 (``tests/fixtures``), as httpx responses.

``scripts/record_fixtures.py`` writes them: ``json/<resource>/<name>.json`` holds one response as
``{"status", "headers", "body"}`` and ``sse/<name>.sse`` the bytes of one streamed prediction.
Ids, dates and secrets in them are normalised placeholders (see ``tests/fixtures/README.md``), so
tests take ids from the recorded bodies rather than spelling them out.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import httpx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@functools.cache
def _load(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((FIXTURES / "json" / f"{name}.json").read_text(encoding="utf-8"))
    return record


def recorded_body(name: str) -> Any:
    """The recorded body of ``json/<name>.json`` (a fresh copy: tests may change it)."""
    return copy.deepcopy(_load(name)["body"])


def recorded(name: str, *, body: Any = None, request: httpx.Request | None = None) -> httpx.Response:
    """The response recorded as ``json/<name>.json``, with its status and headers.

    ``body`` replaces the recorded body (for a variant derived from it). JSON bodies are encoded
    the way Express sends them (compact, UTF-8); text bodies are sent as they were.
    """
    record = _load(name)
    headers = dict(record["headers"])
    content = record["body"] if body is None else body
    is_json = "json" in headers.get("content-type", "") and content != ""
    raw = json.dumps(content, separators=(",", ":"), ensure_ascii=False) if is_json else content
    return httpx.Response(record["status"], headers=headers, content=raw.encode(), request=request)


def recorded_sse_bytes(name: str) -> bytes:
    """The bytes of ``sse/<name>.sse``, exactly as the stream carried them."""
    return (FIXTURES / "sse" / f"{name}.sse").read_bytes()


def recorded_sse(name: str) -> httpx.Response:
    """A 200 ``text/event-stream`` response carrying ``sse/<name>.sse``."""
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=recorded_sse_bytes(name)
    )


def recorded_events(name: str) -> list[dict[str, Any]]:
    """The ``{"event", "data"}`` payloads of ``sse/<name>.sse``, in order."""
    lines = recorded_sse_bytes(name).decode().splitlines()
    return [json.loads(line[len("data:") :]) for line in lines if line.startswith("data:")]
