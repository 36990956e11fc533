"""Attachments (``POST /attachments/{chatflowId}/{chatId}``)."""

from __future__ import annotations

from ._base import FlowiseModel

__all__ = ["Attachment"]


class Attachment(FlowiseModel):
    """An uploaded file as a prediction can use it (an ``uploads`` item of type ``file:full``).

    ``content`` is the text Flowise extracted, or the file as base64 when asked for.
    """

    name: str
    mime_type: str | None = None
    size: int | None = None
    content: str = ""
