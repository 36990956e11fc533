"""The subpackage's surface and its import guard."""

from __future__ import annotations

import subprocess
import sys

import flowise_integrations.langchain as lc


def test_exports_are_pinned() -> None:
    assert lc.__all__ == [
        "ChatFlowise",
        "FlowiseChatflowTool",
        "FlowiseCustomTool",
        "FlowiseLLM",
        "FlowiseQuestion",
        "FlowiseRetriever",
        "FlowiseRunnable",
        "FlowiseToolkit",
        "PredictionInput",
    ]
    for name in lc.__all__:
        assert getattr(lc, name).__module__.startswith("flowise_integrations.langchain")


def test_missing_langchain_core_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['langchain_core'] = None\n"
        "from flowise_integrations import MissingDependencyError\n"
        "try:\n"
        "    import flowise_integrations.langchain\n"
        "except MissingDependencyError as exc:\n"
        "    assert isinstance(exc, ImportError) and exc.extra == 'langchain', exc\n"
        "    print(exc)\n"
        "else:\n"
        "    raise SystemExit('imported without langchain_core')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "flowise-integrations[langchain]" in result.stdout


def test_the_adapters_import_no_agent_framework() -> None:
    """The langchain extra needs only langchain-core: neither langgraph nor langchain itself is loaded."""
    code = (
        "import sys\n"
        "import flowise_integrations.langchain\n"
        "from flowise_integrations.langchain import FlowiseToolkit\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('langgraph', 'langchain', 'openai'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
