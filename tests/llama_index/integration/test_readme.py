"""The README's LlamaIndex example runs against the harness, configured only by the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowise_integrations.testing import LocalStack
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[3] / "README.md"


def llama_index_example() -> str:
    section = README.read_text().split("\n## LlamaIndex\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "no python block in the README's LlamaIndex section"
    return match.group(1)


def test_readme_example_runs(
    flowise_stack: LocalStack,
    retrieval_chatflow: Chatflow,
    conversation_chatflow: Chatflow,
    document_store: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FLOWISE_BASE_URL", flowise_stack.base_url)
    monkeypatch.setenv("FLOWISE_API_KEY", flowise_stack.api_key)
    code = llama_index_example()
    for placeholder, value in (
        ("<rag-chatflow-id>", retrieval_chatflow.id),
        ("<chatflow-id>", conversation_chatflow.id),
        ("<document-store-id>", document_store),
    ):
        assert placeholder in code
        code = code.replace(placeholder, value)
    assert not re.search(r"<[a-z-]+-id>", code)

    exec(compile(code, str(README), "exec"), {"__name__": "readme_example"})

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("FAKE: Why is the sky blue? ['sky.txt', ")
    assert lines[1] == "FAKE: Why is the sky blue? -> sky.txt"
    assert lines[2] == "['sky.txt', 'volcano.txt']"
    assert lines[3] == "assistant: FAKE: What is my name?"
    assert lines[4] == "FAKE: What is my name? | stored messages: 4"
    assert lines[5].startswith("['predict', 'list_chatflows', 'query_document_store', 'upsert_text'")
    assert lines[5].endswith(f"'{retrieval_chatflow.name}']")
