"""``AsyncFlowise``: the async client and its send loop (retries, error mapping, streaming)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import httpx

from .._base_client import BaseClient, ServerState
from .._config import ClientConfig
from .._constants import DEFAULT_CONNECTION_LIMITS
from .._core.capabilities import ServerCapabilities
from .._core.request import RequestSpec
from .._core.response import (
    make_status_error,
    parse_body,
    parse_json_as,
    translate_transport_error,
    validate_as,
)
from .._core.retry import RetryPolicy
from .._exceptions import APIStatusError
from .._logging import logger, redact
from .._types import NOT_GIVEN, NotGiven, RequestOptions, TimeoutTypes

if TYPE_CHECKING:
    from pydantic import SecretStr

    from .resources.api_keys import AsyncApiKeys
    from .resources.assistants import AsyncAssistants
    from .resources.attachments import AsyncAttachments
    from .resources.chat_messages import AsyncChatMessages
    from .resources.chatflows import AsyncChatflows
    from .resources.credentials import AsyncCredentials
    from .resources.datasets import AsyncDatasets
    from .resources.document_stores import AsyncDocumentStores
    from .resources.executions import AsyncExecutions
    from .resources.feedback import AsyncFeedback
    from .resources.leads import AsyncLeads
    from .resources.marketplace import AsyncMarketplace
    from .resources.nodes import AsyncNodes
    from .resources.predictions import AsyncPredictions
    from .resources.stats import AsyncStats
    from .resources.tools import AsyncTools
    from .resources.upsert_history import AsyncUpsertHistory
    from .resources.variables import AsyncVariables
    from .resources.vectors import AsyncVectors

__all__ = ["AsyncFlowise"]

T = TypeVar("T")


class AsyncFlowise(BaseClient):
    """Client for the Flowise REST API (``/api/v1``).

    Configuration comes from the arguments, then ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY`` (and
    ``FLOWISE_TIMEOUT``/``FLOWISE_MAX_RETRIES``), then ``http://localhost:3000`` with no key.
    ``base_url`` may include ``/api/v1`` or not. An injected ``http_client`` stays the caller's to
    close; the one the client creates is closed by :meth:`aclose` or ``async with``.

    Example::

        async with AsyncFlowise("http://localhost:3000", api_key="...") as client:
            answer = await client.predictions.create(chatflow_id, question="Hello")
            print(answer.text)
    """

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        *,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        _config: ClientConfig | None = None,
        _server: ServerState | None = None,
    ) -> None:
        super().__init__(
            base_url,
            api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            default_headers=default_headers,
            _config=_config,
            _server=_server,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError(f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}")
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            limits=DEFAULT_CONNECTION_LIMITS, follow_redirects=False
        )

    @cached_property
    def chatflows(self) -> AsyncChatflows:
        """Chatflows and agentflows."""
        from .resources.chatflows import AsyncChatflows

        return AsyncChatflows(self)

    @cached_property
    def predictions(self) -> AsyncPredictions:
        """Run a flow, as JSON or as an event stream."""
        from .resources.predictions import AsyncPredictions

        return AsyncPredictions(self)

    @cached_property
    def vectors(self) -> AsyncVectors:
        """Upsert documents through a flow's vector store."""
        from .resources.vectors import AsyncVectors

        return AsyncVectors(self)

    @cached_property
    def document_stores(self) -> AsyncDocumentStores:
        """Document stores, their loaders, chunks and vector store."""
        from .resources.document_stores import AsyncDocumentStores

        return AsyncDocumentStores(self)

    @cached_property
    def credentials(self) -> AsyncCredentials:
        """Credentials (values returned as ``SecretStr``)."""
        from .resources.credentials import AsyncCredentials

        return AsyncCredentials(self)

    @cached_property
    def tools(self) -> AsyncTools:
        """Custom tools."""
        from .resources.tools import AsyncTools

        return AsyncTools(self)

    @cached_property
    def api_keys(self) -> AsyncApiKeys:
        """API keys."""
        from .resources.api_keys import AsyncApiKeys

        return AsyncApiKeys(self)

    @cached_property
    def assistants(self) -> AsyncAssistants:
        """Assistants."""
        from .resources.assistants import AsyncAssistants

        return AsyncAssistants(self)

    @cached_property
    def datasets(self) -> AsyncDatasets:
        """Evaluation datasets (Enterprise and Cloud only)."""
        from .resources.datasets import AsyncDatasets

        return AsyncDatasets(self)

    @cached_property
    def variables(self) -> AsyncVariables:
        """Variables."""
        from .resources.variables import AsyncVariables

        return AsyncVariables(self)

    @cached_property
    def executions(self) -> AsyncExecutions:
        """Agentflow executions."""
        from .resources.executions import AsyncExecutions

        return AsyncExecutions(self)

    @cached_property
    def stats(self) -> AsyncStats:
        """A flow's message and feedback statistics."""
        from .resources.stats import AsyncStats

        return AsyncStats(self)

    @cached_property
    def chat_messages(self) -> AsyncChatMessages:
        """A flow's chat messages."""
        from .resources.chat_messages import AsyncChatMessages

        return AsyncChatMessages(self)

    @cached_property
    def feedback(self) -> AsyncFeedback:
        """Feedback on messages."""
        from .resources.feedback import AsyncFeedback

        return AsyncFeedback(self)

    @cached_property
    def leads(self) -> AsyncLeads:
        """Leads collected by chatbots."""
        from .resources.leads import AsyncLeads

        return AsyncLeads(self)

    @cached_property
    def upsert_history(self) -> AsyncUpsertHistory:
        """Vector upsert history."""
        from .resources.upsert_history import AsyncUpsertHistory

        return AsyncUpsertHistory(self)

    @cached_property
    def attachments(self) -> AsyncAttachments:
        """Files attached to a chat."""
        from .resources.attachments import AsyncAttachments

        return AsyncAttachments(self)

    @cached_property
    def nodes(self) -> AsyncNodes:
        """Node definitions and node methods."""
        from .resources.nodes import AsyncNodes

        return AsyncNodes(self)

    @cached_property
    def marketplace(self) -> AsyncMarketplace:
        """Marketplace templates."""
        from .resources.marketplace import AsyncMarketplace

        return AsyncMarketplace(self)

    def with_options(
        self,
        *,
        base_url: str | None = None,
        api_key: str | SecretStr | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> AsyncFlowise:
        """A client with some settings changed, sharing this one's connection pool.

        Closing the derived client leaves the pool open; close the original.
        """
        config = self._derived_config(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            default_headers=default_headers,
        )
        return type(self)(http_client=self._http, _config=config, _server=self._server_for(config))

    async def ping(self, *, options: RequestOptions | None = None) -> str:
        """``GET /ping``: ``"pong"`` when the server is up."""
        return await self._request(
            RequestSpec("GET", "ping", kind="text", accept="text/plain"), options, cast=str
        )

    async def version(self, *, options: RequestOptions | None = None) -> str:
        """``GET /version``: the server's Flowise version, e.g. ``"3.1.4"``."""
        body = await self._request(RequestSpec("GET", "version"), options)
        if not isinstance(body, dict) or not isinstance(body.get("version"), str):
            raise TypeError(f"unexpected /version body: {body!r}")
        with contextlib.suppress(ValueError):
            self._remember_version(body["version"])
        return str(body["version"])

    async def capabilities(
        self, *, refresh: bool = False, options: RequestOptions | None = None
    ) -> ServerCapabilities:
        """What the server supports, from its version (``GET /version``).

        Asked once and remembered by this client and its ``with_options`` copies; ``refresh``
        asks again (after the server was upgraded, say). A call that needs a capability asks
        this first, so it fails with :class:`~flowise_integrations.UnsupportedFeatureError`
        before anything is sent to a server that lacks it.
        """
        known = self._server.capabilities
        if known is None or refresh:
            return self._remember_version(await self.version(options=options))
        return known

    async def _require(self, capability: str) -> None:
        """Raise if the server lacks ``capability``; a server that will not say is given the
        benefit of the doubt, and not asked again."""
        if self._server.silent:
            return
        try:
            capabilities = await self.capabilities()
        except (APIStatusError, TypeError, ValueError):
            self._server.silent = True
            return
        capabilities.require(capability)

    @overload
    async def _request(self, spec: RequestSpec, options: RequestOptions | None, cast: type[T]) -> T: ...
    @overload
    async def _request(self, spec: RequestSpec, options: RequestOptions | None, cast: Any = None) -> Any: ...
    async def _request(self, spec: RequestSpec, options: RequestOptions | None, cast: Any = None) -> Any:
        """Send ``spec`` and return its decoded body, validated as ``cast`` when given."""
        response = await self._send(spec, options, stream=False)
        if cast is not None and spec.kind == "json":
            return parse_json_as(response, cast)
        body = parse_body(response, spec.kind)
        return body if cast is None else validate_as(response, body, cast)

    async def _send(
        self, spec: RequestSpec, options: RequestOptions | None, *, stream: bool
    ) -> httpx.Response:
        """Send with retries. A streamed response is returned open; others fully read and closed."""
        if spec.capability is not None:
            await self._require(spec.capability)
        request = self._build_request(spec, options)
        policy = self._retry_policy(options)
        idempotent = spec.is_idempotent
        retries = 0
        while True:
            if logger.isEnabledFor(logging.DEBUG):  # redact() only when the record will be emitted
                path = redact(request.url.path)
                logger.debug("request: %s %s (attempt %d)", request.method, path, retries + 1)
            try:
                # Without ``stream`` httpx reads the body and releases the connection itself.
                response = await self._http.send(request, stream=stream)
                if stream and not response.is_success:
                    try:
                        await response.aread()
                    finally:
                        await response.aclose()
            except httpx.TransportError as exc:
                delay = policy.delay_for_exception(exc, retries_done=retries, idempotent=idempotent)
                if delay is None:
                    raise translate_transport_error(exc, request, streaming=stream) from exc
                reason = type(exc).__name__
            else:
                if response.is_success:
                    return response
                delay = policy.delay_for_status(
                    response.status_code, response.headers, retries_done=retries, idempotent=idempotent
                )
                if delay is None:
                    raise make_status_error(response, hint=spec.hint)
                reason = f"HTTP {response.status_code}"
            retries += 1
            logger.info(
                "retrying %s %s in %.2fs (retry %d of %d, %s)",
                request.method,
                redact(request.url.path),
                delay,
                retries,
                policy.max_retries,
                reason,
            )
            await asyncio.sleep(delay)

    async def aclose(self) -> None:
        """Close the connection pool, unless it was injected by the caller."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncFlowise:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
