"""Paginated lists. Flowise paginates only when both ``page`` and ``limit`` are positive, and then
answers ``{data, total}``; otherwise it answers a plain array."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Page", "PageBody", "check_page_args", "list_body_type", "to_list", "to_page"]

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results. Iterating a page iterates its items.

    ``total`` is what Flowise reports (for API keys it is this page's length, a server bug), so
    walking all pages relies on a short page, not on ``total``: see ``iter_all()``.
    """

    items: list[T]
    total: int
    page: int
    limit: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_more(self) -> bool:
        """A full page may be followed by another; a short one is the last."""
        return len(self.items) >= self.limit


def check_page_args(page: int | None, limit: int | None) -> bool:
    """Validate ``page``/``limit``; True when the call is paginated (both given)."""
    for name, value in (("page", page), ("limit", limit)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if (page is None) != (limit is None):
        raise ValueError("page and limit go together: Flowise paginates only when both are given")
    return page is not None


class PageBody(BaseModel, Generic[T]):
    """Flowise's paginated body, ``{data, total}``."""

    model_config = ConfigDict(defer_build=True)

    data: list[T]
    total: int = 0


def to_page(body: list[T] | PageBody[T], *, page: int, limit: int) -> Page[T]:
    """A :class:`Page` from either body shape (some routes ignore pagination and return everything)."""
    if isinstance(body, PageBody):
        return Page(items=body.data, total=body.total, page=page, limit=limit)
    return Page(items=body, total=len(body), page=page, limit=limit)


def to_list(body: list[T] | PageBody[T]) -> list[T]:
    return body.data if isinstance(body, PageBody) else body


def list_body_type(item_type: type[T]) -> Any:
    """The type to validate a list body as: a plain array or ``{data, total}``."""
    return list[item_type] | PageBody[item_type]  # type: ignore[valid-type]
