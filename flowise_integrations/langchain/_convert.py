"""Conversions between LangChain types and the client's types; no I/O.

* chat messages → the question, Flowise history, system text and image uploads of one prediction;
* a :class:`~flowise_integrations.Prediction` → ``response_metadata`` and ``usage_metadata``;
* retrieved chunks → ``Document``;
* stop sequences, applied to the answer text (Flowise has no stop parameter).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, cast

from langchain_core.documents import Document
from langchain_core.messages import AIMessage, BaseMessage, ChatMessage, HumanMessage, SystemMessage
from langchain_core.messages.ai import UsageMetadata as LCUsageMetadata
from pydantic import BaseModel

from ..types import HistoryMessage, Prediction, Upload
from ..types.document_stores import QueryDocument
from ..types.predictions import UsageMetadata

__all__ = [
    "ChatRequest",
    "StopCutter",
    "cut_at_stop",
    "history_from_messages",
    "messages_to_request",
    "query_document_to_document",
    "response_metadata",
    "usage_metadata",
]

_DATA_URI = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+)?(;[^,]*)?;base64,", re.IGNORECASE)
_Role = Literal["system", "user", "assistant"]
_CHAT_ROLES: dict[str, _Role] = {
    "system": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
}


@dataclasses.dataclass(frozen=True)
class ChatRequest:
    """What a list of chat messages becomes in a prediction request."""

    question: str
    history: list[HistoryMessage]
    system: str | None
    uploads: list[Upload]


def _role(message: BaseMessage) -> _Role:
    if isinstance(message, SystemMessage):
        return "system"
    if isinstance(message, HumanMessage):
        return "user"
    if isinstance(message, AIMessage):
        return "assistant"
    if isinstance(message, ChatMessage) and message.role.lower() in _CHAT_ROLES:
        return _CHAT_ROLES[message.role.lower()]
    raise ValueError(
        f"Flowise predictions take human, AI and system messages only, got a {message.type!r} message "
        "(tool calling is not available through a Flowise chatflow)"
    )


def _image_upload(url: str, mime: str | None = None) -> Upload:
    """An image given as a data URI or an http(s) URL, as a prediction upload."""
    match = _DATA_URI.match(url)
    if match:
        mime = mime or match.group("mime")
        if not mime:
            raise ValueError("an image data URI needs a MIME type, e.g. data:image/png;base64,...")
        extension = mime.split("/", 1)[1].split("+", 1)[0]
        return Upload(type="file", name=f"image.{extension}", mime=mime, data=url)
    if url.startswith(("http://", "https://")):
        try:
            return Upload.from_url(url, mime=mime)
        except ValueError:
            raise ValueError(
                f"cannot tell the MIME type of the image at {url!r}; use an image block with a "
                '"mime_type", e.g. {"type": "image", "url": ..., "mime_type": "image/png"}'
            ) from None
    raise ValueError(f"an image must be an http(s) URL or a base64 data URI, got {url[:40]!r}")


def _block_upload(block: Mapping[str, Any]) -> Upload:
    kind = block.get("type")
    if kind == "image_url":
        image = block.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        if not isinstance(url, str):
            raise ValueError("an image_url block needs image_url.url")
        return _image_upload(url)
    mime = block.get("mime_type")
    if block.get("url"):
        return _image_upload(str(block["url"]), mime)
    data = block.get("base64") or block.get("data")
    if isinstance(data, str):
        if not mime:
            raise ValueError('a base64 image block needs a "mime_type"')
        return _image_upload(f"data:{mime};base64,{data}", mime)
    raise ValueError('an image block needs a "url" or "base64" data')


def _split_content(content: str | list[str | dict[str, Any]]) -> tuple[str, list[Upload]]:
    """The text of a message's content and its images as uploads."""
    if isinstance(content, str):
        return content, []
    texts: list[str] = []
    uploads: list[Upload] = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
            continue
        kind = part.get("type")
        if kind == "text":
            texts.append(str(part.get("text", "")))
        elif kind in ("image_url", "image"):
            uploads.append(_block_upload(part))
        else:
            raise ValueError(f"Flowise predictions take text and images only, got a {kind!r} content block")
    return "\n".join(text for text in texts if text), uploads


def _text(message: BaseMessage) -> str:
    return message.text if isinstance(message.content, list) else message.content


def history_from_messages(messages: Sequence[BaseMessage]) -> list[HistoryMessage]:
    """Human and AI messages as Flowise history turns (text only; system messages are skipped)."""
    history: list[HistoryMessage] = []
    for message in messages:
        role = _role(message)
        if role != "system":
            history.append(HistoryMessage(role=role, content=_text(message)))
    return history


def messages_to_request(messages: Sequence[BaseMessage]) -> ChatRequest:
    """Split a conversation into the parts of a prediction.

    The last human message is the question (its images become uploads). Earlier human and AI
    messages are the history, as text. System messages, wherever they are, are joined with blank
    lines into :attr:`ChatRequest.system`. Nothing but system messages may follow the question:
    Flowise answers a question, it does not continue an AI message.
    """
    roles = [_role(message) for message in messages]
    if "user" not in roles:
        raise ValueError("Flowise needs a question: the messages must contain a human message")
    last = len(roles) - 1 - roles[::-1].index("user")
    trailing = [roles[i] for i in range(last + 1, len(roles)) if roles[i] != "system"]
    if trailing:
        raise ValueError(
            "Flowise answers the last human message: no AI message may follow it "
            f"(got {len(trailing)} after it)"
        )
    question, uploads = _split_content(messages[last].content)
    systems = [_text(m) for m, role in zip(messages, roles, strict=True) if role == "system"]
    history = history_from_messages([m for i, m in enumerate(messages[:last]) if roles[i] != "system"])
    return ChatRequest(
        question=question,
        history=history,
        system="\n\n".join(s for s in systems if s) or None,
        uploads=uploads,
    )


def _dump(items: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json", exclude_none=True) for item in items]


def response_metadata(prediction: Prediction, chatflow_id: str) -> dict[str, Any]:
    """What a chat message reports about the run: ids, sources and tools (as plain dicts)."""
    metadata: dict[str, Any] = {
        "model_provider": "flowise",
        "model_name": chatflow_id,
        "chat_id": prediction.chat_id,
        "session_id": prediction.session_id,
        "chat_message_id": prediction.chat_message_id,
        "source_documents": _dump(prediction.all_source_documents),
        "used_tools": _dump(prediction.all_used_tools),
    }
    extras = {
        "execution_id": prediction.execution_id,
        "follow_up_prompts": prediction.follow_up_prompts,
        "action": prediction.action.model_dump(mode="json", exclude_none=True) if prediction.action else None,
    }
    metadata.update({key: value for key, value in extras.items() if value is not None})
    return metadata


def usage_metadata(usage: UsageMetadata | None) -> LCUsageMetadata | None:
    """Flowise's token usage (agentflow LLM and Agent nodes only) in LangChain's shape."""
    if usage is None:
        return None
    converted = {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens or usage.input_tokens + usage.output_tokens,
    }
    return cast("LCUsageMetadata", converted)


def query_document_to_document(doc: QueryDocument, store_id: str) -> Document:
    """A retrieved chunk as a ``Document``, with the chunk's own metadata and where it came from."""
    metadata = {
        **doc.metadata,
        "chunk_id": doc.id,
        "chunk_no": doc.chunk_no,
        "doc_id": doc.metadata.get("docId"),
        "store_id": store_id,
        "source": doc.metadata.get("source"),
    }
    return Document(page_content=doc.page_content, metadata=metadata, id=doc.id)


def cut_at_stop(text: str, stop: Sequence[str] | None) -> str:
    """``text`` up to (not including) the earliest stop sequence."""
    cuts = [index for index in (text.find(s) for s in stop or () if s) if index >= 0]
    return text[: min(cuts)] if cuts else text


class StopCutter:
    """Applies stop sequences to streamed text.

    :meth:`feed` returns the text that can safely be emitted: it holds back a tail that could be
    the start of a stop sequence, and once a stop sequence is seen it emits what came before it
    and nothing after. :meth:`flush` releases the held-back tail at the end of the stream.
    """

    def __init__(self, stop: Sequence[str] | None) -> None:
        self._stop = [s for s in stop or () if s]
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        if self.stopped:
            return ""
        if not self._stop:
            return text
        buffer = self._held + text
        cut = cut_at_stop(buffer, self._stop)
        if len(cut) < len(buffer):
            self.stopped = True
            self._held = ""
            return cut
        keep = max(
            (n for s in self._stop for n in range(1, len(s)) if buffer.endswith(s[:n])),
            default=0,
        )
        self._held = buffer[len(buffer) - keep :] if keep else ""
        return buffer[: len(buffer) - keep]

    def flush(self) -> str:
        held, self._held = self._held, ""
        return "" if self.stopped else held
