"""``client.document_stores``: document stores, their one-shot upsert and refresh, and the
``loaders``, ``chunks``, ``vector_store`` and ``components`` sub-resources.

The store's component configs are JSON-string columns in Flowise: they are encoded here on the
way in and decoded by :class:`DocumentStore` on the way out.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

from ..._constants import PREDICTION_TIMEOUT
from ..._core.files import FileInput
from ..._core.pagination import Page
from ..._core.params import check_bool, check_mapping, check_str, compact, file_parts, form_fields
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types._base import encode_json_string
from ...types.chatflows import FlowConfigParam
from ...types.document_stores import (
    ComponentConfig,
    ComponentInput,
    DocumentStore,
    DocumentStoreDeleteResult,
    IndexingResult,
    ToolDescription,
)
from ._base import AsyncResource
from .document_store_parts import (
    AsyncDocumentStoreChunks,
    AsyncDocumentStoreComponents,
    AsyncDocumentStoreLoaders,
    AsyncDocumentStoreVectorStore,
)

if TYPE_CHECKING:
    from .._client import AsyncFlowise

__all__ = ["AsyncDocumentStores"]

_STORE_ROUTE = "document-store/store"


def _component(name: str, value: ComponentInput | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        return ComponentConfig.coerce(value).as_body()
    except TypeError as exc:
        raise TypeError(f"{name}: {exc}") from None


def _store_body(
    *,
    name: str | None,
    description: str | None,
    vector_store_config: ComponentInput | None,
    embedding_config: ComponentInput | None,
    record_manager_config: ComponentInput | None,
) -> dict[str, Any]:
    """camelCase store fields; the component configs become the JSON strings Flowise stores."""
    check_str("description", description)
    configs = {
        "vectorStoreConfig": _component("vector_store_config", vector_store_config),
        "embeddingConfig": _component("embedding_config", embedding_config),
        "recordManagerConfig": _component("record_manager_config", record_manager_config),
    }
    return compact(
        {
            "name": name,
            "description": description,
            **{key: encode_json_string(value) for key, value in configs.items()},
        }
    )


class AsyncDocumentStores(AsyncResource):
    """``/document-store``. Sub-resources: :attr:`loaders`, :attr:`chunks`, :attr:`vector_store`,
    :attr:`components`."""

    def __init__(self, client: AsyncFlowise) -> None:
        super().__init__(client)
        self.loaders = AsyncDocumentStoreLoaders(client)
        self.chunks = AsyncDocumentStoreChunks(client)
        self.vector_store = AsyncDocumentStoreVectorStore(client)
        self.components = AsyncDocumentStoreComponents(client)

    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        vector_store_config: ComponentInput | None = None,
        embedding_config: ComponentInput | None = None,
        record_manager_config: ComponentInput | None = None,
        options: RequestOptions | None = None,
    ) -> DocumentStore:
        """``POST /document-store/store``: a new, empty store (status ``EMPTY``).

        Flowise answers with the raw entity (``loaders``/``where_used`` as JSON strings), which
        :class:`DocumentStore` decodes like any other store.
        """
        check_str("name", name, required=True)
        body = _store_body(
            name=name,
            description=description,
            vector_store_config=vector_store_config,
            embedding_config=embedding_config,
            record_manager_config=record_manager_config,
        )
        spec = RequestSpec("POST", _STORE_ROUTE, json=body)
        return await self._client._request(spec, options, cast=DocumentStore)

    @overload
    async def list(
        self, *, page: None = None, limit: None = None, options: RequestOptions | None = None
    ) -> list[DocumentStore]: ...
    @overload
    async def list(
        self, *, page: int, limit: int, options: RequestOptions | None = None
    ) -> Page[DocumentStore]: ...
    async def list(
        self, *, page: int | None = None, limit: int | None = None, options: RequestOptions | None = None
    ) -> list[DocumentStore] | Page[DocumentStore]:
        """``GET /document-store/store``: every store of the workspace, newest first, or one page.
        In lists ``where_used`` holds bare flow ids."""
        return await self._list(_STORE_ROUTE, DocumentStore, page=page, limit=limit, options=options)

    def iter_all(
        self, *, page_size: int = 100, options: RequestOptions | None = None
    ) -> AsyncIterator[DocumentStore]:
        """Every store, fetched ``page_size`` at a time."""
        return self._iter_all(_STORE_ROUTE, DocumentStore, params=None, page_size=page_size, options=options)

    async def get(self, store_id: str, *, options: RequestOptions | None = None) -> DocumentStore:
        """``GET /document-store/store/{id}``, with ``where_used`` resolved to flow names. Unknown id: 404."""
        spec = RequestSpec("GET", path("document-store/store/{id}", id=store_id))
        return await self._client._request(spec, options, cast=DocumentStore)

    async def update(
        self,
        store_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        vector_store_config: ComponentInput | None = None,
        embedding_config: ComponentInput | None = None,
        record_manager_config: ComponentInput | None = None,
        options: RequestOptions | None = None,
    ) -> DocumentStore:
        """``PUT /document-store/store/{id}`` with only the given fields. Changing a config here does
        not re-embed anything."""
        check_str("name", name, required=name is not None)
        body = _store_body(
            name=name,
            description=description,
            vector_store_config=vector_store_config,
            embedding_config=embedding_config,
            record_manager_config=record_manager_config,
        )
        spec = RequestSpec("PUT", path("document-store/store/{id}", id=store_id), json=body)
        return await self._client._request(spec, options, cast=DocumentStore)

    async def delete(
        self, store_id: str, *, options: RequestOptions | None = None
    ) -> DocumentStoreDeleteResult:
        """``DELETE /document-store/store/{id}``: the store, its chunks, files and upsert history.
        Vectors already in an external vector store are left there (``vector_store.delete`` first)."""
        spec = RequestSpec("DELETE", path("document-store/store/{id}", id=store_id))
        return await self._client._request(spec, options, cast=DocumentStoreDeleteResult)

    async def get_configs(
        self, store_id: str, loader_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowConfigParam]:
        """``GET /document-store/store-configs/{id}/{loaderId}``: the parameters of a loader (by
        instance id) and of the store's components that an upsert can override."""
        route = path("document-store/store-configs/{id}/{loader}", id=store_id, loader=loader_id)
        return await self._client._request(
            RequestSpec("GET", route), options, cast=builtins.list[FlowConfigParam]
        )

    async def upsert(
        self,
        store_id: str,
        *,
        doc_id: str | None = None,
        loader: ComponentInput | None = None,
        splitter: ComponentInput | None = None,
        embedding: ComponentInput | None = None,
        vector_store: ComponentInput | None = None,
        record_manager: ComponentInput | None = None,
        metadata: Mapping[str, Any] | None = None,
        replace_existing: bool | None = None,
        create_new_doc_store: bool | None = None,
        doc_store: Mapping[str, Any] | None = None,
        loader_name: str | None = None,
        files: Sequence[FileInput] | None = None,
        options: RequestOptions | None = None,
    ) -> IndexingResult:
        """``POST /document-store/upsert/{id}``: load, split, embed and upsert in one call. Not
        idempotent: every call adds a loader and its vectors (unless ``replace_existing``).

        Components are :class:`ComponentConfig` or ``{"name", "config"}`` dicts. Without
        ``doc_id``, ``loader``, ``embedding`` and ``vector_store`` are required; with ``doc_id``
        (an existing loader instance) its stored configs are merged with what you pass, and
        ``replace_existing=True`` replaces that loader instead of adding one.
        ``create_new_doc_store=True`` upserts into a new store described by ``doc_store``
        (``{"name", "description"}``). The result's ``doc_id`` names the loader written.

        With ``files`` the request is multipart: each file feeds the loader input for its
        extension (``.txt`` → ``txtFile``, so use ``loader={"name": "textFile"}``; ``.pdf`` →
        ``pdfFile``, ``.csv`` → ``csvFile``, ...), and every other field is sent as a form string.

        Splitter quirk: Flowise ignores ``chunkOverlap: 0`` (LangChain's default of 200 then
        applies, so any ``chunkSize`` of 200 or less fails with "Cannot have chunkOverlap >=
        chunkSize"); always send ``chunkOverlap >= 1``. Needs only a valid key (no permission).
        """
        for name, value in (("doc_id", doc_id), ("loader_name", loader_name)):
            check_str(name, value)
        for name, flag in (
            ("replace_existing", replace_existing),
            ("create_new_doc_store", create_new_doc_store),
        ):
            check_bool(name, flag)
        for name, mapping in (("metadata", metadata), ("doc_store", doc_store)):
            check_mapping(name, mapping)
        if doc_id is None and (loader is None or embedding is None or vector_store is None):
            raise ValueError(
                "without doc_id, loader, embedding and vector_store are all required "
                "(Flowise answers 'not configured' otherwise)"
            )
        fields = compact(
            {
                "docId": doc_id,
                "loader": _component("loader", loader),
                "splitter": _component("splitter", splitter),
                "embedding": _component("embedding", embedding),
                "vectorStore": _component("vector_store", vector_store),
                "recordManager": _component("record_manager", record_manager),
                "metadata": dict(metadata) if metadata is not None else None,
                "replaceExisting": replace_existing,
                "createNewDocStore": create_new_doc_store,
                "docStore": dict(doc_store) if doc_store is not None else None,
                "loaderName": loader_name,
            }
        )
        route = path("document-store/upsert/{id}", id=store_id)
        if files is not None:
            spec = RequestSpec(
                "POST",
                route,
                data=form_fields(fields),
                files=file_parts(files),
                idempotent=False,
                default_timeout=PREDICTION_TIMEOUT,
            )
        else:
            spec = RequestSpec(
                "POST", route, json=fields, idempotent=False, default_timeout=PREDICTION_TIMEOUT
            )
        return await self._client._request(spec, options, cast=IndexingResult)

    async def refresh(
        self,
        store_id: str,
        *,
        items: Sequence[Mapping[str, Any]] | None = None,
        options: RequestOptions | None = None,
    ) -> builtins.list[IndexingResult]:
        """``POST /document-store/refresh/{id}``: re-process and re-upsert every loader of the store,
        or only ``items``, each an upsert body (``{"docId": ..., "loader": {...}, ...}`` as in
        :meth:`upsert`). Not idempotent; needs only a valid key."""
        if items is not None and (
            isinstance(items, (str, bytes, Mapping))
            or not isinstance(items, Sequence)
            or not all(isinstance(item, Mapping) for item in items)
        ):
            raise TypeError("items must be a list of upsert bodies (dicts)")
        body = {"items": [dict(item) for item in items]} if items else {}
        spec = RequestSpec(
            "POST",
            path("document-store/refresh/{id}", id=store_id),
            json=body,
            idempotent=False,
            default_timeout=PREDICTION_TIMEOUT,
        )
        return await self._client._request(spec, options, cast=builtins.list[IndexingResult])

    async def generate_tool_description(
        self,
        store_id: str,
        *,
        chat_model: ComponentInput,
        credential: str | None = None,
        options: RequestOptions | None = None,
    ) -> ToolDescription:
        """``POST /document-store/generate-tool-desc/{id}``: ask ``chat_model`` (a chat model node
        name and its inputs) to describe the store from its first chunks, for a retriever tool."""
        check_str("credential", credential)
        model = ComponentConfig.coerce(chat_model)
        selected = compact({"name": model.name, "inputs": dict(model.config), "credential": credential})
        spec = RequestSpec(
            "POST",
            path("document-store/generate-tool-desc/{id}", id=store_id),
            json={"selectedChatModel": selected},
            idempotent=False,
            default_timeout=PREDICTION_TIMEOUT,
        )
        return await self._client._request(spec, options, cast=ToolDescription)
