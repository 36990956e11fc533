"""``flows``: export flows to files, import them back, compare two versions, check them before upload."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.text import Text

from ..flows import Catalogue, FlowFile, diff, problems
from ._common import EXIT_ERROR, CliState, cell, new_table, state_of

__all__ = ["flows_app"]

flows_app = typer.Typer(
    help="Flows as files: export, import, diff and validate against the server's components.",
    no_args_is_help=True,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CATALOGUE_OPTION = typer.Option(
    "--catalogue",
    help="Check against this catalogue snapshot (from `flows catalogue`) instead of the server.",
    show_default=False,
)


def _file_name(flow_file: FlowFile, taken: set[str]) -> str:
    base = _UNSAFE.sub("-", flow_file.name).strip("-.") or "flow"
    name = f"{base}.json"
    if name in taken and flow_file.id:
        name = f"{base}-{flow_file.id[:8]}.json"
    taken.add(name)
    return name


def _target(state: CliState, target: str) -> tuple[str, FlowFile]:
    """A flow file, or (when no such file exists) the server's flow with that id."""
    path = Path(target)
    if path.exists():
        return str(path), FlowFile.load(path)
    return target, FlowFile.from_chatflow(state.client().chatflows.get(target))


def _catalogue(state: CliState, snapshot: Path | None) -> Catalogue:
    return Catalogue.load(snapshot) if snapshot is not None else Catalogue.from_client(state.client())


@flows_app.command("export")
def flows_export(
    ctx: typer.Context,
    chatflow_ids: Annotated[
        list[str] | None, typer.Argument(metavar="[ID]...", help="The flows to export (default: all).")
    ] = None,
    directory: Annotated[Path, typer.Option("--dir", help="Where to write the files.")] = Path("."),
) -> None:
    """Write flows to JSON files (one per flow, named after it), ready for git."""
    state = state_of(ctx)
    client = state.client()
    flows = [client.chatflows.get(i) for i in chatflow_ids] if chatflow_ids else client.chatflows.list()
    directory.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = []
    for chatflow in flows:
        flow_file = FlowFile.from_chatflow(chatflow)
        path = directory / _file_name(flow_file, taken)
        flow_file.save(path)
        written.append({"id": chatflow.id, "name": chatflow.name, "type": flow_file.type, "file": str(path)})
    if state.json:
        state.emit_json(written)
        return
    table = new_table("ID", "Name", "Type", "File")
    for row in written:
        table.add_row(cell(row["id"]), cell(row["name"]), cell(row["type"]), cell(row["file"]))
    state.out.print(table)
    state.note(f"{len(written)} flow(s) exported to {directory}")


@flows_app.command("import")
def flows_import(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help="Flow files to create or update.")],
    check: Annotated[
        bool, typer.Option("--validate/--no-validate", help="Check each flow before upload (default: on).")
    ] = True,
    catalogue_path: Annotated[Path | None, _CATALOGUE_OPTION] = None,
) -> None:
    """Create each flow, or update it when the server has its id; a flow that fails the check is not sent."""
    state = state_of(ctx)
    client = state.client()
    loaded = [(path, FlowFile.load(path)) for path in files]
    catalogue = _catalogue(state, catalogue_path) if check else None
    existing = {flow.id for flow in client.chatflows.list()}
    results: list[dict[str, str]] = []
    refusals: list[tuple[Path, list[str]]] = []
    with Progress(console=state.err, transient=True, disable=state.json) as progress:
        task = progress.add_task("importing", total=len(loaded))
        for path, flow_file in loaded:
            found = problems(flow_file.flow, catalogue) if catalogue is not None else []
            if found:
                results.append({"file": str(path), "action": "refused"})
                refusals.append((path, [str(problem) for problem in found]))
            elif flow_file.id and flow_file.id in existing:
                client.chatflows.update(
                    flow_file.id, name=flow_file.name, flow_data=flow_file.flow.to_flow_data()
                )
                results.append({"file": str(path), "action": "updated", "id": flow_file.id})
            else:
                created = client.chatflows.create(
                    name=flow_file.name,
                    flow_data=flow_file.flow.to_flow_data(),
                    type=flow_file.type,
                    category=flow_file.category,
                )
                results.append({"file": str(path), "action": "created", "id": created.id})
            progress.advance(task)
    if state.json:
        state.emit_json([{**row, "problems": dict(refusals).get(Path(row["file"]), [])} for row in results])
    else:
        table = new_table("File", "Action", "ID")
        for row in results:
            table.add_row(cell(row["file"]), cell(row["action"]), cell(row.get("id")))
        state.out.print(table)
        for path, reasons in refusals:
            for reason in reasons:
                state.err.print(Text(f"{path}: {reason}"))
    if refusals:
        raise typer.Exit(EXIT_ERROR)


@flows_app.command("diff")
def flows_diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="A flow file, or the id of a flow on the server.")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="A flow file, or the id of a flow on the server.")
    ],
) -> None:
    """What changed from OLD to NEW, in words: nodes, inputs, credentials and wiring."""
    state = state_of(ctx)
    changes = diff(_target(state, old)[1].flow, _target(state, new)[1].flow)
    if state.json:
        state.emit_json(changes)
        return
    for change in changes:
        state.out.print(Text(change))
    state.note(f"{len(changes)} change(s)" if changes else "no changes")


@flows_app.command("validate")
def flows_validate(
    ctx: typer.Context,
    targets: Annotated[list[str], typer.Argument(metavar="FILE|ID...", help="Flow files or flow ids.")],
    catalogue_path: Annotated[Path | None, _CATALOGUE_OPTION] = None,
) -> None:
    """Check flows against the server's components (or a snapshot); exit 1 when any has a problem."""
    state = state_of(ctx)
    catalogue = _catalogue(state, catalogue_path)
    report = {}
    for target in targets:
        label, flow_file = _target(state, target)
        report[label] = problems(flow_file.flow, catalogue)
    if state.json:
        state.emit_json({label: [str(p) for p in found] for label, found in report.items()})
    else:
        for label, found in report.items():
            state.out.print(Text(f"{label}: {'ok' if not found else f'{len(found)} problem(s)'}"))
            for problem in found:
                state.out.print(Text(f"  - {problem}"))
    if any(report.values()):
        raise typer.Exit(EXIT_ERROR)


@flows_app.command("catalogue")
def flows_catalogue(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the snapshot.")],
) -> None:
    """Save the server's node definitions, to validate against later without the server."""
    state = state_of(ctx)
    catalogue = Catalogue.from_client(state.client())
    catalogue.save(path)
    if state.json:
        state.emit_json({"file": str(path), "nodes": len(catalogue), "version": catalogue.version})
    else:
        state.out.print(Text(f"{len(catalogue)} node definitions of Flowise {catalogue.version} -> {path}"))
