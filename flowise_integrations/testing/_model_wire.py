"""OpenAI's chat-completion and embedding wire format, as the model stand-in speaks it.

Requests are read the way OpenAI reads them (errors in its ``{"error": {...}}`` shape), and replies
are the objects its API returns: ``chat.completion`` with text or ``tool_calls``, the
``chat.completion.chunk`` frames of a stream (tool-call arguments arriving in pieces, as OpenAI
sends them), and embedding lists.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._model_text import (
    DEFAULT_EMBEDDING_DIMENSIONS,
    content_text,
    count_tokens,
    embed_text,
    encode_base64,
    split_tokens,
)

__all__ = [
    "Reply",
    "RequestError",
    "ToolCall",
    "completion",
    "completion_chunks",
    "dimensions",
    "embedding_inputs",
    "embeddings_response",
    "error_body",
    "include_usage",
    "json_bytes",
    "request_messages",
]


@dataclass(frozen=True)
class ToolCall:
    """A function call the stand-in's reply makes instead of answering with text.

    ``arguments`` is sent as the JSON text OpenAI sends (a string is sent as it is, so a test can
    send malformed arguments); ``id`` defaults to a fresh ``call_...`` id.
    """

    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")

    @property
    def arguments_json(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)

    def to_wire(self, index: int | None = None) -> dict[str, Any]:
        call: dict[str, Any] = {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments_json},
        }
        return call if index is None else {"index": index, **call}


Reply = str | ToolCall | Sequence[ToolCall]
"""One reply of the stand-in: text, one tool call, or several tool calls made at once."""


def _tool_calls(reply: Reply) -> list[ToolCall]:
    if isinstance(reply, str):
        return []
    return [reply] if isinstance(reply, ToolCall) else list(reply)


class RequestError(Exception):
    """A client error, answered in OpenAI's error shape."""

    def __init__(self, status: int, message: str, error_type: str = "invalid_request_error") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type


def json_bytes(payload: Any) -> bytes:
    """Compact JSON, as OpenAI's servers send it."""
    return json.dumps(payload, separators=(",", ":")).encode()


def error_body(message: str, error_type: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": None, "code": None}}


def embedding_inputs(value: Any) -> list[str]:
    """Normalise the ``input`` field: a string, a list of strings, token ids, or lists of token ids."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value:
        if all(isinstance(v, int) for v in value):
            return [" ".join(str(v) for v in value)]
        if all(isinstance(v, str) for v in value):
            return list(value)
        if all(isinstance(v, list) and all(isinstance(i, int) for i in v) for v in value):
            return [" ".join(str(i) for i in v) for v in value]
    raise RequestError(400, "'input' must be a string, a list of strings or a list of token-id lists.")


def dimensions(body: dict[str, Any]) -> int:
    value = body.get("dimensions")
    if value is None:
        return DEFAULT_EMBEDDING_DIMENSIONS
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RequestError(400, "'dimensions' must be a positive integer.")
    return value


def request_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError(400, "'messages' is required and must be a non-empty array.")
    if not all(isinstance(m, dict) for m in messages):
        raise RequestError(400, "every item of 'messages' must be an object.")
    return messages


def include_usage(body: dict[str, Any]) -> bool:
    options = body.get("stream_options")
    return isinstance(options, dict) and bool(options.get("include_usage"))


def usage(messages: Sequence[dict[str, Any]], reply: Reply) -> dict[str, int]:
    prompt = sum(count_tokens(content_text(m.get("content"))) for m in messages)
    if isinstance(reply, str):
        completion_tokens = count_tokens(reply)
    else:
        completion_tokens = sum(count_tokens(f"{c.name} {c.arguments_json}") for c in _tool_calls(reply))
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
    }


def completion(model: str, messages: Sequence[dict[str, Any]], reply: Reply) -> dict[str, Any]:
    """The ``chat.completion`` object of one reply: text, or ``tool_calls`` (``finish_reason`` to match)."""
    calls = _tool_calls(reply)
    message: dict[str, Any] = {"role": "assistant", "content": reply if isinstance(reply, str) else None}
    message["refusal"] = None
    if calls:
        message["tool_calls"] = [call.to_wire() for call in calls]
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "tool_calls" if calls else "stop",
            }
        ],
        "usage": usage(messages, reply),
    }


def completion_chunks(
    model: str,
    messages: Sequence[dict[str, Any]],
    reply: Reply,
    *,
    include_usage: bool,
    token_delay: float = 0.0,
) -> Iterator[dict[str, Any]]:
    """The ``chat.completion.chunk`` objects of one streamed reply; sleeps ``token_delay`` per token.

    Text comes a word at a time. Each tool call starts with a frame holding its index, id and name
    (empty arguments), and its arguments follow in pieces, as OpenAI streams them.
    """
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": None,
    }

    def chunk(delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
        frame = {
            **base,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
        }
        if include_usage:
            frame["usage"] = None
        return frame

    calls = _tool_calls(reply)
    if isinstance(reply, str):
        yield chunk({"role": "assistant", "content": "", "refusal": None}, None)
        pieces: list[dict[str, Any]] = [{"content": token} for token in split_tokens(reply)]
    else:
        yield chunk({"role": "assistant", "content": None, "refusal": None}, None)
        pieces = []
        for index, call in enumerate(calls):
            opening = {
                "index": index,
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            pieces.append({"tool_calls": [opening]})
            pieces += [
                {"tool_calls": [{"index": index, "function": {"arguments": part}}]}
                for part in split_tokens(call.arguments_json)
            ]
    for delta in pieces:
        if token_delay:
            time.sleep(token_delay)
        yield chunk(delta, None)
    yield chunk({}, "tool_calls" if calls else "stop")
    if include_usage:
        yield {**base, "choices": [], "usage": usage(messages, reply)}


def embeddings_response(body: dict[str, Any], default_model: str) -> dict[str, Any]:
    texts = embedding_inputs(body.get("input"))
    size = dimensions(body)
    as_base64 = body.get("encoding_format") == "base64"
    data = []
    for index, text in enumerate(texts):
        vector = embed_text(text, size)
        embedding: list[float] | str = encode_base64(vector) if as_base64 else vector
        data.append({"object": "embedding", "index": index, "embedding": embedding})
    tokens = sum(count_tokens(t) for t in texts)
    return {
        "object": "list",
        "data": data,
        "model": str(body.get("model") or default_model),
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }
