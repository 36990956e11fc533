"""What the sync and async clients share and that does no I/O.

:class:`BaseClient` holds the resolved configuration and turns a :class:`RequestSpec` plus per-call
options into an ``httpx.Request``. The generated sync client and its async source add only the
send path on top.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from ._config import ClientConfig, _coerce_timeout, coerce_api_key, resolve_config
from ._core.capabilities import ServerCapabilities
from ._core.request import RequestSpec, build_request
from ._core.retry import RetryPolicy
from ._types import NOT_GIVEN, NotGiven, RequestOptions, TimeoutTypes

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = ["BaseClient", "ServerState"]

_OPTION_KEYS = frozenset(RequestOptions.__annotations__)


class ServerState:
    """What a client learnt about its server, shared with its ``with_options`` copies."""

    __slots__ = ("capabilities", "silent")

    def __init__(self) -> None:
        self.capabilities: ServerCapabilities | None = None
        self.silent = False
        """The server would not tell its version; calls are sent without asking again."""


class BaseClient:
    """Configuration, request building and ``repr`` for both clients."""

    _config: ClientConfig

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        _config: ClientConfig | None = None,
        _server: ServerState | None = None,
    ) -> None:
        self._server = _server or ServerState()
        self._config = _config or resolve_config(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            default_headers=default_headers,
        )

    @property
    def base_url(self) -> str:
        """The API root, always ending in ``/api/v1/``."""
        return self._config.base_url

    @property
    def max_retries(self) -> int:
        return self._config.retry.max_retries

    def _derived_config(
        self,
        *,
        base_url: str | None,
        api_key: str | SecretStr | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        retry: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
    ) -> ClientConfig:
        config = self._config
        policy = retry or config.retry
        if not isinstance(max_retries, NotGiven):
            policy = dataclasses.replace(policy, max_retries=max_retries)
        return resolve_config(
            base_url=base_url or config.base_url,
            api_key=api_key if api_key is not None else config.api_key,
            timeout=config.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=NOT_GIVEN,
            retry=policy,
            default_headers={**config.default_headers, **(default_headers or {})},
        )

    def _server_for(self, config: ClientConfig) -> ServerState | None:
        """The state a derived client with ``config`` shares: this one's, unless the server changed."""
        return self._server if config.base_url == self._config.base_url else None

    def _remember_version(self, version: str) -> ServerCapabilities:
        """Record the server's ``version``; ``ValueError`` if it is not a version number."""
        capabilities = self._server.capabilities
        if capabilities is None or capabilities.version != version:
            capabilities = self._server.capabilities = ServerCapabilities(version)
        return capabilities

    def _retry_policy(self, options: RequestOptions | None) -> RetryPolicy:
        if options and "max_retries" in options:
            max_retries = options["max_retries"]
            if isinstance(max_retries, bool) or not isinstance(max_retries, int):
                raise TypeError(f"max_retries must be an int, got {type(max_retries).__name__}")
            return dataclasses.replace(self._config.retry, max_retries=max_retries)
        return self._config.retry

    def _build_request(self, spec: RequestSpec, options: RequestOptions | None) -> httpx.Request:
        if options:
            unknown = set(options) - _OPTION_KEYS
            if unknown:
                raise TypeError(
                    f"unknown request option(s): {sorted(unknown)}; allowed: {sorted(_OPTION_KEYS)}"
                )
        options = options or {}
        headers = dict(self._config.default_headers)
        key = coerce_api_key(options["api_key"]) if "api_key" in options else self._config.api_key
        if key is not None:
            headers["Authorization"] = f"Bearer {key.get_secret_value()}"
        extra_headers = options.get("headers") or {}
        if not isinstance(extra_headers, Mapping):
            raise TypeError(f"headers must be a mapping, got {type(extra_headers).__name__}")
        headers.update(extra_headers)
        if "timeout" in options:
            timeout = _coerce_timeout(options["timeout"])
        elif not isinstance(self._config.timeout, NotGiven):
            timeout = self._config.timeout
        else:
            timeout = spec.default_timeout
        return build_request(spec, base_url=self._config.base_url, headers=headers, timeout=timeout)

    def __repr__(self) -> str:
        key = "<set>" if self._config.api_key is not None else "None"
        return f"{type(self).__name__}(base_url={self._config.base_url!r}, api_key={key})"

    def __getstate__(self) -> Any:
        raise TypeError(f"{type(self).__name__} cannot be pickled: it holds open connections and a secret")
