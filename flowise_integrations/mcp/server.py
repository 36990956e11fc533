"""``FlowiseMCPServer``: a Flowise server's flows and custom tools as Model Context Protocol tools.

The tools are the ones :class:`~flowise_integrations.langchain.FlowiseToolkit` would build, with
the same selection (ids, a name pattern, kinds), names and argument schemas
(``flowise_integrations._toolkit``): every chatflow and assistant takes ``{question}``, an
agentflow whose Start node has a form takes its fields, a custom tool its own properties. The
list is read from Flowise again at every ``tools/list``, so new flows appear without a restart.
Document stores can be served too, each as a ``search_<name>`` tool.

A call checks its arguments against the tool's schema (unknown ones are refused), then runs the
flow with one new Flowise chat id, or the custom tool on the server. When the caller asks for
progress the prediction is streamed and each chunk of the answer is sent as a progress
notification; when the caller cancels, Flowise is told to abort the run. An agentflow that stops
for a person (a Human Input node, a tool approval) has the host's user asked with an elicitation,
and the decision resumes the same run. Every failure is a tool result with ``isError`` set, and
the server keeps serving.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Collection, Mapping
from types import TracebackType
from typing import Any

import anyio
import mcp.types as types
from mcp.server import Server, ServerRequestContext
from mcp.server.request_state import RequestStateBoundary, RequestStateSecurity
from mcp.server.stdio import stdio_server
from mcp.shared.exceptions import MCPError
from mcp.types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette

from .._async._client import AsyncFlowise
from .._async._discovery import discover_targets
from .._exceptions import APIError
from .._tool_args import args_model
from .._toolkit import FlowiseToolTarget, TargetKind
from .._version import __version__
from ..types import HumanInputRequest, Prediction
from ..types import stream_events as ev
from ._decisions import DECISION_KEY, decision_form, decision_from
from ._results import (
    answer_result,
    custom_tool_result,
    error_result,
    internal_error_result,
    invalid_arguments_result,
    mcp_tool,
    waiting_result,
)
from ._searches import StoreSearch, search_result, store_searches

__all__ = ["FlowiseMCPServer"]

logger = logging.getLogger("flowise_integrations.mcp")

_SEARCHABLE = frozenset({"UPSERTED", "SYNC", "STALE"})
"""Store statuses with chunks in a vector store (``SYNC``: in sync; ``STALE``: loaders changed since)."""

_INSTRUCTIONS = (
    "Each tool runs a flow or custom tool on a Flowise server and returns its answer. Flows take "
    "a question, or their form fields; every call is a new conversation."
)


class FlowiseMCPServer:
    """Serve a Flowise server's flows and custom tools over MCP (stdio or streamable HTTP).

    Args:
        client: The :class:`~flowise_integrations.AsyncFlowise` to run the tools with. Without
            one, a client is made from ``base_url``/``api_key`` (or ``FLOWISE_BASE_URL`` and
            ``FLOWISE_API_KEY``) and closed by :meth:`aclose`.
        include_ids: Only these flow and tool ids (default: all).
        exclude_ids: Never these ids.
        name_pattern: A regular expression the Flowise name must match (``re.search``).
        kinds: Only these kinds: ``"chatflow"``, ``"agentflow"``, ``"assistant"``,
            ``"custom_tool"``.
        document_stores: Also serve document stores as search tools (``search_<name>``):
            ``True`` for every store whose chunks are in a vector store, or these store ids.
        name: The server name MCP hosts show.

    Example:
        .. code-block:: python

            import anyio
            from flowise_integrations.mcp import FlowiseMCPServer

            anyio.run(FlowiseMCPServer(kinds=["agentflow"]).run_stdio)
    """

    def __init__(
        self,
        client: AsyncFlowise | None = None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        include_ids: Collection[str] | None = None,
        exclude_ids: Collection[str] = (),
        name_pattern: str | re.Pattern[str] | None = None,
        kinds: Collection[TargetKind] | None = None,
        document_stores: bool | Collection[str] = False,
        name: str = "flowise",
    ) -> None:
        if client is not None and (base_url is not None or api_key is not None):
            raise ValueError("pass either client or base_url/api_key, not both")
        self._client = client if client is not None else AsyncFlowise(base_url, api_key)
        self._owns_client = client is None
        self._filters: dict[str, Any] = {
            "include_ids": None if include_ids is None else frozenset(include_ids),
            "exclude_ids": frozenset(exclude_ids),
            "name_pattern": re.compile(name_pattern) if isinstance(name_pattern, str) else name_pattern,
            "kinds": None if kinds is None else frozenset(kinds),
        }
        self._document_stores = (
            document_stores if isinstance(document_stores, bool) else frozenset(document_stores)
        )
        self._targets: dict[str, FlowiseToolTarget] = {}
        self._searches: dict[str, StoreSearch] = {}
        self._models: dict[tuple[str, str], type[BaseModel]] = {}
        self.server: Server[Any] = Server(
            name,
            version=__version__,
            instructions=_INSTRUCTIONS,
            on_list_tools=self._list_tools,
            on_call_tool=self._call_tool,
        )
        """The SDK's low-level server, for transports and settings this class does not wrap."""
        # A host sends back the request it was asked about: sealed, so it cannot name another run.
        boundary = RequestStateBoundary(RequestStateSecurity.ephemeral(), default_audience=name)
        self.server.middleware.append(boundary)

    @property
    def client(self) -> AsyncFlowise:
        """The Flowise client the tools run with."""
        return self._client

    # ------------------------------------------------------------------------------- the tools

    async def targets(self) -> list[FlowiseToolTarget]:
        """The selected flows and custom tools, read from Flowise now (what ``tools/list`` lists)."""
        targets = await discover_targets(self._client, **self._filters)
        self._targets = {target.name: target for target in targets}
        return targets

    async def searches(self) -> list[StoreSearch]:
        """The document stores served as search tools, read from Flowise now (none unless asked)."""
        if not self._document_stores:
            self._searches = {}
            return []
        stores = await self._client.document_stores.list()
        chosen = [
            store
            for store in stores
            if (self._document_stores is True or store.id in self._document_stores)
            and store.status in _SEARCHABLE
        ]
        taken = set(self._targets)
        searches = store_searches(chosen, taken=taken)
        self._searches = {search.name: search for search in searches}
        return searches

    async def _list_tools(
        self, ctx: ServerRequestContext[Any], params: types.PaginatedRequestParams | None
    ) -> types.ListToolsResult:
        tools = [mcp_tool(target) for target in await self.targets()]
        tools += [search.tool() for search in await self.searches()]
        return types.ListToolsResult(tools=tools)

    async def _tool(self, name: str) -> FlowiseToolTarget | StoreSearch:
        """The tool called ``name``, from the last listing or, for a name it lacks, a new one."""
        if name not in self._targets and name not in self._searches:
            await self.targets()
            await self.searches()
        found = self._targets.get(name) or self._searches.get(name)
        if found is None:
            raise MCPError(types.INVALID_PARAMS, f"Unknown tool {name!r}: list the tools again")
        return found

    def _arguments(
        self, tool: FlowiseToolTarget | StoreSearch, arguments: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``arguments`` checked and coerced by the tool's schema; unknown ones are refused."""
        key = (tool.id, tool.name)
        model = self._models.get(key)
        if model is None:
            model = args_model(f"{tool.name}_arguments", tool.parameters, extra="forbid")
            self._models[key] = model
        return model.model_validate(dict(arguments)).model_dump(by_alias=True, exclude_none=True)

    async def _call_tool(
        self, ctx: ServerRequestContext[Any], params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        target = await self._tool(params.name)
        try:
            arguments = self._arguments(target, params.arguments or {})
        except ValidationError as exc:
            return invalid_arguments_result(target.name, exc)
        try:
            if isinstance(target, StoreSearch):
                query = self._client.document_stores.vector_store.query
                return search_result(await query(target.id, arguments["query"], top_k=arguments.get("top_k")))
            if target.kind == "custom_tool":
                result = await self._client.nodes.execute_custom_function(target.code or "", arguments)
                return custom_tool_result(result)
            if params.request_state is not None:  # the call again, with the person's answer
                return await self._answered(ctx, target, params)
            inputs: dict[str, Any] = (
                {"form": arguments} if target.takes_form else {"question": arguments.get("question", "")}
            )
            wants_progress = bool(ctx.meta and ctx.meta.get("progress_token") is not None)
            chat_id = str(uuid.uuid4())
            prediction = await self._run_flow(ctx, target.id, chat_id, inputs, stream=wants_progress)
            return await self._outcome(ctx, target, prediction, chat_id)
        except APIError as exc:
            return error_result(target.name, exc)
        except Exception:
            logger.exception("tool %r failed", target.name)
            return internal_error_result(target.name)

    async def _outcome(
        self, ctx: ServerRequestContext[Any], target: FlowiseToolTarget, prediction: Prediction, chat_id: str
    ) -> types.CallToolResult | types.InputRequiredResult:
        """The answer, or, for a run that stopped for a person, the host's user asked to decide.

        A host that takes elicitations is asked with a form: on the current protocol by returning
        an ``InputRequiredResult`` (the host calls again with the answer and the sealed request),
        on earlier ones by an ``elicitation/create`` request during the call. Other hosts get the
        question and the request as the tool's answer.
        """
        while True:
            request = HumanInputRequest.from_prediction(target.id, prediction, chat_id=chat_id)
            if request is None:
                return answer_result(prediction)
            capabilities = ctx.session.client_capabilities
            if capabilities is None or capabilities.elicitation is None:
                return waiting_result(request)
            form = decision_form(request)
            if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:
                return types.InputRequiredResult(
                    input_requests={DECISION_KEY: types.ElicitRequest(params=form)},
                    request_state=request.model_dump_json(),
                )
            if not ctx.session.can_send_request:
                return waiting_result(request)
            answer = await ctx.session.elicit_form(
                form.message, form.requested_schema, related_request_id=ctx.request_id
            )
            resumed = await self._decided(ctx, request, answer)
            if isinstance(resumed, types.CallToolResult):
                return resumed
            prediction, chat_id = resumed, request.chat_id

    async def _answered(
        self, ctx: ServerRequestContext[Any], target: FlowiseToolTarget, params: types.CallToolRequestParams
    ) -> types.CallToolResult | types.InputRequiredResult:
        """Resume the run a sealed request names with the decision the host sent back."""
        assert params.request_state is not None
        request = HumanInputRequest.model_validate_json(params.request_state)  # minted here, sealed
        answer = (params.input_responses or {}).get(DECISION_KEY)
        if not isinstance(answer, types.ElicitResult):
            return waiting_result(request, problem="the call came back without a decision")
        resumed = await self._decided(ctx, request, answer)
        if isinstance(resumed, types.CallToolResult):
            return resumed
        return await self._outcome(ctx, target, resumed, request.chat_id)

    async def _decided(
        self, ctx: ServerRequestContext[Any], request: HumanInputRequest, answer: types.ElicitResult
    ) -> Prediction | types.CallToolResult:
        """The run resumed with the decision ``answer`` gives, or the result when it gives none."""
        try:
            decision = decision_from(answer)
        except ValueError as exc:
            return waiting_result(request, problem=str(exc))
        if decision is None:
            return waiting_result(request)
        resume = {"human_input": decision}
        return await self._run_flow(ctx, request.chatflow_id, request.chat_id, resume, stream=False)

    async def _run_flow(
        self,
        ctx: ServerRequestContext[Any],
        chatflow_id: str,
        chat_id: str,
        inputs: Mapping[str, Any],
        *,
        stream: bool,
    ) -> Prediction:
        """Run the flow in the conversation ``chat_id``; on cancellation, ask Flowise to abort it."""
        try:
            if not stream:
                return await self._client.predictions.create(chatflow_id, chat_id=chat_id, **inputs)
            async with self._client.predictions.stream(chatflow_id, chat_id=chat_id, **inputs) as events:
                chunks = 0
                async for event in events:
                    if isinstance(event, ev.TokenEvent) and event.data:
                        chunks += 1
                        await ctx.session.report_progress(chunks, None, event.data)
                return await events.final()
        except anyio.get_cancelled_exc_class():
            with anyio.CancelScope(shield=True):
                await self._abort(chatflow_id, chat_id)
            raise

    async def _abort(self, chatflow_id: str, chat_id: str) -> None:
        try:
            await self._client.chat_messages.abort(chatflow_id, chat_id)
        except APIError as exc:
            logger.warning("could not abort the cancelled run %s of %s: %s", chat_id, chatflow_id, exc)

    # ------------------------------------------------------------------------------ transports

    async def run_stdio(self) -> None:
        """Serve one MCP host over this process's stdin and stdout until it disconnects."""
        async with stdio_server() as (read_stream, write_stream):
            await self.server.run(read_stream, write_stream, self.server.create_initialization_options())

    def streamable_http_app(
        self, *, path: str = "/mcp", host: str = "127.0.0.1", **settings: Any
    ) -> Starlette:
        """An ASGI app serving MCP over streamable HTTP at ``path``; run it with any ASGI server.

        ``host`` is where it will listen: on a loopback address the SDK turns on its DNS-rebinding
        protection. ``settings`` go to the SDK's ``Server.streamable_http_app`` (``json_response``,
        ``stateless_http``, ``transport_security``, authentication).
        """
        return self.server.streamable_http_app(streamable_http_path=path, host=host, **settings)

    async def run_http(self, *, host: str = "127.0.0.1", port: int = 8000, path: str = "/mcp") -> None:
        """Serve MCP over streamable HTTP on ``host:port`` at ``path`` (with uvicorn) until stopped."""
        import uvicorn

        app = self.streamable_http_app(path=path, host=host)
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
        await uvicorn.Server(config).serve()

    # ------------------------------------------------------------------------------- lifecycle

    async def aclose(self) -> None:
        """Close the Flowise client if this server made it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> FlowiseMCPServer:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"FlowiseMCPServer(name={self.server.name!r}, client={self._client!r})"
