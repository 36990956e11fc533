"""Connection settings shared by every LangChain component: where Flowise is and how to reach it.

Each component either receives ready clients (``client=`` / ``async_client=``, which then stay the
caller's to close and whose settings win) or builds a sync and an async client from the same fields:
``base_url`` (``FLOWISE_BASE_URL``), ``api_key`` (``FLOWISE_API_KEY``), ``timeout`` and
``max_retries``. When only one client is injected, the other is built from that client's settings,
so sync and async calls always reach the same server with the same key. Settings are checked when
the component is created; clients are built when first used.
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.runnables import RunnableConfig, ensure_config
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from typing_extensions import Self

from .._async._client import AsyncFlowise
from .._config import ClientConfig, resolve_config
from .._constants import ENV_API_KEY, ENV_BASE_URL
from .._sync._client import Flowise
from .._types import NOT_GIVEN

__all__ = ["FlowiseConnection", "merge_override_config", "session_kwargs"]

# Guards building a component's clients on first use (batches call from several threads at once).
_CLIENTS_LOCK = threading.Lock()


class FlowiseConnection(BaseModel):
    """Fields and client construction for components that call Flowise.

    The API key is a ``SecretStr``: it never appears in ``repr``, and serializable components
    declare it in ``lc_secrets`` so ``dumpd``/``dumps`` write a reference to ``FLOWISE_API_KEY``
    instead of the key.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    base_url: str | None = Field(default_factory=from_env(ENV_BASE_URL, default=None))
    """Flowise server URL, with or without ``/api/v1``. Defaults to ``FLOWISE_BASE_URL``, then
    ``http://localhost:3000``."""

    api_key: SecretStr | None = Field(default_factory=secret_from_env(ENV_API_KEY, default=None))
    """Flowise API key. Defaults to ``FLOWISE_API_KEY``."""

    timeout: float | None = None
    """Request timeout in seconds; ``None`` keeps the client's defaults (300 s for predictions,
    60 s per chunk for streams)."""

    max_retries: int | None = None
    """Retries for requests that are safe to repeat; ``None`` keeps the client's default (2)."""

    def __getstate__(self) -> dict[Any, Any]:
        raise TypeError(f"{type(self).__name__} cannot be pickled: it holds an API key and HTTP clients")

    client: Flowise | None = Field(default=None, exclude=True, repr=False)
    """A ready sync client (its settings win over the fields above; the caller closes it)."""

    async_client: AsyncFlowise | None = Field(default=None, exclude=True, repr=False)
    """A ready async client (its settings win over the fields above; the caller closes it)."""

    _flowise_settings: ClientConfig = PrivateAttr()
    _built_client: Flowise | None = PrivateAttr(default=None)
    _built_async_client: AsyncFlowise | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _resolve_settings(self) -> Self:
        """Check and resolve the settings now; the clients themselves are built on first use.

        Building an HTTP client loads TLS certificates (tens of milliseconds), so components that
        are created often (in chains, per request) only pay for it when they call Flowise.
        """
        injected = self.client or self.async_client
        if injected is not None:
            self._flowise_settings = injected._config
        else:
            self._flowise_settings = resolve_config(
                base_url=self.base_url,
                api_key=self.api_key,
                timeout=NOT_GIVEN if self.timeout is None else self.timeout,
                max_retries=NOT_GIVEN if self.max_retries is None else self.max_retries,
                retry=None,
                default_headers=None,
            )
        return self

    @property
    def _client(self) -> Flowise:
        """The sync client: the injected one, or one built from the settings on first use."""
        if self.client is not None:
            return self.client
        with _CLIENTS_LOCK:
            if self._built_client is None:
                self._built_client = Flowise(_config=self._flowise_settings)
            return self._built_client

    @property
    def _async_client(self) -> AsyncFlowise:
        """The async client: the injected one, or one built from the settings on first use."""
        if self.async_client is not None:
            return self.async_client
        with _CLIENTS_LOCK:
            if self._built_async_client is None:
                self._built_async_client = AsyncFlowise(_config=self._flowise_settings)
            return self._built_async_client

    @property
    def _base_url(self) -> str:
        """The resolved API root (for tracing), without building a client."""
        return self._flowise_settings.base_url


def merge_override_config(*layers: dict[str, Any] | None) -> dict[str, Any]:
    """``overrideConfig`` layers merged shallowly; later layers win."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            merged.update(layer)
    return merged


def session_kwargs(config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` plus ``session_id`` from ``config["configurable"]["session_id"]`` when not given.

    LangChain does not hand the ``configurable`` part of a config to ``_generate``/``_stream``,
    so components read it in ``invoke``/``stream`` (including a config inherited from an
    enclosing chain) and pass it on as a call keyword.
    """
    if kwargs.get("session_id"):
        return kwargs
    session_id = (ensure_config(config).get("configurable") or {}).get("session_id")
    if isinstance(session_id, str) and session_id:
        return {**kwargs, "session_id": session_id}
    return kwargs
