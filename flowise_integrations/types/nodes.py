"""Node (component) definitions from ``/nodes`` and the options of ``/node-load-method``.

Definitions are large and vary between node kinds, so only the common fields are declared; every
other field is kept (``model_extra``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ._base import FlowiseModel

__all__ = ["Node", "NodeOption", "NodeOutput", "NodeParam"]


class NodeOption(FlowiseModel):
    """One choice of an ``options`` parameter, or one result of a load method."""

    label: str = ""
    name: str
    description: str | None = None
    image_src: str | None = None


class NodeParam(FlowiseModel):
    """An input parameter (or the credential slot) of a node. ``optional`` is a bool or a
    show/hide condition."""

    label: str = ""
    name: str
    type: str | None = None
    description: str | None = None
    optional: bool | dict[str, Any] | None = None
    default: Any = None
    placeholder: str | None = None
    options: list[NodeOption] | None = None
    load_method: str | None = None
    additional_params: bool | None = None
    accept_variable: bool | None = None
    credential_names: list[str] | None = None


class NodeOutput(FlowiseModel):
    """A named output of a node and the classes it provides."""

    label: str = ""
    name: str
    base_classes: list[str] | None = None
    description: str | None = None


class Node(FlowiseModel):
    """A component definition: what ``flowData`` node data is built from.

    To reuse a definition as node data, dump it with :meth:`to_wire` (only the fields Flowise
    sent), not a plain ``model_dump``, which adds ``None`` for every absent field.
    """

    name: str
    label: str = ""
    version: int | float | None = None
    type: str | None = None
    category: str | None = None
    description: str | None = None
    base_classes: list[str] = Field(default_factory=list)
    tags: list[str] | None = None
    badge: str | None = None
    icon: str | None = None
    file_path: str | None = None
    inputs: list[NodeParam] = Field(default_factory=list)
    outputs: list[NodeOutput] | None = None
    credential: NodeParam | None = None
    documentation: str | None = None
    author: str | None = None
