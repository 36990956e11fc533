"""Flowise flows, assistants and custom tools as a Model Context Protocol server (the ``mcp`` extra).

* :class:`FlowiseMCPServer` — the server, over stdio or streamable HTTP, with the selection rules
  of :class:`~flowise_integrations.langchain.FlowiseToolkit`; ``flowise-integrations mcp`` runs
  it from the shell.

It takes ``base_url``/``api_key`` (or ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY``), or a ready
:class:`~flowise_integrations.AsyncFlowise`.
"""

try:
    import mcp  # noqa: F401
except ImportError:
    from .._exceptions import MissingDependencyError

    raise MissingDependencyError("mcp", "mcp") from None

from .server import FlowiseMCPServer

__all__ = ["FlowiseMCPServer"]
