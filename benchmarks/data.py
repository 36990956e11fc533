"""The recorded Flowise bodies (``benchmarks/data/``) and the streams built from them.

The bodies were recorded once from a real local Flowise by ``benchmarks/record.py``. The large
streams are the recorded ones scaled up: the token events of a real conversation-chatflow stream
repeated in order, framed exactly as Flowise frames them, around the real agentflow events of an
echo-agentflow stream whose final ``agentFlowExecutedData`` event is enlarged by repeating its
nodes (with distinct ids).
"""

from __future__ import annotations

import functools
import json
import lzma
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

# Fixed chatflow ids the benchmark server routes on (streams need a UUID).
PREDICTION_ID = "00000000-0000-4000-8000-000000000001"
STREAM_ID = "00000000-0000-4000-8000-000000000002"
BIG_STREAM_ID = "00000000-0000-4000-8000-000000000003"
TIMED_STREAM_ID = "00000000-0000-4000-8000-000000000004"
SMALL_STREAM_ID = "00000000-0000-4000-8000-000000000005"

STREAM_TOKENS = 50_000
BIG_STREAM_BYTES = 20 * 1024 * 1024
EXECUTED_DATA_BYTES = 256 * 1024


@functools.cache
def prediction_body() -> bytes:
    return (DATA / "prediction.json").read_bytes()


@functools.cache
def chatflows_body() -> bytes:
    return lzma.decompress((DATA / "chatflows_200.json.xz").read_bytes())


@functools.cache
def chatflows_streaming_body() -> bytes:
    return (DATA / "chatflows_streaming.json").read_bytes()


@functools.cache
def recording() -> dict[str, Any]:
    meta: dict[str, Any] = json.loads((DATA / "recording.json").read_text())
    return meta


def _frames(raw: bytes) -> list[bytes]:
    """The events of a recorded stream, each as Flowise framed it (without the blank line)."""
    return [frame for frame in raw.split(b"\n\n") if frame.strip()]


def _payload(frame: bytes) -> dict[str, Any]:
    for line in frame.split(b"\n"):
        if line.startswith(b"data:"):
            payload: dict[str, Any] = json.loads(line[5:])
            return payload
    raise ValueError(f"no data line in {frame!r}")


def _frame(payload: dict[str, Any]) -> bytes:
    # Flowise's framing: a ``message`` field, then ``data:`` without a space, compact JSON.
    return b"message:\ndata:" + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"


def _executed_data(nodes: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """The recorded executed nodes repeated (with distinct ids) until they serialise to ``size`` bytes."""
    out: list[dict[str, Any]] = []
    total = 0
    i = 0
    while total < size:
        node = json.loads(json.dumps(nodes[i % len(nodes)]))
        node["nodeId"] = f"{node['nodeId']}_{i}"
        node["data"]["id"] = node["nodeId"]
        out.append(node)
        total += len(json.dumps(node, separators=(",", ":")))
        i += 1
    return out


@functools.cache
def _token_frames() -> tuple[bytes, ...]:
    return tuple(f for f in _frames((DATA / "stream_tokens.sse").read_bytes()) if b'"event":"token"' in f)


def stream_frames(*, tokens: int, executed_bytes: int = EXECUTED_DATA_BYTES) -> list[bytes]:
    """An agentflow stream: ``tokens`` recorded tokens, agentflow events, a large executed-data event."""
    token_frames = _token_frames()
    agent = _frames((DATA / "stream_agentflow.sse").read_bytes())
    names = [_payload(f)["event"] for f in agent]
    last_executed = max(i for i, name in enumerate(names) if name == "agentFlowExecutedData")
    big = _payload(agent[last_executed])
    big["data"] = _executed_data(big["data"], executed_bytes)
    named = list(zip(agent, names, strict=True))
    head = [f for f, name in named if name in ("agentFlowEvent", "nextAgentFlow")][:2]
    tail = [f for f, name in named if name in ("metadata", "end")]
    body = [token_frames[i % len(token_frames)] + b"\n\n" for i in range(tokens)]
    return [f + b"\n\n" for f in head] + body + [_frame(big)] + [f + b"\n\n" for f in tail]


def small_stream_frames() -> list[bytes]:
    """The recorded echo-agentflow stream as it is."""
    return [f + b"\n\n" for f in _frames((DATA / "stream_agentflow.sse").read_bytes())]


@functools.cache
def stream_body() -> bytes:
    """The decode-benchmark stream (about 2.6 MB, 50,000 tokens)."""
    return b"".join(stream_frames(tokens=STREAM_TOKENS))


@functools.cache
def big_stream_frames() -> tuple[bytes, ...]:
    """The same composition with enough tokens for a 20 MiB response."""
    fixed = sum(map(len, stream_frames(tokens=0)))
    cycle = _token_frames()
    per_cycle = sum(len(f) + 2 for f in cycle)
    tokens = (BIG_STREAM_BYTES - fixed) * len(cycle) // per_cycle + 1
    return tuple(stream_frames(tokens=tokens))


def token_count(body: bytes) -> int:
    return body.count(b'"event":"token"')
