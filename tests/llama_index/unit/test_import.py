"""The subpackage's public names and its guard for a missing ``llama-index`` extra."""

from __future__ import annotations

import subprocess
import sys

import flowise_integrations.llama_index as adapters


def test_exports_are_pinned() -> None:
    assert adapters.__all__ == [
        "FlowiseAgentflowWorkflow",
        "FlowiseChatEngine",
        "FlowiseInputRequiredEvent",
        "FlowiseLLM",
        "FlowiseQueryEngine",
        "FlowiseRetriever",
        "FlowiseToolSpec",
        "atools_from_server",
        "chatflow_tool",
        "custom_tool",
        "tools_from_server",
    ]
    for name in adapters.__all__:
        assert getattr(adapters, name).__module__.startswith("flowise_integrations.llama_index.")


def test_missing_framework_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['llama_index'] = None\n"
        "sys.modules['llama_index.core'] = None\n"
        "from flowise_integrations import MissingDependencyError\n"
        "try:\n"
        "    import flowise_integrations.llama_index\n"
        "except MissingDependencyError as exc:\n"
        "    assert isinstance(exc, ImportError)\n"
        "    assert exc.extra == 'llama-index', exc.extra\n"
        "    assert 'flowise-integrations[llama-index]' in str(exc), str(exc)\n"
        "else:\n"
        "    raise SystemExit('no MissingDependencyError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
