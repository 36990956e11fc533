"""``FlowiseToolSpec``: a fixed set of agent tools over one Flowise server.

Run a flow, list flows, query and fill a document store, read variables: each tool has a sync
and an async implementation, and the spec also builds the one-tool ``FunctionTool``s of
:mod:`~flowise_integrations.llama_index.function_tools` on the same connection.

This module does not use postponed annotations: LlamaIndex builds each tool's argument schema
from the spec methods' runtime signatures.
"""

import json
import re
from collections.abc import Collection, Mapping
from typing import Any, Literal

from llama_index.core.tools import FunctionTool
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from typing_extensions import Unpack

from .._toolkit import TargetKind, flow_types_for
from ..types import (
    Chatflow,
    ComponentInput,
    DocumentStore,
    IndexingResult,
    QueryResult,
    Tool,
    Variable,
)
from ._connection import ConnectionArgs, FlowiseConnection
from ._runs import PredictionArgs, arun, merge_override_config, run
from .function_tools import _atools_from_server, _chatflow_tool, _custom_tool, _tools_from_server

__all__ = ["FlowiseToolSpec"]

FlowKind = Literal["chatflow", "agentflow", "assistant"]
_PLAIN_TEXT_LOADER = "plainText"


def _flow_summary(flow: Chatflow) -> dict[str, Any]:
    return {"id": flow.id, "name": flow.name, "type": flow.type or "CHATFLOW", "category": flow.category}


def _query_hits(result: QueryResult) -> list[dict[str, Any]]:
    return [{"id": doc.id, "content": doc.page_content, "metadata": doc.metadata} for doc in result.docs]


def _variable_summary(variable: Variable) -> dict[str, Any]:
    return {"name": variable.name, "value": variable.value, "type": variable.type}


def _upsert_summary(store_id: str, result: IndexingResult) -> dict[str, Any]:
    summary = {
        "store_id": store_id,
        "doc_id": result.doc_id,
        "num_added": result.num_added,
        "num_updated": result.num_updated,
        "num_skipped": result.num_skipped,
        "result": result.result,
    }
    return {key: value for key, value in summary.items() if value is not None}


class FlowiseToolSpec(BaseToolSpec):
    """Flowise tools for an agent: ``predict``, ``list_chatflows``, ``query_document_store``,
    ``upsert_text``, ``list_variables`` and ``get_variable``.

    ``to_tool_list()`` gives one ``FunctionTool`` per function with both a sync and an async
    implementation (``spec_functions`` lists ``(sync, async)`` pairs), so ``acall`` uses the async
    client. ``chatflow_id`` and ``store_id`` are the defaults for calls that do not name one.

    ``upsert_text`` adds the text as a new ``plainText`` loader and embeds it. Its splitter,
    embedding and vector store come from an existing loader of the store (Flowise's ``docId``:
    ``doc_id`` in the call, else ``upsert_doc_id`` for the default store, else the store's first
    loader), overridden by whichever of ``upsert_splitter``, ``upsert_embedding``,
    ``upsert_vector_store`` and ``upsert_record_manager`` are given (``{"name", "config"}``
    components). A store without loaders needs at least ``upsert_embedding`` and
    ``upsert_vector_store``.

    :meth:`chatflow_tool`, :meth:`custom_tool` and :meth:`tools_from_server` build extra tools on
    this spec's connection, made from the connection keywords (``base_url``, ``api_key``,
    ``timeout``, ``max_retries``, ``client``, ``async_client``; see ``ConnectionArgs``).
    """

    spec_functions: list[SPEC_FUNCTION_TYPE] = [  # noqa: RUF012 (BaseToolSpec declares it on the class)
        ("predict", "apredict"),
        ("list_chatflows", "alist_chatflows"),
        ("query_document_store", "aquery_document_store"),
        ("upsert_text", "aupsert_text"),
        ("list_variables", "alist_variables"),
        ("get_variable", "aget_variable"),
    ]

    def __init__(
        self,
        *,
        chatflow_id: str | None = None,
        store_id: str | None = None,
        top_k: int = 4,
        upsert_doc_id: str | None = None,
        upsert_splitter: ComponentInput | None = None,
        upsert_embedding: ComponentInput | None = None,
        upsert_vector_store: ComponentInput | None = None,
        upsert_record_manager: ComponentInput | None = None,
        **connection_args: Unpack[ConnectionArgs],
    ) -> None:
        self.chatflow_id = chatflow_id
        self.store_id = store_id
        self.top_k = top_k
        self.upsert_doc_id = upsert_doc_id
        self.upsert_components: dict[str, ComponentInput | None] = {
            "splitter": upsert_splitter,
            "embedding": upsert_embedding,
            "vector_store": upsert_vector_store,
            "record_manager": upsert_record_manager,
        }
        self.connection = FlowiseConnection(**connection_args)

    # -- resolving defaults

    def _chatflow(self, chatflow_id: str | None) -> str:
        resolved = chatflow_id or self.chatflow_id
        if not resolved:
            raise ValueError("no chatflow_id given and FlowiseToolSpec has no default chatflow_id")
        return resolved

    def _store(self, store_id: str | None) -> str:
        resolved = store_id or self.store_id
        if not resolved:
            raise ValueError("no store_id given and FlowiseToolSpec has no default store_id")
        return resolved

    def _predict_args(self, question: str, chatflow_id: str | None, session_id: str | None) -> PredictionArgs:
        return PredictionArgs(
            chatflow_id=self._chatflow(chatflow_id),
            question=question,
            override_config=merge_override_config(None, session_id=session_id),
        )

    def _configured_doc_id(self, store: str, doc_id: str | None) -> str | None:
        if doc_id:
            return doc_id
        return self.upsert_doc_id if store == self.store_id else None

    def _needs_loader_lookup(self, doc_id: str | None) -> bool:
        components = self.upsert_components
        return doc_id is None and (components["embedding"] is None or components["vector_store"] is None)

    @staticmethod
    def _first_loader(store: DocumentStore) -> str:
        for loader in store.loaders:
            if loader.id:
                return loader.id
        raise ValueError(
            f"document store {store.id} has no loader to copy a configuration from: pass "
            "upsert_embedding and upsert_vector_store to FlowiseToolSpec"
        )

    def _upsert_kwargs(
        self, text: str, metadata: Mapping[str, Any] | None, doc_id: str | None
    ) -> dict[str, Any]:
        loader = {
            "name": _PLAIN_TEXT_LOADER,
            "config": {"text": text, "metadata": json.dumps(dict(metadata or {}))},
        }
        return {"doc_id": doc_id, "loader": loader, **self.upsert_components}

    # -- predict

    def predict(self, question: str, chatflow_id: str | None = None, session_id: str | None = None) -> str:
        """Ask a Flowise chatflow, agentflow or assistant a question and return its answer.

        Args:
            question (str): The message to send to the flow.
            chatflow_id (str | None): The flow's id; leave empty for the default flow.
            session_id (str | None): Reuse a session id to continue a conversation with the flow.
        """
        return run(self.connection.client, self._predict_args(question, chatflow_id, session_id)).text

    async def apredict(
        self, question: str, chatflow_id: str | None = None, session_id: str | None = None
    ) -> str:
        """Async twin of :meth:`predict`."""
        args = self._predict_args(question, chatflow_id, session_id)
        return (await arun(self.connection.async_client, args)).text

    # -- list_chatflows

    def list_chatflows(self, kind: FlowKind | None = None) -> list[dict[str, Any]]:
        """List the Flowise flows that can be run with predict: id, name, type and category.

        Args:
            kind (str | None): Only flows of this kind: chatflow, agentflow or assistant.
        """
        if kind is None:
            flows = self.connection.client.chatflows.list()
        else:
            flows = [
                flow
                for flow_type in flow_types_for([kind])
                for flow in self.connection.client.chatflows.list(type=flow_type)
            ]
        return [_flow_summary(flow) for flow in flows]

    async def alist_chatflows(self, kind: FlowKind | None = None) -> list[dict[str, Any]]:
        """Async twin of :meth:`list_chatflows`."""
        client = self.connection.async_client
        if kind is None:
            flows = await client.chatflows.list()
        else:
            flows = []
            for flow_type in flow_types_for([kind]):
                flows.extend(await client.chatflows.list(type=flow_type))
        return [_flow_summary(flow) for flow in flows]

    # -- query_document_store

    def query_document_store(
        self, query: str, store_id: str | None = None, top_k: int | None = None
    ) -> list[dict[str, Any]]:
        """Search a Flowise document store and return the best matching chunks, best first.

        Args:
            query (str): What to search for.
            store_id (str | None): The document store's id; leave empty for the default store.
            top_k (int | None): How many chunks to return (default 4).
        """
        result = self.connection.client.document_stores.vector_store.query(
            self._store(store_id), query, top_k=top_k or self.top_k
        )
        return _query_hits(result)

    async def aquery_document_store(
        self, query: str, store_id: str | None = None, top_k: int | None = None
    ) -> list[dict[str, Any]]:
        """Async twin of :meth:`query_document_store`."""
        result = await self.connection.async_client.document_stores.vector_store.query(
            self._store(store_id), query, top_k=top_k or self.top_k
        )
        return _query_hits(result)

    # -- upsert_text

    def upsert_text(
        self,
        text: str,
        metadata: dict[str, Any] | None = None,
        store_id: str | None = None,
        doc_id: str | None = None,
    ) -> dict[str, Any]:
        """Add a text to a Flowise document store so later searches can find it.

        Args:
            text (str): The text to store.
            metadata (dict | None): Metadata to keep with the text, e.g. {"source": "notes"}.
            store_id (str | None): The document store's id; leave empty for the default store.
            doc_id (str | None): An existing loader of the store whose settings to reuse; usually empty.
        """
        store = self._store(store_id)
        resolved = self._configured_doc_id(store, doc_id)
        if self._needs_loader_lookup(resolved):
            resolved = self._first_loader(self.connection.client.document_stores.get(store))
        result = self.connection.client.document_stores.upsert(
            store, **self._upsert_kwargs(text, metadata, resolved)
        )
        return _upsert_summary(store, result)

    async def aupsert_text(
        self,
        text: str,
        metadata: dict[str, Any] | None = None,
        store_id: str | None = None,
        doc_id: str | None = None,
    ) -> dict[str, Any]:
        """Async twin of :meth:`upsert_text`."""
        client = self.connection.async_client
        store = self._store(store_id)
        resolved = self._configured_doc_id(store, doc_id)
        if self._needs_loader_lookup(resolved):
            resolved = self._first_loader(await client.document_stores.get(store))
        result = await client.document_stores.upsert(store, **self._upsert_kwargs(text, metadata, resolved))
        return _upsert_summary(store, result)

    # -- variables

    def list_variables(self) -> list[dict[str, Any]]:
        """List the Flowise variables (name, value, type) that flows read as $vars.<name>."""
        return [_variable_summary(variable) for variable in self.connection.client.variables.list()]

    async def alist_variables(self) -> list[dict[str, Any]]:
        """Async twin of :meth:`list_variables`."""
        return [
            _variable_summary(variable) for variable in await self.connection.async_client.variables.list()
        ]

    def get_variable(self, name: str) -> str | None:
        """Return the value of the Flowise variable called name, or None if there is none.

        Args:
            name (str): The variable's name.
        """
        variable = self.connection.client.variables.get_by_name(name)
        return variable.value if variable is not None else None

    async def aget_variable(self, name: str) -> str | None:
        """Async twin of :meth:`get_variable`."""
        variable = await self.connection.async_client.variables.get_by_name(name)
        return variable.value if variable is not None else None

    # -- more tools on this connection

    def chatflow_tool(
        self,
        chatflow: Chatflow | str,
        *,
        name: str | None = None,
        description: str | None = None,
        session_id: str | None = None,
        override_config: Mapping[str, Any] | None = None,
        return_direct: bool = False,
    ) -> FunctionTool:
        """:func:`chatflow_tool` on this spec's connection."""
        return _chatflow_tool(
            self.connection,
            chatflow,
            name=name,
            description=description,
            session_id=session_id,
            override_config=override_config,
            return_direct=return_direct,
        )

    def custom_tool(
        self,
        tool: Tool | str,
        *,
        name: str | None = None,
        description: str | None = None,
        return_direct: bool = False,
    ) -> FunctionTool:
        """:func:`custom_tool` on this spec's connection."""
        return _custom_tool(
            self.connection, tool, name=name, description=description, return_direct=return_direct
        )

    def tools_from_server(
        self,
        *,
        include_ids: Collection[str] | None = None,
        exclude_ids: Collection[str] = (),
        name_pattern: str | re.Pattern[str] | None = None,
        kinds: Collection[TargetKind] | None = None,
    ) -> list[FunctionTool]:
        """:func:`tools_from_server` on this spec's connection."""
        return _tools_from_server(
            self.connection,
            include_ids=include_ids,
            exclude_ids=exclude_ids,
            name_pattern=name_pattern,
            kinds=kinds,
        )

    async def atools_from_server(
        self,
        *,
        include_ids: Collection[str] | None = None,
        exclude_ids: Collection[str] = (),
        name_pattern: str | re.Pattern[str] | None = None,
        kinds: Collection[TargetKind] | None = None,
    ) -> list[FunctionTool]:
        """:func:`atools_from_server` on this spec's connection."""
        return await _atools_from_server(
            self.connection,
            include_ids=include_ids,
            exclude_ids=exclude_ids,
            name_pattern=name_pattern,
            kinds=kinds,
        )

    def close(self) -> None:
        """Close the sync client if this spec built it."""
        self.connection.close()

    async def aclose(self) -> None:
        """Close the clients this spec built."""
        await self.connection.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(chatflow_id={self.chatflow_id!r}, store_id={self.store_id!r}, "
            f"connection={self.connection!r})"
        )
