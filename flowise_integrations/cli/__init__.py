"""The ``flowise-integrations`` command line: chatflows, predictions, document stores, variables,
tools and API keys of a Flowise server from the shell, plus ``local up`` for a local test server
and ``mcp`` to serve the flows to MCP hosts (with the ``mcp`` extra).

Installed with the ``cli`` extra (typer and rich); importing :mod:`flowise_integrations` never
imports either. Run it as ``flowise-integrations ...`` or ``python -m flowise_integrations.cli ...``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["INSTALL_HINT", "main"]

INSTALL_HINT = (
    "error: the flowise-integrations command needs typer and rich; "
    "install them with `pip install 'flowise-integrations[cli]'`"
)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the console script: run the command line and exit with its status."""
    try:
        import rich  # noqa: F401
        import typer  # noqa: F401
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        raise SystemExit(1) from None
    from ._app import run

    run(argv)
