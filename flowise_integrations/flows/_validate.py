"""Checking a flow against a server's node catalogue before it is uploaded.

Flowise stores any ``flowData`` it is given and fails only when the flow runs. These checks find,
before upload, what the editor would not have let through: unknown components, required inputs
left empty, option values the component does not offer, values of the wrong type, credentials
of the wrong kind, connections between outputs and inputs of different types, required
connections missing, and edges between nodes or anchors that do not exist. Each problem names
the node, the input and what was expected.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._exceptions import FlowiseError
from ._catalogue import Catalogue, UnknownNodeError
from ._graph import PARAM_TYPES, Flow, FlowNode, anchor_types

if TYPE_CHECKING:
    from ..types import Credential

__all__ = ["FlowValidationError", "Problem", "ProblemKind", "problems", "validate"]

_TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)
_IGNORED_INPUTS = frozenset({"FLOWISE_CREDENTIAL_ID", "credential"})
_NOT_RUN = frozenset({"stickyNote", "stickyNoteAgentflow"})


ProblemKind = Literal["missing", "invalid"]


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with a flow: where (node, input) and what.

    ``kind`` is ``"missing"`` for something left to fill in (a required input, a credential, a
    required connection), ``"invalid"`` for something that is there and wrong.
    """

    node_id: str | None
    message: str
    input: str | None = None
    kind: ProblemKind = "invalid"

    def __str__(self) -> str:
        where = self.node_id or "the flow"
        if self.input:
            where += f" input {self.input!r}"
        return f"{where}: {self.message}"


class FlowValidationError(FlowiseError, ValueError):
    """A flow the catalogue's components would not run; :attr:`problems` lists every reason."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.problems = list(found)
        listed = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"the flow has {len(self.problems)} problem(s):\n{listed}")

    def __str__(self) -> str:
        return str(self.args[0])


def validate(
    flow: Flow, catalogue: Catalogue | None = None, *, credentials: Iterable[Credential] | None = None
) -> None:
    """Raise :class:`FlowValidationError` listing every problem :func:`problems` finds."""
    found = problems(flow, catalogue, credentials=credentials)
    if found:
        raise FlowValidationError(found)


def problems(
    flow: Flow, catalogue: Catalogue | None = None, *, credentials: Iterable[Credential] | None = None
) -> list[Problem]:
    """Every problem of ``flow`` against ``catalogue`` (default: the flow's own).

    With ``credentials`` (``client.credentials.list()``) the credential each node names must exist
    and be of a kind the component takes.
    """
    catalogue = catalogue if catalogue is not None else flow.catalogue
    if catalogue is None:
        raise ValueError("validating needs a catalogue: pass one, or build the flow with one")
    known_credentials = {c.id: c for c in credentials} if credentials is not None else None
    found: list[Problem] = []
    nodes = {node.id: node for node in flow.nodes}
    if not nodes:
        return [Problem(None, "has no nodes")]
    for node in nodes.values():
        if node.name not in catalogue:
            found.append(Problem(node.id, str(UnknownNodeError(node.name, catalogue))))
            continue
        found += _node_problems(node, catalogue[node.name], known_credentials)
    found += _edge_problems(flow, nodes, catalogue)
    found += _shape_problems(flow, nodes)
    return found


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _node_problems(
    node: FlowNode, definition: Mapping[str, Any], credentials: Mapping[str, Credential] | None
) -> list[Problem]:
    found: list[Problem] = []
    specs = {str(spec["name"]): spec for spec in definition.get("inputs") or []}
    agentflow = node.raw.get("type") == "agentFlow"
    for name, spec in specs.items():
        if spec["type"] not in PARAM_TYPES and not agentflow:
            continue  # a connection: checked with the edges
        value = node.inputs.get(name)
        conditional = "show" in spec or "hide" in spec
        if _is_empty(value):
            if not spec.get("optional") and "default" not in spec and not conditional:
                found.append(Problem(node.id, f"is required ({spec.get('label', name)})", name, "missing"))
            continue
        problem = _value_problem(spec, value)
        if problem:
            found.append(Problem(node.id, problem, name))
    credential_spec = definition.get("credential")
    # An option that loads a component keeps that component's settings beside it as <input>Config.
    companions = {f"{name}Config" for name in specs}
    unknown = [
        key
        for key in node.inputs
        if key not in specs and key not in companions and key not in _IGNORED_INPUTS
    ]
    if unknown and not credential_spec:
        known = sorted(specs)
        for key in unknown:
            found.append(
                Problem(node.id, f"{definition['name']} has no such input; its inputs: {known}", key)
            )
    if credential_spec:
        found += _credential_problems(node, credential_spec, credentials, inline=bool(unknown))
    return found


def _value_problem(spec: Mapping[str, Any], value: Any) -> str | None:
    """What is wrong with a non-empty ``value`` for ``spec``, or ``None``."""
    kind = spec["type"]
    if isinstance(value, str) and _TEMPLATE.search(value):
        return None  # a variable: its value is known only when the flow runs
    if kind == "options":
        names = [str(opt.get("name")) for opt in spec.get("options") or [] if isinstance(opt, Mapping)]
        if names and str(value) not in names:
            return f"must be one of {names}, not {value!r}"
    elif kind == "multiOptions":
        names = [str(opt.get("name")) for opt in spec.get("options") or [] if isinstance(opt, Mapping)]
        chosen = _as_list(value)
        if chosen is None:
            return f"must be a list of {names}, not {value!r}"
        wrong = [item for item in chosen if names and str(item) not in names]
        if wrong:
            return f"must be chosen from {names}, not {wrong!r}"
    elif kind == "number":
        if isinstance(value, bool) or not _is_number(value):
            return f"must be a number, not {value!r}"
    elif kind == "boolean":
        if not isinstance(value, bool) and str(value).lower() not in ("true", "false"):
            return f"must be true or false, not {value!r}"
    elif kind == "json" and isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            return "must be JSON"
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, (int, float)):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _as_list(value: Any) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    return None


def _credential_problems(
    node: FlowNode, spec: Mapping[str, Any], credentials: Mapping[str, Credential] | None, *, inline: bool
) -> list[Problem]:
    kinds = [str(name) for name in spec.get("credentialNames") or []]
    chosen = node.credential
    if not chosen:
        if spec.get("optional") or inline:
            return []  # no credential needed, or its fields are typed into the node
        return [Problem(node.id, f"needs a credential of kind {' or '.join(kinds)}", "credential", "missing")]
    if credentials is None:
        return []
    credential = credentials.get(chosen)
    if credential is None:
        return [
            Problem(node.id, f"names credential {chosen!r}, which the server does not have", "credential")
        ]
    if kinds and credential.credential_name not in kinds:
        message = f"needs a credential of kind {' or '.join(kinds)}, not {credential.credential_name!r}"
        return [Problem(node.id, f"{message} ({credential.name!r})", "credential")]
    return []


def _edge_problems(flow: Flow, nodes: Mapping[str, FlowNode], catalogue: Catalogue) -> list[Problem]:
    found: list[Problem] = []
    connected: set[tuple[str, str]] = set()
    for edge in flow.edges:
        source, target = nodes.get(edge.source), nodes.get(edge.target)
        if source is None or target is None:
            missing = edge.source if source is None else edge.target
            found.append(
                Problem(
                    None, f"an edge {edge.source} -> {edge.target} names {missing!r}, which is not a node"
                )
            )
            continue
        anchor = next((a for a in source.output_anchors() if a.get("id") == edge.source_handle), None)
        if anchor is None:
            found.append(Problem(source.id, f"has no output {edge.source_handle!r} (an edge to {target.id})"))
        if flow.kind == "AGENTFLOW":
            continue
        # An edge ends at an input anchor, or at a field that accepts a variable.
        inputs = [*(target.data.get("inputAnchors") or []), *(target.data.get("inputParams") or [])]
        target_anchor = next((a for a in inputs if a.get("id") == edge.target_handle), None)
        if target_anchor is None:
            message = f"has no input {edge.target_handle!r} (an edge from {source.id})"
            found.append(Problem(target.id, message))
            continue
        name = str(target_anchor.get("name"))
        connected.add((target.id, name))
        if anchor is None or target_anchor.get("type") in PARAM_TYPES:
            continue
        out_types = set(anchor_types(anchor.get("type")))
        in_types = set(anchor_types(target_anchor.get("type")))
        if out_types and in_types and not out_types & in_types:
            takes, gives = " | ".join(sorted(in_types)), " | ".join(sorted(out_types))
            found.append(Problem(target.id, f"takes {takes}, but {source.id} gives {gives}", name))
    if flow.kind == "CHATFLOW":
        for node in nodes.values():
            if node.name not in catalogue:
                continue
            for spec in catalogue[node.name].get("inputs") or []:
                if spec["type"] in PARAM_TYPES or spec.get("optional"):
                    continue
                if (node.id, spec["name"]) not in connected:
                    message = f"needs a connection: a {spec['type']}"
                    found.append(Problem(node.id, message, str(spec["name"]), "missing"))
    return found


def _shape_problems(flow: Flow, nodes: Mapping[str, FlowNode]) -> list[Problem]:
    """What the whole graph needs: one start (agentflow) or one ending node (chatflow)."""
    running = [node for node in nodes.values() if node.name not in _NOT_RUN]
    if flow.kind == "AGENTFLOW":
        starts = [node.id for node in running if node.name == "startAgentflow"]
        if len(starts) != 1:
            return [Problem(None, f"needs exactly one Start node (startAgentflow), has {len(starts)}")]
        return []
    sources = {edge.source for edge in flow.edges}
    endings = [node.id for node in running if node.id not in sources]
    if len(endings) != 1:
        return [Problem(None, f"needs exactly one ending node (one nothing else takes from), has {endings}")]
    return []
