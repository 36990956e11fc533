"""The base of every async resource: access to the client's send path and list pagination."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..._core.pagination import Page, check_page_args, list_body_type, to_list, to_page
from ..._core.request import RequestSpec
from ..._types import RequestOptions

if TYPE_CHECKING:
    from .._client import AsyncFlowise

__all__ = ["AsyncResource"]

T = TypeVar("T")


class AsyncResource:
    """A group of endpoints (``client.chatflows``, ``client.tools``, ...)."""

    def __init__(self, client: AsyncFlowise) -> None:
        self._client = client

    async def _page(
        self,
        route: str,
        item_type: type[T],
        *,
        params: Mapping[str, Any] | None,
        page: int,
        limit: int,
        options: RequestOptions | None,
        hint: str | None = None,
        capability: str | None = None,
    ) -> Page[T]:
        params = {**(params or {}), "page": page, "limit": limit}
        spec = RequestSpec("GET", route, params=params, hint=hint, capability=capability)
        body = await self._client._request(spec, options, cast=list_body_type(item_type))
        return to_page(body, page=page, limit=limit)

    async def _list(
        self,
        route: str,
        item_type: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        page: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
        hint: str | None = None,
        capability: str | None = None,
    ) -> list[T] | Page[T]:
        """A plain list, or one :class:`Page` when ``page`` and ``limit`` are both given."""
        if check_page_args(page, limit) and page is not None and limit is not None:
            return await self._page(
                route,
                item_type,
                params=params,
                page=page,
                limit=limit,
                options=options,
                hint=hint,
                capability=capability,
            )
        spec = RequestSpec("GET", route, params=params, hint=hint, capability=capability)
        body = await self._client._request(spec, options, cast=list_body_type(item_type))
        return to_list(body)

    async def _iter_all(
        self,
        route: str,
        item_type: type[T],
        *,
        params: Mapping[str, Any] | None,
        page_size: int,
        options: RequestOptions | None,
        hint: str | None = None,
        capability: str | None = None,
    ) -> AsyncIterator[T]:
        """Every item, fetching ``page_size`` at a time until a short page."""
        check_page_args(1, page_size)
        page = 1
        while True:
            result = await self._page(
                route,
                item_type,
                params=params,
                page=page,
                limit=page_size,
                options=options,
                hint=hint,
                capability=capability,
            )
            for item in result.items:
                yield item
            if not result.has_more:
                return
            page += 1
