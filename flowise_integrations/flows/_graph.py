"""``Flow``: a chatflow's or agentflow's graph (``flowData``) to build, load, edit and save.

A flow is kept as the JSON Flowise stores, and nodes and edges are views on it, so a flow loaded
from a server and saved again is the same JSON, and what is built here is what the Flowise
editor would have saved: node data copied from the server's component definitions (inputs split
into ``inputParams`` and ``inputAnchors``, anchors with Flowise's ids), edges with their handles.

Chatflow nodes are wired by their inputs (a chat model into a chain's ``model``): the target's
input holds ``{{<source id>.data.instance}}`` and an edge joins the source's output anchor to the
target's input anchor. Agentflow nodes run in the order of their edges; a node with branches (a
condition, a Human Input node) has one output per branch.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from .._exceptions import FlowiseError
from ._catalogue import Catalogue

if TYPE_CHECKING:
    from ..types import Credential

__all__ = ["Flow", "FlowBuildError", "FlowEdge", "FlowKind", "FlowNode"]

FlowKind = Literal["CHATFLOW", "AGENTFLOW"]

# Input types the editor shows as fields; every other input type is a connection (an anchor).
PARAM_TYPES = frozenset(
    {
        "asyncOptions",
        "asyncMultiOptions",
        "options",
        "multiOptions",
        "array",
        "datagrid",
        "string",
        "number",
        "boolean",
        "password",
        "json",
        "code",
        "date",
        "file",
        "folder",
        "tabs",
        "conditionFunction",
        "timePicker",
        "weekDaysPicker",
        "monthDaysPicker",
        "datePicker",
        "credential",
    }
)
_CREDENTIAL_INPUT = "FLOWISE_CREDENTIAL_ID"
_COLUMN_WIDTH = 360.0
_ROW_HEIGHT = 260.0


class FlowBuildError(FlowiseError, ValueError):
    """A flow cannot be built as asked: the message names the node, the input and what it expected."""


def credential_id(credentials: Iterable[Credential], name: str) -> str:
    """The id of the credential called ``name`` among ``credentials`` (``client.credentials.list()``).

    Flows name credentials by id; this finds one by the name it has in Flowise's credential list.
    """
    listed = list(credentials)
    matches = [c.id for c in listed if c.name == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FlowBuildError(f"no credential is named {name!r}; there are: {sorted(c.name for c in listed)}")
    raise FlowBuildError(f"{len(matches)} credentials are named {name!r}: pass one of their ids {matches}")


def ref(node_id: str) -> str:
    """The input value that wires another node's instance into a chatflow node."""
    return f"{{{{{node_id}.data.instance}}}}"


class FlowNode:
    """One node of a flow: a view on its entry in ``flowData`` (edits change the flow)."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        """The node as Flowise stores it."""

    @property
    def id(self) -> str:
        return str(self.raw["id"])

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.raw.setdefault("data", {})
        return data

    @property
    def name(self) -> str:
        """The component's name (``"chatOpenAI"``)."""
        return str(self.data.get("name", ""))

    @property
    def label(self) -> str:
        return str(self.data.get("label", ""))

    @property
    def inputs(self) -> dict[str, Any]:
        """The input values, by input name (edit them in place)."""
        inputs: dict[str, Any] = self.data.setdefault("inputs", {})
        return inputs

    @property
    def credential(self) -> str | None:
        """The id of the credential the node uses, if any."""
        value = self.data.get("credential")
        return str(value) if value else None

    @credential.setter
    def credential(self, credential_id: str | None) -> None:
        self.data["credential"] = credential_id or ""
        if credential_id:
            self.inputs[_CREDENTIAL_INPUT] = credential_id
        else:
            self.inputs.pop(_CREDENTIAL_INPUT, None)

    @property
    def position(self) -> tuple[float, float]:
        position = self.raw.get("position") or {}
        return float(position.get("x", 0)), float(position.get("y", 0))

    @position.setter
    def position(self, value: tuple[float, float]) -> None:
        self.raw["position"] = {"x": value[0], "y": value[1]}
        if "positionAbsolute" in self.raw:
            self.raw["positionAbsolute"] = {"x": value[0], "y": value[1]}

    def output_anchors(self) -> list[dict[str, Any]]:
        """Every output anchor; a chatflow node's output options are listed one by one."""
        anchors: list[dict[str, Any]] = []
        for anchor in self.data.get("outputAnchors") or []:
            anchors.extend(anchor.get("options") or [anchor])
        return anchors

    def input_anchor(self, name: str) -> dict[str, Any] | None:
        return next((a for a in self.data.get("inputAnchors") or [] if a.get("name") == name), None)

    def __getitem__(self, name: str) -> Any:
        return self.inputs[name]

    def __setitem__(self, name: str, value: Any) -> None:
        self.inputs[name] = value

    def __repr__(self) -> str:
        return f"FlowNode({self.id!r}, {self.name!r})"


class FlowEdge:
    """One edge of a flow: a view on its entry in ``flowData``."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    @property
    def id(self) -> str:
        return str(self.raw.get("id", ""))

    @property
    def source(self) -> str:
        return str(self.raw["source"])

    @property
    def target(self) -> str:
        return str(self.raw["target"])

    @property
    def source_handle(self) -> str:
        return str(self.raw.get("sourceHandle") or "")

    @property
    def target_handle(self) -> str:
        return str(self.raw.get("targetHandle") or "")

    def __repr__(self) -> str:
        return f"FlowEdge({self.source!r} -> {self.target!r})"


class Flow:
    """A chatflow or agentflow graph.

    Build one with :meth:`chatflow` or :meth:`agentflow` and :meth:`add`/:meth:`connect`, or load
    one with :meth:`from_flow_data`; :meth:`to_flow_data` gives the ``flowData`` to create or
    update a chatflow with. See :func:`~flowise_integrations.flows.validate` for checking it
    against a server's catalogue before upload.
    """

    def __init__(
        self, flow_data: Mapping[str, Any], *, kind: FlowKind, catalogue: Catalogue | None = None
    ) -> None:
        self._data: dict[str, Any] = copy.deepcopy(dict(flow_data))
        self._data.setdefault("nodes", [])
        self._data.setdefault("edges", [])
        self.kind: FlowKind = kind
        self.catalogue = catalogue
        """The definitions :meth:`add` builds nodes from (and validation checks against)."""

    # ------------------------------------------------------------------------------- creating

    @classmethod
    def chatflow(cls, catalogue: Catalogue) -> Flow:
        """An empty chatflow whose nodes come from ``catalogue``."""
        return cls(
            {"nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}},
            kind="CHATFLOW",
            catalogue=catalogue,
        )

    @classmethod
    def agentflow(cls, catalogue: Catalogue) -> Flow:
        """An empty agentflow (v2) whose nodes come from ``catalogue``."""
        return cls(
            {"nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}},
            kind="AGENTFLOW",
            catalogue=catalogue,
        )

    @classmethod
    def from_flow_data(
        cls,
        flow_data: Mapping[str, Any] | str,
        *,
        kind: FlowKind | None = None,
        catalogue: Catalogue | None = None,
    ) -> Flow:
        """A flow from its ``flowData`` (a mapping or its JSON text); the kind is guessed from its nodes."""
        data = json.loads(flow_data) if isinstance(flow_data, str) else flow_data
        if kind is None:
            agentflow = any((n.get("type") == "agentFlow") for n in data.get("nodes") or [])
            kind = "AGENTFLOW" if agentflow else "CHATFLOW"
        return cls(data, kind=kind, catalogue=catalogue)

    def to_flow_data(self) -> dict[str, Any]:
        """The ``flowData`` to send (a copy: later edits do not change it)."""
        return copy.deepcopy(self._data)

    def to_json(self) -> str:
        """The ``flowData`` as JSON text, as Flowise stores it."""
        return json.dumps(self._data, ensure_ascii=False)

    # -------------------------------------------------------------------------------- reading

    @property
    def nodes(self) -> list[FlowNode]:
        return [FlowNode(raw) for raw in self._data["nodes"]]

    @property
    def edges(self) -> list[FlowEdge]:
        return [FlowEdge(raw) for raw in self._data["edges"]]

    def node(self, node_id: str) -> FlowNode:
        for raw in self._data["nodes"]:
            if raw.get("id") == node_id:
                return FlowNode(raw)
        raise FlowBuildError(f"the flow has no node {node_id!r}")

    def __iter__(self) -> Iterator[FlowNode]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self._data["nodes"])

    # -------------------------------------------------------------------------------- editing

    def add(
        self,
        name: str,
        *,
        inputs: Mapping[str, Any] | None = None,
        label: str | None = None,
        credential: str | None = None,
        output: str | None = None,
        node_id: str | None = None,
    ) -> FlowNode:
        """Add a node of the component ``name`` with ``inputs`` over its defaults.

        ``credential`` is a credential id (:func:`credential_id` finds one by name); ``output``
        picks a named output of a chatflow component with several (``"retriever"``,
        ``"EndingNode"``). The node gets the next free id (``chatOpenAI_0``, ``chatOpenAI_1``) and a
        place in the layout.
        """
        if self.catalogue is None:
            raise FlowBuildError("this flow has no catalogue to build nodes from: pass catalogue=")
        definition = self.catalogue[name]
        node_id = node_id or self._free_id(name)
        if any(raw.get("id") == node_id for raw in self._data["nodes"]):
            raise FlowBuildError(f"the flow already has a node {node_id!r}")
        raw = _node_from_definition(definition, node_id, agentflow=self.kind == "AGENTFLOW", output=output)
        node = FlowNode(raw)
        if label is not None:
            node.data["label"] = label
        node.inputs.update(inputs or {})
        if credential is not None:
            node.credential = credential
        if self.kind == "AGENTFLOW":
            sync_branches(node)
        self._data["nodes"].append(raw)
        self.layout()
        return node

    def connect(
        self,
        source: FlowNode | str,
        target: FlowNode | str,
        input: str | None = None,
        *,
        output: str | int | None = None,
    ) -> FlowEdge:
        """Connect ``source`` to ``target``.

        In a chatflow, ``input`` names the target's input the source goes into (found by type when
        only one fits); ``output`` names the source's output when it has several. In an agentflow,
        ``output`` picks a branch of a node that has several, by name (``"proceed"``,
        ``"reject"``) or index (a condition's ``0``, ``1``, ...).
        """
        src = self.node(source if isinstance(source, str) else source.id)
        dst = self.node(target if isinstance(target, str) else target.id)
        if self.kind == "AGENTFLOW":
            raw = self._agentflow_edge(src, dst, output)
        else:
            raw = self._chatflow_edge(src, dst, input, output)
        if any(e.get("id") == raw["id"] for e in self._data["edges"]):
            raise FlowBuildError(f"{src.id} is already connected to {dst.id} that way")
        self._data["edges"].append(raw)
        self.layout()
        return FlowEdge(raw)

    def remove(self, node: FlowNode | str) -> None:
        """Remove a node, its edges, and the references other nodes' inputs hold to it."""
        node_id = node if isinstance(node, str) else node.id
        self.node(node_id)  # raises for an unknown id
        self._data["nodes"] = [raw for raw in self._data["nodes"] if raw.get("id") != node_id]
        self._data["edges"] = [
            raw for raw in self._data["edges"] if node_id not in (raw.get("source"), raw.get("target"))
        ]
        wired = ref(node_id)
        for other in self.nodes:
            for key, value in list(other.inputs.items()):
                if value == wired:
                    other.inputs[key] = ""
                elif isinstance(value, list) and wired in value:
                    other.inputs[key] = [item for item in value if item != wired]

    def layout(self) -> None:
        """Place nodes in columns by their distance from the flow's first nodes, in edge order."""
        ids = [raw["id"] for raw in self._data["nodes"]]
        incoming: dict[str, list[str]] = {node_id: [] for node_id in ids}
        for raw in self._data["edges"]:
            if raw.get("target") in incoming and raw.get("source") in incoming:
                incoming[raw["target"]].append(raw["source"])
        depth: dict[str, int] = {}

        def column(node_id: str, seen: frozenset[str] = frozenset()) -> int:
            if node_id not in depth:
                parents = [p for p in incoming[node_id] if p not in seen]
                depth[node_id] = 1 + max((column(p, seen | {node_id}) for p in parents), default=-1)
            return depth[node_id]

        rows: dict[int, int] = {}
        for node in self.nodes:
            col = column(node.id)
            row = rows.get(col, 0)
            rows[col] = row + 1
            node.position = (col * _COLUMN_WIDTH, row * _ROW_HEIGHT)

    # ------------------------------------------------------------------------------- internals

    def _free_id(self, name: str) -> str:
        taken = {raw.get("id") for raw in self._data["nodes"]}
        n = 0
        while f"{name}_{n}" in taken:
            n += 1
        return f"{name}_{n}"

    def _chatflow_edge(
        self, src: FlowNode, dst: FlowNode, input: str | None, output: str | int | None
    ) -> dict[str, Any]:
        anchors = src.output_anchors()
        if output is not None:
            chosen = [a for a in anchors if a.get("name") == output]
            if not chosen:
                names = [a.get("name") for a in anchors]
                raise FlowBuildError(f"{src.id} has no output {output!r}; its outputs: {names}")
            anchor = chosen[0]
            outputs = src.data.setdefault("outputs", {})
            outputs["output"] = output
        else:
            selected = (src.data.get("outputs") or {}).get("output")
            anchor = next((a for a in anchors if a.get("name") == selected), anchors[0] if anchors else {})
        source_types = set(anchor_types(anchor.get("type")))
        if input is None:
            fitting = [
                a["name"]
                for a in dst.data.get("inputAnchors") or []
                if source_types & set(anchor_types(a.get("type")))
            ]
            if len(fitting) != 1:
                raise FlowBuildError(
                    f"say which input of {dst.id} {src.id} goes into: "
                    + (
                        f"{fitting} all take it"
                        if fitting
                        else "none takes " + " | ".join(sorted(source_types))
                    )
                )
            input = fitting[0]
        target_anchor = dst.input_anchor(input)
        if target_anchor is None:
            names = [a.get("name") for a in dst.data.get("inputAnchors") or []]
            raise FlowBuildError(
                f"{dst.id} has no input {input!r} to connect to; its connectable inputs: {names}"
            )
        if target_anchor.get("list"):
            current = dst.inputs.get(input)
            dst.inputs[input] = [*(current if isinstance(current, list) else []), ref(src.id)]
        else:
            dst.inputs[input] = ref(src.id)
        source_handle, target_handle = str(anchor.get("id", "")), str(target_anchor["id"])
        return {
            "source": src.id,
            "sourceHandle": source_handle,
            "target": dst.id,
            "targetHandle": target_handle,
            "type": "buttonedge",
            "id": f"{src.id}-{source_handle}-{dst.id}-{target_handle}",
            "data": {"label": ""},
        }

    def _agentflow_edge(self, src: FlowNode, dst: FlowNode, output: str | int | None) -> dict[str, Any]:
        anchors = src.data.get("outputAnchors") or []
        if not anchors:
            raise FlowBuildError(f"{src.id} ({src.name}) has no output to connect from")
        branches = _branch_names(self.catalogue, src)
        label: str | None = None
        if output is None:
            if len(anchors) > 1:
                raise FlowBuildError(
                    f"{src.id} has {len(anchors)} branches ({branches}): say which with output="
                )
            anchor = anchors[0]
        else:
            index = (
                output if isinstance(output, int) else (branches.index(output) if output in branches else -1)
            )
            if not 0 <= index < len(anchors):
                raise FlowBuildError(f"{src.id} has no branch {output!r}; its branches: {branches}")
            anchor = anchors[index]
            label = branches[index] if index < len(branches) else str(index)
        source_handle = str(anchor["id"])
        data: dict[str, Any] = {
            "sourceColor": src.data.get("color", ""),
            "targetColor": dst.data.get("color", ""),
            "isHumanInput": src.name == "humanInputAgentflow",
        }
        if label is not None:
            data["edgeLabel"] = label
        return {
            "source": src.id,
            "sourceHandle": source_handle,
            "target": dst.id,
            "targetHandle": dst.id,
            "data": data,
            "type": "agentFlow",
            "id": f"{src.id}-{source_handle}-{dst.id}-{dst.id}",
        }


def anchor_types(value: Any) -> list[str]:
    """``"BaseChatModel | Runnable"`` → ``["BaseChatModel", "Runnable"]``."""
    return [part.strip() for part in str(value or "").split("|") if part.strip()]


# Agentflow nodes whose branches are set by an input: one per condition (and the else), one per scenario.
_BRANCHING_INPUTS = {
    "conditionAgentflow": ("conditions", 1),
    "conditionAgentAgentflow": ("conditionAgentScenarios", 0),
}


def sync_branches(node: FlowNode) -> None:
    """Give a condition node one output anchor per branch its inputs define, as the editor does."""
    if node.name not in _BRANCHING_INPUTS:
        return
    key, extra = _BRANCHING_INPUTS[node.name]
    branches = node.inputs.get(key)
    if not isinstance(branches, list):
        return
    node.data["outputAnchors"] = [
        {"id": f"{node.id}-output-{i}", "label": node.label or node.name, "name": node.name}
        for i in range(len(branches) + extra)
    ]


def _branch_names(catalogue: Catalogue | None, node: FlowNode) -> list[str]:
    """The names of an agentflow node's outputs (``["proceed", "reject"]``); by index for conditions."""
    count = len(node.data.get("outputAnchors") or [])
    if node.name in _BRANCHING_INPUTS or catalogue is None or node.name not in catalogue:
        return [str(i) for i in range(count)]
    return [str(out.get("name")) for out in catalogue[node.name].get("outputs") or []]


def _node_from_definition(
    definition: Mapping[str, Any], node_id: str, *, agentflow: bool, output: str | None
) -> dict[str, Any]:
    """A node as the editor creates it from a component definition, defaults filled in."""
    data: dict[str, Any] = copy.deepcopy(dict(definition))
    data.pop("filePath", None)
    specs: Sequence[Mapping[str, Any]] = data.pop("inputs", None) or []
    credential = data.pop("credential", None)
    params: list[dict[str, Any]] = []
    anchors: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    if credential:
        params.append({**credential, "id": f"{node_id}-input-credential-credential"})
    for spec in specs:
        entry = {**spec, "id": f"{node_id}-input-{spec['name']}-{spec['type']}"}
        (params if agentflow or spec["type"] in PARAM_TYPES else anchors).append(entry)
        values[spec["name"]] = spec.get("default", "")
    data.update(
        id=node_id,
        inputParams=params,
        inputAnchors=anchors,
        inputs=values,
        outputAnchors=_agentflow_outputs(definition, node_id)
        if agentflow
        else _chatflow_outputs(definition, node_id),
        outputs=_selected_output(definition, output, agentflow=agentflow),
        selected=False,
    )
    if credential:
        data["credential"] = ""
    return {
        "id": node_id,
        "position": {"x": 0, "y": 0},
        "type": "agentFlow" if agentflow else "customNode",
        "data": data,
    }


def _chatflow_outputs(definition: Mapping[str, Any], node_id: str) -> list[dict[str, Any]]:
    outputs = definition.get("outputs")
    if outputs:
        options = [
            {
                "id": f"{node_id}-output-{out['name']}-{'|'.join(out.get('baseClasses', []))}",
                "name": out["name"],
                "label": out.get("label", out["name"]),
                "description": out.get("description", ""),
                "type": " | ".join(out.get("baseClasses", [])),
            }
            for out in outputs
        ]
        return [
            {
                "name": "output",
                "label": "Output",
                "type": "options",
                "options": options,
                "default": options[0]["name"],
            }
        ]
    base = definition.get("baseClasses", [])
    return [
        {
            "id": f"{node_id}-output-{definition['name']}-{'|'.join(base)}",
            "name": definition["name"],
            "label": definition.get("label", definition["name"]),
            "description": definition.get("description", ""),
            "type": " | ".join(base),
        }
    ]


def _agentflow_outputs(definition: Mapping[str, Any], node_id: str) -> list[dict[str, Any]]:
    name, label = definition["name"], definition.get("label", definition["name"])
    outputs = definition.get("outputs") or []
    if len(outputs) > 1:
        return [{"id": f"{node_id}-output-{i}", "label": label, "name": name} for i in range(len(outputs))]
    if definition.get("hideOutput"):
        return []
    return [{"id": f"{node_id}-output-{name}", "label": label, "name": name}]


def _selected_output(definition: Mapping[str, Any], output: str | None, *, agentflow: bool) -> dict[str, Any]:
    outputs = definition.get("outputs") or []
    if agentflow:
        return {definition["name"]: ""} if len(outputs) > 1 else {}
    if output is not None:
        names = [out.get("name") for out in outputs]
        if output not in names:
            raise FlowBuildError(f"{definition['name']} has no output {output!r}; its outputs: {names}")
        return {"output": output}
    return {"output": outputs[0]["name"]} if outputs else {}
