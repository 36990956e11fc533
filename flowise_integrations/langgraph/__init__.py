"""LangGraph nodes backed by the Flowise client (the ``langgraph`` extra).

* :class:`FlowiseAgentflowNode` — a Flowise agentflow as a graph node; when the flow stops for a
  person (a Human Input node, a tool that needs approval) the graph pauses with an ``interrupt``
  and ``Command(resume=...)`` resumes the same Flowise run, across a checkpointer.

It takes ``base_url``/``api_key`` (or ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY``), or ready
``client``/``async_client`` instances, as the LangChain components do.
"""

try:
    import langgraph  # noqa: F401
except ImportError:
    from .._exceptions import MissingDependencyError

    raise MissingDependencyError("langgraph", "langgraph") from None

from .nodes import FlowiseAgentflowNode

__all__ = ["FlowiseAgentflowNode"]
