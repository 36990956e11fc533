"""Chatflow statistics (``/stats/{chatflowId}``)."""

from __future__ import annotations

from ._base import FlowiseModel

__all__ = ["ChatflowStats"]


class ChatflowStats(FlowiseModel):
    """Message, session and feedback counts for one chatflow over the requested filters."""

    total_messages: int = 0
    total_sessions: int = 0
    total_feedback: int = 0
    positive_feedback: int = 0
