"""Fixtures shared by every suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowise_integrations.testing import ModelStandIn


@pytest.fixture
def agent_model() -> Iterator[ModelStandIn]:
    """An agent's own model: scripted tool calls, separate from the stand-in behind Flowise."""
    with ModelStandIn(model="agent-model") as model:
        yield model
