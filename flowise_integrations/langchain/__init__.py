"""LangChain components backed by the Flowise client (the ``langchain`` extra).

* :class:`ChatFlowise` — a chatflow, agentflow or assistant as a chat model;
* :class:`FlowiseLLM` — the same as a text-in, text-out LLM;
* :class:`FlowiseRunnable` — a flow as a runnable returning the whole ``Prediction`` (streams
  the typed events);
* :class:`FlowiseRetriever` — a document store's vector search;
* :class:`FlowiseChatflowTool`, :class:`FlowiseCustomTool`, :class:`FlowiseToolkit` — flows and
  custom tools as agent tools.

Each takes ``base_url``/``api_key`` (or ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY``), or ready
``client``/``async_client`` instances.
"""

try:
    import langchain_core  # noqa: F401
except ImportError:
    from .._exceptions import MissingDependencyError

    raise MissingDependencyError("langchain-core", "langchain") from None

from .chat_models import ChatFlowise
from .llms import FlowiseLLM
from .retrievers import FlowiseRetriever
from .runnables import FlowiseRunnable, PredictionInput
from .tools import FlowiseChatflowTool, FlowiseCustomTool, FlowiseQuestion, FlowiseToolkit

__all__ = [
    "ChatFlowise",
    "FlowiseChatflowTool",
    "FlowiseCustomTool",
    "FlowiseLLM",
    "FlowiseQuestion",
    "FlowiseRetriever",
    "FlowiseRunnable",
    "FlowiseToolkit",
    "PredictionInput",
]
