"""Run every benchmark scenario and write ``benchmarks/RESULTS.md`` and ``benchmarks/results.json``.

Usage (from the project root; ``make bench`` installs the ``bench`` extra first)::

    .venv/bin/python -m benchmarks.run [--quick] [--no-flowise] [--only 1,3]

Each scenario has a time budget; on a loaded machine it stops after fewer rounds (never fewer
than five) rather than overrun, so the whole run stays within about five minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable

from . import data
from .harness import environment, replay_server
from .report import Row, write

# What the table cannot say by itself; true of what is measured whatever the numbers.
READING_NOTES = [
    "Target 1 is judged on the replay server, which answers instantly, so the client's own cost is "
    "all that differs; the real-Flowise rows show the same calls next to a real server's time.",
    "`chatflows.list` keeps each flow's graph (flowData, 6.8 of the 7.8 MB body) as the JSON text "
    "Flowise sent and decodes it when `flow_data` is first read; the row after it reads every graph, "
    "against a baseline that decodes every graph too.",
    "The memory row streams through `text_stream`; the client keeps what `final()` and `text` need "
    "(the answer text and the executed-node data as models), the httpx-sse baseline keeps nothing.",
    "`import flowise_integrations` loads only the package's names; the client, its resources and the "
    "response models are imported on first use. The `from flowise_integrations import Flowise` row "
    "is the import a program pays before its first call (the models follow with the first resource "
    "used).",
    "The adapters add LangChain's `BaseChatModel.invoke` (callback managers, run tracing, a signature "
    "check per call) and LlamaIndex's instrumentation dispatcher around the same client call. The "
    "rows against the thinnest adapter each framework allows (a subclass whose one method makes the "
    "bare call) measure that fixed cost in the same run; what remains is our adapters' own work.",
    "Scenario 6 runs three real servers in turn on the same machine. Queue mode splits the work of "
    "one prediction between the main server (HTTP, queue events) and a worker, so on 2 cores it "
    "uses both where one process uses one; a second worker cannot add a core that is already "
    "busy, so 2 workers over 1 is about 1.0x here and pays off only with more cores or with flows "
    "that wait on a model rather than compute.",
    "Machine load, shared with other work, moves every number; interleaving keeps the ratios fair, "
    "but compare ratios, not absolute times, between runs.",
]


def _check_bench_deps() -> None:
    missing = []
    for module, dist in (("httpx_sse", "httpx-sse"), ("flowise", "flowise==1.0.4")):
        try:
            __import__(module)
        except ImportError:
            missing.append(dist)
    if missing:
        sys.exit(f"missing benchmark dependencies {missing}: run `make bench` (installs the bench extra)")


def _guard(group: str, name: str, fn: Callable[[], list[Row]], notes: list[str]) -> list[Row]:
    start = time.monotonic()
    print(f"[bench] {group}: {name} ...", flush=True)
    try:
        rows = fn()
    except Exception as exc:
        traceback.print_exc()
        notes.append(f"Scenario {group} ({name}) failed: {type(exc).__name__}: {exc}")
        return [Row(group, name, "", None, None, "", note=f"failed: {type(exc).__name__}")]
    print(f"[bench] {group}: {name} done in {time.monotonic() - start:.1f}s", flush=True)
    for row in rows:
        ratio = "" if row.ratio is None else f" ratio {row.ratio:.3f}"
        print(f"        {row.scenario}: {row.ours} vs {row.baseline} {row.unit}{ratio} holds={row.holds}")
    return rows


def _real_flowise(scale: float, notes: list[str]) -> tuple[list[Row], str | None]:
    from flowise_integrations.testing import LocalStack, flows

    from .calls import adapters, prediction_overhead

    try:
        stack = LocalStack(with_chroma=False, use_env_server=False).start()
    except Exception as exc:
        notes.append(f"The real local Flowise could not be started ({type(exc).__name__}: {exc}).")
        row = Row("1", "`predictions.create`, real local Flowise echo agentflow", "µs/call", None, None, "")
        return [row], None
    try:
        with stack.client() as client:
            version = client.version()
            flow = flows.create_echo_agentflow(client)
        rows = _guard(
            "1",
            "real Flowise",
            lambda: prediction_overhead(
                stack.base_url,
                flow.id,
                api_key=stack.api_key,
                rounds=max(5, int(60 * scale)),
                batch=1,
                deadline=time.monotonic() + 60 * scale,
                label="real local Flowise echo agentflow",
                judged=False,
            ),
            notes,
        )
        rows += _guard(
            "5",
            "adapters, real Flowise",
            lambda: adapters(
                stack.base_url,
                rounds=max(5, int(40 * scale)),
                batch=1,
                deadline=time.monotonic() + 45 * scale,
                chatflow_id=flow.id,
                api_key=stack.api_key,
                label="real local Flowise echo agentflow",
                judged=False,
            ),
            notes,
        )
        return rows, version
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few rounds per scenario, to check the setup")
    parser.add_argument("--no-flowise", action="store_true", help="skip the real-Flowise scenarios")
    parser.add_argument("--only", default="1,2,3,4,5,6,7", help="comma-separated scenario groups")
    args = parser.parse_args(argv)
    _check_bench_deps()
    only = set(args.only.split(","))
    scale = 0.25 if args.quick else 1.0
    started = time.monotonic()
    notes: list[str] = list(READING_NOTES)
    rows: list[Row] = []

    def budget(seconds: float) -> float:
        return time.monotonic() + seconds * scale

    def rounds(n: int) -> int:
        return max(5, int(n * scale))

    from . import calls, imports, mcp, streaming

    with replay_server() as url:
        if "1" in only:
            rows += _guard(
                "1",
                "predictions.create vs raw httpx vs official SDK (replay server)",
                lambda: calls.prediction_overhead(
                    url,
                    data.PREDICTION_ID,
                    rounds=rounds(60),
                    batch=20,
                    deadline=budget(75),
                    label="replay server",
                ),
                notes,
            )
            rows += _guard(
                "1",
                "chatflows.list (200 flows)",
                lambda: calls.chatflows_list(url, rounds=rounds(15), deadline=budget(45)),
                notes,
            )
        if "2" in only:
            rows += _guard(
                "2",
                "async throughput",
                lambda: calls.async_throughput(url, rounds=rounds(8), deadline=budget(150)),
                notes,
            )
        if "3" in only:
            rows += _guard(
                "3",
                "SSE decode throughput",
                lambda: streaming.decode_throughput(rounds=rounds(15), deadline=budget(30)),
                notes,
            )
            rows += _guard(
                "3",
                "token delivery latency",
                lambda: streaming.delivery_latency(url, streams=max(2, int(6 * scale))),
                notes,
            )
            rows += _guard(
                "3",
                "RSS growth, 20 MiB stream",
                lambda: streaming.rss_growth(url, runs=1 if args.quick else 2),
                notes,
            )
        if "5" in only:
            rows += _guard(
                "5",
                "adapters",
                lambda: calls.adapters(url, rounds=rounds(40), batch=20, deadline=budget(60)),
                notes,
            )
        if "7" in only:
            rows += _guard(
                "7",
                "MCP tool calls",
                lambda: mcp.tool_call_overhead(url, rounds=rounds(40), batch=20, deadline=budget(60)),
                notes,
            )
    if "4" in only:
        rows += _guard(
            "4", "import time", lambda: imports.import_time(runs=rounds(24), deadline=budget(75)), notes
        )

    if "6" in only and not args.no_flowise:
        from .topology import topology_throughput

        rows += _guard(
            "6",
            "throughput by topology (real Flowise: one process, queue mode with 1 and 2 workers)",
            lambda: topology_throughput(
                requests=max(100, int(400 * scale)), concurrency=32, rounds=rounds(6), seconds=60 * scale
            ),
            notes,
        )

    flowise_version = None
    if "1" in only and not args.no_flowise:
        print("[bench] starting a real local Flowise (LocalStack) ...", flush=True)
        real_rows, flowise_version = _real_flowise(scale, notes)
        rows += real_rows

    rows.sort(key=lambda r: r.group)
    env = environment(flowise_version)
    recorded = data.recording()
    env["recorded_flowise_version"] = recorded.get("flowise_version")
    env["recorded_on"] = recorded.get("recorded")
    if args.quick:
        notes.append("Quick run (`--quick`): fewer rounds than the full run; indicative numbers only.")
    elapsed = time.monotonic() - started
    write(rows, env, notes, elapsed=elapsed)
    print(f"[bench] wrote benchmarks/RESULTS.md and benchmarks/results.json in {elapsed:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
