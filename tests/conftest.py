"""Fixtures shared by every suite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from flowise_integrations import Flowise
from flowise_integrations.testing import LocalStack, ModelStandIn, flows
from flowise_integrations.types import Chatflow, Tool

pytest_plugins = ["tests.unit.mock_clients"]


@pytest.fixture
def agent_model() -> Iterator[ModelStandIn]:
    """An agent's own model: scripted tool calls, separate from the stand-in behind Flowise."""
    with ModelStandIn(model="agent-model") as model:
        yield model


@pytest.fixture(scope="session")
def connection(flowise_stack: LocalStack) -> dict[str, Any]:
    """What a component needs to reach the test server (it builds its own clients)."""
    return {"base_url": flowise_stack.base_url, "api_key": flowise_stack.api_key}


@pytest.fixture(scope="session")
def ship_tool(flowise_client: Flowise) -> Iterator[Tool]:
    """A custom tool ``ship_order(order)`` answering ``"shipped <order>"``."""
    created = flowise_client.tools.create(
        name="ship_order",
        description="Ships an order.",
        schema=[{"property": "order", "type": "string", "description": "Order id", "required": True}],
        func="return 'shipped ' + $order;",
    )
    yield created
    flowise_client.tools.delete(created.id)


@pytest.fixture(scope="session")
def tool_approval_agentflow(
    flowise_client: Flowise, flowise_stack: LocalStack, ship_tool: Tool
) -> Iterator[Chatflow]:
    """An Agent node on the stand-in behind Flowise whose ``ship_order`` tool needs approval."""
    created = flows.create_tool_approval_agentflow(
        flowise_client, model_base_url=flowise_stack.model_base_url, tool_id=ship_tool.id
    )
    yield created
    flowise_client.chatflows.delete(created.id)


@pytest.fixture(scope="session")
def custom_assistant(flowise_client: Flowise, flowise_stack: LocalStack) -> Iterator[Chatflow]:
    """A custom assistant on the stand-in behind Flowise: its ``ASSISTANT`` chatflow."""
    assistant, chatflow = flows.create_custom_assistant(
        flowise_client, model_base_url=flowise_stack.model_base_url, name="test helper assistant"
    )
    yield chatflow
    flowise_client.chatflows.delete(chatflow.id)
    flowise_client.assistants.delete(assistant.id)
