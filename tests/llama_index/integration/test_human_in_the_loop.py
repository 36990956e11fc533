"""A LlamaIndex workflow asks a person whenever a real Flowise agentflow waits, and resumes it.

``FlowiseAgentflowWorkflow`` runs the harness's Human Input agentflow and the tool-approval
agentflow; the test answers each ``FlowiseInputRequiredEvent`` with a ``HumanResponseEvent``, once
after saving and restoring the workflow context, and checks what Flowise ran.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.workflow import Context, HumanResponseEvent

from flowise_integrations import Flowise, Prediction
from flowise_integrations.llama_index import FlowiseAgentflowWorkflow, FlowiseInputRequiredEvent
from flowise_integrations.testing import LocalStack, ToolCall
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.timeout(300)


async def _answer(
    workflow: FlowiseAgentflowWorkflow, responses: list[dict[str, Any]], **start: Any
) -> tuple[list[FlowiseInputRequiredEvent], Prediction]:
    """Run the workflow, answering each request with the next response; the requests and the result."""
    handler = workflow.run(**start)
    asked: list[FlowiseInputRequiredEvent] = []
    async for event in handler.stream_events():
        if isinstance(event, FlowiseInputRequiredEvent):
            asked.append(event)
            assert handler.ctx is not None
            handler.ctx.send_event(HumanResponseEvent(**responses[len(asked) - 1]))
    result = await handler
    assert isinstance(result, Prediction)
    return asked, result


def _states(client: Flowise, chatflow: Chatflow, chat_id: str) -> list[str]:
    return [e.state for e in client.executions.list(agentflow_id=chatflow.id, session_id=chat_id, limit=50)]


async def test_a_human_input_request_is_answered_and_asked_again_when_invalid(
    flowise_client: Flowise, connection: dict[str, Any], human_input_agentflow: Chatflow
) -> None:
    workflow = FlowiseAgentflowWorkflow(human_input_agentflow.id, **connection, workflow_timeout=120)

    asked, result = await _answer(
        workflow,
        [{"response": "later"}, {"response": "reject", "feedback": "not today"}],
        question="ship order 42?",
    )

    assert [e.request.message for e in asked] == ["Approve?", "Approve?"]
    assert [e.error for e in asked] == [None, 'a decision must be "proceed" or "reject", got \'later\'']
    assert asked[0].request.chat_id == asked[1].request.chat_id
    assert result.text == "Rejected"
    assert _states(flowise_client, human_input_agentflow, asked[0].request.chat_id) == ["FINISHED"]


async def test_a_tool_approval_resumes_from_a_restored_context(
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    connection: dict[str, Any],
    tool_approval_agentflow: Chatflow,
) -> None:
    flowise_stack.model.script(ToolCall("ship_order", {"order": "B-7"}), "Order B-7 shipped.")
    workflow = FlowiseAgentflowWorkflow(tool_approval_agentflow.id, **connection, workflow_timeout=120)
    handler = workflow.run(question="ship order B-7")
    async for event in handler.stream_events():
        if isinstance(event, FlowiseInputRequiredEvent):
            break
    assert event.request.kind == "tool_approval"
    assert [(c.name, c.args) for c in event.request.tool_calls] == [("ship_order", {"order": "B-7"})]
    assert handler.ctx is not None
    saved = handler.ctx.to_dict()
    await handler.cancel_run()
    assert connection["api_key"] not in str(saved)
    assert "sk-stand-in" not in str(saved)

    # Another workflow object, as another process would build it, resumes from the saved context.
    again = FlowiseAgentflowWorkflow(tool_approval_agentflow.id, **connection, workflow_timeout=120)
    restored = Context.from_dict(again, saved)
    resumed = again.run(ctx=restored)
    resumed.ctx.send_event(HumanResponseEvent(response="proceed"))
    result = await resumed

    assert result.text == "Order B-7 shipped."
    assert [(t.tool, t.tool_output) for t in result.all_used_tools] == [("ship_order", "shipped B-7")]
    assert _states(flowise_client, tool_approval_agentflow, event.request.chat_id) == ["FINISHED"]
