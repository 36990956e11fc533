"""File inputs for multipart requests, each with an explicit MIME type.

Flowise validates every upload: the filename needs an extension that matches a known MIME type,
and ``application/octet-stream`` is refused. httpx sends exactly that for unknown extensions, so
every file part is given its type here, and unknown types are rejected before any request.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import IO, TypeAlias, Union

__all__ = ["FileInput", "FilePart", "guess_mime", "to_file_part"]

# Types Flowise accepts that Python's table may lack or name differently.
_EXTRA_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".jsonl": "application/jsonl",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".webp": "image/webp",
    ".webm": "audio/webm",
    ".mp3": "audio/mpeg",
    ".yaml": "application/x-yaml",
    ".yml": "application/x-yaml",
}

FilePart: TypeAlias = tuple[str, bytes, str]
"""``(filename, content, mime_type)`` as sent in one multipart ``files`` part."""

FileInput: TypeAlias = Union[
    str,
    "os.PathLike[str]",
    tuple[str, bytes | IO[bytes]],
    tuple[str, bytes | IO[bytes], str],
]
"""A path, ``(filename, content)`` or ``(filename, content, mime_type)``."""


def guess_mime(filename: str) -> str:
    """The MIME type Flowise expects for ``filename``, from its extension."""
    suffix = Path(filename).suffix.lower()
    if not suffix:
        raise ValueError(
            f"file name {filename!r} needs an extension: Flowise checks it against the MIME type"
        )
    mime = _EXTRA_TYPES.get(suffix) or mimetypes.guess_type(filename, strict=False)[0]
    if mime is None or mime == "application/octet-stream":
        raise ValueError(
            f"cannot tell the MIME type of {filename!r}; pass (filename, content, mime_type) explicitly"
        )
    return mime


def _read(content: bytes | IO[bytes]) -> bytes:
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content)
    if hasattr(content, "read"):
        data = content.read()
        if not isinstance(data, bytes):
            raise TypeError("file objects must be opened in binary mode")
        return data
    raise TypeError(f"file content must be bytes or a binary file object, got {type(content).__name__}")


def to_file_part(item: FileInput) -> FilePart:
    """Normalise one file input, reading its content and fixing its MIME type."""
    if isinstance(item, (str, os.PathLike)):
        path = Path(item)
        return path.name, path.read_bytes(), guess_mime(path.name)
    if not isinstance(item, tuple) or len(item) not in (2, 3):
        raise TypeError("a file is a path, (filename, content) or (filename, content, mime_type)")
    name = item[0]
    if not isinstance(name, str) or not name:
        raise TypeError("the file name must be a non-empty string")
    mime = item[2] if len(item) == 3 else guess_mime(name)
    if not isinstance(mime, str) or "/" not in mime:
        raise ValueError(f"invalid MIME type {mime!r} for {name!r}")
    if mime == "application/octet-stream":
        raise ValueError(
            f"Flowise rejects application/octet-stream uploads; give {name!r} its real MIME type"
        )
    return name, _read(item[1]), mime
