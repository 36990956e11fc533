"""The root command: global options, error reporting and exit codes, and the command groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .._constants import ENV_API_KEY, ENV_BASE_URL
from .._exceptions import FlowiseError
from .._version import __version__
from . import _commands, _docstore, _flows, _mcp
from ._common import EXIT_ERROR, CliError, CliState, exit_code_for

__all__ = ["app", "run"]

_PROG_NAME = "flowise-integrations"
_JSON_FLAG = "--json"

# typer's own exits and usage errors pass through untouched (they already carry their exit code).
_CLICK_EXCEPTION: type[BaseException] = next(
    (klass for klass in typer.BadParameter.__mro__ if klass.__name__ == "ClickException"),
    typer.BadParameter,
)
_PASS_THROUGH: tuple[type[BaseException], ...] = (typer.Exit, typer.Abort, _CLICK_EXCEPTION)


class _RootGroup(TyperGroup):
    """Accepts ``--json`` after the command too, and turns errors into ``error: ...`` and an exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        end = args.index("--") if "--" in args else len(args)
        if _JSON_FLAG in args[:end]:
            args = [_JSON_FLAG] + [arg for arg in args[:end] if arg != _JSON_FLAG] + args[end:]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except _PASS_THROUGH:
            raise
        except (FlowiseError, CliError) as exc:
            _fail(ctx, exc.message, exit_code_for(exc))
        except Exception as exc:
            _fail(ctx, str(exc) or type(exc).__name__, EXIT_ERROR)


def _fail(ctx: Any, message: str, code: int) -> NoReturn:
    state = ctx.find_object(CliState)
    if state is not None:
        message = state.scrub(message)
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    name=_PROG_NAME,
    cls=_RootGroup,
    help="Work with a Flowise server: chatflows, predictions, document stores, variables, tools and "
    "API keys, and serve its flows to MCP hosts. Exit codes: 0 ok, 1 other error, 2 usage error, "
    "3 no answer from the server (connection or timeout), 4 key refused, 5 not found, 6 other API "
    "error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(_commands.chatflows_app, name="chatflows")
app.add_typer(_flows.flows_app, name="flows")
app.command("predict")(_commands.predict)
app.add_typer(_docstore.docstore_app, name="docstore")
app.add_typer(_commands.variables_app, name="variables")
app.add_typer(_commands.tools_app, name="tools")
app.add_typer(_commands.apikeys_app, name="apikeys")
app.add_typer(_commands.local_app, name="local")
app.command("mcp")(_mcp.mcp)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            envvar=ENV_BASE_URL,
            help="Flowise server URL, with or without /api/v1 (default: http://localhost:3000).",
            show_default=False,
        ),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            envvar=ENV_API_KEY,
            help="Flowise API key (prefer the environment variable: arguments show in process lists).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.001, help="Request timeout in seconds.", show_default=False),
    ] = None,
    max_retries: Annotated[
        int | None,
        typer.Option(
            "--max-retries", min=0, help="Retries of failed safe requests (default: 2).", show_default=False
        ),
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(_JSON_FLAG, help="Machine-readable JSON on stdout (allowed after the command too)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    state = CliState(
        base_url=base_url or None,
        api_key=api_key or None,
        timeout=timeout,
        max_retries=max_retries,
        json=json_output,
    )
    ctx.obj = state
    ctx.call_on_close(state.close)


def run(argv: Sequence[str] | None = None) -> None:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and exit."""
    command = typer.main.get_command(app)
    command.main(args=None if argv is None else list(argv), prog_name=_PROG_NAME)
