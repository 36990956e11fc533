"""``FlowiseLLM``: a Flowise chatflow or agentflow as a LlamaIndex chat LLM."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr
from llama_index.core.constants import DEFAULT_CONTEXT_WINDOW, DEFAULT_NUM_OUTPUTS
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.llm import LLM

from .._async._client import AsyncFlowise
from .._constants import ENV_API_KEY, ENV_BASE_URL
from .._core.prediction import place_system_text
from .._sync._client import Flowise
from ..types import Prediction
from ._connection import FlowiseConnection
from ._convert import FlowiseTurn, prediction_metadata, to_flowise_turn, usage_kwargs
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

__all__ = ["FlowiseLLM"]

_CALL_KWARGS = frozenset({"override_config", "session_id"})


def _env_str(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


def _env_secret(name: str) -> SecretStr | None:
    value = _env_str(name)
    return SecretStr(value) if value else None


class FlowiseLLM(LLM):
    """Chat with a Flowise flow as if it were a chat model (``is_chat_model=True``).

    Messages are mapped onto Flowise's own fields rather than flattened into one prompt: the last
    message (which must be a user message) is the ``question`` and the earlier user and assistant
    messages are sent as ``history``, which Flowise gives the flow's model as prior turns. Flowise
    has no system role in ``history``: system (and developer) messages, including
    ``system_prompt`` and the context LlamaIndex's context chat engines put there, go before the
    question, as :class:`~flowise_integrations.langchain.ChatFlowise` does. With
    ``system_message_key`` naming the flow's system-prompt input (e.g. ``"systemMessagePrompt"``
    for a Conversation Chain; the flow's API configuration must allow overriding it) they are
    sent as ``override_config[system_message_key]`` instead. Only text content is supported.

    Every call is a fresh Flowise chat (no ``sessionId`` unless you pass one), so the flow's
    memory never leaks between calls; use :class:`FlowiseChatEngine` for a server-side session.
    ``complete`` sends the prompt as the question. Per call, ``override_config=`` (merged over
    the field) and ``session_id=`` are accepted as keyword arguments.

    Responses carry Flowise's ids, sources and used tools in ``additional_kwargs`` and the
    :class:`~flowise_integrations.Prediction` as ``raw``. Streams yield one response per token
    and then a last one with an empty ``delta`` that carries them. Sync methods use the sync
    client and async methods the async client.
    """

    chatflow_id: str = Field(description="The id of the chatflow or agentflow to run.")
    base_url: str | None = Field(
        default_factory=lambda: _env_str(ENV_BASE_URL),
        description="Flowise server URL (default: FLOWISE_BASE_URL, else http://localhost:3000).",
    )
    api_key: SecretStr | None = Field(
        default_factory=lambda: _env_secret(ENV_API_KEY),
        description="Flowise API key (default: FLOWISE_API_KEY).",
        exclude=True,
        repr=False,
    )
    timeout: float | None = Field(default=None, description="Seconds; None keeps the client defaults.")
    max_retries: int | None = Field(default=None, description="None keeps the client default (2).")
    override_config: dict[str, Any] | None = Field(
        default=None, description="Sent as overrideConfig with every call."
    )
    system_message_key: str | None = Field(
        default=None,
        description="The override_config key that receives system messages, e.g. 'systemMessagePrompt'.",
    )
    context_window: int = Field(default=DEFAULT_CONTEXT_WINDOW, gt=0)
    num_output: int = Field(default=DEFAULT_NUM_OUTPUTS, gt=0)

    _connection: FlowiseConnection = PrivateAttr()

    def __getstate__(self) -> dict[str, object]:
        # LlamaIndex components pickle their fields; this one's include the API key.
        raise TypeError("FlowiseLLM cannot be pickled: it holds an API key and HTTP clients")

    def __init__(
        self,
        chatflow_id: str | None = None,
        *,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
        **kwargs: Any,
    ) -> None:
        if chatflow_id is not None:
            kwargs["chatflow_id"] = chatflow_id
        super().__init__(**kwargs)
        if not self.chatflow_id:
            raise ValueError("chatflow_id is required")
        self._connection = FlowiseConnection(
            base_url=self.base_url,
            api_key=self.api_key,
            timeout=self.timeout,
            max_retries=self.max_retries,
            client=client,
            async_client=async_client,
        )

    @classmethod
    def class_name(cls) -> str:
        return "FlowiseLLM"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(
            context_window=self.context_window,
            num_output=self.num_output,
            is_chat_model=True,
            is_function_calling_model=False,
            model_name=self.chatflow_id,
            system_role=MessageRole.SYSTEM,
        )

    @property
    def connection(self) -> FlowiseConnection:
        """The clients this LLM uses."""
        return self._connection

    # -- building requests

    def _args(self, turn: FlowiseTurn, kwargs: dict[str, Any]) -> PredictionArgs:
        unknown = set(kwargs) - _CALL_KWARGS
        if unknown:
            raise TypeError(f"unexpected keyword arguments for FlowiseLLM: {sorted(unknown)}")
        question, system_override = place_system_text(turn.question, turn.system, self.system_message_key)
        extra: dict[str, Any] = {**(kwargs.get("override_config") or {}), **system_override}
        return PredictionArgs(
            chatflow_id=self.chatflow_id,
            question=question,
            history=turn.history or None,
            override_config=merge_override_config(
                self.override_config, session_id=kwargs.get("session_id"), extra=extra
            ),
        )

    def _chat_args(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any]) -> PredictionArgs:
        return self._args(to_flowise_turn(messages), kwargs)

    def _prompt_args(self, prompt: str, kwargs: dict[str, Any]) -> PredictionArgs:
        return self._args(FlowiseTurn(question=prompt), kwargs)

    def _extras(self, prediction: Prediction) -> dict[str, Any]:
        return {
            **prediction_metadata(prediction, self.chatflow_id),
            "source_documents": [doc.model_dump(mode="json") for doc in prediction.all_source_documents],
            **usage_kwargs(prediction),
        }

    def _chat_response(
        self, prediction: Prediction, *, text: str | None = None, delta: str | None = None
    ) -> ChatResponse:
        return ChatResponse(
            message=ChatMessage(
                role=MessageRole.ASSISTANT, content=prediction.text if text is None else text
            ),
            raw=prediction,
            delta=delta,
            additional_kwargs=self._extras(prediction),
        )

    def _completion_response(
        self, prediction: Prediction, *, text: str | None = None, delta: str | None = None
    ) -> CompletionResponse:
        return CompletionResponse(
            text=prediction.text if text is None else text,
            raw=prediction,
            delta=delta,
            additional_kwargs=self._extras(prediction),
        )

    # -- chat

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        prediction = run(self._connection.client, self._chat_args(messages, kwargs))
        return self._chat_response(prediction)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        prediction = await arun(self._connection.async_client, self._chat_args(messages, kwargs))
        return self._chat_response(prediction)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        stream = open_stream(self._connection.client, self._chat_args(messages, kwargs))
        final: list[Prediction] = []

        def gen() -> ChatResponseGen:
            text = ""
            for delta in iter_deltas(stream, final.append):
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)
            yield self._chat_response(final[0], text=text, delta="")

        return gen()

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        stream = await aopen_stream(self._connection.async_client, self._chat_args(messages, kwargs))
        final: list[Prediction] = []

        async def gen() -> ChatResponseAsyncGen:
            text = ""
            async for delta in aiter_deltas(stream, final.append):
                text += delta
                yield ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), delta=delta)
            yield self._chat_response(final[0], text=text, delta="")

        return gen()

    # -- completion

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        prediction = run(self._connection.client, self._prompt_args(prompt, kwargs))
        return self._completion_response(prediction)

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        prediction = await arun(self._connection.async_client, self._prompt_args(prompt, kwargs))
        return self._completion_response(prediction)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        stream = open_stream(self._connection.client, self._prompt_args(prompt, kwargs))
        final: list[Prediction] = []

        def gen() -> CompletionResponseGen:
            text = ""
            for delta in iter_deltas(stream, final.append):
                text += delta
                yield CompletionResponse(text=text, delta=delta)
            yield self._completion_response(final[0], text=text, delta="")

        return gen()

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        stream = await aopen_stream(self._connection.async_client, self._prompt_args(prompt, kwargs))
        final: list[Prediction] = []

        async def gen() -> CompletionResponseAsyncGen:
            text = ""
            async for delta in aiter_deltas(stream, final.append):
                text += delta
                yield CompletionResponse(text=text, delta=delta)
            yield self._completion_response(final[0], text=text, delta="")

        return gen()

    def close(self) -> None:
        """Close the sync client if this LLM built it."""
        self._connection.close()

    async def aclose(self) -> None:
        """Close the clients this LLM built."""
        await self._connection.aclose()
