"""``client.credentials``: stored credentials and the credential types nodes accept.

Flowise never returns password-type values: ``get()`` answers a redaction sentinel in their
place and masks URL passwords. Because an update merges the given values into the stored ones,
sending such a placeholder back would overwrite the real secret; :meth:`AsyncCredentials.update`
drops them, so a dict read with ``get()`` can be edited and passed back safely.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from pydantic import SecretStr

from ..._core.params import non_empty, repeated
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types.chatflows import DeleteResult
from ...types.credentials import (
    Credential,
    CredentialComponent,
    CredentialData,
    CredentialDetail,
    is_redacted,
)
from ._base import AsyncResource

__all__ = ["AsyncCredentials"]

CredentialValues: TypeAlias = Mapping[str, str | SecretStr]


def _plain(name: str, value: object) -> str:
    """A credential value as the string to send; ``SecretStr`` is unwrapped only here."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, str):
        return value
    raise TypeError(f"data[{name!r}] must be a str or SecretStr, got {type(value).__name__}")


def _plain_data(data: CredentialValues) -> dict[str, str]:
    if not isinstance(data, Mapping):
        raise TypeError(f"data must be a mapping of field name to value, got {type(data).__name__}")
    return {non_empty("data key", key): _plain(key, value) for key, value in data.items()}


class AsyncCredentials(AsyncResource):
    """``/credentials``. Values are sent as given and returned as :class:`~pydantic.SecretStr`."""

    async def create(
        self,
        *,
        name: str,
        credential_name: str,
        data: CredentialValues,
        options: RequestOptions | None = None,
    ) -> Credential:
        """``POST /credentials``: store ``data`` for the credential type ``credential_name``
        (e.g. ``"openAIApi"``, see :meth:`list_components`).

        Values read back from ``get()`` that Flowise redacted are refused (``ValueError``): they
        are placeholders, not the secrets.
        """
        values = _plain_data(data)
        redacted = sorted(key for key, value in values.items() if is_redacted(value))
        if redacted:
            raise ValueError(f"data holds redacted placeholders instead of secrets: {redacted}")
        body = {
            "name": non_empty("name", name),
            "credentialName": non_empty("credential_name", credential_name),
            "plainDataObj": values,
        }
        return await self._client._request(
            RequestSpec("POST", "credentials", json=body), options, cast=Credential
        )

    async def list(
        self, *, credential_name: str | Sequence[str] | None = None, options: RequestOptions | None = None
    ) -> builtins.list[Credential]:
        """``GET /credentials``: this workspace's credentials (and those shared with it), without
        their values; ``credential_name`` filters by one or several credential types."""
        params = {"credentialName": repeated("credential_name", credential_name)}
        spec = RequestSpec("GET", "credentials", params=params)
        return await self._client._request(spec, options, cast=builtins.list[Credential])

    async def get(self, credential_id: str, *, options: RequestOptions | None = None) -> CredentialDetail:
        """``GET /credentials/{id}``: the credential with its values; password fields come back as
        a redaction sentinel (see ``redacted_fields``). Needs ``credentials:create`` or ``:update``.
        An unknown id is a wrapped 500 (``NotFoundError``)."""
        spec = RequestSpec("GET", path("credentials/{id}", id=credential_id))
        return await self._client._request(spec, options, cast=CredentialDetail)

    async def reveal(self, credential_id: str, *, options: RequestOptions | None = None) -> CredentialData:
        """``GET /credentials/{id}/reveal``: the values of URL-type fields with their passwords
        unmasked; every other field is the redaction sentinel."""
        spec = RequestSpec(
            "GET", path("credentials/{id}/reveal", id=credential_id), capability="credential_reveal"
        )
        return await self._client._request(spec, options, cast=CredentialData)

    async def update(
        self,
        credential_id: str,
        *,
        name: str | None = None,
        credential_name: str | None = None,
        data: CredentialValues | None = None,
        options: RequestOptions | None = None,
    ) -> Credential:
        """``PUT /credentials/{id}``. Flowise merges ``data`` into the stored values, so give only
        the fields to change. Redacted placeholders (the sentinel, masked URLs) are dropped, never
        sent: passing back a dict from ``get()`` keeps those secrets unchanged."""
        if name is None and credential_name is None and data is None:
            raise ValueError("nothing to update: give name, credential_name or data")
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = non_empty("name", name)
        if credential_name is not None:
            body["credentialName"] = non_empty("credential_name", credential_name)
        if data is not None:
            values = {key: value for key, value in _plain_data(data).items() if not is_redacted(value)}
            if values:
                body["plainDataObj"] = values
        spec = RequestSpec("PUT", path("credentials/{id}", id=credential_id), json=body)
        return await self._client._request(spec, options, cast=Credential)

    async def delete(self, credential_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /credentials/{id}``. An unknown id is not an error: ``affected`` is 0."""
        spec = RequestSpec("DELETE", path("credentials/{id}", id=credential_id))
        return await self._client._request(spec, options, cast=DeleteResult)

    async def list_components(
        self, *, options: RequestOptions | None = None
    ) -> builtins.list[CredentialComponent]:
        """``GET /components-credentials``: every credential type and the fields it takes."""
        spec = RequestSpec("GET", "components-credentials")
        return await self._client._request(spec, options, cast=builtins.list[CredentialComponent])

    async def get_component(self, name: str, *, options: RequestOptions | None = None) -> CredentialComponent:
        """``GET /components-credentials/{name}``. An unknown name is a wrapped 500 (``NotFoundError``)."""
        spec = RequestSpec("GET", path("components-credentials/{name}", name=name))
        return await self._client._request(spec, options, cast=CredentialComponent)
