"""The code in the documentation: ``python`` blocks of the pages, and the placeholders they use.

Convention (also described in ``docs/getting-started.md``):

* every fenced ``python`` block of every page under ``docs/`` runs, in page order, in one
  namespace per page, so a block may use names an earlier block of its page defined;
* ids and URLs a reader must supply are string placeholders such as ``"<chatflow-id>"``; the tests
  replace each with the value of a harness fixture (:data:`PLACEHOLDERS`), and the connection comes
  from ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY``, which the tests set;
* a block whose first line is ``# docs: pytest`` is a pytest module: it runs in a pytest subprocess
  against the same server instead;
* text that cannot run (shell commands, output, configuration files) is not in a ``python`` block.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"

PYTEST_DIRECTIVE = "# docs: pytest"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S
)
_PLACEHOLDER = re.compile(r"<[a-z][a-z-]*-(?:id|url)>")


@dataclasses.dataclass(frozen=True)
class Placeholder:
    fixture: str
    value: Callable[[Any], str]
    env: str
    """The environment variable the notebooks read the same value from."""


PLACEHOLDERS: dict[str, Placeholder] = {
    "<chatflow-id>": Placeholder("conversation_chatflow", lambda flow: flow.id, "DEMO_CHATFLOW_ID"),
    "<agentflow-id>": Placeholder("echo_agentflow", lambda flow: flow.id, "DEMO_AGENTFLOW_ID"),
    "<human-input-agentflow-id>": Placeholder(
        "human_input_agentflow", lambda flow: flow.id, "DEMO_HUMAN_INPUT_AGENTFLOW_ID"
    ),
    "<rag-chatflow-id>": Placeholder("retrieval_chatflow", lambda flow: flow.id, "DEMO_RAG_CHATFLOW_ID"),
    "<custom-function-chatflow-id>": Placeholder(
        "custom_function_chatflow", lambda flow: flow.id, "DEMO_CUSTOM_FUNCTION_CHATFLOW_ID"
    ),
    "<rate-limited-chatflow-id>": Placeholder(
        "rate_limited_chatflow", lambda flow: flow.id, "DEMO_RATE_LIMITED_CHATFLOW_ID"
    ),
    "<document-store-id>": Placeholder("document_store", str, "DEMO_DOCUMENT_STORE_ID"),
    "<model-base-url>": Placeholder(
        "flowise_stack", lambda stack: stack.model_base_url, "DEMO_MODEL_BASE_URL"
    ),
    "<chroma-url>": Placeholder("flowise_stack", lambda stack: stack.chroma_url, "DEMO_CHROMA_URL"),
}


@dataclasses.dataclass(frozen=True)
class Block:
    path: Path
    line: int
    """The line of the block's first code line in its page (1-based)."""
    source: str

    @property
    def is_pytest(self) -> bool:
        return self.source.lstrip().startswith(PYTEST_DIRECTIVE)

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(self.source))

    def substituted(self, values: dict[str, str]) -> str:
        source = self.source
        for placeholder in self.placeholders:
            source = source.replace(placeholder, values[placeholder])
        return source

    def compiled(self, source: str | None = None) -> Any:
        """The block compiled so that tracebacks name the page and its line numbers."""
        code = "\n" * (self.line - 1) + (self.source if source is None else source)
        return compile(code, str(self.path), "exec")

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def python_blocks(page: Path) -> list[Block]:
    text = page.read_text()
    blocks = []
    for match in _FENCE.finditer(text):
        if match["info"].strip().split(" ")[0] not in ("python", "py"):
            continue
        indent = len(match["indent"])
        body = "\n".join(line[indent:] for line in match["body"].splitlines())
        first_line = text.count("\n", 0, match.start("body")) + 1
        blocks.append(Block(page, first_line, body + "\n"))
    return blocks


def pages_with_code() -> list[Path]:
    return [page for page in pages() if python_blocks(page)]
