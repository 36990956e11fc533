"""``chatflows``, ``predict``, ``variables``, ``tools``, ``apikeys`` and ``local``."""

from __future__ import annotations

import enum
from typing import Annotated, Any

import typer
from pydantic_core import to_jsonable_python
from rich.table import Table
from rich.text import Text

from ..types import stream_events as ev
from ..types.api_keys import ApiKey
from ..types.chatflows import Chatflow
from ..types.tools import Tool
from ..types.variables import Variable
from ._common import (
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    CliError,
    CliState,
    cell,
    dump,
    mask_secret,
    new_table,
    state_of,
    truncate,
)

__all__ = ["apikeys_app", "chatflows_app", "local_app", "predict", "tools_app", "variables_app"]


def _details(rows: list[tuple[str, Any]], title: str | None = None) -> Table:
    table = Table(show_header=False, title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for label, value in rows:
        table.add_row(label, cell(value))
    return table


# -- chatflows

chatflows_app = typer.Typer(help="List, show and delete chatflows and agentflows.", no_args_is_help=True)


class FlowType(str, enum.Enum):
    CHATFLOW = "CHATFLOW"
    AGENTFLOW = "AGENTFLOW"
    MULTIAGENT = "MULTIAGENT"
    ASSISTANT = "ASSISTANT"


def _flow_json(flow: Chatflow) -> Any:
    return dump(flow)


@chatflows_app.command("list")
def chatflows_list(
    ctx: typer.Context,
    flow_type: Annotated[
        FlowType | None,
        typer.Option("--type", case_sensitive=False, help="Only flows of this type.", show_default=False),
    ] = None,
) -> None:
    """List the flows (every type unless --type is given)."""
    state = state_of(ctx)
    flows = state.client().chatflows.list(type=flow_type.value if flow_type else None)
    if state.json:
        state.emit_json([_flow_json(flow) for flow in flows])
        return
    table = new_table("ID", "Name", "Type", "Deployed", "Updated")
    for flow in flows:
        table.add_row(
            cell(flow.id), cell(flow.name), cell(flow.type), cell(flow.deployed), cell(flow.updated_date)
        )
    state.out.print(table)
    state.note(f"{len(flows)} flow(s)")


def _node_count(flow: Chatflow) -> int | None:
    nodes = (flow.flow_data or {}).get("nodes")
    return len(nodes) if isinstance(nodes, list) else None


@chatflows_app.command("get")
def chatflows_get(
    ctx: typer.Context, chatflow_id: Annotated[str, typer.Argument(metavar="ID", help="The flow's id.")]
) -> None:
    """Show one flow."""
    state = state_of(ctx)
    flow = state.client().chatflows.get(chatflow_id)
    if state.json:
        state.emit_json(_flow_json(flow))
        return
    state.out.print(
        _details(
            [
                ("id", flow.id),
                ("name", flow.name),
                ("type", flow.type),
                ("category", flow.category),
                ("deployed", flow.deployed),
                ("public", flow.is_public),
                ("nodes", _node_count(flow)),
                ("created", flow.created_date),
                ("updated", flow.updated_date),
            ]
        )
    )


@chatflows_app.command("delete")
def chatflows_delete(
    ctx: typer.Context,
    chatflow_id: Annotated[str, typer.Argument(metavar="ID", help="The flow's id.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a flow, with its messages, feedback and upsert history."""
    state = state_of(ctx)
    client = state.client()
    flow = client.chatflows.get(chatflow_id)
    if not yes:
        typer.confirm(f"Delete {flow.type or 'flow'} {flow.name!r} ({flow.id})?", abort=True, err=True)
    client.chatflows.delete(flow.id)
    if state.json:
        state.emit_json({"id": flow.id, "name": flow.name, "deleted": True})
    else:
        state.out.print(Text(f"deleted {flow.name} ({flow.id})"))


# -- predict


def _event_json(event: ev.StreamEvent) -> dict[str, Any]:
    name = event.name if isinstance(event, ev.UnknownEvent) else event.event
    return {"event": name, "data": to_jsonable_python(event.data, by_alias=True)}


def _predict_stream(
    state: CliState, chatflow: str, question: str, override: dict[str, Any] | None
) -> str | None:
    client = state.client()
    # A streaming request for an unknown flow is never answered; this route says "not found" at once.
    client.chatflows.get_streaming_status(chatflow)
    printed = False
    with client.predictions.stream(chatflow, question, override_config=override) as stream:
        try:
            for event in stream:
                if state.json:
                    state.emit_json_line(_event_json(event))
                elif isinstance(event, ev.TokenEvent) and event.data:
                    typer.echo(event.data, nl=False)  # echo flushes: each token shows as it arrives
                    printed = True
            if not state.json and not printed and stream.text:
                typer.echo(stream.text, nl=False)
                printed = True
        finally:
            if printed:
                typer.echo("")
        return stream.final().session_id


def predict(
    ctx: typer.Context,
    chatflow: Annotated[str, typer.Argument(metavar="CHATFLOW", help="The chatflow or agentflow id.")],
    question: Annotated[str, typer.Argument(help="The message to send.")],
    stream: Annotated[bool, typer.Option("--stream", help="Print the answer token by token.")] = False,
    session: Annotated[
        str | None,
        typer.Option(
            "--session", metavar="SESSION_ID", help="Continue this memory session.", show_default=False
        ),
    ] = None,
) -> None:
    """Ask a flow a question and print its answer.

    With --json: the whole Prediction, or with --stream one JSON line per event.
    """
    state = state_of(ctx)
    override = {"sessionId": session} if session else None
    if stream:
        session_id = _predict_stream(state, chatflow, question, override)
    else:
        prediction = state.client().predictions.create(chatflow, question, override_config=override)
        if state.json:
            state.emit_json(dump(prediction))
        else:
            typer.echo(prediction.text)
        session_id = prediction.session_id
    if not state.json and session_id and not session:
        state.note(f"session: {session_id} (continue it with --session {session_id})")


# -- variables

variables_app = typer.Typer(help="List, create and delete variables ($vars in flows).", no_args_is_help=True)


class VariableKind(str, enum.Enum):
    static = "static"
    runtime = "runtime"


def _variable_table(variables: list[Variable]) -> Table:
    table = new_table("ID", "Name", "Type", "Value", "Updated")
    for variable in variables:
        value = variable.value if variable.type != "runtime" else "(from the server's environment)"
        table.add_row(
            cell(variable.id),
            cell(variable.name),
            cell(variable.type),
            cell(truncate(value or "", 60)),
            cell(variable.updated_date),
        )
    return table


@variables_app.command("list")
def variables_list(ctx: typer.Context) -> None:
    """List the variables."""
    state = state_of(ctx)
    variables = state.client().variables.list()
    if state.json:
        state.emit_json([dump(variable) for variable in variables])
        return
    state.out.print(_variable_table(variables))
    state.note(f"{len(variables)} variable(s)")


@variables_app.command("create")
def variables_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The variable's name ($vars.<name> in flows).")],
    value: Annotated[
        str, typer.Argument(help="Its value (runtime variables read the server's environment).")
    ] = "",
    kind: Annotated[
        VariableKind, typer.Option("--type", case_sensitive=False, help="static or runtime.")
    ] = VariableKind.static,
) -> None:
    """Create a variable."""
    state = state_of(ctx)
    if kind is VariableKind.static and not value:
        raise CliError("a static variable needs a VALUE", EXIT_USAGE)
    variable = state.client().variables.create(name=name, value=value, type=kind.value)
    if state.json:
        state.emit_json(dump(variable))
    else:
        state.out.print(_variable_table([variable]))


@variables_app.command("delete")
def variables_delete(
    ctx: typer.Context,
    variable: Annotated[str, typer.Argument(metavar="ID_OR_NAME", help="The variable's id or name.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a variable, by id or by name."""
    state = state_of(ctx)
    client = state.client()
    variables = client.variables.list()
    matches = [item for item in variables if item.id == variable] or [
        item for item in variables if item.name == variable
    ]
    if not matches:
        raise CliError(f"no variable has the id or name {variable!r}", EXIT_NOT_FOUND)
    if len(matches) > 1:
        raise CliError(f"{len(matches)} variables are called {variable!r}: delete one by id", EXIT_USAGE)
    target = matches[0]
    if not yes:
        typer.confirm(f"Delete variable {target.name!r} ({target.id})?", abort=True, err=True)
    client.variables.delete(target.id)
    if state.json:
        state.emit_json({"id": target.id, "name": target.name, "deleted": True})
    else:
        state.out.print(Text(f"deleted {target.name} ({target.id})"))


# -- tools

tools_app = typer.Typer(help="List and show custom tools.", no_args_is_help=True)


@tools_app.command("list")
def tools_list(ctx: typer.Context) -> None:
    """List the custom tools."""
    state = state_of(ctx)
    tools = state.client().tools.list()
    if state.json:
        state.emit_json([dump(tool) for tool in tools])
        return
    table = new_table("ID", "Name", "Description", "Updated")
    for tool in tools:
        table.add_row(
            cell(tool.id), cell(tool.name), cell(truncate(tool.description, 60)), cell(tool.updated_date)
        )
    state.out.print(table)
    state.note(f"{len(tools)} tool(s)")


def _tool_schema_table(tool: Tool) -> Table | None:
    if not tool.schema_:
        return None
    table = new_table("Input", "Type", "Required", "Description", title="Inputs")
    for prop in tool.schema_:
        table.add_row(cell(prop.property), cell(prop.type), cell(prop.required), cell(prop.description))
    return table


@tools_app.command("get")
def tools_get(
    ctx: typer.Context, tool_id: Annotated[str, typer.Argument(metavar="ID", help="The tool's id.")]
) -> None:
    """Show a custom tool: its inputs and its JavaScript function."""
    state = state_of(ctx)
    tool = state.client().tools.get(tool_id)
    if state.json:
        state.emit_json(dump(tool))
        return
    state.out.print(
        _details(
            [
                ("id", tool.id),
                ("name", tool.name),
                ("description", tool.description),
                ("created", tool.created_date),
                ("updated", tool.updated_date),
            ]
        )
    )
    schema = _tool_schema_table(tool)
    if schema is not None:
        state.out.print(schema)
    if tool.func:
        state.out.print(Text("function:", style="bold"))
        state.out.print(Text(tool.func))


# -- API keys

apikeys_app = typer.Typer(help="List API keys (the keys themselves are never shown).", no_args_is_help=True)


def _key_json(key: ApiKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "keyName": key.key_name,
        "apiKey": mask_secret(key.api_key.get_secret_value()),
        "permissions": list(key.permissions),
        "permissionCount": len(key.permissions),
        "chatflowCount": len(key.chat_flows),
        "updatedDate": to_jsonable_python(key.updated_date),
    }


@apikeys_app.command("list")
def apikeys_list(ctx: typer.Context) -> None:
    """List the API keys: name, id, permission count and the key masked."""
    state = state_of(ctx)
    keys = state.client().api_keys.list()
    if state.json:
        state.emit_json([_key_json(key) for key in keys])
        return
    table = new_table("Name", "ID", "Permissions", "Flows", "Key")
    for key in keys:
        table.add_row(
            cell(key.key_name),
            cell(key.id),
            cell(len(key.permissions)),
            cell(len(key.chat_flows)),
            cell(mask_secret(key.api_key.get_secret_value())),
        )
    state.out.print(table)
    state.note(f"{len(keys)} key(s)")


# -- local

local_app = typer.Typer(
    help="Run a local Flowise for development (needs the testing extra).", no_args_is_help=True
)


@local_app.command("up")
def local_up(
    flowise_version: Annotated[
        str | None,
        typer.Option(
            "--flowise-version", help="Flowise version to run (default: the harness's).", show_default=False
        ),
    ] = None,
    no_flows: Annotated[bool, typer.Option("--no-flows", help="Do not create the example flows.")] = False,
) -> None:
    """Start a local Flowise, the model stand-in and Chroma; print their URLs, the API key and the
    example flows as JSON; run until interrupted (Ctrl+C)."""
    try:
        from ..testing.__main__ import main as harness_main
    except ImportError as exc:
        raise CliError(
            f"local up needs the testing extra ({exc}); install it with "
            "`pip install 'flowise-integrations[testing]'`"
        ) from None
    argv = ["--version", flowise_version] if flowise_version else []
    argv.append("serve")
    if no_flows:
        argv.append("--no-flows")
    raise typer.Exit(harness_main(argv))
