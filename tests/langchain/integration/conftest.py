"""Flows the LangChain integration tests need beyond the harness's own fixtures.

Every flow and tool made here is deleted at the end of the session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowise_integrations import Flowise
from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.types import Chatflow, Tool


@pytest.fixture(scope="session")
def llm_agentflow(flowise_client: Flowise, flowise_stack: LocalStack) -> Iterator[Chatflow]:
    """Agentflow Start → LLM (chatOpenAI on the model stand-in): streams tokens and reports usage."""
    created = flows.create_model_agentflow(flowise_client, model_base_url=flowise_stack.model_base_url)
    yield created
    flowise_client.chatflows.delete(created.id)


@pytest.fixture(scope="session")
def form_agentflow(flowise_client: Flowise) -> Iterator[Chatflow]:
    """Agentflow whose Start node takes a form (city, days) and replies with both values."""
    fields = [
        {"type": "string", "label": "City", "name": "city"},
        {"type": "number", "label": "Days", "name": "days"},
    ]
    created = flows.create_form_agentflow(
        flowise_client,
        name="LC Trip planner",
        title="Trip",
        fields=fields,
        reply="Trip to {{ $form.city }} for {{ $form.days }} days",
    )
    yield created
    flowise_client.chatflows.delete(created.id)


@pytest.fixture(scope="session")
def add_tool(flowise_client: Flowise) -> Iterator[Tool]:
    """A custom tool adding its two numbers, run by Flowise's sandbox."""
    created = flowise_client.tools.create(
        name="lc add numbers",
        description="Adds two numbers and returns the sum.",
        schema=[
            {"property": "a", "type": "number", "description": "First number", "required": True},
            {"property": "b", "type": "number", "description": "Second number", "required": True},
        ],
        func="return $a + $b;",
    )
    yield created
    flowise_client.tools.delete(created.id)
