"""``client.attachments`` against a real Flowise: text extraction for ``file:full`` uploads."""

from __future__ import annotations

import base64
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.testing.flows import ECHO_AGENTFLOW_NODES, echo_agentflow_graph
from flowise_integrations.types import Chatflow
from flowise_integrations.types.attachments import Attachment

FULL_UPLOAD = {"fullFileUpload": {"status": True, "allowedUploadFileTypes": "text/plain"}}
NOTES = b"Attachments are read by Flowise.\nSecond line of the notes."


async def _echo_agentflow(client: AsyncFlowise, chatbot_config: dict[str, Any] | None) -> Chatflow:
    defs = {name: (await client.nodes.get(name)).to_wire() for name in ECHO_AGENTFLOW_NODES}
    graph = echo_agentflow_graph(defs)
    return await client.chatflows.create(
        name=f"attachments-{uuid.uuid4().hex[:8]}",
        flow_data=graph,
        type="AGENTFLOW",
        chatbot_config=chatbot_config,
    )


@pytest.fixture
async def upload_flow(async_flowise_client: AsyncFlowise) -> AsyncIterator[Chatflow]:
    """An agentflow that accepts full uploads of plain-text files."""
    chatflow = await _echo_agentflow(async_flowise_client, FULL_UPLOAD)
    yield chatflow
    await async_flowise_client.chatflows.delete(chatflow.id)


async def test_text_is_extracted(async_flowise_client: AsyncFlowise, upload_flow: Chatflow) -> None:
    attachments = await async_flowise_client.attachments.create(
        upload_flow.id,
        str(uuid.uuid4()),
        [("notes.txt", NOTES), ("other.txt", b"Another file.", "text/plain")],
    )
    assert all(isinstance(item, Attachment) for item in attachments)
    assert [(a.name, a.mime_type, a.size, a.content) for a in attachments] == [
        ("notes.txt", "text/plain", len(NOTES), NOTES.decode()),
        ("other.txt", "text/plain", len(b"Another file."), "Another file."),
    ]


async def test_base64_content(async_flowise_client: AsyncFlowise, upload_flow: Chatflow) -> None:
    (attachment,) = await async_flowise_client.attachments.create(
        upload_flow.id, str(uuid.uuid4()), [("notes.txt", NOTES)], base64=True
    )
    assert attachment.name == "notes.txt"
    assert base64.b64decode(attachment.content) == NOTES


async def test_a_type_not_allowed_is_refused(
    async_flowise_client: AsyncFlowise, upload_flow: Chatflow
) -> None:
    with pytest.raises(InternalServerError) as refused:
        await async_flowise_client.attachments.create(
            upload_flow.id, str(uuid.uuid4()), [("data.json", b'{"a": 1}')]
        )
    assert refused.value.status_code == 500
    assert refused.value.detail == "File type 'application/json' is not allowed. Allowed types: text/plain"


async def test_a_flow_without_full_upload_is_refused(async_flowise_client: AsyncFlowise) -> None:
    chatflow = await _echo_agentflow(async_flowise_client, None)
    try:
        with pytest.raises(InternalServerError) as refused:
            await async_flowise_client.attachments.create(
                chatflow.id, str(uuid.uuid4()), [("notes.txt", NOTES)]
            )
        assert refused.value.detail == "File upload is not enabled for this chatflow"
    finally:
        await async_flowise_client.chatflows.delete(chatflow.id)


async def test_unknown_chatflow(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as missing:
        await async_flowise_client.attachments.create(unknown, str(uuid.uuid4()), [("notes.txt", NOTES)])
    assert missing.value.status_code == 500
    assert unknown in missing.value.message
    with pytest.raises(ValueError, match="not a UUID"):
        await async_flowise_client.attachments.create("not-a-uuid", "chat", [("notes.txt", NOTES)])
