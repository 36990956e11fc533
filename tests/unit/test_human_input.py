"""What a stopped agentflow asks for, and the decisions that resume it, from recorded answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from flowise_integrations.types import HumanInput, HumanInputRequest, PendingToolCall, Prediction
from tests.unit.recorded import recorded_body


def _prediction(name: str) -> Prediction:
    return Prediction.model_validate(recorded_body(name))


def test_a_human_input_node_asks_its_question() -> None:
    stopped = _prediction("predictions/human_input_stopped")
    request = HumanInputRequest.from_prediction("flow-1", stopped)
    assert request is not None
    assert request.kind == "human_input"
    assert request.message == "Approve?"
    assert (request.chatflow_id, request.chat_id) == ("flow-1", stopped.chat_id)
    assert request.execution_id == stopped.execution_id
    assert stopped.action is not None
    assert request.action_id == stopped.action.id
    assert (request.node_id, request.node_label) == ("humanInputAgentflow_0", "Human Input")
    assert request.tool_calls == []
    assert request.feedback_enabled is True


def test_an_agent_waiting_on_a_tool_lists_the_calls_and_nothing_of_its_inputs() -> None:
    stopped = _prediction("predictions/tool_approval_stopped")
    request = HumanInputRequest.from_prediction("flow-1", stopped)
    assert request is not None
    assert request.kind == "tool_approval"
    assert [(c.name, c.args) for c in request.tool_calls] == [("ship_order", {"order": "A-1"})]
    assert request.tool_calls[0].id
    assert request.message.startswith("Attempting to use tool:")
    assert request.feedback_enabled is False
    # The stopped node's inputs hold the model key typed into the flow; the request does not.
    assert "sk-stand-in" in json.dumps(recorded_body("predictions/tool_approval_stopped"))
    for dumped in (request.model_dump_json(), repr(request), json.dumps(request.model_dump(mode="json"))):
        assert "sk-stand-in" not in dumped
    assert HumanInputRequest.model_validate(request.model_dump(mode="json")) == request


def test_a_finished_run_asks_nothing() -> None:
    assert HumanInputRequest.from_prediction("f", _prediction("predictions/human_input_resumed")) is None
    assert HumanInputRequest.from_prediction("f", _prediction("predictions/tool_approval_resumed")) is None


def test_the_chat_id_the_run_was_sent_with_fills_a_missing_one() -> None:
    body = recorded_body("predictions/human_input_stopped")
    del body["chatId"]
    request = HumanInputRequest.from_prediction("f", Prediction.model_validate(body), chat_id="c-9")
    assert request is not None
    assert request.chat_id == "c-9"
    with pytest.raises(ValueError, match="without a chat id"):
        HumanInputRequest.from_prediction("f", Prediction.model_validate(body))


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("proceed", {"type": "proceed"}),
        ("Proceed", {"type": "proceed"}),
        (" approve ", {"type": "proceed"}),
        ("Reject", {"type": "reject"}),
        (True, {"type": "proceed"}),
        (False, {"type": "reject"}),
        ({"type": "reject", "feedback": "too late"}, {"type": "reject", "feedback": "too late"}),
        ({"type": "Approve", "start_node_id": "n1"}, {"type": "proceed", "startNodeId": "n1"}),
        (HumanInput(type="proceed", feedback="go"), {"type": "proceed", "feedback": "go"}),
    ],
)
def test_decisions_in_every_accepted_form(value: Any, wire: dict[str, Any]) -> None:
    assert HumanInput.coerce(value).to_wire() == wire


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("maybe", ValueError, '"proceed" or "reject"'),
        ({"feedback": "no type"}, ValueError, '"type"'),
        ({"type": "proceed", "feedback": 3}, ValueError, "feedback"),
        (3, TypeError, "got int"),
        (None, TypeError, "got NoneType"),
    ],
)
def test_bad_decisions_raise_clearly(value: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        HumanInput.coerce(value)


def test_pending_tool_calls_default_to_no_arguments() -> None:
    assert PendingToolCall(name="t").args == {}
