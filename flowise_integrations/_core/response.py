"""Turning responses into values or exceptions: content-type checks, body parsing, error mapping.

Flowise answers errors in several shapes (JSON ``message`` or ``error``, plain text, an HTML
page) and wraps most service failures as ``500 "Error: <service>.<fn> - <detail>"``. Every
exception for an error status is built by :func:`make_status_error`, from one table plus a small
data-driven refinement for the wrapped 500s.
"""

from __future__ import annotations

import functools
import json
import re
from typing import TYPE_CHECKING, Any, Literal

import httpx
from pydantic_core import ValidationError

from .._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    NotResumableError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
)
from .._logging import redact
from .retry import parse_rate_limit, parse_retry_after

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = [
    "ResponseKind",
    "error_message",
    "make_status_error",
    "parse_body",
    "parse_json_as",
    "split_wrapped",
    "translate_transport_error",
    "validate_as",
]

ResponseKind = Literal["json", "text", "none"]

_MAX_MESSAGE = 500
_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    412: PreconditionFailedError,
    413: BadRequestError,
    429: RateLimitError,
}
# A wrapped 500 whose detail matches is really the error named on the right.
_WRAPPED_REFINEMENTS: tuple[tuple[re.Pattern[str], type[APIStatusError]], ...] = (
    # Refusals to resume an agentflow (checked first: one of them says "not found").
    (
        re.compile(
            r"^(?:Cannot resume execution|No previous execution found|No stopped node found"
            r"|Node \S+ not found in previous execution)\b"
        ),
        NotResumableError,
    ),
    (re.compile(r"\bnot found\b", re.IGNORECASE), NotFoundError),
    (re.compile(r"^(?:Error:\s*)?Unauthorized\.?$", re.IGNORECASE), AuthenticationError),
)
_WRAPPED = re.compile(r"^Error:\s*(?P<operation>[\w$]+(?:\.[\w$]+)+)\s+-\s+(?P<detail>.*)$", re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]+>")
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def _where(request: httpx.Request) -> str:
    """``METHOD /path`` for messages, with any API key in the path masked."""
    return f"{request.method} {redact(request.url.path)}"


def _is_html(response: httpx.Response) -> bool:
    return "text/html" in response.headers.get("content-type", "") and response.text.lstrip()[:1] == "<"


def _is_json(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return "json" in content_type


def decode_error_body(response: httpx.Response) -> Any:
    """The error body as JSON when it parses, else as text."""
    text = response.text
    if _is_json(response) or text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _truncate(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


def error_message(body: Any, response: httpx.Response) -> str:
    """Flowise's message from any error body shape: ``message``, then ``error``, then the text."""
    if isinstance(body, dict):
        for key in ("message", "error"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return value
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return str(value["message"])
        return _truncate(json.dumps(body))
    text = body if isinstance(body, str) else response.text
    if _is_html(response):
        title = _HTML_TITLE.search(text)
        text = title.group(1) if title else _HTML_TAG.sub(" ", text)
    text = _truncate(text)
    return text or response.reason_phrase or f"HTTP {response.status_code}"


def split_wrapped(message: str) -> tuple[str | None, str]:
    """Split ``"Error: predictionsServices.buildChatflow - Unauthorized"`` into its two parts."""
    match = _WRAPPED.match(message.strip())
    if match is None:
        return None, message
    return match["operation"], match["detail"].strip()


def make_status_error(response: httpx.Response, *, hint: str | None = None) -> APIStatusError:
    """The exception for an error response; ``hint`` is appended to the message when given."""
    body = decode_error_body(response)
    message = error_message(body, response)
    operation, detail = split_wrapped(message)
    status = response.status_code
    cls = _STATUS_ERRORS.get(status, InternalServerError if status >= 500 else APIStatusError)
    if status >= 500 and operation is not None:
        for pattern, refined in _WRAPPED_REFINEMENTS:
            if pattern.search(detail):
                cls = refined
                break
    text = f"{status} {message}" + (f" ({hint})" if hint else "")
    kwargs: dict[str, Any] = {
        "response": response,
        "body": body,
        "operation": operation,
        "detail": detail,
        "wrapped": operation is not None,
    }
    if cls is RateLimitError:
        return RateLimitError(
            text,
            retry_after=parse_retry_after(response.headers),
            limit=parse_rate_limit(response.headers, "limit"),
            remaining=parse_rate_limit(response.headers, "remaining"),
            **kwargs,
        )
    return cls(text, **kwargs)


def parse_body(response: httpx.Response, kind: ResponseKind) -> Any:
    """Decode a 2xx body as the endpoint promises, or raise :class:`APIResponseValidationError`."""
    if kind == "none":
        return None
    if kind == "text":
        if _is_html(response):
            raise _html_instead(response)
        return response.text
    if not _is_json(response):
        if _is_html(response):
            raise _html_instead(response)
        if not response.content:
            return None
    try:
        return json.loads(response.content)
    except ValueError as exc:
        raise APIResponseValidationError(
            f"Flowise returned a body that is not valid JSON for {_where(response.request)}: {exc}",
            response=response,
            body=response.text[:_MAX_MESSAGE],
        ) from None


def _html_instead(response: httpx.Response) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"Expected JSON from {_where(response.request)} but got an HTML "
        f"page (status {response.status_code}). Flowise serves its web UI for unknown routes: check "
        "that base_url points at the Flowise server and that this server version has the route.",
        response=response,
        body=response.text[:_MAX_MESSAGE],
    )


@functools.cache
def _adapter(type_: Any) -> TypeAdapter[Any]:
    """The validator for ``type_``, built on first use (pydantic's schema machinery is imported then)."""
    from pydantic import TypeAdapter

    return TypeAdapter(type_)


def validate_as(response: httpx.Response, body: Any, type_: Any) -> Any:
    """Validate a decoded body as ``type_``; a mismatch is an :class:`APIResponseValidationError`."""
    try:
        return _adapter(type_).validate_python(body)
    except ValidationError as exc:
        # The offending values stay out of the message: they can be huge, or secret.
        errors = exc.errors(include_url=False, include_input=False, include_context=False)[:3]
        raise APIResponseValidationError(
            f"Unexpected response shape from {_where(response.request)}: "
            f"{exc.error_count()} validation error(s): {_truncate(str(errors))}",
            response=response,
            body=body,
        ) from None


def parse_json_as(response: httpx.Response, type_: Any) -> Any:
    """``validate_as(response, parse_body(response, "json"), type_)``, in one pass when possible.

    A JSON body is parsed and validated straight from its bytes by pydantic-core (no intermediate
    Python objects). Anything else, or a body that fails there, takes the two-step path, which
    returns the same value or raises the same error as it always did.
    """
    content = response.content
    if content and _is_json(response):
        try:
            return _adapter(type_).validate_json(content)
        except ValidationError:
            pass
    return validate_as(response, parse_body(response, "json"), type_)


def translate_transport_error(
    exc: httpx.TransportError, request: httpx.Request, *, streaming: bool, partial_text: str | None = None
) -> APIConnectionError:
    """The package's exception for an httpx transport failure."""
    if isinstance(exc, httpx.TimeoutException):
        phase = _TIMEOUT_PHASES.get(type(exc), "read")
        message = f"Request timed out ({phase}) on {_where(request)}"
        if streaming and phase == "read":
            message += (
                ". Flowise never answers a streaming prediction that fails before the stream opens "
                "(unknown or invalid chatflow id, a flow that fails its streaming check): check the "
                "chatflow id with client.chatflows.get(...), or call without streaming to see the error"
            )
        return APITimeoutError(message, request=request, phase=phase, partial_text=partial_text)
    return APIConnectionError(
        f"Connection error on {_where(request)}: {type(exc).__name__}: {exc}",
        request=request,
        partial_text=partial_text,
    )


_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], str] = {
    httpx.ConnectTimeout: "connect",
    httpx.ReadTimeout: "read",
    httpx.WriteTimeout: "write",
    httpx.PoolTimeout: "pool",
}
