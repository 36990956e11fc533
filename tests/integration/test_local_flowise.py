"""Integration tests for :class:`LocalFlowise`: a real Flowise server, installed, started and stopped.

The first test pays for the install (minutes, once per cache) and the start (about a minute).
Requests use raw httpx so that these tests depend only on the harness, not on the client.
The last test stops the shared server, so the tests must run in file order.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flowise_integrations.testing._bootstrap import DEFAULT_KEY_NAME, FULL_PERMISSIONS, bootstrap
from flowise_integrations.testing._install import DEFAULT_FLOWISE_VERSION, install_flowise, node_for_flowise
from flowise_integrations.testing._process import HarnessError
from flowise_integrations.testing._server import PRELOAD_PATH, LocalFlowise
from flowise_integrations.testing.pytest_plugin import Topology

# Generous: the module fixture may have to do a cold install inside the first test.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def flowise(flowise_topology: Topology) -> Iterator[LocalFlowise]:
    """A server of the run's topology (``--flowise-mode`` and friends), separate from ``flowise_stack``."""
    server = LocalFlowise(
        mode=flowise_topology.mode, workers=flowise_topology.workers, database=flowise_topology.database
    )
    try:
        server.start()
    except HarnessError as exc:
        # A developer machine without npm may skip; CI must not.
        if "npm was not found" in str(exc) and os.environ.get("CI", "").lower() != "true":
            pytest.skip(str(exc))
        raise
    try:
        yield server
    finally:
        server.stop()


def _get(server: LocalFlowise, path: str, *, key: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    return httpx.get(f"{server.base_url}/api/v1{path}", headers=headers, timeout=30.0)


def test_ping(flowise: LocalFlowise) -> None:
    response = _get(flowise, "/ping")
    assert response.status_code == 200
    assert response.text == "pong"


def test_version_matches(flowise: LocalFlowise) -> None:
    response = _get(flowise, "/version")
    assert response.status_code == 200
    assert response.json() == {"version": DEFAULT_FLOWISE_VERSION}
    assert flowise.version == DEFAULT_FLOWISE_VERSION


def test_api_key_lists_chatflows(flowise: LocalFlowise) -> None:
    response = _get(flowise, "/chatflows", key=flowise.api_key)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert isinstance(response.json(), list)


def test_api_key_sees_itself(flowise: LocalFlowise) -> None:
    response = _get(flowise, "/apikey", key=flowise.api_key)
    assert response.status_code == 200
    names = [key["keyName"] for key in response.json()]
    assert names.count(DEFAULT_KEY_NAME) == 1


def test_datasets_are_feature_gated_despite_the_permission(flowise: LocalFlowise) -> None:
    assert "datasets:view" in FULL_PERMISSIONS
    assert _get(flowise, "/datasets", key=flowise.api_key).status_code == 403


def test_bootstrap_again_reuses_and_updates_the_key(flowise: LocalFlowise) -> None:
    assert bootstrap(flowise.base_url) == flowise.api_key
    try:
        # Narrowing the permissions keeps the same key but takes effect at once.
        assert bootstrap(flowise.base_url, permissions=["chatflows:view"]) == flowise.api_key
        assert _get(flowise, "/apikey", key=flowise.api_key).status_code == 403
        assert _get(flowise, "/chatflows", key=flowise.api_key).status_code == 200
    finally:
        bootstrap(flowise.base_url)
    response = _get(flowise, "/apikey", key=flowise.api_key)
    assert response.status_code == 200
    assert [key["keyName"] for key in response.json()] == [DEFAULT_KEY_NAME]


def test_bootstrap_errors_hide_the_password(flowise: LocalFlowise) -> None:
    password = "Wrong-Passw0rd!"
    with pytest.raises(HarnessError, match="401") as info:
        bootstrap(flowise.base_url, password=password)
    assert password not in str(info.value)


def test_wrong_key_is_rejected(flowise: LocalFlowise) -> None:
    response = _get(flowise, "/chatflows", key="not-a-real-key")
    assert response.status_code == 401


def test_missing_key_is_rejected(flowise: LocalFlowise) -> None:
    assert _get(flowise, "/chatflows").status_code == 401


def test_repr_hides_the_api_key(flowise: LocalFlowise) -> None:
    text = repr(flowise)
    assert flowise.api_key not in text
    assert flowise.base_url in text


def test_server_runs_with_the_preload(flowise: LocalFlowise) -> None:
    log = flowise.log_path.read_text(errors="replace")
    assert "[flowise-testing tiktoken-preload] active" in log


def test_preload_serves_tiktoken_ranks_offline(flowise: LocalFlowise) -> None:
    node = node_for_flowise(flowise.version)
    install_dir = install_flowise(flowise.version, node=node)
    script = (
        "fetch('https://tiktoken.pages.dev/js/cl100k_base.json')"
        ".then(async (r) => { const j = await r.json();"
        " console.log(JSON.stringify({status: r.status, keys: Object.keys(j).sort()})) })"
    )
    result = subprocess.run(
        [str(node.node), f"--require={PRELOAD_PATH}", "-e", script],
        cwd=install_dir,
        capture_output=True,
        text=True,
        timeout=20,
        check=True,
    )
    assert json.loads(result.stdout) == {"status": 200, "keys": ["bpe_ranks", "pat_str", "special_tokens"]}


def test_stop_closes_ports_and_removes_data_dirs(flowise: LocalFlowise) -> None:
    ports, data_dir = [flowise.port], flowise.data_dir
    backing = [server for server in (flowise.redis, flowise.postgres) if server is not None]
    ports += [server.port for server in backing]
    processes = [process for process in (flowise.main, *flowise.workers) if process is not None]
    assert data_dir.is_dir()
    assert all(process.running for process in processes)
    flowise.stop()
    assert not flowise.running
    assert not any(process.running for process in processes)
    assert not any(server.running for server in backing)
    assert not Path(data_dir).exists()
    for port in ports:
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    with pytest.raises(HarnessError):
        _ = flowise.api_key
