"""Prediction bodies and stream aggregation, shared by ``create`` and ``stream`` on both clients.

:func:`prediction_request` validates arguments and builds the request (JSON, or multipart when
files are attached). :class:`PredictionAccumulator` folds stream events into the same
:class:`~flowise_integrations.types.Prediction` that ``create`` returns
(:class:`DiscardingAccumulator` stands in for it on a stream opened with ``keep_answer=False``, and
keeps nothing), and :func:`events_from_prediction` turns a JSON answer (a flow Flowise cannot
stream) into the events a stream would have carried, so callers never branch on the flow type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from .._constants import PREDICTION_TIMEOUT, STREAM_TIMEOUT
from .._exceptions import AnswerNotKeptError
from ..types import stream_events as ev
from ..types.human_input import HumanInput
from ..types.predictions import (
    HistoryInput,
    Prediction,
    PredictionMetadata,
    Upload,
    UsageMetadata,
    history_to_wire,
)
from .files import FileInput
from .params import check_mapping, check_str, file_parts
from .request import RequestSpec, path

__all__ = [
    "DiscardingAccumulator",
    "PredictionAccumulator",
    "events_from_prediction",
    "place_system_text",
    "prediction_request",
]

# Tokens are joined in groups of this many: a long stream keeps its text, not one string object
# (about 50 bytes of overhead each) per token.
_TOKENS_PER_CHUNK = 256


def place_system_text(question: str, system: str | None, key: str | None) -> tuple[str, dict[str, str]]:
    """The question and the ``override_config`` entries that carry a conversation's system text.

    Flowise's history has no system role. With ``key`` (the flow's system-prompt input, e.g.
    ``"systemMessagePrompt"``) the text replaces the flow's system prompt; without it, it goes
    before the question, so nothing the caller wrote is lost. The adapters of both frameworks
    place it the same way.
    """
    if not system:
        return question, {}
    if key:
        return question, {key: system}
    return f"{system}\n\n{question}", {}


def _uploads_to_wire(uploads: Sequence[Upload | Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(uploads, (str, bytes)) or not isinstance(uploads, Sequence):
        raise TypeError("uploads must be a list of Upload objects or dicts")
    return [Upload.model_validate(item).to_wire() for item in uploads]


def _form_field(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError(
        f"with files attached, override_config values are sent as form fields and must be "
        f"strings, numbers or booleans; got {type(value).__name__}"
    )


def _human_input(value: HumanInput | Mapping[str, Any] | None) -> HumanInput | None:
    """The resume decision, checked: a :class:`HumanInput` or a mapping with ``type``."""
    if value is None:
        return None
    if not isinstance(value, (HumanInput, Mapping)):
        raise TypeError(f"human_input must be a HumanInput or a mapping, got {type(value).__name__}")
    try:
        return HumanInput.coerce(value)
    except ValidationError as exc:
        raise ValueError(f"invalid human_input: {exc.errors()[0]['msg']}") from None


def prediction_request(
    chatflow_id: str,
    *,
    question: str | None,
    streaming: bool,
    chat_id: str | None,
    override_config: Mapping[str, Any] | None,
    history: list[HistoryInput] | None,
    uploads: Sequence[Upload | Mapping[str, Any]] | None,
    form: Mapping[str, Any] | None,
    human_input: HumanInput | Mapping[str, Any] | None,
    action: Mapping[str, Any] | None,
    lead_email: str | None,
    files: Sequence[FileInput] | None,
    idle_timeout: float | None = None,
) -> RequestSpec:
    """The request for ``POST /prediction/{chatflow_id}``; bad arguments raise before any I/O.

    A stream's ``idle_timeout`` also caps its read timeout, so a stream that goes silent fails
    after that long even between two heartbeats.
    """
    route = path("prediction/{id}", id=chatflow_id)
    for name, value in (("question", question), ("chat_id", chat_id), ("lead_email", lead_email)):
        check_str(name, value)
    mappings: tuple[tuple[str, Mapping[str, Any] | None], ...] = (
        ("override_config", override_config),
        ("form", form),
        ("action", action),
    )
    for name, mapping in mappings:
        check_mapping(name, mapping)
    if question and form:
        raise ValueError("question and form cannot be given together (Flowise refuses it)")
    resume = _human_input(human_input)
    session_id = (override_config or {}).get("sessionId")
    if session_id is not None and not isinstance(session_id, str):
        raise TypeError('override_config["sessionId"] must be a string')
    timeout = STREAM_TIMEOUT if streaming else PREDICTION_TIMEOUT
    accept = "text/event-stream, application/json" if streaming else "application/json"

    if files:
        if history or uploads or form or human_input or action:
            raise ValueError(
                "with files attached the request is multipart, where Flowise does not parse history, "
                "uploads, form, human_input or action; send those without files"
            )
        data = {key: _form_field(value) for key, value in (override_config or {}).items()}
        data.update(
            {
                k: v
                for k, v in (("question", question), ("chatId", chat_id), ("leadEmail", lead_email))
                if v is not None
            }
        )
        if streaming:
            data["streaming"] = "true"
        parts = file_parts(files)
        return RequestSpec(
            "POST",
            route,
            data=data,
            files=parts,
            idempotent=False,
            default_timeout=timeout,
            accept=accept,
            read_timeout_cap=idle_timeout,
        )

    body: dict[str, Any] = {}
    if question is not None:
        body["question"] = question
    if streaming:
        body["streaming"] = True
    optional: tuple[tuple[str, Any], ...] = (
        ("chatId", chat_id),
        ("overrideConfig", dict(override_config) if override_config is not None else None),
        ("history", history_to_wire(history) if history is not None else None),
        ("uploads", _uploads_to_wire(uploads) if uploads is not None else None),
        ("form", dict(form) if form is not None else None),
        ("humanInput", resume.to_wire() if resume is not None else None),
        ("action", dict(action) if action is not None else None),
        ("leadEmail", lead_email),
    )
    body.update({key: value for key, value in optional if value is not None})
    return RequestSpec(
        "POST",
        route,
        json=body,
        idempotent=False,
        default_timeout=timeout,
        accept=accept,
        read_timeout_cap=idle_timeout,
        capability="human_input" if resume is not None else None,
    )


class PredictionAccumulator:
    """Folds stream events into a :class:`Prediction`, keeping the text received so far.

    The final text is the concatenation of ``token`` events (``start`` repeats the first token and
    is ignored). When a stream carried no token at all, the output of the last agentflow node is
    used, as Flowise's own UI does. A flow Flowise cannot stream answers with its whole prediction,
    which :meth:`add_prediction` keeps as the answer.
    """

    def __init__(
        self, *, chat_id: str | None, question: str | None, form: Mapping[str, Any] | None = None
    ) -> None:
        self._chunks: list[str] = []  # joined groups of tokens
        self._tokens: list[str] = []  # the tokens since the last group
        self._fields: dict[str, Any] = {"chatId": chat_id, "question": question}
        if form is not None:
            self._fields["form"] = dict(form)
        self._metadata: PredictionMetadata | None = None
        self._usage: UsageMetadata | None = None
        self._prediction: Prediction | None = None
        self.error: str | None = None

    @property
    def text(self) -> str:
        """The answer text received so far."""
        if self._prediction is not None:
            return self._prediction.text
        return "".join(self._chunks) + "".join(self._tokens)

    # What an error raised mid-stream carries: everything received.
    partial_text = text

    def add_prediction(self, prediction: Prediction) -> None:
        """Keep the whole prediction a flow Flowise cannot stream answered with."""
        self._prediction = prediction

    def add(self, event: ev.StreamEvent) -> None:
        if isinstance(event, ev.TokenEvent):
            tokens = self._tokens
            tokens.append(event.data)
            if len(tokens) >= _TOKENS_PER_CHUNK:
                self._chunks.append("".join(tokens))
                tokens.clear()
        elif isinstance(event, ev.MetadataEvent):
            self._metadata = event.data
        elif isinstance(event, ev.UsageMetadataEvent):
            self._usage = event.data if self._usage is None else self._usage + event.data
        elif isinstance(event, ev.ErrorEvent):
            self.error = event.data
        elif isinstance(event, ev.SourceDocumentsEvent):
            self._fields["sourceDocuments"] = event.data
        elif isinstance(event, ev.UsedToolsEvent):
            self._fields["usedTools"] = event.data
        elif isinstance(event, ev.AgentReasoningEvent):
            self._fields["agentReasoning"] = event.data
        elif isinstance(event, ev.ArtifactsEvent):
            self._fields["artifacts"] = event.data
        elif isinstance(event, ev.FileAnnotationsEvent):
            self._fields["fileAnnotations"] = event.data
        elif isinstance(event, ev.AgentFlowExecutedDataEvent):
            self._fields["agentFlowExecutedData"] = event.data
        elif isinstance(event, ev.ActionEvent):
            self._fields["action"] = event.data

    def final(self) -> Prediction:
        """The aggregated prediction; identical in shape to a non-streaming ``create``."""
        if self._prediction is not None:
            return self._prediction
        fields = dict(self._fields)
        if self._metadata is not None:
            fields.update(self._metadata.model_dump(by_alias=True, exclude_unset=True))
        text = self.text
        if not self._tokens and not self._chunks:
            executed = fields.get("agentFlowExecutedData") or []
            if executed:
                content = executed[-1].output.get("content")
                text = content if isinstance(content, str) else ""
        fields["text"] = text
        if self._usage is not None:
            fields["usage"] = self._usage
        return Prediction.model_validate(fields)


class DiscardingAccumulator:
    """Takes the place of :class:`PredictionAccumulator` on a stream opened with ``keep_answer=False``.

    It keeps nothing of what it is given, so a stream's memory does not grow with its answer.
    Errors raised mid-stream carry an empty ``partial_text``; asking for the answer raises
    :class:`AnswerNotKeptError`.
    """

    __slots__ = ()

    partial_text = ""

    @property
    def text(self) -> str:
        raise AnswerNotKeptError()

    def add(self, event: ev.StreamEvent) -> None:
        """Drop the event: the caller iterating the stream has it."""

    def add_prediction(self, prediction: Prediction) -> None:
        """Drop the prediction: the caller iterating the stream gets it as events."""

    def final(self) -> Prediction:
        raise AnswerNotKeptError()


def events_from_prediction(prediction: Prediction) -> Iterable[ev.StreamEvent]:
    """The events a stream would have carried for ``prediction`` (token, extras, metadata, end)."""
    if prediction.text:
        yield ev.TokenEvent(prediction.text)
    if prediction.source_documents:
        yield ev.SourceDocumentsEvent(prediction.source_documents)
    if prediction.used_tools:
        yield ev.UsedToolsEvent(prediction.used_tools)
    if prediction.agent_reasoning:
        yield ev.AgentReasoningEvent(prediction.agent_reasoning)
    if prediction.artifacts:
        yield ev.ArtifactsEvent(prediction.artifacts)
    if prediction.file_annotations:
        yield ev.FileAnnotationsEvent(prediction.file_annotations)
    if prediction.agent_flow_executed_data:
        yield ev.AgentFlowExecutedDataEvent(prediction.agent_flow_executed_data)
    if prediction.action is not None:
        yield ev.ActionEvent(prediction.action)
    fields = prediction.model_dump(
        by_alias=True, exclude_unset=True, include=set(PredictionMetadata.model_fields)
    )
    metadata = PredictionMetadata.model_validate(fields)
    yield ev.MetadataEvent(metadata)
    yield ev.EndEvent("[DONE]")
