"""``docstore upsert`` without the terminal: which files to send, with which loader, and the state
file that makes a re-run skip what is already in the store.

A file is skipped when the state file records it (by absolute path) with the same SHA-256 and the
loader it created still exists in the store. Size and modification time are recorded too: while
both are unchanged the recorded hash is trusted and the file is not read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..types.document_stores import ComponentConfig, DocumentStore
from ._common import EXIT_USAGE, CliError

__all__ = [
    "DEFAULT_SPLITTER",
    "LOADERS",
    "LOADER_CONFIGS",
    "Fingerprint",
    "SourceFile",
    "UpsertState",
    "collect_files",
    "default_state_path",
    "fingerprint",
    "store_components",
]

LOADERS: Mapping[str, str] = {
    ".txt": "textFile",
    ".md": "textFile",
    ".html": "textFile",
    ".xml": "textFile",
    ".json": "jsonFile",
    ".csv": "csvFile",
    ".pdf": "pdfFile",
    ".docx": "docxFile",
}
"""The Flowise document loader for each file type the upsert route accepts as an upload."""

LOADER_CONFIGS: Mapping[str, Mapping[str, Any]] = {
    # The CSV loader fails without a column name ("" is every column), and its own metadata
    # ("source": "blob", "line") wins over the metadata passed in unless all of it is dropped.
    "csvFile": {"columnName": "", "omitMetadataKeys": "*"},
    "pdfFile": {"usage": "perPage"},
}
"""Inputs a loader needs besides its file."""

DEFAULT_SPLITTER: Mapping[str, Any] = {
    "name": "recursiveCharacterTextSplitter",
    "config": {"chunkSize": 1000, "chunkOverlap": 200},
}
"""The splitter used when the store has no loader to copy one from and none is given."""

_STATE_VERSION = 1


@dataclass(frozen=True)
class SourceFile:
    """A file to upsert: its absolute path, the ``source`` metadata it gets, and its loader."""

    path: Path
    source: str
    loader: str


def _supported() -> str:
    return " ".join(sorted(LOADERS))


def _walk(folder: Path) -> Iterable[Path]:
    """Every file under ``folder`` in a stable order, skipping hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root, name)


def collect_files(paths: Sequence[Path]) -> tuple[list[SourceFile], int]:
    """The files to upsert from ``paths`` (files, or folders searched recursively) and how many
    files in those folders were left out because Flowise has no loader for their type.

    A file named explicitly must be of a supported type. The ``source`` of a file found in a
    folder is its path relative to that folder; of a file named explicitly, its name.
    """
    found: dict[Path, SourceFile] = {}
    ignored = 0
    for given in paths:
        path = given.expanduser()
        if path.is_dir():
            base = path.absolute()
            for file in _walk(base):
                loader = LOADERS.get(file.suffix.lower())
                if loader is None:
                    ignored += 1
                    continue
                found.setdefault(file, SourceFile(file, file.relative_to(base).as_posix(), loader))
        elif path.is_file():
            loader = LOADERS.get(path.suffix.lower())
            if loader is None:
                kind = f"{path.suffix} files" if path.suffix else "files without an extension"
                raise CliError(f"{given}: Flowise cannot load {kind} (supported: {_supported()})", EXIT_USAGE)
            absolute = path.absolute()
            found.setdefault(absolute, SourceFile(absolute, path.name, loader))
        else:
            raise CliError(f"{given}: no such file or folder", EXIT_USAGE)
    return list(found.values()), ignored


@dataclass(frozen=True)
class Fingerprint:
    size: int
    mtime_ns: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(path: Path, recorded: Mapping[str, Any] | None = None) -> Fingerprint:
    """Size, modification time and SHA-256 of ``path``; the hash is reused from ``recorded`` while
    size and modification time match it."""
    stat = path.stat()
    if (
        recorded is not None
        and recorded.get("size") == stat.st_size
        and recorded.get("mtime_ns") == stat.st_mtime_ns
        and isinstance(recorded.get("sha256"), str)
    ):
        return Fingerprint(stat.st_size, stat.st_mtime_ns, recorded["sha256"])
    return Fingerprint(stat.st_size, stat.st_mtime_ns, _sha256(path))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "flowise-integrations" / "cli"


def default_state_path(store_id: str) -> Path:
    """``<user cache>/flowise-integrations/cli/upsert-<store>.json``."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", store_id)
    return _cache_dir() / f"upsert-{safe}.json"


class UpsertState:
    """The files already upserted into one store, saved after every file."""

    def __init__(self, path: Path, store_id: str, files: dict[str, dict[str, Any]] | None = None) -> None:
        self.path = path
        self.store_id = store_id
        self.files: dict[str, dict[str, Any]] = files or {}

    @classmethod
    def load(cls, path: Path, store_id: str) -> UpsertState:
        """The state at ``path``; empty when there is none yet. A state file of another store, or
        one that is not a state file, is an error rather than something to overwrite."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, store_id)
        except (OSError, ValueError) as exc:
            raise CliError(f"cannot read the state file {path}: {exc}") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("files"), dict):
            raise CliError(f"{path} is not an upsert state file")
        if raw.get("store_id") != store_id:
            raise CliError(f"the state file {path} belongs to document store {raw.get('store_id')}")
        files = {key: value for key, value in raw["files"].items() if isinstance(value, dict)}
        return cls(path, store_id, files)

    def entry(self, file: SourceFile) -> dict[str, Any] | None:
        return self.files.get(str(file.path))

    def is_current(self, file: SourceFile, print_: Fingerprint, loader_ids: set[str]) -> bool:
        """Whether ``file`` is in the store as it is now: same content, and its loader still there."""
        entry = self.entry(file)
        return (
            entry is not None and entry.get("sha256") == print_.sha256 and entry.get("doc_id") in loader_ids
        )

    def record(
        self, file: SourceFile, print_: Fingerprint, *, doc_id: str | None, chunks: int | None
    ) -> None:
        self.files[str(file.path)] = {
            "size": print_.size,
            "mtime_ns": print_.mtime_ns,
            "sha256": print_.sha256,
            "source": file.source,
            "loader": file.loader,
            "doc_id": doc_id,
            "chunks": chunks,
            "upserted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }

    def save(self) -> None:
        """Write the state atomically (a temporary file renamed over the old one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = {"version": _STATE_VERSION, "store_id": self.store_id, "files": self.files}
        handle, temporary = tempfile.mkstemp(prefix=".upsert-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(body, stream, indent=2)
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _as_dict(component: ComponentConfig | None) -> dict[str, Any] | None:
    return component.as_body() if component is not None else None


def store_components(
    store: DocumentStore,
    *,
    splitter: Mapping[str, Any] | None = None,
    embedding: Mapping[str, Any] | None = None,
    vector_store: Mapping[str, Any] | None = None,
    record_manager: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, Any] | None]:
    """The components of an upsert into ``store``: the given ones, else the store's own embedding,
    vector store and record manager and the splitter of its first loader that has one."""
    resolved_embedding = dict(embedding) if embedding else _as_dict(store.embedding_config)
    resolved_vector_store = dict(vector_store) if vector_store else _as_dict(store.vector_store_config)
    missing = [
        option
        for option, value in (("--embedding", resolved_embedding), ("--vector-store", resolved_vector_store))
        if value is None
    ]
    if missing:
        raise CliError(
            f"document store {store.id} has no {' or '.join(m.lstrip('-') for m in missing)} configured "
            f"yet: pass {' and '.join(missing)} as JSON components, e.g. "
            '--embedding \'{"name": "openAIEmbeddings", "config": {...}}\'',
            EXIT_USAGE,
        )
    resolved_splitter = dict(splitter) if splitter else None
    if resolved_splitter is None:
        for loader in store.loaders:
            if loader.splitter_id:
                resolved_splitter = {"name": loader.splitter_id, "config": dict(loader.splitter_config or {})}
                break
        else:
            resolved_splitter = {"name": DEFAULT_SPLITTER["name"], "config": dict(DEFAULT_SPLITTER["config"])}
    return {
        "splitter": resolved_splitter,
        "embedding": resolved_embedding,
        "vector_store": resolved_vector_store,
        "record_manager": dict(record_manager) if record_manager else _as_dict(store.record_manager_config),
    }
