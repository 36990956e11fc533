"""``client.marketplace``: the built-in flow and tool templates, and the workspace's custom ones."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..._core.params import check_mapping, check_str, compact
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chatflows import DeleteResult
from ...types.marketplace import CustomTemplate, MarketplaceTemplate
from ._base import AsyncResource

__all__ = ["AsyncMarketplace"]


class AsyncMarketplace(AsyncResource):
    """``/marketplaces``. Keys need the ``templates:*`` permission named on each method."""

    async def list_templates(self, *, options: RequestOptions | None = None) -> list[MarketplaceTemplate]:
        """``GET /marketplaces/templates`` (``templates:marketplace``): every built-in template with
        its full flow data (a large response). Template ids are new on every call."""
        spec = RequestSpec("GET", "marketplaces/templates")
        return await self._client._request(spec, options, cast=list[MarketplaceTemplate])

    async def list_custom_templates(self, *, options: RequestOptions | None = None) -> list[CustomTemplate]:
        """``GET /marketplaces/custom`` (``templates:custom``): the workspace's templates, plus those
        shared with it (``shared=True``)."""
        spec = RequestSpec("GET", "marketplaces/custom")
        return await self._client._request(spec, options, cast=list[CustomTemplate])

    async def save_custom_template(
        self,
        *,
        name: str,
        chatflow_id: str | None = None,
        tool: Mapping[str, Any] | None = None,
        description: str | None = None,
        badge: str | None = None,
        usecases: Sequence[str] | None = None,
        type: str | None = None,
        options: RequestOptions | None = None,
    ) -> CustomTemplate:
        """``POST /marketplaces/custom`` (``templates:flowexport`` or ``templates:toolexport``): save a
        flow (``chatflow_id``; credentials are stripped from its export) or a tool (``tool`` =
        ``{"iconSrc", "schema", "func"}``) as a template. Exactly one of the two is required."""
        check_str("name", name, required=True)
        for field, value in (
            ("chatflow_id", chatflow_id),
            ("description", description),
            ("badge", badge),
            ("type", type),
        ):
            check_str(field, value)
        check_mapping("tool", tool)
        if (chatflow_id is None) == (tool is None):
            raise ValueError("give exactly one of chatflow_id and tool")
        if usecases is not None and (
            isinstance(usecases, str) or not all(isinstance(u, str) for u in usecases)
        ):
            raise TypeError("usecases must be a list of strings")
        body = compact(
            {
                "name": name,
                "chatflowId": chatflow_id,
                "tool": dict(tool) if tool is not None else None,
                "description": description,
                "badge": badge,
                "usecases": list(usecases) if usecases is not None else None,
                "type": type,
            }
        )
        spec = RequestSpec("POST", "marketplaces/custom", json=body)
        return await self._client._request(spec, options, cast=CustomTemplate)

    async def delete_custom_template(
        self, template_id: str, *, options: RequestOptions | None = None
    ) -> DeleteResult:
        """``DELETE /marketplaces/custom/{id}`` (``templates:custom-delete``); ``affected`` is 0 for an
        unknown id or another workspace's template."""
        spec = RequestSpec("DELETE", path("marketplaces/custom/{id}", id=template_id))
        return await self._client._request(spec, options, cast=DeleteResult)
