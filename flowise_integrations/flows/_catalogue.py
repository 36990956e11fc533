"""``Catalogue``: the node definitions of one Flowise server, live or from a saved snapshot.

Each Flowise server has its own components (versions, inputs, options, anchors); a flow is valid
only against the server it will run on. The catalogue is what ``GET /nodes`` returned, kept as
the JSON Flowise sent, so a snapshot saved from one server validates offline (in CI, say) exactly
as the server would have been asked.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._exceptions import FlowiseError

if TYPE_CHECKING:
    from .._async._client import AsyncFlowise
    from .._sync._client import Flowise

__all__ = ["Catalogue", "UnknownNodeError"]


class UnknownNodeError(FlowiseError, KeyError):
    """A node name the catalogue does not have; the message suggests the closest names."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        close = difflib.get_close_matches(name, list(known), n=3)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        super().__init__(f"Flowise has no node named {name!r}{hint}")
        self.name = name

    def __str__(self) -> str:
        return str(self.args[0])


class Catalogue(Mapping[str, dict[str, Any]]):
    """Node definitions by name (``"chatOpenAI"``, ``"startAgentflow"``), as ``GET /nodes`` sent them."""

    def __init__(self, definitions: Iterable[Mapping[str, Any]], *, version: str | None = None) -> None:
        self._definitions = {str(d["name"]): dict(d) for d in definitions}
        self.version = version
        """The Flowise version the definitions came from, when known."""

    @classmethod
    def from_client(cls, client: Flowise) -> Catalogue:
        """Every node definition of the server ``client`` talks to (one ``GET /nodes``)."""
        return cls((node.to_wire() for node in client.nodes.list()), version=client.version())

    @classmethod
    async def afrom_client(cls, client: AsyncFlowise) -> Catalogue:
        """:meth:`from_client` on the async client."""
        nodes = await client.nodes.list()
        return cls((node.to_wire() for node in nodes), version=await client.version())

    @classmethod
    def load(cls, path: str | Path) -> Catalogue:
        """A snapshot written by :meth:`save`."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["nodes"], version=data.get("version"))

    def save(self, path: str | Path) -> None:
        """Write the definitions to ``path`` as JSON, to validate against later without the server."""
        snapshot = {"version": self.version, "nodes": list(self._definitions.values())}
        Path(path).write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    def __getitem__(self, name: str) -> dict[str, Any]:
        try:
            return self._definitions[name]
        except KeyError:
            raise UnknownNodeError(name, self._definitions) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._definitions)

    def __len__(self) -> int:
        return len(self._definitions)

    def __repr__(self) -> str:
        return f"Catalogue({len(self)} nodes, version={self.version!r})"
