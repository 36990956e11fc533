"""Human in the loop: a LangGraph graph that pauses on a Flowise approval and resumes later.

Each order goes through an agentflow that stops at a Human Input node. The graph returns the
flow's question under ``__interrupt__`` and keeps its state in a checkpointer; the decision (yours
at the prompt, or with ``--auto`` a rule that approves orders under 100) then resumes the same
Flowise run from a *new* graph on that checkpointer, as a later process would, with only the
thread id.

Run it with ``make demo`` (after the quickstart), or ``python examples/human_in_the_loop.py
--auto``. With ``FLOWISE_BASE_URL`` and ``FLOWISE_API_KEY`` set it creates its flow on that server;
to use your own agentflow, call :func:`review_orders` with its id.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from flowise_integrations.langgraph import FlowiseAgentflowNode

ORDERS = {"A-17": 40, "B-23": 900}
"""Order id → amount in euros."""

Decide = Callable[[str, int, Mapping[str, Any]], Any]


def build_graph(flow_id: str, checkpointer: BaseCheckpointSaver[Any]) -> CompiledStateGraph[Any]:
    """START → the agentflow; the same code in any process gives the same graph."""
    graph = StateGraph(MessagesState)
    graph.add_node("approval", FlowiseAgentflowNode(chatflow_id=flow_id))
    graph.add_edge(START, "approval")
    return graph.compile(checkpointer=checkpointer)


def by_rule(order: str, amount: int, request: Mapping[str, Any]) -> dict[str, str]:
    """Approve small orders, reject the rest with a reason the flow receives as feedback."""
    if amount < 100:
        return {"type": "proceed"}
    return {"type": "reject", "feedback": f"{amount} EUR needs a second signature"}


def at_the_prompt(order: str, amount: int, request: Mapping[str, Any]) -> str:
    """Ask on the terminal; anything but y/n is sent as is, and the flow asks again."""
    answer = input(f"   {request['message']} [y/n] ").strip().lower()
    return {"y": "proceed", "n": "reject"}.get(answer, answer)


def review_orders(flow_id: str, decide: Decide) -> dict[str, str]:
    """Send every order through the approval flow; return each order's final answer."""
    checkpointer = InMemorySaver()  # a database-backed saver lets another process resume
    answers: dict[str, str] = {}
    for order, amount in ORDERS.items():
        config: Any = {"configurable": {"thread_id": f"order-{order}"}}
        state = build_graph(flow_id, checkpointer).invoke(
            {"messages": [("user", f"Ship order {order} ({amount} EUR)?")]}, config
        )
        while "__interrupt__" in state:
            request = state["__interrupt__"][0].value
            if "error" in request:
                print(f"   not a decision: {request['error']}")
            print(f"{order}: the flow asks {request['message']!r} (execution {request['execution_id']})")
            decision = decide(order, amount, request)
            print(f"   decision: {decision}")
            state = build_graph(flow_id, checkpointer).invoke(Command(resume=decision), config)
        answers[order] = state["messages"][-1].content
        print(f"   {order} -> {answers[order]!r}")
    return answers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auto", action="store_true", help="decide by rule instead of at the prompt")
    args = parser.parse_args(argv)
    decide: Decide = by_rule if args.auto or not sys.stdin.isatty() else at_the_prompt

    # The local stack and demo flows: see _local.py. Not needed with your own server and flow.
    from _local import demo_resources

    with demo_resources() as demo:
        answers = review_orders(demo.approval_agentflow_id, decide)
        print(f"\nSummary (Flowise {demo.version} at {demo.base_url})")
        for order, answer in answers.items():
            print(f"   {order:<6} {answer}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
