"""Building ``flowData`` graphs from the server's own node definitions.

A node in a flow carries a copy of its component definition (``GET /nodes/{name}``) with the
inputs split the way the Flowise editor splits them: primitive parameters in ``inputParams``
(agentflow templates such as ``{{ question }}`` resolve only there), connections in
``inputAnchors``, default values in ``inputs``. Building nodes from the live definitions keeps
flows valid across Flowise versions.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

__all__ = ["edge", "flow", "node", "ref"]

# Parameter types the editor shows as fields; every other input type is a connection.
_PARAM_TYPES = frozenset(
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
    }
)


def ref(node_id: str) -> str:
    """The input value that wires another node's instance into this one."""
    return f"{{{{{node_id}.data.instance}}}}"


def _output_anchors(definition: Mapping[str, Any], node_id: str) -> list[dict[str, Any]]:
    outputs = definition.get("outputs")
    if outputs:
        options = [
            {
                "id": f"{node_id}-output-{out['name']}-{'|'.join(out.get('baseClasses', []))}",
                "name": out["name"],
                "label": out.get("label", out["name"]),
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
            "type": " | ".join(base),
        }
    ]


def node(
    definition: Mapping[str, Any],
    node_id: str,
    *,
    inputs: Mapping[str, Any] | None = None,
    output: str | None = None,
    position: tuple[float, float] = (0.0, 0.0),
    node_type: str = "customNode",
) -> dict[str, Any]:
    """One flow node from a component definition, with ``inputs`` over the defaults.

    ``inputs`` may also hold fields the definition does not list, such as an inline credential
    field (``openAIApiKey``): Flowise reads credential parameters from the inputs first.

    ``output`` picks a named output of a multi-output component (``"retriever"``,
    ``"EndingNode"``); ``node_type`` is ``"agentFlow"`` for agentflow v2 nodes.
    """
    data: dict[str, Any] = copy.deepcopy(dict(definition))
    params: list[dict[str, Any]] = []
    anchors: list[dict[str, Any]] = []
    values: dict[str, Any] = {}
    for spec in data.pop("inputs", None) or []:
        entry = {**spec, "id": f"{node_id}-input-{spec['name']}-{spec['type']}"}
        (params if spec["type"] in _PARAM_TYPES else anchors).append(entry)
        values[spec["name"]] = spec.get("default", "")
    values.update(inputs or {})
    data.update(
        id=node_id,
        inputParams=params,
        inputAnchors=anchors,
        inputs=values,
        outputAnchors=_output_anchors(definition, node_id),
        outputs={"output": output} if output else {},
    )
    if data.get("credential"):
        data["credential"] = ""
    return {"id": node_id, "type": node_type, "position": {"x": position[0], "y": position[1]}, "data": data}


def edge(source: str, target: str, *, node_type: str = "buttonedge") -> dict[str, Any]:
    """A connection from ``source``'s output to ``target`` (execution needs only the two ids)."""
    return {"id": f"{source}->{target}", "source": source, "target": target, "type": node_type}


def flow(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> dict[str, Any]:
    return {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}
