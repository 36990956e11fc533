"""``FlowiseAgentflowNode``: a Flowise agentflow as a LangGraph node that pauses for a person.

When the agentflow stops (a Human Input node, or an Agent node whose tool needs approval), the
node calls :func:`langgraph.types.interrupt` with the
:class:`~flowise_integrations.types.HumanInputRequest` as a dict, and the graph returns it under
``"__interrupt__"``. ``graph.invoke(Command(resume=decision), config)`` resumes the same Flowise
execution with that decision, as many times as the flow stops.

Each Flowise call runs as a LangGraph task, whose result the checkpointer stores: when the graph
resumes, LangGraph runs the node again from the top and the calls made before the pause are read
back from the checkpoint instead of being sent again. So a graph compiled in another process,
with the same checkpointer and only the thread id, resumes the run where it stopped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.runnables import RunnableConfig, RunnableSerializable
from langgraph.func import task
from langgraph.types import interrupt
from typing_extensions import override

from ..langchain._connection import FlowiseConnection, merge_override_config
from ..types import HumanInput, HumanInputRequest, Prediction

__all__ = ["FlowiseAgentflowNode"]

State = Mapping[str, Any]
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _task(name: str) -> Callable[[Callable[_P, _T]], Callable[_P, Any]]:
    """``langgraph.func.task`` under a fixed name; calling the task gives a future of the result.

    A task's result is found in the checkpoint by its name, so the sync and the async twin share
    one: a run started with ``invoke`` resumes with ``ainvoke`` and the other way round.
    """
    # ``task(name=...)``'s overload is generic in its return only, which mypy cannot solve.
    return task(name=name)  # type: ignore[return-value]


def _outcome(chatflow_id: str, prediction: Prediction, chat_id: str) -> dict[str, Any]:
    """What the checkpoint keeps of one Flowise call: the answer's ids and text, or the request.

    Plain JSON, and never the node inputs Flowise echoes back (they can hold a model key).
    """
    request = HumanInputRequest.from_prediction(chatflow_id, prediction, chat_id=chat_id)
    return {
        "text": prediction.text,
        "chat_id": prediction.chat_id or chat_id,
        "chat_message_id": prediction.chat_message_id,
        "execution_id": prediction.execution_id,
        "request": request.model_dump(mode="json") if request is not None else None,
    }


@_task("flowise_run")
def _run(node: FlowiseAgentflowNode, arguments: dict[str, Any]) -> dict[str, Any]:
    chat_id = str(uuid.uuid4())
    prediction = node._client.predictions.create(node.chatflow_id, chat_id=chat_id, **arguments)
    return _outcome(node.chatflow_id, prediction, chat_id)


@_task("flowise_run")
async def _arun(node: FlowiseAgentflowNode, arguments: dict[str, Any]) -> dict[str, Any]:
    chat_id = str(uuid.uuid4())
    prediction = await node._async_client.predictions.create(node.chatflow_id, chat_id=chat_id, **arguments)
    return _outcome(node.chatflow_id, prediction, chat_id)


@_task("flowise_resume")
def _resume(
    node: FlowiseAgentflowNode, chat_id: str, decision: HumanInput, override_config: dict[str, Any] | None
) -> dict[str, Any]:
    prediction = node._client.predictions.create(
        node.chatflow_id, chat_id=chat_id, human_input=decision, override_config=override_config
    )
    return _outcome(node.chatflow_id, prediction, chat_id)


@_task("flowise_resume")
async def _aresume(
    node: FlowiseAgentflowNode, chat_id: str, decision: HumanInput, override_config: dict[str, Any] | None
) -> dict[str, Any]:
    prediction = await node._async_client.predictions.create(
        node.chatflow_id, chat_id=chat_id, human_input=decision, override_config=override_config
    )
    return _outcome(node.chatflow_id, prediction, chat_id)


def _decide(request: dict[str, Any]) -> HumanInput:
    """Pause the graph on ``request`` until it is resumed with a valid decision.

    An invalid one pauses again with the request and an ``"error"`` saying what was wrong, so the
    run is kept and the next ``Command(resume=...)`` answers the same question.
    """
    asked = request
    while True:
        try:
            return HumanInput.coerce(interrupt(asked))
        except (TypeError, ValueError) as exc:
            asked = {**request, "error": str(exc)}


class FlowiseAgentflowNode(FlowiseConnection, RunnableSerializable[State, dict[str, Any]]):
    """Runs a Flowise agentflow as a LangGraph node, pausing the graph when the flow waits for a person.

    The question is the text of the last message in ``state[messages_key]`` (a LangChain message
    or a string); with ``form_key`` set and present in the state, that dict is sent as the Start
    node's form instead. The node returns ``{messages_key: [AIMessage(answer)]}``, the message's
    ``response_metadata`` holding the Flowise ``chatflow_id``, ``chat_id``, ``chat_message_id``
    and ``execution_id``.

    When the flow stops, the graph pauses with the :class:`~flowise_integrations.types.HumanInputRequest`
    as a dict (``kind``, ``message``, ``tool_calls``, ``chat_id``, ...). Resume with
    ``Command(resume=...)`` and ``"proceed"``/``"reject"``, ``True``/``False``, or
    ``{"type": "proceed"|"reject", "feedback": "..."}``; an invalid decision pauses again on the
    same request with an ``"error"`` key. The graph needs a checkpointer for this, as every
    LangGraph interrupt does. A run that was resumed elsewhere in the meantime raises
    :class:`~flowise_integrations.NotResumableError` out of the graph.

    Example:
        .. code-block:: python

            from langgraph.checkpoint.memory import InMemorySaver
            from langgraph.graph import START, MessagesState, StateGraph
            from langgraph.types import Command

            from flowise_integrations.langgraph import FlowiseAgentflowNode

            graph = StateGraph(MessagesState)
            graph.add_node("approval", FlowiseAgentflowNode(chatflow_id="..."))
            graph.add_edge(START, "approval")
            app = graph.compile(checkpointer=InMemorySaver())

            config = {"configurable": {"thread_id": "order-42"}}
            paused = app.invoke({"messages": [("user", "ship order 42")]}, config)
            paused["__interrupt__"][0].value["message"]  # what the flow asks
            done = app.invoke(Command(resume="proceed"), config)
    """

    chatflow_id: str
    """The agentflow to run (its id)."""

    messages_key: str = "messages"
    """The state key holding the conversation; the answer is appended to it."""

    form_key: str | None = None
    """A state key holding the Start node's form values, sent instead of a question when present."""

    session_id: str | None = None
    """Flowise memory session for every run (``overrideConfig.sessionId``)."""

    override_config: dict[str, Any] | None = None
    """``overrideConfig`` sent with every run."""

    def _overrides(self, config: RunnableConfig) -> dict[str, Any] | None:
        session_id = (config.get("configurable") or {}).get("session_id")
        merged = merge_override_config(
            self.override_config,
            {"sessionId": self.session_id} if self.session_id else None,
            {"sessionId": session_id} if isinstance(session_id, str) and session_id else None,
        )
        return merged or None

    def _arguments(self, state: State, config: RunnableConfig) -> dict[str, Any]:
        """``predictions.create`` arguments for a new run; bad state raises before any call."""
        if not isinstance(state, Mapping):
            raise TypeError(
                f"{type(self).__name__} takes the graph state (a mapping), got {type(state).__name__}"
            )
        arguments: dict[str, Any] = {"override_config": self._overrides(config)}
        form = state.get(self.form_key) if self.form_key else None
        if form is not None:
            if not isinstance(form, Mapping):
                raise TypeError(
                    f"state[{self.form_key!r}] must be a dict of form values, got {type(form).__name__}"
                )
            arguments["form"] = dict(form)
            return arguments
        arguments["question"] = self._question(state)
        return arguments

    def _question(self, state: State) -> str:
        messages = state.get(self.messages_key)
        if not isinstance(messages, Sequence) or isinstance(messages, str) or not messages:
            raise ValueError(f"state[{self.messages_key!r}] must hold at least one message to ask the flow")
        last = messages[-1]
        if isinstance(last, BaseMessage):
            return last.text
        if isinstance(last, str):
            return last
        raise TypeError(
            f"the last item of state[{self.messages_key!r}] must be a message or a str, "
            f"got {type(last).__name__}"
        )

    def _update(self, outcome: dict[str, Any]) -> dict[str, Any]:
        metadata = {
            "chatflow_id": self.chatflow_id,
            "chat_id": outcome["chat_id"],
            "chat_message_id": outcome["chat_message_id"],
            "execution_id": outcome["execution_id"],
        }
        return {self.messages_key: [AIMessage(content=outcome["text"], response_metadata=metadata)]}

    def _invoke(
        self, state: State, run_manager: CallbackManagerForChainRun, config: RunnableConfig
    ) -> dict[str, Any]:
        arguments = self._arguments(state, config)
        outcome: dict[str, Any] = _run(self, arguments).result()
        while (request := outcome["request"]) is not None:
            decision = _decide(request)
            outcome = _resume(self, request["chat_id"], decision, arguments["override_config"]).result()
        return self._update(outcome)

    async def _ainvoke(
        self, state: State, run_manager: AsyncCallbackManagerForChainRun, config: RunnableConfig
    ) -> dict[str, Any]:
        arguments = self._arguments(state, config)
        outcome: dict[str, Any] = await _arun(self, arguments)
        while (request := outcome["request"]) is not None:
            decision = _decide(request)
            outcome = await _aresume(self, request["chat_id"], decision, arguments["override_config"])
        return self._update(outcome)

    @override
    def invoke(self, input: State, config: RunnableConfig | None = None, **kwargs: Any) -> dict[str, Any]:
        return self._call_with_config(self._invoke, input, config)

    @override
    async def ainvoke(
        self, input: State, config: RunnableConfig | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        return await self._acall_with_config(self._ainvoke, input, config)
