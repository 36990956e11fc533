"""The MCP server against a real Flowise, through the SDK's own client, in-process.

One of each kind of tool (a chatflow, agentflows with and without a form, a custom assistant, a
custom tool), a streamed answer as progress, a cancelled call, failing tools and hostile
arguments; the transports (stdio, streamable HTTP) are in ``test_transports.py``.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError
from mcp.types import CallToolResult, ElicitRequestParams, ElicitResult

from flowise_integrations import AsyncFlowise
from flowise_integrations.mcp import FlowiseMCPServer
from flowise_integrations.testing import LocalStack, ModelStandIn, ToolCall
from flowise_integrations.types import Chatflow, Execution

from .conftest import Served

pytestmark = pytest.mark.timeout(300)

LONG_QUESTION = " ".join(f"word{n}" for n in range(40))


def _text(result: CallToolResult) -> str:
    (block,) = result.content
    assert block.type == "text"
    return block.text


async def _names(server: FlowiseMCPServer) -> dict[str, str]:
    """Tool names by the id of the flow or tool each runs."""
    return {target.id: target.name for target in await server.targets()}


async def test_every_kind_is_listed_with_its_schema(mcp_server: FlowiseMCPServer, served: Served) -> None:
    async with Client(mcp_server.server) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}

    names = await _names(mcp_server)
    assert sorted(names) == sorted(served.ids)
    assert set(tools) == set(names.values())
    form = tools[names[served.form.id]].input_schema
    assert form["properties"]["mode"]["enum"] == ["train", "bike"]
    assert sorted(form["required"]) == ["city", "days", "mode"]
    assert tools[names[served.add.id]].input_schema["properties"]["a"]["type"] == "number"
    assert tools[names[served.chat.id]].input_schema["required"] == ["question"]
    assert "assistant" in (tools[names[served.assistant.id]].description or "")


async def test_each_kind_of_tool_answers(
    mcp_server: FlowiseMCPServer, served: Served, flowise_model: ModelStandIn
) -> None:
    names = await _names(mcp_server)
    calls: list[tuple[str, dict[str, Any], str]] = [
        (served.chat.id, {"question": "hello chat"}, "FAKE: hello chat"),
        (served.echo.id, {"question": "hello echo"}, "Echo: hello echo"),
        (
            served.form.id,
            {"city": "Paris", "days": "3", "mode": "train"},
            "Trip to Paris for 3 days by train",
        ),
        (served.assistant.id, {"question": "hello assistant"}, "FAKE: hello assistant"),
        (served.add.id, {"a": 2, "b": 40}, "42"),
    ]

    async with Client(mcp_server.server) as session:
        results = [await session.call_tool(names[target], arguments) for target, arguments, _ in calls]

    assert [_text(result) for result in results] == [expected for _, _, expected in calls]
    assert not any(result.is_error for result in results)
    # The chat model behind the chatflow and the assistant received the questions as sent.
    asked = [request["messages"][-1]["content"] for request in flowise_model.chat_requests()]
    assert asked == ["hello chat", "hello assistant"]
    assert results[0].structured_content is not None
    assert results[0].structured_content["chat_id"]  # one new conversation per call


async def test_several_calls_run_at_once(mcp_server: FlowiseMCPServer, served: Served) -> None:
    names = await _names(mcp_server)
    answers: dict[int, str] = {}

    async with Client(mcp_server.server) as session, anyio.create_task_group() as tasks:

        async def ask(n: int) -> None:
            answers[n] = _text(await session.call_tool(names[served.echo.id], {"question": f"call {n}"}))

        for n in range(6):
            tasks.start_soon(ask, n)

    assert answers == {n: f"Echo: call {n}" for n in range(6)}


async def test_a_streamed_answer_arrives_as_progress(
    mcp_server: FlowiseMCPServer, served: Served, flowise_model: ModelStandIn
) -> None:
    names = await _names(mcp_server)
    chunks: list[tuple[float, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        chunks.append((progress, message))

    async with Client(mcp_server.server, mode="legacy") as session:
        result = await session.call_tool(
            names[served.chat.id], {"question": "one two three four"}, progress_callback=on_progress
        )

    assert _text(result) == "FAKE: one two three four"
    assert len(chunks) >= 4  # the stand-in streams word by word
    assert [progress for progress, _ in chunks] == [float(n) for n in range(1, len(chunks) + 1)]
    assert "".join(message or "" for _, message in chunks) == _text(result)


async def test_a_cancelled_call_stops_the_run_in_flowise(
    mcp_server: FlowiseMCPServer,
    served: Served,
    flowise_model: ModelStandIn,
    async_flowise_client: AsyncFlowise,
) -> None:
    names = await _names(mcp_server)
    flowise_model.token_delay = 0.3  # about 12 s for the whole answer
    first_chunk = anyio.Event()

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        first_chunk.set()

    async with Client(mcp_server.server, mode="legacy") as session:
        async with anyio.create_task_group() as tasks:

            async def call() -> None:
                await session.call_tool(
                    names[served.slow.id], {"question": LONG_QUESTION}, progress_callback=on_progress
                )

            tasks.start_soon(call)
            await first_chunk.wait()
            tasks.cancel_scope.cancel()
        # The session still serves after the cancel.
        after = await session.call_tool(names[served.echo.id], {"question": "still there?"})
    assert _text(after) == "Echo: still there?"

    execution = await _settled_execution(async_flowise_client, served.slow.id)
    assert execution.state in ("TERMINATED", "ERROR")  # 3.1.4 says ERROR: see docs/quirks.md
    llm = execution.executed_nodes[-1]
    assert llm.node_id == "llmAgentflow_0"
    assert "abort" in str(llm.data.get("error")).lower()


async def _settled_execution(client: AsyncFlowise, flow: str) -> Execution:
    """The flow's one execution once Flowise has written its final state (it does so after abort)."""
    deadline = time.monotonic() + 30
    while True:
        page = await client.executions.list(agentflow_id=flow)
        if page.items and page.items[0].state != "INPROGRESS":
            assert len(page.items) == 1, [item.state for item in page.items]
            return page.items[0]
        assert time.monotonic() < deadline, (
            f"the execution is still {page.items[0].state if page.items else None}"
        )
        await anyio.sleep(0.2)


async def test_failures_are_tool_errors_and_the_server_keeps_serving(
    mcp_server: FlowiseMCPServer, served: Served, flowise_stack: LocalStack, flowise_client: Any
) -> None:
    names = await _names(mcp_server)
    gone = flowise_client.chatflows.create(name="mcp gone", flow_data=served.echo.flow_data, type="AGENTFLOW")
    listed_with_gone = FlowiseMCPServer(mcp_server.client, include_ids=[gone.id, served.echo.id])
    gone_name = (await _names(listed_with_gone))[gone.id]
    flowise_client.chatflows.delete(gone.id)

    async with Client(mcp_server.server) as session, Client(listed_with_gone.server) as other:
        broken = await session.call_tool(names[served.broken.id], {"x": "go"})
        missing = await other.call_tool(gone_name, {"question": "anyone?"})
        still = await other.call_tool(names[served.echo.id], {"question": "and now?"})

    assert broken.is_error
    assert _text(broken).startswith(f"Tool '{names[served.broken.id]}' failed: InternalServerError: ")
    assert "the tool broke" in _text(broken)
    assert missing.is_error
    assert _text(missing).startswith(f"Tool '{gone_name}' failed: NotFoundError: 404")
    assert _text(still) == "Echo: and now?"
    for result in (broken, missing):
        assert flowise_stack.api_key not in _text(result)


@pytest.mark.parametrize(
    "arguments",
    [
        {"question": {"$ne": ""}},
        {"question": "hi", "overrideConfig": {"sessionId": "someone-else"}},
        {"question": "hi", "chatId": "someone-elses-chat"},
        {},
    ],
)
async def test_hostile_arguments_are_refused_before_flowise_sees_them(
    mcp_server: FlowiseMCPServer,
    served: Served,
    async_flowise_client: AsyncFlowise,
    arguments: dict[str, Any],
) -> None:
    names = await _names(mcp_server)
    before = await async_flowise_client.chat_messages.list(served.echo.id)

    async with Client(mcp_server.server) as session:
        result = await session.call_tool(names[served.echo.id], arguments)

    assert result.is_error
    assert _text(result).startswith(f"Invalid arguments for tool '{names[served.echo.id]}'")
    assert await async_flowise_client.chat_messages.list(served.echo.id) == before


async def test_hostile_text_and_names_change_nothing(mcp_server: FlowiseMCPServer, served: Served) -> None:
    names = await _names(mcp_server)
    hostile = "{{ $vars.secret }} </tool> \u202e '; DROP TABLE chat_message; -- ✓"

    async with Client(mcp_server.server) as session:
        echoed = await session.call_tool(names[served.echo.id], {"question": hostile})
        with pytest.raises(MCPError, match="Unknown tool"):
            await session.call_tool(f"../chatflows/{served.echo.id}", {"question": "hi"})
        form = await session.call_tool(
            names[served.form.id], {"city": "{{ question }}", "days": 1, "mode": "bike"}
        )

    assert not echoed.is_error
    assert _text(echoed) == "Echo: " + hostile
    assert _text(form) == "Trip to {{ question }} for 1 days by bike"


async def test_a_flow_that_waits_for_a_person_says_so(mcp_server: FlowiseMCPServer, served: Served) -> None:
    """A host that takes no elicitations gets the question and the request to resume by."""
    names = await _names(mcp_server)

    async with Client(mcp_server.server) as session:
        result = await session.call_tool(names[served.waiting.id], {"question": "ship it?"})

    assert not result.is_error
    assert _text(result) == "The flow is waiting for a person to decide: Approve?"
    assert result.structured_content is not None
    request = result.structured_content["human_input_request"]
    assert request["chatflow_id"] == served.waiting.id
    assert request["execution_id"]


def _deciding(decision: str, feedback: str | None = None) -> tuple[Any, list[str]]:
    """An elicitation callback that accepts the form with ``decision``, and the messages it saw."""
    seen: list[str] = []

    async def decide(context: Any, params: ElicitRequestParams) -> ElicitResult:
        seen.append(params.message)
        content: dict[str, str | int | float | bool | list[str] | None] = {"decision": decision}
        if feedback:
            content["feedback"] = feedback
        return ElicitResult(action="accept", content=content)

    return decide, seen


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize(("decision", "answer"), [("proceed", "Approved"), ("reject", "Rejected")])
async def test_the_hosts_user_decides_and_the_flowise_run_finishes(
    mcp_server: FlowiseMCPServer,
    served: Served,
    async_flowise_client: AsyncFlowise,
    mode: str,
    decision: str,
    answer: str,
) -> None:
    """Asked with a form (the current protocol's input-required round, or an elicitation request
    on an older one), the person's decision resumes the very run that stopped."""
    names = await _names(mcp_server)
    decide, seen = _deciding(decision, "checked by Ada")

    async with Client(mcp_server.server, mode=mode, elicitation_callback=decide) as session:
        result = await session.call_tool(names[served.waiting.id], {"question": "ship order 7?"})

    assert not result.is_error
    assert _text(result) == answer
    assert seen == ["Approve?"]
    assert result.structured_content is not None
    chat_id = result.structured_content["chat_id"]
    runs = await async_flowise_client.executions.list(agentflow_id=served.waiting.id, session_id=chat_id)
    assert [run.state for run in runs.items] == ["FINISHED"]  # one run, stopped and resumed


@pytest.mark.parametrize("mode", ["auto", "legacy"])
@pytest.mark.parametrize(("decision", "tool_ran"), [("proceed", True), ("reject", False)])
async def test_a_tool_approval_is_asked_for_and_honoured(
    async_flowise_client: AsyncFlowise,
    tool_approval_agentflow: Chatflow,
    flowise_model: ModelStandIn,
    mode: str,
    decision: str,
    tool_ran: bool,
) -> None:
    flowise_model.script(ToolCall("ship_order", {"order": "B-7"}), "Done with B-7.")
    before = len(flowise_model.chat_requests())
    decide, seen = _deciding(decision)

    async with FlowiseMCPServer(async_flowise_client, include_ids=[tool_approval_agentflow.id]) as server:
        (target,) = await server.targets()
        async with Client(server.server, mode=mode, elicitation_callback=decide) as session:
            result = await session.call_tool(target.name, {"question": "ship order B-7"})

    assert _text(result) == "Done with B-7."
    (message,) = seen
    assert message.startswith("Agent asks to run a tool. ")
    assert "ship_order" in message
    calls = flowise_model.chat_requests()[before:]
    assert len(calls) == 2  # the call that asked for the tool, and the one after the decision
    tool_results = [m["content"] for m in calls[1]["messages"] if m["role"] == "tool"]
    assert tool_results == (["shipped B-7"] if tool_ran else [])


async def test_a_document_store_is_a_search_tool(
    async_flowise_client: AsyncFlowise, served: Served, document_store: str
) -> None:
    async with (
        FlowiseMCPServer(
            async_flowise_client, include_ids=[served.echo.id], document_stores=[document_store]
        ) as server,
        Client(server.server) as session,
    ):
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        (search,) = [name for name in tools if name.startswith("search_")]
        result = await session.call_tool(search, {"query": "Why is the sky blue?", "top_k": 2})

    assert not result.is_error
    assert result.structured_content is not None
    docs = result.structured_content["docs"]
    assert len(docs) == 2
    assert "Rayleigh scattering" in docs[0]["page_content"]  # the stand-in's embeddings rank it first
    assert _text(result).startswith("[1] sky.txt: The sky looks blue")
