"""``FlowiseRetriever`` against a mock Flowise: ``k`` as field and keyword, documents, errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from flowise_integrations import NotFoundError
from flowise_integrations.langchain import FlowiseRetriever
from tests.unit.mock_flowise import MockFlowise

from .conftest import SKY_DOC, STORE_ID

QUERY = "document-store/vectorstore/query"


def docs(n: int) -> httpx.Response:
    chunks = [{**SKY_DOC, "id": f"chunk-{i}", "chunkNo": i + 1} for i in range(n)]
    return httpx.Response(200, json={"timeTaken": 12, "docs": chunks})


def sent(server: MockFlowise) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(server.last.content)
    return body


def test_k_as_field_and_as_keyword(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", QUERY, docs(4))  # Flowise may return more than asked: cut to k
    retriever = FlowiseRetriever(store_id=STORE_ID, k=3, **clients)
    assert len(retriever.invoke("sky")) == 3
    assert sent(server) == {"storeId": STORE_ID, "query": "sky", "inputs": {"topK": 3}}
    assert len(retriever.invoke("sky", k=2)) == 2
    assert sent(server)["inputs"] == {"topK": 2}


def test_without_k_the_store_setting_applies(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", QUERY, docs(4))
    retriever = FlowiseRetriever(store_id=STORE_ID, inputs={"mmr": True}, **clients)
    assert len(retriever.invoke("sky")) == 4
    assert sent(server) == {"storeId": STORE_ID, "query": "sky", "inputs": {"mmr": True}}


def test_documents_carry_the_chunk_and_its_origin(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", QUERY, docs(1))
    [document] = FlowiseRetriever(store_id=STORE_ID, **clients).invoke("sky")
    assert document.id == "chunk-0"
    assert document.page_content == SKY_DOC["pageContent"]
    assert document.metadata["source"] == "sky.txt"
    assert document.metadata["loc"] == {"lines": {"from": 1, "to": 1}}
    assert (document.metadata["chunk_id"], document.metadata["chunk_no"]) == ("chunk-0", 1)
    assert (document.metadata["doc_id"], document.metadata["store_id"]) == ("doc-sky", STORE_ID)


async def test_async_uses_the_async_client(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", QUERY, docs(4))
    retriever = FlowiseRetriever(store_id=STORE_ID, **clients)
    assert len(await retriever.ainvoke("sky", k=1)) == 1
    assert sent(server)["inputs"] == {"topK": 1}


def test_bad_k_and_unknown_keywords(server: MockFlowise, clients: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="k"):
        FlowiseRetriever(store_id=STORE_ID, k=0, **clients)
    with pytest.raises(TypeError, match="top_k"):
        FlowiseRetriever(store_id=STORE_ID, **clients).invoke("sky", top_k=2)
    assert server.calls == []


def test_errors_are_raised_unchanged(server: MockFlowise, clients: dict[str, Any]) -> None:
    server.add("POST", QUERY, httpx.Response(404, json={"statusCode": 404, "message": "Store not found"}))
    with pytest.raises(NotFoundError):
        FlowiseRetriever(store_id=STORE_ID, **clients).invoke("sky")
