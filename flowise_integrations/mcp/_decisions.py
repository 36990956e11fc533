"""Asking the host's user to decide for a stopped agentflow: the form, and the decision it gives.

An agentflow that stops at a Human Input node or for a tool approval is asked about with an MCP
elicitation: a form with the flow's question, a proceed/reject choice and optional feedback.
Accepting the form gives that decision; declining it rejects; cancelling (dismissing) it leaves
the run waiting. No I/O here.
"""

from __future__ import annotations

from typing import Any

import mcp.types as types

from ..types import HumanInput, HumanInputRequest

__all__ = ["DECISION_KEY", "decision_form", "decision_from"]

DECISION_KEY = "flowise_decision"
"""The key of the one input request a stopped run makes (``InputRequiredResult.input_requests``)."""

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "decision": {
            "type": "string",
            "title": "Decision",
            "enum": ["proceed", "reject"],
            "description": "proceed lets the flow go on; reject takes its rejection path.",
        },
        "feedback": {
            "type": "string",
            "title": "Feedback",
            "description": "Optional words passed on to the flow with the decision.",
        },
    },
    "required": ["decision"],
}


def decision_form(request: HumanInputRequest) -> types.ElicitRequestFormParams:
    """The form asking for a decision on ``request``: the flow's own question, and what it stopped at."""
    message = request.message.strip() or "The flow waits for a decision."
    if request.kind == "tool_approval":
        message = f"{request.node_label or 'An agent'} asks to run a tool. {message}"
    return types.ElicitRequestFormParams(message=message, requested_schema=_SCHEMA)


def decision_from(result: types.ElicitResult) -> HumanInput | None:
    """The decision a form's answer gives, or ``None`` when it was dismissed (the run keeps waiting).

    Raises ``ValueError`` for an accepted form whose decision is neither proceed nor reject.
    """
    if result.action == "cancel":
        return None
    if result.action == "decline":
        return HumanInput(type="reject")
    content = result.content or {}
    decision = content.get("decision")
    if decision not in ("proceed", "reject"):
        raise ValueError(f"the decision must be 'proceed' or 'reject', not {decision!r}")
    feedback = content.get("feedback")
    return HumanInput(type=decision, feedback=str(feedback) if feedback else None)
