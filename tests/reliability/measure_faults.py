"""Time to fail, per fault and client flavour: ``python -m tests.reliability.measure_faults``.

Runs every fault of the fault server against the sync and async clients (1 s timeout, no
retries unless the row says so), non-streaming (``chatflows.get``) and streaming, and prints the
error each ended with and how long it took, as a Markdown table. Not a test: the numbers depend
on the machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from flowise_integrations import AsyncFlowise, Flowise, RetryPolicy
from tests.reliability import fault_server as faults
from tests.reliability.fault_server import FLOW_ID, FaultServer

TIMEOUT = 1.0
TINY_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.01, jitter=0)
STREAM_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.01, jitter=0, retry_non_idempotent=True)

JSON, STREAM, BOTH = ("json",), ("stream",), ("json", "stream")
RETRY = {"retry": TINY_RETRIES}

# (label, behaviour (None: nothing listens), client settings, the calls it applies to)
FAULTS: list[tuple[str, Callable[[faults.Conn], None] | None, dict[str, Any], tuple[str, ...]]] = [
    ("connection refused", None, {}, BOTH),
    ("reset before headers", faults.reset_before_headers, {}, BOTH),
    ("closed before headers", faults.close_before_headers, {}, BOTH),
    ("reset mid-body (JSON)", faults.reset_mid_body, {}, BOTH),
    ("incomplete body, FIN (JSON)", faults.incomplete_body, {}, BOTH),
    ("reset mid-stream", faults.reset_mid_stream, {}, STREAM),
    ("truncated JSON", faults.truncated_json, {}, BOTH),
    ("stream cut inside an event", faults.truncated_stream, {}, STREAM),
    ("malformed SSE lines", faults.malformed_sse_lines, {}, STREAM),
    ("invalid JSON in data:", faults.invalid_json_in_data, {}, STREAM),
    ("never answers", faults.silent_before_headers, {}, BOTH),
    ("headers, then silence", faults.silent_after_headers, {}, JSON),
    ("stream never ends", faults.never_ending_stream, {}, STREAM),
    ("502, retries 2 x 10 ms", faults.status(502), RETRY, BOTH),
    ("503 Retry-After: 1, retries 2", faults.status(503, retry_after="1"), RETRY, BOTH),
    ("504, retries 2 x 10 ms", faults.status(504), RETRY, BOTH),
    ("500, retries 2 allowed", faults.status(500), RETRY, BOTH),
    (
        "429 text, Retry-After: 1, retries 2",
        faults.status(429, retry_after="1", text="Too many"),
        RETRY,
        BOTH,
    ),
    ("429 text, Retry-After: 60", faults.status(429, retry_after="60", text="Too many"), RETRY, BOTH),
    ("HTML 502 page", faults.html_502, {}, BOTH),
    ("HTML 404 page", faults.html_404, {}, BOTH),
    ("text/html 200 for JSON", faults.html_200, {}, BOTH),
    ("50 MB JSON", faults.big_json, {}, JSON),
    ("50 MB invalid JSON", faults.big_invalid_json, {}, JSON),
    ("50 MB HTML error page", faults.big_html_error, {}, JSON),
    ("50 MB stream (1 KB tokens)", faults.big_stream, {}, STREAM),
    ("50 MB in one event", faults.big_single_event, {}, STREAM),
    ("slow drip, 0.1 s per piece (< timeout)", faults.drip(0.1), {}, BOTH),
    ("slow drip, 1.5 s per piece (> timeout)", faults.drip(1.5), {}, BOTH),
]


def _outcome(started: float, error: BaseException | None) -> str:
    elapsed = time.perf_counter() - started
    name = "ok" if error is None else type(error).__name__
    return f"{name} {elapsed:.2f} s"


def _sync(url: str, settings: dict[str, Any], stream: bool) -> str:
    started = time.perf_counter()
    with Flowise(url, api_key="k", timeout=TIMEOUT, **(settings or {"max_retries": 0})) as client:
        try:
            if stream:
                with client.predictions.stream(FLOW_ID, "q") as events:
                    events.final()
            else:
                client.chatflows.get(FLOW_ID)
        except Exception as error:
            return _outcome(started, error)
    return _outcome(started, None)


async def _async(url: str, settings: dict[str, Any], stream: bool) -> str:
    started = time.perf_counter()
    async with AsyncFlowise(url, api_key="k", timeout=TIMEOUT, **(settings or {"max_retries": 0})) as client:
        try:
            if stream:
                async with client.predictions.stream(FLOW_ID, "q") as events:
                    await events.final()
            else:
                await client.chatflows.get(FLOW_ID)
        except Exception as error:
            return _outcome(started, error)
    return _outcome(started, None)


def main() -> None:
    server = FaultServer()
    refused, holder = faults.refused_url()
    print("| fault | sync `chatflows.get` | sync stream | async `chatflows.get` | async stream |")
    print("|---|---|---|---|---|")
    try:
        for label, behaviour, settings, calls in FAULTS:
            url = refused if behaviour is None else server.url
            cells = []
            for flavour in ("sync", "async"):
                for stream in (False, True):
                    if ("stream" if stream else "json") not in calls:
                        cells.append("n/a")
                        continue
                    if behaviour is not None:
                        server.serve(behaviour)
                    # A streamed prediction is a POST: retried on gateway errors only when allowed.
                    call_settings = {"retry": STREAM_RETRIES} if stream and settings else settings
                    if flavour == "sync":
                        cells.append(_sync(url, call_settings, stream))
                    else:
                        cells.append(asyncio.run(_async(url, call_settings, stream)))
                    if behaviour is not None:
                        cells[-1] += f", {server.hits} hit{'s' if server.hits != 1 else ''}"
                    server.release()
            print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    finally:
        holder.close()
        server.close()


if __name__ == "__main__":
    main()
