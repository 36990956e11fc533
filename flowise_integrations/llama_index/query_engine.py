"""``FlowiseQueryEngine``: a Flowise chatflow or agentflow as a LlamaIndex query engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.base.base_query_engine import BaseQueryEngine
from llama_index.core.base.response.schema import (
    RESPONSE_TYPE,
    AsyncStreamingResponse,
    Response,
    StreamingResponse,
)
from llama_index.core.callbacks import CallbackManager
from llama_index.core.prompts.mixin import PromptMixinType
from llama_index.core.schema import NodeWithScore, QueryBundle
from pydantic import SecretStr

from .._async._client import AsyncFlowise
from .._sync._client import Flowise
from ..types import Prediction
from ._connection import FlowiseConnection, Timeout
from ._convert import prediction_metadata, source_nodes
from ._runs import (
    PredictionArgs,
    aiter_deltas,
    aopen_stream,
    arun,
    iter_deltas,
    merge_override_config,
    open_stream,
    run,
)

__all__ = ["FlowiseQueryEngine"]


class FlowiseQueryEngine(BaseQueryEngine):
    """Answers queries by running a Flowise flow (``POST /prediction/{chatflow_id}``).

    The response's ``source_nodes`` are the flow's source documents
    (:attr:`Prediction.all_source_documents`, which includes agentflow node output) as
    ``TextNode``s with Flowise's metadata and ``score=None`` (Flowise sends no scores). Its
    ``metadata`` holds ``chatflow_id``, ``chat_id``, ``session_id``, ``chat_message_id`` and
    ``used_tools`` (plus ``execution_id``, ``memory_type``, ``follow_up_prompts`` and ``usage``
    when Flowise sends them).

    With ``streaming=True``, ``query`` returns a ``StreamingResponse`` and ``aquery`` an
    ``AsyncStreamingResponse`` whose generator yields Flowise's tokens. The request is sent (and
    HTTP errors raised) by ``query``/``aquery`` itself. Flowise reports sources and ids at the end
    of a stream, so ``source_nodes`` starts empty and the same list and ``metadata`` dict are
    filled in once the generator is exhausted; consume it (or close it) to release the connection.

    ``session_id`` pins every query to one Flowise session (memory and chat-message history);
    without it each query is independent. ``override_config`` is sent with every query and only
    changes what the flow's API configuration allows.

    Example::

        engine = FlowiseQueryEngine("<chatflow-id>", base_url="http://localhost:3000", api_key="...")
        response = engine.query("Why is the sky blue?")
        print(response, [n.node.metadata.get("source") for n in response.source_nodes])
    """

    def __init__(
        self,
        chatflow_id: str,
        *,
        streaming: bool = False,
        session_id: str | None = None,
        override_config: dict[str, Any] | None = None,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        if not chatflow_id:
            raise ValueError("chatflow_id is required")
        self.chatflow_id = chatflow_id
        self.streaming = streaming
        self.session_id = session_id
        self.override_config = dict(override_config) if override_config else None
        self.connection = FlowiseConnection(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            async_client=async_client,
        )
        super().__init__(callback_manager=callback_manager)

    def _get_prompt_modules(self) -> PromptMixinType:
        """No prompts: the flow owns them on the server."""
        return {}

    def _args(self, query_bundle: QueryBundle) -> PredictionArgs:
        return PredictionArgs(
            chatflow_id=self.chatflow_id,
            question=query_bundle.query_str,
            override_config=merge_override_config(self.override_config, session_id=self.session_id),
        )

    def _response(self, prediction: Prediction) -> Response:
        return Response(
            response=prediction.text,
            source_nodes=source_nodes(prediction.all_source_documents),
            metadata=prediction_metadata(prediction, self.chatflow_id),
        )

    def _finisher(self, nodes: list[NodeWithScore], metadata: dict[str, Any]) -> Callable[[Prediction], None]:
        """Fills a streaming response's (initially empty) nodes and metadata when Flowise ends."""

        def finish(prediction: Prediction) -> None:
            nodes.extend(source_nodes(prediction.all_source_documents))
            metadata.update(prediction_metadata(prediction, self.chatflow_id))

        return finish

    def _query(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        args = self._args(query_bundle)
        if not self.streaming:
            return self._response(run(self.connection.client, args))
        stream = open_stream(self.connection.client, args)
        nodes: list[NodeWithScore] = []
        metadata: dict[str, Any] = {}
        return StreamingResponse(
            response_gen=iter_deltas(stream, self._finisher(nodes, metadata)),
            source_nodes=nodes,
            metadata=metadata,
        )

    async def _aquery(self, query_bundle: QueryBundle) -> RESPONSE_TYPE:
        args = self._args(query_bundle)
        if not self.streaming:
            return self._response(await arun(self.connection.async_client, args))
        stream = await aopen_stream(self.connection.async_client, args)
        nodes: list[NodeWithScore] = []
        metadata: dict[str, Any] = {}
        return AsyncStreamingResponse(
            response_gen=aiter_deltas(stream, self._finisher(nodes, metadata)),
            source_nodes=nodes,
            metadata=metadata,
        )

    def close(self) -> None:
        """Close the sync client if this engine built it."""
        self.connection.close()

    async def aclose(self) -> None:
        """Close the clients this engine built."""
        await self.connection.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(chatflow_id={self.chatflow_id!r}, connection={self.connection!r})"
