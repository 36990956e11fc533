"""``client.vectors``: upsert a chatflow's vector store nodes (the legacy, flow-based upsert)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._constants import PREDICTION_TIMEOUT
from ..._core.files import FileInput
from ..._core.params import check_mapping, check_str, compact, file_parts, form_fields
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.document_stores import IndexingResult
from ._base import AsyncResource

__all__ = ["AsyncVectors"]


class AsyncVectors(AsyncResource):
    """``POST /vector/upsert/{id}``."""

    async def upsert(
        self,
        chatflow_id: str,
        *,
        override_config: Mapping[str, Any] | None = None,
        stop_node_id: str | None = None,
        chat_id: str | None = None,
        files: Sequence[FileInput] | None = None,
        options: RequestOptions | None = None,
    ) -> IndexingResult:
        """Run the flow's loaders, splitters and embeddings into its vector store node. Not idempotent.

        ``stop_node_id`` names the vector store node when the flow has several. With ``files`` the
        request is multipart and the ``override_config`` entries become top-level form fields
        (objects JSON-encoded), as Flowise expects. Each file feeds the loader input for its
        extension (``.txt`` → ``txtFile``) as an override, so the flow's ``apiConfig`` must enable
        that override for the loader node; otherwise the file is ignored and nothing is added
        (``num_added == 0``, no error). The flow's per-flow API key and rate limit
        apply, as for predictions. The result has the counters, or only ``result`` ("Successfully
        Upserted") when the vector store reports none.
        """
        for name, value in (("stop_node_id", stop_node_id), ("chat_id", chat_id)):
            check_str(name, value)
        check_mapping("override_config", override_config)
        route = path("vector/upsert/{id}", id=chatflow_id)
        ids = {"stopNodeId": stop_node_id, "chatId": chat_id}
        if files is not None:
            data = form_fields({**(override_config or {}), **ids})
            spec = RequestSpec(
                "POST",
                route,
                data=data,
                files=file_parts(files),
                idempotent=False,
                default_timeout=PREDICTION_TIMEOUT,
            )
        else:
            overrides = dict(override_config) if override_config is not None else None
            body = compact({"overrideConfig": overrides, **ids})
            spec = RequestSpec("POST", route, json=body, idempotent=False, default_timeout=PREDICTION_TIMEOUT)
        return await self._client._request(spec, options, cast=IndexingResult)
