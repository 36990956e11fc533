"""``client.variables``: workspace variables that flows read as ``$vars.<name>``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, get_args, overload

from ..._core.pagination import Page
from ..._core.params import compact, non_empty
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chatflows import DeleteResult
from ...types.variables import Variable, VariableType
from ._base import AsyncResource

__all__ = ["AsyncVariables"]


def _variable_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """camelCase body with the fields checked; unset (None) fields are left out."""
    body = compact(fields)
    if "name" in body:
        non_empty("name", body["name"])
    if "value" in body and not isinstance(body["value"], str):
        raise TypeError(f"value must be a string, got {type(body['value']).__name__}")
    if "type" in body and body["type"] not in get_args(VariableType):
        raise ValueError(f"type must be 'static' or 'runtime', got {body['type']!r}")
    return body


class AsyncVariables(AsyncResource):
    """``/variables``. Flowise has no route to read one variable: use :meth:`get_by_name` or ``list``."""

    async def create(
        self,
        *,
        name: str,
        value: str,
        type: VariableType = "static",
        options: RequestOptions | None = None,
    ) -> Variable:
        """``POST /variables``. ``type`` is always sent: without it the row gets the column default,
        the non-standard type ``"string"``. A ``runtime`` variable ignores ``value`` and reads the
        server's environment variable ``name`` when a flow runs (refused on Flowise Cloud)."""
        body = _variable_body({"name": name, "value": value, "type": type})
        return await self._client._request(
            RequestSpec("POST", "variables", json=body), options, cast=Variable
        )

    @overload
    async def list(
        self, *, page: None = None, limit: None = None, options: RequestOptions | None = None
    ) -> list[Variable]: ...
    @overload
    async def list(
        self, *, page: int, limit: int, options: RequestOptions | None = None
    ) -> Page[Variable]: ...
    async def list(
        self, *, page: int | None = None, limit: int | None = None, options: RequestOptions | None = None
    ) -> list[Variable] | Page[Variable]:
        """``GET /variables``: every variable of the workspace, most recently updated first, or one page."""
        return await self._list("variables", Variable, page=page, limit=limit, options=options)

    def iter_all(
        self, *, page_size: int = 100, options: RequestOptions | None = None
    ) -> AsyncIterator[Variable]:
        """Every variable, fetched ``page_size`` at a time."""
        return self._iter_all("variables", Variable, params=None, page_size=page_size, options=options)

    async def get_by_name(self, name: str, *, options: RequestOptions | None = None) -> Variable | None:
        """The variable called ``name`` (the most recently updated one, as names need not be
        unique), or None. Lists every variable: Flowise has no lookup route."""
        non_empty("name", name)
        variables = await self.list(options=options)
        return next((variable for variable in variables if variable.name == name), None)

    async def update(
        self,
        variable_id: str,
        *,
        name: str | None = None,
        value: str | None = None,
        type: VariableType | None = None,
        options: RequestOptions | None = None,
    ) -> Variable:
        """``PUT /variables/{id}`` with only the given fields. An unknown id is a 404."""
        body = _variable_body({"name": name, "value": value, "type": type})
        if not body:
            raise ValueError("nothing to update: give name, value or type")
        spec = RequestSpec("PUT", path("variables/{id}", id=variable_id), json=body)
        return await self._client._request(spec, options, cast=Variable)

    async def delete(self, variable_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /variables/{id}``. An unknown id is not an error: ``affected`` is 0."""
        spec = RequestSpec("DELETE", path("variables/{id}", id=variable_id))
        return await self._client._request(spec, options, cast=DeleteResult)
