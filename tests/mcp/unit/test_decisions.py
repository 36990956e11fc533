"""The decision form a stopped agentflow is asked about with, and the decisions its answers give."""

from __future__ import annotations

import pytest
from mcp.types import ElicitResult

from flowise_integrations.mcp._decisions import decision_form, decision_from
from flowise_integrations.types import HumanInput, HumanInputRequest, Prediction
from tests.unit.recorded import recorded_body

FLOW = "00000000-0000-4000-8000-000000000002"


def _request(name: str) -> HumanInputRequest:
    request = HumanInputRequest.from_prediction(FLOW, Prediction.model_validate(recorded_body(name)))
    assert request is not None
    return request


def test_a_human_input_node_is_asked_its_own_question() -> None:
    form = decision_form(_request("predictions/human_input_stopped"))

    assert form.message == "Approve?"
    assert form.requested_schema["required"] == ["decision"]
    assert set(form.requested_schema["properties"]) == {"decision", "feedback"}


def test_a_tool_approval_says_which_tool_would_run() -> None:
    request = _request("predictions/tool_approval_stopped")

    form = decision_form(request)

    assert request.kind == "tool_approval"
    assert form.message.startswith(f"{request.node_label} asks to run a tool. ")
    assert request.tool_calls[0].name in form.message


@pytest.mark.parametrize(
    ("answer", "decision"),
    [
        (ElicitResult(action="accept", content={"decision": "proceed"}), HumanInput(type="proceed")),
        (
            ElicitResult(action="accept", content={"decision": "reject", "feedback": "too costly"}),
            HumanInput(type="reject", feedback="too costly"),
        ),
        (
            ElicitResult(action="accept", content={"decision": "proceed", "feedback": ""}),
            HumanInput(type="proceed"),
        ),
        (ElicitResult(action="decline"), HumanInput(type="reject")),
        (ElicitResult(action="cancel"), None),
    ],
)
def test_answers_give_decisions(answer: ElicitResult, decision: HumanInput | None) -> None:
    assert decision_from(answer) == decision


@pytest.mark.parametrize("content", [{}, {"decision": "maybe"}, {"decision": True}, None])
def test_an_accepted_form_without_a_decision_is_refused(content: dict[str, str] | None) -> None:
    with pytest.raises(ValueError, match="'proceed' or 'reject'"):
        decision_from(ElicitResult(action="accept", content=content))
