"""One prediction, whole or streamed, as every adapter sends it.

A :class:`PredictionArgs` holds what the adapters put into ``predictions.create``/``stream``;
the stream helpers open the stream at once (so a wrong id or key raises from the call, not from
the first iteration) and turn it into text deltas, handing the aggregated
:class:`~flowise_integrations.Prediction` to a callback when Flowise has sent everything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from typing import Any

from .._async._client import AsyncFlowise
from .._async._streaming import AsyncPredictionStream
from .._sync._client import Flowise
from .._sync._streaming import PredictionStream
from ..types import HistoryMessage, Prediction
from ..types.stream_events import TokenEvent

__all__ = [
    "PredictionArgs",
    "aiter_deltas",
    "aopen_stream",
    "arun",
    "iter_deltas",
    "merge_override_config",
    "open_stream",
    "run",
]


def merge_override_config(
    base: Mapping[str, Any] | None, *, session_id: str | None = None, extra: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """``base`` updated with ``extra`` and, when given, ``sessionId``; ``None`` when empty."""
    merged = {**(base or {}), **(extra or {})}
    if session_id is not None:
        merged["sessionId"] = session_id
    return merged or None


@dataclasses.dataclass(frozen=True)
class PredictionArgs:
    """The arguments of one prediction."""

    chatflow_id: str
    question: str | None = None
    history: list[HistoryMessage] | None = None
    override_config: dict[str, Any] | None = None
    chat_id: str | None = None
    form: dict[str, Any] | None = None

    def kwargs(self) -> dict[str, Any]:
        return {
            "chat_id": self.chat_id,
            "override_config": self.override_config,
            "history": list(self.history) if self.history else None,
            "form": self.form,
        }


def run(client: Flowise, args: PredictionArgs) -> Prediction:
    return client.predictions.create(args.chatflow_id, args.question, **args.kwargs())


async def arun(client: AsyncFlowise, args: PredictionArgs) -> Prediction:
    return await client.predictions.create(args.chatflow_id, args.question, **args.kwargs())


def open_stream(client: Flowise, args: PredictionArgs) -> PredictionStream:
    """The stream, already connected: HTTP errors raise here."""
    stream = client.predictions.stream(args.chatflow_id, args.question, **args.kwargs())
    return stream.__enter__()


async def aopen_stream(client: AsyncFlowise, args: PredictionArgs) -> AsyncPredictionStream:
    """The stream, already connected: HTTP errors raise here."""
    stream = client.predictions.stream(args.chatflow_id, args.question, **args.kwargs())
    return await stream.__aenter__()


def iter_deltas(
    stream: PredictionStream, on_final: Callable[[Prediction], None]
) -> Generator[str, None, None]:
    """The answer's text chunks; ``on_final`` gets the aggregated prediction after the last one.

    The connection closes when the iterator ends, fails or is closed. Errors (a ``StreamError``
    for Flowise's in-band error event) propagate unchanged.
    """
    try:
        for event in stream:
            if isinstance(event, TokenEvent) and event.data:
                yield event.data
        on_final(stream.final())
    finally:
        stream.close()


async def aiter_deltas(
    stream: AsyncPredictionStream, on_final: Callable[[Prediction], None]
) -> AsyncGenerator[str, None]:
    """Async twin of :func:`iter_deltas`."""
    try:
        async for event in stream:
            if isinstance(event, TokenEvent) and event.data:
                yield event.data
        on_final(await stream.final())
    finally:
        await stream.aclose()
