"""Scenario 4: import time of ``flowise_integrations`` vs ``httpx`` + ``pydantic``, fresh interpreters.

The package's names load on first use, so ``import flowise_integrations`` alone says little; the
import of the client a program actually uses (``from flowise_integrations import Flowise``) is
measured beside it.

Each run is a new interpreter that times its own ``import`` statement (``time.perf_counter_ns``
around it, so interpreter start-up is left out of both sides) and reports which modules it
loaded. Runs alternate between the two sides. The wall time of the whole process is kept too.

Both sides run with byte-code caches, as an installed package has them: the interpreters get a
private ``PYTHONPYCACHEPREFIX`` (filled by the warm-up runs) and ``PYTHONDONTWRITEBYTECODE`` is
cleared, so neither side pays for compiling sources (an editable install under
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile this package on every start).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from .harness import ROOT
from .report import Row

_PROBE = """
import sys, time, json
t = time.perf_counter_ns()
{statement}
elapsed = time.perf_counter_ns() - t
FRAMEWORKS = {{"langchain", "langchain_core", "llama_index"}}
frameworks = sorted({{m.split(".")[0] for m in sys.modules}} & FRAMEWORKS)
print(json.dumps({{"ns": elapsed, "modules": len(sys.modules), "frameworks": frameworks}}))
"""

SIDES = {
    "ours": "import flowise_integrations",
    "client": "from flowise_integrations import Flowise",
    "baseline": "import httpx, pydantic",
}


def _run(statement: str, env: dict[str, str]) -> tuple[dict[str, object], float]:
    start = time.perf_counter_ns()
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    wall = (time.perf_counter_ns() - start) / 1e6
    return json.loads(done.stdout), wall


def import_time(*, runs: int, deadline: float) -> list[Row]:
    cache = tempfile.mkdtemp(prefix="flowise-bench-pycache-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    try:
        return _import_time(runs=runs, deadline=deadline, env=env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _import_time(*, runs: int, deadline: float, env: dict[str, str]) -> list[Row]:
    for _ in range(2):  # warm-up: fills the byte-code cache
        for statement in SIDES.values():
            _run(statement, env)
    imports: dict[str, list[float]] = {name: [] for name in SIDES}
    walls: dict[str, list[float]] = {name: [] for name in SIDES}
    frameworks: set[str] = set()
    module_counts: dict[str, int] = {}
    for i in range(runs):
        if i >= 8 and time.monotonic() > deadline:
            break
        order = list(SIDES) if i % 2 == 0 else list(SIDES)[::-1]
        for name in order:
            result, wall = _run(SIDES[name], env)
            imports[name].append(float(result["ns"]) / 1e6)  # type: ignore[arg-type]
            walls[name].append(wall)
            module_counts[name] = int(result["modules"])  # type: ignore[call-overload]
            if name != "baseline":
                frameworks.update(result["frameworks"])  # type: ignore[arg-type]
    base_wall = statistics.median(walls["baseline"])
    rows = [
        Row(
            "4",
            f"`{SIDES[name]}` (the import statement, fresh interpreter)",
            "ms",
            statistics.median(imports[name]),
            statistics.median(imports["baseline"]),
            f"`{SIDES['baseline']}`",
            kind="max_ratio",
            limit=1.3,
            note=f"whole process {statistics.median(walls[name]):.0f} vs {base_wall:.0f} ms; "
            f"{module_counts.get(name, 0)} vs {module_counts.get('baseline', 0)} modules loaded",
            extra={
                "runs": len(imports[name]),
                "ours_ms": imports[name],
                "baseline_ms": imports["baseline"],
            },
        )
        for name in ("ours", "client")
    ]
    return [
        *rows,
        Row(
            "4",
            "LangChain / LlamaIndex imported by either import of ours",
            "modules",
            float(len(frameworks)),
            None,
            "",
            kind="max_value",
            limit=0,
            note=", ".join(sorted(frameworks)) if frameworks else "none (langchain, llama_index)",
        ),
    ]
