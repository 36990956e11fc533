"""The whole local stack: model stand-in, Chroma and Flowise, started and stopped together.

``LocalStack`` is what the pytest plugin, ``python -m flowise_integrations.testing serve`` and the
demo start. When ``FLOWISE_BASE_URL`` and ``FLOWISE_API_KEY`` are both set, that server is used
instead of starting one (the stand-in and Chroma still run locally, so flows that use them need a
server that can reach this machine's loopback address).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .._constants import ENV_API_KEY, ENV_BASE_URL
from ._chroma import LocalChroma
from ._install import DEFAULT_FLOWISE_VERSION
from ._model import ModelStandIn
from ._server import Database, LocalFlowise, Mode
from ._service import Service

if TYPE_CHECKING:
    from typing_extensions import Self

    from .. import AsyncFlowise, Flowise

__all__ = ["LocalStack"]


class LocalStack(Service):
    """A Flowise server with an OpenAI-compatible model stand-in and a Chroma server beside it.

    ``model_base_url`` (with ``/v1``) is what ``chatOpenAI``'s ``basepath`` and
    ``localAIEmbeddings``' ``basePath`` need; ``chroma_url`` is the ``chroma`` node's ``chromaURL``.
    ``mode``, ``workers`` and ``database`` choose the Flowise topology (see :class:`LocalFlowise`).
    """

    def __init__(
        self,
        *,
        flowise_version: str = DEFAULT_FLOWISE_VERSION,
        mode: Mode = "main",
        workers: int = 2,
        database: Database = "sqlite",
        with_chroma: bool = True,
        model: ModelStandIn | None = None,  # not started yet: the stack starts it
        use_env_server: bool = True,
    ) -> None:
        self.model = model or ModelStandIn()
        self.chroma = LocalChroma() if with_chroma else None
        external = (os.environ.get(ENV_BASE_URL, "").strip(), os.environ.get(ENV_API_KEY, "").strip())
        self._external = external if use_env_server and all(external) else None
        self.flowise = (
            None
            if self._external
            else LocalFlowise(flowise_version, mode=mode, workers=workers, database=database)
        )

    @property
    def base_url(self) -> str:
        """The Flowise server's URL."""
        return self._external[0] if self._external else self._local().base_url

    @property
    def api_key(self) -> str:
        """An API key with every permission an API key can have."""
        return self._external[1] if self._external else self._local().api_key

    @property
    def model_base_url(self) -> str:
        return self.model.base_url

    @property
    def chroma_url(self) -> str:
        if self.chroma is None:
            raise RuntimeError("this stack was started without Chroma")
        return self.chroma.url

    def _local(self) -> LocalFlowise:
        if self.flowise is None:
            raise RuntimeError("this stack uses an external Flowise server")
        return self.flowise

    def start(self) -> Self:
        try:
            self.model.start()
            if self.chroma is not None:
                self.chroma.start()
            if self.flowise is not None:
                self.flowise.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop everything that was started; safe to call more than once."""
        for part in (self.flowise, self.chroma, self.model):
            if part is not None:
                part.stop()

    def client(self, **kwargs: Any) -> Flowise:
        from .. import Flowise

        return Flowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncFlowise:
        from .. import AsyncFlowise

        return AsyncFlowise(base_url=self.base_url, api_key=self.api_key, **kwargs)

    def __repr__(self) -> str:
        server = f"external {self._external[0]!r}" if self._external else repr(self.flowise)
        return f"LocalStack(flowise={server}, model_running={self.model.running})"
