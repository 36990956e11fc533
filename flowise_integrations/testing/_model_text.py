"""What the model stand-in says and how it embeds: tokens, the default reply, hashed embeddings.

Deterministic by design: the same messages give the same reply and the same text the same vector,
so tests can assert on exact output and retrieval order.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
from collections.abc import Iterator, Sequence
from typing import Any

__all__ = [
    "DEFAULT_EMBEDDING_DIMENSIONS",
    "content_text",
    "count_tokens",
    "default_reply",
    "embed_text",
    "encode_base64",
    "split_tokens",
]

DEFAULT_EMBEDDING_DIMENSIONS = 256
_TRIGRAM_WEIGHT = 0.25
_WORD_RE = re.compile(r"[^\W_]+")
_TOKEN_RE = re.compile(r"\s*\S+|\s+$")
_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very was
    we were what when where which while who whom why will with would you your yours yourself yourselves
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


# --------------------------------------------------------------------------------------------- text helpers


def split_tokens(text: str) -> list[str]:
    """Split ``text`` into streaming tokens on word boundaries, each keeping its leading whitespace.

    ``"FAKE: stream chain"`` becomes ``["FAKE:", " stream", " chain"]``; joining the tokens gives ``text``
    back.
    """
    return _TOKEN_RE.findall(text)


def content_text(content: Any) -> str:
    """Return the text of a message ``content``: a string, or a list of parts whose text parts are joined."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type", "text") == "text"
        ]
        return " ".join(texts)
    return ""


def default_reply(messages: Sequence[dict[str, Any]]) -> str:
    """``"FAKE: "`` followed by the text of the last user message."""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return "FAKE: " + content_text(message.get("content"))
    return "FAKE: "


def count_tokens(text: str) -> int:
    return len(text.split())


# --------------------------------------------------------------------------------------------- embeddings


def _normalise_word(word: str) -> str:
    """Fold simple plurals so that "volcanoes"/"volcano" and "plants"/"plant" share most features."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _content_words(text: str) -> list[str]:
    words = (_normalise_word(w) for w in _WORD_RE.findall(text.lower()))
    return [w for w in words if w not in _STOP_WORDS]


def _features(text: str) -> Iterator[tuple[str, float]]:
    """Weighted features of ``text``: each content word, plus its character trigrams at a lower weight."""
    for word in _content_words(text):
        yield "w:" + word, 1.0
        padded = f"<{word}>"
        for i in range(len(padded) - 2):
            yield "t:" + padded[i : i + 3], _TRIGRAM_WEIGHT


def _bucket(feature: str, dimensions: int) -> tuple[int, float]:
    digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "little")
    sign = 1.0 if digest & 1 else -1.0
    return (digest >> 1) % dimensions, sign


def embed_text(text: str, dimensions: int = DEFAULT_EMBEDDING_DIMENSIONS) -> list[float]:
    """Deterministic, L2-normalised hashed bag-of-words embedding of ``text``.

    Texts without content words map to the first unit vector, so every embedding has norm 1.
    """
    vector = [0.0] * dimensions
    for feature, weight in _features(text):
        index, sign = _bucket(feature, dimensions)
        vector[index] += sign * weight
    norm = math.sqrt(sum(v * v for v in vector))
    if norm == 0.0:
        vector[0] = 1.0
        return vector
    return [v / norm for v in vector]


def encode_base64(vector: Sequence[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
