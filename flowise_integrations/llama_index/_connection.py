"""The connection settings every LlamaIndex adapter shares, and the clients built from them.

Each adapter takes the same settings: ``base_url`` (else ``FLOWISE_BASE_URL``), ``api_key`` (else
``FLOWISE_API_KEY``, kept as a ``SecretStr``), ``timeout`` and ``max_retries`` (else the client's
defaults), or ready-made ``client``/``async_client`` instances. Sync methods use a
:class:`~flowise_integrations.Flowise`, async methods an
:class:`~flowise_integrations.AsyncFlowise`; whichever is not injected is built on first use from
the same settings (or from the injected twin's settings), so both always talk to the same server
with the same key. Injected clients stay the caller's to close.
"""

from __future__ import annotations

import os
from typing import TypedDict

import httpx
from pydantic import SecretStr

from .._async._client import AsyncFlowise
from .._config import coerce_api_key
from .._constants import ENV_API_KEY, ENV_BASE_URL
from .._sync._client import Flowise
from .._types import NOT_GIVEN

__all__ = ["ConnectionArgs", "FlowiseConnection", "Timeout"]

Timeout = float | httpx.Timeout
"""Seconds or an ``httpx.Timeout``; ``None`` where accepted means "the client's defaults"."""


class ConnectionArgs(TypedDict, total=False):
    """The connection keywords the adapter functions pass on to :class:`FlowiseConnection`
    (``**connection: Unpack[ConnectionArgs]``), so each is declared once."""

    base_url: str | None
    api_key: str | SecretStr | None
    timeout: Timeout | None
    max_retries: int | None
    client: Flowise | None
    async_client: AsyncFlowise | None


def _env(name: str) -> str | None:
    return os.environ.get(name, "").strip() or None


class FlowiseConnection:
    """Resolved settings plus the lazily built sync and async clients.

    ``timeout=None`` and ``max_retries=None`` keep the client defaults (``FLOWISE_TIMEOUT`` and
    ``FLOWISE_MAX_RETRIES`` included): an adapter never disables timeouts.
    """

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
    ) -> None:
        if client is not None and not isinstance(client, Flowise):
            raise TypeError(f"client must be a flowise_integrations.Flowise, got {type(client).__name__}")
        if async_client is not None and not isinstance(async_client, AsyncFlowise):
            raise TypeError(
                f"async_client must be a flowise_integrations.AsyncFlowise, got {type(async_client).__name__}"
            )
        self.base_url: str | None = base_url or _env(ENV_BASE_URL)
        self.api_key: SecretStr | None = coerce_api_key(api_key) or coerce_api_key(_env(ENV_API_KEY))
        self.timeout = timeout
        self.max_retries = max_retries
        self._client = client
        self._async_client = async_client
        self._owned: list[Flowise | AsyncFlowise] = []

    def __getstate__(self) -> dict[str, object]:
        raise TypeError("Flowise adapters cannot be pickled: they hold an API key and HTTP clients")

    @property
    def client(self) -> Flowise:
        """The sync client: the injected one, else one built from these settings."""
        if self._client is None:
            if self._async_client is not None:
                self._client = Flowise(_config=self._async_client._config)
            else:
                self._client = Flowise(
                    self.base_url,
                    self.api_key,
                    timeout=NOT_GIVEN if self.timeout is None else self.timeout,
                    max_retries=NOT_GIVEN if self.max_retries is None else self.max_retries,
                )
            self._owned.append(self._client)
        return self._client

    @property
    def async_client(self) -> AsyncFlowise:
        """The async client: the injected one, else one built from these settings."""
        if self._async_client is None:
            if self._client is not None:
                self._async_client = AsyncFlowise(_config=self._client._config)
            else:
                self._async_client = AsyncFlowise(
                    self.base_url,
                    self.api_key,
                    timeout=NOT_GIVEN if self.timeout is None else self.timeout,
                    max_retries=NOT_GIVEN if self.max_retries is None else self.max_retries,
                )
            self._owned.append(self._async_client)
        return self._async_client

    def close(self) -> None:
        """Close the sync client if this connection built it (injected clients are left open)."""
        for owned in list(self._owned):
            if isinstance(owned, Flowise):
                owned.close()
                self._owned.remove(owned)
                self._client = None

    async def aclose(self) -> None:
        """Close every client this connection built (injected clients are left open)."""
        for owned in list(self._owned):
            if isinstance(owned, AsyncFlowise):
                await owned.aclose()
                self._async_client = None
            else:
                owned.close()
                self._client = None
            self._owned.remove(owned)

    def __repr__(self) -> str:
        key = "<set>" if self.api_key is not None else "None"
        return f"FlowiseConnection(base_url={self.base_url!r}, api_key={key})"
