"""Client configuration and its resolution: argument > environment > default.

Resolved once when a client is built; :meth:`ClientConfig.replace` derives the configuration of
``client.with_options(...)``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._constants import API_PREFIX, DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL, ENV_MAX_RETRIES, ENV_TIMEOUT
from ._core.retry import RetryPolicy
from ._types import NOT_GIVEN, NotGiven, TimeoutTypes

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = ["ClientConfig", "normalize_base_url", "resolve_config"]


def normalize_base_url(url: str) -> str:
    """``http://host:3000``, ``http://host:3000/``, ``.../api/v1`` and ``.../api/v1/`` all give the API root.

    The result always ends in ``/api/v1/`` so that relative paths join under it.
    """
    if not isinstance(url, str):
        raise TypeError(f"base_url must be a string, got {type(url).__name__}")
    parsed = httpx.URL(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {url!r}")
    path = parsed.path.rstrip("/")
    if not path.endswith(API_PREFIX):
        path += API_PREFIX
    return str(parsed.copy_with(path=path + "/", query=None, fragment=None))


def _env(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None


def _coerce_timeout(value: TimeoutTypes) -> httpx.Timeout | None:
    if value is None or isinstance(value, httpx.Timeout):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"timeout must be a number, httpx.Timeout or None, got {type(value).__name__}")
    return httpx.Timeout(float(value), connect=min(float(value), 5.0))


@dataclasses.dataclass(frozen=True)
class ClientConfig:
    """Everything a client needs to build requests. The key is a ``SecretStr``: never shown."""

    base_url: str
    api_key: SecretStr | None
    timeout: httpx.Timeout | NotGiven | None
    retry: RetryPolicy
    default_headers: Mapping[str, str]

    def replace(self, **changes: Any) -> ClientConfig:
        return dataclasses.replace(self, **changes)

    def __repr__(self) -> str:
        key = "set" if self.api_key is not None else "none"
        return f"ClientConfig(base_url={self.base_url!r}, api_key=<{key}>)"


def coerce_api_key(api_key: str | SecretStr | None) -> SecretStr | None:
    """The key as a ``SecretStr``, or None when it is missing or blank."""
    # Imported here, not at module level: ``pydantic.types`` costs more to import than the client.
    from pydantic import SecretStr

    if api_key is None or isinstance(api_key, SecretStr):
        return api_key if api_key is None or api_key.get_secret_value() else None
    if not isinstance(api_key, str):
        raise TypeError(f"api_key must be a string, got {type(api_key).__name__}")
    return SecretStr(api_key) if api_key.strip() else None


def resolve_config(
    *,
    base_url: str | None,
    api_key: str | SecretStr | None,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int | NotGiven,
    retry: RetryPolicy | None,
    default_headers: Mapping[str, str] | None,
    environ: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Apply the precedence rules. Empty environment variables count as unset."""
    env = os.environ if environ is None else environ
    url = base_url if base_url is not None else (_env(env, ENV_BASE_URL) or DEFAULT_BASE_URL)
    key = coerce_api_key(api_key) if api_key is not None else coerce_api_key(_env(env, ENV_API_KEY))

    resolved_timeout: httpx.Timeout | NotGiven | None
    if not isinstance(timeout, NotGiven):
        resolved_timeout = _coerce_timeout(timeout)
    elif (env_timeout := _env(env, ENV_TIMEOUT)) is not None:
        try:
            resolved_timeout = _coerce_timeout(float(env_timeout))
        except ValueError:
            raise ValueError(f"{ENV_TIMEOUT} must be a number of seconds, got {env_timeout!r}") from None
    else:
        resolved_timeout = NOT_GIVEN

    policy = retry or RetryPolicy()
    if not isinstance(max_retries, NotGiven):
        if isinstance(max_retries, bool) or not isinstance(max_retries, int):
            raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
        policy = dataclasses.replace(policy, max_retries=max_retries)
    elif retry is None and (env_retries := _env(env, ENV_MAX_RETRIES)) is not None:
        try:
            policy = dataclasses.replace(policy, max_retries=int(env_retries))
        except ValueError:
            raise ValueError(f"{ENV_MAX_RETRIES} must be an integer, got {env_retries!r}") from None

    headers = dict(default_headers or {})
    for name in headers:
        if name.lower() == "authorization":
            raise ValueError("pass the API key as api_key=, not as an Authorization header")
    return ClientConfig(
        base_url=normalize_base_url(url),
        api_key=key,
        timeout=resolved_timeout,
        retry=policy,
        default_headers=headers,
    )
