"""``FlowiseRetriever``: a Flowise document store as a LlamaIndex retriever."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import SecretStr

from .._async._client import AsyncFlowise
from .._sync._client import Flowise
from ._connection import FlowiseConnection, Timeout
from ._convert import query_nodes

__all__ = ["FlowiseRetriever"]

DEFAULT_SIMILARITY_TOP_K = 4


class FlowiseRetriever(BaseRetriever):
    """Retrieves chunks from a Flowise document store (``POST /document-store/vectorstore/query``).

    Each result is a ``TextNode`` whose id is the stored chunk's id and whose metadata is the
    chunk's metadata unchanged (``source``, ``docId``, ``loc``, ...), in Flowise's ranking order.
    Flowise returns no similarity scores, so every ``NodeWithScore.score`` is ``None``; rank by
    position. ``similarity_top_k`` is sent as the query's ``topK`` and the answer is cut to it.
    ``vector_store_inputs`` override the store's vector-store configuration for the query.
    ``aretrieve`` uses the async client.

    Example::

        retriever = FlowiseRetriever("<store-id>", similarity_top_k=2)
        for hit in retriever.retrieve("Why is the sky blue?"):
            print(hit.node.metadata.get("source"), hit.node.get_content())
    """

    def __init__(
        self,
        store_id: str,
        *,
        similarity_top_k: int = DEFAULT_SIMILARITY_TOP_K,
        vector_store_inputs: dict[str, Any] | None = None,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
    ) -> None:
        if not store_id:
            raise ValueError("store_id is required")
        if (
            isinstance(similarity_top_k, bool)
            or not isinstance(similarity_top_k, int)
            or similarity_top_k < 1
        ):
            raise ValueError(f"similarity_top_k must be a positive int, got {similarity_top_k!r}")
        self.store_id = store_id
        self.similarity_top_k = similarity_top_k
        self.vector_store_inputs = dict(vector_store_inputs) if vector_store_inputs else None
        self.connection = FlowiseConnection(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            async_client=async_client,
        )
        super().__init__(callback_manager=callback_manager, verbose=verbose)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = self.connection.client.document_stores.vector_store.query(
            self.store_id,
            query_bundle.query_str,
            top_k=self.similarity_top_k,
            inputs=self.vector_store_inputs,
        )
        return query_nodes(result.docs)

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        result = await self.connection.async_client.document_stores.vector_store.query(
            self.store_id,
            query_bundle.query_str,
            top_k=self.similarity_top_k,
            inputs=self.vector_store_inputs,
        )
        return query_nodes(result.docs)

    def close(self) -> None:
        """Close the sync client if this retriever built it."""
        self.connection.close()

    async def aclose(self) -> None:
        """Close the clients this retriever built."""
        await self.connection.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(store_id={self.store_id!r}, similarity_top_k={self.similarity_top_k}, "
            f"connection={self.connection!r})"
        )
