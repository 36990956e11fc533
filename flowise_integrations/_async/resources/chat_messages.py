"""``client.chat_messages``: a chatflow's stored messages, deleting them, and aborting a run.

Flowise tests its boolean query flags for truthiness, so ``feedback=false`` or
``hardDelete=false`` would switch the mode on: those flags are only ever sent as ``true``.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any, Literal

from ..._core.pagination import check_page_args
from ..._core.params import (
    DateInput,
    check_strs,
    flag,
    iso_date,
    json_list,
    non_empty,
    repeated,
    sort_order,
)
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chat_messages import ChatMessage, ChatType
from ...types.chatflows import DeleteResult
from ...types.feedback import FeedbackRating
from ._base import AsyncResource

__all__ = ["AsyncChatMessages"]

SortOrder = Literal["ASC", "DESC"]


def _filters(
    *,
    chat_type: ChatType | Sequence[ChatType] | None,
    start_date: DateInput | None,
    end_date: DateInput | None,
    feedback_type: FeedbackRating | Sequence[FeedbackRating] | None,
    **plain: str | None,
) -> dict[str, Any]:
    """The filters shared by listing and deleting, spelled as Flowise reads them."""
    return {
        **plain,
        "chatType": json_list("chat_type", chat_type),
        "startDate": iso_date("start_date", start_date),
        "endDate": iso_date("end_date", end_date),
        "feedbackType": repeated("feedback_type", feedback_type),
    }


class AsyncChatMessages(AsyncResource):
    """``/chatmessage/{chatflowId}`` (any valid API key for the flow's workspace)."""

    async def list(
        self,
        chatflow_id: str,
        *,
        chat_type: ChatType | Sequence[ChatType] | None = None,
        order: SortOrder | None = None,
        chat_id: str | None = None,
        memory_type: str | None = None,
        session_id: str | None = None,
        message_id: str | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        feedback: bool = False,
        feedback_type: FeedbackRating | Sequence[FeedbackRating] | None = None,
        page: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> builtins.list[ChatMessage]:
        """``GET /chatmessage/{id}``: the flow's messages, oldest first unless ``order="DESC"``.

        ``feedback=True`` attaches each message's ``feedback``; ``feedback_type`` then keeps the
        rated messages (and the question before each). ``page``/``limit`` work only in feedback
        mode and page by *session*: the result is still one flat list of messages. A flow outside
        the key's workspace is a wrapped 500 ``"Unauthorized access"``.
        """
        if check_page_args(page, limit) and not feedback:
            raise ValueError("page and limit only apply with feedback=True (Flowise pages by session there)")
        check_strs(chat_id=chat_id, memory_type=memory_type, session_id=session_id, message_id=message_id)
        params = _filters(
            chat_type=chat_type,
            start_date=start_date,
            end_date=end_date,
            feedback_type=feedback_type,
            order=sort_order("order", order),
            chatId=chat_id,
            memoryType=memory_type,
            sessionId=session_id,
            messageId=message_id,
        )
        params.update(feedback=flag("feedback", feedback), page=page, limit=limit)
        spec = RequestSpec("GET", path("chatmessage/{id}", id=chatflow_id), params=params)
        return await self._client._request(spec, options, cast=builtins.list[ChatMessage])

    async def delete(
        self,
        chatflow_id: str,
        *,
        chat_id: str | None = None,
        memory_type: str | None = None,
        session_id: str | None = None,
        chat_type: ChatType | Sequence[ChatType] | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        feedback_type: FeedbackRating | Sequence[FeedbackRating] | None = None,
        hard_delete: bool = False,
        options: RequestOptions | None = None,
    ) -> DeleteResult:
        """``DELETE /chatmessage/{id}``: delete matching messages and their feedback. **With no
        filter every message of the flow is deleted.**

        With ``chat_id`` the conversation's memory is cleared too and the dates only apply when
        both are given; without it ``memory_type`` is ignored and ``hard_delete`` also clears the
        sessions from external memory stores. An unknown flow is a 404 (``NotFoundError``).
        A blank ``chat_id``, ``session_id`` or ``memory_type`` is refused: Flowise would ignore it
        and delete every message of the flow.
        """
        for name, value in (("chat_id", chat_id), ("session_id", session_id), ("memory_type", memory_type)):
            if value is not None:
                non_empty(name, value)
        params = _filters(
            chat_type=chat_type,
            start_date=start_date,
            end_date=end_date,
            feedback_type=feedback_type,
            chatId=chat_id,
            memoryType=memory_type,
            sessionId=session_id,
        )
        params["hardDelete"] = flag("hard_delete", hard_delete)
        spec = RequestSpec("DELETE", path("chatmessage/{id}", id=chatflow_id), params=params)
        return await self._client._request(spec, options, cast=DeleteResult)

    async def abort(self, chatflow_id: str, chat_id: str, *, options: RequestOptions | None = None) -> None:
        """``PUT /chatmessage/abort/{chatflowId}/{chatId}``: stop a running prediction (public
        route). Flowise answers success even when nothing was running under that id."""
        spec = RequestSpec("PUT", path("chatmessage/abort/{flow}/{chat}", flow=chatflow_id, chat=chat_id))
        await self._client._request(spec, options)
