"""FlowiseRetriever on a mock transport: request shape, nodes, scores, async, errors."""

from __future__ import annotations

import httpx
import pytest
from llama_index.core.base.base_retriever import BaseRetriever

from flowise_integrations import AsyncFlowise, Flowise, NotFoundError
from flowise_integrations.llama_index import FlowiseRetriever
from tests.unit.mock_flowise import MockFlowise

from .conftest import STORE

QUERY = "document-store/vectorstore/query"


def hits(*names: str) -> dict[str, object]:
    return {
        "timeTaken": 16,
        "docs": [
            {
                "pageContent": f"text of {name}",
                "metadata": {
                    "docId": f"loader-{name}",
                    "source": name,
                    "loc": {"lines": {"from": 1, "to": 1}},
                },
                "id": f"chunk-{name}",
                "chunkNo": 1,
            }
            for name in names
        ],
    }


def test_is_a_base_retriever(client: Flowise) -> None:
    assert isinstance(FlowiseRetriever(STORE, client=client), BaseRetriever)


def test_retrieve_maps_chunks_to_nodes(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", QUERY, hits("sky.txt", "volcano.txt"))

    nodes = FlowiseRetriever(STORE, similarity_top_k=2, client=client).retrieve("Why is the sky blue?")

    assert [n.node.node_id for n in nodes] == ["chunk-sky.txt", "chunk-volcano.txt"]
    assert nodes[0].node.get_content() == "text of sky.txt"
    assert nodes[0].node.metadata == {
        "docId": "loader-sky.txt",
        "source": "sky.txt",
        "loc": {"lines": {"from": 1, "to": 1}},
    }
    assert [n.score for n in nodes] == [None, None]
    assert server.last_json() == {"storeId": STORE, "query": "Why is the sky blue?", "inputs": {"topK": 2}}


def test_similarity_top_k_cuts_longer_answers(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", QUERY, hits("a", "b", "c", "d"))

    nodes = FlowiseRetriever(STORE, similarity_top_k=1, client=client).retrieve("q")

    assert [n.node.metadata["source"] for n in nodes] == ["a"]


def test_vector_store_inputs_are_sent(client: Flowise, server: MockFlowise) -> None:
    server.json("POST", QUERY, hits("a"))

    FlowiseRetriever(
        STORE, similarity_top_k=3, vector_store_inputs={"collectionName": "c1"}, client=client
    ).retrieve("q")

    assert server.last_json()["inputs"] == {"collectionName": "c1", "topK": 3}


async def test_aretrieve_uses_the_async_client(
    refusing_client: Flowise, async_client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", QUERY, hits("volcano.txt"))

    nodes = await FlowiseRetriever(STORE, client=refusing_client, async_client=async_client).aretrieve(
        "magma"
    )

    assert [n.node.node_id for n in nodes] == ["chunk-volcano.txt"]
    assert server.last_json()["inputs"] == {"topK": 4}


def test_errors_are_raised_unchanged(client: Flowise, server: MockFlowise) -> None:
    server.add("POST", QUERY, httpx.Response(404, json={"message": f"Document store {STORE} not found"}))

    with pytest.raises(NotFoundError):
        FlowiseRetriever(STORE, client=client).retrieve("q")


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_similarity_top_k_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="similarity_top_k"):
        FlowiseRetriever(STORE, similarity_top_k=bad)  # type: ignore[arg-type]
