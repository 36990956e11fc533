"""The exception hierarchy. Every error the package raises derives from :class:`FlowiseError`.

``APIConnectionError`` and its subclasses mean the request never completed; ``APIStatusError``
and its subclasses mean Flowise answered with an error status. Exceptions are built in one place
(:func:`flowise_integrations._core.response.make_status_error`).
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "FlowiseError",
    "InternalServerError",
    "MissingDependencyError",
    "NotFoundError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "StreamError",
]


class FlowiseError(Exception):
    """Root of every exception raised by ``flowise_integrations``."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingDependencyError(FlowiseError, ImportError):
    """An optional extra (``langchain``, ``llama-index``, ``testing``) is not installed."""

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"{package} is required for this feature; install it with "
            f"`pip install 'flowise-integrations[{extra}]'`"
        )
        self.extra = extra


class APIError(FlowiseError):
    """A failure tied to one request.

    ``partial_text`` is the answer text a stream had delivered before it failed (``None`` when the
    request was not a stream), so nothing received is lost on an error.
    """

    request: httpx.Request | None
    body: Any
    partial_text: str | None

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        body: Any = None,
        partial_text: str | None = None,
    ) -> None:
        super().__init__(message)
        self.request = request
        self.body = body
        self.partial_text = partial_text


class APIConnectionError(APIError):
    """The request did not complete: connection refused or reset, incomplete body."""


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout. ``phase`` names which one."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        phase: str = "read",
        partial_text: str | None = None,
    ) -> None:
        super().__init__(message, request=request, partial_text=partial_text)
        self.phase = phase


class APIResponseValidationError(APIError):
    """A 2xx answer that is not what the endpoint returns: wrong content type, bad JSON, bad shape.

    The usual cause is a ``base_url`` pointing at the Flowise UI or another server: Flowise answers
    every unknown path with its HTML page and status 200.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any = None,
        partial_text: str | None = None,
    ) -> None:
        super().__init__(message, request=response.request, body=body, partial_text=partial_text)
        self.response = response
        self.status_code = response.status_code


class StreamError(APIError):
    """Flowise reported an error inside a 200 event stream (the SSE ``error`` event)."""

    def __init__(
        self,
        message: str,
        *,
        request: httpx.Request | None = None,
        chat_id: str | None = None,
        partial_text: str = "",
    ) -> None:
        super().__init__(message, request=request, body=message, partial_text=partial_text)
        self.chat_id = chat_id


class APIStatusError(APIError):
    """Flowise answered with an error status.

    Flowise wraps most service errors as ``500 "Error: <service>.<fn> - <detail>"``; ``operation``
    and ``detail`` hold the two parts and ``wrapped`` says whether the message had that shape.
    ``status_code`` is always the real HTTP status: a wrapped "not found" is a
    :class:`NotFoundError` with ``status_code == 500``.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        operation: str | None = None,
        detail: str | None = None,
        wrapped: bool = False,
    ) -> None:
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.operation = operation
        self.detail = detail if detail is not None else message
        self.wrapped = wrapped


class BadRequestError(APIStatusError):
    """400 (and 413): the request was malformed."""


class AuthenticationError(APIStatusError):
    """401, or a 500 that wraps ``Unauthorized`` (a chatflow bound to a different API key)."""


class PermissionDeniedError(APIStatusError):
    """403: the API key lacks a permission, or the feature is not available on open-source Flowise."""


class NotFoundError(APIStatusError):
    """404, or a 500 that wraps a "... not found" message."""


class PreconditionFailedError(APIStatusError):
    """412: Flowise's code for a missing or invalid parameter."""


class RateLimitError(APIStatusError):
    """429: the chatflow's rate limit was hit. ``retry_after`` is in seconds when Flowise said."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any,
        operation: str | None = None,
        detail: str | None = None,
        wrapped: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message, response=response, body=body, operation=operation, detail=detail, wrapped=wrapped
        )
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """Any other status of 500 or above."""
