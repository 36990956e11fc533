"""Document stores as MCP search tools: their names, schema and results; no I/O.

A store whose chunks are in a vector store becomes ``search_<store name>``, taking a query and an
optional number of chunks, and answering with the chunks it retrieved (text for the model, and
the chunks with their metadata as structured content).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from typing import Any

import mcp.types as types

from .._toolkit import safe_tool_name
from ..types import DocumentStore, QueryResult

__all__ = ["MAX_CHUNKS", "StoreSearch", "search_result", "store_searches"]

MAX_CHUNKS = 20

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "query": {"type": "string", "description": "What to look for, in words."},
        "top_k": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_CHUNKS,
            "description": "How many chunks to return (the store's own setting when left out).",
        },
    },
    "required": ["query"],
}


@dataclasses.dataclass(frozen=True)
class StoreSearch:
    """One document store served as a search tool."""

    id: str
    name: str
    store_name: str
    description: str
    parameters: dict[str, Any] = dataclasses.field(default_factory=lambda: dict(_SCHEMA))

    def tool(self) -> types.Tool:
        return types.Tool(
            name=self.name,
            title=f"Search {self.store_name}",
            description=self.description,
            input_schema=self.parameters,
            annotations=types.ToolAnnotations(
                title=f"Search {self.store_name}", read_only_hint=True, open_world_hint=False
            ),
        )


def store_searches(stores: Iterable[DocumentStore], *, taken: Collection[str]) -> list[StoreSearch]:
    """A search tool per store, named ``search_<name>``; a name already taken gets an id suffix."""
    searches: list[StoreSearch] = []
    used = set(taken)
    for store in sorted(stores, key=lambda s: (s.name, s.id)):
        name = safe_tool_name(f"search_{store.name}")
        if name in used:
            name = safe_tool_name(f"search_{store.name}", suffix=store.id.replace("-", "")[:6])
        used.add(name)
        about = f" It holds: {store.description}." if store.description else ""
        description = (
            f"Searches the Flowise document store '{store.name}' and returns matching chunks.{about}"
        )
        searches.append(StoreSearch(id=store.id, name=name, store_name=store.name, description=description))
    return searches


def search_result(result: QueryResult) -> types.CallToolResult:
    """The chunks retrieved, numbered with their source, and as structured content."""
    docs = [{"id": doc.id, "page_content": doc.page_content, "metadata": doc.metadata} for doc in result.docs]
    lines = [
        f"[{n}] {doc.metadata.get('source') or doc.id or 'chunk'}: {doc.page_content}"
        for n, doc in enumerate(result.docs, start=1)
    ]
    return types.CallToolResult(
        content=[types.TextContent(text="\n\n".join(lines) or "No chunks matched.")],
        structured_content={"docs": docs, "time_taken_ms": result.time_taken},
    )
