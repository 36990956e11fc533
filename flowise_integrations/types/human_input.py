"""Human in the loop: what a stopped agentflow asks for, and the decision that resumes it.

An agentflow stops at a Human Input node, or at an Agent node whose tool needs approval, and
answers with an :class:`~flowise_integrations.types.Action`. :class:`HumanInputRequest` is the part
of that answer a person needs to decide (the message, the pending tool calls, the ids to resume
with); :class:`HumanInput` is the decision sent back as ``humanInput``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from ._base import FlowiseModel
from .predictions import Prediction

__all__ = ["HumanInput", "HumanInputKind", "HumanInputRequest", "PendingToolCall"]

HumanInputKind = Literal["human_input", "tool_approval"]

_DECISIONS: dict[str, Literal["proceed", "reject"]] = {
    "proceed": "proceed",
    "approve": "proceed",
    "reject": "reject",
}


class PendingToolCall(FlowiseModel):
    """A tool call an Agent node waits to have approved."""

    id: str | None = None
    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class HumanInput(FlowiseModel):
    """A decision that resumes a stopped agentflow: proceed or reject, with optional feedback.

    ``start_node_id`` names the stopped node; Flowise finds it itself when it is left out.
    """

    type: Literal["proceed", "reject"]
    feedback: str | None = None
    start_node_id: str | None = None

    @classmethod
    def coerce(cls, value: Any) -> HumanInput:
        """A decision from what a person or a framework hands back.

        Accepted: a :class:`HumanInput`; ``"proceed"``/``"approve"``/``"reject"`` (any case, and
        the button labels ``"Proceed"``/``"Reject"``); ``True``/``False``; a mapping with ``type``
        and optional ``feedback``/``start_node_id``. Anything else raises ``TypeError`` or
        ``ValueError`` before a request is sent.
        """
        if isinstance(value, HumanInput):
            return value
        if isinstance(value, bool):
            return cls(type="proceed" if value else "reject")
        if isinstance(value, str):
            decision = _DECISIONS.get(value.strip().lower())
            if decision is None:
                raise ValueError(f'a decision must be "proceed" or "reject", got {value!r}')
            return cls(type=decision)
        if isinstance(value, Mapping):
            data = dict(value)
            kind = data.get("type")
            if not isinstance(kind, str) or kind.strip().lower() not in _DECISIONS:
                raise ValueError(f'a decision\'s "type" must be "proceed" or "reject", got {kind!r}')
            data["type"] = _DECISIONS[kind.strip().lower()]
            return cls.model_validate(data)
        raise TypeError(
            "a decision is a HumanInput, a str, a bool or a mapping with a 'type'; "
            f"got {type(value).__name__}"
        )

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _tool_calls(data: Mapping[str, Any]) -> list[PendingToolCall]:
    """The tool calls of the last message the stopped Agent node holds."""
    node_input = data.get("input")
    messages = node_input.get("messages") if isinstance(node_input, Mapping) else None
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], Mapping):
        return []
    calls = messages[-1].get("tool_calls")
    if not isinstance(calls, list):
        return []
    return [PendingToolCall.model_validate(call) for call in calls if isinstance(call, Mapping)]


class HumanInputRequest(FlowiseModel):
    """Why an agentflow stopped, and what resumes it.

    It keeps only what a decision needs: the stopped node's inputs are left out, since they can
    hold a model key typed into the flow, and a request is often stored (in a checkpoint, a queue,
    a ticket) before anyone answers it.
    """

    chatflow_id: str
    chat_id: str
    """The conversation to resume: send it back with the decision."""
    session_id: str | None = None
    execution_id: str | None = None
    action_id: str | None = None
    node_id: str | None = None
    node_label: str | None = None
    kind: HumanInputKind = "human_input"
    """``"tool_approval"`` when an Agent node waits to run :attr:`tool_calls`."""
    message: str = ""
    """What the flow says to the person: the Human Input node's text, or the tool it is about to run."""
    tool_calls: list[PendingToolCall] = Field(default_factory=list)
    feedback_enabled: bool = False
    """Whether the Human Input node passes feedback on to the rest of the flow."""

    @classmethod
    def from_prediction(
        cls, chatflow_id: str, prediction: Prediction, *, chat_id: str | None = None
    ) -> HumanInputRequest | None:
        """The request a stopped run makes, or ``None`` when the run did not stop for input.

        ``chat_id`` is the one the run was sent with, when the answer lacks it.
        """
        action = prediction.action
        if action is None:
            return None
        conversation = prediction.chat_id or chat_id
        if not conversation:
            raise ValueError("a stopped run without a chat id cannot be resumed")
        data = action.data or {}
        node_id = data.get("nodeId")
        stopped = next(
            (n for n in reversed(prediction.agent_flow_executed_data) if n.node_id == node_id), None
        )
        node_input = stopped.data.get("input") if stopped is not None else None
        tool_calls = _tool_calls(data)
        return cls(
            chatflow_id=chatflow_id,
            chat_id=conversation,
            session_id=prediction.session_id,
            execution_id=prediction.execution_id,
            action_id=action.id,
            node_id=node_id if isinstance(node_id, str) else None,
            node_label=data.get("nodeLabel") if isinstance(data.get("nodeLabel"), str) else None,
            kind="tool_approval" if tool_calls else "human_input",
            message=prediction.text.strip(),
            tool_calls=tool_calls,
            feedback_enabled=bool(
                isinstance(node_input, Mapping) and node_input.get("humanInputEnableFeedback")
            ),
        )
