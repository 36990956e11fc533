from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.types.attachments import Attachment
from tests.unit.mock_flowise import MockFlowise
from tests.unit.multipart import parse_form

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
CHAT_ID = "chat-1"
ROUTE = f"attachments/{FLOW_ID}/{CHAT_ID}"


def wrapped_500(detail: str) -> dict[str, object]:
    return {
        "statusCode": 500,
        "success": False,
        "message": f"Error: attachmentService.createAttachment - {detail}",
    }


async def test_create_uploads_files_and_parses_attachments(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST",
        ROUTE,
        [
            {"name": "notes.txt", "mimeType": "text/plain", "size": 12, "content": "hello there\n"},
            {"name": "table.csv", "mimeType": "text/csv", "size": 8, "content": "q: 1\na: 2"},
        ],
    )
    attachments = await client.attachments.create(
        FLOW_ID, CHAT_ID, [("notes.txt", b"hello there\n"), ("table.csv", b"q,a\n1,2\n")]
    )
    request = server.last
    assert request.url.raw_path == f"/api/v1/{ROUTE}".encode()
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b"Content-Type: text/plain" in request.content
    form = parse_form(request)
    assert form.fields == {}
    assert [(f.field, f.filename, f.content_type, f.content) for f in form.files] == [
        ("files", "notes.txt", "text/plain", b"hello there\n"),
        ("files", "table.csv", "text/csv", b"q,a\n1,2\n"),
    ]
    assert all(isinstance(a, Attachment) for a in attachments)
    assert [(a.name, a.mime_type, a.size) for a in attachments] == [
        ("notes.txt", "text/plain", 12),
        ("table.csv", "text/csv", 8),
    ]


async def test_base64_adds_the_form_field(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", ROUTE, [{"name": "a.txt", "mimeType": "text/plain", "size": 1, "content": "eA=="}])
    [attachment] = await client.attachments.create(FLOW_ID, CHAT_ID, [("a.txt", b"x")], base64=True)
    assert parse_form(server.last).fields == {"base64": "true"}
    assert attachment.content == "eA=="


async def test_create_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="UUID"):
        await client.attachments.create("not-a-uuid", CHAT_ID, [("a.txt", b"x")])
    with pytest.raises(ValueError):
        await client.attachments.create(FLOW_ID, CHAT_ID, [])
    with pytest.raises(TypeError):
        await client.attachments.create(FLOW_ID, CHAT_ID, [("a.txt", b"x")], base64="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.attachments.create(FLOW_ID, "..", [("a.txt", b"x")])
    assert server.calls == []


async def test_create_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", ROUTE, wrapped_500("File upload is not enabled for this chatflow"), 500)
    with pytest.raises(InternalServerError, match="not enabled"):
        await client.attachments.create(FLOW_ID, CHAT_ID, [("a.txt", b"x")])
    server.json("POST", ROUTE, wrapped_500(f"Chatflow {FLOW_ID} not found"), 500)
    with pytest.raises(NotFoundError):
        await client.attachments.create(FLOW_ID, CHAT_ID, [("a.txt", b"x")])
