"""Every notebook runs top to bottom against the harness's real Flowise, without an error.

The kernel inherits this process's environment: ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY`` and the
``DEMO_*`` ids the notebooks' first cells read (see ``PLACEHOLDERS`` in ``_blocks.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient

from flowise_integrations.testing import LocalStack

from ._blocks import NOTEBOOKS, PLACEHOLDERS

pytestmark = pytest.mark.integration

NOTEBOOK_ENV = {name: placeholder.env for name, placeholder in PLACEHOLDERS.items()}


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda path: path.name)
def test_notebook_runs(
    path: Path,
    docs_env: LocalStack,
    placeholder_values: Callable[[Iterable[str]], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    text = path.read_text()
    used = [name for name, env in NOTEBOOK_ENV.items() if env in text]
    for name, value in placeholder_values(used).items():
        monkeypatch.setenv(NOTEBOOK_ENV[name], value)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=NATIVE_KERNEL_NAME,  # ipykernel's "python3", run by this interpreter
        timeout=180,
        resources={"metadata": {"path": str(tmp_path)}},  # files a notebook writes land here
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
