"""``FlowiseAgentflowNode`` in a graph, offline: Flowise's recorded answers behind a mock transport."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from typing_extensions import NotRequired

import flowise_integrations.langgraph as lg
from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.langgraph import FlowiseAgentflowNode
from flowise_integrations.types import HumanInputRequest
from tests.unit.mock_clients import API_KEY, BASE_URL
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

FLOW = "b49fbe6d-104b-4537-bd29-543c403d63ef"
ROUTE = f"prediction/{FLOW}"
CONFIG: Any = {"configurable": {"thread_id": "t-1"}}


class FormState(MessagesState):
    form: NotRequired[dict[str, Any]]


def _graph(node: FlowiseAgentflowNode, state: type[Any] = MessagesState) -> CompiledStateGraph[Any]:
    graph = StateGraph(state)
    graph.add_node("flowise", node)
    graph.add_edge(START, "flowise")
    return graph.compile(checkpointer=InMemorySaver())


def test_exports_are_pinned() -> None:
    assert lg.__all__ == ["FlowiseAgentflowNode"]
    assert FlowiseAgentflowNode.__module__ == "flowise_integrations.langgraph.nodes"


def test_missing_langgraph_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['langgraph'] = None\n"
        "from flowise_integrations import MissingDependencyError\n"
        "try:\n"
        "    import flowise_integrations.langgraph\n"
        "except MissingDependencyError as exc:\n"
        "    assert exc.extra == 'langgraph', exc\n"
        "    print(exc)\n"
        "else:\n"
        "    raise SystemExit('imported without langgraph')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "flowise-integrations[langgraph]" in result.stdout


def test_a_pause_sends_the_decision_back_on_the_same_chat(server: MockFlowise, client: Flowise) -> None:
    server.add(
        "POST",
        ROUTE,
        recorded("predictions/human_input_stopped"),
        recorded("predictions/human_input_resumed"),
    )
    app = _graph(FlowiseAgentflowNode(chatflow_id=FLOW, client=client))

    paused = app.invoke({"messages": [HumanMessage("ship it?")]}, CONFIG)

    request = HumanInputRequest.model_validate(paused["__interrupt__"][0].value)
    stopped = recorded_body("predictions/human_input_stopped")
    assert (request.chat_id, request.execution_id) == (stopped["chatId"], stopped["executionId"])
    first = server.last_json()
    assert first["question"] == "ship it?"
    assert first["chatId"]  # a fresh id per run, so the run can be resumed

    done = app.invoke(Command(resume={"type": "reject", "feedback": "not today"}), CONFIG)

    assert len(server.calls) == 2  # resuming did not run the flow again
    assert server.last_json() == {
        "chatId": request.chat_id,  # the conversation Flowise says it stopped
        "humanInput": {"type": "reject", "feedback": "not today"},
    }
    reply = done["messages"][-1]
    assert isinstance(reply, AIMessage)
    assert reply.content == "Approved"  # what the recorded resume answered
    resumed = recorded_body("predictions/human_input_resumed")
    assert reply.response_metadata == {
        "chatflow_id": FLOW,
        "chat_id": resumed["chatId"],
        "chat_message_id": resumed["chatMessageId"],
        "execution_id": resumed["executionId"],
    }


async def test_async_form_state_and_session_from_the_config(
    server: MockFlowise, async_client: AsyncFlowise
) -> None:
    server.add("POST", ROUTE, recorded("predictions/human_input_resumed"))
    node = FlowiseAgentflowNode(
        chatflow_id=FLOW, async_client=async_client, form_key="form", override_config={"topK": 2}
    )
    config: Any = {"configurable": {"thread_id": "t-2", "session_id": "s-9"}}

    done = await _graph(node, FormState).ainvoke({"messages": [], "form": {"order": "42"}}, config)

    body = server.last_json()
    assert "question" not in body
    assert body["form"] == {"order": "42"}
    assert body["overrideConfig"] == {"topK": 2, "sessionId": "s-9"}
    assert done["messages"][-1].content == "Approved"


@pytest.mark.parametrize(
    ("state", "error", "match"),
    [
        ({"messages": []}, ValueError, "at least one message"),
        ({}, ValueError, "at least one message"),
        ({"messages": [3]}, TypeError, "must be a message or a str, got int"),
    ],
)
def test_bad_state_raises_before_any_request(
    server: MockFlowise, client: Flowise, state: dict[str, Any], error: type[Exception], match: str
) -> None:
    node = FlowiseAgentflowNode(chatflow_id=FLOW, client=client)
    with pytest.raises(error, match=match):
        node.invoke(state)
    assert server.calls == []


def test_a_form_that_is_not_a_dict_is_refused(server: MockFlowise, client: Flowise) -> None:
    node = FlowiseAgentflowNode(chatflow_id=FLOW, client=client, form_key="form")
    with pytest.raises(TypeError, match=r"state\['form'\] must be a dict"):
        node.invoke({"messages": [], "form": "order 42"})
    assert server.calls == []


def test_the_key_stays_out_of_repr_and_serialization() -> None:
    node = FlowiseAgentflowNode(chatflow_id=FLOW, base_url=BASE_URL, api_key=API_KEY)
    assert API_KEY not in repr(node)
    assert API_KEY not in node.model_dump_json()
