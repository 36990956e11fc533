"""Message feedback models (``/feedback``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ._base import FlowiseModel

__all__ = ["ChatMessageFeedback", "FeedbackRating"]

FeedbackRating = Literal["THUMBS_UP", "THUMBS_DOWN"]


class ChatMessageFeedback(FlowiseModel):
    """A rating (and optional comment) on one ``apiMessage``."""

    id: str
    chatflowid: str | None = None
    chat_id: str | None = None
    message_id: str | None = None
    rating: str | None = None
    content: str | None = None
    created_date: datetime | None = None
