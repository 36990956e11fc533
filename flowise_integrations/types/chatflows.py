"""Chatflow models (``/chatflows``, ``/flow-config``, ``/chatflows-uploads``, ``/chatflows-streaming``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from ._base import FlowDataModel, FlowiseModel, JsonString

__all__ = [
    "Chatflow",
    "ChatflowType",
    "DeleteResult",
    "FlowConfigParam",
    "ScheduleStatus",
    "StreamingStatus",
    "UploadConfig",
]

ChatflowType = Literal["CHATFLOW", "AGENTFLOW", "MULTIAGENT", "ASSISTANT"]


class Chatflow(FlowDataModel):
    """A chatflow or agentflow. ``chatbot_config``, ``api_config`` and the other JSON-string
    columns are decoded when the model is built, and re-encoded when sent back.

    The graph is ``flow_data`` (a dict, decoded when first read) and ``flow_data_json`` (the
    JSON text Flowise sent); a list of flows is validated without decoding any graph.
    """

    id: str
    name: str
    type: str | None = None
    deployed: bool | None = None
    is_public: bool | None = None
    apikeyid: str | None = None
    chatbot_config: JsonString[dict[str, Any]] | None = None
    api_config: JsonString[dict[str, Any]] | None = None
    analytic: JsonString[Any] | None = None
    speech_to_text: JsonString[Any] | None = None
    text_to_speech: JsonString[Any] | None = None
    follow_up_prompts: JsonString[Any] | None = None
    category: str | None = None
    mcp_server_config: JsonString[Any] | None = None
    webhook_secret_configured: bool | None = None
    workspace_id: str | None = None
    created_date: datetime | None = None
    updated_date: datetime | None = None


class DeleteResult(FlowiseModel):
    """TypeORM's delete result, ``{raw, affected}``."""

    raw: Any = None
    affected: int | None = None


class FlowConfigParam(FlowiseModel):
    """A parameter ``override_config`` can set (``GET /flow-config/{id}``)."""

    node: str | None = None
    node_id: str | None = None
    label: str | None = None
    name: str | None = None
    type: str | None = None


class StreamingStatus(FlowiseModel):
    """``GET /chatflows-streaming/{id}``: whether ``streaming: true`` gets an event stream."""

    is_streaming: bool = False


class UploadConfig(FlowiseModel):
    """``GET /chatflows-uploads/{id}``: which uploads the chatflow accepts."""

    is_speech_to_text_enabled: bool = False
    is_image_upload_allowed: bool = False
    is_rag_file_upload_allowed: bool = Field(default=False, alias="isRAGFileUploadAllowed")
    img_upload_size_and_types: list[dict[str, Any]] = Field(default_factory=list)
    file_upload_size_and_types: list[dict[str, Any]] = Field(default_factory=list)


class ScheduleStatus(FlowiseModel):
    """``GET /chatflows/{id}/schedule/status`` for scheduled agentflows."""

    enabled: bool = False
    can_enable: bool | None = None
    reason: str | None = None
    record: dict[str, Any] | None = None
