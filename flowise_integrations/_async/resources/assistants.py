"""``client.assistants``: custom assistants and OpenAI/Azure assistants, plus the components the
assistant builder offers (chat models, document stores, tools)."""

from __future__ import annotations

import builtins
import json
import uuid
from collections.abc import Mapping
from typing import Any

from ..._core.params import check_str, compact, flag, non_empty
from ..._core.request import RequestSpec, path
from ..._types import RequestOptions
from ...types._base import encode_json_string
from ...types.assistants import Assistant, AssistantDocumentStore, AssistantType
from ...types.chatflows import DeleteResult
from ...types.nodes import Node
from ._base import AsyncResource

__all__ = ["AsyncAssistants"]


def _details(details: Mapping[str, Any] | str) -> str:
    """``details`` as the JSON-object string Flowise parses (it answers 500 for anything else)."""
    decoded = json.loads(details) if isinstance(details, str) else details
    if not isinstance(decoded, Mapping):
        raise TypeError("details must be a mapping or a JSON object string")
    return str(encode_json_string(dict(decoded)))


class AsyncAssistants(AsyncResource):
    """``/assistants``. ``details`` may be a dict (encoded for you) or a JSON string."""

    async def create(
        self,
        *,
        details: Mapping[str, Any] | str,
        credential: str | None = None,
        type: AssistantType = "CUSTOM",
        icon_src: str | None = None,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """``POST /assistants``.

        For ``CUSTOM`` assistants ``credential`` is only an identifier (a UUID, generated when
        omitted) and ``details`` needs at least ``{"name": ...}``. For ``OPENAI``/``AZURE`` it must
        be the id of a stored ``openAIApi`` credential: Flowise then creates (or, when ``details``
        has an ``id``, updates) the assistant on OpenAI.
        """
        if credential is None:
            if type != "CUSTOM":
                raise ValueError(f"{type} assistants need the id of a stored OpenAI credential")
            credential = str(uuid.uuid4())
        body = {
            "details": _details(details),
            "credential": non_empty("credential", credential),
            "type": type,
            "iconSrc": icon_src,
        }
        spec = RequestSpec("POST", "assistants", json=compact(body))
        return await self._client._request(spec, options, cast=Assistant)

    async def list(
        self, *, type: AssistantType | None = None, options: RequestOptions | None = None
    ) -> builtins.list[Assistant]:
        """``GET /assistants``: every assistant of the workspace, or those of one ``type``."""
        check_str("type", type)
        spec = RequestSpec("GET", "assistants", params={"type": type})
        return await self._client._request(spec, options, cast=builtins.list[Assistant])

    async def get(self, assistant_id: str, *, options: RequestOptions | None = None) -> Assistant:
        """``GET /assistants/{id}``. An unknown id is a wrapped 500 (raised as ``NotFoundError``)."""
        spec = RequestSpec("GET", path("assistants/{id}", id=assistant_id))
        return await self._client._request(spec, options, cast=Assistant)

    async def update(
        self,
        assistant_id: str,
        *,
        details: Mapping[str, Any] | str | None = None,
        credential: str | None = None,
        icon_src: str | None = None,
        options: RequestOptions | None = None,
    ) -> Assistant:
        """``PUT /assistants/{id}`` with only the given fields; ``details`` replaces the whole object.

        A ``CUSTOM`` assistant's ``details`` must keep a ``name``: Flowise refuses it with a 412
        that it re-wraps as a 500 (``InternalServerError``, "Details must include a name field").
        Updating an ``OPENAI``/``AZURE`` assistant needs both ``details`` and ``credential`` and
        also updates it on OpenAI. An unknown id is a wrapped 500 (``NotFoundError``).
        """
        body = compact(
            {
                "details": None if details is None else _details(details),
                "credential": credential,
                "iconSrc": icon_src,
            }
        )
        if not body:
            raise ValueError("nothing to update: give details, credential or icon_src")
        spec = RequestSpec("PUT", path("assistants/{id}", id=assistant_id), json=body)
        return await self._client._request(spec, options, cast=Assistant)

    async def delete(
        self, assistant_id: str, *, delete_both: bool = False, options: RequestOptions | None = None
    ) -> DeleteResult:
        """``DELETE /assistants/{id}``; ``delete_both`` also deletes an OpenAI/Azure assistant on
        OpenAI. The ``ASSISTANT`` chatflow a custom assistant runs on is not deleted. Unlike most
        deletes, an unknown id is an error: a wrapped 500 (``NotFoundError``)."""
        spec = RequestSpec(
            "DELETE",
            path("assistants/{id}", id=assistant_id),
            params={"isDeleteBoth": flag("delete_both", delete_both)},
        )
        return await self._client._request(spec, options, cast=DeleteResult)

    async def list_chat_models(self, *, options: RequestOptions | None = None) -> builtins.list[Node]:
        """``GET /assistants/components/chatmodels``: the chat model node definitions (LlamaIndex
        ones excluded)."""
        spec = RequestSpec("GET", "assistants/components/chatmodels")
        return await self._client._request(spec, options, cast=builtins.list[Node])

    async def list_document_stores(
        self, *, options: RequestOptions | None = None
    ) -> builtins.list[AssistantDocumentStore]:
        """``GET /assistants/components/docstores``: the workspace's upserted document stores."""
        spec = RequestSpec("GET", "assistants/components/docstores")
        return await self._client._request(spec, options, cast=builtins.list[AssistantDocumentStore])

    async def list_tools(self, *, options: RequestOptions | None = None) -> builtins.list[Node]:
        """``GET /assistants/components/tools``: the tool node definitions an assistant can use
        (those whose inputs are all simple types)."""
        spec = RequestSpec("GET", "assistants/components/tools")
        return await self._client._request(spec, options, cast=builtins.list[Node])

    async def generate_instruction(
        self,
        *,
        task: str,
        chat_model: Mapping[str, Any],
        options: RequestOptions | None = None,
    ) -> str:
        """``POST /assistants/generate/instruction``: have ``chat_model`` write a system
        instruction for ``task``. Not idempotent (runs an LLM call).

        ``chat_model`` is a chat model node as the builder stores it: ``{"name": "chatOpenAI",
        "inputs": {...}, "credential": "<credential id>"}``.
        """
        if not isinstance(chat_model, Mapping) or not chat_model.get("name"):
            raise ValueError(
                "chat_model must be a node mapping with a 'name', e.g. {'name': 'chatOpenAI', ...}"
            )
        body = {"task": non_empty("task", task), "selectedChatModel": dict(chat_model)}
        spec = RequestSpec("POST", "assistants/generate/instruction", json=body)
        result = await self._client._request(spec, options, cast=dict[str, Any])
        return str(result.get("content", ""))
