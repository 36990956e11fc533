"""Attachments: the multipart upload, and the text (or base64) Flowise extracts from each file."""

from __future__ import annotations

import base64

import pytest

from flowise_integrations import APIStatusError, AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.types.attachments import Attachment
from tests.unit.mock_flowise import MockFlowise
from tests.unit.multipart import parse_form
from tests.unit.recorded import recorded

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
CHAT_ID = "chat-1"
ROUTE = f"attachments/{FLOW_ID}/{CHAT_ID}"
NOTES = b"Attachments are read by Flowise.\nSecond line of the notes."


async def test_create_uploads_files_and_parses_attachments(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("attachments/create"))
    attachments = await client.attachments.create(
        FLOW_ID, CHAT_ID, [("notes.txt", NOTES), ("table.csv", b"q,a\n1,2\n")]
    )
    request = server.last
    assert request.url.raw_path == f"/api/v1/{ROUTE}".encode()
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b"Content-Type: text/plain" in request.content
    form = parse_form(request)
    assert form.fields == {}
    assert [(f.field, f.filename, f.content_type, f.content) for f in form.files] == [
        ("files", "notes.txt", "text/plain", NOTES),
        ("files", "table.csv", "text/csv", b"q,a\n1,2\n"),
    ]
    assert all(isinstance(a, Attachment) for a in attachments)
    assert [(a.name, a.mime_type, a.size, a.content) for a in attachments] == [
        ("notes.txt", "text/plain", len(NOTES), NOTES.decode())
    ]


async def test_base64_adds_the_form_field(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("attachments/create_base64"))
    [attachment] = await client.attachments.create(FLOW_ID, CHAT_ID, [("notes.txt", NOTES)], base64=True)
    assert parse_form(server.last).fields == {"base64": "true"}
    assert base64.b64decode(attachment.content) == NOTES


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


@pytest.mark.parametrize(
    ("fixture", "error", "message"),
    [
        (
            "attachments/upload_not_enabled",
            InternalServerError,
            "File upload is not enabled for this chatflow",
        ),
        ("attachments/type_not_allowed", InternalServerError, "File type 'application/json' is not allowed"),
        ("attachments/chatflow_not_found", NotFoundError, "not found"),
    ],
)
async def test_create_errors(
    client: AsyncFlowise, server: MockFlowise, fixture: str, error: type[APIStatusError], message: str
) -> None:
    server.add("POST", ROUTE, recorded(fixture))
    with pytest.raises(error, match=message) as info:
        await client.attachments.create(FLOW_ID, CHAT_ID, [("a.txt", b"x")])
    assert info.value.status_code == 500
