"""What ``ChatFlowise`` and ``FlowiseLLM`` share: one flow as a language model.

Both take the same per-call keywords, resolve the session and ``overrideConfig`` the same way,
read the session id from ``config["configurable"]``, and cut streamed tokens at stop sequences.
Each class only maps its input (messages or a prompt) and its output (messages or text).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import Any, Generic, Literal, TypeVar, cast

from langchain_core.language_models import LangSmithParams, LanguageModelInput
from langchain_core.runnables import Runnable, RunnableConfig

from ..types import stream_events as ev
from ._connection import FlowiseConnection, merge_override_config, session_kwargs
from ._convert import StopCutter

__all__ = ["ConfigurableSession", "FlowiseFlowModel", "acut_tokens", "cut_tokens"]

_CALL_KWARGS = frozenset({"chatflow_id", "model", "session_id", "override_config"})

_Output = TypeVar("_Output")
_Chunk = TypeVar("_Chunk")


class FlowiseFlowModel(FlowiseConnection):
    """The fields of a flow used as a model, and how one call's keywords resolve against them."""

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

    def _tracing_params(
        self, model_type: Literal["chat", "llm"], stop: list[str] | None, kwargs: dict[str, Any]
    ) -> LangSmithParams:
        """LangSmith's parameters for one call: the flow is the model name."""
        params = LangSmithParams(
            ls_provider="flowise", ls_model_name=self._target(kwargs), ls_model_type=model_type
        )
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def _target(self, kwargs: dict[str, Any]) -> str:
        """The flow a call runs: its ``chatflow_id`` (or ``model``) keyword, else the field."""
        return str(kwargs.get("chatflow_id") or kwargs.get("model") or self.chatflow_id)

    def _stop_for(self, stop: list[str] | None) -> list[str] | None:
        """The call's stop sequences, else the field's."""
        return stop if stop is not None else self.stop

    def _override_config(self, kwargs: dict[str, Any], *defaults: dict[str, Any] | None) -> dict[str, Any]:
        """The call's ``overrideConfig``: ``defaults``, then the field's, then the session ids
        (field, then call keyword), then the call's ``override_config``; later layers win.

        Unknown call keywords are refused here, so a misspelt one never silently does nothing.
        """
        unknown = set(kwargs) - _CALL_KWARGS
        if unknown:
            raise TypeError(
                f"unexpected keyword argument(s) {sorted(unknown)}; "
                f"{type(self).__name__} takes {sorted(_CALL_KWARGS)}"
            )
        session_id = kwargs.get("session_id")
        return merge_override_config(
            *defaults,
            self.override_config,
            {"sessionId": self.session_id} if self.session_id else None,
            {"sessionId": session_id} if session_id else None,
            kwargs.get("override_config"),
        )


class ConfigurableSession(Generic[_Output, _Chunk]):
    """``invoke``/``ainvoke``/``stream``/``astream`` that pass ``config["configurable"]["session_id"]`` on.

    LangChain keeps the ``configurable`` part of a config from ``_generate``/``_stream``, so the
    session id (what ``RunnableWithMessageHistory`` sets) is picked up here and sent as the
    ``session_id`` call keyword. Mix it in before the LangChain base class.
    """

    def _runnable(self) -> Runnable[LanguageModelInput, Any]:
        return cast("Runnable[LanguageModelInput, Any]", super())

    def invoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> _Output:
        return cast(
            _Output, self._runnable().invoke(input, config, stop=stop, **session_kwargs(config, kwargs))
        )

    async def ainvoke(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> _Output:
        answer = await self._runnable().ainvoke(input, config, stop=stop, **session_kwargs(config, kwargs))
        return cast(_Output, answer)

    def stream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> Iterator[_Chunk]:
        return self._runnable().stream(input, config, stop=stop, **session_kwargs(config, kwargs))

    def astream(
        self,
        input: LanguageModelInput,
        config: RunnableConfig | None = None,
        *,
        stop: list[str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[_Chunk]:
        return self._runnable().astream(input, config, stop=stop, **session_kwargs(config, kwargs))


def cut_tokens(events: Iterable[ev.StreamEvent], stop: list[str] | None) -> Iterator[str]:
    """The text of a stream's token events, cut before the first stop sequence."""
    cutter = StopCutter(stop)
    for event in events:
        if isinstance(event, ev.TokenEvent) and (text := cutter.feed(event.data)):
            yield text
    if tail := cutter.flush():
        yield tail


async def acut_tokens(events: AsyncIterable[ev.StreamEvent], stop: list[str] | None) -> AsyncIterator[str]:
    """:func:`cut_tokens` for an async stream."""
    cutter = StopCutter(stop)
    async for event in events:
        if isinstance(event, ev.TokenEvent) and (text := cutter.feed(event.data)):
            yield text
    if tail := cutter.flush():
        yield tail
