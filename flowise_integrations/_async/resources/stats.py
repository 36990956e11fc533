"""``client.stats``: message, session and feedback counts for a chatflow."""

from __future__ import annotations

from collections.abc import Sequence

from ..._core.params import DateInput, iso_date, json_list, repeated
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chat_messages import ChatType
from ...types.feedback import FeedbackRating
from ...types.stats import ChatflowStats
from ._base import AsyncResource

__all__ = ["AsyncStats"]


class AsyncStats(AsyncResource):
    """``/stats/{chatflowId}`` (any valid API key; no permission needed)."""

    async def get(
        self,
        chatflow_id: str,
        *,
        chat_type: ChatType | Sequence[ChatType] | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        feedback_type: FeedbackRating | Sequence[FeedbackRating] | None = None,
        options: RequestOptions | None = None,
    ) -> ChatflowStats:
        """``GET /stats/{id}``. ``chat_type`` limits the count to where messages came from (API
        calls are ``EXTERNAL``). With ``feedback_type`` only feedback of those ratings counts:
        ``total_sessions`` is the sessions holding such feedback and ``total_messages`` the rated
        messages plus the message before each (not every message of those sessions).
        A flow outside the key's workspace is a wrapped 500 (raised as ``NotFoundError``)."""
        params = {
            "chatType": json_list("chat_type", chat_type),
            "startDate": iso_date("start_date", start_date),
            "endDate": iso_date("end_date", end_date),
            "feedbackType": repeated("feedback_type", feedback_type),
        }
        spec = RequestSpec("GET", path("stats/{id}", id=chatflow_id), params=params)
        return await self._client._request(spec, options, cast=ChatflowStats)
