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

from ._convert import cut_at_stop
from ._flow_model import ConfigurableSession, FlowiseFlowModel, acut_tokens, cut_tokens

__all__ = ["FlowiseLLM"]


class FlowiseLLM(ConfigurableSession[str, str], FlowiseFlowModel, LLM):
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

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        return ["flowise_integrations", "langchain", "llms"]

    @override
    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        return self._tracing_params("llm", stop, kwargs)

    # -- one run per prompt in batches (LLM's own batch sends all prompts in one generate call)

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

    @override
    def _call(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        override_config = self._override_config(kwargs) or None
        prediction = self._client.predictions.create(
            self._target(kwargs), prompt, override_config=override_config
        )
        return cut_at_stop(prediction.text, self._stop_for(stop))

    @override
    async def _acall(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> str:
        override_config = self._override_config(kwargs) or None
        prediction = await self._async_client.predictions.create(
            self._target(kwargs), prompt, override_config=override_config
        )
        return cut_at_stop(prediction.text, self._stop_for(stop))

    @override
    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        override_config = self._override_config(kwargs) or None
        with self._client.predictions.stream(
            self._target(kwargs), prompt, override_config=override_config
        ) as stream:
            for text in cut_tokens(stream, self._stop_for(stop)):
                chunk = GenerationChunk(text=text)
                if run_manager:
                    run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk

    @override
    async def _astream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[GenerationChunk]:
        override_config = self._override_config(kwargs) or None
        stream = self._async_client.predictions.stream(
            self._target(kwargs), prompt, override_config=override_config
        )
        async with stream:
            async for text in acut_tokens(stream, self._stop_for(stop)):
                chunk = GenerationChunk(text=text)
                if run_manager:
                    await run_manager.on_llm_new_token(text, chunk=chunk)
                yield chunk
