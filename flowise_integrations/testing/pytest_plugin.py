"""Opt-in pytest fixtures for a real local Flowise (registered through the ``pytest11`` entry point).

Nothing starts unless a test asks for a fixture. ``flowise_stack`` starts the model stand-in,
Chroma and Flowise once per session (or uses the server named by ``FLOWISE_BASE_URL`` and
``FLOWISE_API_KEY``); the flow fixtures create their flows once per session, except
``rate_limited_chatflow`` which is new for every test. Without Node.js/npm the fixtures skip
with a message, except under ``CI`` where a harness that cannot start fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator

import pytest

from .. import AsyncFlowise, Flowise
from .._constants import ENV_BASE_URL
from ..types import Chatflow
from . import flows
from ._model import ModelStandIn
from ._stack import LocalStack


def _skip_or_fail_without_node() -> None:
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing and not os.environ.get(ENV_BASE_URL):
        message = (
            f"{' and '.join(missing)} not found: the local Flowise needs Node.js and npm "
            "(or set FLOWISE_BASE_URL and FLOWISE_API_KEY to use a running server)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def flowise_stack() -> Iterator[LocalStack]:
    """The running stack: ``base_url``, ``api_key``, ``model`` (the stand-in), ``chroma_url``."""
    _skip_or_fail_without_node()
    with LocalStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def flowise_server(flowise_stack: LocalStack) -> LocalStack:
    """Alias of ``flowise_stack`` for tests that only need the server's URL and key."""
    return flowise_stack


@pytest.fixture
def flowise_model(flowise_stack: LocalStack) -> Iterator[ModelStandIn]:
    """The model stand-in; recorded requests, scripted replies and token delay are reset after the test."""
    model = flowise_stack.model
    token_delay = model.token_delay
    yield model
    model.reset()
    model.token_delay = token_delay


@pytest.fixture(scope="session")
def flowise_client(flowise_stack: LocalStack) -> Iterator[Flowise]:
    with flowise_stack.client() as client:
        yield client


@pytest.fixture
async def async_flowise_client(flowise_stack: LocalStack) -> AsyncIterator[AsyncFlowise]:
    async with flowise_stack.async_client() as client:
        yield client


@pytest.fixture(scope="session")
def echo_agentflow(flowise_client: Flowise) -> Chatflow:
    """Agentflow v2, no model: answers ``"Echo: <question>"``."""
    return flows.create_echo_agentflow(flowise_client)


@pytest.fixture(scope="session")
def conversation_chatflow(flowise_client: Flowise, flowise_stack: LocalStack) -> Chatflow:
    """ConversationChain on the stand-in with Buffer Memory: streams tokens, remembers per session."""
    return flows.create_conversation_chatflow(flowise_client, model_base_url=flowise_stack.model_base_url)


@pytest.fixture(scope="session")
def custom_function_chatflow(flowise_client: Flowise) -> Chatflow:
    """Custom JS Function ending node: answers ``"Echo: <question>"`` as JSON even when streaming."""
    return flows.create_custom_function_chatflow(flowise_client)


@pytest.fixture
def rate_limited_chatflow(flowise_client: Flowise) -> Iterator[Chatflow]:
    """A fresh echo agentflow limited to 2 predictions a minute."""
    chatflow = flows.create_rate_limited_chatflow(flowise_client, limit=2, window_seconds=60)
    yield chatflow
    flowise_client.chatflows.delete(chatflow.id)


@pytest.fixture(scope="session")
def document_store(flowise_client: Flowise, flowise_stack: LocalStack) -> str:
    """The id of a document store holding :data:`flows.DEFAULT_CORPUS` in Chroma."""
    store_id, _ = flows.create_document_store(
        flowise_client, model_base_url=flowise_stack.model_base_url, chroma_url=flowise_stack.chroma_url
    )
    return store_id


@pytest.fixture(scope="session")
def retrieval_chatflow(flowise_client: Flowise, flowise_stack: LocalStack, document_store: str) -> Chatflow:
    """Conversational retrieval QA over ``document_store``, returning source documents."""
    return flows.create_retrieval_chatflow(
        flowise_client, model_base_url=flowise_stack.model_base_url, store_id=document_store
    )
