"""Flows as code: build, load, check, compare and save chatflows and agentflows.

* :class:`Catalogue` — a server's node definitions (``Catalogue.from_client(client)``), or a
  snapshot of them saved to a file for checking offline;
* :class:`Flow` — a flow's graph: ``Flow.chatflow(catalogue)`` / ``Flow.agentflow(catalogue)``,
  :meth:`Flow.add` a node by its Flowise name, :meth:`Flow.connect` two nodes;
  :meth:`Flow.from_flow_data` loads any ``flowData`` and :meth:`Flow.to_flow_data` gives it back;
* :func:`validate` / :func:`problems` — what the server's components would refuse, before upload;
* :func:`diff` — what changed between two versions, in words;
* :class:`FlowFile` — a flow with its name, type and id, as a JSON file for git;
* :func:`credential_id` — a credential's id from its name, for :meth:`Flow.add`.

Only the client's own dependencies are needed.
"""

from ._catalogue import Catalogue, UnknownNodeError
from ._diff import diff
from ._files import FlowFile, FlowFileError
from ._graph import Flow, FlowBuildError, FlowEdge, FlowKind, FlowNode, credential_id, ref
from ._validate import FlowValidationError, Problem, problems, validate

__all__ = [
    "Catalogue",
    "Flow",
    "FlowBuildError",
    "FlowEdge",
    "FlowFile",
    "FlowFileError",
    "FlowKind",
    "FlowNode",
    "FlowValidationError",
    "Problem",
    "UnknownNodeError",
    "credential_id",
    "diff",
    "problems",
    "ref",
    "validate",
]
