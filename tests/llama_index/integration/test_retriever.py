"""FlowiseRetriever against a real document store holding the harness corpus."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.llama_index import FlowiseRetriever

pytestmark = pytest.mark.integration

QUESTIONS = [
    ("Why is the sky blue?", "sky.txt"),
    ("How do plants turn sunlight and water into glucose?", "photosynthesis.txt"),
    ("What happens when molten magma rises through the crust?", "volcano.txt"),
    ("When was the Bastille stormed?", "revolution.txt"),
    ("Which programming language uses indentation and dynamic typing?", "python.txt"),
]


@pytest.mark.parametrize(("question", "source"), QUESTIONS)
def test_the_right_chunk_ranks_first(
    flowise_client: Flowise, document_store: str, question: str, source: str
) -> None:
    retriever = FlowiseRetriever(document_store, similarity_top_k=3, client=flowise_client)

    nodes = retriever.retrieve(question)

    assert len(nodes) == 3
    assert nodes[0].node.metadata["source"] == source
    assert [n.score for n in nodes] == [None, None, None]


def test_node_ids_are_the_stored_chunk_ids(flowise_client: Flowise, document_store: str) -> None:
    nodes = FlowiseRetriever(document_store, similarity_top_k=5, client=flowise_client).retrieve("sky")

    chunk_ids = {
        chunk.id for chunk in flowise_client.document_stores.chunks.list(document_store, "all").chunks
    }
    assert len(nodes) == 5
    assert {n.node.node_id for n in nodes} <= chunk_ids


async def test_aretrieve(async_flowise_client: AsyncFlowise, document_store: str) -> None:
    retriever = FlowiseRetriever(document_store, similarity_top_k=1, async_client=async_flowise_client)

    nodes = await retriever.aretrieve("What happens when molten magma rises through the crust?")

    assert [n.node.metadata["source"] for n in nodes] == ["volcano.txt"]
    assert "magma" in nodes[0].node.get_content()
