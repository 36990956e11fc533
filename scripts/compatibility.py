"""Write the version matrix of docs/compatibility.md from the compat suite's results.

Each run of ``tests/compat`` against one Flowise release leaves ``.compat/<version>.json`` (one
row per feature: supported, unsupported, or failed, with notes). This script puts them side by
side, newest release first, between the page's ``matrix`` markers; the prose around them is
written by hand. ``--check`` fails instead of writing when the page does not show these results
(``make test`` runs it, so the page cannot drift from what the suite measured)::

    .venv/bin/python scripts/compatibility.py [--check] .compat/3.1.4.json .compat/2.2.8.json ...
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "compatibility.md"
START = "<!-- matrix:start (written by scripts/compatibility.py from the compat suite's results) -->"
END = "<!-- matrix:end -->"
CELLS = {"supported": "yes", "unsupported": "no"}


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("-")[0].split("."))


def render(results: list[dict[str, Any]]) -> str:
    """The table (and its numbered notes) for ``results``, one per release."""
    runs = sorted(results, key=lambda run: _version_key(run["version"]), reverse=True)
    features = [row["feature"] for row in runs[0]["rows"]]
    by_run = [{row["feature"]: row for row in run["rows"]} for run in runs]
    notes: list[str] = []
    lines = [
        "| Feature | " + " | ".join(f"Flowise {run['version']}" for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for feature in features:
        cells = []
        for rows in by_run:
            row = rows.get(feature)
            if row is None:
                cells.append("not run")
                continue
            cell = CELLS.get(row["status"], "**failed**")
            for note in row["notes"]:
                if note not in notes:
                    notes.append(note)
                cell += f" [{notes.index(note) + 1}]"
            cells.append(cell)
        lines.append(f"| {feature} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"{number}. {note}" for number, note in enumerate(notes, start=1))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("results", nargs="+", type=Path, help="the .compat/<version>.json files")
    parser.add_argument("--check", action="store_true", help="fail if the page does not show these results")
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.results if not path.is_file()]
    if missing:
        print(f"no compat results at {', '.join(missing)}: run the compat suite first", file=sys.stderr)
        return 1
    results = [json.loads(path.read_text()) for path in args.results]
    failed = [
        f"{run['version']}: {row['feature']}"
        for run in results
        for row in run["rows"]
        if row["status"] == "failed"
    ]
    if failed:
        print("compat tests failed:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    page = PAGE.read_text()
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = f"{head}{START}\n{render(results)}\n{END}{tail}"
    if args.check:
        if updated != page:
            print(
                "docs/compatibility.md does not show the compat suite's results; "
                "run `make compatibility` and commit the page",
                file=sys.stderr,
            )
            return 1
        return 0
    PAGE.write_text(updated)
    print(f"wrote the matrix of {len(results)} releases into {PAGE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
