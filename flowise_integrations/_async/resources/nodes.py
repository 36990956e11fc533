"""``client.nodes``: component definitions, their dynamic options, and the custom-function sandbox."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..._core.params import check_mapping, check_str, compact
from ..._core.request import RequestSpec, path
from ..._core.response import parse_body
from ..._exceptions import InternalServerError
from ..._types import RequestOptions
from ...types.nodes import Node, NodeOption
from ._base import AsyncResource

__all__ = ["AsyncNodes"]

_QUEUE_FALSY_RESULT = "Failed to execute custom function"
"""What a queue-mode server answers (500) when the function's value is falsy."""

ClientType = Literal["agentflowv2", "agentflowsdk"]
_CLIENT_TYPES = ("agentflowv2", "agentflowsdk")


def _client_params(client_type: ClientType | None) -> dict[str, Any]:
    if client_type is not None and client_type not in _CLIENT_TYPES:
        raise ValueError(f"client_type must be one of {_CLIENT_TYPES}, got {client_type!r}")
    return {"client": client_type}


class AsyncNodes(AsyncResource):
    """``/nodes``, ``/node-load-method`` and ``/node-custom-function``.

    ``client_type`` (``"agentflowv2"`` or ``"agentflowsdk"``) drops the inputs and options that do
    not apply to that client; omitted, definitions are complete.
    """

    async def list(
        self, *, client_type: ClientType | None = None, options: RequestOptions | None = None
    ) -> list[Node]:
        """``GET /nodes``: every installed node definition (a large response)."""
        spec = RequestSpec("GET", "nodes", params=_client_params(client_type))
        return await self._client._request(spec, options, cast=list[Node])

    async def get(
        self, name: str, *, client_type: ClientType | None = None, options: RequestOptions | None = None
    ) -> Node:
        """``GET /nodes/{name}``: one definition, e.g. ``"chatOpenAI"``. An unknown name is a wrapped
        500 "not found" (raised as ``NotFoundError``)."""
        spec = RequestSpec("GET", path("nodes/{name}", name=name), params=_client_params(client_type))
        return await self._client._request(spec, options, cast=Node)

    async def list_by_category(
        self, category: str, *, client_type: ClientType | None = None, options: RequestOptions | None = None
    ) -> builtins.list[Node]:
        """``GET /nodes/category/{name}``: the nodes of a category, e.g. ``"Chat Models"`` (an
        unknown category gives an empty list)."""
        route = path("nodes/category/{name}", name=category)
        spec = RequestSpec("GET", route, params=_client_params(client_type))
        return await self._client._request(spec, options, cast=builtins.list[Node])

    async def load_method(
        self,
        name: str,
        *,
        method_name: str,
        inputs: Mapping[str, Any] | None = None,
        credential: str | None = None,
        previous_nodes: Sequence[Mapping[str, Any]] | None = None,
        current_node: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> builtins.list[NodeOption]:
        """``POST /node-load-method/{name}``: the options a node's ``asyncOptions`` input offers,
        e.g. ``load_method("chatOpenAI", method_name="listModels")``.

        ``method_name`` is the input's ``load_method``; ``inputs`` and ``credential`` (an id) are the
        node data the method reads. Flowise answers ``[]`` when the method fails or does not
        exist. Needs a chatflows, agentflows or documentStores view/create/update permission.
        """
        check_str("method_name", method_name, required=True)
        check_str("credential", credential)
        check_mapping("inputs", inputs)
        check_mapping("current_node", current_node)
        if previous_nodes is not None and (
            isinstance(previous_nodes, (str, Mapping)) or not isinstance(previous_nodes, Sequence)
        ):
            raise TypeError("previous_nodes must be a list of node data dicts")
        body = compact(
            {
                "name": name,
                "loadMethod": method_name,
                "inputs": dict(inputs) if inputs is not None else None,
                "credential": credential,
                "previousNodes": [dict(node) for node in previous_nodes]
                if previous_nodes is not None
                else None,
                "currentNode": dict(current_node) if current_node is not None else None,
            }
        )
        spec = RequestSpec("POST", path("node-load-method/{name}", name=name), json=body, idempotent=True)
        return await self._client._request(spec, options, cast=builtins.list[NodeOption])

    async def execute_custom_function(
        self,
        javascript_function: str,
        variables: Mapping[str, Any] | None = None,
        *,
        options: RequestOptions | None = None,
    ) -> Any:
        """``POST /node-custom-function``: run JavaScript in Flowise's sandbox and return its value.

        Each key of ``variables`` is available as ``$key``; ``$vars.*`` only with a key that has
        ``variables:view``. The return value comes back as JSON (a string result as a ``str``,
        ``None`` when the function returns nothing). The code runs on the server; do not pass
        untrusted code. Not idempotent. Errors: 500 "Error running custom function: ...".
        Needs chatflows or agentflows create/update.

        A queue-mode server runs the function on a worker and reports any falsy value (nothing,
        ``null``, ``0``, ``false``, ``""``) as 500 "Failed to execute custom function"; that answer
        is returned as ``None`` here, so ``0``, ``false`` and ``""`` cannot be told from nothing there.
        """
        check_str("javascript_function", javascript_function, required=True)
        check_mapping("variables", variables)
        body = compact(
            {
                "javascriptFunction": javascript_function,
                "functionInputVariables": dict(variables) if variables is not None else None,
            }
        )
        spec = RequestSpec("POST", "node-custom-function", json=body, idempotent=False)
        # A function that returns nothing gives an empty body, which is not JSON.
        try:
            response = await self._client._send(spec, options, stream=False)
        except InternalServerError as exc:
            if exc.detail == _QUEUE_FALSY_RESULT:
                return None
            raise
        return parse_body(response, "json") if response.content.strip() else None
