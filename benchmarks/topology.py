"""Scenario 6: ``AsyncFlowise`` throughput on Flowise's topologies, one process vs queue mode.

The echo agentflow (no model) on three real local servers started one after the other: the
default single process on SQLite, and queue mode on PostgreSQL with 1 and with 2 BullMQ workers.
On each, our client and raw ``httpx.AsyncClient`` send the same predictions, interleaved; the
rows compare the two clients on each topology, then the topologies with each other (our client).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass

from flowise_integrations.testing import LocalFlowise, flows
from flowise_integrations.testing._server import Database, Mode

from .calls import throughput
from .report import Row


@dataclass(frozen=True)
class Topology:
    label: str
    mode: Mode
    workers: int
    database: Database

    def server(self) -> LocalFlowise:
        return LocalFlowise(mode=self.mode, workers=self.workers, database=self.database)


TOPOLOGIES = (
    Topology("one process, SQLite", "main", 0, "sqlite"),
    Topology("queue mode, 1 worker, Postgres", "queue", 1, "postgres"),
    Topology("queue mode, 2 workers, Postgres", "queue", 2, "postgres"),
)


def _measure(
    topology: Topology, *, requests: int, concurrency: int, rounds: int, seconds: float
) -> dict[str, float]:
    with topology.server() as server:
        with server.client() as client:
            flow = flows.create_echo_agentflow(client)
        runs = asyncio.run(
            throughput(
                server.base_url,
                requests=requests,
                concurrency=concurrency,
                rounds=rounds,
                deadline=time.monotonic() + seconds,
                chatflow_id=flow.id,
                api_key=server.api_key,
            )
        )
    return {name: statistics.median(values) for name, values in runs.items()}


def topology_throughput(*, requests: int, concurrency: int, rounds: int, seconds: float) -> list[Row]:
    measured = {
        t.label: _measure(t, requests=requests, concurrency=concurrency, rounds=rounds, seconds=seconds)
        for t in TOPOLOGIES
    }
    calls = f"{requests:,} echo-agentflow calls at concurrency {concurrency}"
    rows = [
        Row(
            "6",
            f"`AsyncFlowise` on {label}, {calls}",
            "req/s",
            result["ours"],
            result["raw"],
            "raw httpx.AsyncClient + json.loads, same server",
            kind="min_ratio",
            limit=0.95,
        )
        for label, result in measured.items()
    ]
    single, one, two = (measured[t.label]["ours"] for t in TOPOLOGIES)
    rows += [
        Row(
            "6", "queue mode, 1 worker vs one process (our client)", "req/s", one, single, TOPOLOGIES[0].label
        ),
        Row("6", "queue mode, 2 workers vs 1 worker (our client)", "req/s", two, one, TOPOLOGIES[1].label),
    ]
    return rows
