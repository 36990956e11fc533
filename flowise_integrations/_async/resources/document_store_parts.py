"""The sub-resources of ``client.document_stores``: loaders, chunks, the vector store and the
component catalogue.

Components (loaders, splitters) are given as :class:`ComponentConfig` or ``{"name", "config"}``
dicts, where ``name`` is the node name (``"plainText"``, ``"recursiveCharacterTextSplitter"``).
Loader *instance* ids (``DocumentStoreLoader.id``, Flowise's ``docId``) are distinct from these
component names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic.alias_generators import to_camel

from ..._constants import PREDICTION_TIMEOUT
from ..._core.params import check_int, check_mapping, check_str, compact
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.document_stores import (
    ChunkPage,
    ComponentConfig,
    ComponentInput,
    DocumentStore,
    DocumentStoreLoader,
    IndexingResult,
    PreviewResult,
    QueryResult,
)
from ...types.nodes import Node
from ._base import AsyncResource

__all__ = [
    "AsyncDocumentStoreChunks",
    "AsyncDocumentStoreComponents",
    "AsyncDocumentStoreLoaders",
    "AsyncDocumentStoreVectorStore",
]


def _loader_body(
    *,
    store_id: str | None,
    loader_instance_id: str | None,
    loader: ComponentInput,
    splitter: ComponentInput | None,
    loader_name: str | None,
    splitter_name: str | None,
    credential: str | None,
) -> dict[str, Any]:
    """The loader fields shared by preview, save and process. Labels default to the component
    names: Flowise later refuses to upsert a loader saved without a ``loaderName``."""
    for name, value in (
        ("store_id", store_id),
        ("loader_instance_id", loader_instance_id),
        ("loader_name", loader_name),
        ("splitter_name", splitter_name),
        ("credential", credential),
    ):
        check_str(name, value)
    loader_c = ComponentConfig.coerce(loader)
    splitter_c = ComponentConfig.coerce(splitter) if splitter is not None else None
    body = {
        "storeId": store_id,
        "id": loader_instance_id,
        "loaderId": loader_c.name,
        "loaderName": loader_name or loader_c.name,
        "loaderConfig": dict(loader_c.config),
        "credential": credential,
    }
    if splitter_c is not None:
        body.update(
            splitterId=splitter_c.name,
            splitterName=splitter_name or splitter_c.name,
            splitterConfig=dict(splitter_c.config),
        )
    return compact(body)


class AsyncDocumentStoreLoaders(AsyncResource):
    """``/document-store/loader``: the step-wise flow of the UI: :meth:`preview`, :meth:`save`,
    :meth:`process`, then ``vector_store.insert``.

    Flowise applies a splitter only when its config is non-empty, and ignores ``chunkOverlap: 0``
    (LangChain's default of 200 applies, so a ``chunkSize`` of 200 or less then fails): send
    ``chunkOverlap >= 1``.
    """

    async def preview(
        self,
        *,
        loader: ComponentInput,
        splitter: ComponentInput | None = None,
        store_id: str | None = None,
        loader_instance_id: str | None = None,
        preview_chunk_count: int | None = None,
        loader_name: str | None = None,
        splitter_name: str | None = None,
        credential: str | None = None,
        options: RequestOptions | None = None,
    ) -> PreviewResult:
        """``POST /document-store/loader/preview``: split without storing anything (safe to retry).

        ``preview_chunk_count`` caps the chunks returned (-1 or omitted: all); ``total_chunks`` is
        the full count. ``loader_instance_id`` lets Flowise read the files an existing loader stored.
        """
        check_int("preview_chunk_count", preview_chunk_count, minimum=-1)
        body = _loader_body(
            store_id=store_id,
            loader_instance_id=loader_instance_id,
            loader=loader,
            splitter=splitter,
            loader_name=loader_name,
            splitter_name=splitter_name,
            credential=credential,
        )
        body.update(compact({"previewChunkCount": preview_chunk_count}))
        spec = RequestSpec(
            "POST",
            "document-store/loader/preview",
            json=body,
            idempotent=True,
            default_timeout=PREDICTION_TIMEOUT,
        )
        return await self._client._request(spec, options, cast=PreviewResult)

    async def save(
        self,
        store_id: str,
        *,
        loader: ComponentInput,
        splitter: ComponentInput | None = None,
        loader_instance_id: str | None = None,
        loader_name: str | None = None,
        splitter_name: str | None = None,
        credential: str | None = None,
        options: RequestOptions | None = None,
    ) -> DocumentStoreLoader:
        """``POST /document-store/loader/save``: add a loader to the store (or replace the one
        ``loader_instance_id`` names). It is saved with status ``SYNCING`` and no chunks: pass its
        ``id`` to :meth:`process`."""
        check_str("store_id", store_id, required=True)
        body = _loader_body(
            store_id=store_id,
            loader_instance_id=loader_instance_id,
            loader=loader,
            splitter=splitter,
            loader_name=loader_name,
            splitter_name=splitter_name,
            credential=credential,
        )
        spec = RequestSpec("POST", "document-store/loader/save", json=body, idempotent=False)
        return await self._client._request(spec, options, cast=DocumentStoreLoader)

    async def process(
        self,
        loader_instance_id: str,
        *,
        store_id: str,
        loader: ComponentInput,
        splitter: ComponentInput | None = None,
        loader_name: str | None = None,
        splitter_name: str | None = None,
        credential: str | None = None,
        options: RequestOptions | None = None,
    ) -> ChunkPage:
        """``POST /document-store/loader/process/{loaderId}``: load and split into stored chunks,
        replacing the loader's previous ones; returns the first page of chunks.

        The path id is the loader *instance* id returned by :meth:`save`; ``loader`` is the
        component (sent as the body's ``loaderId``). Nothing is embedded yet: call
        ``vector_store.insert`` next.
        """
        check_str("store_id", store_id, required=True)
        body = _loader_body(
            store_id=store_id,
            loader_instance_id=loader_instance_id,
            loader=loader,
            splitter=splitter,
            loader_name=loader_name,
            splitter_name=splitter_name,
            credential=credential,
        )
        spec = RequestSpec(
            "POST",
            path("document-store/loader/process/{id}", id=loader_instance_id),
            json=body,
            idempotent=False,
            default_timeout=PREDICTION_TIMEOUT,
        )
        return await self._client._request(spec, options, cast=ChunkPage)

    async def delete(
        self, store_id: str, loader_id: str, *, options: RequestOptions | None = None
    ) -> DocumentStore:
        """``DELETE /document-store/loader/{id}/{loaderId}``: remove a loader (by instance id), its
        chunks and files; returns the store. Its vectors stay: ``vector_store.delete(store_id,
        doc_id=loader_id)`` first to remove them."""
        spec = RequestSpec(
            "DELETE", path("document-store/loader/{id}/{loader}", id=store_id, loader=loader_id)
        )
        return await self._client._request(spec, options, cast=DocumentStore)


def _chunk_path(store_id: str, loader_id: str, chunk_id: str) -> str:
    return path(
        "document-store/chunks/{store}/{loader}/{chunk}", store=store_id, loader=loader_id, chunk=chunk_id
    )


class AsyncDocumentStoreChunks(AsyncResource):
    """``/document-store/chunks``: the stored chunks, 50 per page. Editing or deleting a chunk does
    not touch the vector store; insert again to apply the change there."""

    async def list(
        self, store_id: str, file_id: str, *, page_no: int = 1, options: RequestOptions | None = None
    ) -> ChunkPage:
        """``GET /document-store/chunks/{storeId}/{fileId}/{pageNo}``: page ``page_no`` (50 chunks)
        of one loader (``file_id`` = its instance id) or of the whole store (``file_id="all"``);
        ``count`` is the total."""
        check_int("page_no", page_no, minimum=1)
        route = path(
            "document-store/chunks/{store}/{file}/{page}", store=store_id, file=file_id, page=str(page_no)
        )
        return await self._client._request(RequestSpec("GET", route), options, cast=ChunkPage)

    async def update(
        self,
        store_id: str,
        loader_id: str,
        chunk_id: str,
        *,
        page_content: str,
        metadata: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> ChunkPage:
        """``PUT /document-store/chunks/{storeId}/{loaderId}/{chunkId}``: replace a chunk's text (and
        metadata when given); returns the loader's first page."""
        check_str("page_content", page_content, required=True)
        check_mapping("metadata", metadata)
        body = compact(
            {"pageContent": page_content, "metadata": dict(metadata) if metadata is not None else None}
        )
        spec = RequestSpec("PUT", _chunk_path(store_id, loader_id, chunk_id), json=body)
        return await self._client._request(spec, options, cast=ChunkPage)

    async def delete(
        self, store_id: str, loader_id: str, chunk_id: str, *, options: RequestOptions | None = None
    ) -> ChunkPage:
        """``DELETE /document-store/chunks/{storeId}/{loaderId}/{chunkId}``; returns the loader's
        first page."""
        spec = RequestSpec("DELETE", _chunk_path(store_id, loader_id, chunk_id))
        return await self._client._request(spec, options, cast=ChunkPage)


def _config_pairs(**pairs: tuple[str | None, Mapping[str, Any] | None]) -> dict[str, Any]:
    """``{"<kind>Name", "<kind>Config"}`` for each given component; a name without a config gets ``{}``."""
    body: dict[str, Any] = {}
    for kind, (name, config) in pairs.items():
        check_str(f"{kind}_name", name)
        check_mapping(f"{kind}_config", config)
        if name is None and config is not None:
            raise ValueError(f"{kind}_config needs {kind}_name")
        if name is not None:
            body[f"{to_camel(kind)}Name"] = name
            body[f"{to_camel(kind)}Config"] = dict(config or {})
    return body


class AsyncDocumentStoreVectorStore(AsyncResource):
    """``/document-store/vectorstore``: the store's embedding, vector store and record manager, and
    the vectors themselves. Components are given by node name (``"chroma"``) plus their inputs."""

    async def query(
        self,
        store_id: str,
        query: str,
        *,
        top_k: int | None = None,
        inputs: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> QueryResult:
        """``POST /document-store/vectorstore/query``: retrieve chunks (read-only, safe to retry).

        ``top_k`` is sent as ``inputs.topK`` (Flowise ignores a top-level ``k``) and the answer is
        cut to ``top_k`` here, since Flowise may return more. ``inputs`` override the stored vector
        store config for this query. There are no scores; ``chunk_no`` is -1 for a chunk Flowise
        cannot match to a stored one.
        """
        check_str("store_id", store_id, required=True)
        check_str("query", query, required=True)
        check_int("top_k", top_k, minimum=1)
        check_mapping("inputs", inputs)
        merged = {**(inputs or {}), **compact({"topK": top_k})}
        body = compact({"storeId": store_id, "query": query, "inputs": merged or None})
        spec = RequestSpec("POST", "document-store/vectorstore/query", json=body, idempotent=True)
        result = await self._client._request(spec, options, cast=QueryResult)
        if top_k is not None and len(result.docs) > top_k:
            result = result.model_copy(update={"docs": result.docs[:top_k]})
        return result

    async def insert(
        self,
        store_id: str,
        *,
        embedding_name: str,
        embedding_config: Mapping[str, Any],
        vector_store_name: str,
        vector_store_config: Mapping[str, Any],
        record_manager_name: str | None = None,
        record_manager_config: Mapping[str, Any] | None = None,
        doc_id: str | None = None,
        options: RequestOptions | None = None,
    ) -> IndexingResult:
        """``POST /document-store/vectorstore/insert``: save the configs, then embed and upsert the
        stored chunks (of one loader with ``doc_id``, else all). Not idempotent.

        A record manager not given is taken from the stored config. A failed insert leaves the
        store ``UPSERTING`` with the new configs saved.
        """
        check_str("store_id", store_id, required=True)
        check_str("embedding_name", embedding_name, required=True)
        check_str("vector_store_name", vector_store_name, required=True)
        check_str("doc_id", doc_id)
        body = {
            "storeId": store_id,
            **_config_pairs(
                embedding=(embedding_name, embedding_config),
                vector_store=(vector_store_name, vector_store_config),
                record_manager=(record_manager_name, record_manager_config),
            ),
            **compact({"docId": doc_id}),
        }
        spec = RequestSpec(
            "POST",
            "document-store/vectorstore/insert",
            json=body,
            idempotent=False,
            default_timeout=PREDICTION_TIMEOUT,
        )
        return await self._client._request(spec, options, cast=IndexingResult)

    async def save(
        self,
        store_id: str,
        *,
        embedding_name: str | None = None,
        embedding_config: Mapping[str, Any] | None = None,
        vector_store_name: str | None = None,
        vector_store_config: Mapping[str, Any] | None = None,
        record_manager_name: str | None = None,
        record_manager_config: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> DocumentStore:
        """``POST /document-store/vectorstore/save``: store the configs without embedding anything.

        This replaces all three: a component not given is cleared from the store.
        """
        check_str("store_id", store_id, required=True)
        body = {
            "storeId": store_id,
            **_config_pairs(
                embedding=(embedding_name, embedding_config),
                vector_store=(vector_store_name, vector_store_config),
                record_manager=(record_manager_name, record_manager_config),
            ),
        }
        spec = RequestSpec("POST", "document-store/vectorstore/save", json=body, idempotent=False)
        return await self._client._request(spec, options, cast=DocumentStore)

    async def update_config(
        self,
        store_id: str,
        *,
        vector_store_name: str,
        vector_store_config: Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> DocumentStore:
        """``POST /document-store/vectorstore/update``: replace only the vector store config."""
        check_str("store_id", store_id, required=True)
        check_str("vector_store_name", vector_store_name, required=True)
        body = {"storeId": store_id, **_config_pairs(vector_store=(vector_store_name, vector_store_config))}
        spec = RequestSpec("POST", "document-store/vectorstore/update", json=body, idempotent=False)
        return await self._client._request(spec, options, cast=DocumentStore)

    async def delete(
        self, store_id: str, *, doc_id: str | None = None, options: RequestOptions | None = None
    ) -> None:
        """``DELETE /document-store/vectorstore/{storeId}?docId=``: delete the store's vectors (one
        loader's with ``doc_id``). Flowise deletes through the record manager, so the store needs
        one configured; otherwise it answers a 500."""
        check_str("doc_id", doc_id)
        spec = RequestSpec(
            "DELETE",
            path("document-store/vectorstore/{id}", id=store_id),
            params={"docId": doc_id},
            kind="none",
        )
        await self._client._request(spec, options)


class AsyncDocumentStoreComponents(AsyncResource):
    """``/document-store/components``: the nodes a document store can use."""

    async def loaders(self, *, options: RequestOptions | None = None) -> list[Node]:
        """``GET /document-store/components/loaders`` (needs ``documentStores:add-loader``)."""
        return await self._nodes("loaders", options)

    async def embeddings(self, *, options: RequestOptions | None = None) -> list[Node]:
        """``GET /document-store/components/embeddings`` (needs ``documentStores:upsert-config``)."""
        return await self._nodes("embeddings", options)

    async def vector_stores(self, *, options: RequestOptions | None = None) -> list[Node]:
        """``GET /document-store/components/vectorstore``: providers a store can use (the in-memory
        store is not one of them)."""
        return await self._nodes("vectorstore", options)

    async def record_managers(self, *, options: RequestOptions | None = None) -> list[Node]:
        """``GET /document-store/components/recordmanager``."""
        return await self._nodes("recordmanager", options)

    async def _nodes(self, kind: str, options: RequestOptions | None) -> list[Node]:
        spec = RequestSpec("GET", f"document-store/components/{kind}")
        return await self._client._request(spec, options, cast=list[Node])
