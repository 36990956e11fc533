"""Our MCP server beside the community Flowise MCP servers and Flowise's own per-flow endpoint.

``python -m benchmarks.mcp_servers`` starts a local Flowise (``LocalStack``), creates one flow of
each kind, installs the community servers from PyPI into private virtualenvs under the harness
cache (``mcp-flowise`` 0.1.5 with ``mcp<2``, which it needs; ``flowise-mcp`` 0.1.0), turns on
Flowise's built-in MCP endpoint for each flow, and puts the same questions to every server
through the official SDK's client: what is listed, whether each kind of flow answers correctly,
what a failing call returns, progress, what a cancel does to the run in Flowise, what happens to
an argument the tool does not declare, and the median time of a call. It writes
``benchmarks/MCP_SERVERS.md`` (the table ``docs/mcp.md`` quotes) and ``mcp_servers.json``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from flowise_integrations import Flowise
from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.testing._cache import cache_root
from flowise_integrations.types import Chatflow

HERE = Path(__file__).resolve().parent
COMMUNITY = {
    "mcp-flowise": ["mcp-flowise==0.1.5", "mcp<2"],
    "flowise-mcp": ["flowise-mcp==0.1.0"],
}
KINDS = ("chatflow", "agentflow", "form agentflow", "assistant", "custom tool")
LATENCY_CALLS = 15


@dataclass
class Setup:
    stack: LocalStack
    echo: Chatflow
    chat: Chatflow
    form: Chatflow
    assistant: Chatflow
    slow: Chatflow
    approval: Chatflow
    gone: Chatflow
    tool_id: str
    tokens: dict[str, str] = field(default_factory=dict)
    """Flowise's own MCP token, per flow id."""

    @property
    def flows(self) -> list[Chatflow]:
        return [self.echo, self.chat, self.form, self.assistant, self.slow, self.approval, self.gone]


@dataclass
class Call:
    """How a candidate runs one flow: which session, which tool, which arguments."""

    session: str
    tool: str
    arguments: dict[str, Any]


@dataclass
class Candidate:
    name: str
    sessions: dict[str, Callable[[], Any]]
    """Session key → a new one of what ``mcp.Client`` connects to."""
    call: Callable[[str, Chatflow | None, str], Call | None]
    """(kind, flow, question) → the call, or None when the kind cannot be run."""


# --------------------------------------------------------------------------------------- setup


def _venv(name: str, requirements: list[str]) -> Path:
    home = cache_root() / "mcp-comparison" / name
    python = home / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements], check=True)
    return home / "bin"


def _setup(stack: LocalStack) -> Setup:
    with stack.client() as client:
        fields = [
            {"type": "string", "label": "City", "name": "city"},
            {"type": "number", "label": "Days", "name": "days"},
        ]
        model = stack.model_base_url
        reply = "Trip to {{ $form.city }} for {{ $form.days }} days"
        _, assistant = flows.create_custom_assistant(client, model_base_url=model, name="cmp helper")
        tool = client.tools.create(
            name="cmp add",
            description="Adds two numbers.",
            schema=[
                {"property": "a", "type": "number", "description": "First", "required": True},
                {"property": "b", "type": "number", "description": "Second", "required": True},
            ],
            func="return $a + $b;",
        )
        setup = Setup(
            stack=stack,
            echo=flows.create_echo_agentflow(client, name="cmp echo"),
            chat=flows.create_conversation_chatflow(client, model_base_url=model, name="cmp chat"),
            form=flows.create_form_agentflow(client, name="cmp trip", fields=fields, reply=reply),
            assistant=assistant,
            slow=flows.create_model_agentflow(client, model_base_url=model, name="cmp slow"),
            approval=flows.create_human_input_agentflow(client, name="cmp approval"),
            gone=flows.create_echo_agentflow(client, name="cmp gone"),
            tool_id=tool.id,
        )
        for flow in setup.flows:
            setup.tokens[flow.id] = _enable_builtin_endpoint(stack, flow)
    return setup


def _enable_builtin_endpoint(stack: LocalStack, flow: Chatflow) -> str:
    """Turn on Flowise's MCP endpoint for ``flow`` (it needs a tool name and a description)."""
    response = httpx.post(
        f"{stack.base_url}/api/v1/mcp-server/{flow.id}",
        json={"toolName": flow.name.replace(" ", "_"), "description": f"Runs the Flowise flow {flow.name}."},
        headers={"Authorization": f"Bearer {stack.api_key}"},
        timeout=30,
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


# ---------------------------------------------------------------------------------- candidates


def _stdio(command: str, args: list[str], env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(command=command, args=args, env={**os.environ, **env})


def _ours(setup: Setup) -> Candidate:
    ids = [arg for item in [*(f.id for f in setup.flows), setup.tool_id] for arg in ("--id", item)]
    env = {"FLOWISE_BASE_URL": setup.stack.base_url, "FLOWISE_API_KEY": setup.stack.api_key}
    server = _stdio(sys.executable, ["-m", "flowise_integrations.cli", "mcp", *ids], env)
    names = {f.id: f.name.replace(" ", "_") for f in setup.flows} | {setup.tool_id: "cmp_add"}

    def call(kind: str, flow: Chatflow | None, question: str) -> Call:
        if kind == "custom tool":
            return Call("main", "cmp_add", {"a": 2, "b": 40})
        assert flow is not None
        arguments = {"city": "Paris", "days": 3} if kind == "form agentflow" else {"question": question}
        return Call("main", names[flow.id], arguments)

    return Candidate("flowise-integrations mcp", {"main": lambda: server}, call)


def _mcp_flowise(setup: Setup) -> Candidate:
    bin_dir = _venv("mcp-flowise", COMMUNITY["mcp-flowise"])
    env = {
        "FLOWISE_API_ENDPOINT": setup.stack.base_url,
        "FLOWISE_API_KEY": setup.stack.api_key,
        "FLOWISE_DYNAMIC": "true",
        "FLOWISE_WHITELIST_ID": ",".join(f.id for f in setup.flows),
    }
    server = _stdio(str(bin_dir / "mcp-flowise"), [], env)

    def call(kind: str, flow: Chatflow | None, question: str) -> Call | None:
        if kind == "custom tool" or flow is None:
            return None
        return Call("main", "flowise_" + flow.name.replace(" ", "_"), {"question": question})

    return Candidate("mcp-flowise 0.1.5 (dynamic mode)", {"main": lambda: server}, call)


def _flowise_mcp(setup: Setup) -> Candidate:
    bin_dir = _venv("flowise-mcp", COMMUNITY["flowise-mcp"])
    env = {"FLOWISE_BASE_URL": setup.stack.base_url, "FLOWISE_API_KEY": setup.stack.api_key}
    server = _stdio(str(bin_dir / "flowise-mcp"), [], env)

    def call(kind: str, flow: Chatflow | None, question: str) -> Call | None:
        if kind == "custom tool" or flow is None:
            return None
        return Call("main", "flowise_predict", {"params": {"flow_id": flow.id, "question": question}})

    return Candidate("flowise-mcp 0.1.0", {"main": lambda: server}, call)


@contextlib.asynccontextmanager
async def _bearer_transport(url: str, token: str) -> AsyncIterator[Any]:
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=120) as http,
        streamable_http_client(url, http_client=http) as streams,
    ):
        yield streams


def _builtin(setup: Setup) -> Candidate:
    def transport(flow: Chatflow) -> Callable[[], Any]:
        url = f"{setup.stack.base_url}/api/v1/mcp/{flow.id}"
        return lambda: _bearer_transport(url, setup.tokens[flow.id])

    sessions = {flow.id: transport(flow) for flow in setup.flows}

    def call(kind: str, flow: Chatflow | None, question: str) -> Call | None:
        if kind == "custom tool" or flow is None:
            return None
        arguments: dict[str, Any] = (
            {"form": {"city": "Paris", "days": 3}} if kind == "form agentflow" else {"question": question}
        )
        return Call(flow.id, flow.name.replace(" ", "_"), arguments)

    return Candidate("Flowise 3.1.4 built-in (`/api/v1/mcp/{flow}`)", sessions, call)


# ----------------------------------------------------------------------------------- measuring


def _text(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def _measure(candidate: Candidate, setup: Setup) -> dict[str, Any]:
    found: dict[str, Any] = {"name": candidate.name}
    model = setup.stack.model
    async with contextlib.AsyncExitStack() as stack:
        sessions: dict[str, Client] = {}
        try:
            for key, server in candidate.sessions.items():
                sessions[key] = await stack.enter_async_context(Client(server(), read_timeout_seconds=120))
        except Exception as exc:
            found["error"] = f"does not start: {type(exc).__name__}: {exc}"[:200]
            return found
        listed: list[str] = []
        for session in sessions.values():
            listed += [tool.name for tool in (await session.list_tools()).tools]
        found["tools"] = sorted(set(listed))

        flows_by_kind = {
            "chatflow": setup.chat,
            "agentflow": setup.echo,
            "form agentflow": setup.form,
            "assistant": setup.assistant,
            "custom tool": None,
        }
        expected = {
            "chatflow": "FAKE: hi chat",
            "agentflow": "Echo: hi echo",
            "form agentflow": "Trip to Paris for 3 days",
            "assistant": "FAKE: hi assistant",
            "custom tool": "42",
        }
        questions = {"chatflow": "hi chat", "agentflow": "hi echo", "assistant": "hi assistant"}
        answers: dict[str, Any] = {}
        for kind in KINDS:
            plan = candidate.call(kind, flows_by_kind[kind], questions.get(kind, "hi"))
            if plan is None:
                answers[kind] = "no tool"
                continue
            try:
                result = await sessions[plan.session].call_tool(plan.tool, plan.arguments)
            except Exception as exc:
                answers[kind] = f"protocol error: {exc}"[:120]
                continue
            text = _text(result)
            answers[kind] = "correct" if expected[kind] in text else f"wrong: {text[:100]!r}"
        found["answers"] = answers

        # A flow deleted after the listing.
        plan = candidate.call("agentflow", setup.gone, "anyone?")
        if plan is not None:
            with setup.stack.client() as client, contextlib.suppress(Exception):
                client.chatflows.delete(setup.gone.id)
            try:
                result = await sessions[plan.session].call_tool(plan.tool, plan.arguments)
                found["deleted_flow"] = {"is_error": result.is_error, "text": _text(result)[:160]}
            except Exception as exc:
                found["deleted_flow"] = {"protocol_error": str(exc)[:160]}

        # Progress while the chatflow streams six words.
        plan = candidate.call("chatflow", setup.chat, "one two three four five six")
        assert plan is not None
        chunks: list[str | None] = []

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            chunks.append(message)

        model.token_delay = 0.02
        await sessions[plan.session].call_tool(plan.tool, plan.arguments, progress_callback=on_progress)
        model.token_delay = 0.0
        found["progress_notifications"] = len(chunks)

        # An argument the tool does not declare.
        plan = candidate.call("agentflow", setup.echo, "hi")
        assert plan is not None
        extra = dict(plan.arguments)
        target = extra.get("params", extra)
        target["overrideConfig"] = {"sessionId": "somebody-else"}
        try:
            result = await sessions[plan.session].call_tool(plan.tool, extra)
            found["undeclared_argument"] = (
                "refused (tool error)" if result.is_error else "ignored; the call runs"
            )
        except Exception:
            found["undeclared_argument"] = "refused (protocol error)"

        # A flow that stops at a Human Input node, called by a host whose user approves any form.
        plan = candidate.call("agentflow", setup.approval, "ship it?")
        assert plan is not None
        forms: list[str] = []

        async def approve(context: Any, params: Any) -> ElicitResult:
            forms.append(params.message)
            return ElicitResult(action="accept", content={"decision": "proceed"})

        async with Client(candidate.sessions[plan.session](), elicitation_callback=approve) as asking:
            text = _text(await asking.call_tool(plan.tool, plan.arguments))
        found["human_input"] = (
            f"asked {forms[0]!r}; the run resumed: {text!r}" if forms else f"not asked; answers {text[:60]!r}"
        )

        # Median time of a call on the echo agentflow.
        plan = candidate.call("agentflow", setup.echo, "latency")
        assert plan is not None
        times = []
        for _ in range(LATENCY_CALLS):
            start = time.perf_counter()
            await sessions[plan.session].call_tool(plan.tool, plan.arguments)
            times.append(time.perf_counter() - start)
        found["median_ms"] = round(statistics.median(times) * 1000, 1)

        # Cancel a slow model run one second in; then read what Flowise made of the run.
        plan = candidate.call("agentflow", setup.slow, " ".join(f"w{n}" for n in range(40)))
        assert plan is not None
        model.token_delay = 0.25
        with anyio.move_on_after(1.0):
            await sessions[plan.session].call_tool(plan.tool, plan.arguments)
        found["after_cancel"] = await _settled_state(setup)
        model.token_delay = 0.0
    return found


async def _settled_state(setup: Setup) -> str:
    """The slow flow's newest execution once it left INPROGRESS (at most 30 s)."""
    deadline = time.monotonic() + 30
    state = "none"
    with setup.stack.client() as client:
        while time.monotonic() < deadline:
            page = client.executions.list(agentflow_id=setup.slow.id)
            state = (page.items[0].state or "none") if page.items else "none"
            if state != "INPROGRESS":
                break
            await anyio.sleep(0.25)
        for execution in page.items:
            client.executions.delete(execution.id)
    return state


# ------------------------------------------------------------------------------------- report


def _report(results: list[dict[str, Any]], version: str) -> str:
    lines = [
        "# MCP servers for Flowise, side by side",
        "",
        f"Generated by `python -m benchmarks.mcp_servers` on {time.strftime('%Y-%m-%d')} against a local "
        f"Flowise {version} (`LocalStack`), through the official MCP SDK's client; see "
        "`benchmarks/mcp_servers.py` for each check.",
        "",
        "| | " + " | ".join(r["name"] for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]

    def row(label: str, cell: Callable[[dict[str, Any]], str]) -> None:
        lines.append(
            f"| {label} | " + " | ".join(cell(r) if "error" not in r else "—" for r in results) + " |"
        )

    lines.append("| starts | " + " | ".join(r.get("error", "yes") for r in results) + " |")
    row("tools listed", lambda r: str(len(r["tools"])))

    def answer(kind: str) -> Callable[[dict[str, Any]], str]:
        return lambda r: str(r["answers"][kind])

    for kind in KINDS:
        row(f"{kind} answers", answer(kind))

    def deleted(r: dict[str, Any]) -> str:
        found = r.get("deleted_flow")
        if found is None:
            return "—"
        if "protocol_error" in found:
            return f"protocol error: {found['protocol_error'][:70]!r}"
        return f"isError={found['is_error']}: {found['text'][:70]!r}"

    row("flow deleted after listing", deleted)
    row("a flow that stops for a person (the host's user approves any form)", lambda r: r["human_input"])
    row("progress notifications (6-word streamed answer)", lambda r: str(r["progress_notifications"]))
    row("undeclared `overrideConfig` argument", lambda r: r["undeclared_argument"])
    row("Flowise run after a cancel 1 s in", lambda r: r["after_cancel"])
    row(f"median call, echo agentflow ({LATENCY_CALLS} calls)", lambda r: f"{r['median_ms']} ms")
    return "\n".join(lines) + "\n"


def main() -> int:
    stack = LocalStack(with_chroma=False, use_env_server=False).start()
    try:
        setup = _setup(stack)
        with Flowise(stack.base_url, stack.api_key) as client:
            version = client.version()
        results = []
        for candidate in (_ours, _mcp_flowise, _flowise_mcp, _builtin):
            if not _exists(stack, setup.gone):
                _recreate_gone(setup)
            results.append(asyncio.run(_measure(candidate(setup), setup)))
    finally:
        stack.stop()
    (HERE / "mcp_servers.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report = _report(results, version)
    (HERE / "MCP_SERVERS.md").write_text(report)
    print(report)
    return 0


def _exists(stack: LocalStack, flow: Chatflow) -> bool:
    with stack.client() as client:
        return any(f.id == flow.id for f in client.chatflows.list())


def _recreate_gone(setup: Setup) -> None:
    """Each candidate needs a flow to lose: the same name and kind, a new id (and MCP token)."""
    with setup.stack.client() as client:
        setup.gone = flows.create_echo_agentflow(client, name="cmp gone")
    setup.tokens[setup.gone.id] = _enable_builtin_endpoint(setup.stack, setup.gone)


if __name__ == "__main__":
    sys.exit(main())
