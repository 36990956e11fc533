"""``flowise-integrations mcp`` as an MCP host runs it: a subprocess over stdio, or over HTTP.

The connection settings reach the command through ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY`` only,
as a host's server entry passes them; the tests list the tools, call one with progress and
check that a failing call leaves the server serving.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from flowise_integrations.testing import LocalStack

from .conftest import Served

pytestmark = pytest.mark.timeout(300)


def _environment(stack: LocalStack) -> dict[str, str]:
    return {**os.environ, "FLOWISE_BASE_URL": stack.base_url, "FLOWISE_API_KEY": stack.api_key}


def _command(served: Served, *options: str) -> list[str]:
    ids = [arg for flow in (served.chat, served.broken) for arg in ("--id", flow.id)]
    return ["-m", "flowise_integrations.cli", "mcp", *ids, *options]


async def _exercise(client: Client, served: Served) -> None:
    """List the tools, stream one answer as progress, fail a call, and answer again."""
    chunks: list[str] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        chunks.append(message or "")

    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert sorted(tools) == sorted([served.chat.name, "mcp_broken"])
    answer = await client.call_tool(
        served.chat.name, {"question": "over the wire"}, progress_callback=on_progress
    )
    failed = await client.call_tool("mcp_broken", {"x": "go"})
    again = await client.call_tool(served.chat.name, {"question": "again"})

    assert answer.content[0].type == "text"
    assert answer.content[0].text == "FAKE: over the wire"
    assert "".join(chunks) == "FAKE: over the wire"
    assert failed.is_error
    assert again.content[0].type == "text"
    assert again.content[0].text == "FAKE: again"


async def test_over_stdio(flowise_stack: LocalStack, served: Served) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=_command(served), env=_environment(flowise_stack)
    )
    assert flowise_stack.api_key not in " ".join(params.args)

    async with Client(params) as client:
        await _exercise(client, served)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_listening(process: subprocess.Popen[Any], port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.communicate()[1]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the MCP server did not start listening"
            time.sleep(0.1)


@pytest.fixture
def http_server(flowise_stack: LocalStack, served: Served) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, *_command(served, "--transport", "http", "--port", str(port))]
    process = subprocess.Popen(command, env=_environment(flowise_stack), stderr=subprocess.PIPE, text=True)
    try:
        _wait_until_listening(process, port)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        process.terminate()
        process.communicate(timeout=30)


async def test_over_streamable_http(http_server: str, served: Served) -> None:
    async with Client(http_server) as client:
        await _exercise(client, served)
