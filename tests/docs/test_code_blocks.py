"""Every ``python`` block of the documentation runs against the harness's real Flowise.

See ``_blocks.py`` for the convention: blocks of one page share a namespace, placeholders such as
``"<chatflow-id>"`` become fixture values, ``# docs: pytest`` blocks run as pytest modules.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from flowise_integrations.testing import LocalStack

from ._blocks import DOCS, Block, pages_with_code, python_blocks

pytestmark = pytest.mark.integration


def run_pytest_block(block: Block, source: str, directory: Path) -> None:
    module = directory / f"test_docs_{block.path.stem.replace('-', '_')}_{block.line}.py"
    module.write_text(source)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-o",
            "asyncio_mode=auto",
            module.name,
        ],
        cwd=directory,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, f"the pytest block at {block} failed:\n{result.stdout}\n{result.stderr}"
    assert " passed" in result.stdout, result.stdout
    assert "skipped" not in result.stdout, result.stdout


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Pages may configure logging, as a reader would; the test session's loggers stay as they were."""
    loggers = [logging.getLogger(), logging.getLogger("flowise_integrations"), logging.getLogger("httpx")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("page", pages_with_code(), ids=lambda page: page.relative_to(DOCS).as_posix())
def test_page_code_runs(
    page: Path,
    docs_env: LocalStack,
    placeholder_values: Callable[[Iterable[str]], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # files a block writes land here
    blocks = python_blocks(page)
    values = placeholder_values(set().union(*(block.placeholders for block in blocks)))
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    for block in blocks:
        source = block.substituted(values)
        if block.is_pytest:
            run_pytest_block(block, source, tmp_path)
        else:
            exec(block.compiled(source), namespace)
