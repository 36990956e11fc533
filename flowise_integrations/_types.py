"""Small shared types: the "not given" sentinel and per-call request options."""

from __future__ import annotations

from typing import Literal, TypeAlias, TypedDict

import httpx

__all__ = ["NOT_GIVEN", "NotGiven", "RequestOptions", "TimeoutTypes"]


class NotGiven:
    """Marks an argument the caller did not pass, distinct from an explicit ``None``.

    ``timeout=None`` means "no timeout"; ``timeout=NOT_GIVEN`` means "inherit the default".
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

TimeoutTypes: TypeAlias = float | httpx.Timeout | None


class RequestOptions(TypedDict, total=False):
    """Per-call overrides accepted by every resource method as ``options=``.

    ``api_key`` replaces the client's key for this call only (a chatflow bound to its own key
    needs that key on predictions); ``max_retries`` replaces the retry budget.
    """

    timeout: TimeoutTypes
    headers: dict[str, str]
    max_retries: int
    api_key: str
