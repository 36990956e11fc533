"""The notebooks are committed clean and say where their ids come from (no server needed)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from ._blocks import NOTEBOOKS, PLACEHOLDERS

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
KNOWN_ENV = {placeholder.env for placeholder in PLACEHOLDERS.values()} | {"FLOWISE_BASE_URL"}
_READ_ENV = re.compile(r'os\.environ\["([A-Z_]+)"\]')


def test_the_notebooks_are_there() -> None:
    names = {path.stem.split("-", 1)[1] for path in NOTEBOOK_PATHS}
    assert names >= {
        "quickstart",
        "streaming",
        "langchain",
        "llama-index",
        "admin-api",
        "document-stores-rag",
    }


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_is_valid_and_has_no_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has stored outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda path: path.name)
def test_notebook_starts_by_explaining_its_settings(path: Path) -> None:
    intro, setup = nbformat.read(path, as_version=4).cells[:2]
    assert intro.cell_type == "markdown"
    assert "python -m flowise_integrations.testing serve" in intro.source
    assert setup.cell_type == "code"
    read = set(_READ_ENV.findall(setup.source))
    assert read, f"{path.name}: the second cell reads no setting from the environment"
    assert read <= KNOWN_ENV, read - KNOWN_ENV
    for name in read - {"FLOWISE_BASE_URL"}:
        assert f"export {name}=" in intro.source, (
            f"{path.name}: the first cell does not say how to set {name}"
        )
