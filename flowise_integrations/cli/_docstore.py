"""``docstore upsert`` and ``docstore query``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from .._exceptions import APIStatusError
from ._common import (
    EXIT_API,
    EXIT_USAGE,
    CliError,
    CliState,
    cell,
    exit_code_for,
    new_table,
    parse_json_object,
    state_of,
    truncate,
)
from ._upsert import (
    LOADER_CONFIGS,
    LOADERS,
    SourceFile,
    UpsertState,
    collect_files,
    default_state_path,
    fingerprint,
    store_components,
)

__all__ = ["docstore_app"]

docstore_app = typer.Typer(help="Upsert files into a document store and query it.", no_args_is_help=True)

_COMPONENT_HELP = 'JSON component {"name": ..., "config": {...}}'


@dataclass
class _Outcome:
    path: str
    source: str
    loader: str
    status: str  # added, replaced, skipped or failed
    chunks: int | None
    doc_id: str | None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "source": self.source,
            "loader": self.loader,
            "status": self.status,
            "chunks": self.chunks,
            "docId": self.doc_id,
            "error": self.error,
        }


def _upsert_file(
    state: CliState,
    store_id: str,
    file: SourceFile,
    components: dict[str, dict[str, Any] | None],
    metadata: dict[str, Any],
    replace_doc_id: str | None,
) -> tuple[int | None, str | None]:
    result = state.client().document_stores.upsert(
        store_id,
        files=[file.path],
        loader={"name": file.loader, "config": dict(LOADER_CONFIGS.get(file.loader, {}))},
        metadata={"source": file.source, **metadata},
        doc_id=replace_doc_id,
        replace_existing=True if replace_doc_id else None,
        splitter=components["splitter"],
        embedding=components["embedding"],
        vector_store=components["vector_store"],
        record_manager=components["record_manager"],
    )
    chunks = result.num_added if result.num_added is not None else len(result.added_docs)
    return chunks, result.doc_id


@docstore_app.command("upsert")
def upsert(
    ctx: typer.Context,
    store_id: Annotated[str, typer.Argument(metavar="STORE", help="The document store's id.")],
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help=f"Files or folders (searched recursively for {' '.join(sorted(LOADERS))} files).",
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Upsert every file again, even those already upserted.")
    ] = False,
    state_file: Annotated[
        Path | None,
        typer.Option(
            "--state-file",
            help="Where to remember upserted files (default: <user cache>/flowise-integrations/cli/"
            "upsert-<store>.json).",
            show_default=False,
        ),
    ] = None,
    splitter: Annotated[
        str | None,
        typer.Option(
            "--splitter",
            help=f"{_COMPONENT_HELP} (default: the splitter of a loader of the store).",
            show_default=False,
        ),
    ] = None,
    embedding: Annotated[
        str | None,
        typer.Option("--embedding", help=f"{_COMPONENT_HELP} (default: the store's).", show_default=False),
    ] = None,
    vector_store: Annotated[
        str | None,
        typer.Option("--vector-store", help=f"{_COMPONENT_HELP} (default: the store's).", show_default=False),
    ] = None,
    record_manager: Annotated[
        str | None,
        typer.Option(
            "--record-manager", help=f"{_COMPONENT_HELP} (default: the store's).", show_default=False
        ),
    ] = None,
    metadata: Annotated[
        str | None,
        typer.Option("--metadata", help="JSON object added to every chunk's metadata.", show_default=False),
    ] = None,
) -> None:
    """Load, split and embed files into a document store, one loader per file.

    The store's embedding, vector store and record manager and the splitter of one of its loaders
    are reused; a store that has none yet needs --embedding and --vector-store. Each chunk's
    "source" metadata is the file's path relative to the folder given (or its name). Files already
    upserted and unchanged are skipped; a changed file replaces its earlier loader.
    """
    state = state_of(ctx)
    options = {
        "splitter": parse_json_object(splitter, "--splitter", component=True),
        "embedding": parse_json_object(embedding, "--embedding", component=True),
        "vector_store": parse_json_object(vector_store, "--vector-store", component=True),
        "record_manager": parse_json_object(record_manager, "--record-manager", component=True),
    }
    extra_metadata = parse_json_object(metadata, "--metadata") or {}
    files, ignored = collect_files(paths)
    if ignored:
        state.note(f"ignored {ignored} file(s) of types Flowise cannot load")
    if not files:
        raise CliError(
            f"no file to upsert: none of the paths holds a {' '.join(sorted(LOADERS))} file", EXIT_USAGE
        )

    client = state.client()
    store = client.document_stores.get(store_id)
    components = store_components(store, **options)
    loader_ids = {loader.id for loader in store.loaders if loader.id}
    upsert_state = UpsertState.load(state_file or default_state_path(store.id), store.id)

    outcomes: list[_Outcome] = []
    try:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=state.err,
            transient=True,
        ) as progress:
            task = progress.add_task("upserting", total=len(files))
            for file in files:
                progress.update(task, description=f"upserting {truncate(file.source, 40)}")
                outcome = _process(
                    state, store.id, file, upsert_state, loader_ids, components, extra_metadata, force
                )
                if outcome.error:
                    progress.console.print(Text(f"failed: {file.source}: {outcome.error}", style="red"))
                outcomes.append(outcome)
                progress.advance(task)
    except BaseException:
        if outcomes:
            _report(state, store.id, outcomes, upsert_state.path)
        raise
    _report(state, store.id, outcomes, upsert_state.path)
    failed = [outcome for outcome in outcomes if outcome.error]
    if failed:
        raise CliError(
            f"{len(failed)} of {len(outcomes)} file(s) failed (first: {failed[0].source}: "
            f"{failed[0].error}); run the command again to retry them",
            EXIT_API,
        )


def _process(
    state: CliState,
    store_id: str,
    file: SourceFile,
    upsert_state: UpsertState,
    loader_ids: set[str],
    components: dict[str, dict[str, Any] | None],
    metadata: dict[str, Any],
    force: bool,
) -> _Outcome:
    """Upsert one file unless the state says it is in the store already; save the state after it.

    A file the server refuses (an API error other than a refused key or a missing store) is
    reported as failed and the others go on; any other error stops the run.
    """
    entry = upsert_state.entry(file)
    print_ = fingerprint(file.path, entry)
    if entry is not None and not force and upsert_state.is_current(file, print_, loader_ids):
        doc_id = entry.get("doc_id")
        if entry.get("mtime_ns") != print_.mtime_ns:  # touched, same content: remember the new time
            upsert_state.record(file, print_, doc_id=doc_id, chunks=entry.get("chunks"))
            upsert_state.save()
        return _Outcome(str(file.path), file.source, file.loader, "skipped", None, doc_id)
    previous = entry.get("doc_id") if entry else None
    replace = previous if previous in loader_ids else None
    try:
        chunks, doc_id = _upsert_file(state, store_id, file, components, metadata, replace)
    except APIStatusError as exc:
        if exit_code_for(exc) != EXIT_API:
            raise
        return _Outcome(
            str(file.path), file.source, file.loader, "failed", None, None, state.scrub(exc.message)
        )
    upsert_state.record(file, print_, doc_id=doc_id, chunks=chunks)
    upsert_state.save()
    status = "replaced" if replace else "added"
    return _Outcome(str(file.path), file.source, file.loader, status, chunks, doc_id)


def _report(state: CliState, store_id: str, outcomes: list[_Outcome], state_path: Path) -> None:
    upserted = [outcome for outcome in outcomes if outcome.status in ("added", "replaced")]
    total_chunks = sum(outcome.chunks or 0 for outcome in upserted)
    skipped = sum(outcome.status == "skipped" for outcome in outcomes)
    failed = sum(outcome.status == "failed" for outcome in outcomes)
    if state.json:
        state.emit_json(
            {
                "storeId": store_id,
                "files": [outcome.as_json() for outcome in outcomes],
                "upserted": len(upserted),
                "skipped": skipped,
                "failed": failed,
                "chunksAdded": total_chunks,
                "stateFile": str(state_path),
            }
        )
        return
    table = new_table("File", "Loader", "Status", "Chunks added")
    table.columns[3].justify = "right"
    for outcome in outcomes:
        chunks = outcome.chunks if outcome.status in ("added", "replaced") else "-"
        table.add_row(cell(outcome.source), cell(outcome.loader), cell(outcome.status), cell(chunks))
    state.out.print(table)
    state.out.print(
        f"{len(upserted)} file(s) upserted, {skipped} skipped, {failed} failed, "
        f"{total_chunks} chunk(s) added",
        markup=False,
    )


@docstore_app.command("query")
def query(
    ctx: typer.Context,
    store_id: Annotated[str, typer.Argument(metavar="STORE", help="The document store's id.")],
    text: Annotated[str, typer.Argument(help="What to search for.")],
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, help="How many chunks to return.")] = 4,
) -> None:
    """Search a document store's vector store; the best match comes first (Flowise gives no scores)."""
    state = state_of(ctx)
    result = state.client().document_stores.vector_store.query(store_id, text, top_k=k)
    rows: list[dict[str, Any]] = [
        {
            "rank": rank,
            "source": doc.metadata.get("source"),
            "text": doc.page_content,
            "id": doc.id,
            "chunkNo": doc.chunk_no,
            "metadata": doc.metadata,
        }
        for rank, doc in enumerate(result.docs, start=1)
    ]
    if state.json:
        state.emit_json(rows)
        return
    table = new_table("#", "Source", "Chunk")
    table.columns[0].justify = "right"
    for row in rows:
        table.add_row(cell(row["rank"]), cell(row["source"]), cell(truncate(str(row["text"]), 120)))
    state.out.print(table)
    if result.time_taken is not None:
        state.note(f"{len(rows)} chunk(s) in {result.time_taken:.0f} ms")
