"""Scenario 7: what the MCP server adds to a tool call, over the bare ``AsyncFlowise`` call it makes.

Against the replay server, so the difference is our MCP layer and the SDK's protocol stack:
argument validation, result building, JSON-RPC framing both ways. Two hosts: the SDK's client in
the same process (JSON-RPC over memory streams) and ``flowise-integrations mcp`` as a stdio
subprocess, as a desktop host runs it (JSON over pipes, a second interpreter). Beside them, the
thinnest server the SDK allows on the same client, which measures the protocol's own cost.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from flowise_integrations import AsyncFlowise

from . import data
from .calls import API_KEY, QUESTION, US
from .harness import Samples, ainterleaved
from .report import Row


def _thinnest_server(client: AsyncFlowise, flow_id: str, tool: Any) -> Any:
    """The least an MCP server on this client can do: list one tool, make the bare call, return text."""
    import mcp.types as types
    from mcp.server import Server

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[tool])

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        prediction = await client.predictions.create(flow_id, (params.arguments or {})["question"])
        return types.CallToolResult(content=[types.TextContent(text=prediction.text)])

    return Server("thinnest", on_list_tools=list_tools, on_call_tool=call_tool)


def _agentflow_id() -> str:
    """An agentflow of the recorded 200-flow listing: the one tool the server is limited to."""
    flows: list[dict[str, Any]] = json.loads(data.chatflows_body())
    return next(flow["id"] for flow in flows if flow["type"] == "AGENTFLOW")


async def _measure(base_url: str, *, rounds: int, batch: int, deadline: float) -> dict[str, Samples]:
    from mcp import Client, StdioServerParameters

    from flowise_integrations.mcp import FlowiseMCPServer
    from flowise_integrations.mcp._results import mcp_tool

    flow_id = _agentflow_id()
    stdio = StdioServerParameters(
        command=sys.executable,
        args=["-m", "flowise_integrations.cli", "mcp", "--kind", "agentflow", "--id", flow_id],
        env={**os.environ, "FLOWISE_BASE_URL": base_url, "FLOWISE_API_KEY": API_KEY},
    )
    async with AsyncFlowise(base_url, api_key=API_KEY) as client:
        server = FlowiseMCPServer(client, include_ids=[flow_id], kinds=["agentflow"])
        (target,) = await server.targets()
        arguments = {"question": QUESTION}
        thinnest = _thinnest_server(client, flow_id, mcp_tool(target))
        async with (
            Client(server.server, mode="legacy") as in_process,
            Client(thinnest, mode="legacy") as thinnest_in_process,
            Client(stdio) as over_stdio,
        ):
            variants: dict[str, Callable[[], Awaitable[object]]] = {
                "bare": lambda: client.predictions.create(flow_id, QUESTION),
                "in_process": lambda: in_process.call_tool(target.name, arguments),
                "thinnest": lambda: thinnest_in_process.call_tool(target.name, arguments),
                "stdio": lambda: over_stdio.call_tool(target.name, arguments),
            }
            return await ainterleaved(variants, rounds=rounds, batch=batch, deadline=deadline)


def tool_call_overhead(base_url: str, *, rounds: int, batch: int, deadline: float) -> list[Row]:
    try:
        import mcp  # noqa: F401
    except ImportError:
        return [Row("7", "MCP `tools/call`", "µs/call", None, None, "not available (the mcp extra)")]
    result = asyncio.run(_measure(base_url, rounds=rounds, batch=batch, deadline=deadline))
    bare = result["bare"].median / US
    protocol = result["thinnest"].median / US - bare
    extra = {"rounds": len(result["bare"].values), "batch": batch}
    return [
        Row(
            "7",
            "MCP `tools/call` on one agentflow tool, the SDK's client in the same process (JSON-RPC over "
            "memory streams), replay server",
            "µs/call",
            result["in_process"].median / US,
            bare,
            "bare `AsyncFlowise.predictions.create`",
            note=f"the SDK's protocol stack alone adds {protocol:.0f} µs (next row)",
            extra=extra,
        ),
        Row(
            "7",
            "MCP `tools/call` in the same process against the thinnest server the SDK allows, replay "
            "server — what our server adds over any MCP server on this client",
            "µs/call",
            result["in_process"].median / US,
            result["thinnest"].median / US,
            "a low-level `Server` whose call handler makes the bare call and returns its text",
            extra=extra,
        ),
        Row(
            "7",
            "MCP `tools/call`, `flowise-integrations mcp` as a stdio subprocess, replay server",
            "µs/call",
            result["stdio"].median / US,
            bare,
            "bare `AsyncFlowise.predictions.create`",
            extra=extra,
        ),
    ]
