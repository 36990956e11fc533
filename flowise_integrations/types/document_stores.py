"""Document store models (``/document-store/...``) and the indexing result shared with ``/vector/upsert``.

Flowise answers some routes with its DTO (``loaders``, ``whereUsed`` and the component configs
already parsed) and others with the raw entity (the same columns as JSON strings, e.g. the
create response). The models accept both forms.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field, PlainSerializer
from pydantic_core import to_jsonable_python

from ._base import FlowiseModel, JsonString, decode_json_string, encode_json_string
from .predictions import SourceDocument

__all__ = [
    "Chunk",
    "ChunkPage",
    "ComponentConfig",
    "ComponentInput",
    "DocumentStore",
    "DocumentStoreDeleteResult",
    "DocumentStoreLoader",
    "DocumentStoreUsage",
    "IndexingResult",
    "LoaderFile",
    "PreviewResult",
    "QueryDocument",
    "QueryResult",
    "ToolDescription",
]


_T = TypeVar("_T")


def _encode_models(value: Any) -> Any:
    return encode_json_string(to_jsonable_python(value, by_alias=True, exclude_none=True))


_JsonModels = Annotated[
    _T,
    BeforeValidator(decode_json_string),
    PlainSerializer(_encode_models, when_used="json"),
]
"""Like :data:`JsonString`, for columns that decode into models (re-encoded with camelCase keys)."""


class ComponentConfig(FlowiseModel):
    """A component: its node name plus its inputs, e.g. ``{"name": "plainText", "config": {"text": "..."}}``.

    Used for loaders, splitters, embeddings, vector stores and record managers.
    """

    name: str = Field(min_length=1)
    config: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def coerce(cls, value: ComponentInput) -> ComponentConfig:
        """A :class:`ComponentConfig` from itself or a ``{"name", "config"}`` mapping."""
        if isinstance(value, ComponentConfig):
            return value
        if isinstance(value, Mapping):
            return cls.model_validate(dict(value))
        raise TypeError(
            f"a component is a ComponentConfig or a {{'name', 'config'}} dict, got {type(value).__name__}"
        )

    def as_body(self) -> dict[str, Any]:
        """``{"name", "config"}`` as Flowise expects it, ``config`` always present."""
        return {"name": self.name, "config": dict(self.config)}


ComponentInput = ComponentConfig | Mapping[str, Any]
"""A :class:`ComponentConfig` or the equivalent ``{"name": ..., "config": {...}}`` dict."""


class LoaderFile(FlowiseModel):
    """A file stored for a loader."""

    id: str | None = None
    name: str | None = None
    mime_prefix: str | None = None
    size: int | None = None
    status: str | None = None
    uploaded: datetime | None = None


class DocumentStoreLoader(FlowiseModel):
    """A loader configured in a store. ``id`` is the loader *instance* id (Flowise's ``docId``),
    ``loader_id`` the component name (``"plainText"``)."""

    id: str | None = None
    loader_id: str | None = None
    loader_name: str | None = None
    loader_config: dict[str, Any] | None = None
    splitter_id: str | None = None
    splitter_name: str | None = None
    splitter_config: dict[str, Any] | None = None
    total_chunks: int | None = None
    total_chars: int | None = None
    status: str | None = None
    store_id: str | None = None
    files: list[LoaderFile] | None = None
    source: str | None = None
    credential: str | None = None


class DocumentStoreUsage(FlowiseModel):
    """A flow that uses the store (``GET /document-store/store/{id}`` resolves names)."""

    id: str
    name: str | None = None


class DocumentStore(FlowiseModel):
    """A document store. ``status`` is one of ``EMPTY, SYNC, SYNCING, STALE, NEW, UPSERTING, UPSERTED``.

    ``where_used`` holds :class:`DocumentStoreUsage` items on a single-store read and bare flow ids
    in lists and raw entities.
    """

    id: str
    name: str
    description: str | None = None
    status: str | None = None
    loaders: _JsonModels[list[DocumentStoreLoader]] = Field(default_factory=list)
    where_used: _JsonModels[list[DocumentStoreUsage | str]] = Field(default_factory=list)
    vector_store_config: _JsonModels[ComponentConfig] | None = None
    embedding_config: _JsonModels[ComponentConfig] | None = None
    record_manager_config: _JsonModels[ComponentConfig] | None = None
    total_chunks: int | None = None
    total_chars: int | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None


class DocumentStoreDeleteResult(FlowiseModel):
    """``DELETE /document-store/store/{id}``: how many stores were deleted."""

    deleted: int | None = None


class Chunk(FlowiseModel):
    """A stored chunk; ``metadata`` is decoded from the JSON string Flowise stores."""

    id: str
    doc_id: str | None = None
    store_id: str | None = None
    chunk_no: int | None = None
    page_content: str = ""
    metadata: JsonString[dict[str, Any]] | None = None


class ChunkPage(FlowiseModel):
    """One page (50 chunks) of a loader's chunks, or of the whole store's (``file_id="all"``)."""

    chunks: list[Chunk] = Field(default_factory=list)
    count: int = 0
    characters: int | None = None
    file: DocumentStoreLoader | None = None
    current_page: int | None = None
    store_name: str | None = None
    description: str | None = None
    doc_id: str | None = None
    workspace_id: str | None = None


class PreviewResult(FlowiseModel):
    """``POST /document-store/loader/preview``: the first chunks and how many there would be."""

    chunks: list[SourceDocument] = Field(default_factory=list)
    total_chunks: int = 0
    preview_chunk_count: int | None = None


class IndexingResult(FlowiseModel):
    """What an upsert did. Record-manager counters are present only with a record manager.

    ``doc_id`` is the loader instance written by a document-store upsert; ``result`` is set
    instead of the counters when Flowise only answers ``{"result": "Successfully Upserted"}``.
    """

    num_added: int | None = None
    num_deleted: int | None = None
    num_updated: int | None = None
    num_skipped: int | None = None
    total_keys: int | None = None
    added_docs: list[SourceDocument] = Field(default_factory=list)
    doc_id: str | None = None
    result: str | None = None


class QueryDocument(FlowiseModel):
    """A retrieved chunk. ``chunk_no`` is -1 when Flowise cannot match it to a stored chunk."""

    page_content: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
    id: str | None = None
    chunk_no: int | None = None


class QueryResult(FlowiseModel):
    """``POST /document-store/vectorstore/query``: retrieved chunks (no scores) and the time taken in ms."""

    time_taken: float | None = None
    docs: list[QueryDocument] = Field(default_factory=list)


class ToolDescription(FlowiseModel):
    """``POST /document-store/generate-tool-desc/{id}``: a generated description for a retriever tool."""

    content: str = ""
