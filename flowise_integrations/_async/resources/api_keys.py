"""``client.api_keys``: the workspace's API keys and their permissions.

Flowise answers creates and updates with the whole key list, in plaintext, on every call; the
models keep the key and secret as ``SecretStr`` so they stay out of reprs and logs.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timezone
from typing import overload

from ..._core.pagination import Page
from ..._core.params import non_empty, string_list
from ..._core.request import RequestSpec, path
from ..._exceptions import APIError
from ..._types import RequestOptions
from ...types.api_keys import ApiKey
from ...types.chatflows import DeleteResult
from ._base import AsyncResource

__all__ = ["AsyncApiKeys"]

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)


def _key_body(name: str, permissions: Sequence[str]) -> dict[str, object]:
    permissions = string_list("permissions", permissions)
    if not permissions:
        raise ValueError("permissions must list at least one permission, e.g. 'chatflows:view'")
    return {"keyName": non_empty("name", name), "permissions": permissions}


def _updated(key: ApiKey) -> datetime:
    updated = key.updated_date
    if updated is None:
        return _OLDEST
    return updated if updated.tzinfo else updated.replace(tzinfo=timezone.utc)


def _pick(
    keys: list[ApiKey], description: str, *, name: str | None = None, key_id: str | None = None
) -> ApiKey:
    """The key with ``key_id`` or named ``name`` in a key list; the most recently updated wins."""
    matches = [key for key in keys if key.id == key_id or key.key_name == name]
    if not matches:
        raise APIError(f"Flowise's answer does not list the {description}", body=keys)
    return max(matches, key=_updated)


class AsyncApiKeys(AsyncResource):
    """``/apikey``. Permission strings look like ``"chatflows:view"``; ``workspace:*`` and
    ``admin:*`` are refused (400), and a key can only grant permissions its creator holds.

    Flowise 2.x keys have no permissions (each opens every route), so there ``create`` and
    ``update`` raise :class:`~flowise_integrations.UnsupportedFeatureError` rather than make a key
    more powerful than asked; listing, verifying and deleting work on every version."""

    async def create(
        self, *, name: str, permissions: Sequence[str], options: RequestOptions | None = None
    ) -> ApiKey:
        """``POST /apikey``: create a key and return it (``api_key.get_secret_value()`` is the key).

        Flowise answers with the whole key list; the created key is the one named ``name``. Names
        need not be unique, and when several keys share it the most recently updated one is
        returned, which is the new key unless another with that name changed at the same moment.
        """
        spec = RequestSpec("POST", "apikey", json=_key_body(name, permissions), capability="workspaces")
        keys = await self._client._request(spec, options, cast=builtins.list[ApiKey])
        return _pick(keys, f"created key {name!r}", name=name)

    @overload
    async def list(
        self, *, page: None = None, limit: None = None, options: RequestOptions | None = None
    ) -> list[ApiKey]: ...
    @overload
    async def list(self, *, page: int, limit: int, options: RequestOptions | None = None) -> Page[ApiKey]: ...
    async def list(
        self, *, page: int | None = None, limit: int | None = None, options: RequestOptions | None = None
    ) -> list[ApiKey] | Page[ApiKey]:
        """``GET /apikey``: every key, most recently updated first, or one page.

        A page's ``total`` is the length of that page (a Flowise bug), not the number of keys.
        Keys whose permissions exceed the caller's are not listed.
        """
        return await self._list("apikey", ApiKey, page=page, limit=limit, options=options)

    def iter_all(
        self, *, page_size: int = 100, options: RequestOptions | None = None
    ) -> AsyncIterator[ApiKey]:
        """Every key, fetched ``page_size`` at a time (stops at a short page, not at ``total``)."""
        return self._iter_all("apikey", ApiKey, params=None, page_size=page_size, options=options)

    async def update(
        self,
        key_id: str,
        *,
        name: str,
        permissions: Sequence[str],
        options: RequestOptions | None = None,
    ) -> ApiKey:
        """``PUT /apikey/{id}``: rename the key and replace its permissions (both required)."""
        body = _key_body(name, permissions)
        spec = RequestSpec("PUT", path("apikey/{id}", id=key_id), json=body, capability="workspaces")
        keys = await self._client._request(spec, options, cast=builtins.list[ApiKey])
        return _pick(keys, f"updated key {key_id!r}", key_id=key_id)

    async def delete(self, key_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /apikey/{id}``. Flows bound to the key keep its id and then refuse every
        prediction until unbound (``chatflows.update(flow_id, apikeyid="")``)."""
        spec = RequestSpec("DELETE", path("apikey/{id}", id=key_id))
        return await self._client._request(spec, options, cast=DeleteResult)

    async def verify(self, api_key: str, *, options: RequestOptions | None = None) -> bool:
        """``GET /verify/apikey/{key}``: True when the key exists (public route).

        An unknown key raises ``AuthenticationError`` (401) rather than returning False.
        """
        spec = RequestSpec("GET", path("verify/apikey/{key}", key=api_key))
        return await self._client._request(spec, options, cast=str) == "OK"
