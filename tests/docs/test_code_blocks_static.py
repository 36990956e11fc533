"""The documentation's code blocks are well formed (no server needed)."""

from __future__ import annotations

import pytest

from ._blocks import DOCS, PLACEHOLDERS, pages, pages_with_code, python_blocks


def test_most_pages_have_runnable_code() -> None:
    assert len(pages_with_code()) >= 12, [page.name for page in pages_with_code()]


@pytest.mark.parametrize("page", pages(), ids=lambda page: page.relative_to(DOCS).as_posix())
def test_blocks_compile_and_use_known_placeholders(page) -> None:
    for block in python_blocks(page):
        block.compiled()  # a SyntaxError names the page and line
        unknown = block.placeholders - set(PLACEHOLDERS)
        assert not unknown, f"{block}: unknown placeholders {sorted(unknown)} (see tests/docs/_blocks.py)"
