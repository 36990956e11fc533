"""``AsyncPredictionStream``: a streamed prediction as an iterator of typed events."""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from .._constants import STREAM_IDLE_TIMEOUT
from .._core.events import decode_event
from .._core.finalize import close_when_collected
from .._core.idle import IdleWatch
from .._core.prediction import DiscardingAccumulator, PredictionAccumulator, events_from_prediction
from .._core.request import RequestSpec
from .._core.response import parse_body, translate_transport_error, validate_as
from .._core.sse import SSEDecoder
from .._exceptions import APIConnectionError, APIError, APIResponseValidationError, StreamError
from .._types import RequestOptions
from ..types import stream_events as ev
from ..types.predictions import Prediction

if TYPE_CHECKING:
    from ._client import AsyncFlowise

__all__ = ["AsyncPredictionStream"]


class _StreamState:
    """What the event generator updates: kept apart from the stream object so the generator holds
    no reference to it, and a dropped stream is freed (and its connection released) at once."""

    __slots__ = ("accumulator", "chat_id", "done", "idle")

    def __init__(
        self, accumulator: PredictionAccumulator | DiscardingAccumulator, chat_id: str, idle: IdleWatch
    ) -> None:
        self.accumulator = accumulator
        self.chat_id = chat_id
        self.idle = idle
        self.done = False


async def _no_events() -> AsyncIterator[ev.StreamEvent]:
    return
    yield  # makes this an (empty) generator


async def _events(response: httpx.Response, state: _StreamState) -> AsyncIterator[ev.StreamEvent]:
    try:
        if "text/event-stream" in response.headers.get("content-type", ""):
            async for event in _sse_events(response, state):
                yield event
        else:
            # A flow Flowise cannot stream answers with its whole prediction as JSON.
            try:
                await response.aread()
            except httpx.TransportError as exc:
                raise translate_transport_error(
                    exc, response.request, streaming=True, partial_text=""
                ) from exc
            prediction: Prediction = validate_as(response, parse_body(response, "json"), Prediction)
            state.accumulator.add_prediction(prediction)
            for event in events_from_prediction(prediction):
                yield event
    finally:
        state.done = True
        await response.aclose()


async def _sse_events(response: httpx.Response, state: _StreamState) -> AsyncIterator[ev.StreamEvent]:
    decoder = SSEDecoder()
    accumulator = state.accumulator
    idle = state.idle
    idle.event()  # the clock starts when the stream opens
    ended = False
    try:
        async for chunk in response.aiter_bytes():
            events = [data for data in decoder.feed(chunk) if data.strip()]  # blank: a proxy keep-alive
            if not events:
                idle.check(response.request, partial_text=accumulator.partial_text)
                continue
            idle.event()
            for data in events:
                event = _decode(data, response, accumulator)
                accumulator.add(event)
                yield event
                if isinstance(event, ev.ErrorEvent):
                    raise StreamError(
                        event.data,
                        request=response.request,
                        chat_id=state.chat_id,
                        partial_text=accumulator.partial_text,
                    )
                ended = ended or isinstance(event, ev.EndEvent)
        for data in decoder.flush():
            if not data.strip():
                continue
            event = _decode(data, response, accumulator)
            accumulator.add(event)
            yield event
            ended = ended or isinstance(event, ev.EndEvent)
    except httpx.TransportError as exc:
        if isinstance(exc, httpx.ReadTimeout):
            idle.check(response.request, partial_text=accumulator.partial_text, read_timed_out=True)
        # The stream was open: the hint about requests Flowise never answers does not apply.
        raise translate_transport_error(
            exc, response.request, streaming=False, partial_text=accumulator.partial_text
        ) from exc
    if not ended:
        raise APIConnectionError(
            "The stream closed before Flowise sent its end event; the answer may be incomplete",
            request=response.request,
            partial_text=accumulator.partial_text,
        )


def _decode(
    data: str, response: httpx.Response, accumulator: PredictionAccumulator | DiscardingAccumulator
) -> ev.StreamEvent:
    try:
        return decode_event(data)
    except ValueError as exc:
        raise APIResponseValidationError(
            f"Invalid event in the prediction stream: {exc}",
            response=response,
            body=data[:500],
            partial_text=accumulator.partial_text,
        ) from None


class AsyncPredictionStream:
    """The events of one streamed prediction, in order; also a context manager.

    The request is sent when the stream is entered or first iterated. Iterate it for every event,
    use :attr:`text_stream` for the answer text alone, or ``await`` :meth:`final` for the
    aggregated :class:`Prediction` (the same as ``predictions.create`` returns). An ``error`` event
    is yielded and then raises :class:`StreamError`; any failure keeps the text received so far in
    the exception's ``partial_text`` and in :attr:`text`. Leaving the ``async with`` block, or
    :meth:`aclose`, closes the connection; a stream dropped without either releases it when it is
    garbage-collected.

    With ``keep_answer=False`` the stream keeps nothing of what it yields, so its memory does not
    grow with the answer: :meth:`final` and :attr:`text` raise :class:`AnswerNotKeptError`, and
    errors carry an empty ``partial_text``.
    """

    def __init__(
        self,
        client: AsyncFlowise,
        spec: RequestSpec,
        options: RequestOptions | None,
        *,
        chatflow_id: str,
        chat_id: str,
        question: str | None,
        form: Mapping[str, Any] | None = None,
        idle_timeout: float | None = STREAM_IDLE_TIMEOUT,
        keep_answer: bool = True,
    ) -> None:
        self._client = client
        self._spec = spec
        self._options = options
        self.chatflow_id = chatflow_id
        self.chat_id = chat_id
        accumulator = (
            PredictionAccumulator(chat_id=chat_id, question=question, form=form)
            if keep_answer
            else DiscardingAccumulator()
        )
        self._state = _StreamState(accumulator, chat_id, IdleWatch(idle_timeout))
        self._response: httpx.Response | None = None
        self._release: weakref.finalize[..., object] | None = None
        self._iterator: AsyncIterator[ev.StreamEvent] | None = None

    @property
    def text(self) -> str:
        """The answer text received so far (:class:`AnswerNotKeptError` with ``keep_answer=False``)."""
        return self._state.accumulator.text

    @property
    def response(self) -> httpx.Response | None:
        """The HTTP response once the stream is open."""
        return self._response

    async def _open(self) -> httpx.Response:
        if self._response is None:
            response = await self._client._send(self._spec, self._options, stream=True)
            self._response = response
            self._release = close_when_collected(self, response)
        return self._response

    def __aiter__(self) -> AsyncPredictionStream:
        return self

    async def __anext__(self) -> ev.StreamEvent:
        if self._iterator is None:
            self._iterator = _no_events()  # what is left when the request fails: nothing, not a resend
            self._iterator = _events(await self._open(), self._state)
        return await self._iterator.__anext__()

    @property
    async def text_stream(self) -> AsyncIterator[str]:
        """Only the answer text, chunk by chunk."""
        async for event in self:
            if isinstance(event, ev.TokenEvent):
                yield event.data

    async def final(self) -> Prediction:
        """Consume the rest of the stream and return the aggregated prediction.

        With ``keep_answer=False`` it raises :class:`AnswerNotKeptError` once the stream is
        consumed: nothing was kept to aggregate.
        """
        async for _ in self:
            pass
        return self._state.accumulator.final()

    async def abort(self) -> None:
        """Ask Flowise to stop this run (``PUT /chatmessage/abort/{chatflow}/{chat}``), then close."""
        try:
            await self._client.chat_messages.abort(self.chatflow_id, self.chat_id)
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Close the connection; safe to call more than once."""
        if self._iterator is not None and not self._state.done:
            aclose = getattr(self._iterator, "aclose", None)
            if aclose is not None:
                await aclose()
        if self._response is not None:
            await self._response.aclose()
        if self._release is not None:
            self._release.detach()

    async def __aenter__(self) -> AsyncPredictionStream:
        try:
            await self._open()
        except APIError:
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
