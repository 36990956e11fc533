"""Incremental Server-Sent Events decoding, correct for any split of the byte stream.

Flowise frames each event as ``message:\\ndata:<json>\\n\\n`` (an SSE field named ``message`` that
standard parsers ignore, no ``event:`` field, no space after ``data:``) and sends ``:heartbeat``
comments. :class:`SSEDecoder` implements the generic SSE rules (``\\r\\n``/``\\r``/``\\n`` line
ends, multi-line ``data`` joined with ``\\n``, one optional space after the colon, comments
ignored); it yields each event's data string. Turning that JSON into typed events is
:func:`flowise_integrations._core.events.decode_event`'s job.
"""

from __future__ import annotations

import codecs

__all__ = ["SSEDecoder"]


class SSEDecoder:
    """Feed bytes in any chunking; get back the ``data`` of every completed event, in order."""

    __slots__ = ("_data", "_has_data", "_pending", "_utf8")

    def __init__(self) -> None:
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # The unterminated last line, in pieces: joined only once a line break arrives, so a long
        # line sent in many chunks costs linear time, not quadratic.
        self._pending: list[str] = []
        self._data: list[str] = []
        self._has_data = False

    def feed(self, chunk: bytes) -> list[str]:
        """Decode ``chunk`` and return the data of the events it completed."""
        decoded = self._utf8.decode(chunk)
        pending = self._pending
        if "\n" not in decoded and "\r" not in decoded and not (pending and pending[-1].endswith("\r")):
            if decoded:
                pending.append(decoded)
            return []
        text = "".join(pending) + decoded
        pending.clear()
        if "\r" in text:
            # A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
            keep_cr = text.endswith("\r")
            text = text[:-1] if keep_cr else text
            text = text.replace("\r\n", "\n").replace("\r", "\n") + ("\r" if keep_cr else "")
        lines = text.split("\n")
        last = lines.pop()
        if last:
            pending.append(last)
        return self._process(lines) if lines else []

    def flush(self) -> list[str]:
        """End of stream: a complete last line is processed; an unterminated event is dropped (SSE spec)."""
        tail = "".join(self._pending) + self._utf8.decode(b"", final=True)
        self._pending.clear()
        events = self._process([tail.rstrip("\r")]) if tail else []
        self._data = []
        self._has_data = False
        return events

    def _process(self, lines: list[str]) -> list[str]:
        events: list[str] = []
        data = self._data
        for line in lines:
            if not line:
                if self._has_data:
                    events.append("\n".join(data))
                    data.clear()
                    self._has_data = False
                continue
            if line[0] == ":":
                continue
            field, _, value = line.partition(":")
            if field == "data":
                data.append(value[1:] if value[:1] == " " else value)
                self._has_data = True
            # Other fields (event, id, retry, and Flowise's "message") carry nothing Flowise uses.
        return events
