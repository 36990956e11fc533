"""Parse a recorded multipart request into its form fields and file parts, for assertions."""

from __future__ import annotations

import dataclasses
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP

import httpx


@dataclasses.dataclass(frozen=True)
class FormFile:
    field: str
    filename: str
    content_type: str
    content: bytes


@dataclasses.dataclass(frozen=True)
class Form:
    fields: dict[str, str]
    files: list[FormFile]


def parse_form(request: httpx.Request) -> Form:
    """The form fields and files of a ``multipart/form-data`` request (fails on any other body)."""
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data"), content_type
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.content
    message = BytesParser(policy=HTTP).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    fields: dict[str, str] = {}
    files: list[FormFile] = []
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        filename = part.get_filename()
        if filename is None:
            fields[name] = payload.decode()
        else:
            files.append(FormFile(name, filename, part.get_content_type(), payload))
    return Form(fields, files)
