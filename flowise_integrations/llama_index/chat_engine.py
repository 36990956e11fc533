"""``FlowiseChatEngine``: a Flowise session as a LlamaIndex chat engine."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    MessageRole,
)
from llama_index.core.chat_engine.types import (
    AgentChatResponse,
    BaseChatEngine,
    StreamingAgentChatResponse,
)
from llama_index.core.schema import NodeWithScore
from llama_index.core.tools import ToolOutput
from pydantic import SecretStr

from .._async._client import AsyncFlowise
from .._core.prediction import place_system_text
from .._sync._client import Flowise
from ..types import HistoryMessage, Prediction
from ._connection import FlowiseConnection, Timeout
from ._convert import (
    from_flowise_messages,
    prediction_metadata,
    source_nodes,
    to_flowise_turn,
    tool_outputs,
)
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

__all__ = ["FlowiseChatEngine"]


def _new_session_id() -> str:
    return str(uuid.uuid4())


class FlowiseChatEngine(BaseChatEngine):
    """Chats with a Flowise flow inside one Flowise session, so the flow's memory holds the
    conversation and Flowise stores its messages.

    Every message is sent with ``overrideConfig.sessionId`` (and ``chatId``) set to
    :attr:`session_id`; :meth:`reset` switches to a new session id, which starts an empty
    conversation (the old messages stay on the server). :attr:`chat_history` reads the session's
    messages back from Flowise (``GET /chatmessage/{chatflow_id}?sessionId=``), oldest first;
    :meth:`aget_chat_history` is its async twin.

    Responses carry the flow's source documents as ``source_nodes`` (``score=None``), the tools
    it used as ``sources`` and the run's ids in ``metadata``. Streaming responses read Flowise's
    token stream directly (``is_writing_to_memory=False``: the memory is on the server), so
    nothing is sent twice; their ``source_nodes`` and ``sources`` lists are filled in when the
    stream ends. ``chat_history=`` given to a call is sent as Flowise ``history`` for that turn,
    which Flowise prepends to the session's memory (its system messages go before the question:
    Flowise history has no system role).

    Example::

        engine = FlowiseChatEngine("<chatflow-id>")
        engine.chat("My name is Ada.")
        print(engine.chat("What is my name?"), len(engine.chat_history))  # ... 4
        engine.reset()
    """

    def __init__(
        self,
        chatflow_id: str,
        *,
        session_id: str | None = None,
        override_config: dict[str, Any] | None = None,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
    ) -> None:
        if not chatflow_id:
            raise ValueError("chatflow_id is required")
        self.chatflow_id = chatflow_id
        self.session_id = session_id or _new_session_id()
        self.override_config = dict(override_config) if override_config else None
        self.connection = FlowiseConnection(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            async_client=async_client,
        )

    # -- session

    def reset(self) -> None:
        """Start a new conversation: a new session id (nothing is deleted on the server)."""
        self.session_id = _new_session_id()

    @property
    def chat_history(self) -> list[ChatMessage]:
        """The session's messages as stored by Flowise, oldest first."""
        stored = self.connection.client.chat_messages.list(self.chatflow_id, session_id=self.session_id)
        return from_flowise_messages(stored)

    async def aget_chat_history(self) -> list[ChatMessage]:
        """Async twin of :attr:`chat_history`."""
        stored = await self.connection.async_client.chat_messages.list(
            self.chatflow_id, session_id=self.session_id
        )
        return from_flowise_messages(stored)

    # -- requests and responses

    def _args(self, message: str, chat_history: list[ChatMessage] | None) -> PredictionArgs:
        history: list[HistoryMessage] | None = None
        question = message
        if chat_history:
            turn = to_flowise_turn([*chat_history, ChatMessage(role=MessageRole.USER, content=message)])
            history = turn.history
            question, _ = place_system_text(message, turn.system, None)
        return PredictionArgs(
            chatflow_id=self.chatflow_id,
            question=question,
            history=history,
            chat_id=self.session_id,
            override_config=merge_override_config(self.override_config, session_id=self.session_id),
        )

    def _response(self, prediction: Prediction) -> AgentChatResponse:
        return AgentChatResponse(
            response=prediction.text,
            sources=tool_outputs(prediction.all_used_tools),
            source_nodes=source_nodes(prediction.all_source_documents),
            metadata=prediction_metadata(prediction, self.chatflow_id),
        )

    def _finisher(
        self, nodes: list[NodeWithScore], sources: list[ToolOutput]
    ) -> Callable[[Prediction], None]:
        """Fills a streaming response's (initially empty) lists when Flowise ends the stream."""

        def finish(prediction: Prediction) -> None:
            nodes.extend(source_nodes(prediction.all_source_documents))
            sources.extend(tool_outputs(prediction.all_used_tools))

        return finish

    @staticmethod
    def _chat_responses(deltas: Iterator[str]) -> ChatResponseGen:
        text = ""
        for delta in deltas:
            text += delta
            yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)

    @staticmethod
    async def _achat_responses(deltas: AsyncIterator[str]) -> ChatResponseAsyncGen:
        text = ""
        async for delta in deltas:
            text += delta
            yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)

    # -- chat

    def chat(self, message: str, chat_history: list[ChatMessage] | None = None) -> AgentChatResponse:
        return self._response(run(self.connection.client, self._args(message, chat_history)))

    async def achat(self, message: str, chat_history: list[ChatMessage] | None = None) -> AgentChatResponse:
        return self._response(await arun(self.connection.async_client, self._args(message, chat_history)))

    def stream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        stream = open_stream(self.connection.client, self._args(message, chat_history))
        nodes: list[NodeWithScore] = []
        sources: list[ToolOutput] = []
        deltas = iter_deltas(stream, self._finisher(nodes, sources))
        return StreamingAgentChatResponse(
            chat_stream=self._chat_responses(deltas),
            source_nodes=nodes,
            sources=sources,
            is_writing_to_memory=False,
        )

    async def astream_chat(
        self, message: str, chat_history: list[ChatMessage] | None = None
    ) -> StreamingAgentChatResponse:
        stream = await aopen_stream(self.connection.async_client, self._args(message, chat_history))
        nodes: list[NodeWithScore] = []
        sources: list[ToolOutput] = []
        deltas = aiter_deltas(stream, self._finisher(nodes, sources))
        return StreamingAgentChatResponse(
            achat_stream=self._achat_responses(deltas),
            source_nodes=nodes,
            sources=sources,
            is_writing_to_memory=False,
        )

    def close(self) -> None:
        """Close the sync client if this engine built it."""
        self.connection.close()

    async def aclose(self) -> None:
        """Close the clients this engine built."""
        await self.connection.aclose()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(chatflow_id={self.chatflow_id!r}, session_id={self.session_id!r}, "
            f"connection={self.connection!r})"
        )
