"""Every command and option that ``docs/cli.md`` shows exists in the real command line's ``--help``."""

from __future__ import annotations

import re
import shlex

import pytest

from flowise_integrations.cli import main

from ._blocks import DOCS

PROGRAM = "flowise-integrations"
_BASH = re.compile(r"^```bash\n(.*?)^```", re.M | re.S)
_COMMAND = re.compile(r"^[a-z][a-z-]*$")
_TAKES_VALUE = {"--base-url", "--api-key", "--timeout", "--max-retries", "--kind", "--transport", "--host"}
_TAKES_VALUE |= {"--port", "--path", "--id", "--exclude-id", "--name-pattern", "--name", "--document-store"}
_TAKES_VALUE |= {"--dir", "--catalogue"}


def documented_commands() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """``(command path, options)`` for each ``flowise-integrations ...`` line of the page's bash blocks."""
    commands = []
    for block in _BASH.findall((DOCS / "cli.md").read_text()):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if not words or words[0] != PROGRAM:
                continue
            path: list[str] = []
            options: list[str] = []
            rest = iter(words[1:])
            for word in rest:
                if word.startswith("-"):
                    options.append(word)
                    if word in _TAKES_VALUE:
                        next(rest, None)
                elif _COMMAND.match(word) and len(path) < 2 and not (path and path[0] == "predict"):
                    path.append(word)
            commands.append((tuple(path), tuple(options)))
    return commands


def help_text(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        main([*path, "--help"])
    assert exit_info.value.code in (0, None), f"{PROGRAM} {' '.join(path)} --help failed"
    return capsys.readouterr().out


def test_the_page_shows_every_command_group() -> None:
    groups = {path[0] for path, _ in documented_commands() if path}
    expected = {"chatflows", "flows", "predict", "docstore", "variables", "tools", "apikeys", "local", "mcp"}
    assert groups >= expected


@pytest.mark.parametrize(("path", "options"), documented_commands(), ids=lambda value: " ".join(value) or "-")
def test_documented_command_exists(
    path: tuple[str, ...],
    options: tuple[str, ...],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = help_text(path, capsys) + help_text((), capsys)  # the command's options, then the global ones
    for option in options:
        assert option in text, f"{PROGRAM} {' '.join(path)}: {option} is not in its --help"
