"""Fixtures the LlamaIndex integration tests share."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from flowise_integrations import Flowise
from flowise_integrations.types import Tool


@pytest.fixture
def adder(flowise_client: Flowise) -> Iterator[Tool]:
    """A custom tool created for the test and deleted afterwards."""
    tool = flowise_client.tools.create(
        name=f"adder {uuid.uuid4().hex[:6]}",
        description="Adds two numbers and labels the sum.",
        schema=[
            {"property": "a", "type": "number", "description": "first addend", "required": True},
            {"property": "b", "type": "number", "description": "second addend", "required": True},
            {"property": "label", "type": "string", "description": "what to call the sum"},
        ],
        func="return ($label || 'sum') + '=' + ($a + $b);",
    )
    yield tool
    flowise_client.tools.delete(tool.id)
