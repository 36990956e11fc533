"""Credential models (``/credentials``, ``/components-credentials``).

Every credential value is a :class:`~pydantic.SecretStr`, so printing or logging a model never
shows a secret; call ``.get_secret_value()`` to read one.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import Field, SecretStr, field_validator

from .._constants import REDACTED_CREDENTIAL_SENTINEL
from ._base import FlowiseModel

__all__ = [
    "URL_PASSWORD_MASK",
    "Credential",
    "CredentialComponent",
    "CredentialData",
    "CredentialDetail",
    "is_redacted",
]

URL_PASSWORD_MASK = "\u2022" * 6
"""What Flowise puts in place of the password inside a URL-type credential field."""


def is_redacted(value: str | SecretStr) -> bool:
    """True for a value Flowise returned in place of a stored secret: the redaction sentinel, or a
    URL whose password is masked. Sending either back would overwrite the real secret."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    return text == REDACTED_CREDENTIAL_SENTINEL or URL_PASSWORD_MASK in text


class Credential(FlowiseModel):
    """A stored credential. Listings omit ``encrypted_data``; ``shared`` marks one shared with
    this workspace by another."""

    id: str
    name: str
    credential_name: str
    encrypted_data: SecretStr | None = None
    shared: bool | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None


class CredentialData(FlowiseModel):
    """A credential's field values (``plainDataObj``), each a :class:`~pydantic.SecretStr`.

    Flowise replaces password-type values with a sentinel and masks URL passwords; see
    :attr:`redacted_fields`. Non-string values (rare) are kept as their JSON text.
    """

    plain_data: dict[str, SecretStr] = Field(default_factory=dict, alias="plainDataObj")

    @field_validator("plain_data", mode="before")
    @classmethod
    def _stringify(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {
            key: item if isinstance(item, (str, SecretStr)) else json.dumps(item)
            for key, item in value.items()
        }

    @property
    def redacted_fields(self) -> list[str]:
        """Names of the fields whose real value Flowise withheld (sentinel or masked URL)."""
        return [name for name, value in self.plain_data.items() if is_redacted(value)]


class CredentialDetail(Credential, CredentialData):
    """``GET /credentials/{id}``: the credential with its values. Password-type fields hold the
    redaction sentinel, URL passwords are masked, other fields are the stored plaintext."""


class CredentialComponent(FlowiseModel):
    """A credential type (``GET /components-credentials``): its name and the fields it takes."""

    name: str
    label: str | None = None
    version: float | None = None
    description: str | None = None
    inputs: list[dict[str, Any]] = Field(default_factory=list)
