"""LocalRedis and LocalPostgres against the real servers, and how the harness finds them."""

from __future__ import annotations

import io
import os
import socket
import subprocess
from pathlib import Path

import pytest

from flowise_integrations.testing import HarnessError, LocalPostgres, LocalRedis
from flowise_integrations.testing._programs import (
    MIN_POSTGRES_MAJOR,
    POSTGRES_BIN_ENV,
    REDIS_SERVER_ENV,
    find_postgres,
    find_redis_server,
)
from flowise_integrations.testing._redis import _read_reply, redis_command

pytestmark = pytest.mark.timeout(600)  # a fresh machine installs the servers first


def _closed(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True


def test_resp_replies_parse() -> None:
    def reply(raw: bytes) -> object:
        return _read_reply(io.BytesIO(raw))

    assert reply(b"+PONG\r\n") == "PONG"
    assert reply(b":42\r\n") == 42
    assert reply(b"$5\r\nhello\r\n") == "hello"
    assert reply(b"$-1\r\n") is None
    assert reply(b"*2\r\n+a\r\n:1\r\n") == ["a", 1]
    with pytest.raises(HarnessError, match="ERR unknown"):
        reply(b"-ERR unknown command\r\n")
    with pytest.raises(OSError, match="mid-reply"):
        reply(b"+PON")


def test_redis_starts_restarts_on_its_port_and_stops() -> None:
    with LocalRedis() as redis:
        port = redis.port
        assert redis.url == f"redis://127.0.0.1:{port}"
        assert redis_command("127.0.0.1", port, "SET", "k", "v") == "OK"
        assert redis.client_names() == [""]  # only the connection asking, unnamed
        redis.restart()
        assert redis.port == port
        assert redis_command("127.0.0.1", port, "GET", "k") is None  # nothing is persisted
        redis.kill()
        assert not redis.running
        redis.start()
        assert redis.ping()
    assert _closed(port)
    assert not redis.running


def test_postgres_serves_its_database_and_removes_it() -> None:
    with LocalPostgres(database="probe") as postgres:
        port = postgres.port
        assert postgres.url == f"postgresql://flowise@127.0.0.1:{port}/probe"
        programs = find_postgres()
        psql = programs.bin_dir / "psql"
        if psql.is_file():
            result = subprocess.run(
                [str(psql), postgres.url, "-tAc", "select current_database()"],
                capture_output=True,
                text=True,
                timeout=30,
                check=True,
            )
            assert result.stdout.strip() == "probe"
        assert programs.major >= MIN_POSTGRES_MAJOR
    assert _closed(port)
    assert not postgres.running


def test_explicit_paths_are_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "redis-server"
    fake.write_text("#!/bin/sh\necho 'Redis server v=4.0.9 sha=00000000:0 malloc=libc bits=64'\n")
    fake.chmod(0o755)
    monkeypatch.setenv(REDIS_SERVER_ENV, str(fake))
    with pytest.raises(HarnessError, match=r"Redis 4\.0\.9 .* BullMQ needs 6\.2\.0\+"):
        find_redis_server()
    monkeypatch.setenv(POSTGRES_BIN_ENV, str(tmp_path))
    with pytest.raises(HarnessError, match="lacks initdb, postgres, pg_isready, createdb"):
        find_postgres()


def test_found_redis_is_new_enough() -> None:
    binary = find_redis_server()
    assert os.access(binary, os.X_OK)
    output = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=True).stdout
    major, minor = (int(part) for part in output.split("v=", 1)[1].split(".")[:2])
    assert (major, minor) >= (6, 2)
