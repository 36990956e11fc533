"""Fail unless every public client method ran during the integration tests.

Reads a coverage JSON report (``coverage json``) of an integration-only run and checks, for the
resource modules, the clients and the streams of both flavours, that at least one line of every
public method's body was executed. Prints the methods that were not.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flowise_integrations"
MODULES = sorted(
    [*PACKAGE.glob("_async/resources/*.py"), *PACKAGE.glob("_sync/resources/*.py")]
    + [
        PACKAGE / flavour / name
        for flavour in ("_async", "_sync")
        for name in ("_client.py", "_streaming.py")
    ]
)


def public_methods(path: Path) -> list[tuple[str, set[int]]]:
    """``Class.method`` and the line numbers of its body, for public methods of public classes."""
    tree = ast.parse(path.read_text())
    found: list[tuple[str, set[int]]] = []
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef) or cls.name.startswith("_"):
            continue
        for item in cls.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and not item.name.startswith("_"):
                if any(isinstance(d, ast.Name) and d.id == "overload" for d in item.decorator_list):
                    continue
                body = item.body[1:] if ast.get_docstring(item) else item.body
                lines = {n for stmt in body for n in range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1)}
                found.append((f"{cls.name}.{item.name}", lines))
    return found


def main() -> int:
    report = json.loads(Path(sys.argv[1] if len(sys.argv) > 1 else "coverage.json").read_text())
    files = {str(Path(name).resolve()): data for name, data in report["files"].items()}
    missing: list[str] = []
    total = 0
    for module in MODULES:
        executed = set(files.get(str(module.resolve()), {}).get("executed_lines", []))
        for name, lines in public_methods(module):
            total += 1
            if not lines & executed:
                missing.append(f"{module.relative_to(ROOT)}: {name}")
    for line in missing:
        print(f"  not called in the integration tests: {line}")
    print(f"methods: {total - len(missing)} passed, {len(missing)} failed")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
