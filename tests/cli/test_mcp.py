"""``mcp``: its options, its usage errors and the missing-extra message (serving is tested live in
``tests/mcp/integration/test_transports.py``)."""

from __future__ import annotations

import sys

import pytest

from .helpers import invoke


def test_help_lists_the_selection_and_transport_options() -> None:
    result = invoke(["mcp", "--help"])

    assert result.exit_code == 0, result.output
    for option in ("--transport", "--host", "--port", "--path", "--id", "--exclude-id", "--name-pattern"):
        assert option in result.output
    assert "custom_tool" in result.output  # the kinds are listed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name-pattern", "(unclosed"], "not a regular expression"),
        (["--kind", "webhook"], "'webhook' is not one of"),
        (["--transport", "sse"], "'sse' is not one of"),
        (["--port", "0"], "Invalid value for '--port'"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = invoke(["mcp", *args])

    assert result.exit_code == 2
    assert message in result.output


def test_without_the_extra_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "flowise_integrations.mcp", None)  # the import fails

    result = invoke(["mcp"])

    assert result.exit_code == 1
    assert "pip install 'flowise-integrations[mcp]'" in result.output
