"""``client.datasets``: evaluation datasets and their rows.

Datasets are a licensed feature: open-source Flowise answers every ``/datasets`` route with
403 ``{"message": "Forbidden"}``, whatever the key's permissions. The raised
``PermissionDeniedError`` says so.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, overload

from ..._core.pagination import Page, check_page_args
from ..._core.params import check_bool, compact, non_empty, string_list
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chatflows import DeleteResult
from ...types.datasets import Dataset, DatasetDetail, DatasetRow
from ._base import AsyncResource

__all__ = ["DATASETS_HINT", "AsyncDatasets"]

DATASETS_HINT = (
    "datasets need Flowise Enterprise or Flowise Cloud (feature 'feat:datasets'); open-source Flowise "
    "refuses every /datasets route, and otherwise the API key needs the datasets:* permission"
)


_CAPABILITY = "datasets"


def _spec(method: str, route: str, **kwargs: Any) -> RequestSpec:
    """A dataset request whose errors explain the enterprise feature gate."""
    return RequestSpec(method, route, hint=DATASETS_HINT, capability=_CAPABILITY, **kwargs)


def _csv_file(content: str | bytes, filename: str) -> str:
    """CSV content as the data URI Flowise's file inputs send: ``data:...;base64,<b64>,filename:<name>``."""
    raw = content.encode("utf-8") if isinstance(content, str) else content
    if not isinstance(raw, bytes):
        raise TypeError(f"csv must be str or bytes, got {type(content).__name__}")
    return f"data:text/csv;base64,{base64.b64encode(raw).decode('ascii')},filename:{filename}"


def _csv_fields(csv: str | bytes | None, first_row_headers: bool) -> dict[str, Any]:
    check_bool("first_row_headers", first_row_headers)
    if csv is None:
        return {}
    return {"csvFile": _csv_file(csv, "dataset.csv"), "firstRowHeaders": first_row_headers}


def _row_body(input: str, output: str) -> dict[str, str]:
    if not isinstance(input, str) or not isinstance(output, str):
        raise TypeError("input and output must be strings")
    return {"input": input, "output": output}


class AsyncDatasets(AsyncResource):
    """``/datasets`` (Flowise Enterprise and Cloud only; see :data:`DATASETS_HINT`)."""

    @overload
    async def list(
        self, *, page: None = None, limit: None = None, options: RequestOptions | None = None
    ) -> list[Dataset]: ...
    @overload
    async def list(
        self, *, page: int, limit: int, options: RequestOptions | None = None
    ) -> Page[Dataset]: ...
    async def list(
        self, *, page: int | None = None, limit: int | None = None, options: RequestOptions | None = None
    ) -> list[Dataset] | Page[Dataset]:
        """``GET /datasets``: every dataset with its ``row_count``, most recently updated first,
        or one page."""
        return await self._list(
            "datasets",
            Dataset,
            page=page,
            limit=limit,
            options=options,
            hint=DATASETS_HINT,
            capability=_CAPABILITY,
        )

    def iter_all(
        self, *, page_size: int = 100, options: RequestOptions | None = None
    ) -> AsyncIterator[Dataset]:
        """Every dataset, fetched ``page_size`` at a time until a short page."""
        return self._iter_all(
            "datasets",
            Dataset,
            params=None,
            page_size=page_size,
            options=options,
            hint=DATASETS_HINT,
            capability=_CAPABILITY,
        )

    async def get(
        self,
        dataset_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> DatasetDetail:
        """``GET /datasets/set/{id}``: the dataset with its rows in order (one page of rows when
        ``page`` and ``limit`` are given). An unknown id is a wrapped 500 (``NotFoundError``)."""
        check_page_args(page, limit)
        spec = _spec("GET", path("datasets/set/{id}", id=dataset_id), params={"page": page, "limit": limit})
        return await self._client._request(spec, options, cast=DatasetDetail)

    async def create(
        self,
        *,
        name: str,
        description: str = "",
        csv: str | bytes | None = None,
        first_row_headers: bool = False,
        options: RequestOptions | None = None,
    ) -> Dataset:
        """``POST /datasets/set``. ``csv`` (text or bytes) imports rows from its first two columns,
        input then expected output, skipping the first row when ``first_row_headers``.
        ``description`` is always sent: the column is NOT NULL."""
        body = {
            "name": non_empty("name", name),
            "description": description,
            **_csv_fields(csv, first_row_headers),
        }
        return await self._client._request(_spec("POST", "datasets/set", json=body), options, cast=Dataset)

    async def update(
        self,
        dataset_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        options: RequestOptions | None = None,
    ) -> Dataset:
        """``PUT /datasets/set/{id}`` with the given name and/or description."""
        body = compact({"name": name, "description": description})
        if not body:
            raise ValueError("nothing to update: give name or description")
        spec = _spec("PUT", path("datasets/set/{id}", id=dataset_id), json=body)
        return await self._client._request(spec, options, cast=Dataset)

    async def delete(self, dataset_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /datasets/set/{id}`` and its rows. An unknown id is a 404."""
        spec = _spec("DELETE", path("datasets/set/{id}", id=dataset_id))
        return await self._client._request(spec, options, cast=DeleteResult)

    async def create_row(
        self, dataset_id: str, *, input: str, output: str, options: RequestOptions | None = None
    ) -> DatasetRow:
        """``POST /datasets/rows``: append one row to the dataset."""
        body = {"datasetId": non_empty("dataset_id", dataset_id), **_row_body(input, output)}
        return await self._client._request(
            _spec("POST", "datasets/rows", json=body), options, cast=DatasetRow
        )

    async def import_csv(
        self,
        dataset_id: str,
        csv: str | bytes,
        *,
        first_row_headers: bool = False,
        options: RequestOptions | None = None,
    ) -> None:
        """``POST /datasets/rows`` with a CSV file: append a row per CSV line (first column input,
        second expected output)."""
        body = {"datasetId": non_empty("dataset_id", dataset_id), **_csv_fields(csv, first_row_headers)}
        await self._client._request(_spec("POST", "datasets/rows", json=body), options)

    async def update_row(
        self, row_id: str, *, input: str, output: str, options: RequestOptions | None = None
    ) -> DatasetRow:
        """``PUT /datasets/rows/{id}``: replace the row's input and output (both required)."""
        spec = _spec("PUT", path("datasets/rows/{id}", id=row_id), json=_row_body(input, output))
        return await self._client._request(spec, options, cast=DatasetRow)

    async def delete_row(self, row_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /datasets/rows/{id}``."""
        return await self._client._request(
            _spec("DELETE", path("datasets/rows/{id}", id=row_id)), options, cast=DeleteResult
        )

    async def delete_rows(
        self, row_ids: Sequence[str], *, options: RequestOptions | None = None
    ) -> DeleteResult:
        """``PATCH /datasets/rows``: delete several rows at once."""
        ids = string_list("row_ids", row_ids)
        if not ids:
            raise ValueError("row_ids must not be empty")
        return await self._client._request(
            _spec("PATCH", "datasets/rows", json={"ids": ids}), options, cast=DeleteResult
        )

    async def reorder_rows(
        self,
        dataset_id: str,
        row_ids: Sequence[str] | Mapping[str, int],
        *,
        options: RequestOptions | None = None,
    ) -> None:
        """``POST /datasets/reorder``: set the rows' order. Give row ids in their new order
        (numbered from 0, as the UI does), or a mapping of row id to sequence number."""
        if isinstance(row_ids, Mapping):
            order = dict(row_ids)
            if not all(isinstance(k, str) and type(v) is int for k, v in order.items()):
                raise TypeError("row_ids must map row ids (str) to sequence numbers (int)")
        else:
            order = {row_id: position for position, row_id in enumerate(string_list("row_ids", row_ids))}
        body = {
            "datasetId": non_empty("dataset_id", dataset_id),
            "rows": [{"id": row_id, "sequenceNo": number} for row_id, number in order.items()],
        }
        await self._client._request(_spec("POST", "datasets/reorder", json=body), options)
