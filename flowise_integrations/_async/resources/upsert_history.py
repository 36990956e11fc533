"""``client.upsert_history``: the record of a chatflow's vector upserts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal

from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chatflows import DeleteResult
from ...types.upsert_history import UpsertRecord
from ._base import AsyncResource

__all__ = ["AsyncUpsertHistory"]

_ORDERS = ("ASC", "DESC")


def _date_param(name: str, value: str | date | None) -> str | None:
    """A date bound as Flowise parses it (``new Date(value)``): an ISO string."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{name} must be an ISO string, date or datetime, got {type(value).__name__}")


class AsyncUpsertHistory(AsyncResource):
    """``/upsert-history``. Any valid key may read it (no permission check)."""

    async def list(
        self,
        chatflow_id: str,
        *,
        order: Literal["ASC", "DESC"] | None = None,
        start_date: str | date | None = None,
        end_date: str | date | None = None,
        options: RequestOptions | None = None,
    ) -> list[UpsertRecord]:
        """``GET /upsert-history/{id}``: a chatflow's upserts, oldest first unless ``order="DESC"``.

        Only chatflow ids work: document-store upserts are recorded under the store id, but Flowise
        checks for a chatflow and answers 404 "Chatflow ... not found" for a store.
        """
        if order is not None and order not in _ORDERS:
            raise ValueError(f"order must be 'ASC' or 'DESC', got {order!r}")
        params = {
            "order": order,
            "startDate": _date_param("start_date", start_date),
            "endDate": _date_param("end_date", end_date),
        }
        spec = RequestSpec("GET", path("upsert-history/{id}", id=chatflow_id), params=params)
        return await self._client._request(spec, options, cast=list[UpsertRecord])

    async def delete(self, ids: Sequence[str], *, options: RequestOptions | None = None) -> DeleteResult:
        """``PATCH /upsert-history`` with ``{"ids": [...]}``: delete records. One unknown id fails the
        whole call (404), deleting nothing."""
        if (
            isinstance(ids, str)
            or not isinstance(ids, Sequence)
            or not all(isinstance(i, str) and i for i in ids)
        ):
            raise TypeError("ids must be a list of non-empty strings")
        if not ids:
            raise ValueError("ids must not be empty")
        spec = RequestSpec("PATCH", "upsert-history", json={"ids": list(ids)})
        return await self._client._request(spec, options, cast=DeleteResult)
