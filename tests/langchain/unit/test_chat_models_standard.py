"""LangChain's standard unit suite for ``ChatFlowise`` (offline; nothing here sends a request)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.unit_tests import ChatModelUnitTests
from syrupy.assertion import SnapshotAssertion

from flowise_integrations.langchain import ChatFlowise
from tests.unit.mock_clients import BASE_URL

from .conftest import CHATFLOW_ID


class TestChatFlowiseUnit(ChatModelUnitTests):
    """Tool calling, structured output, JSON mode and multimodal flags stay off (the suite's
    defaults): a chatflow's model and tools are configured in Flowise, not per call."""

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatFlowise

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"chatflow_id": CHATFLOW_ID, "base_url": BASE_URL, "api_key": "test"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"FLOWISE_BASE_URL": "http://env.flowise.test", "FLOWISE_API_KEY": "env-key"},
            {"chatflow_id": CHATFLOW_ID},
            {"base_url": "http://env.flowise.test", "api_key": "env-key", "chatflow_id": CHATFLOW_ID},
        )

    @property
    def returns_usage_metadata(self) -> bool:
        # Only agentflow LLM/Agent nodes report usage; most chatflows do not.
        return False

    @pytest.mark.xfail(
        reason="langchain-core's load(allowed_objects='all') only revives classes listed in "
        "langchain_core.load.mapping; a third-party class needs allowed_objects=[ChatFlowise] "
        "(round trip covered in test_chat_models.py::test_serialization_round_trip)",
        strict=True,
    )
    def test_serdes(self, model: BaseChatModel, snapshot: SnapshotAssertion) -> None:
        super().test_serdes(model, snapshot)
