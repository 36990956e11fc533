"""Fixtures of the reliability suite: the fault-injection server and a sleep recorder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.fault_server import FaultServer


@pytest.fixture(scope="session")
def _fault_server() -> Iterator[FaultServer]:
    server = FaultServer()
    yield server
    server.close()


@pytest.fixture
def fault_server(_fault_server: FaultServer) -> Iterator[FaultServer]:
    """The shared fault server; connections a test left hanging are closed after it."""
    yield _fault_server
    _fault_server.release()
