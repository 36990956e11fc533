"""Running the command line in-process, and checks shared by the CLI tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from typer.testing import CliRunner, Result

from flowise_integrations.cli._app import app

# Wide enough that tables are never cut; no outer FLOWISE_* setting leaks into a test.
BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "200",
    "FLOWISE_BASE_URL": None,
    "FLOWISE_API_KEY": None,
    "FLOWISE_TIMEOUT": None,
    "FLOWISE_MAX_RETRIES": None,
}


def invoke(
    args: Sequence[str], *, input: str | None = None, env: Mapping[str, str | None] | None = None
) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env={**BASE_ENV, **(env or {})})


@dataclass
class Cli:
    """The command line pointed at one server with ``--base-url``/``--api-key``."""

    base_url: str
    api_key: str = field(repr=False)

    def __call__(
        self, *args: str, input: str | None = None, env: Mapping[str, str | None] | None = None
    ) -> Result:
        return invoke(["--base-url", self.base_url, "--api-key", self.api_key, *args], input=input, env=env)

    def json(self, *args: str, env: Mapping[str, str | None] | None = None) -> Any:
        """Run with ``--json``: it must succeed and print exactly one JSON document on stdout."""
        result = self("--json", *args, env=env)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return json.loads(result.stdout)


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr, result.exception)


def assert_fails(result: Result, exit_code: int, *, secret: str | None = None) -> str:
    """An expected failure: the exit code, stderr ending in its one ``error: ...`` line, nothing on
    stdout, no traceback, and never ``secret``. Returns the message."""
    assert result.exit_code == exit_code, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit) or result.exception is None, result.exception
    assert result.stdout == ""
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("error: ")]
    assert errors == lines[-1:], result.stderr
    if secret:
        assert secret not in result.output
    return errors[0][len("error: ") :]
