"""``client.document_stores`` and its ``loaders``, ``chunks``, ``vector_store`` and ``components``
against a real Flowise, with ``localAIEmbeddings`` on the model stand-in and a Chroma server.

Every test works in a store of its own and a Chroma collection of its own. Deleting a store does
not delete its vectors (only a record manager can), so collections are left in the harness's
throwaway Chroma.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.testing.flows import DEFAULT_CORPUS
from flowise_integrations.types.document_stores import (
    ChunkPage,
    DocumentStore,
    DocumentStoreLoader,
    IndexingResult,
    PreviewResult,
    QueryResult,
)
from flowise_integrations.types.nodes import Node

SPLITTER = {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 500, "chunkOverlap": 20}}

SKY = DEFAULT_CORPUS["sky.txt"]
VOLCANO = DEFAULT_CORPUS["volcano.txt"]
PHOTOSYNTHESIS = DEFAULT_CORPUS["photosynthesis.txt"]

PARAGRAPHS = [
    "Alpha paragraph: a volcano erupts molten magma and lava.",
    "Beta paragraph: the sky is blue from Rayleigh scattering.",
    "Gamma paragraph: photosynthesis turns sunlight into glucose.",
]


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _embedding(stack: LocalStack) -> dict[str, Any]:
    return {
        "name": "localAIEmbeddings",
        "config": {"basePath": stack.model_base_url, "modelName": "stand-in"},
    }


def _chroma(stack: LocalStack) -> dict[str, Any]:
    collection = f"c{uuid.uuid4().hex[:12]}"
    return {
        "name": "chroma",
        "config": {"collectionName": collection, "chromaURL": stack.chroma_url, "topK": 4},
    }


def _plain_text(text: str, source: str) -> dict[str, Any]:
    return {"name": "plainText", "config": {"text": text, "metadata": json.dumps({"source": source})}}


async def _upsert_text(
    client: AsyncFlowise,
    stack: LocalStack,
    store_id: str,
    text: str,
    source: str,
    vector_store: dict[str, Any],
    **extra: Any,
) -> IndexingResult:
    return await client.document_stores.upsert(
        store_id,
        loader=_plain_text(text, source),
        splitter=SPLITTER,
        embedding=_embedding(stack),
        vector_store=vector_store,
        **extra,
    )


@pytest.fixture
async def store(async_flowise_client: AsyncFlowise) -> AsyncIterator[DocumentStore]:
    created = await async_flowise_client.document_stores.create(name=_name("ds"), description="integration")
    yield created
    with contextlib.suppress(NotFoundError):
        await async_flowise_client.document_stores.delete(created.id)


# -- store CRUD and listing


async def test_create_get_update_delete(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack
) -> None:
    stores = async_flowise_client.document_stores
    name = _name("crud")
    created = await stores.create(name=name, description="before", embedding_config=_embedding(flowise_stack))
    try:
        assert isinstance(created, DocumentStore)
        assert (created.name, created.description, created.status) == (name, "before", "EMPTY")
        assert created.loaders == []
        assert created.where_used == []
        assert created.embedding_config is not None
        assert created.embedding_config.name == "localAIEmbeddings"
        assert created.embedding_config.config["basePath"] == flowise_stack.model_base_url
        assert created.vector_store_config is None

        fetched = await stores.get(created.id)
        assert (fetched.id, fetched.name, fetched.status) == (created.id, name, "EMPTY")
        assert fetched.embedding_config == created.embedding_config

        updated = await stores.update(created.id, name=name + "-renamed", description="after")
        assert (updated.name, updated.description) == (name + "-renamed", "after")
        # Fields not sent are kept.
        assert updated.embedding_config == created.embedding_config
        assert (await stores.get(created.id)).description == "after"
    finally:
        result = await stores.delete(created.id)
    assert result.deleted == 1
    with pytest.raises(NotFoundError) as missing:
        await stores.get(created.id)
    assert missing.value.status_code == 404
    assert created.id in missing.value.message
    # Deleting again: a "not found" wrapped in a 500.
    with pytest.raises(NotFoundError) as again:
        await stores.delete(created.id)
    assert again.value.status_code == 500
    with pytest.raises(NotFoundError):
        await stores.update(created.id, name="gone")


async def test_list_paginated_and_iter_all(async_flowise_client: AsyncFlowise) -> None:
    stores = async_flowise_client.document_stores
    prefix = _name("listing")
    created = [await stores.create(name=f"{prefix}-{i}") for i in range(3)]
    ours = {store.id for store in created}
    try:
        everything = await stores.list()
        assert isinstance(everything, list)
        assert all(isinstance(store, DocumentStore) for store in everything)
        assert ours <= {store.id for store in everything}

        page = await stores.list(page=1, limit=2)
        assert len(page.items) == 2
        assert (page.page, page.limit) == (1, 2)
        assert page.total == len(everything)
        second = await stores.list(page=2, limit=2)
        assert {store.id for store in page.items}.isdisjoint(store.id for store in second.items)

        walked = [store.id async for store in stores.iter_all(page_size=2)]
        assert len(walked) == len(set(walked)) == len(everything)
        assert ours <= set(walked)
    finally:
        for store in created:
            await stores.delete(store.id)
    assert ours.isdisjoint(store.id for store in await stores.list())


# -- one-shot upsert and query


async def test_upsert_json_and_query_ranks_the_topical_chunk_first(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    vector_store = _chroma(flowise_stack)
    doc_ids = {}
    for source, text in (("sky.txt", SKY), ("volcano.txt", VOLCANO), ("photosynthesis.txt", PHOTOSYNTHESIS)):
        result = await _upsert_text(
            async_flowise_client,
            flowise_stack,
            store.id,
            text,
            source,
            vector_store,
            metadata={"source": source},
        )
        assert isinstance(result, IndexingResult)
        assert result.num_added == 1
        assert result.doc_id
        assert [doc.page_content for doc in result.added_docs] == [text]
        assert result.added_docs[0].metadata["source"] == source
        assert result.added_docs[0].metadata["docId"] == result.doc_id
        doc_ids[source] = result.doc_id

    fetched = await stores.get(store.id)
    assert fetched.status == "UPSERTED"
    assert {loader.id for loader in fetched.loaders} == set(doc_ids.values())
    assert all(loader.loader_id == "plainText" and loader.status == "SYNC" for loader in fetched.loaders)
    assert fetched.total_chunks == 3
    assert fetched.vector_store_config is not None
    assert fetched.vector_store_config.name == "chroma"
    assert fetched.vector_store_config.config["collectionName"] == vector_store["config"]["collectionName"]
    assert fetched.embedding_config is not None
    assert fetched.embedding_config.name == "localAIEmbeddings"

    for top_k in (1, 2, 3):
        answer = await stores.vector_store.query(store.id, "Why does the sky look blue?", top_k=top_k)
        assert isinstance(answer, QueryResult)
        assert len(answer.docs) == top_k
        assert answer.docs[0].page_content == SKY
    best = (await stores.vector_store.query(store.id, "magma lava volcano eruption", top_k=1)).docs[0]
    assert best.page_content == VOLCANO
    assert best.metadata["source"] == "volcano.txt"
    assert best.metadata["docId"] == doc_ids["volcano.txt"]
    assert best.chunk_no == 1
    assert best.id
    # Without top_k the stored topK (4) applies: every chunk of the store comes back.
    assert len((await stores.vector_store.query(store.id, "plants and sunlight")).docs) == 3


async def test_upsert_multipart_text_file(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    result = await stores.upsert(
        store.id,
        loader={"name": "textFile", "config": {}},
        splitter=SPLITTER,
        embedding=_embedding(flowise_stack),
        vector_store=_chroma(flowise_stack),
        metadata={"source": "volcano.txt"},
        files=[("volcano.txt", VOLCANO.encode())],
    )
    assert result.num_added == 1
    assert [doc.page_content for doc in result.added_docs] == [VOLCANO]
    assert result.added_docs[0].metadata["source"] == "volcano.txt"

    (loader,) = (await stores.get(store.id)).loaders
    assert isinstance(loader, DocumentStoreLoader)
    assert (loader.id, loader.loader_id) == (result.doc_id, "textFile")
    # The top-level metadata is stored as the loader's metadata input.
    assert loader.loader_config == {
        "txtFile": 'FILE-STORAGE::["volcano.txt"]',
        "metadata": {"source": "volcano.txt"},
    }
    assert loader.files is not None
    assert [(f.name, f.mime_prefix, f.size) for f in loader.files] == [
        ("volcano.txt", "text/plain", len(VOLCANO.encode()))
    ]
    (best,) = (await stores.vector_store.query(store.id, "volcano magma", top_k=1)).docs
    assert best.page_content == VOLCANO


async def test_upsert_replace_existing_loader(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    first = await _upsert_text(
        async_flowise_client, flowise_stack, store.id, VOLCANO, "v", _chroma(flowise_stack)
    )
    assert first.doc_id

    # With doc_id the stored splitter, embedding and vector store are reused.
    replaced = await stores.upsert(
        store.id, doc_id=first.doc_id, replace_existing=True, loader=_plain_text(SKY, "s")
    )
    assert replaced.doc_id == first.doc_id
    assert [doc.page_content for doc in replaced.added_docs] == [SKY]

    (loader,) = (await stores.get(store.id)).loaders
    assert loader.id == first.doc_id
    assert loader.loader_config is not None
    assert loader.loader_config["text"] == SKY
    page = await stores.chunks.list(store.id, first.doc_id)
    assert [chunk.page_content for chunk in page.chunks] == [SKY]


async def test_upsert_into_a_new_store(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    new_name = _name("made-by-upsert")
    result = await stores.upsert(
        store.id,
        create_new_doc_store=True,
        doc_store={"name": new_name, "description": "created by upsert"},
        loader=_plain_text(SKY, "sky.txt"),
        splitter=SPLITTER,
        embedding=_embedding(flowise_stack),
        vector_store=_chroma(flowise_stack),
    )
    made = [s for s in await stores.list() if s.name == new_name]
    try:
        assert result.num_added == 1
        assert len(made) == 1
        assert made[0].id != store.id
        assert made[0].description == "created by upsert"
        assert [loader.id for loader in made[0].loaders] == [result.doc_id]
        # The store named in the path is untouched.
        assert (await stores.get(store.id)).loaders == []
    finally:
        for created in made:
            await stores.delete(created.id)


async def test_upsert_needs_every_component_without_doc_id(
    async_flowise_client: AsyncFlowise, store: DocumentStore
) -> None:
    with pytest.raises(ValueError, match="required"):
        await async_flowise_client.document_stores.upsert(store.id, loader=_plain_text(SKY, "s"))
    assert (await async_flowise_client.document_stores.get(store.id)).loaders == []


# -- chunks and configs


async def test_chunks_list_update_delete(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    sky = await _upsert_text(
        async_flowise_client, flowise_stack, store.id, SKY, "sky.txt", _chroma(flowise_stack)
    )
    volcano = await stores.upsert(store.id, doc_id=sky.doc_id, loader=_plain_text(VOLCANO, "volcano.txt"))
    assert sky.doc_id
    assert volcano.doc_id
    assert volcano.doc_id != sky.doc_id

    page = await stores.chunks.list(store.id, sky.doc_id)
    assert isinstance(page, ChunkPage)
    assert (page.count, page.current_page, page.doc_id, page.store_name) == (1, 1, sky.doc_id, store.name)
    (chunk,) = page.chunks
    assert (chunk.doc_id, chunk.store_id, chunk.chunk_no, chunk.page_content) == (
        sky.doc_id,
        store.id,
        1,
        SKY,
    )
    assert chunk.metadata is not None
    assert chunk.metadata["source"] == "sky.txt"
    whole = await stores.chunks.list(store.id, "all")
    assert whole.count == 2
    assert {c.page_content for c in whole.chunks} == {SKY, VOLCANO}

    edited = await stores.chunks.update(
        store.id, sky.doc_id, chunk.id, page_content="Edited sky text.", metadata={"source": "edited"}
    )
    assert [(c.id, c.page_content, c.metadata) for c in edited.chunks] == [
        (chunk.id, "Edited sky text.", {"source": "edited"})
    ]
    assert edited.file is not None
    assert edited.file.total_chars == len("Edited sky text.")
    # The vector store is not touched by chunk edits.
    (best,) = (await stores.vector_store.query(store.id, "sky Rayleigh blue", top_k=1)).docs
    assert best.page_content == SKY

    emptied = await stores.chunks.delete(store.id, sky.doc_id, chunk.id)
    assert (emptied.count, emptied.chunks) == (0, [])
    assert (await stores.chunks.list(store.id, "all")).count == 1
    loaders = {loader.id: loader for loader in (await stores.get(store.id)).loaders}
    assert loaders[sky.doc_id].total_chunks == 0
    # The vector is still there, but no stored chunk matches it any more.
    (orphan,) = (await stores.vector_store.query(store.id, "sky Rayleigh blue", top_k=1)).docs
    assert (orphan.page_content, orphan.chunk_no) == (SKY, -1)


async def test_get_configs(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    result = await _upsert_text(
        async_flowise_client, flowise_stack, store.id, SKY, "s", _chroma(flowise_stack)
    )
    assert result.doc_id
    params = await async_flowise_client.document_stores.get_configs(store.id, result.doc_id)
    by_node = {(param.node_id, param.name) for param in params}
    assert {
        ("plainText_0", "text"),
        ("recursiveCharacterTextSplitter_0", "chunkSize"),
        ("chroma_0", "collectionName"),
        ("chroma_0", "topK"),
        ("localAIEmbeddings_0", "basePath"),
    } <= by_node
    assert {param.node for param in params} >= {"Plain Text", "Chroma", "LocalAI Embedding"}


# -- the step-wise loader flow and the vector store


async def test_loader_preview_save_process_insert_refresh_delete(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    stores = async_flowise_client.document_stores
    loader = _plain_text("\n\n".join(PARAGRAPHS), "paragraphs")
    splitter = {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 100, "chunkOverlap": 1}}

    preview = await stores.loaders.preview(
        loader=loader, splitter=splitter, store_id=store.id, preview_chunk_count=2
    )
    assert isinstance(preview, PreviewResult)
    assert (preview.total_chunks, preview.preview_chunk_count) == (3, 2)
    assert [doc.page_content for doc in preview.chunks] == PARAGRAPHS[:2]
    assert preview.chunks[0].metadata["source"] == "paragraphs"
    assert (await stores.get(store.id)).loaders == []

    saved = await stores.loaders.save(store.id, loader=loader, splitter=splitter, loader_name="Paragraphs")
    assert isinstance(saved, DocumentStoreLoader)
    assert saved.id
    assert (saved.loader_id, saved.loader_name, saved.status, saved.total_chunks) == (
        "plainText",
        "Paragraphs",
        "SYNCING",
        0,
    )
    assert [ldr.id for ldr in (await stores.get(store.id)).loaders] == [saved.id]

    processed = await stores.loaders.process(saved.id, store_id=store.id, loader=loader, splitter=splitter)
    assert processed.count == 3
    assert [chunk.page_content for chunk in processed.chunks] == PARAGRAPHS
    assert processed.file is not None
    assert processed.file.status == "SYNC"
    assert (await stores.get(store.id)).status == "SYNC"

    vector_store = _chroma(flowise_stack)
    embedding = _embedding(flowise_stack)
    inserted = await stores.vector_store.insert(
        store.id,
        embedding_name=embedding["name"],
        embedding_config=embedding["config"],
        vector_store_name=vector_store["name"],
        vector_store_config=vector_store["config"],
    )
    assert inserted.num_added == 3
    assert sorted(doc.page_content for doc in inserted.added_docs) == sorted(PARAGRAPHS)
    after_insert = await stores.get(store.id)
    assert after_insert.status == "UPSERTED"
    assert after_insert.vector_store_config is not None
    assert after_insert.vector_store_config.config == vector_store["config"]
    (best,) = (await stores.vector_store.query(store.id, "volcano magma lava", top_k=1)).docs
    assert best.page_content == PARAGRAPHS[0]

    refreshed = await stores.refresh(store.id)
    assert [(r.doc_id, r.num_added) for r in refreshed] == [(saved.id, 3)]
    only = await stores.refresh(store.id, items=[{"docId": saved.id}])
    assert [(r.doc_id, r.num_added) for r in only] == [(saved.id, 3)]
    assert (await stores.get(store.id)).status == "UPSERTED"

    after_delete = await stores.loaders.delete(store.id, saved.id)
    assert isinstance(after_delete, DocumentStore)
    assert after_delete.loaders == []
    assert (await stores.chunks.list(store.id, "all")).count == 0


async def test_vector_store_save_and_update_config(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    vectors = async_flowise_client.document_stores.vector_store
    embedding, chroma = _embedding(flowise_stack), _chroma(flowise_stack)
    saved = await vectors.save(
        store.id,
        embedding_name=embedding["name"],
        embedding_config=embedding["config"],
        vector_store_name=chroma["name"],
        vector_store_config=chroma["config"],
    )
    assert isinstance(saved, DocumentStore)
    assert saved.embedding_config is not None
    assert saved.embedding_config.config == embedding["config"]
    assert saved.vector_store_config is not None
    assert saved.vector_store_config.config == chroma["config"]
    assert saved.record_manager_config is None

    updated = await vectors.update_config(
        store.id, vector_store_name="chroma", vector_store_config={**chroma["config"], "topK": 2}
    )
    assert updated.vector_store_config is not None
    assert updated.vector_store_config.config["topK"] == 2
    assert updated.embedding_config == saved.embedding_config
    fetched = await async_flowise_client.document_stores.get(store.id)
    assert fetched.vector_store_config == updated.vector_store_config


async def test_vector_store_delete_without_record_manager_is_refused(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    vectors = async_flowise_client.document_stores.vector_store
    await _upsert_text(async_flowise_client, flowise_stack, store.id, SKY, "sky.txt", _chroma(flowise_stack))
    with pytest.raises(InternalServerError) as refused:
        await vectors.delete(store.id)
    assert refused.value.status_code == 500
    assert "Record Manager" in refused.value.message
    assert [doc.page_content for doc in (await vectors.query(store.id, "sky", top_k=1)).docs] == [SKY]


async def test_vector_store_delete_with_record_manager(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, store: DocumentStore
) -> None:
    vectors = async_flowise_client.document_stores.vector_store
    chroma = _chroma(flowise_stack)
    # cleanup "none": Flowise 3.1.4's incremental and full cleanups send Chroma an empty id list,
    # which Chroma 1.5 refuses.
    record_manager = {"name": "SQLiteRecordManager", "config": {"cleanup": "none", "sourceIdKey": "source"}}
    results = [
        await _upsert_text(
            async_flowise_client, flowise_stack, store.id, text, source, chroma, record_manager=record_manager
        )
        for source, text in (("volcano.txt", VOLCANO), ("sky.txt", SKY))
    ]
    assert [(r.num_added, r.num_skipped) for r in results] == [(1, 0), (1, 0)]
    assert results[1].total_keys == 2
    fetched = await async_flowise_client.document_stores.get(store.id)
    assert fetched.record_manager_config is not None
    assert fetched.record_manager_config.name == "SQLiteRecordManager"
    assert len((await vectors.query(store.id, "volcano", top_k=4)).docs) == 2

    assert results[0].doc_id
    assert await vectors.delete(store.id, doc_id=results[0].doc_id) is None
    remaining = (await vectors.query(store.id, "volcano", top_k=4)).docs
    assert [doc.page_content for doc in remaining] == [SKY]

    await vectors.delete(store.id)
    assert (await vectors.query(store.id, "volcano", top_k=4)).docs == []
    # The loaders and their chunks stay in the store.
    assert (await async_flowise_client.document_stores.chunks.list(store.id, "all")).count == 2


# -- components and tool descriptions


async def test_components(async_flowise_client: AsyncFlowise) -> None:
    components = async_flowise_client.document_stores.components
    loaders = await components.loaders()
    embeddings = await components.embeddings()
    vector_stores = await components.vector_stores()
    record_managers = await components.record_managers()
    for nodes in (loaders, embeddings, vector_stores, record_managers):
        assert nodes
        assert all(isinstance(node, Node) for node in nodes)
    assert {"plainText", "textFile", "pdfFile"} <= {node.name for node in loaders}
    assert all(node.category == "Document Loaders" for node in loaders)
    assert "localAIEmbeddings" in {node.name for node in embeddings}
    assert all(node.category == "Embeddings" for node in embeddings)
    assert "chroma" in {node.name for node in vector_stores}
    assert "memoryVectorStore" not in {node.name for node in vector_stores}
    assert {node.name for node in record_managers} == {
        "SQLiteRecordManager",
        "postgresRecordManager",
        "MySQLRecordManager",
    }


async def test_generate_tool_description(
    async_flowise_client: AsyncFlowise,
    flowise_stack: LocalStack,
    flowise_model: ModelStandIn,
    store: DocumentStore,
) -> None:
    await _upsert_text(async_flowise_client, flowise_stack, store.id, VOLCANO, "v", _chroma(flowise_stack))
    flowise_model.reset()
    flowise_model.script("Useful for questions about volcanoes.")
    chat_model = {
        "name": "chatOpenAI",
        "config": {
            "modelName": "fake-model",
            "temperature": 0,
            "basepath": flowise_stack.model_base_url,
            "openAIApiKey": "sk-stand-in",
        },
    }
    described = await async_flowise_client.document_stores.generate_tool_description(
        store.id, chat_model=chat_model
    )
    assert described.content == "Useful for questions about volcanoes."
    (request,) = flowise_model.chat_requests()
    prompt = request["messages"][-1]["content"]
    assert VOLCANO in prompt
    assert "tool description" in prompt
