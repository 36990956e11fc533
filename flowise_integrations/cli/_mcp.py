"""``flowise-integrations mcp``: serve the server's flows and custom tools to MCP hosts."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

import typer

from ._common import CliError, state_of

__all__ = ["mcp"]


class Transport(str, Enum):
    stdio = "stdio"
    http = "http"


class Kind(str, Enum):
    chatflow = "chatflow"
    agentflow = "agentflow"
    assistant = "assistant"
    custom_tool = "custom_tool"


def mcp(
    ctx: typer.Context,
    transport: Annotated[
        Transport, typer.Option("--transport", help="stdio for a host that starts the command, or http.")
    ] = Transport.stdio,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (http).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on (http).")] = 8000,
    path: Annotated[str, typer.Option("--path", help="Path of the MCP endpoint (http).")] = "/mcp",
    ids: Annotated[
        list[str] | None, typer.Option("--id", help="Serve only this flow or tool id (repeatable).")
    ] = None,
    exclude_ids: Annotated[
        list[str] | None, typer.Option("--exclude-id", help="Never serve this id (repeatable).")
    ] = None,
    name_pattern: Annotated[
        str | None,
        typer.Option("--name-pattern", help="Serve only names matching this regular expression."),
    ] = None,
    kinds: Annotated[
        list[Kind] | None, typer.Option("--kind", help="Serve only this kind (repeatable).")
    ] = None,
    document_stores: Annotated[
        list[str] | None,
        typer.Option(
            "--document-store",
            help="Also serve this document store as a search tool (repeatable; 'all' for every store).",
        ),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="The server name MCP hosts show.")] = "flowise",
) -> None:
    """Serve the flows, assistants and custom tools as MCP tools (needs the mcp extra).

    Over stdio nothing but the protocol goes to stdout. The tools are listed from Flowise again
    whenever a host asks, so new flows appear without a restart.
    """
    try:
        import anyio

        from ..mcp import FlowiseMCPServer
    except ImportError as exc:
        raise CliError(
            f"mcp needs the mcp extra ({exc}); install it with `pip install 'flowise-integrations[mcp]'`"
        ) from None
    from .._async._client import AsyncFlowise

    if name_pattern is not None:
        try:
            re.compile(name_pattern)
        except re.error as exc:
            message = f"not a regular expression ({exc})"
            raise typer.BadParameter(message, param_hint="--name-pattern") from None
    state = state_of(ctx)
    server = FlowiseMCPServer(
        AsyncFlowise(**state.client_settings()),
        include_ids=ids or None,
        exclude_ids=exclude_ids or (),
        name_pattern=name_pattern,
        kinds=[kind.value for kind in kinds] if kinds else None,
        document_stores=True if "all" in (document_stores or ()) else (document_stores or False),
        name=name,
    )

    async def serve() -> None:
        async with server.client:
            if transport is Transport.stdio:
                await server.run_stdio()
            else:
                state.note(f"serving MCP at http://{host}:{port}{path} (Ctrl+C stops it)")
                await server.run_http(host=host, port=port, path=path)

    anyio.run(serve)
