"""``FlowiseAgentflowWorkflow``: a Flowise agentflow as a LlamaIndex workflow that asks a person.

When the agentflow stops (a Human Input node, or an Agent node whose tool needs approval), the
workflow emits a :class:`FlowiseInputRequiredEvent` (an ``InputRequiredEvent``) carrying the
:class:`~flowise_integrations.types.HumanInputRequest`, and waits. Sending a
``HumanResponseEvent`` (``response="proceed"``/``"reject"``, optional ``feedback``) resumes the same
Flowise run; the workflow ends with the flow's answer once it stops asking.

The request holds the chat id, so the answer can come much later and from elsewhere: a workflow
context saved with ``ctx.to_dict()`` and restored with ``Context.from_dict`` resumes the run.
"""

from __future__ import annotations

import uuid
from typing import Any

from llama_index.core.workflow import (
    Context,
    HumanResponseEvent,
    InputRequiredEvent,
    StartEvent,
    StopEvent,
    Workflow,
    step,
)

from .._async._client import AsyncFlowise
from .._sync._client import Flowise
from ..types import HumanInput, HumanInputRequest, Prediction
from ._connection import FlowiseConnection, Timeout

__all__ = ["FlowiseAgentflowWorkflow", "FlowiseInputRequiredEvent"]


class FlowiseInputRequiredEvent(InputRequiredEvent):
    """The agentflow waits for a person: ``request`` says what for (``message``, ``tool_calls``)."""

    request: HumanInputRequest
    error: str | None = None
    """Set when the previous response was not a valid decision; the same request is asked again."""


def _decision(event: HumanResponseEvent) -> HumanInput:
    """The decision a response carries: ``response`` (a decision) and optional ``feedback``."""
    decision = HumanInput.coerce(event.get("response"))
    feedback = event.get("feedback")
    if feedback is not None:
        decision = HumanInput.coerce({**decision.to_wire(), "feedback": feedback})
    return decision


class FlowiseAgentflowWorkflow(Workflow):
    """Runs a Flowise agentflow; asks a person through workflow events whenever the flow stops.

    Start it with ``workflow.run(question=...)`` (or ``form={...}`` for a Start node with a form,
    and ``session_id=`` for Flowise memory). Each :class:`FlowiseInputRequiredEvent` on the event
    stream is answered with ``handler.ctx.send_event(HumanResponseEvent(response="proceed"))``
    (``"reject"``, ``True``/``False``, or ``{"type": ..., "feedback": ...}`` as JSON-able values;
    a ``feedback=`` field is passed on too). An invalid response is asked again, with ``error``
    set. The result is the final :class:`~flowise_integrations.Prediction`.

    Example:
        .. code-block:: python

            from llama_index.core.workflow import HumanResponseEvent

            from flowise_integrations.llama_index import (
                FlowiseAgentflowWorkflow,
                FlowiseInputRequiredEvent,
            )

            workflow = FlowiseAgentflowWorkflow(chatflow_id="...")
            handler = workflow.run(question="ship order 42")
            async for event in handler.stream_events():
                if isinstance(event, FlowiseInputRequiredEvent):
                    print(event.request.message)
                    handler.ctx.send_event(HumanResponseEvent(response="proceed"))
            prediction = await handler
    """

    def __init__(
        self,
        chatflow_id: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout: Timeout | None = None,
        max_retries: int | None = None,
        client: Flowise | None = None,
        async_client: AsyncFlowise | None = None,
        override_config: dict[str, Any] | None = None,
        workflow_timeout: float | None = None,
    ) -> None:
        super().__init__(timeout=workflow_timeout)
        self.chatflow_id = chatflow_id
        self.override_config = override_config
        self._connection = FlowiseConnection(
            base_url=base_url,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            client=client,
            async_client=async_client,
        )

    def _overrides(self, session_id: str | None) -> dict[str, Any] | None:
        merged = {**(self.override_config or {}), **({"sessionId": session_id} if session_id else {})}
        return merged or None

    async def _answer_or_ask(
        self, ctx: Context, prediction: Prediction, chat_id: str
    ) -> StopEvent | FlowiseInputRequiredEvent:
        request = HumanInputRequest.from_prediction(self.chatflow_id, prediction, chat_id=chat_id)
        if request is None:
            return StopEvent(result=prediction)
        await ctx.store.set("flowise_request", request.model_dump(mode="json"))
        return FlowiseInputRequiredEvent(request=request)

    @step
    async def run_flow(self, ctx: Context, ev: StartEvent) -> StopEvent | FlowiseInputRequiredEvent:
        """Start the flow with the question (or form) the workflow was run with."""
        session_id = ev.get("session_id")
        await ctx.store.set("flowise_overrides", self._overrides(session_id))
        chat_id = ev.get("chat_id") or str(uuid.uuid4())
        prediction = await self._connection.async_client.predictions.create(
            self.chatflow_id,
            ev.get("question"),
            form=ev.get("form"),
            chat_id=chat_id,
            override_config=self._overrides(session_id),
        )
        return await self._answer_or_ask(ctx, prediction, chat_id)

    @step
    async def resume_flow(
        self, ctx: Context, ev: HumanResponseEvent
    ) -> StopEvent | FlowiseInputRequiredEvent:
        """Resume the stopped run with the person's decision; ask again if it is not one."""
        request = HumanInputRequest.model_validate(await ctx.store.get("flowise_request"))
        try:
            decision = _decision(ev)
        except (TypeError, ValueError) as exc:
            return FlowiseInputRequiredEvent(request=request, error=str(exc))
        prediction = await self._connection.async_client.predictions.create(
            self.chatflow_id,
            chat_id=request.chat_id,
            human_input=decision,
            override_config=await ctx.store.get("flowise_overrides"),
        )
        return await self._answer_or_ask(ctx, prediction, request.chat_id)
