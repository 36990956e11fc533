"""The exception hierarchy. Every error the package raises derives from :class:`FlowiseError`.

``APIConnectionError`` and its subclasses mean the request never completed; ``APIStatusError``
and its subclasses mean Flowise answered with an error status. Exceptions are built in one place
(:func:`flowise_integrations._core.response.make_status_error`).
"""

from __future__ import annotations

from typing import Any

import httpx

from ._logging import redact

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnswerNotKeptError",
    "AuthenticationError",
    "BadRequestError",
    "FlowiseError",
    "InternalServerError",
    "MissingDependencyError",
    "NotFoundError",
    "NotResumableError",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "RateLimitError",
    "StreamError",
    "UnsupportedFeatureError",
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


class AnswerNotKeptError(FlowiseError):
    """``final()`` or ``text`` on a stream opened with ``keep_answer=False``, which keeps no answer.

    Such a stream drops each event once it is yielded, so a long answer costs no memory; the
    answer is read by iterating the stream (or its ``text_stream``) as it arrives.
    """

    def __init__(
        self,
        message: str = (
            "This stream was opened with keep_answer=False and kept no answer: read it while "
            "iterating the stream or its text_stream, or open the stream with keep_answer=True "
            "to use final() and text"
        ),
    ) -> None:
        super().__init__(message)


_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


def _without_secrets(request: httpx.Request | None) -> httpx.Request | None:
    """A copy of ``request`` fit to leave the process: no credentials headers, keys in the path
    masked, no body."""
    if request is None:
        return None
    headers = [
        (name, value) for name, value in request.headers.multi_items() if name.lower() not in _SECRET_HEADERS
    ]
    return httpx.Request(request.method, redact(str(request.url)), headers=headers)


def _response_without_secrets(response: httpx.Response, *, keep_content: bool) -> httpx.Response:
    try:
        content = response.content if keep_content else b""
    except httpx.ResponseNotRead:  # a stream that failed before its body was read
        content = b""
    headers = [
        (name, value) for name, value in response.headers.multi_items() if name.lower() not in _SECRET_HEADERS
    ]
    request = _without_secrets(response._request)
    return httpx.Response(response.status_code, headers=headers, content=content, request=request)


def _rebuild(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    exc = cls.__new__(cls)
    BaseException.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


class APIError(FlowiseError):
    """A failure tied to one request.

    ``partial_text`` is the answer text a stream had delivered before it failed (``None`` when the
    request was not a stream, empty when the stream kept no answer: ``keep_answer=False``), so
    nothing received is lost on an error.

    Pickling keeps every attribute except credentials: the pickled ``request`` (and the
    ``response``'s request) lose their ``Authorization`` header and any key in the URL path, and
    a successful response's payload (which may hold API keys or credential values) is left out.
    """

    # Whether the response body may go into a pickle: error bodies are messages, 2xx bodies data.
    _pickle_payload = True

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

    def __reduce__(self) -> tuple[Any, ...]:
        state = dict(self.__dict__)
        if "request" in state:
            state["request"] = _without_secrets(state["request"])
        if isinstance(state.get("response"), httpx.Response):
            state["response"] = _response_without_secrets(
                state["response"], keep_content=self._pickle_payload
            )
        if not self._pickle_payload:
            state["body"] = None
        return _rebuild, (type(self), self.args, state)


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
    every unknown path with its HTML page and status 200. ``body`` (the payload that did not fit)
    is not pickled.
    """

    _pickle_payload = False

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


class NotResumableError(APIStatusError):
    """A wrapped 500: the run asked to resume is not waiting for input.

    It was resumed already, it finished or failed, or the chat has no stopped run at all
    (Flowise resumes only a session's latest execution, and only when it is ``STOPPED``).
    """


class PreconditionFailedError(APIStatusError):
    """412: Flowise's code for a missing or invalid parameter."""


class RateLimitError(APIStatusError):
    """429: the chatflow's rate limit was hit.

    ``retry_after`` is in seconds when Flowise said; ``limit`` and ``remaining`` are the limiter's
    figures, from the ``X-RateLimit-*`` headers of a single Flowise process or the ``RateLimit-*``
    ones a queue-mode server sends, whichever came.
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
        retry_after: float | None = None,
        limit: int | None = None,
        remaining: int | None = None,
    ) -> None:
        super().__init__(
            message, response=response, body=body, operation=operation, detail=detail, wrapped=wrapped
        )
        self.retry_after = retry_after
        self.limit = limit
        self.remaining = remaining


class InternalServerError(APIStatusError):
    """Any other status of 500 or above."""


class UnsupportedFeatureError(FlowiseError):
    """The Flowise server's version lacks what the call needs (``capability``, from ``since`` on).

    Raised before sending when the client knows the server's version (``client.capabilities()``
    was called, or an earlier call needed to know), else in place of the server's bewildering
    answer to a route it does not have.
    """

    def __init__(self, capability: str, *, server_version: str, since: str, summary: str) -> None:
        super().__init__(
            f"Flowise {server_version} does not support {summary} "
            f"(capability {capability!r}, added in Flowise {since})"
        )
        self.capability = capability
        self.server_version = server_version
        self.since = since

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.args, dict(self.__dict__))
