"""A real LlamaIndex agent drives Flowise tools end to end.

``FunctionAgent`` runs on ``OpenAILike`` pointed at a model stand-in of its own (not the one behind
Flowise), which streams real OpenAI ``tool_calls``. The agent calls, from ``tools_from_server`` and
``FlowiseToolSpec``, an agentflow, a custom tool, the spec's ``predict`` and a flow that no longer
exists, reads each answer (the last as an error output) and finishes.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.llms.openai_like import OpenAILike

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import FlowiseToolSpec, chatflow_tool, tools_from_server
from flowise_integrations.testing import LocalStack, ModelStandIn, ToolCall, flows
from flowise_integrations.types import Chatflow, Tool

pytestmark = pytest.mark.timeout(300)


def _llm(model: ModelStandIn) -> OpenAILike:
    return OpenAILike(
        api_base=model.base_url,
        api_key="sk-agent",
        model="agent-model",
        is_chat_model=True,
        is_function_calling_model=True,
        max_retries=0,
    )


async def test_a_function_agent_calls_flowise_tools_and_finishes(
    flowise_stack: LocalStack,
    flowise_client: Flowise,
    async_flowise_client: AsyncFlowise,
    agent_model: ModelStandIn,
    echo_agentflow: Chatflow,
    adder: Tool,
) -> None:
    connection: dict[str, Any] = {"client": flowise_client, "async_client": async_flowise_client}
    (echo,) = tools_from_server(include_ids=[echo_agentflow.id], **connection)
    (add,) = tools_from_server(include_ids=[adder.id], **connection)
    spec = FlowiseToolSpec(chatflow_id=echo_agentflow.id, **connection)
    predict = next(tool for tool in spec.to_tool_list() if tool.metadata.name == "predict")
    deleted = flows.create_echo_agentflow(flowise_client)
    gone = chatflow_tool(deleted, name="gone", **connection)
    flowise_client.chatflows.delete(deleted.id)

    agent_model.script(
        ToolCall(echo.metadata.name, {"question": "from llama"}),
        ToolCall(add.metadata.name, {"a": 40, "b": 2}),
        ToolCall("predict", {"question": "through the spec"}),
        ToolCall("gone", {"question": "anyone?"}),
        "Every tool answered.",
    )
    agent = FunctionAgent(tools=[echo, add, predict, gone], llm=_llm(agent_model))
    handler = agent.run(user_msg="Use every tool once.")
    results = [event async for event in handler.stream_events() if isinstance(event, ToolCallResult)]
    answer = await handler

    assert [(r.tool_name, r.tool_output.content, r.tool_output.is_error) for r in results[:3]] == [
        (echo.metadata.name, "Echo: from llama", False),
        (add.metadata.name, "sum=42", False),
        ("predict", "Echo: through the spec", False),
    ]
    failed = results[3].tool_output
    assert failed.is_error
    assert "404" in failed.content
    assert flowise_stack.api_key not in failed.content
    assert str(answer) == "Every tool answered."
    requests = agent_model.chat_requests()
    assert len(requests) == 5
    assert all(request.get("stream") is True for request in requests)
    assert [m["content"] for m in requests[-1]["messages"] if m["role"] == "tool"] == [
        r.tool_output.content for r in results
    ]
