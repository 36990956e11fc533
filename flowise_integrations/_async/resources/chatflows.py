"""``client.chatflows``: chatflows and agentflows, plus their public and per-flow companion routes."""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, overload

from ..._core.pagination import Page
from ..._core.params import check_int, check_str, flag, repeated
from ..._core.request import RequestSpec, path
from ..._exceptions import InternalServerError, NotFoundError
from ..._types import RequestOptions
from ...types._base import encode_json_string
from ...types.chatflows import (
    Chatflow,
    ChatflowType,
    DeleteResult,
    FlowConfigParam,
    ScheduleStatus,
    StreamingStatus,
    UploadConfig,
)
from ._base import AsyncResource

__all__ = ["AsyncChatflows"]

_POSTGRES_EMPTY_IDENTIFIER = "zero-length delimited identifier"
"""PostgreSQL's error for ``""`` in SQL, which Flowise's key-or-unbound chatflow query contains."""

_JSON_STRING_FIELDS = (
    "flowData",
    "chatbotConfig",
    "apiConfig",
    "analytic",
    "speechToText",
    "textToSpeech",
    "followUpPrompts",
)


def _js_iso(value: datetime | str) -> str:
    """A timestamp as JavaScript's ``Date.toISOString()`` spells it (UTC, milliseconds, ``Z``).

    Flowise compares ``has-changed`` timestamps as strings against that spelling, so
    ``datetime.isoformat()`` (``+00:00``, no milliseconds) would always count as changed.
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"last_updated must be a datetime or a string, got {type(value).__name__}")
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _chatflow_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """camelCase body with the JSON-string columns encoded; unset (None) fields are left out."""
    body = {key: value for key, value in fields.items() if value is not None}
    for key in _JSON_STRING_FIELDS:
        if key in body:
            body[key] = encode_json_string(body[key])
    return body


class AsyncChatflows(AsyncResource):
    """``/chatflows``. ``flow_data`` may be a dict (encoded for you) or a JSON string."""

    async def create(
        self,
        *,
        name: str,
        flow_data: Mapping[str, Any] | str,
        type: ChatflowType = "CHATFLOW",
        deployed: bool | None = None,
        is_public: bool | None = None,
        apikeyid: str | None = None,
        chatbot_config: Mapping[str, Any] | str | None = None,
        api_config: Mapping[str, Any] | str | None = None,
        category: str | None = None,
        extra: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Chatflow:
        """``POST /chatflows``. Flowise registers a rate limiter for the flow only on its first update."""
        if not isinstance(name, str) or not name.strip():
            raise ValueError("name must be a non-empty string")
        body = _chatflow_body(
            {
                **(extra or {}),
                "name": name,
                "flowData": flow_data,
                "type": type,
                "deployed": deployed,
                "isPublic": is_public,
                "apikeyid": apikeyid,
                "chatbotConfig": chatbot_config,
                "apiConfig": api_config,
                "category": category,
            }
        )
        capability = "agentflows" if type == "AGENTFLOW" else None
        spec = RequestSpec("POST", "chatflows", json=body, capability=capability)
        return await self._client._request(spec, options, cast=Chatflow)

    @overload
    async def list(
        self,
        *,
        type: ChatflowType | None = None,
        page: None = None,
        limit: None = None,
        options: RequestOptions | None = None,
    ) -> list[Chatflow]: ...
    @overload
    async def list(
        self,
        *,
        type: ChatflowType | None = None,
        page: int,
        limit: int,
        options: RequestOptions | None = None,
    ) -> Page[Chatflow]: ...
    async def list(
        self,
        *,
        type: ChatflowType | None = None,
        page: int | None = None,
        limit: int | None = None,
        options: RequestOptions | None = None,
    ) -> list[Chatflow] | Page[Chatflow]:
        """``GET /chatflows``: every flow of ``type`` (of every type when omitted), or one page."""
        check_str("type", type)
        return await self._list(
            "chatflows", Chatflow, params={"type": type}, page=page, limit=limit, options=options
        )

    def iter_all(
        self, *, type: ChatflowType | None = None, page_size: int = 100, options: RequestOptions | None = None
    ) -> AsyncIterator[Chatflow]:
        """Every flow of ``type``, fetched ``page_size`` at a time: ``async for flow in ...iter_all()``."""
        check_str("type", type)
        return self._iter_all(
            "chatflows", Chatflow, params={"type": type}, page_size=page_size, options=options
        )

    async def get(self, chatflow_id: str, *, options: RequestOptions | None = None) -> Chatflow:
        """``GET /chatflows/{id}``. An id that is not a UUID is a 400, an unknown one a 404."""
        spec = RequestSpec("GET", path("chatflows/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=Chatflow)

    async def update(
        self,
        chatflow_id: str,
        *,
        name: str | None = None,
        flow_data: Mapping[str, Any] | str | None = None,
        type: ChatflowType | None = None,
        deployed: bool | None = None,
        is_public: bool | None = None,
        apikeyid: str | None = None,
        chatbot_config: Mapping[str, Any] | str | None = None,
        api_config: Mapping[str, Any] | str | None = None,
        category: str | None = None,
        extra: Mapping[str, Any] | None = None,
        options: RequestOptions | None = None,
    ) -> Chatflow:
        """``PUT /chatflows/{id}`` with only the given fields. Pass ``apikeyid=""`` to unbind a key.

        Updating also rebuilds the flow's rate limiter from ``api_config``.
        """
        body = _chatflow_body(
            {
                **(extra or {}),
                "name": name,
                "flowData": flow_data,
                "type": type,
                "deployed": deployed,
                "isPublic": is_public,
                "apikeyid": apikeyid,
                "chatbotConfig": chatbot_config,
                "apiConfig": api_config,
                "category": category,
            }
        )
        spec = RequestSpec("PUT", path("chatflows/{id}", id=chatflow_id), json=body)
        return await self._client._request(spec, options, cast=Chatflow)

    async def delete(self, chatflow_id: str, *, options: RequestOptions | None = None) -> DeleteResult:
        """``DELETE /chatflows/{id}``; also deletes its messages, feedback and upsert history."""
        spec = RequestSpec("DELETE", path("chatflows/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=DeleteResult)

    async def list_by_api_key(
        self, api_key: str, *, key_only: bool = False, options: RequestOptions | None = None
    ) -> builtins.list[Chatflow]:
        """``GET /chatflows/apikey/{key}``: flows bound to ``api_key`` (plus its workspace's unbound
        flows unless ``key_only``), by name; an empty list when there are none. An unknown key is a 401.

        On PostgreSQL, Flowise's query for "bound or unbound" is invalid SQL (it compares with
        ``""``, an empty identifier there) and always fails; the same answer is then put together
        from the key's bound flows and the unbound flows this client lists.
        """
        spec = RequestSpec(
            "GET", path("chatflows/apikey/{key}", key=api_key), params={"keyonly": flag("key_only", key_only)}
        )
        try:
            return await self._client._request(spec, options, cast=builtins.list[Chatflow])
        except NotFoundError as exc:
            # Flowise reports an empty result as a wrapped 500 "Chatflow not found in the database!".
            if exc.operation == "chatflowsService.getChatflowByApiKey":
                return []
            raise
        except InternalServerError as exc:
            if key_only or _POSTGRES_EMPTY_IDENTIFIER not in (exc.detail or ""):
                raise
        bound = await self.list_by_api_key(api_key, key_only=True, options=options)
        unbound = [flow for flow in await self.list(options=options) if not flow.apikeyid]
        return sorted(bound + unbound, key=lambda flow: flow.name)

    async def has_changed(
        self, chatflow_id: str, last_updated: datetime | str, *, options: RequestOptions | None = None
    ) -> bool:
        """``GET /chatflows/has-changed/{id}/{lastUpdatedDateTime}``: whether the flow was updated
        since ``last_updated`` (e.g. a fetched flow's ``updated_date``).

        Flowise compares the exact ``toISOString()`` text (``2026-01-01T00:00:00.000Z``); a
        ``datetime`` is spelled that way for you, a string is sent as it is.
        """
        ts = _js_iso(last_updated)
        spec = RequestSpec("GET", path("chatflows/has-changed/{id}/{ts}", id=chatflow_id, ts=ts))
        body = await self._client._request(spec, options)
        return bool(body.get("hasChanged")) if isinstance(body, dict) else bool(body)

    async def get_flow_config(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> builtins.list[FlowConfigParam]:
        """``GET /flow-config/{id}``: the parameters ``override_config`` can target."""
        spec = RequestSpec("GET", path("flow-config/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=builtins.list[FlowConfigParam])

    async def get_streaming_status(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> StreamingStatus:
        """``GET /chatflows-streaming/{id}``: whether predictions on the flow can stream."""
        spec = RequestSpec("GET", path("chatflows-streaming/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=StreamingStatus)

    async def get_upload_config(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> UploadConfig:
        """``GET /chatflows-uploads/{id}``: which uploads the flow accepts."""
        spec = RequestSpec("GET", path("chatflows-uploads/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=UploadConfig)

    async def get_public(self, chatflow_id: str, *, options: RequestOptions | None = None) -> Chatflow:
        """``GET /public-chatflows/{id}``: a public flow, with its flow data sanitised."""
        spec = RequestSpec("GET", path("public-chatflows/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=Chatflow)

    async def get_public_chatbot_config(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> dict[str, Any]:
        """``GET /public-chatbotConfig/{id}``: the embed widget configuration."""
        spec = RequestSpec("GET", path("public-chatbotConfig/{id}", id=chatflow_id))
        return await self._client._request(spec, options, cast=dict[str, Any])

    async def set_webhook_secret(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> dict[str, Any]:
        """``POST /chatflows/{id}/webhook-secret``: generate a webhook signing secret (returned once)."""
        spec = RequestSpec(
            "POST", path("chatflows/{id}/webhook-secret", id=chatflow_id), capability="webhooks"
        )
        return await self._client._request(spec, options, cast=dict[str, Any])

    async def clear_webhook_secret(self, chatflow_id: str, *, options: RequestOptions | None = None) -> None:
        """``DELETE /chatflows/{id}/webhook-secret``."""
        spec = RequestSpec(
            "DELETE",
            path("chatflows/{id}/webhook-secret", id=chatflow_id),
            kind="none",
            capability="webhooks",
        )
        await self._client._request(spec, options)

    async def get_schedule_status(
        self, chatflow_id: str, *, options: RequestOptions | None = None
    ) -> ScheduleStatus:
        """``GET /chatflows/{id}/schedule/status`` (scheduled agentflows)."""
        spec = RequestSpec(
            "GET", path("chatflows/{id}/schedule/status", id=chatflow_id), capability="schedules"
        )
        return await self._client._request(spec, options, cast=ScheduleStatus)

    async def set_schedule_enabled(
        self, chatflow_id: str, enabled: bool, *, options: RequestOptions | None = None
    ) -> dict[str, Any]:
        """``PATCH /chatflows/{id}/schedule/enabled``."""
        if not isinstance(enabled, bool):
            raise TypeError("enabled must be a bool")
        spec = RequestSpec(
            "PATCH",
            path("chatflows/{id}/schedule/enabled", id=chatflow_id),
            json={"enabled": enabled},
            capability="schedules",
        )
        return await self._client._request(spec, options, cast=dict[str, Any])

    async def list_trigger_logs(
        self,
        chatflow_id: str,
        *,
        page: int | None = None,
        limit: int | None = None,
        status: str | Sequence[str] | None = None,
        options: RequestOptions | None = None,
    ) -> Any:
        """``GET /chatflows/{id}/schedule/trigger-logs``."""
        check_int("page", page, minimum=1)
        check_int("limit", limit, minimum=1)
        params = {"page": page, "limit": limit, "status": repeated("status", status)}
        route = path("chatflows/{id}/schedule/trigger-logs", id=chatflow_id)
        spec = RequestSpec("GET", route, params=params, capability="schedules")
        return await self._client._request(spec, options)

    async def delete_trigger_logs(
        self, chatflow_id: str, log_ids: Sequence[str], *, options: RequestOptions | None = None
    ) -> Any:
        """``DELETE /chatflows/{id}/schedule/trigger-logs`` for the given log ids."""
        if isinstance(log_ids, str) or not all(isinstance(i, str) for i in log_ids):
            raise TypeError("log_ids must be a list of strings")
        spec = RequestSpec(
            "DELETE",
            path("chatflows/{id}/schedule/trigger-logs", id=chatflow_id),
            json={"logIds": list(log_ids)},
            capability="schedules",
        )
        return await self._client._request(spec, options)
