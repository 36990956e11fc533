"""Fixtures of the CLI tests that talk to the real Flowise of the harness."""

from __future__ import annotations

import pytest

from flowise_integrations.testing import LocalStack

from .helpers import Cli


@pytest.fixture(scope="session")
def cli(flowise_stack: LocalStack) -> Cli:
    """The command line pointed at the harness's server with ``--base-url``/``--api-key``."""
    return Cli(flowise_stack.base_url, flowise_stack.api_key)
