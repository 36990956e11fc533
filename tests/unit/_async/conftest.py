"""The client under test, async here and sync in the generated twin, on the shared mock ``server``."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise


@pytest.fixture
def client(async_client: AsyncFlowise) -> AsyncFlowise:
    """The shared client of ``tests/unit/mock_clients.py``, under the name the generated tests use."""
    return async_client
