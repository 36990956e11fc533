"""What every command shares: the connection settings, output helpers and the exit codes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import typer
from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .._exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    NotFoundError,
    PermissionDeniedError,
    StreamError,
)
from .._sync._client import Flowise
from .._types import NOT_GIVEN

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_CONNECTION",
    "EXIT_ERROR",
    "EXIT_NOT_FOUND",
    "EXIT_USAGE",
    "CliError",
    "CliState",
    "cell",
    "dump",
    "exit_code_for",
    "mask_secret",
    "new_table",
    "parse_json_object",
    "state_of",
    "truncate",
]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CONNECTION = 3
EXIT_AUTH = 4
EXIT_NOT_FOUND = 5
EXIT_API = 6


class CliError(Exception):
    """An expected failure found by the command line itself, with the exit code to use."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def exit_code_for(exc: BaseException) -> int:
    """The exit code of an error: 3 no answer, 4 refused key, 5 not found, 6 other API errors, else 1."""
    if isinstance(exc, CliError):
        return exc.exit_code
    if isinstance(exc, APIConnectionError):
        return EXIT_CONNECTION
    if isinstance(exc, (AuthenticationError, PermissionDeniedError)):
        return EXIT_AUTH
    if isinstance(exc, NotFoundError):
        return EXIT_NOT_FOUND
    if isinstance(exc, (APIStatusError, StreamError)):
        return EXIT_API
    return EXIT_ERROR


@dataclass
class CliState:
    """The global options, and the client built from them on first use."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float | None = None
    max_retries: int | None = None
    json: bool = False
    out: Console = field(default_factory=lambda: Console(highlight=False))
    err: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))
    _client: Flowise | None = field(default=None, repr=False)

    def client_settings(self) -> dict[str, Any]:
        """The keyword arguments of a ``Flowise`` or ``AsyncFlowise`` made from the global options."""
        return {
            "base_url": self.base_url,
            "api_key": self.api_key,
            "timeout": NOT_GIVEN if self.timeout is None else self.timeout,
            "max_retries": NOT_GIVEN if self.max_retries is None else self.max_retries,
        }

    def client(self) -> Flowise:
        if self._client is None:
            self._client = Flowise(**self.client_settings())
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def scrub(self, message: str) -> str:
        """``message`` with the API key, should it appear, replaced by ``***``."""
        if self.api_key and len(self.api_key) >= 4:
            return message.replace(self.api_key, "***")
        return message

    def emit_json(self, value: Any) -> None:
        """Print ``value`` as JSON on stdout (the only thing ``--json`` prints there)."""
        typer.echo(json.dumps(to_jsonable_python(value), indent=2, ensure_ascii=False))

    def emit_json_line(self, value: Any) -> None:
        typer.echo(json.dumps(to_jsonable_python(value), ensure_ascii=False, separators=(",", ":")))

    def note(self, message: str) -> None:
        """A human-readable remark on stderr (never on stdout, so ``--json`` output stays clean)."""
        self.err.print(Text(message, style="dim"))


def state_of(ctx: typer.Context) -> CliState:
    state = ctx.find_object(CliState)
    if state is None:  # a command invoked without the root callback (only possible in tests)
        state = ctx.ensure_object(CliState)
    return state


def dump(model: BaseModel) -> Any:
    """A response model as Flowise's JSON (camelCase keys), without null fields."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def mask_secret(secret: str) -> str:
    """``abcd…wxyz``: enough to tell keys apart, never enough to use one."""
    if len(secret) < 12:
        return "…"
    return f"{secret[:4]}…{secret[-4:]}"


def truncate(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"


def cell(value: Any) -> Text:
    """A table cell shown literally (no rich markup in server data)."""
    if value is None:
        return Text("")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, datetime):
        return Text(value.isoformat(timespec="seconds"))
    return Text(str(value))


def new_table(*columns: str, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        if column == "ID":  # ids are what the other commands take: never cut them
            table.add_column(column, no_wrap=True, min_width=36)
        else:
            table.add_column(column)
    return table


def parse_json_object(value: str | None, option: str, *, component: bool = False) -> dict[str, Any] | None:
    """Parse a JSON-object option; a component needs ``{"name": ..., "config": {...}}``."""
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise typer.BadParameter(f"not valid JSON ({exc})", param_hint=option) from None
    if not isinstance(parsed, dict):
        raise typer.BadParameter("must be a JSON object", param_hint=option)
    if component and not (isinstance(parsed.get("name"), str) and parsed["name"]):
        raise typer.BadParameter('a component is {"name": "<node name>", "config": {...}}', param_hint=option)
    if component and not isinstance(parsed.setdefault("config", {}), dict):
        raise typer.BadParameter('"config" must be a JSON object', param_hint=option)
    return parsed
