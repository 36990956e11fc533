"""LangChain's standard integration suite for ``ChatFlowise`` on a real Flowise.

The model under test is the harness's ``conversation_chatflow`` (a ConversationChain on the
model stand-in); ``model`` overrides per call pick the ``echo_agentflow``.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests

from flowise_integrations.langchain import ChatFlowise
from flowise_integrations.types import Chatflow

pytestmark = pytest.mark.integration


class TestChatFlowiseIntegration(ChatModelIntegrationTests):
    """Capability flags left off (the suite's defaults, as the class does not implement them):
    tool calling and tool choice (no ``bind_tools``), structured output and JSON mode, image /
    PDF / audio / video inputs and tool-message images (the flow decides what it accepts; the
    image test also downloads from the internet), Anthropic-format inputs, VCR recording.
    ``returns_usage_metadata`` is off because a ConversationChain does not report usage (an
    agentflow LLM node does; see test_chains.py)."""

    @pytest.fixture(autouse=True)
    def _flows(
        self, connection: dict[str, Any], conversation_chatflow: Chatflow, echo_agentflow: Chatflow
    ) -> None:
        self._params = {"chatflow_id": conversation_chatflow.id, **connection}
        self._override = echo_agentflow.id

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatFlowise

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return self._params

    @property
    def returns_usage_metadata(self) -> bool:
        return False

    @property
    def model_override_value(self) -> str:
        return self._override
