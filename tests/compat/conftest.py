"""The version-matrix smoke suite: one run per Flowise release (``--flowise-version``).

Each test covers one row of docs/compatibility.md, named by its ``feature`` marker. A test passes
either by showing the feature works or, on a release that lacks it, by showing the client refuses
with :class:`~flowise_integrations.UnsupportedFeatureError` (it calls ``compat.unsupported``) or
handles a difference (``compat.note``). At the end the run's outcomes are written to
``.compat/<version>.json``, which ``scripts/compatibility.py`` turns into the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from flowise_integrations import Flowise, UnsupportedFeatureError
from flowise_integrations.testing.pytest_plugin import Topology

RESULTS_DIR = Path(__file__).resolve().parents[2] / ".compat"

_OUTCOMES = pytest.StashKey["Outcome"]()


@dataclass
class Outcome:
    """What one row's test showed: ``supported`` unless it said otherwise."""

    feature: str
    status: str = "supported"
    notes: list[str] = field(default_factory=list)

    def unsupported(self, error: UnsupportedFeatureError) -> None:
        """The release lacks the feature and the client said so, naming it."""
        self.status = "unsupported"
        self.notes.append(f"refused: `{error.capability}` needs Flowise {error.since}")

    def note(self, text: str) -> None:
        """A difference from the newest release that the client handles."""
        self.notes.append(text)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "feature(name): the docs/compatibility.md row a compat test covers")


@pytest.fixture
def compat(request: pytest.FixtureRequest) -> Outcome:
    marker = request.node.get_closest_marker("feature")
    assert marker is not None, "every compat test names its feature"
    outcome = Outcome(marker.args[0])
    request.node.stash[_OUTCOMES] = outcome
    return outcome


@pytest.fixture(scope="session")
def client(flowise_client: Flowise) -> Flowise:
    return flowise_client


@pytest.fixture(scope="session")
def server_version(client: Flowise) -> str:
    return client.version()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    recorded = item.stash.get(_OUTCOMES, None)
    if recorded is not None and report.when == "call" and not report.passed:
        recorded.status = "failed"


def pytest_sessionfinish(session: pytest.Session) -> None:
    rows = [item.stash[_OUTCOMES] for item in session.items if _OUTCOMES in item.stash]
    options = session.config.option
    if not rows or options.collectonly or options.keyword or options.markexpr:
        return  # a partial run would leave a partial column
    version = Topology.from_config(session.config).version
    RESULTS_DIR.mkdir(exist_ok=True)
    results = {
        "version": version,
        "rows": [{"feature": r.feature, "status": r.status, "notes": r.notes} for r in rows],
    }
    (RESULTS_DIR / f"{version}.json").write_text(json.dumps(results, indent=2) + "\n")
