"""``client.executions``: the recorded runs of agentflows (v2), with their per-node data."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, get_args

from ..._core.pagination import Page, check_page_args
from ..._core.params import DateInput, check_strs, compact, iso_date, string_list
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.executions import Execution, ExecutionDeleteResult, ExecutionState
from ._base import AsyncResource

__all__ = ["AsyncExecutions"]


_CAPABILITY = "executions"


def _filters(
    *,
    id: str | None,
    agentflow_id: str | None,
    agentflow_name: str | None,
    session_id: str | None,
    state: ExecutionState | None,
    start_date: DateInput | None,
    end_date: DateInput | None,
) -> dict[str, Any]:
    check_strs(id=id, agentflow_id=agentflow_id, agentflow_name=agentflow_name, session_id=session_id)
    # Flowise ignores an unknown state instead of refusing it, which would return every execution.
    if state is not None and state not in get_args(ExecutionState):
        raise ValueError(f"state must be one of {', '.join(get_args(ExecutionState))}, got {state!r}")
    return {
        "id": id,
        "agentflowId": agentflow_id,
        "agentflowName": agentflow_name,
        "sessionId": session_id,
        "state": state,
        "startDate": iso_date("start_date", start_date),
        "endDate": iso_date("end_date", end_date),
    }


class AsyncExecutions(AsyncResource):
    """``/executions``. Listings are always paginated by Flowise (12 per page by default)."""

    async def list(
        self,
        *,
        id: str | None = None,
        agentflow_id: str | None = None,
        agentflow_name: str | None = None,
        session_id: str | None = None,
        state: ExecutionState | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        page: int = 1,
        limit: int = 12,
        options: RequestOptions | None = None,
    ) -> Page[Execution]:
        """``GET /executions``: one page of executions, most recently updated first, each with its
        ``agentflow``. ``agentflow_name`` matches part of the name, case-insensitively; dates filter
        on the creation time. A streamed prediction's execution is found with ``session_id``."""
        check_page_args(page, limit)
        params = _filters(
            id=id,
            agentflow_id=agentflow_id,
            agentflow_name=agentflow_name,
            session_id=session_id,
            state=state,
            start_date=start_date,
            end_date=end_date,
        )
        return await self._page(
            "executions",
            Execution,
            params=params,
            page=page,
            limit=limit,
            options=options,
            capability=_CAPABILITY,
        )

    def iter_all(
        self,
        *,
        agentflow_id: str | None = None,
        agentflow_name: str | None = None,
        session_id: str | None = None,
        state: ExecutionState | None = None,
        start_date: DateInput | None = None,
        end_date: DateInput | None = None,
        page_size: int = 100,
        options: RequestOptions | None = None,
    ) -> AsyncIterator[Execution]:
        """Every matching execution, fetched ``page_size`` at a time."""
        params = _filters(
            id=None,
            agentflow_id=agentflow_id,
            agentflow_name=agentflow_name,
            session_id=session_id,
            state=state,
            start_date=start_date,
            end_date=end_date,
        )
        return self._iter_all(
            "executions",
            Execution,
            params=params,
            page_size=page_size,
            options=options,
            capability=_CAPABILITY,
        )

    async def get(self, execution_id: str, *, options: RequestOptions | None = None) -> Execution:
        """``GET /executions/{id}`` (without the joined ``agentflow``). An unknown id is a wrapped
        500 (raised as ``NotFoundError``)."""
        spec = RequestSpec("GET", path("executions/{id}", id=execution_id), capability=_CAPABILITY)
        return await self._client._request(spec, options, cast=Execution)

    async def update(
        self,
        execution_id: str,
        *,
        is_public: bool | None = None,
        extra: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Execution:
        """``PUT /executions/{id}``. ``is_public=True`` lets anyone read it with :meth:`get_public`;
        ``extra`` holds other raw (camelCase) columns to set."""
        if is_public is not None and not isinstance(is_public, bool):
            raise TypeError("is_public must be a bool")
        body = compact({**(extra or {}), "isPublic": is_public})
        if not body:
            raise ValueError("nothing to update: give is_public or extra")
        spec = RequestSpec("PUT", path("executions/{id}", id=execution_id), json=body, capability=_CAPABILITY)
        return await self._client._request(spec, options, cast=Execution)

    async def delete(
        self, execution_id: str, *, options: RequestOptions | None = None
    ) -> ExecutionDeleteResult:
        """``DELETE /executions/{id}``; the execution's messages stay, unlinked. An unknown id
        gives ``deleted_count == 0``."""
        spec = RequestSpec("DELETE", path("executions/{id}", id=execution_id), capability=_CAPABILITY)
        return await self._client._request(spec, options, cast=ExecutionDeleteResult)

    async def delete_many(
        self, execution_ids: Sequence[str], *, options: RequestOptions | None = None
    ) -> ExecutionDeleteResult:
        """``DELETE /executions`` with ``{"executionIds": [...]}``; an empty list is refused here."""
        ids = string_list("execution_ids", execution_ids)
        if not ids:
            raise ValueError("execution_ids must not be empty")
        spec = RequestSpec("DELETE", "executions", json={"executionIds": ids}, capability=_CAPABILITY)
        return await self._client._request(spec, options, cast=ExecutionDeleteResult)

    async def get_public(self, execution_id: str, *, options: RequestOptions | None = None) -> Execution:
        """``GET /public-executions/{id}``: an execution shared with ``is_public``, credential ids
        removed; no key needed. Others are a wrapped 500 (``NotFoundError``)."""
        spec = RequestSpec("GET", path("public-executions/{id}", id=execution_id), capability=_CAPABILITY)
        return await self._client._request(spec, options, cast=Execution)
