"""A real LangChain agent drives Flowise tools end to end.

``langchain.agents.create_agent`` runs on ``ChatOpenAI`` pointed at a model stand-in of its own
(not the one behind Flowise), which answers with real OpenAI ``tool_calls``. The agent calls, through
``FlowiseToolkit``, a chatflow, an agentflow with form fields, a custom assistant, a custom tool
and a flow that no longer exists, reads each answer (the last as an error message) and finishes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langchain_openai import ChatOpenAI

from flowise_integrations import Flowise
from flowise_integrations.langchain import FlowiseChatflowTool, FlowiseCustomTool, FlowiseToolkit
from flowise_integrations.testing import ModelStandIn, ToolCall, flows
from flowise_integrations.types import Chatflow, Tool

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def deleted_flow(flowise_client: Flowise) -> Chatflow:
    """An echo agentflow that is deleted right away: its tool finds nothing on the server."""
    created = flows.create_echo_agentflow(flowise_client)
    flowise_client.chatflows.delete(created.id)
    return created


def _chat_model(model: ModelStandIn, **kwargs: Any) -> ChatOpenAI:
    return ChatOpenAI(
        base_url=model.base_url, api_key="sk-agent", model="agent-model", max_retries=0, **kwargs
    )


def _by_target(tools: list[BaseTool]) -> dict[str, str]:
    """Tool names by the id of the flow or custom tool each one runs."""
    return {getattr(tool, "chatflow_id", None) or getattr(tool, "tool_id", ""): tool.name for tool in tools}


def test_an_agent_calls_each_kind_of_flowise_tool_and_finishes(
    connection: dict[str, Any],
    agent_model: ModelStandIn,
    flowise_model: ModelStandIn,
    conversation_chatflow: Chatflow,
    form_agentflow: Chatflow,
    custom_assistant: Chatflow,
    add_tool: Tool,
    deleted_flow: Chatflow,
) -> None:
    ids = [conversation_chatflow.id, form_agentflow.id, custom_assistant.id, add_tool.id, deleted_flow.id]
    toolkit = FlowiseToolkit(include_ids=ids, **connection)
    tools = toolkit.get_tools()
    names = _by_target(tools)
    assert deleted_flow.id not in names  # the listing no longer has it: build its tool by hand
    gone = FlowiseChatflowTool.from_chatflow(deleted_flow, handle_tool_error=True, **connection)
    tools.append(gone)
    agent_model.script(
        ToolCall(names[conversation_chatflow.id], {"question": "hello agent"}),
        ToolCall(names[form_agentflow.id], {"city": "Paris", "days": 3}),
        ToolCall(names[custom_assistant.id], {"question": "hello assistant"}),
        ToolCall(names[add_tool.id], {"a": 2, "b": 3}),
        ToolCall(gone.name, {"question": "anyone?"}),
        "All tools answered.",
    )

    agent = create_agent(_chat_model(agent_model), tools)
    result = agent.invoke({"messages": [HumanMessage("Use every tool once.")]})

    tool_messages = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert [m.content for m in tool_messages[:4]] == [
        "FAKE: hello agent",
        "Trip to Paris for 3 days",
        "FAKE: hello assistant",
        "5",
    ]
    assert [m.status for m in tool_messages[:4]] == ["success"] * 4
    failed = tool_messages[4]
    assert failed.status == "error"
    assert str(failed.content).startswith("NotFoundError: 404")
    assert connection["api_key"] not in str(failed.content)
    final = result["messages"][-1]
    assert isinstance(final, AIMessage)
    assert final.content == "All tools answered."
    # The model read every tool's answer: its last request carries all five results.
    last_request = agent_model.chat_requests()[-1]["messages"]
    assert [m["content"] for m in last_request if m["role"] == "tool"] == [m.content for m in tool_messages]
    assert len(agent_model.chat_requests()) == 6
    # The models behind the chatflow and the assistant were asked what the agent sent.
    asked = [request["messages"][-1]["content"] for request in flowise_model.chat_requests()]
    assert asked == ["hello agent", "hello assistant"]


@pytest.fixture
def failing_tool(flowise_client: Flowise) -> Iterator[Tool]:
    """A custom tool whose JavaScript throws: Flowise answers 500."""
    created = flowise_client.tools.create(
        name="lc broken tool",
        description="Always fails.",
        schema=[{"property": "x", "type": "string", "description": "anything", "required": True}],
        func="throw new Error('the tool broke');",
    )
    yield created
    flowise_client.tools.delete(created.id)


def test_failing_and_slow_tools_are_error_messages_the_agent_reads(
    connection: dict[str, Any],
    agent_model: ModelStandIn,
    flowise_model: ModelStandIn,
    conversation_chatflow: Chatflow,
    failing_tool: Tool,
) -> None:
    broken = FlowiseCustomTool.from_tool(failing_tool, handle_tool_error=True, **connection)
    slow = FlowiseChatflowTool.from_chatflow(
        conversation_chatflow, name="slow_flow", handle_tool_error=True, timeout=1.0, **connection
    )
    flowise_model.token_delay = 0.5  # the flow's answer takes seconds; the tool waits one
    agent_model.script(
        ToolCall(broken.name, {"x": "go"}),
        ToolCall(slow.name, {"question": "one two three four five"}),
        "Both tools failed; I will say so.",
    )
    result = create_agent(_chat_model(agent_model), [broken, slow]).invoke(
        {"messages": [HumanMessage("Try the tools.")]}
    )

    failed = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert [m.status for m in failed] == ["error", "error"]
    assert str(failed[0].content).startswith("InternalServerError: 500")
    assert "the tool broke" in str(failed[0].content)
    assert str(failed[1].content).startswith("APITimeoutError")
    assert all(connection["api_key"] not in str(m.content) for m in failed)
    assert result["messages"][-1].content == "Both tools failed; I will say so."


async def test_several_async_agents_stream_through_their_own_tool_calls(
    connection: dict[str, Any], echo_agentflow: Chatflow
) -> None:
    """Three agents at once on the async client, streaming: the tool-call arguments arrive in pieces."""

    def reply(messages: list[dict[str, Any]]) -> str | ToolCall:
        if messages[-1]["role"] == "tool":
            return f"The flow said: {messages[-1]['content']}"
        return ToolCall(tool_name, {"question": str(messages[-1]["content"])})

    with ModelStandIn(model="agent-model", reply=reply) as model:
        tools = await FlowiseToolkit(include_ids=[echo_agentflow.id], **connection).aget_tools()
        (tool_name,) = [tool.name for tool in tools]
        agent = create_agent(_chat_model(model, streaming=True), tools)

        async def run(n: int) -> list[Any]:
            chunks = []
            async for chunk, _ in agent.astream(
                {"messages": [HumanMessage(f"agent {n}")]}, stream_mode="messages"
            ):
                chunks.append(chunk)
            return chunks

        runs = await asyncio.gather(*(run(n) for n in range(3)))
    for n, chunks in enumerate(runs):
        tool_results = [c.content for c in chunks if isinstance(c, ToolMessage)]
        assert tool_results == [f"Echo: agent {n}"]
        text = "".join(str(c.content) for c in chunks if not isinstance(c, ToolMessage))
        assert text.endswith(f"The flow said: Echo: agent {n}")
    assert all(request.get("stream") is True for request in model.chat_requests())
    assert len(model.chat_requests()) == 6
