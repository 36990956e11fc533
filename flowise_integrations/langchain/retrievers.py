"""``FlowiseRetriever``: a Flowise document store's vector search as a LangChain retriever."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field
from typing_extensions import override

from ._connection import FlowiseConnection
from ._convert import query_document_to_document

__all__ = ["FlowiseRetriever"]


class FlowiseRetriever(FlowiseConnection, BaseRetriever):
    """Queries a document store's vector store (``POST /document-store/vectorstore/query``).

    Each chunk becomes a ``Document`` whose ``id`` is the chunk id and whose metadata holds the
    chunk's own metadata (as the loader stored it) plus ``chunk_id``, ``chunk_no``, ``doc_id``
    (the loader), ``store_id`` and ``source``. ``k`` is the number of chunks, as a field or per
    call (``retriever.invoke(query, k=2)``); unset, the store's configured ``topK`` applies.
    Flowise returns no scores.

    Example:
        .. code-block:: python

            from flowise_integrations.langchain import FlowiseRetriever

            retriever = FlowiseRetriever(store_id="...", k=3)
            retriever.invoke("Why is the sky blue?")
    """

    store_id: str
    """The document store to query (its id)."""

    k: int | None = Field(default=None, ge=1)
    """How many chunks to return; ``None`` uses the store's configured ``topK``."""

    inputs: dict[str, Any] | None = None
    """Vector store settings overriding the stored ones for each query (Flowise ``inputs``)."""

    def _top_k(self, kwargs: dict[str, Any]) -> int | None:
        unknown = set(kwargs) - {"k"}
        if unknown:
            raise TypeError(f"unexpected keyword argument(s) {sorted(unknown)}; FlowiseRetriever takes k")
        k = kwargs.get("k", self.k)
        return None if k is None else int(k)

    @override
    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        result = self._client.document_stores.vector_store.query(
            self.store_id, query, top_k=self._top_k(kwargs), inputs=self.inputs
        )
        return [query_document_to_document(doc, self.store_id) for doc in result.docs]

    @override
    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        result = await self._async_client.document_stores.vector_store.query(
            self.store_id, query, top_k=self._top_k(kwargs), inputs=self.inputs
        )
        return [query_document_to_document(doc, self.store_id) for doc in result.docs]
