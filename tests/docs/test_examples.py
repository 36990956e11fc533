"""The scripts ``make demo`` runs work, and their helper cleans up after itself.

Both run against the harness's server through ``FLOWISE_BASE_URL``/``FLOWISE_API_KEY``, the path a
reader with their own server takes; the helper then starts only the model stand-in and Chroma.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from types import ModuleType

import pytest

from flowise_integrations import Flowise, NotFoundError
from flowise_integrations.testing import LocalStack
from flowise_integrations.types import Chatflow

from ._blocks import ROOT

pytestmark = pytest.mark.integration

EXAMPLES = ROOT / "examples"


@pytest.fixture
def local_helper(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``examples/_local.py``, imported as the quickstart imports it."""
    spec = importlib.util.spec_from_file_location("_local", EXAMPLES / "_local.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "_local", module)
    spec.loader.exec_module(module)
    return module


def demo_flows(client: Flowise) -> list[str]:
    return [flow.name for flow in client.chatflows.list() if flow.name.startswith("quickstart-")]


def run_example(name: str, *args: str) -> str:
    """Run an example script as `make demo` does and return what it printed."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_quickstart_runs(docs_env: LocalStack, flowise_client: Flowise) -> None:
    out = run_example("quickstart.py")
    for line in (
        "1. Streaming a chat answer through an LCEL chain",
        "FAKE: Explain Rayleigh scattering in one sentence.",
        "   sky.txt: The sky looks blue because of Rayleigh scattering",
        "   answer:  FAKE: Why is the sky blue?",
        "   sources: photosynthesis.txt, sky.txt, volcano.txt",
        "   quickstart-echo({'question': 'Is anybody there?'}) -> 'Echo: Is anybody there?'",
        f"Summary (Flowise 3.1.4 at {docs_env.base_url})",
        "[demo] stopped everything the demo started",
    ):
        assert line in out, f"{line!r} not in:\n{out}"
    assert demo_flows(flowise_client) == []  # the demo's flows were deleted again


def test_human_in_the_loop_runs(docs_env: LocalStack, flowise_client: Flowise) -> None:
    out = run_example("human_in_the_loop.py", "--auto")
    for line in (
        "A-17: the flow asks 'Approve?' (execution ",
        "   decision: {'type': 'proceed'}",
        "   A-17 -> 'Approved'",
        "   decision: {'type': 'reject', 'feedback': '900 EUR needs a second signature'}",
        "   B-23 -> 'Rejected'",
        "[demo] stopped everything the demo started",
    ):
        assert line in out, f"{line!r} not in:\n{out}"
    assert demo_flows(flowise_client) == []


def test_a_prompt_answer_that_is_no_decision_asks_again(
    docs_env: LocalStack, monkeypatch: pytest.MonkeyPatch, human_input_agentflow: Chatflow
) -> None:
    spec = importlib.util.spec_from_file_location("human_in_the_loop", EXAMPLES / "human_in_the_loop.py")
    assert spec is not None
    assert spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    typed = iter(["perhaps", "y", "n"])
    prompts: list[str] = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(typed))

    answers = example.review_orders(human_input_agentflow.id, example.at_the_prompt)

    assert answers == {"A-17": "Approved", "B-23": "Rejected"}
    assert prompts == ["   Approve? [y/n] "] * 3


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_interrupted_demo_stops_and_cleans_up(
    stop: str, docs_env: LocalStack, flowise_client: Flowise, local_helper: ModuleType
) -> None:
    with pytest.raises(KeyboardInterrupt), local_helper.demo_resources() as demo:
        assert sorted(demo_flows(flowise_client)) == [
            "quickstart-approval",
            "quickstart-chat",
            "quickstart-echo",
            "quickstart-rag",
        ]
        assert demo.stack.model.running
        if stop == "ctrl-c":
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal.SIGTERM)  # the helper turns SIGTERM into KeyboardInterrupt
    assert demo_flows(flowise_client) == []
    with pytest.raises(NotFoundError):
        flowise_client.document_stores.get(demo.store_id)
    assert not demo.stack.model.running
    assert demo.stack.chroma is not None
    assert not demo.stack.chroma.running
    assert signal.getsignal(signal.SIGTERM) is not local_helper._stop_on_sigterm
