"""LangChain's standard tool suite on a real Flowise: a flow as a tool, and a custom tool."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.tools import BaseTool
from langchain_tests.integration_tests import ToolsIntegrationTests

from flowise_integrations.langchain import FlowiseChatflowTool, FlowiseCustomTool
from flowise_integrations.types import Chatflow, Tool

pytestmark = pytest.mark.integration


class TestChatflowToolIntegration(ToolsIntegrationTests):
    """The echo agentflow as a tool; its artifact is the whole ``Prediction``."""

    @pytest.fixture(autouse=True)
    def _flow(self, connection: dict[str, Any], echo_agentflow: Chatflow) -> None:
        self._params = {
            "name": "echo",
            "description": "Repeats the question.",
            "chatflow_id": echo_agentflow.id,
            **connection,
        }

    @property
    def tool_constructor(self) -> type[BaseTool]:
        return FlowiseChatflowTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return self._params

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"question": "Why is the sky blue?"}


class TestCustomToolIntegration(ToolsIntegrationTests):
    """A Flowise custom tool (``return $a + $b;``) run by the server's sandbox."""

    @pytest.fixture(autouse=True)
    def _tool(self, connection: dict[str, Any], add_tool: Tool) -> None:
        self._tool_instance = FlowiseCustomTool.from_tool(add_tool, **connection)

    @property
    def tool_constructor(self) -> BaseTool:
        return self._tool_instance

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"a": 2, "b": 3}
