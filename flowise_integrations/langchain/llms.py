"""``FlowiseLLM``: a Flowise flow as a text-in, text-out LangChain LLM."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LangSmithParams, LanguageModelInput
from langchain_core.language_models.llms import LLM
from langchain_core.outputs import GenerationChunk
from langchain_core.runnables import Runnable, RunnableConfig
from typing_extensions import override

from ..types import stream_events as ev
from ._connection import FlowiseConnection, merge_override_config, session_kwargs
from ._convert import StopCutter, cut_at_stop

__all__ = ["FlowiseLLM"]

_CALL_KWARGS = frozenset({"chatflow_id", "model", "session_id", "override_config"})


class FlowiseLLM(FlowiseConnection, LLM):
    """A Flowise chatflow or agentflow as an LLM: the prompt is the question, the answer the text.

    Sessions, ``override_config`` and per-call ``chatflow_id``/``model`` work as in
    :class:`~flowise_integrations.langchain.ChatFlowise` (including
    ``config["configurable"]["session_id"]``), and stop sequences are applied to the answer here.
    ``batch``/``abatch`` run one prediction per prompt concurrently, up to the config's
    ``max_concurrency``. Use ``ChatFlowise`` or ``FlowiseRunnable`` to see source documents,
    ids and usage.

    Example:
        .. code-block:: python

            from flowise_integrations.langchain import FlowiseLLM

            llm = FlowiseLLM(chatflow_id="...")
            llm.invoke("Why is the sky blue?")
    """

    chatflow_id: str
    """The chatflow, agentflow or assistant to run (its id)."""

    session_id: str | None = None
    """Flowise memory session for every call (``overrideConfig.sessionId``)."""

    override_config: dict[str, Any] | None = None
    """``overrideConfig`` sent with every call; only what the flow's API configuration enables applies."""

    stop: list[str] | None = None
    """Stop sequences applied to the answer (the text is cut before the first one)."""

    @property
    def _llm_type(self) -> str:
        return "flowise"

    @classmethod
    def is_lc_serializable(cls) -> bool:
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["flowise_integrations", "langchain", "llms"]

    @property
    def lc_secrets(self) -> dict[str, str]:
        return {"api_key": "FLOWISE_API_KEY"}

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "chatflow_id": self.chatflow_id,
            "base_url": self._base_url,
            "session_id": self.session_id,
            "override_config": self.override_config,
        }

    @override
    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider="flowise",
            ls_model_name=kwargs.get("chatflow_id") or kwargs.get("model") or self.chatflow_id,
            ls_model_type="llm",
        )
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    # -- configurable session id (see ChatFlowise) and one run per prompt in batches

    @override
    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> str:
        return super().invoke(input, config, stop=stop, **session_kwargs(config, kwargs))

    @override
    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> str:
        return await super().ainvoke(input, config, stop=stop, **session_kwargs(config, kwargs))

    @override
    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[str]:
        return super().stream(input, config, stop=stop, **session_kwargs(config, kwargs))

    @override
    def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[str]:
        return super().astream(input, config, stop=stop, **session_kwargs(config, kwargs))

    @override
    def batch(
        self,
        inputs: list[LanguageModelInput],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[str]:
        return Runnable.batch(self, inputs, config, return_exceptions=return_exceptions, **kwargs)

    @override
    async def abatch(
        self,
        inputs: list[LanguageModelInput],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[str]:
        return await Runnable.abatch(self, inputs, config, return_exceptions=return_exceptions, **kwargs)

    # -- requests

    def _request(self, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
        unknown = set(kwargs) - _CALL_KWARGS
        if unknown:
            raise TypeError(
                f"unexpected keyword argument(s) {sorted(unknown)}; FlowiseLLM takes {sorted(_CALL_KWARGS)}"
            )
        session_id = kwargs.get("session_id")
        override_config = merge_override_config(
            self.override_config,
            {"sessionId": self.session_id} if self.session_id else None,
            {"sessionId": session_id} if session_id else None,
            kwargs.get("override_config"),
        )
        chatflow_id = kwargs.get("chatflow_id") or kwargs.get("model") or self.chatflow_id
        return chatflow_id, override_config or None

    @override
    def _call(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        chatflow_id, override_config = self._request(kwargs)
        prediction = self._client.predictions.create(chatflow_id, prompt, override_config=override_config)
        return cut_at_stop(prediction.text, stop if stop is not None else self.stop)

    @override
    async def _acall(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        chatflow_id, override_config = self._request(kwargs)
        prediction = await self._async_client.predictions.create(
            chatflow_id, prompt, override_config=override_config
        )
        return cut_at_stop(prediction.text, stop if stop is not None else self.stop)

    @override
    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        chatflow_id, override_config = self._request(kwargs)
        cutter = StopCutter(stop if stop is not None else self.stop)
        with self._client.predictions.stream(chatflow_id, prompt, override_config=override_config) as stream:
            for event in stream:
                if isinstance(event, ev.TokenEvent) and (text := cutter.feed(event.data)):
                    chunk = GenerationChunk(text=text)
                    if run_manager:
                        run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
        if tail := cutter.flush():
            chunk = GenerationChunk(text=tail)
            if run_manager:
                run_manager.on_llm_new_token(tail, chunk=chunk)
            yield chunk

    @override
    async def _astream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[GenerationChunk]:
        chatflow_id, override_config = self._request(kwargs)
        cutter = StopCutter(stop if stop is not None else self.stop)
        stream = self._async_client.predictions.stream(chatflow_id, prompt, override_config=override_config)
        async with stream:
            async for event in stream:
                if isinstance(event, ev.TokenEvent) and (text := cutter.feed(event.data)):
                    chunk = GenerationChunk(text=text)
                    if run_manager:
                        await run_manager.on_llm_new_token(text, chunk=chunk)
                    yield chunk
        if tail := cutter.flush():
            chunk = GenerationChunk(text=tail)
            if run_manager:
                await run_manager.on_llm_new_token(tail, chunk=chunk)
            yield chunk
