"""LangChain's standard retriever suite for ``FlowiseRetriever`` on the harness's document store."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from flowise_integrations.langchain import FlowiseRetriever

pytestmark = pytest.mark.integration


class TestFlowiseRetrieverIntegration(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _store(self, connection: dict[str, Any], document_store: str) -> None:
        self._params = {"store_id": document_store, **connection}

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return FlowiseRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return self._params

    @property
    def retriever_query_example(self) -> str:
        return "Why is the sky blue?"
