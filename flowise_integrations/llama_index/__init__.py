"""LlamaIndex adapters for Flowise (install with ``pip install "flowise-integrations[llama-index]"``).

- :class:`FlowiseQueryEngine`: a flow as a query engine (``Response`` with source nodes; streaming).
- :class:`FlowiseRetriever`: a document store as a retriever.
- :class:`FlowiseLLM`: a flow as a chat LLM (history mapped to Flowise's ``history``).
- :class:`FlowiseChatEngine`: a Flowise session as a chat engine (memory and history on the server).
- :class:`FlowiseToolSpec`, :func:`chatflow_tool`, :func:`custom_tool`, :func:`tools_from_server`:
  agent tools over the prediction and admin API.
- :class:`FlowiseAgentflowWorkflow`: an agentflow as a workflow that emits
  :class:`FlowiseInputRequiredEvent` when the flow waits for a person and resumes on a
  ``HumanResponseEvent``.

Every class takes the same connection settings: ``base_url`` (``FLOWISE_BASE_URL``), ``api_key``
(``FLOWISE_API_KEY``), ``timeout``, ``max_retries``, or ready-made ``client``/``async_client``. They
only convert types and call :class:`~flowise_integrations.Flowise` /
:class:`~flowise_integrations.AsyncFlowise`; the client's errors reach the caller unchanged.
"""

from __future__ import annotations

from .._exceptions import MissingDependencyError

try:
    import llama_index.core  # noqa: F401
except ImportError as exc:
    raise MissingDependencyError("llama-index-core", "llama-index") from exc

from .chat_engine import FlowiseChatEngine
from .function_tools import atools_from_server, chatflow_tool, custom_tool, tools_from_server
from .llms import FlowiseLLM
from .query_engine import FlowiseQueryEngine
from .retrievers import FlowiseRetriever
from .tool_spec import FlowiseToolSpec
from .workflows import FlowiseAgentflowWorkflow, FlowiseInputRequiredEvent

__all__ = [
    "FlowiseAgentflowWorkflow",
    "FlowiseChatEngine",
    "FlowiseInputRequiredEvent",
    "FlowiseLLM",
    "FlowiseQueryEngine",
    "FlowiseRetriever",
    "FlowiseToolSpec",
    "atools_from_server",
    "chatflow_tool",
    "custom_tool",
    "tools_from_server",
]
