"""Scenario 3: streaming — decode throughput, token delivery latency, memory while streaming.

* Decode: the same bytes (the scaled recorded stream, :func:`benchmarks.data.stream_body`) through
  our path (``SSEDecoder`` + ``decode_event``, which yields typed events and validates the
  executed-node data) and through httpx-sse's (httpx's text decoder as ``iter_text`` uses it,
  ``SSELineDecoder``, ``SSEDecoder``) + ``json.loads``, fed in 64 KiB chunks and one event per chunk.
* Latency: the replay server writes a token every 2 ms carrying ``time.monotonic_ns()`` at the
  write; the client takes ``time.monotonic_ns()`` when the token reaches the caller (CLOCK_MONOTONIC
  is one clock for every process). This is write → delivery, so it also contains the loopback hop.
* Memory: a fresh interpreter streams a 20 MiB response; peak RSS (VmHWM, reset through
  ``/proc/self/clear_refs`` after a warm-up stream) minus RSS before. Ours streams it twice over:
  keeping the answer (the default) and with ``keep_answer=False``.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import httpx

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations._core.events import decode_event
from flowise_integrations._core.sse import SSEDecoder
from flowise_integrations.types import stream_events as ev

from . import data
from .harness import ROOT, interleaved
from .report import Row

API_KEY = "benchmark-key"


# ------------------------------------------------------------------------------------------- decode


def _chunks_fixed(body: bytes, size: int) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)]


def _chunks_per_event(body: bytes) -> list[bytes]:
    return [frame + b"\n\n" for frame in body.split(b"\n\n") if frame]


def ours_decode(chunks: list[bytes]) -> int:
    decoder = SSEDecoder()
    n = 0
    for chunk in chunks:
        for payload in decoder.feed(chunk):
            decode_event(payload)
            n += 1
    for payload in decoder.flush():
        decode_event(payload)
        n += 1
    return n


def _httpx_text_decoder() -> Any:
    try:
        from httpx._decoders import TextDecoder  # what Response.iter_text() uses

        return TextDecoder(encoding="utf-8")
    except ImportError:  # pragma: no cover - a future httpx
        return codecs.getincrementaldecoder("utf-8")(errors="replace")


def httpx_sse_decode(chunks: list[bytes]) -> int:
    """httpx-sse's ``EventSource.iter_sse`` over ``iter_text``, then ``json.loads`` of each event."""
    from httpx_sse._decoders import SSEDecoder as HSSEDecoder
    from httpx_sse._decoders import SSELineDecoder

    text_decoder = _httpx_text_decoder()
    lines = SSELineDecoder()
    decoder = HSSEDecoder()
    n = 0

    def handle(line: str) -> None:
        nonlocal n
        sse = decoder.decode(line.rstrip("\n"))
        if sse is not None:
            json.loads(sse.data)
            n += 1

    for chunk in chunks:
        text = text_decoder.decode(chunk)
        if text:
            for line in lines.decode(text):
                handle(line)
    text = text_decoder.flush()
    if text:
        for line in lines.decode(text):
            handle(line)
    for line in lines.flush():
        handle(line)
    return n


def decode_throughput(*, rounds: int, deadline: float) -> list[Row]:
    body = data.stream_body()
    events = body.count(b"\n\n")
    mb = len(body) / 1e6
    rows: list[Row] = []
    for label, chunks in (
        ("64 KiB chunks", _chunks_fixed(body, 65536)),
        ("one event per chunk", _chunks_per_event(body)),
    ):
        assert ours_decode(chunks) == httpx_sse_decode(chunks) == events, "decoders disagree"
        result = interleaved(
            {
                "ours": functools.partial(ours_decode, chunks),
                "httpx_sse": functools.partial(httpx_sse_decode, chunks),
            },
            rounds=rounds,
            batch=1,
            warmup=1,
            deadline=deadline,
        )
        ours_s = result["ours"].median / 1e9
        base_s = result["httpx_sse"].median / 1e9
        rows.append(
            Row(
                "3",
                f"SSE decode, {mb:.1f} MB / {events:,} events, {label}",
                "MB/s",
                mb / ours_s,
                mb / base_s,
                "httpx-sse + json.loads",
                kind="min_ratio",
                limit=1.0,
                note=f"{events / ours_s:,.0f} vs {events / base_s:,.0f} events/s",
                extra={
                    "ours_events_per_s": events / ours_s,
                    "baseline_events_per_s": events / base_s,
                    "rounds": len(result["ours"].values),
                },
            )
        )
    return rows


# ------------------------------------------------------------------------------------------ latency


def _ours_latencies(client: Flowise) -> list[int]:
    out: list[int] = []
    with client.predictions.stream(data.TIMED_STREAM_ID, "latency") as stream:
        for event in stream:
            if isinstance(event, ev.TokenEvent):
                out.append(time.monotonic_ns() - int(event.data))
    return out


def _httpx_sse_latencies(http: httpx.Client, url: str) -> list[int]:
    from httpx_sse import connect_sse

    out: list[int] = []
    with connect_sse(http, "POST", url, json={"question": "latency", "streaming": True}) as source:
        for sse in source.iter_sse():
            payload = json.loads(sse.data)
            if payload.get("event") == "token":
                out.append(time.monotonic_ns() - int(payload["data"]))
    return out


async def _async_latencies(base_url: str, streams: int) -> list[int]:
    out: list[int] = []
    async with AsyncFlowise(base_url, api_key=API_KEY) as client:
        for _ in range(streams):
            async with client.predictions.stream(data.TIMED_STREAM_ID, "latency") as stream:
                async for event in stream:
                    if isinstance(event, ev.TokenEvent):
                        out.append(time.monotonic_ns() - int(event.data))
    return out


def delivery_latency(base_url: str, *, streams: int = 4) -> list[Row]:
    url = f"{base_url.rstrip('/')}/api/v1/prediction/{data.TIMED_STREAM_ID}"
    ours: list[int] = []
    base: list[int] = []
    with (
        Flowise(base_url, api_key=API_KEY) as client,
        httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=60) as http,
    ):
        _ours_latencies(client)  # warm-up: connection, code paths
        _httpx_sse_latencies(http, url)
        for i in range(streams):
            pair: list[Callable[[], None]] = [
                lambda: ours.extend(_ours_latencies(client)),
                lambda: base.extend(_httpx_sse_latencies(http, url)),
            ]
            for run in pair if i % 2 == 0 else pair[::-1]:
                run()
    async_ours = asyncio.run(_async_latencies(base_url, max(2, streams // 2)))

    def ms(values: list[int], q: float = 0.5) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))] / 1e6

    return [
        Row(
            "3",
            "token delivery latency (write on the server → caller), sync `predictions.stream`",
            "ms",
            statistics.median(ours) / 1e6,
            statistics.median(base) / 1e6,
            "httpx-sse `iter_sse` + json.loads",
            kind="max_value",
            limit=1.0,
            note=f"p99 {ms(ours, 0.99):.2f} vs {ms(base, 0.99):.2f} ms; {len(ours)} tokens",
        ),
        Row(
            "3",
            "token delivery latency, async `predictions.stream`",
            "ms",
            statistics.median(async_ours) / 1e6,
            statistics.median(base) / 1e6,
            "httpx-sse (sync) `iter_sse` + json.loads",
            kind="max_value",
            limit=1.0,
            note=f"p99 {ms(async_ours, 0.99):.2f} ms; {len(async_ours)} tokens",
        ),
    ]


# ------------------------------------------------------------------------------------------- memory


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:  # "5" resets VmHWM to the current RSS
            f.write("5")
        return True
    except OSError:
        return False


# A consumer streams one response and returns the number of items it saw and a function giving
# the size of the answer text it keeps (called after the peak is read: it builds the string).
Consumer = Callable[[str], tuple[int, Callable[[], int]]]


def _consume_ours(base_url: str, *, keep_answer: bool = True) -> Generator[Consumer, None, None]:
    with Flowise(base_url, api_key=API_KEY, timeout=120) as client:

        def run(flow_id: str) -> tuple[int, Callable[[], int]]:
            with client.predictions.stream(flow_id, "memory", keep_answer=keep_answer) as stream:
                n = 0
                for _chunk in stream.text_stream:
                    n += 1
                return n, (lambda: len(stream.text.encode())) if keep_answer else (lambda: 0)

        yield run


def _consume_httpx_sse(base_url: str) -> Generator[Consumer, None, None]:
    from httpx_sse import connect_sse

    with httpx.Client(headers={"Authorization": f"Bearer {API_KEY}"}, timeout=120) as http:

        def run(flow_id: str) -> tuple[int, Callable[[], int]]:
            url = f"{base_url.rstrip('/')}/api/v1/prediction/{flow_id}"
            n = 0
            with connect_sse(http, "POST", url, json={"question": "memory", "streaming": True}) as source:
                for sse in source.iter_sse():
                    json.loads(sse.data)
                    n += 1
            return n, lambda: 0

        yield run


def rss_probe(mode: str, base_url: str) -> dict[str, Any]:
    """Runs in a fresh interpreter: RSS growth (KiB) while streaming the 20 MiB response."""
    import gc

    consumer = {
        "ours": _consume_ours,
        "ours_not_kept": functools.partial(_consume_ours, keep_answer=False),
        "httpx_sse": _consume_httpx_sse,
    }[mode](base_url)
    run = next(consumer)
    run(data.SMALL_STREAM_ID)  # warm-up: imports, connection, validators
    gc.collect()
    reset = _reset_peak()
    before_rss = _status_kib("VmRSS")
    before_peak = _status_kib("VmHWM")
    count, kept = run(data.BIG_STREAM_ID)
    after_peak = _status_kib("VmHWM")
    text_bytes = kept()
    consumer.close()
    base = before_rss if reset else max(before_rss, before_peak)
    return {
        "mode": mode,
        "growth_kib": after_peak - base,
        "reset": reset,
        "items": count,
        "text_bytes": text_bytes,
    }


def rss_growth(base_url: str, *, runs: int = 2) -> list[Row]:
    modes = ["ours", "ours_not_kept", "httpx_sse"]
    results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for i in range(runs):
        for mode in modes if i % 2 == 0 else modes[::-1]:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.streaming", "rss", mode, base_url],
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=300,
                check=False,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            if done.returncode != 0:
                raise RuntimeError(f"rss probe failed: {done.stderr[-2000:]}")
            results[mode].append(json.loads(done.stdout.strip().splitlines()[-1]))

    def growth_mb(mode: str) -> float:
        return statistics.median(r["growth_kib"] for r in results[mode]) * 1024 / 1e6

    ours, not_kept, base = growth_mb("ours"), growth_mb("ours_not_kept"), growth_mb("httpx_sse")
    reset = all(r["reset"] for rs in results.values() for r in rs)
    caveat = "" if reset else "VmHWM could not be reset; growth over the earlier peak. "
    text_mb = max(r["text_bytes"] for r in results["ours"]) / 1e6
    size = sum(map(len, data.big_stream_frames())) / 2**20
    baseline = "httpx-sse + json.loads, events discarded"
    return [
        Row(
            "3",
            f"peak RSS growth streaming a {size:.0f} MiB response (`text_stream`, `keep_answer=False`)",
            "MB",
            not_kept,
            base,
            baseline,
            kind="below_value",
            limit=5.0,
            note=caveat + "ours keeps no answer (`final()` and `text` raise), like the baseline",
            extra={"runs": results},
        ),
        Row(
            "3",
            f"peak RSS growth streaming a {size:.0f} MiB response (`text_stream`, the default) — "
            "shown beside the target",
            "MB",
            ours,
            base,
            baseline,
            note=caveat + f"ours keeps what `final()` needs: the answer text ({text_mb:.2f} MB) and "
            f"the executed-node data (256 KiB of JSON as models); growth beyond the text "
            f"{ours - text_mb:.2f} MB",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1] == "rss":
        print(json.dumps(rss_probe(sys.argv[2], sys.argv[3])))
