"""``client.attachments``: upload files for a chat and get their text back, for ``file:full`` uploads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from ..._core.files import FileInput
from ..._core.params import check_bool, file_parts
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.attachments import Attachment
from ._base import AsyncResource

__all__ = ["AsyncAttachments"]


class AsyncAttachments(AsyncResource):
    """``POST /attachments/{chatflowId}/{chatId}`` (public: no key needed)."""

    async def create(
        self,
        chatflow_id: str,
        chat_id: str,
        files: Sequence[FileInput],
        *,
        base64: bool = False,
        options: RequestOptions | None = None,
    ) -> list[Attachment]:
        """Store ``files`` for the chat and return each one's extracted text (or base64 content
        with ``base64=True``), ready for a prediction's ``uploads`` as type ``file:full``.

        The chatflow must enable full file uploads: ``chatbotConfig.fullFileUpload.status`` true
        and each file's MIME type in ``fullFileUpload.allowedUploadFileTypes`` (a comma-separated
        list); otherwise Flowise answers a 500 ("File upload is not enabled ..." or "File type ...
        is not allowed"). Not idempotent: every call stores the files again.
        """
        try:
            uuid.UUID(chatflow_id)
        except (ValueError, TypeError, AttributeError):
            raise ValueError(f"chatflow_id {chatflow_id!r} is not a UUID: Flowise refuses it") from None
        check_bool("base64", base64)
        route = path("attachments/{flow}/{chat}", flow=chatflow_id, chat=chat_id)
        spec = RequestSpec(
            "POST",
            route,
            data={"base64": "true"} if base64 else None,
            files=file_parts(files),
            idempotent=False,
        )
        return await self._client._request(spec, options, cast=list[Attachment])
