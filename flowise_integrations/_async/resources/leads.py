"""``client.leads``: contact details captured by a chatflow's lead form."""

from __future__ import annotations

import builtins

from ..._core.params import compact, non_empty
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.leads import Lead
from ._base import AsyncResource

__all__ = ["AsyncLeads"]


class AsyncLeads(AsyncResource):
    """``/leads``. Creating is public; listing needs a logged-in UI session (see :meth:`list`)."""

    async def create(
        self,
        *,
        chatflow_id: str,
        name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        chat_id: str | None = None,
        options: RequestOptions | None = None,
    ) -> Lead:
        """``POST /leads``: record a lead for the flow; Flowise generates ``chat_id`` when omitted."""
        body = compact(
            {
                "chatflowid": non_empty("chatflow_id", chatflow_id),
                "name": name,
                "email": email,
                "phone": phone,
                "chatId": chat_id,
            }
        )
        return await self._client._request(RequestSpec("POST", "leads", json=body), options, cast=Lead)

    async def list(self, chatflow_id: str, *, options: RequestOptions | None = None) -> builtins.list[Lead]:
        """``GET /leads/{chatflowId}``.

        Flowise 3.1.4 serves this only to a logged-in UI session: with an API key it answers 404
        ``"workspace undefined not found"`` (raised as ``NotFoundError``), because the public
        route never loads the key's workspace.
        """
        spec = RequestSpec("GET", path("leads/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=builtins.list[Lead])
