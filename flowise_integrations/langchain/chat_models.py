"""``ChatFlowise``: a Flowise chatflow or agentflow as a LangChain chat model."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from typing_extensions import override

from .._core.prediction import place_system_text
from ..types import HistoryMessage, Prediction, Upload
from ._convert import cut_at_stop, messages_to_request, response_metadata, usage_metadata
from ._flow_model import ConfigurableSession, FlowiseFlowModel, acut_tokens, cut_tokens

__all__ = ["ChatFlowise"]


@dataclasses.dataclass(frozen=True)
class _Call:
    """One prediction request, resolved from the messages, the fields and the call's keywords."""

    chatflow_id: str
    question: str
    history: list[HistoryMessage] | None
    uploads: list[Upload] | None
    override_config: dict[str, Any] | None

    def arguments(self) -> dict[str, Any]:
        return {
            "history": self.history,
            "uploads": self.uploads,
            "override_config": self.override_config,
        }


class ChatFlowise(ConfigurableSession[AIMessage, AIMessageChunk], FlowiseFlowModel, BaseChatModel):
    """A Flowise chatflow, agentflow or assistant as a chat model.

    The model and its prompt live in the flow; this class sends a conversation to it and returns
    the answer as an ``AIMessage``. Messages are mapped as follows:

    * the **last human message** is the question; its images (``image_url`` parts with an http(s)
      URL or a base64 data URI, or standard ``image`` blocks) are sent as uploads (the flow must
      allow image uploads);
    * earlier **human and AI messages** are sent as Flowise ``history`` (as text). With
      ``history_mode="auto"`` (the default) they are sent only when no session id is in effect:
      with a session id the flow's memory already holds the conversation, and Flowise would put
      sent history in front of it, so the model would see every turn twice;
    * **system messages** are prepended to the question, separated by a blank line. Set
      ``system_message_key`` (e.g. ``"systemMessagePrompt"``) to send them instead as that
      ``override_config`` key, for flows whose API configuration lets callers override their
      system prompt;
    * nothing but system messages may follow the question, and tool messages are refused:
      Flowise answers a question and does not take tool results.

    The session id (Flowise's memory key) is, lowest to highest precedence: the ``session_id``
    field, ``config["configurable"]["session_id"]`` (what ``RunnableWithMessageHistory`` sets),
    the ``session_id`` call keyword, ``override_config["sessionId"]`` given per call. Per call,
    ``override_config`` is merged over the field's, and ``chatflow_id`` (or ``model``) picks
    another flow. Stop sequences are applied to the answer here, since Flowise has no stop
    parameter. ``temperature`` and ``max_tokens`` are sent as ``override_config`` keys
    ``temperature`` and ``maxTokens``; Flowise applies them only where the flow's API
    configuration allows overriding them.

    ``response_metadata`` carries ``chat_id``, ``session_id``, ``chat_message_id``,
    ``source_documents`` and ``used_tools`` (as dicts), and ``usage_metadata`` is set when Flowise
    reports token usage (agentflow LLM and Agent nodes send it in streamed runs). Errors from
    Flowise are raised as the client's exceptions.

    Example:
        .. code-block:: python

            from flowise_integrations.langchain import ChatFlowise

            chat = ChatFlowise(chatflow_id="...")  # FLOWISE_BASE_URL / FLOWISE_API_KEY
            chat.invoke("Why is the sky blue?").content
            for chunk in chat.stream("Tell me more", config={"configurable": {"session_id": "s1"}}):
                print(chunk.content, end="")
    """

    system_message_key: str | None = None
    """Send system messages as this ``override_config`` key instead of prepending them to the question."""

    history_mode: Literal["auto", "always", "never"] = "auto"
    """When earlier turns are sent as history: ``"auto"`` only without a session id, or always, or never."""

    temperature: float | None = None
    """Sent as ``override_config["temperature"]`` when set."""

    max_tokens: int | None = None
    """Sent as ``override_config["maxTokens"]`` when set."""

    streaming: bool = False
    """Stream from Flowise even for ``invoke`` (callbacks then see each token)."""

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["flowise_integrations", "langchain", "chat_models"]

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            **super()._identifying_params,
            "system_message_key": self.system_message_key,
            "history_mode": self.history_mode,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
        }

    @override
    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = self._tracing_params("chat", stop, kwargs)
        if self.temperature is not None:
            params["ls_temperature"] = self.temperature
        if self.max_tokens is not None:
            params["ls_max_tokens"] = self.max_tokens
        return params

    # -- requests

    def _prepare(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> _Call:
        override_config = self._override_config(
            kwargs,
            {"temperature": self.temperature} if self.temperature is not None else None,
            {"maxTokens": self.max_tokens} if self.max_tokens is not None else None,
        )
        request = messages_to_request(messages)
        question, system_override = place_system_text(
            request.question, request.system, self.system_message_key
        )
        override_config.update(system_override)
        send_history = self.history_mode == "always" or (
            self.history_mode == "auto" and "sessionId" not in override_config
        )
        return _Call(
            chatflow_id=self._target(kwargs),
            question=question,
            history=request.history if send_history and request.history else None,
            uploads=request.uploads or None,
            override_config=override_config or None,
        )

    def _result(self, prediction: Prediction, call: _Call, stop: list[str] | None) -> ChatResult:
        message = AIMessage(
            content=cut_at_stop(prediction.text, self._stop_for(stop)),
            response_metadata=response_metadata(prediction, call.chatflow_id),
            usage_metadata=usage_metadata(prediction.usage),
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    @staticmethod
    def _chunk(text: str) -> ChatGenerationChunk:
        return ChatGenerationChunk(message=AIMessageChunk(content=text))

    @staticmethod
    def _last_chunk(prediction: Prediction, call: _Call) -> ChatGenerationChunk:
        """The closing chunk: no text, the run's metadata and usage (Flowise sends them last)."""
        return ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                chunk_position="last",
                response_metadata=response_metadata(prediction, call.chatflow_id),
                usage_metadata=usage_metadata(prediction.usage),
            )
        )

    @override
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        call = self._prepare(messages, kwargs)
        prediction = self._client.predictions.create(call.chatflow_id, call.question, **call.arguments())
        return self._result(prediction, call, stop)

    @override
    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        call = self._prepare(messages, kwargs)
        prediction = await self._async_client.predictions.create(
            call.chatflow_id, call.question, **call.arguments()
        )
        return self._result(prediction, call, stop)

    @override
    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        call = self._prepare(messages, kwargs)
        with self._client.predictions.stream(call.chatflow_id, call.question, **call.arguments()) as stream:
            for text in cut_tokens(stream, self._stop_for(stop)):
                chunk = self._chunk(text)
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
            prediction = stream.final()
        yield self._last_chunk(prediction, call)

    @override
    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        call = self._prepare(messages, kwargs)
        stream = self._async_client.predictions.stream(call.chatflow_id, call.question, **call.arguments())
        async with stream:
            async for text in acut_tokens(stream, self._stop_for(stop)):
                chunk = self._chunk(text)
                if run_manager:
                    await run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
            prediction = await stream.final()
        yield self._last_chunk(prediction, call)
