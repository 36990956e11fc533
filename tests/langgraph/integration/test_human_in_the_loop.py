"""A LangGraph graph pauses on a real Flowise agentflow that waits for a person, and resumes it.

``FlowiseAgentflowNode`` runs the harness's Human Input agentflow and a tool-approval agentflow
(an Agent node on the model stand-in whose custom tool needs approval). Each test pauses the
graph, inspects the request, resumes it with ``Command(resume=...)`` from a graph compiled anew
on the same checkpointer (as another process would, with only the thread id), and checks what
Flowise ran.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from flowise_integrations import Flowise, NotResumableError
from flowise_integrations.langgraph import FlowiseAgentflowNode
from flowise_integrations.testing import LocalStack, ToolCall
from flowise_integrations.types import Chatflow, HumanInputRequest

pytestmark = pytest.mark.timeout(300)


def _graph(chatflow: Chatflow, saver: InMemorySaver, connection: dict[str, Any]) -> CompiledStateGraph[Any]:
    """A graph of one Flowise node, built from scratch: nothing is shared but the checkpointer."""
    graph = StateGraph(MessagesState)
    graph.add_node("flowise", FlowiseAgentflowNode(chatflow_id=chatflow.id, **connection))
    graph.add_edge(START, "flowise")
    return graph.compile(checkpointer=saver)


def _thread() -> dict[str, Any]:
    return {"configurable": {"thread_id": str(uuid.uuid4())}}


def _paused(result: dict[str, Any]) -> HumanInputRequest:
    (interrupt,) = result["__interrupt__"]
    return HumanInputRequest.model_validate(interrupt.value)


def _stored(saver: InMemorySaver) -> bytes:
    """Every serialized value the checkpointer holds (checkpoints, blobs, pending writes), joined."""
    found: list[bytes] = []

    def walk(value: object) -> None:
        if isinstance(value, (bytes, bytearray)):
            found.append(bytes(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk([saver.storage, saver.writes, saver.blobs])
    assert found
    return b"\n".join(found)


def _runs(client: Flowise, chatflow: Chatflow, chat_id: str) -> list[str]:
    """The states of the Flowise executions of one conversation."""
    return [e.state for e in client.executions.list(agentflow_id=chatflow.id, session_id=chat_id, limit=50)]


@pytest.mark.parametrize(
    ("decision", "answer", "last_node"),
    [
        ({"type": "proceed", "feedback": "ship it"}, "Approved", "approved_0"),
        ("reject", "Rejected", "rejected_0"),
    ],
)
def test_a_human_input_pause_resumes_from_a_new_graph(
    flowise_client: Flowise,
    connection: dict[str, Any],
    human_input_agentflow: Chatflow,
    decision: Any,
    answer: str,
    last_node: str,
) -> None:
    saver, config = InMemorySaver(), _thread()
    paused = _graph(human_input_agentflow, saver, connection).invoke(
        {"messages": [HumanMessage("ship order 42?")]}, config
    )
    request = _paused(paused)
    assert (request.kind, request.message, request.node_id) == (
        "human_input",
        "Approve?",
        "humanInputAgentflow_0",
    )
    assert request.chatflow_id == human_input_agentflow.id
    assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["STOPPED"]

    done = _graph(human_input_agentflow, saver, connection).invoke(Command(resume=decision), config)

    reply = done["messages"][-1]
    assert isinstance(reply, AIMessage)
    assert reply.content == answer
    assert reply.response_metadata["chat_id"] == request.chat_id
    assert reply.response_metadata["execution_id"] == request.execution_id
    # The same Flowise execution finished, through the branch the decision picked; it did not run twice.
    assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["FINISHED"]
    assert request.execution_id is not None
    executed = flowise_client.executions.get(request.execution_id).executed_nodes
    assert [(n.node_id, n.status) for n in executed][-1] == (last_node, "FINISHED")
    # What the checkpointer holds has the answer and no key of any kind.
    stored = _stored(saver)
    assert answer.encode() in stored
    assert connection["api_key"].encode() not in stored


def test_an_invalid_decision_asks_again_and_loses_nothing(
    flowise_client: Flowise, connection: dict[str, Any], human_input_agentflow: Chatflow
) -> None:
    saver, config = InMemorySaver(), _thread()
    graph = _graph(human_input_agentflow, saver, connection)
    request = _paused(graph.invoke({"messages": [HumanMessage("ship?")]}, config))

    again = graph.invoke(Command(resume="maybe"), config)
    (interrupt,) = again["__interrupt__"]
    assert interrupt.value["error"] == 'a decision must be "proceed" or "reject", got \'maybe\''
    assert _paused(again).chat_id == request.chat_id  # the same question
    assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["STOPPED"]

    done = graph.invoke(Command(resume=True), config)
    assert done["messages"][-1].content == "Approved"


def test_a_run_resumed_elsewhere_is_a_typed_error(
    flowise_client: Flowise, connection: dict[str, Any], human_input_agentflow: Chatflow
) -> None:
    saver, config = InMemorySaver(), _thread()
    request = _paused(
        _graph(human_input_agentflow, saver, connection).invoke({"messages": [HumanMessage("ship?")]}, config)
    )
    # Someone answers in Flowise's own chat first.
    flowise_client.predictions.create(
        human_input_agentflow.id, chat_id=request.chat_id, human_input={"type": "reject"}
    )

    with pytest.raises(NotResumableError, match="because it is in 'FINISHED' state"):
        _graph(human_input_agentflow, saver, connection).invoke(Command(resume="proceed"), config)
    assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["FINISHED"]


@pytest.mark.parametrize(
    ("decision", "tool_ran", "answer"),
    [("proceed", True, "Order A-1 shipped."), ("reject", False, "I did not ship it.")],
)
def test_a_tool_waiting_for_approval_runs_only_when_approved(
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    connection: dict[str, Any],
    tool_approval_agentflow: Chatflow,
    decision: str,
    tool_ran: bool,
    answer: str,
) -> None:
    model = flowise_stack.model
    model.script(ToolCall("ship_order", {"order": "A-1"}), answer)
    saver, config = InMemorySaver(), _thread()
    before = len(model.chat_requests())

    request = _paused(
        _graph(tool_approval_agentflow, saver, connection).invoke(
            {"messages": [HumanMessage("ship order A-1")]}, config
        )
    )
    assert request.kind == "tool_approval"
    assert [(c.name, c.args) for c in request.tool_calls] == [("ship_order", {"order": "A-1"})]
    assert request.node_label == "Agent"

    done = _graph(tool_approval_agentflow, saver, connection).invoke(Command(resume=decision), config)

    assert done["messages"][-1].content == answer
    calls = model.chat_requests()[before:]
    assert len(calls) == 2  # the call that asked for the tool, and the one after the decision
    tool_results = [m["content"] for m in calls[1]["messages"] if m["role"] == "tool"]
    assert tool_results == (["shipped A-1"] if tool_ran else [])
    assert _runs(flowise_client, tool_approval_agentflow, request.chat_id) == ["FINISHED"]
    # Flowise's answer carried the model key typed into the flow; the checkpoint does not.
    stored = _stored(saver)
    assert b"ship_order" in stored
    assert b"sk-stand-in" not in stored
    assert connection["api_key"].encode() not in stored


async def test_async_graphs_pause_and_resume_side_by_side(
    flowise_client: Flowise, connection: dict[str, Any], human_input_agentflow: Chatflow
) -> None:
    saver = InMemorySaver()
    configs = [_thread() for _ in range(3)]
    graph = _graph(human_input_agentflow, saver, connection)

    paused = await asyncio.gather(
        *(graph.ainvoke({"messages": [HumanMessage(f"order {i}?")]}, c) for i, c in enumerate(configs))
    )
    requests = [_paused(p) for p in paused]
    assert len({r.chat_id for r in requests}) == 3

    fresh = _graph(human_input_agentflow, saver, connection)
    done = await asyncio.gather(
        *(
            fresh.ainvoke(Command(resume=d), c)
            for d, c in zip(("proceed", "reject", "proceed"), configs, strict=True)
        )
    )
    assert [d["messages"][-1].content for d in done] == ["Approved", "Rejected", "Approved"]
    for request in requests:
        assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["FINISHED"]


async def test_a_run_paused_by_invoke_resumes_with_ainvoke(
    flowise_client: Flowise, connection: dict[str, Any], human_input_agentflow: Chatflow
) -> None:
    saver, config = InMemorySaver(), _thread()
    request = _paused(
        await asyncio.to_thread(
            _graph(human_input_agentflow, saver, connection).invoke,
            {"messages": [HumanMessage("ship?")]},
            config,
        )
    )
    done = await _graph(human_input_agentflow, saver, connection).ainvoke(Command(resume="proceed"), config)
    assert done["messages"][-1].content == "Approved"
    assert _runs(flowise_client, human_input_agentflow, request.chat_id) == ["FINISHED"]
