"""``client.feedback``: thumbs up/down ratings on answers (public routes, no key needed)."""

from __future__ import annotations

import builtins
from typing import get_args

from ..._core.params import DateInput, check_str, compact, iso_date, non_empty, sort_order
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.feedback import ChatMessageFeedback, FeedbackRating
from ._base import AsyncResource

__all__ = ["AsyncFeedback"]


def _rating(rating: FeedbackRating | None) -> FeedbackRating | None:
    if rating is not None and rating not in get_args(FeedbackRating):
        raise ValueError(f"rating must be 'THUMBS_UP' or 'THUMBS_DOWN', got {rating!r}")
    return rating


class AsyncFeedback(AsyncResource):
    """``/feedback``. One rating per message: change it with :meth:`update`, not a second create."""

    async def create(
        self,
        *,
        message_id: str,
        rating: FeedbackRating,
        content: str | None = None,
        chat_id: str | None = None,
        chatflow_id: str | None = None,
        options: RequestOptions | None = None,
    ) -> ChatMessageFeedback:
        """``POST /feedback`` on the ``apiMessage`` ``message_id`` (``chat_message_id`` of a
        prediction). ``chat_id``/``chatflow_id`` default to the message's and must match it (400).

        A second create for the same message adds a second row instead of replacing the first;
        use :meth:`update`. An unknown message is a 404.
        """
        body = compact(
            {
                "messageId": non_empty("message_id", message_id),
                "rating": _rating(rating),
                "content": content,
                "chatId": chat_id,
                "chatflowid": chatflow_id,
            }
        )
        return await self._client._request(
            RequestSpec("POST", "feedback", json=body), options, cast=ChatMessageFeedback
        )

    async def list(
        self,
        chatflow_id: str,
        *,
        chat_id: str | None = None,
        order: str | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        options: RequestOptions | None = None,
    ) -> builtins.list[ChatMessageFeedback]:
        """``GET /feedback/{chatflowId}``, oldest first unless ``order="DESC"``. The date range
        applies only when both ``start_date`` and ``end_date`` are given."""
        check_str("chat_id", chat_id)
        params = {
            "chatId": chat_id,
            "order": sort_order("order", order),
            "startDate": iso_date("start_date", start_date),
            "endDate": iso_date("end_date", end_date),
        }
        spec = RequestSpec("GET", path("feedback/{id}", id=chatflow_id), params=params)
        return await self._client._request(spec, options, cast=builtins.list[ChatMessageFeedback])

    async def update(
        self,
        feedback_id: str,
        *,
        rating: FeedbackRating | None = None,
        content: str | None = None,
        options: RequestOptions | None = None,
    ) -> None:
        """``PUT /feedback/{id}``: change the rating and/or comment. Flowise answers only
        ``{"status": "OK"}``; an unknown id is a 404."""
        body = compact({"rating": _rating(rating), "content": content})
        if not body:
            raise ValueError("nothing to update: give rating or content")
        spec = RequestSpec("PUT", path("feedback/{id}", id=feedback_id), json=body)
        await self._client._request(spec, options)
