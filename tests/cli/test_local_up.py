"""``local up``: the harness's local Flowise, started by the command line, reachable, and stopped
cleanly by SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from flowise_integrations import Flowise
from flowise_integrations.testing import LocalStack

from .helpers import invoke

pytestmark = pytest.mark.integration


def test_local_up_serves_until_terminated(flowise_stack: LocalStack, tmp_path: Path) -> None:
    # flowise_stack: Node and Flowise are installed (or the run skips/fails like every harness test).
    env = {key: value for key, value in os.environ.items() if not key.startswith("FLOWISE_")}
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "flowise_integrations.cli", "local", "up", "--no-flows"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
        )
    try:
        assert process.stdout is not None
        printed = ""
        info = None
        while info is None:
            line = process.stdout.readline()
            assert line, (
                f"local up ended early: {process.wait()} {process.stderr.read() if process.stderr else ''}"
            )
            printed += line
            try:
                info = json.loads(printed)
            except ValueError:
                continue
        assert set(info) >= {"base_url", "api_key", "model_base_url", "chroma_url"}
        assert info["base_url"] != flowise_stack.base_url

        with Flowise(info["base_url"], api_key=info["api_key"]) as client:
            assert client.ping() == "pong"
        listed = invoke(
            ["--base-url", info["base_url"], "--api-key", info["api_key"], "--json", "chatflows", "list"]
        )
        assert listed.exit_code == 0, listed.stderr
        assert json.loads(listed.stdout) == []

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=120) == 0, stderr_path.read_text()
        assert "Traceback" not in stderr_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
