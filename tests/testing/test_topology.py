"""How the pytest plugin reads the run's topology: the command line, then the environment."""

from __future__ import annotations

from typing import Any

import pytest

from flowise_integrations.testing import DEFAULT_FLOWISE_VERSION
from flowise_integrations.testing.pytest_plugin import QUEUE_TOPOLOGY, Topology


class Options:
    """A stand-in for ``pytest.Config``: only ``getoption`` is read."""

    def __init__(self, **values: Any) -> None:
        self._values = values

    def getoption(self, name: str) -> Any:
        return self._values.get(name)


def topology(**options: Any) -> Topology:
    return Topology.from_config(Options(**options))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_topology_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "FLOWISE_TESTING_VERSION",
        "FLOWISE_TESTING_MODE",
        "FLOWISE_TESTING_WORKERS",
        "FLOWISE_TESTING_DATABASE",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_one_process_on_sqlite() -> None:
    assert topology() == Topology(version=DEFAULT_FLOWISE_VERSION, mode="main", workers=2, database="sqlite")
    assert str(topology()) == f"flowise@{DEFAULT_FLOWISE_VERSION}, mode=main, database=sqlite"


def test_environment_then_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_TESTING_MODE", "queue")
    monkeypatch.setenv("FLOWISE_TESTING_DATABASE", "postgres")
    assert topology() == QUEUE_TOPOLOGY
    assert (
        str(QUEUE_TOPOLOGY)
        == f"flowise@{DEFAULT_FLOWISE_VERSION}, mode=queue with 2 workers, database=postgres"
    )
    assert topology(flowise_mode="main", flowise_workers="3").mode == "main"
    assert topology(flowise_workers="3").workers == 3


def test_version_from_environment_then_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWISE_TESTING_VERSION", "2.2.8")
    assert topology().version == "2.2.8"
    assert topology(flowise_version="3.0.13").version == "3.0.13"


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("FLOWISE_TESTING_MODE", "cluster", "must be one of main, queue, not 'cluster'"),
        ("FLOWISE_TESTING_DATABASE", "mysql", "must be one of sqlite, postgres, not 'mysql'"),
        ("FLOWISE_TESTING_WORKERS", "two", "must be a whole number, not 'two'"),
        ("FLOWISE_TESTING_WORKERS", "0", "must be at least 1, not 0"),
    ],
)
def test_bad_values_are_usage_errors(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, message: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(pytest.UsageError, match=message):
        topology()
