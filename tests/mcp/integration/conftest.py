"""What the live MCP tests serve: one of each kind of tool on the harness's Flowise.

Every flow, assistant and tool made here is deleted at the end of the session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.mcp import FlowiseMCPServer
from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.types import Chatflow, Tool


@dataclass(frozen=True)
class Served:
    """The flows and tools the server is limited to (by id), by what each is for."""

    chat: Chatflow
    echo: Chatflow
    form: Chatflow
    assistant: Chatflow
    waiting: Chatflow
    slow: Chatflow
    add: Tool
    broken: Tool

    @property
    def ids(self) -> list[str]:
        flows = [self.chat, self.echo, self.form, self.assistant, self.waiting, self.slow]
        return [flow.id for flow in flows] + [self.add.id, self.broken.id]


@pytest.fixture(scope="session")
def served(
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    conversation_chatflow: Chatflow,
    echo_agentflow: Chatflow,
    human_input_agentflow: Chatflow,
    custom_assistant: Chatflow,
) -> Iterator[Served]:
    client, model = flowise_client, flowise_stack.model_base_url
    form = flows.create_form_agentflow(
        client,
        name="mcp trip planner",
        fields=[
            {"type": "string", "label": "City", "name": "city"},
            {"type": "number", "label": "Days", "name": "days"},
            {
                "type": "options",
                "label": "Mode",
                "name": "mode",
                "addOptions": [{"option": "train"}, {"option": "bike"}],
            },
        ],
        reply="Trip to {{ $form.city }} for {{ $form.days }} days by {{ $form.mode }}",
    )
    slow = flows.create_model_agentflow(client, model_base_url=model, name="mcp slow model")
    add = client.tools.create(
        name="mcp add",
        description="Adds two numbers.",
        schema=[
            {"property": "a", "type": "number", "description": "First number", "required": True},
            {"property": "b", "type": "number", "description": "Second number", "required": True},
        ],
        func="return $a + $b;",
    )
    broken = client.tools.create(
        name="mcp broken",
        description="Always fails.",
        schema=[{"property": "x", "type": "string", "description": "anything", "required": True}],
        func="throw new Error('the tool broke');",
    )
    yield Served(
        chat=conversation_chatflow,
        echo=echo_agentflow,
        form=form,
        assistant=custom_assistant,
        waiting=human_input_agentflow,
        slow=slow,
        add=add,
        broken=broken,
    )
    for flow in (form, slow):
        client.chatflows.delete(flow.id)
    for tool in (add, broken):
        client.tools.delete(tool.id)


@pytest.fixture
async def mcp_server(async_flowise_client: AsyncFlowise, served: Served) -> AsyncIterator[FlowiseMCPServer]:
    """The server over the served flows and tools, on the test's client."""
    async with FlowiseMCPServer(async_flowise_client, include_ids=served.ids) as server:
        yield server
