"""``FlowiseRunnable``: a Flowise flow as a runnable returning the whole ``Prediction``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from typing_extensions import TypedDict, override

from ..types import HistoryMessage, Prediction, Upload
from ..types.stream_events import StreamEvent
from ._connection import FlowiseConnection, merge_override_config
from ._convert import history_from_messages

__all__ = ["FlowiseRunnable", "PredictionInput"]


class PredictionInput(TypedDict, total=False):
    """A prediction request as a dict; every key is optional (a ``form`` replaces the question)."""

    question: str
    history: list[HistoryMessage | dict[str, Any] | BaseMessage]
    override_config: dict[str, Any]
    uploads: list[Upload | dict[str, Any]]
    form: dict[str, Any]
    human_input: dict[str, Any]
    chat_id: str


_INPUT_KEYS = frozenset(PredictionInput.__annotations__)


def _no_kwargs(kwargs: dict[str, Any]) -> None:
    if kwargs:
        raise TypeError(
            f"unexpected keyword argument(s) {sorted(kwargs)}; pass request fields in the input dict"
        )


class FlowiseRunnable(FlowiseConnection, RunnableSerializable[str | PredictionInput, Prediction]):
    """Runs a Flowise chatflow, agentflow or assistant and returns the full ``Prediction``.

    The input is a question (``str``) or a :class:`PredictionInput` dict (``question``,
    ``history`` — dicts, :class:`~flowise_integrations.HistoryMessage` or LangChain messages —,
    ``override_config``, ``uploads``, ``form``, ``human_input``, ``chat_id``). ``invoke`` returns
    the :class:`~flowise_integrations.Prediction` (text, source documents, used tools, agentflow
    node data, ids, usage). ``stream`` and ``astream`` yield the typed stream events
    (:data:`flowise_integrations.types.StreamEvent`) as they arrive, rather than partial
    predictions. ``batch``/``abatch`` run one prediction per input, up to ``max_concurrency`` at
    a time.

    The session id is, lowest to highest precedence: the ``session_id`` field,
    ``config["configurable"]["session_id"]``, the input's ``override_config["sessionId"]``.

    Example:
        .. code-block:: python

            from flowise_integrations.langchain import FlowiseRunnable

            flow = FlowiseRunnable(chatflow_id="...")
            prediction = flow.invoke({"question": "Why is the sky blue?"})
            prediction.text, prediction.source_documents
    """

    chatflow_id: str
    """The chatflow, agentflow or assistant to run (its id)."""

    session_id: str | None = None
    """Flowise memory session for every call (``overrideConfig.sessionId``)."""

    override_config: dict[str, Any] | None = None
    """``overrideConfig`` sent with every call, under the input's own."""

    def _arguments(self, input: str | PredictionInput, config: RunnableConfig) -> dict[str, Any]:
        """Keyword arguments for ``predictions.create``/``stream`` from the input and the config."""
        if isinstance(input, str):
            data: dict[str, Any] = {"question": input}
        elif isinstance(input, Mapping):
            data = dict(input)
            unknown = set(data) - _INPUT_KEYS
            if unknown:
                raise ValueError(f"unknown input key(s) {sorted(unknown)}; expected {sorted(_INPUT_KEYS)}")
        else:
            raise TypeError(f"FlowiseRunnable takes a str or a dict, got {type(input).__name__}")
        history = data.get("history")
        if history is not None:
            data["history"] = [
                history_from_messages([item])[0] if isinstance(item, BaseMessage) else item
                for item in history
            ]
        session_id = (config.get("configurable") or {}).get("session_id")
        override_config = merge_override_config(
            self.override_config,
            {"sessionId": self.session_id} if self.session_id else None,
            {"sessionId": session_id} if isinstance(session_id, str) and session_id else None,
            data.get("override_config"),
        )
        data["override_config"] = override_config or None
        return data

    def _invoke(
        self, input: str | PredictionInput, run_manager: CallbackManagerForChainRun, config: RunnableConfig
    ) -> Prediction:
        return self._client.predictions.create(self.chatflow_id, **self._arguments(input, config))

    async def _ainvoke(
        self,
        input: str | PredictionInput,
        run_manager: AsyncCallbackManagerForChainRun,
        config: RunnableConfig,
    ) -> Prediction:
        return await self._async_client.predictions.create(self.chatflow_id, **self._arguments(input, config))

    @override
    def invoke(
        self, input: str | PredictionInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Prediction:
        _no_kwargs(kwargs)
        return self._call_with_config(self._invoke, input, config)

    @override
    async def ainvoke(
        self, input: str | PredictionInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Prediction:
        _no_kwargs(kwargs)
        return await self._acall_with_config(self._ainvoke, input, config)

    def _events(
        self, inputs: Iterator[str | PredictionInput], config: RunnableConfig
    ) -> Iterator[StreamEvent]:
        for input in inputs:
            with self._client.predictions.stream(
                self.chatflow_id, **self._arguments(input, config)
            ) as stream:
                yield from stream

    async def _aevents(
        self, inputs: AsyncIterator[str | PredictionInput], config: RunnableConfig
    ) -> AsyncIterator[StreamEvent]:
        async for input in inputs:
            stream = self._async_client.predictions.stream(self.chatflow_id, **self._arguments(input, config))
            async with stream:
                async for event in stream:
                    yield event

    # The events are not partial predictions, so these narrow Runnable's `Iterator[Output]`.
    @override
    def stream(  # type: ignore[override]
        self, input: str | PredictionInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[StreamEvent]:
        _no_kwargs(kwargs)
        yield from self._transform_stream_with_config(iter([input]), self._events, config)  # type: ignore[arg-type, misc]

    @override
    async def astream(  # type: ignore[override]
        self, input: str | PredictionInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[StreamEvent]:
        async def single() -> AsyncIterator[str | PredictionInput]:
            yield input

        _no_kwargs(kwargs)
        events: AsyncIterator[StreamEvent] = self._atransform_stream_with_config(
            single(),
            self._aevents,  # type: ignore[arg-type]
            config,
        )  # type: ignore[assignment]
        async for event in events:
            yield event
