"""No leaks: thousands of requests, aborted and abandoned streams and errors give back every socket.

A fast keep-alive server runs in its own process (``fast_server.py``), so ``/proc/self/fd`` holds
only the client's side. Each check compares against a baseline taken after a warm-up: the
sockets this process has open to the server, its file descriptors, and the connections in the
client's pool (all idle, as many as before). After the client closes, no socket to the server is
left and the descriptor count is back where it started.
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flowise_integrations import (
    APIConnectionError,
    AsyncFlowise,
    Flowise,
    InternalServerError,
    NotFoundError,
)
from flowise_integrations._constants import DEFAULT_CONNECTION_LIMITS
from tests.reliability.sockets import open_fds, opened_since, sockets_to

pytestmark = pytest.mark.timeout(180)

ROOT = Path(__file__).resolve().parents[2]
FLOW = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
STREAM_TEXT = "".join(f"t{i} " for i in range(5))
REQUESTS = 10_000
CONCURRENCY = 100
KEEPALIVE = DEFAULT_CONNECTION_LIMITS.max_keepalive_connections


@dataclass(frozen=True)
class Server:
    url: str
    port: int


@pytest.fixture(scope="module")
def fast_server() -> Iterator[Server]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.fast_server"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        yield Server(f"http://127.0.0.1:{port}", port)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(10)
        process.stdout.close()  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------------- measuring


def pool(client: Flowise | AsyncFlowise) -> list[Any]:
    """The connections in the client's httpcore pool."""
    return list(client._http._transport._pool.connections)  # type: ignore[union-attr]


@dataclass(frozen=True)
class Snapshot:
    """Descriptors opened since the client was created, sockets to the server, pooled connections."""

    new_fds: int
    sockets: int
    pooled: int

    @classmethod
    def take(cls, client: Flowise | AsyncFlowise, port: int, before: Counter[str]) -> Snapshot:
        connections = pool(client)
        assert all(c.is_idle() for c in connections), f"connections still in use: {connections}"
        snapshot = cls(opened_since(before), sockets_to(port), len(connections))
        assert snapshot.sockets == snapshot.pooled == snapshot.new_fds, (
            f"descriptors outside the pool: {snapshot}"
        )
        return snapshot


SETTLE_LIMIT = 60.0
"""A failsafe only: every wait below ends when its condition holds, however busy the machine is."""


def settle_sync(check: Callable[[], bool]) -> None:
    """Wait for ``check`` to hold: a closed socket's entry leaves /proc once the kernel is done with it."""
    deadline = time.monotonic() + SETTLE_LIMIT
    while not check() and time.monotonic() < deadline:
        time.sleep(0.01)


async def settle(check: Callable[[], bool]) -> None:
    """Run the event loop until ``check`` holds.

    Closes are handed to the loop (a task per dropped stream, a ``connection_lost`` callback per
    transport), so first every other task is awaited to its end, then the loop is let run until
    the check holds.
    """
    deadline = time.monotonic() + SETTLE_LIMIT
    while not check() and time.monotonic() < deadline:
        pending = asyncio.all_tasks() - {asyncio.current_task()}
        if pending:
            await asyncio.wait(pending, timeout=deadline - time.monotonic())
        else:
            await asyncio.sleep(0.01)


# ---------------------------------------------------------------------------------------- one request
#
# Ten kinds, in turn: JSON answers, a prediction, a stream read to the end, a stream closed after its
# first event, one dropped after its first event without closing, 404, 500 and a reset connection.


def sync_request(client: Flowise, i: int) -> None:
    kind = i % 10
    if kind <= 2:
        assert client.chatflows.get("flow").id == "flow"
    elif kind == 3:
        assert client.predictions.create(FLOW, "q").text == "ok"
    elif kind == 4:
        with client.predictions.stream(FLOW, "q") as stream:
            assert stream.final().text == STREAM_TEXT
    elif kind == 5:
        with client.predictions.stream(FLOW, "q") as stream:
            next(stream)
    elif kind == 6:
        abandoned = client.predictions.stream(FLOW, "q")
        next(abandoned)
        del abandoned
    elif kind == 7:
        with pytest.raises(NotFoundError):
            client.chatflows.get("missing")
    elif kind == 8:
        with pytest.raises(InternalServerError):
            client.chatflows.get("broken")
    else:
        with pytest.raises(APIConnectionError):
            client.chatflows.get("reset")


async def async_request(client: AsyncFlowise, i: int) -> None:
    kind = i % 10
    if kind <= 2:
        assert (await client.chatflows.get("flow")).id == "flow"
    elif kind == 3:
        assert (await client.predictions.create(FLOW, "q")).text == "ok"
    elif kind == 4:
        async with client.predictions.stream(FLOW, "q") as stream:
            assert (await stream.final()).text == STREAM_TEXT
    elif kind == 5:
        async with client.predictions.stream(FLOW, "q") as stream:
            await stream.__anext__()
    elif kind == 6:
        abandoned = client.predictions.stream(FLOW, "q")
        await abandoned.__anext__()
        del abandoned
    elif kind == 7:
        with pytest.raises(NotFoundError):
            await client.chatflows.get("missing")
    elif kind == 8:
        with pytest.raises(InternalServerError):
            await client.chatflows.get("broken")
    else:
        with pytest.raises(APIConnectionError):
            await client.chatflows.get("reset")


async def run_concurrently(count: int, work: Callable[[int], Awaitable[None]]) -> None:
    """``work(0) … work(count - 1)`` on CONCURRENCY workers."""
    counter = iter(range(count))

    async def worker() -> None:
        for i in counter:
            await work(i)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


# ------------------------------------------------------------------------------------------------ tests


def test_sequential_requests_leak_nothing(fast_server: Server) -> None:
    fds_before = open_fds()
    with Flowise(fast_server.url, max_retries=0, timeout=10) as client:
        for i in range(10):
            sync_request(client, i)
        client.chatflows.get("flow")
        baseline = Snapshot.take(client, fast_server.port, fds_before)
        assert baseline.pooled == 1

        for i in range(REQUESTS):
            sync_request(client, i)
        client.chatflows.get("flow")
        gc.collect()
        assert Snapshot.take(client, fast_server.port, fds_before) == baseline
    settle_sync(lambda: sockets_to(fast_server.port) == 0)
    assert sockets_to(fast_server.port) == 0
    assert opened_since(fds_before) == 0


async def test_concurrent_requests_leak_nothing(fast_server: Server) -> None:
    fds_before = open_fds()

    async def settle_pool(client: AsyncFlowise) -> Snapshot:
        # A known pool: CONCURRENCY streams open at once, then read to the end, leave KEEPALIVE
        # idle connections behind.
        streams = [client.predictions.stream(FLOW, "q") for _ in range(CONCURRENCY)]
        await asyncio.gather(*(stream.__aenter__() for stream in streams))
        assert len(pool(client)) >= CONCURRENCY
        for stream in streams:
            async with stream:
                assert (await stream.final()).text == STREAM_TEXT
        gc.collect()
        await settle(lambda: sockets_to(fast_server.port) == len(pool(client)))
        return Snapshot.take(client, fast_server.port, fds_before)

    async with AsyncFlowise(fast_server.url, max_retries=0, timeout=10) as client:
        await run_concurrently(200, lambda i: async_request(client, i))
        baseline = await settle_pool(client)
        assert baseline.pooled == KEEPALIVE

        await run_concurrently(REQUESTS, lambda i: async_request(client, i))
        assert await settle_pool(client) == baseline
    await settle(lambda: sockets_to(fast_server.port) == 0 and opened_since(fds_before) == 0)
    assert sockets_to(fast_server.port) == 0
    assert opened_since(fds_before) == 0


def test_abandoned_sync_streams_release_their_connections(fast_server: Server) -> None:
    fds_before = open_fds()
    with Flowise(fast_server.url, max_retries=0, timeout=10) as client:
        client.chatflows.get("flow")
        baseline = Snapshot.take(client, fast_server.port, fds_before)
        gc.disable()  # a dropped stream is freed by reference counting alone: no cycle holds it
        try:
            for _ in range(30):
                read_one = client.predictions.stream(FLOW, "q")
                next(read_one)  # a connection mid-stream
                opened = client.predictions.stream(FLOW, "q").__enter__()  # opened, never read
                text_stream = client.predictions.stream(FLOW, "q").text_stream
                next(text_stream)
                del read_one, opened, text_stream
                assert all(c.is_idle() for c in pool(client))
        finally:
            gc.enable()
        gc.collect()
        client.chatflows.get("flow")
        assert Snapshot.take(client, fast_server.port, fds_before) == baseline
    settle_sync(lambda: sockets_to(fast_server.port) == 0)
    assert sockets_to(fast_server.port) == 0
    assert opened_since(fds_before) == 0


async def test_abandoned_async_streams_release_their_connections(fast_server: Server) -> None:
    fds_before = open_fds()
    async with AsyncFlowise(fast_server.url, max_retries=0, timeout=10) as client:
        await client.chatflows.get("flow")
        baseline = Snapshot.take(client, fast_server.port, fds_before)
        for _ in range(30):
            read_one = client.predictions.stream(FLOW, "q")
            await read_one.__anext__()
            opened = await client.predictions.stream(FLOW, "q").__aenter__()
            async for _text in client.predictions.stream(FLOW, "q").text_stream:
                break
            del read_one, opened
        # Each dropped stream is closed by a task on this loop: let those run before looking.
        gc.collect()
        await settle(lambda: all(c.is_idle() for c in pool(client)))
        await client.chatflows.get("flow")
        await settle(lambda: sockets_to(fast_server.port) == len(pool(client)))
        assert Snapshot.take(client, fast_server.port, fds_before) == baseline
    await settle(lambda: sockets_to(fast_server.port) == 0)
    assert sockets_to(fast_server.port) == 0
    assert opened_since(fds_before) == 0
