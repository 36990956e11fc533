"""``client.predictions``: run a chatflow or agentflow, whole or streamed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ..._constants import STREAM_IDLE_TIMEOUT
from ..._core.files import FileInput
from ..._core.params import check_bool, check_mapping
from ..._core.prediction import prediction_request
from ..._types import RequestOptions
from ...types.human_input import HumanInput
from ...types.predictions import HistoryInput, Prediction, Upload
from .._streaming import AsyncPredictionStream
from ._base import AsyncResource

__all__ = ["AsyncPredictions"]


def _require_uuid(chatflow_id: str) -> None:
    try:
        uuid.UUID(chatflow_id)
    except (ValueError, TypeError, AttributeError):
        raise ValueError(
            f"chatflow_id {chatflow_id!r} is not a UUID: Flowise would never answer this streaming request"
        ) from None


class AsyncPredictions(AsyncResource):
    """``POST /prediction/{id}``. Not idempotent: every call runs the flow and stores messages."""

    async def create(
        self,
        chatflow_id: str,
        question: str | None = None,
        *,
        chat_id: str | None = None,
        override_config: Mapping[str, Any] | None = None,
        history: list[HistoryInput] | None = None,
        uploads: Sequence[Upload | Mapping[str, Any]] | None = None,
        files: Sequence[FileInput] | None = None,
        form: Mapping[str, Any] | None = None,
        human_input: HumanInput | Mapping[str, Any] | None = None,
        action: Mapping[str, Any] | None = None,
        lead_email: str | None = None,
        options: RequestOptions | None = None,
    ) -> Prediction:
        """Run the flow and wait for the whole answer.

        ``history`` items are ``{"role": "user"|"assistant"|"userMessage"|"apiMessage", "content"}``.
        ``uploads`` go in the JSON body (see :class:`Upload`); ``files`` make the request multipart
        (for flows with a file loader), which Flowise parses more narrowly: no history, uploads, form
        or human input alongside, and ``override_config`` values sent as form fields.
        ``override_config["sessionId"]`` selects the memory session; other keys apply only to what
        the chatflow's API config enables.

        ``human_input`` resumes an agentflow that stopped for input (``prediction.action`` is set):
        send the same ``chat_id``, no question, and a :class:`~flowise_integrations.types.HumanInput`
        or ``{"type": "proceed"|"reject", "feedback": ...}``. A run that is not waiting any more
        raises :class:`NotResumableError`.
        """
        spec = prediction_request(
            chatflow_id,
            question=question,
            streaming=False,
            chat_id=chat_id,
            override_config=override_config,
            history=history,
            uploads=uploads,
            form=form,
            human_input=human_input,
            action=action,
            lead_email=lead_email,
            files=files,
        )
        return await self._client._request(spec, options, cast=Prediction)

    def stream(
        self,
        chatflow_id: str,
        question: str | None = None,
        *,
        chat_id: str | None = None,
        override_config: Mapping[str, Any] | None = None,
        history: list[HistoryInput] | None = None,
        uploads: Sequence[Upload | Mapping[str, Any]] | None = None,
        files: Sequence[FileInput] | None = None,
        form: Mapping[str, Any] | None = None,
        human_input: HumanInput | Mapping[str, Any] | None = None,
        action: Mapping[str, Any] | None = None,
        lead_email: str | None = None,
        idle_timeout: float | None = STREAM_IDLE_TIMEOUT,
        keep_answer: bool = True,
        options: RequestOptions | None = None,
    ) -> AsyncPredictionStream:
        """Run the flow and stream its events; use as ``async with client.predictions.stream(...) as s``.

        Takes the same arguments as :meth:`create`. When no ``chat_id`` is given one is generated
        (the session id if ``override_config`` names one) so the run can be aborted with
        ``stream.abort()``. A flow Flowise cannot stream still yields ``token``, ``metadata`` and
        ``end`` events. The read timeout applies per chunk (default 60 s); ``idle_timeout`` (default
        300 s, ``None`` for no limit) bounds the time between two events, which Flowise's 30-second
        heartbeats do not reset, so a run nothing is executing any more fails with
        :class:`APITimeoutError` (``phase="idle"``) instead of streaming heartbeats forever. It also
        caps the read timeout; past 30 s it is noticed at the next heartbeat, so up to 30 s late.

        The stream keeps the answer for ``stream.final()`` and ``stream.text``: all its text and
        extras, held until the stream is dropped. ``keep_answer=False`` keeps none of it, for a long
        answer read as it arrives (``text_stream`` or the events); ``final()`` and ``text`` then
        raise :class:`AnswerNotKeptError`, and errors carry an empty ``partial_text``.
        """
        _require_uuid(chatflow_id)
        check_mapping("override_config", override_config)
        check_bool("keep_answer", keep_answer)
        session_id = (override_config or {}).get("sessionId")
        chat_id = chat_id or (session_id if isinstance(session_id, str) and session_id else str(uuid.uuid4()))
        spec = prediction_request(
            chatflow_id,
            question=question,
            streaming=True,
            chat_id=chat_id,
            override_config=override_config,
            history=history,
            uploads=uploads,
            form=form,
            human_input=human_input,
            action=action,
            lead_email=lead_email,
            files=files,
            idle_timeout=idle_timeout,
        )
        return AsyncPredictionStream(
            self._client,
            spec,
            options,
            chatflow_id=chatflow_id,
            chat_id=chat_id,
            question=question,
            form=form,
            idle_timeout=idle_timeout,
            keep_answer=keep_answer,
        )
