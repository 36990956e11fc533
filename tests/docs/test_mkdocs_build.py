"""The documentation site builds with ``mkdocs build --strict``: no broken link, anchor or reference."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ._blocks import ROOT, pages


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    built = {path.relative_to(site).parent.as_posix() for path in site.rglob("index.html")}
    for page in pages():
        name = page.relative_to(ROOT / "docs").with_suffix("").as_posix()
        assert (name == "index" and "." in built) or name in built, f"{name} was not built"
    reference = (site / "reference" / "client" / "index.html").read_text()
    assert 'id="flowise_integrations.Flowise"' in reference
    assert 'id="flowise_integrations._sync.resources.chatflows.Chatflows.create"' in reference
