"""docs/compatibility.md: its capability table is the client's, and its matrix is rendered as said."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from flowise_integrations._core.capabilities import CAPABILITIES

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "compatibility.md"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compatibility", ROOT / "scripts" / "compatibility.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_capability_table_matches_the_client() -> None:
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| (\d+\.\d+\.\d+) \|$", PAGE.read_text(), re.M)
    assert dict(rows) == {name: capability.since_text for name, capability in CAPABILITIES.items()}


def test_the_matrix_block_is_there_once() -> None:
    script = _script()
    text = PAGE.read_text()
    assert text.count(script.START) == 1
    assert text.count(script.END) == 1
    assert text.index(script.START) < text.index(script.END)


def test_render_puts_the_newest_release_first_and_numbers_notes() -> None:
    script = _script()
    old = {
        "version": "2.2.8",
        "rows": [
            {
                "feature": "Executions",
                "status": "unsupported",
                "notes": ["refused: `executions` needs 3.0.0"],
            },
            {"feature": "Tools", "status": "supported", "notes": []},
        ],
    }
    new = {
        "version": "3.1.4",
        "rows": [
            {"feature": "Executions", "status": "supported", "notes": []},
            {"feature": "Tools", "status": "supported", "notes": []},
            {"feature": "Schedules", "status": "supported", "notes": ["only on 3.1.3 and later"]},
        ],
    }
    assert script.render([old, new]).splitlines() == [
        "| Feature | Flowise 3.1.4 | Flowise 2.2.8 |",
        "|---|---|---|",
        "| Executions | yes | no [1] |",
        "| Tools | yes | yes |",
        "| Schedules | yes [2] | not run |",
        "",
        "1. refused: `executions` needs 3.0.0",
        "2. only on 3.1.3 and later",
    ]
