"""API key models (``/apikey``).

Flowise returns every key in plaintext on every listing (keys are not shown only once), so the
key and its hashed secret are :class:`~pydantic.SecretStr` fields: they never appear in ``repr``,
``str`` or logs. Read the key with ``api_key.get_secret_value()``.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, SecretStr

from ._base import FlowiseModel

__all__ = ["ApiKey", "ApiKeyChatflow"]


class ApiKeyChatflow(FlowiseModel):
    """A chatflow bound to the key (``chatflow.apikeyid``)."""

    flow_name: str | None = None
    category: str | None = None
    updated_date: datetime | None = None


class ApiKey(FlowiseModel):
    """An API key with its permission strings and the chatflows bound to it."""

    id: str
    key_name: str
    api_key: SecretStr
    api_secret: SecretStr | None = None
    permissions: list[str] = Field(default_factory=list)
    chat_flows: list[ApiKeyChatflow] = Field(default_factory=list)
    workspace_id: str | None = None
    updated_date: datetime | None = None
