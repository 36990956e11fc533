"""Fixtures for the documentation tests: the harness's ids and URLs behind the docs' placeholders."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from flowise_integrations.testing import LocalStack

from ._blocks import PLACEHOLDERS


@pytest.fixture
def placeholder_values(request: pytest.FixtureRequest) -> Callable[[Iterable[str]], dict[str, str]]:
    """Resolve placeholders (``"<chatflow-id>"``, ...) to real values, creating only the fixtures needed."""

    def resolve(names: Iterable[str]) -> dict[str, str]:
        values = {}
        for name in names:
            placeholder = PLACEHOLDERS[name]
            values[name] = placeholder.value(request.getfixturevalue(placeholder.fixture))
        return values

    return resolve


@pytest.fixture
def docs_env(flowise_stack: LocalStack, monkeypatch: pytest.MonkeyPatch) -> LocalStack:
    """FLOWISE_BASE_URL and FLOWISE_API_KEY naming the harness's server, as a reader would set them."""
    monkeypatch.setenv("FLOWISE_BASE_URL", flowise_stack.base_url)
    monkeypatch.setenv("FLOWISE_API_KEY", flowise_stack.api_key)
    for name in ("FLOWISE_TIMEOUT", "FLOWISE_MAX_RETRIES"):
        monkeypatch.delenv(name, raising=False)
    return flowise_stack
