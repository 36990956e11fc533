"""Document stores: request building, and parsing of what Flowise 3.1.4 answered.

``corpus`` is the harness's store (five one-chunk ``plainText`` loaders in Chroma, used by the
retrieval flow); ``scratch`` was built step by step (preview, save, process, insert).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx
import pytest

from flowise_integrations import (
    AsyncFlowise,
    InternalServerError,
    NotFoundError,
    Page,
    PermissionDeniedError,
    RetryPolicy,
)
from flowise_integrations.types.document_stores import (
    ComponentConfig,
    DocumentStore,
    DocumentStoreUsage,
    IndexingResult,
)
from tests.unit.mock_flowise import MockFlowise
from tests.unit.multipart import parse_form
from tests.unit.recorded import recorded, recorded_body

CORPUS = recorded_body("document_stores/get")
STORE_ID = CORPUS["id"]
SKY_LOADER = CORPUS["loaders"][0]
LOADER_ID = SKY_LOADER["id"]
SCRATCH = recorded_body("document_stores/create")
SAVED_LOADER = recorded_body("document_stores/loader_saved")

PLAIN_TEXT = {"name": "plainText", "config": {"text": "The sky is blue because of Rayleigh scattering."}}
SPLITTER = {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 200, "chunkOverlap": 20}}
EMBEDDING = CORPUS["embeddingConfig"]
CHROMA = CORPUS["vectorStoreConfig"]

# Retries once, without waiting: shows which calls are safe to repeat.
RETRY_ONCE = RetryPolicy(max_retries=1, initial_delay=0.0)


# --- stores ---------------------------------------------------------------------------------


async def test_create_encodes_configs_and_parses_the_raw_entity(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", "document-store/store", recorded("document_stores/create"))
    store = await client.document_stores.create(
        name="scratch", description="step by step", vector_store_config=ComponentConfig.model_validate(CHROMA)
    )
    assert server.last.url.raw_path == b"/api/v1/document-store/store"
    body = server.last_json()
    assert body.keys() == {"name", "description", "vectorStoreConfig"}
    assert (body["name"], body["description"]) == ("scratch", "step by step")
    assert json.loads(body["vectorStoreConfig"]) == CHROMA
    # The answer is the raw entity: loaders and whereUsed are the strings "[]".
    assert SCRATCH["loaders"] == SCRATCH["whereUsed"] == "[]"
    assert isinstance(store, DocumentStore)
    assert store.id == SCRATCH["id"]
    assert store.loaders == []
    assert store.where_used == []
    assert store.vector_store_config is None
    assert store.status == "EMPTY"
    assert isinstance(store.created_date, datetime)


async def test_create_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="name"):
        await client.document_stores.create(name="  ")
    with pytest.raises(TypeError, match="embedding_config"):
        await client.document_stores.create(name="kb", embedding_config="localAIEmbeddings")  # type: ignore[arg-type]
    assert server.calls == []


async def test_list_plain_and_paginated(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "document-store/store", recorded("document_stores/list"))
    stores = await client.document_stores.list()
    assert [s.name for s in stores] == ["scratch", "corpus"]
    corpus = stores[1]
    assert corpus.where_used == [recorded_body("chatflows/list_page")["data"][0]["id"]]  # bare flow ids
    assert (corpus.total_chunks, corpus.status) == (5, "UPSERTED")
    assert [
        loader.loader_config["metadata"]["source"] for loader in corpus.loaders if loader.loader_config
    ] == [
        "sky.txt",
        "photosynthesis.txt",
        "volcano.txt",
        "revolution.txt",
        "python.txt",
    ]
    assert dict(server.last.url.params) == {}

    server.add("GET", "document-store/store", recorded("document_stores/list_page"))
    page = await client.document_stores.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 2
    assert page.page == 1
    assert [s.name for s in page] == ["scratch"]
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}


async def test_iter_all_walks_pages(client: AsyncFlowise, server: MockFlowise) -> None:
    listed = recorded_body("document_stores/list")
    server.add(
        "GET",
        "document-store/store",
        recorded("document_stores/list_page", body={"total": 3, "data": listed}),
        recorded("document_stores/list_page", body={"total": 3, "data": [{**CORPUS, "id": "last"}]}),
    )
    ids = [s.id async for s in client.document_stores.iter_all(page_size=2)]
    assert ids == [SCRATCH["id"], STORE_ID, "last"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


async def test_get_parses_the_dto(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"document-store/store/{STORE_ID}", recorded("document_stores/get"))
    store = await client.document_stores.get(STORE_ID)
    assert server.last.method == "GET"
    retrieval = recorded_body("chatflows/list_page")["data"][0]
    assert store.where_used == [DocumentStoreUsage(id=retrieval["id"], name="retrieval")]
    loader = store.loaders[0]
    assert (loader.id, loader.loader_id, loader.loader_name, loader.status) == (
        LOADER_ID,
        "plainText",
        "Plain Text",
        "SYNC",
    )
    assert loader.splitter_config == {"chunkSize": 500, "chunkOverlap": 20}
    assert (loader.total_chunks, loader.total_chars) == (1, 136)
    assert store.embedding_config is not None
    assert store.embedding_config.name == "localAIEmbeddings"
    assert store.vector_store_config is not None
    assert store.vector_store_config.config["collectionName"] == "corpus-collection"
    # Sent back, the JSON columns are strings again.
    wire = store.to_wire()
    assert json.loads(wire["loaders"])[0]["loaderId"] == "plainText"
    assert json.loads(wire["vectorStoreConfig"]) == CHROMA


async def test_get_a_store_with_a_file_loader(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"document-store/store/{STORE_ID}", recorded("document_stores/get_with_files"))
    [loader] = (await client.document_stores.get(STORE_ID)).loaders
    assert loader.loader_id == "textFile"
    assert loader.files is not None
    [file] = loader.files
    assert (file.name, file.mime_prefix, file.status) == ("notes.txt", "text/plain", "NEW")
    assert file.size == 58
    assert isinstance(file.uploaded, datetime)


async def test_get_unknown_and_forbidden(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "document-store/store/nope", recorded("errors/document_store_not_found"))
    with pytest.raises(NotFoundError) as info:
        await client.document_stores.get("nope")
    assert info.value.status_code == 404
    assert info.value.operation == "documentStoreServices.getDocumentStoreById"
    server.add("GET", f"document-store/store/{STORE_ID}", recorded("errors/forbidden"))
    with pytest.raises(PermissionDeniedError):
        await client.document_stores.get(STORE_ID)


async def test_update_sends_only_given_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"document-store/store/{SCRATCH['id']}", recorded("document_stores/update"))
    store = await client.document_stores.update(
        SCRATCH["id"], description="loaded step by step", embedding_config=EMBEDDING
    )
    assert server.last.method == "PUT"
    body = server.last_json()
    assert body.keys() == {"description", "embeddingConfig"}
    assert json.loads(body["embeddingConfig"]) == EMBEDDING
    assert store.description == "loaded step by step"
    assert store.loaders == []


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"document-store/store/{SCRATCH['id']}", recorded("document_stores/delete"))
    result = await client.document_stores.delete(SCRATCH["id"])
    assert server.last.method == "DELETE"
    assert result.deleted == 1


async def test_get_configs(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/store-configs/{STORE_ID}/{LOADER_ID}"
    server.add("GET", route, recorded("document_stores/configs"))
    params = await client.document_stores.get_configs(STORE_ID, LOADER_ID)
    assert server.last.url.raw_path == f"/api/v1/{route}".encode()
    assert (params[0].node_id, params[0].name, params[0].type) == ("plainText_0", "text", "string")
    assert {p.node_id for p in params} >= {"plainText_0", "recursiveCharacterTextSplitter_0", "chroma_0"}


# --- upsert and refresh ---------------------------------------------------------------------


async def test_upsert_json_body_and_result(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", f"document-store/upsert/{STORE_ID}", recorded("document_stores/upsert"))
    result = await client.document_stores.upsert(
        STORE_ID,
        loader=PLAIN_TEXT,
        splitter=ComponentConfig.model_validate(SPLITTER),
        embedding=EMBEDDING,
        vector_store=CHROMA,
        metadata={"source": "python.txt"},
        replace_existing=False,
    )
    assert server.last.url.raw_path == f"/api/v1/document-store/upsert/{STORE_ID}".encode()
    assert server.last_json() == {
        "loader": PLAIN_TEXT,
        "splitter": SPLITTER,
        "embedding": EMBEDDING,
        "vectorStore": CHROMA,
        "metadata": {"source": "python.txt"},
        "replaceExisting": False,
    }
    assert isinstance(result, IndexingResult)
    assert result.num_added == 1
    assert result.doc_id is not None
    [doc] = result.added_docs
    assert doc.metadata == {
        "docId": result.doc_id,
        "loc": {"lines": {"from": 1, "to": 1}},
        "source": "python.txt",
    }
    assert doc.page_content.startswith("Python is a programming language")


async def test_upsert_with_doc_id_needs_no_components(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", f"document-store/upsert/{STORE_ID}", recorded("document_stores/upsert"))
    await client.document_stores.upsert(STORE_ID, doc_id=LOADER_ID, replace_existing=True)
    assert server.last_json() == {"docId": LOADER_ID, "replaceExisting": True}


async def test_upsert_multipart_with_files(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", f"document-store/upsert/{STORE_ID}", recorded("document_stores/upsert_files"))
    result = await client.document_stores.upsert(
        STORE_ID,
        loader={"name": "textFile", "config": {}},
        splitter=SPLITTER,
        embedding=EMBEDDING,
        vector_store=CHROMA,
        metadata={"source": "upload"},
        replace_existing=False,
        create_new_doc_store=True,
        doc_store={"name": "new kb", "description": "from files"},
        files=[("notes.txt", b"line one\nline two\n")],
    )
    request = server.last
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b"Content-Type: text/plain" in request.content
    form = parse_form(request)
    assert [(f.field, f.filename, f.content_type, f.content) for f in form.files] == [
        ("files", "notes.txt", "text/plain", b"line one\nline two\n")
    ]
    assert json.loads(form.fields["loader"]) == {"name": "textFile", "config": {}}
    assert json.loads(form.fields["splitter"]) == SPLITTER
    assert json.loads(form.fields["vectorStore"]) == CHROMA
    assert json.loads(form.fields["docStore"]) == {"name": "new kb", "description": "from files"}
    assert json.loads(form.fields["metadata"]) == {"source": "upload"}
    assert form.fields["replaceExisting"] == "false"
    assert form.fields["createNewDocStore"] == "true"
    assert "docId" not in form.fields
    [doc] = result.added_docs
    assert doc.metadata["source"] == "blob"
    assert doc.page_content == "Attachments are read by Flowise.\nSecond line of the notes."


async def test_upsert_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="required"):
        await client.document_stores.upsert(STORE_ID, loader=PLAIN_TEXT, embedding=EMBEDDING)
    with pytest.raises(TypeError, match="replace_existing"):
        await client.document_stores.upsert(STORE_ID, doc_id=LOADER_ID, replace_existing="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.document_stores.upsert(STORE_ID, doc_id=LOADER_ID, loader={"config": {}})
    with pytest.raises(ValueError, match="extension"):
        await client.document_stores.upsert(STORE_ID, doc_id=LOADER_ID, files=[("README", b"x")])
    assert server.calls == []


async def test_upsert_errors_and_no_retry(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RETRY_ONCE)
    server.add("POST", f"document-store/upsert/{STORE_ID}", recorded("document_stores/upsert_not_configured"))
    with pytest.raises(InternalServerError, match="Loader not configured"):
        await retrying.document_stores.upsert(STORE_ID, doc_id=LOADER_ID)
    server.add("POST", f"document-store/upsert/{STORE_ID}", httpx.Response(503, text="busy"))
    with pytest.raises(InternalServerError):
        await retrying.document_stores.upsert(STORE_ID, doc_id=LOADER_ID)
    assert len(server.calls) == 2  # one call each: an upsert is never repeated


async def test_refresh_all_and_items(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/refresh/{SCRATCH['id']}"
    server.add("POST", route, recorded("document_stores/refresh"))
    results = await client.document_stores.refresh(SCRATCH["id"])
    assert server.last_json() == {}
    assert [(r.doc_id, r.num_added) for r in results] == [(SAVED_LOADER["id"], 1)]
    assert results[0].added_docs[0].page_content.startswith("A volcano erupts")

    await client.document_stores.refresh(SCRATCH["id"], items=[{"docId": LOADER_ID, "splitter": SPLITTER}])
    assert server.last_json() == {"items": [{"docId": LOADER_ID, "splitter": SPLITTER}]}
    with pytest.raises(TypeError):
        await client.document_stores.refresh(STORE_ID, items={"docId": LOADER_ID})  # type: ignore[arg-type]


async def test_generate_tool_description(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/generate-tool-desc/{STORE_ID}"
    server.add("POST", route, recorded("document_stores/generate_tool_description"))
    result = await client.document_stores.generate_tool_description(
        STORE_ID,
        chat_model={"name": "chatOpenAI", "config": {"modelName": "gpt-4o-mini"}},
        credential="cred-1",
    )
    assert server.last_json() == {
        "selectedChatModel": {
            "name": "chatOpenAI",
            "inputs": {"modelName": "gpt-4o-mini"},
            "credential": "cred-1",
        }
    }
    # The stand-in model echoes the prompt, which quotes the store's first chunks.
    assert result.content.startswith("FAKE: ")
    assert "Rayleigh scattering" in result.content


# --- loaders --------------------------------------------------------------------------------


async def test_loader_preview(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RETRY_ONCE)
    server.add(
        "POST",
        "document-store/loader/preview",
        httpx.Response(502, text="bad gateway"),
        recorded("document_stores/loader_preview"),
    )
    result = await retrying.document_stores.loaders.preview(
        loader=PLAIN_TEXT, splitter=SPLITTER, preview_chunk_count=2
    )
    assert len(server.calls) == 2  # read-only: retried after the 502
    assert server.last_json() == {
        "loaderId": "plainText",
        "loaderName": "plainText",
        "loaderConfig": PLAIN_TEXT["config"],
        "splitterId": "recursiveCharacterTextSplitter",
        "splitterName": "recursiveCharacterTextSplitter",
        "splitterConfig": SPLITTER["config"],
        "previewChunkCount": 2,
    }
    assert (result.total_chunks, result.preview_chunk_count) == (3, 2)
    assert [c.page_content for c in result.chunks] == [
        "A volcano erupts when molten magma from the mantle rises",
        "rises through the crust and escapes as lava, ash and",
    ]
    assert result.chunks[0].metadata == {"loc": {"lines": {"from": 1, "to": 1}}}
    with pytest.raises(ValueError):
        await client.document_stores.loaders.preview(loader=PLAIN_TEXT, preview_chunk_count=-2)


async def test_loader_save_and_process(client: AsyncFlowise, server: MockFlowise) -> None:
    scratch_id = SCRATCH["id"]
    server.add("POST", "document-store/loader/save", recorded("document_stores/loader_saved"))
    loader = await client.document_stores.loaders.save(
        scratch_id, loader=PLAIN_TEXT, loader_name="Plain Text"
    )
    assert server.last_json() == {
        "storeId": scratch_id,
        "loaderId": "plainText",
        "loaderName": "Plain Text",
        "loaderConfig": PLAIN_TEXT["config"],
    }
    assert loader.id == SAVED_LOADER["id"]
    assert (loader.status, loader.total_chunks) == ("SYNCING", 0)
    assert loader.splitter_config == {"chunkSize": 60, "chunkOverlap": 10}

    route = f"document-store/loader/process/{loader.id}"
    server.add("POST", route, recorded("document_stores/loader_processed"))
    page = await client.document_stores.loaders.process(
        loader.id or "", store_id=scratch_id, loader=PLAIN_TEXT, splitter=SPLITTER, credential="cred-1"
    )
    assert server.last.url.raw_path == f"/api/v1/{route}".encode()
    body = server.last_json()
    assert (body["id"], body["loaderId"], body["storeId"], body["credential"]) == (
        loader.id,
        "plainText",
        scratch_id,
        "cred-1",
    )
    assert page.count == 3
    assert [c.chunk_no for c in page.chunks] == [1, 2, 3]
    assert {c.doc_id for c in page.chunks} == {loader.id}
    assert page.chunks[0].metadata == {"loc": {"lines": {"from": 1, "to": 1}}}
    assert page.file is not None
    assert (page.file.id, page.file.status) == (loader.id, "SYNC")
    assert (page.store_name, page.current_page) == ("scratch", 1)


async def test_loader_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    scratch_id, loader_id = SCRATCH["id"], SAVED_LOADER["id"]
    server.add(
        "DELETE",
        f"document-store/loader/{scratch_id}/{loader_id}",
        recorded("document_stores/loader_deleted"),
    )
    store = await client.document_stores.loaders.delete(scratch_id, loader_id)
    assert server.last.method == "DELETE"
    assert store.loaders == []
    assert store.status == "UPSERTED"
    server.add(
        "DELETE",
        f"document-store/loader/{scratch_id}/missing",
        recorded("document_stores/loader_delete_missing"),
    )
    with pytest.raises(InternalServerError, match="Unable to locate loader"):
        await client.document_stores.loaders.delete(scratch_id, "missing")


# --- chunks ---------------------------------------------------------------------------------


async def test_chunks_list_pages(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/chunks/{STORE_ID}/{LOADER_ID}/1"
    server.add("GET", route, recorded("document_stores/chunks"))
    page = await client.document_stores.chunks.list(STORE_ID, LOADER_ID)
    assert server.last.url.raw_path == f"/api/v1/{route}".encode()
    assert (page.current_page, page.count, page.characters) == (1, 1, 136)
    assert page.file is not None
    assert page.file.id == LOADER_ID
    [chunk] = page.chunks
    assert (chunk.chunk_no, chunk.doc_id, chunk.store_id) == (1, LOADER_ID, STORE_ID)
    assert chunk.metadata == {"loc": {"lines": {"from": 1, "to": 1}}, "source": "sky.txt"}
    with pytest.raises(ValueError):
        await client.document_stores.chunks.list(STORE_ID, "all", page_no=0)


async def test_chunks_update_and_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    scratch_id, loader_id = SCRATCH["id"], SAVED_LOADER["id"]
    processed = recorded_body("document_stores/loader_processed")["chunks"]
    first, last = processed[0]["id"], processed[-1]["id"]
    server.add(
        "PUT",
        f"document-store/chunks/{scratch_id}/{loader_id}/{first}",
        recorded("document_stores/chunk_updated"),
    )
    page = await client.document_stores.chunks.update(
        scratch_id, loader_id, first, page_content="A volcano erupts.", metadata={"source": "edited"}
    )
    assert server.last.method == "PUT"
    assert server.last_json() == {"pageContent": "A volcano erupts.", "metadata": {"source": "edited"}}
    assert page.chunks[0].page_content == "A volcano erupts."

    server.add(
        "DELETE",
        f"document-store/chunks/{scratch_id}/{loader_id}/{last}",
        recorded("document_stores/chunk_deleted"),
    )
    page = await client.document_stores.chunks.delete(scratch_id, loader_id, last)
    assert server.last.method == "DELETE"
    assert page.count == 2
    assert last not in [c.id for c in page.chunks]
    with pytest.raises(ValueError):
        await client.document_stores.chunks.update(scratch_id, loader_id, first, page_content="")


# --- vector store ---------------------------------------------------------------------------


async def test_query_sends_top_k_in_inputs_and_truncates(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RETRY_ONCE)
    server.add(
        "POST",
        "document-store/vectorstore/query",
        httpx.Response(503, text="busy"),
        recorded("document_stores/query"),
    )
    result = await retrying.document_stores.vector_store.query(
        STORE_ID,
        "Why is the sky blue?",
        top_k=1,
        inputs={"topK": 10, "chromaMetadataFilter": {"source": "sky.txt"}},
    )
    assert len(server.calls) == 2  # read-only: retried after the 503
    assert server.last_json() == {
        "storeId": STORE_ID,
        "query": "Why is the sky blue?",
        "inputs": {"topK": 1, "chromaMetadataFilter": {"source": "sky.txt"}},
    }
    assert [d.metadata["source"] for d in result.docs] == ["sky.txt"]  # cut to top_k here
    assert result.time_taken == 0  # normalised when recorded

    result = await client.document_stores.vector_store.query(STORE_ID, "sky")
    assert server.last_json() == {"storeId": STORE_ID, "query": "sky"}
    assert [(d.metadata["source"], d.chunk_no) for d in result.docs] == [("sky.txt", 1), ("volcano.txt", 1)]
    assert result.docs[0].id == recorded_body("document_stores/chunks")["chunks"][0]["id"]
    with pytest.raises(ValueError):
        await client.document_stores.vector_store.query(STORE_ID, "sky", top_k=0)


async def test_query_unconfigured_store(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "document-store/vectorstore/query", recorded("document_stores/query_unconfigured"))
    with pytest.raises(InternalServerError, match="is not configured"):
        await client.document_stores.vector_store.query(SCRATCH["id"], "sky")


async def test_insert(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "document-store/vectorstore/insert", recorded("document_stores/vector_inserted"))
    result = await client.document_stores.vector_store.insert(
        SCRATCH["id"],
        embedding_name="localAIEmbeddings",
        embedding_config=EMBEDDING["config"],
        vector_store_name="chroma",
        vector_store_config=CHROMA["config"],
        record_manager_name="SQLiteRecordManager",
        doc_id=SAVED_LOADER["id"],
    )
    assert server.last_json() == {
        "storeId": SCRATCH["id"],
        "embeddingName": "localAIEmbeddings",
        "embeddingConfig": EMBEDDING["config"],
        "vectorStoreName": "chroma",
        "vectorStoreConfig": CHROMA["config"],
        "recordManagerName": "SQLiteRecordManager",
        "recordManagerConfig": {},
        "docId": SAVED_LOADER["id"],
    }
    assert (result.num_added, result.total_keys) == (1, None)
    assert [d.page_content for d in result.added_docs] == ["A volcano erupts."]
    assert result.model_extra is not None
    assert result.model_extra["whereUsed"] == []


async def test_save_and_update_config(client: AsyncFlowise, server: MockFlowise) -> None:
    scratch_id = SCRATCH["id"]
    server.add("POST", "document-store/vectorstore/save", recorded("document_stores/vector_config_saved"))
    store = await client.document_stores.vector_store.save(
        scratch_id, vector_store_name="chroma", vector_store_config={"collectionName": "scratch", "topK": 2}
    )
    assert server.last_json() == {
        "storeId": scratch_id,
        "vectorStoreName": "chroma",
        "vectorStoreConfig": {"collectionName": "scratch", "topK": 2},
    }
    # The raw entity again: every JSON column is a string.
    assert isinstance(recorded_body("document_stores/vector_config_saved")["loaders"], str)
    assert store.loaders[0].splitter_config == {"chunkSize": 60, "chunkOverlap": 10}
    assert store.where_used == []
    assert store.vector_store_config is not None
    assert store.vector_store_config.config["topK"] == 2
    with pytest.raises(ValueError, match="embedding_name"):
        await client.document_stores.vector_store.save(scratch_id, embedding_config={"modelName": "e"})

    server.add("POST", "document-store/vectorstore/update", recorded("document_stores/vector_config_updated"))
    updated = await client.document_stores.vector_store.update_config(
        scratch_id, vector_store_name="chroma", vector_store_config={"topK": 3}
    )
    assert server.last_json() == {
        "storeId": scratch_id,
        "vectorStoreName": "chroma",
        "vectorStoreConfig": {"topK": 3},
    }
    assert updated.vector_store_config is not None
    assert updated.vector_store_config.config["topK"] == 3


async def test_vector_store_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/vectorstore/{STORE_ID}"
    server.add("DELETE", route, httpx.Response(200, headers={"content-type": "application/json"}))
    assert await client.document_stores.vector_store.delete(STORE_ID, doc_id=LOADER_ID) is None
    assert dict(server.last.url.params) == {"docId": LOADER_ID}
    await client.document_stores.vector_store.delete(STORE_ID)
    assert dict(server.last.url.params) == {}

    server.add("DELETE", route, recorded("document_stores/vector_delete_without_record_manager"))
    with pytest.raises(InternalServerError, match="Record Manager"):
        await client.document_stores.vector_store.delete(STORE_ID)


# --- components -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "route", "fixture"),
    [
        ("loaders", "loaders", "components_loaders"),
        ("embeddings", "embeddings", "components_embeddings"),
        ("vector_stores", "vectorstore", "components_vector_stores"),
        ("record_managers", "recordmanager", "components_record_managers"),
    ],
)
async def test_components(
    client: AsyncFlowise, server: MockFlowise, method: str, route: str, fixture: str
) -> None:
    server.add("GET", f"document-store/components/{route}", recorded(f"document_stores/{fixture}"))
    nodes = await getattr(client.document_stores.components, method)()
    assert server.last.url.raw_path == f"/api/v1/document-store/components/{route}".encode()
    expected: list[dict[str, Any]] = recorded_body(f"document_stores/{fixture}")
    assert [n.name for n in nodes] == [n["name"] for n in expected]
    assert all(n.inputs for n in nodes)


async def test_components_need_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "document-store/components/loaders", recorded("errors/forbidden"))
    with pytest.raises(PermissionDeniedError):
        await client.document_stores.components.loaders()
