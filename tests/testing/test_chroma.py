"""LocalChroma against the real ``chroma`` server from the chromadb package."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flowise_integrations.testing._chroma import LocalChroma, find_chroma_executable
from flowise_integrations.testing._process import HarnessError

pytestmark = pytest.mark.timeout(180)

COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections"


def chroma_installed() -> bool:
    try:
        find_chroma_executable()
    except HarnessError:
        return False
    return True


# In CI a missing chroma must fail the run, not hide it.
needs_chroma = pytest.mark.skipif(
    not chroma_installed() and os.environ.get("CI") != "true",
    reason="install flowise-integrations[testing] to get the chroma server",
)


def port_is_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def chroma() -> Iterator[LocalChroma]:
    with LocalChroma() as server:
        yield server


@needs_chroma
def test_heartbeat_and_url(chroma: LocalChroma) -> None:
    assert chroma.url == f"http://127.0.0.1:{chroma.port}"
    response = httpx.get(f"{chroma.url}/api/v2/heartbeat", trust_env=False)
    assert response.status_code == 200
    assert "nanosecond heartbeat" in response.json()


@needs_chroma
def test_create_and_list_a_collection(chroma: LocalChroma) -> None:
    name = f"test-{uuid.uuid4().hex[:12]}"
    with httpx.Client(base_url=chroma.url, trust_env=False, timeout=30) as http:
        created = http.post(COLLECTIONS, json={"name": name})
        assert created.status_code == 200, created.text
        assert created.json()["name"] == name
        listed = http.get(COLLECTIONS)
    assert name in [c["name"] for c in listed.json()]


@needs_chroma
def test_starting_twice_is_an_error(chroma: LocalChroma) -> None:
    with pytest.raises(HarnessError, match="already running"):
        chroma.start()
    assert chroma.running


@needs_chroma
def test_log_lives_in_the_data_directory(chroma: LocalChroma) -> None:
    log = chroma.path / "chroma.log"
    assert log.is_file()
    assert str(chroma.port) in chroma.log_tail(200)


@needs_chroma
def test_stop_closes_the_port_and_removes_the_temporary_directory() -> None:
    server = LocalChroma().start()
    port, data_dir = server.port, server.path
    assert port_is_open(port)
    server.stop()
    assert not port_is_open(port)
    assert not data_dir.exists()
    assert not server.running
    server.stop()  # a second stop is harmless


@needs_chroma
def test_a_given_path_is_kept_and_reused(tmp_path: Path) -> None:
    data_dir = tmp_path / "chroma-data"
    name = f"kept-{uuid.uuid4().hex[:12]}"
    with LocalChroma(path=data_dir) as server:
        response = httpx.post(f"{server.url}{COLLECTIONS}", json={"name": name}, trust_env=False, timeout=30)
        assert response.status_code == 200, response.text
    assert data_dir.is_dir()
    with LocalChroma(path=data_dir) as server:
        listed = httpx.get(f"{server.url}{COLLECTIONS}", trust_env=False, timeout=30).json()
    assert name in [c["name"] for c in listed]


def test_port_before_start_is_an_error() -> None:
    with pytest.raises(HarnessError, match="not running"):
        _ = LocalChroma().port


def test_missing_executable_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr("sys.executable", str(tmp_path / "python"))
    with pytest.raises(HarnessError, match=r"flowise-integrations\[testing\]"):
        LocalChroma().start()


def test_a_server_that_exits_early_reports_its_log(tmp_path: Path) -> None:
    fake = tmp_path / "chroma"
    fake.write_text("#!/bin/sh\necho 'cannot bind: address in use'\nexit 3\n")
    fake.chmod(0o755)
    data_dir = tmp_path / "data"
    with pytest.raises(HarnessError, match="exited with code 3") as info:
        LocalChroma(path=data_dir, executable=str(fake)).start()
    assert "cannot bind: address in use" in str(info.value)
    assert data_dir.is_dir()  # a caller's directory is never removed
