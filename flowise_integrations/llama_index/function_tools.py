"""Flowise flows and custom tools as LlamaIndex ``FunctionTool``s, one tool each.

:func:`chatflow_tool`, :func:`custom_tool` and :func:`tools_from_server` name and describe each
tool exactly as the LangChain toolkit does (both use ``flowise_integrations._toolkit``): a flow's
tool takes ``{question}`` or its Start node's form fields, a custom tool takes its input schema and
runs on the Flowise server. Arguments are checked by the tool's schema before anything is sent.
Each function also takes the adapters' connection keywords (:class:`~._connection.ConnectionArgs`:
``base_url``, ``api_key``, ``timeout``, ``max_retries``, ``client``, ``async_client``).
"""

import json
import re
from collections.abc import Collection, Mapping
from typing import Any

from llama_index.core.bridge.pydantic import BaseModel
from llama_index.core.tools import FunctionTool, ToolMetadata
from typing_extensions import Unpack

from .._async._discovery import discover_targets as adiscover_targets
from .._sync._discovery import discover_targets
from .._tool_args import args_model
from .._toolkit import FlowiseToolTarget, TargetKind, chatflow_target, custom_tool_target
from ..types import Chatflow, Tool
from ._connection import ConnectionArgs, FlowiseConnection
from ._runs import PredictionArgs, arun, merge_override_config, run

__all__ = ["atools_from_server", "chatflow_tool", "custom_tool", "tools_from_server"]


def _as_text(value: Any) -> str:
    """A tool result as text for the model: strings as they are, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)


def _validated(schema: type[BaseModel], kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments checked and coerced by the tool's schema, under their Flowise names."""
    return schema.model_validate(dict(kwargs)).model_dump(by_alias=True)


def _target_tool(
    target: FlowiseToolTarget,
    connection: FlowiseConnection,
    *,
    name: str | None = None,
    description: str | None = None,
    session_id: str | None = None,
    override_config: Mapping[str, Any] | None = None,
    return_direct: bool = False,
) -> FunctionTool:
    """A ``FunctionTool`` for a flow (run by prediction) or a custom tool (run server-side)."""
    tool_name = name or target.name
    schema = args_model(f"{tool_name}_args", target.parameters)
    metadata = ToolMetadata(
        name=tool_name,
        description=description or target.description,
        fn_schema=schema,
        return_direct=return_direct,
    )
    if target.kind == "custom_tool":
        code = target.code or ""

        def run_custom(**kwargs: Any) -> str:
            variables = _validated(schema, kwargs)
            return _as_text(connection.client.nodes.execute_custom_function(code, variables))

        async def arun_custom(**kwargs: Any) -> str:
            variables = _validated(schema, kwargs)
            return _as_text(await connection.async_client.nodes.execute_custom_function(code, variables))

        return FunctionTool(fn=run_custom, async_fn=arun_custom, metadata=metadata)

    form = target.takes_form
    overrides = merge_override_config(override_config, session_id=session_id)

    def args_for(kwargs: Mapping[str, Any]) -> PredictionArgs:
        values = _validated(schema, kwargs)
        if form:
            fields = {key: value for key, value in values.items() if value is not None}
            return PredictionArgs(chatflow_id=target.id, form=fields, override_config=overrides)
        return PredictionArgs(chatflow_id=target.id, question=values["question"], override_config=overrides)

    def run_flow(**kwargs: Any) -> str:
        return run(connection.client, args_for(kwargs)).text

    async def arun_flow(**kwargs: Any) -> str:
        return (await arun(connection.async_client, args_for(kwargs))).text

    return FunctionTool(fn=run_flow, async_fn=arun_flow, metadata=metadata)


def _chatflow_tool(
    connection: FlowiseConnection,
    chatflow: Chatflow | str,
    *,
    name: str | None,
    description: str | None,
    session_id: str | None,
    override_config: Mapping[str, Any] | None,
    return_direct: bool,
) -> FunctionTool:
    flow = connection.client.chatflows.get(chatflow) if isinstance(chatflow, str) else chatflow
    return _target_tool(
        chatflow_target(flow, description=description),
        connection,
        name=name,
        session_id=session_id,
        override_config=override_config,
        return_direct=return_direct,
    )


def _custom_tool(
    connection: FlowiseConnection,
    tool: Tool | str,
    *,
    name: str | None,
    description: str | None,
    return_direct: bool,
) -> FunctionTool:
    found = connection.client.tools.get(tool) if isinstance(tool, str) else tool
    return _target_tool(
        custom_tool_target(found), connection, name=name, description=description, return_direct=return_direct
    )


def chatflow_tool(
    chatflow: Chatflow | str,
    *,
    name: str | None = None,
    description: str | None = None,
    session_id: str | None = None,
    override_config: Mapping[str, Any] | None = None,
    return_direct: bool = False,
    **connection_args: Unpack[ConnectionArgs],
) -> FunctionTool:
    """A chatflow, agentflow or assistant as a ``FunctionTool`` that returns the flow's answer.

    Its arguments are ``{question}``, or the form fields of an agentflow whose Start node takes
    form input (sent as ``form``). The name is the flow's name made tool-safe, the description
    says what the flow is (both overridable). ``chatflow`` is a :class:`Chatflow` or an id (then
    fetched once with the sync client). ``session_id`` keeps every call in one Flowise session;
    without it each call is independent.
    """
    connection = FlowiseConnection(**connection_args)
    return _chatflow_tool(
        connection,
        chatflow,
        name=name,
        description=description,
        session_id=session_id,
        override_config=override_config,
        return_direct=return_direct,
    )


def custom_tool(
    tool: Tool | str,
    *,
    name: str | None = None,
    description: str | None = None,
    return_direct: bool = False,
    **connection_args: Unpack[ConnectionArgs],
) -> FunctionTool:
    """A Flowise custom tool as a ``FunctionTool`` whose code runs on the Flowise server.

    The arguments (``fn_schema``) come from the tool's input schema; each is given to the code
    as ``$<property>`` (optional ones not passed as ``null``) through ``POST
    /node-custom-function``, which needs a key with chatflows or agentflows create/update
    permission. Flow context such as ``$flow`` is not available there. ``tool`` is a
    :class:`Tool` or an id (then fetched once with the sync client). The result is returned as
    text (JSON for non-string values).
    """
    connection = FlowiseConnection(**connection_args)
    return _custom_tool(connection, tool, name=name, description=description, return_direct=return_direct)


def tools_from_server(
    *,
    include_ids: Collection[str] | None = None,
    exclude_ids: Collection[str] = (),
    name_pattern: str | re.Pattern[str] | None = None,
    kinds: Collection[TargetKind] | None = None,
    **connection_args: Unpack[ConnectionArgs],
) -> list[FunctionTool]:
    """Every flow and custom tool on the server that passes the filters, as ``FunctionTool``s.

    The filters are the LangChain toolkit's: id allow/deny lists, a regular expression searched
    in the Flowise name, and ``kinds`` (``chatflow``, ``agentflow``, ``assistant``,
    ``custom_tool``). Names are tool-safe and unique (clashes get an id-derived suffix).
    """
    return _tools_from_server(
        FlowiseConnection(**connection_args),
        include_ids=include_ids,
        exclude_ids=exclude_ids,
        name_pattern=name_pattern,
        kinds=kinds,
    )


async def atools_from_server(
    *,
    include_ids: Collection[str] | None = None,
    exclude_ids: Collection[str] = (),
    name_pattern: str | re.Pattern[str] | None = None,
    kinds: Collection[TargetKind] | None = None,
    **connection_args: Unpack[ConnectionArgs],
) -> list[FunctionTool]:
    """:func:`tools_from_server` with the discovery done by the async client."""
    return await _atools_from_server(
        FlowiseConnection(**connection_args),
        include_ids=include_ids,
        exclude_ids=exclude_ids,
        name_pattern=name_pattern,
        kinds=kinds,
    )


def _tools_from_server(
    connection: FlowiseConnection,
    *,
    include_ids: Collection[str] | None,
    exclude_ids: Collection[str],
    name_pattern: str | re.Pattern[str] | None,
    kinds: Collection[TargetKind] | None,
) -> list[FunctionTool]:
    """The discovered targets as tools on ``connection`` (also :class:`FlowiseToolSpec`'s)."""
    targets = discover_targets(
        connection.client,
        include_ids=include_ids,
        exclude_ids=exclude_ids,
        name_pattern=name_pattern,
        kinds=kinds,
    )
    return [_target_tool(target, connection) for target in targets]


async def _atools_from_server(
    connection: FlowiseConnection,
    *,
    include_ids: Collection[str] | None,
    exclude_ids: Collection[str],
    name_pattern: str | re.Pattern[str] | None,
    kinds: Collection[TargetKind] | None,
) -> list[FunctionTool]:
    """:func:`_tools_from_server` with the discovery done by the async client."""
    targets = await adiscover_targets(
        connection.async_client,
        include_ids=include_ids,
        exclude_ids=exclude_ids,
        name_pattern=name_pattern,
        kinds=kinds,
    )
    return [_target_tool(target, connection) for target in targets]
