"""Building requests: URL-safe paths, query parameters, JSON or multipart bodies.

A resource method describes its call as a :class:`RequestSpec`; :func:`build_request` turns that
and the client configuration into an ``httpx.Request``. Nothing here does I/O, so the sync and
async clients share it unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import string
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from .._constants import DEFAULT_TIMEOUT
from .._version import __version__
from .files import FilePart
from .response import ResponseKind
from .retry import IDEMPOTENT_METHODS

__all__ = ["RequestSpec", "build_query", "build_request", "path"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The characters quote() never encodes: an id made only of them (a UUID, say) is used as it is.
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+")
USER_AGENT = f"flowise-integrations/{__version__} python-httpx/{httpx.__version__}"


def _segment(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if _UNRESERVED.fullmatch(value) and value not in (".", ".."):
        return value
    if not value.strip():
        raise ValueError(f"{name} must be a non-empty string")
    if value in (".", "..") or _CONTROL.search(value):
        raise ValueError(f"{name} {value!r} is not a valid id: it would change the request path")
    return quote(value, safe="")


@functools.lru_cache(maxsize=512)
def _template_fields(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def path(template: str, **params: object) -> str:
    """Fill ``template``'s ``{name}`` fields with URL-encoded, validated ids.

    ``path("chatflows/{id}", id="a/b")`` gives ``"chatflows/a%2Fb"``; an empty id, ``"."``,
    ``".."`` or one with control characters raises ``ValueError`` before any request is made.
    """
    fields = _template_fields(template)
    if fields != params.keys():
        raise TypeError(f"path {template!r} takes {sorted(fields)}, got {sorted(params)}")
    return template.format(**{name: _segment(name, value) for name, value in params.items()})


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(item) for item in value]
    return value


def build_query(params: Mapping[str, Any]) -> dict[str, Any]:
    """Drop unset parameters and spell booleans the way Flowise compares them."""
    return {key: _query_value(value) for key, value in params.items() if value is not None}


@dataclasses.dataclass(frozen=True)
class RequestSpec:
    """One API call as data.

    ``idempotent`` overrides the method's default for retries (a read-only POST such as a vector
    store query is safe to repeat; a prediction is not). ``hint`` is appended to error messages.
    ``capability`` names what the server must support (see :mod:`.capabilities`); the client
    checks it against the server's version before sending.
    """

    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    data: Mapping[str, str] | None = None
    files: Sequence[FilePart] | None = None
    kind: ResponseKind = "json"
    idempotent: bool | None = None
    default_timeout: httpx.Timeout = dataclasses.field(default_factory=lambda: DEFAULT_TIMEOUT)
    hint: str | None = None
    accept: str = "application/json"
    read_timeout_cap: float | None = None  # a stream's idle limit: no read waits longer, whatever the timeout
    capability: str | None = None

    @property
    def is_idempotent(self) -> bool:
        return self.method in IDEMPOTENT_METHODS if self.idempotent is None else self.idempotent


def build_request(
    spec: RequestSpec,
    *,
    base_url: str,
    headers: Mapping[str, str],
    timeout: httpx.Timeout | None,
) -> httpx.Request:
    """The ``httpx.Request`` for ``spec``; ``headers`` already hold auth and defaults."""
    if spec.path.startswith("/"):
        raise ValueError("request paths are relative to the API root")
    all_headers = {"Accept": spec.accept, "User-Agent": USER_AGENT, **headers}
    files = [("files", part) for part in spec.files] if spec.files else None
    timeouts = (httpx.Timeout(None) if timeout is None else timeout).as_dict()
    cap = spec.read_timeout_cap
    if cap is not None and (timeouts["read"] is None or timeouts["read"] > cap):
        timeouts["read"] = cap
    return httpx.Request(
        spec.method,
        base_url + spec.path,
        params=build_query(spec.params) if spec.params else None,
        json=spec.json if spec.json is not None and files is None and spec.data is None else None,
        data=dict(spec.data) if spec.data is not None else None,
        files=files,
        headers=all_headers,
        extensions={"timeout": timeouts},
    )
