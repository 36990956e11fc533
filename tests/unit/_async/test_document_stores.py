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
    PreconditionFailedError,
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

STORE_ID = "6f1c2b7e-2d2a-4f55-9a53-0c8f3e1f9b10"
LOADER_ID = "0d7c5a8e-91b2-4c1e-8f3a-5b6c7d8e9f01"
FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
DATE = "2026-01-02T03:04:05.000Z"

PLAIN_TEXT = {"name": "plainText", "config": {"text": "The sky is blue because of Rayleigh scattering."}}
SPLITTER = {"name": "recursiveCharacterTextSplitter", "config": {"chunkSize": 200, "chunkOverlap": 20}}
EMBEDDING = {
    "name": "localAIEmbeddings",
    "config": {"basePath": "http://127.0.0.1:8011/v1", "modelName": "e"},
}
CHROMA = {
    "name": "chroma",
    "config": {"collectionName": "kb1", "chromaURL": "http://127.0.0.1:8012", "topK": 4},
}

# The create response is the raw entity: JSON columns are strings.
RAW_STORE = {
    "id": STORE_ID,
    "name": "kb",
    "description": "docs",
    "loaders": "[]",
    "whereUsed": "[]",
    "status": "EMPTY",
    "vectorStoreConfig": json.dumps(CHROMA),
    "embeddingConfig": None,
    "recordManagerConfig": None,
    "workspaceId": "ws-1",
    "createdDate": DATE,
    "updatedDate": DATE,
}
LOADER = {
    "id": LOADER_ID,
    "loaderId": "plainText",
    "loaderName": "Plain Text",
    "loaderConfig": PLAIN_TEXT["config"],
    "splitterId": "recursiveCharacterTextSplitter",
    "splitterName": "Recursive Character Text Splitter",
    "splitterConfig": SPLITTER["config"],
    "totalChunks": 1,
    "totalChars": 47,
    "status": "SYNC",
    "source": "None",
    "files": [
        {
            "id": "f-1",
            "name": "a.txt",
            "mimePrefix": "text/plain",
            "size": 47,
            "status": "SYNC",
            "uploaded": DATE,
        }
    ],
}
# Reads answer the DTO: JSON columns parsed, totals computed.
STORE = {
    **RAW_STORE,
    "status": "UPSERTED",
    "loaders": [LOADER],
    "whereUsed": [{"id": FLOW_ID, "name": "rag"}],
    "vectorStoreConfig": CHROMA,
    "embeddingConfig": EMBEDDING,
    "totalChunks": 1,
    "totalChars": 47,
}
CHUNK = {
    "id": "c-1",
    "docId": LOADER_ID,
    "storeId": STORE_ID,
    "chunkNo": 1,
    "pageContent": "The sky is blue because of Rayleigh scattering.",
    "metadata": '{"source":"test","loc":{"lines":{"from":1,"to":1}}}',
}
CHUNK_PAGE = {
    "chunks": [CHUNK],
    "count": 51,
    "file": LOADER,
    "currentPage": 2,
    "storeName": "kb",
    "description": "docs",
    "workspaceId": "ws-1",
    "docId": LOADER_ID,
    "characters": 47,
}
ADDED_DOC = {"pageContent": CHUNK["pageContent"], "metadata": {"source": "test", "docId": LOADER_ID}}
NODE = {
    "label": "Chroma",
    "name": "chroma",
    "version": 2,
    "type": "Chroma",
    "category": "Vector Stores",
    "baseClasses": ["Chroma", "VectorStoreRetriever", "BaseRetriever"],
    "inputs": [{"label": "Collection Name", "name": "collectionName", "type": "string"}],
}


def wrapped_500(operation: str, detail: str) -> dict[str, Any]:
    return {"statusCode": 500, "success": False, "message": f"Error: {operation} - {detail}", "stack": {}}


# Retries once, without waiting: shows which calls are safe to repeat.
RETRY_ONCE = RetryPolicy(max_retries=1, initial_delay=0.0)


# --- stores ---------------------------------------------------------------------------------


async def test_create_encodes_configs_and_parses_the_raw_entity(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "document-store/store", RAW_STORE)
    store = await client.document_stores.create(
        name="kb", description="docs", vector_store_config=ComponentConfig.model_validate(CHROMA)
    )
    assert server.last.url.raw_path == b"/api/v1/document-store/store"
    body = server.last_json()
    assert body == {
        "name": "kb",
        "description": "docs",
        "vectorStoreConfig": json.dumps(CHROMA, separators=(",", ":")),
    }
    assert isinstance(store, DocumentStore)
    assert store.loaders == []
    assert store.where_used == []
    assert store.vector_store_config == ComponentConfig.model_validate(CHROMA)
    assert store.status == "EMPTY"
    assert isinstance(store.created_date, datetime)


async def test_create_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="name"):
        await client.document_stores.create(name="  ")
    with pytest.raises(TypeError, match="embedding_config"):
        await client.document_stores.create(name="kb", embedding_config="localAIEmbeddings")  # type: ignore[arg-type]
    assert server.calls == []


async def test_list_plain_and_paginated(client: AsyncFlowise, server: MockFlowise) -> None:
    listed = {**STORE, "whereUsed": [FLOW_ID]}  # lists keep bare flow ids
    server.json("GET", "document-store/store", [listed])
    stores = await client.document_stores.list()
    assert [s.id for s in stores] == [STORE_ID]
    assert stores[0].where_used == [FLOW_ID]
    assert stores[0].loaders[0].files is not None
    assert stores[0].loaders[0].files[0].mime_prefix == "text/plain"
    assert dict(server.last.url.params) == {}

    server.json("GET", "document-store/store", {"total": 3, "data": [listed]})
    page = await client.document_stores.list(page=3, limit=1)
    assert isinstance(page, Page)
    assert page.total == 3
    assert page.page == 3
    assert len(page) == 1
    assert dict(server.last.url.params) == {"page": "3", "limit": "1"}


async def test_iter_all_walks_pages(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "GET",
        "document-store/store",
        httpx.Response(200, json={"total": 3, "data": [STORE, STORE]}),
        httpx.Response(200, json={"total": 3, "data": [{**STORE, "id": "last"}]}),
    )
    ids = [s.id async for s in client.document_stores.iter_all(page_size=2)]
    assert ids == [STORE_ID, STORE_ID, "last"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


async def test_get_parses_the_dto(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"document-store/store/{STORE_ID}", STORE)
    store = await client.document_stores.get(STORE_ID)
    assert server.last.method == "GET"
    assert store.where_used == [DocumentStoreUsage(id=FLOW_ID, name="rag")]
    loader = store.loaders[0]
    assert (loader.id, loader.loader_id, loader.splitter_config) == (
        LOADER_ID,
        "plainText",
        SPLITTER["config"],
    )
    assert store.embedding_config is not None
    assert store.embedding_config.name == "localAIEmbeddings"
    # Sent back, the JSON columns are strings again.
    wire = store.to_wire()
    assert json.loads(wire["loaders"])[0]["loaderId"] == "plainText"
    assert json.loads(wire["vectorStoreConfig"]) == CHROMA


async def test_get_unknown_and_forbidden(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET",
        "document-store/store/nope",
        {
            "statusCode": 404,
            "success": False,
            "message": "Error: documentStoreServices.getDocumentStoreById - Document store nope not found",
        },
        404,
    )
    with pytest.raises(NotFoundError):
        await client.document_stores.get("nope")
    server.json("GET", f"document-store/store/{STORE_ID}", {"message": "Forbidden"}, 403)
    with pytest.raises(PermissionDeniedError):
        await client.document_stores.get(STORE_ID)


async def test_update_sends_only_given_fields(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"document-store/store/{STORE_ID}", {**STORE, "name": "renamed"})
    store = await client.document_stores.update(STORE_ID, name="renamed", embedding_config=EMBEDDING)
    assert server.last.method == "PUT"
    body = server.last_json()
    assert body.keys() == {"name", "embeddingConfig"}
    assert json.loads(body["embeddingConfig"]) == EMBEDDING
    assert store.name == "renamed"


async def test_delete_and_wrapped_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"document-store/store/{STORE_ID}", {"deleted": 1})
    result = await client.document_stores.delete(STORE_ID)
    assert result.deleted == 1
    server.json(
        "DELETE",
        "document-store/store/gone",
        wrapped_500("documentStoreServices.deleteDocumentStore", "Document store gone not found"),
        500,
    )
    with pytest.raises(NotFoundError) as info:
        await client.document_stores.delete("gone")
    assert info.value.status_code == 500
    assert info.value.wrapped


async def test_get_configs(client: AsyncFlowise, server: MockFlowise) -> None:
    configs = [
        {"node": "Plain Text", "nodeId": "plainText_0", "label": "Text", "name": "text", "type": "string"},
        {"node": "Chroma", "nodeId": "chroma_0", "label": "Top K", "name": "topK", "type": "number"},
    ]
    server.json("GET", f"document-store/store-configs/{STORE_ID}/{LOADER_ID}", configs)
    params = await client.document_stores.get_configs(STORE_ID, LOADER_ID)
    assert server.last.url.raw_path == f"/api/v1/document-store/store-configs/{STORE_ID}/{LOADER_ID}".encode()
    assert [(p.node_id, p.name) for p in params] == [("plainText_0", "text"), ("chroma_0", "topK")]


# --- upsert and refresh ---------------------------------------------------------------------


async def test_upsert_json_body_and_result(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST",
        f"document-store/upsert/{STORE_ID}",
        {"numAdded": 1, "addedDocs": [ADDED_DOC], "docId": LOADER_ID},
    )
    result = await client.document_stores.upsert(
        STORE_ID,
        loader=PLAIN_TEXT,
        splitter=ComponentConfig.model_validate(SPLITTER),
        embedding=EMBEDDING,
        vector_store=CHROMA,
        metadata={"source": "test"},
        replace_existing=False,
    )
    assert server.last.url.raw_path == f"/api/v1/document-store/upsert/{STORE_ID}".encode()
    assert server.last_json() == {
        "loader": PLAIN_TEXT,
        "splitter": SPLITTER,
        "embedding": EMBEDDING,
        "vectorStore": CHROMA,
        "metadata": {"source": "test"},
        "replaceExisting": False,
    }
    assert isinstance(result, IndexingResult)
    assert result.num_added == 1
    assert result.doc_id == LOADER_ID
    assert result.added_docs[0].metadata["docId"] == LOADER_ID


async def test_upsert_with_doc_id_needs_no_components(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST", f"document-store/upsert/{STORE_ID}", {"numAdded": 0, "numSkipped": 1, "docId": LOADER_ID}
    )
    result = await client.document_stores.upsert(STORE_ID, doc_id=LOADER_ID, replace_existing=True)
    assert server.last_json() == {"docId": LOADER_ID, "replaceExisting": True}
    assert result.num_skipped == 1


async def test_upsert_multipart_with_files(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", f"document-store/upsert/{STORE_ID}", {"numAdded": 2, "docId": LOADER_ID})
    await client.document_stores.upsert(
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
    server.json(
        "POST",
        f"document-store/upsert/{STORE_ID}",
        wrapped_500("documentStoreServices.upsertDocStoreMiddleware", "Vector store not configured"),
        500,
    )
    with pytest.raises(InternalServerError, match="Vector store not configured"):
        await retrying.document_stores.upsert(STORE_ID, doc_id=LOADER_ID)
    server.add("POST", f"document-store/upsert/{STORE_ID}", httpx.Response(503, text="busy"))
    with pytest.raises(InternalServerError):
        await retrying.document_stores.upsert(STORE_ID, doc_id=LOADER_ID)
    assert len(server.calls) == 2  # one call each: an upsert is never repeated


async def test_refresh_all_and_items(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/refresh/{STORE_ID}"
    server.json("POST", route, [{"numAdded": 1, "docId": LOADER_ID}, {"numAdded": 2, "docId": "other"}])
    results = await client.document_stores.refresh(STORE_ID)
    assert server.last_json() == {}
    assert [r.doc_id for r in results] == [LOADER_ID, "other"]

    await client.document_stores.refresh(STORE_ID, items=[{"docId": LOADER_ID, "splitter": SPLITTER}])
    assert server.last_json() == {"items": [{"docId": LOADER_ID, "splitter": SPLITTER}]}
    with pytest.raises(TypeError):
        await client.document_stores.refresh(STORE_ID, items={"docId": LOADER_ID})  # type: ignore[arg-type]


async def test_generate_tool_description(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", f"document-store/generate-tool-desc/{STORE_ID}", {"content": "Facts about the sky."})
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
    assert result.content == "Facts about the sky."


# --- loaders --------------------------------------------------------------------------------


async def test_loader_preview(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RETRY_ONCE)
    preview = {
        "chunks": [{"pageContent": "The sky", "metadata": {"source": "x"}}],
        "totalChunks": 9,
        "previewChunkCount": 1,
    }
    server.add(
        "POST",
        "document-store/loader/preview",
        httpx.Response(502, text="bad gateway"),
        httpx.Response(200, json=preview),
    )
    result = await retrying.document_stores.loaders.preview(
        loader=PLAIN_TEXT, splitter=SPLITTER, preview_chunk_count=1
    )
    assert len(server.calls) == 2  # read-only: retried after the 502
    assert server.last_json() == {
        "loaderId": "plainText",
        "loaderName": "plainText",
        "loaderConfig": PLAIN_TEXT["config"],
        "splitterId": "recursiveCharacterTextSplitter",
        "splitterName": "recursiveCharacterTextSplitter",
        "splitterConfig": SPLITTER["config"],
        "previewChunkCount": 1,
    }
    assert result.total_chunks == 9
    assert result.chunks[0].page_content == "The sky"
    with pytest.raises(ValueError):
        await client.document_stores.loaders.preview(loader=PLAIN_TEXT, preview_chunk_count=-2)


async def test_loader_save_and_process(client: AsyncFlowise, server: MockFlowise) -> None:
    saved = {**LOADER, "status": "SYNCING", "totalChunks": 0, "totalChars": 0, "files": None}
    server.json("POST", "document-store/loader/save", saved)
    loader = await client.document_stores.loaders.save(STORE_ID, loader=PLAIN_TEXT, loader_name="Plain Text")
    assert server.last_json() == {
        "storeId": STORE_ID,
        "loaderId": "plainText",
        "loaderName": "Plain Text",
        "loaderConfig": PLAIN_TEXT["config"],
    }
    assert loader.id == LOADER_ID
    assert loader.status == "SYNCING"

    server.json("POST", f"document-store/loader/process/{LOADER_ID}", CHUNK_PAGE)
    page = await client.document_stores.loaders.process(
        LOADER_ID, store_id=STORE_ID, loader=PLAIN_TEXT, splitter=SPLITTER, credential="cred-1"
    )
    assert server.last.url.raw_path == f"/api/v1/document-store/loader/process/{LOADER_ID}".encode()
    body = server.last_json()
    assert (body["id"], body["loaderId"], body["storeId"], body["credential"]) == (
        LOADER_ID,
        "plainText",
        STORE_ID,
        "cred-1",
    )
    assert page.chunks[0].metadata == {"source": "test", "loc": {"lines": {"from": 1, "to": 1}}}
    assert page.count == 51


async def test_loader_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"document-store/loader/{STORE_ID}/{LOADER_ID}", {**STORE, "loaders": []})
    store = await client.document_stores.loaders.delete(STORE_ID, LOADER_ID)
    assert server.last.method == "DELETE"
    assert store.loaders == []
    server.json(
        "DELETE",
        f"document-store/loader/{STORE_ID}/missing",
        wrapped_500(
            "documentStoreServices.deleteLoaderFromDocumentStore",
            "Unable to locate loader in Document Store kb",
        ),
        500,
    )
    with pytest.raises(InternalServerError, match="Unable to locate loader"):
        await client.document_stores.loaders.delete(STORE_ID, "missing")


# --- chunks ---------------------------------------------------------------------------------


async def test_chunks_list_pages(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"document-store/chunks/{STORE_ID}/all/2", CHUNK_PAGE)
    page = await client.document_stores.chunks.list(STORE_ID, "all", page_no=2)
    assert server.last.url.raw_path == f"/api/v1/document-store/chunks/{STORE_ID}/all/2".encode()
    assert page.current_page == 2
    assert page.count == 51
    assert page.characters == 47
    assert page.file is not None
    assert page.file.id == LOADER_ID
    chunk = page.chunks[0]
    assert (chunk.chunk_no, chunk.doc_id, chunk.metadata) == (1, LOADER_ID, json.loads(CHUNK["metadata"]))
    with pytest.raises(ValueError):
        await client.document_stores.chunks.list(STORE_ID, "all", page_no=0)


async def test_chunks_update_and_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/chunks/{STORE_ID}/{LOADER_ID}/c-1"
    server.json("PUT", route, CHUNK_PAGE)
    await client.document_stores.chunks.update(
        STORE_ID, LOADER_ID, "c-1", page_content="The sky is blue.", metadata={"source": "edited"}
    )
    assert server.last.method == "PUT"
    assert server.last_json() == {"pageContent": "The sky is blue.", "metadata": {"source": "edited"}}

    server.json("DELETE", route, {**CHUNK_PAGE, "chunks": [], "count": 50})
    page = await client.document_stores.chunks.delete(STORE_ID, LOADER_ID, "c-1")
    assert server.last.method == "DELETE"
    assert page.count == 50
    with pytest.raises(ValueError):
        await client.document_stores.chunks.update(STORE_ID, LOADER_ID, "c-1", page_content="")


# --- vector store ---------------------------------------------------------------------------


def query_doc(n: int) -> dict[str, Any]:
    return {"pageContent": f"chunk {n}", "metadata": {"source": "test"}, "id": f"c-{n}", "chunkNo": n}


async def test_query_sends_top_k_in_inputs_and_truncates(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RETRY_ONCE)
    unmatched = {**query_doc(9), "chunkNo": -1}
    answer = {"timeTaken": 12, "docs": [query_doc(1), unmatched, query_doc(3)]}
    server.add(
        "POST",
        "document-store/vectorstore/query",
        httpx.Response(503, text="busy"),
        httpx.Response(200, json=answer),
    )
    result = await retrying.document_stores.vector_store.query(
        STORE_ID,
        "why is the sky blue?",
        top_k=2,
        inputs={"topK": 10, "chromaMetadataFilter": {"source": "test"}},
    )
    assert len(server.calls) == 2  # read-only: retried after the 503
    assert server.last_json() == {
        "storeId": STORE_ID,
        "query": "why is the sky blue?",
        "inputs": {"topK": 2, "chromaMetadataFilter": {"source": "test"}},
    }
    assert [d.chunk_no for d in result.docs] == [1, -1]
    assert result.time_taken == 12

    server.json("POST", "document-store/vectorstore/query", answer)
    result = await client.document_stores.vector_store.query(STORE_ID, "sky")
    assert server.last_json() == {"storeId": STORE_ID, "query": "sky"}
    assert len(result.docs) == 3
    with pytest.raises(ValueError):
        await client.document_stores.vector_store.query(STORE_ID, "sky", top_k=0)


async def test_query_unconfigured_store(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST",
        "document-store/vectorstore/query",
        wrapped_500("documentStoreServices.queryVectorStore", f"Embedding for {STORE_ID} is not configured"),
        500,
    )
    with pytest.raises(InternalServerError, match="not configured"):
        await client.document_stores.vector_store.query(STORE_ID, "sky")


async def test_insert(client: AsyncFlowise, server: MockFlowise) -> None:
    indexed = {
        "numAdded": 1,
        "numDeleted": 0,
        "numUpdated": 0,
        "numSkipped": 0,
        "totalKeys": 1,
        "addedDocs": [ADDED_DOC],
        "totalChars": 0,
        "totalChunks": 0,
        "whereUsed": [],
    }
    server.json("POST", "document-store/vectorstore/insert", indexed)
    result = await client.document_stores.vector_store.insert(
        STORE_ID,
        embedding_name="localAIEmbeddings",
        embedding_config=EMBEDDING["config"],
        vector_store_name="chroma",
        vector_store_config=CHROMA["config"],
        record_manager_name="SQLiteRecordManager",
        doc_id=LOADER_ID,
    )
    assert server.last_json() == {
        "storeId": STORE_ID,
        "embeddingName": "localAIEmbeddings",
        "embeddingConfig": EMBEDDING["config"],
        "vectorStoreName": "chroma",
        "vectorStoreConfig": CHROMA["config"],
        "recordManagerName": "SQLiteRecordManager",
        "recordManagerConfig": {},
        "docId": LOADER_ID,
    }
    assert (result.num_added, result.total_keys) == (1, 1)


async def test_save_and_update_config(client: AsyncFlowise, server: MockFlowise) -> None:
    saved = {
        **RAW_STORE,
        "status": "SYNC",
        "loaders": json.dumps([LOADER]),
        "whereUsed": json.dumps([FLOW_ID]),
    }
    server.json("POST", "document-store/vectorstore/save", saved)
    store = await client.document_stores.vector_store.save(
        STORE_ID, vector_store_name="chroma", vector_store_config=CHROMA["config"]
    )
    assert server.last_json() == {
        "storeId": STORE_ID,
        "vectorStoreName": "chroma",
        "vectorStoreConfig": CHROMA["config"],
    }
    assert store.loaders[0].splitter_config == SPLITTER["config"]
    assert store.where_used == [FLOW_ID]
    assert store.vector_store_config is not None
    assert store.vector_store_config.config["collectionName"] == "kb1"
    with pytest.raises(ValueError, match="embedding_name"):
        await client.document_stores.vector_store.save(STORE_ID, embedding_config={"modelName": "e"})

    server.json("POST", "document-store/vectorstore/update", RAW_STORE)
    await client.document_stores.vector_store.update_config(
        STORE_ID, vector_store_name="chroma", vector_store_config={"topK": 8}
    )
    assert server.last_json() == {
        "storeId": STORE_ID,
        "vectorStoreName": "chroma",
        "vectorStoreConfig": {"topK": 8},
    }


async def test_vector_store_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    route = f"document-store/vectorstore/{STORE_ID}"
    server.add("DELETE", route, httpx.Response(200, headers={"content-type": "application/json"}))
    assert await client.document_stores.vector_store.delete(STORE_ID, doc_id=LOADER_ID) is None
    assert dict(server.last.url.params) == {"docId": LOADER_ID}
    await client.document_stores.vector_store.delete(STORE_ID)
    assert dict(server.last.url.params) == {}


# --- components -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "route"),
    [
        ("loaders", "loaders"),
        ("embeddings", "embeddings"),
        ("vector_stores", "vectorstore"),
        ("record_managers", "recordmanager"),
    ],
)
async def test_components(client: AsyncFlowise, server: MockFlowise, method: str, route: str) -> None:
    server.json("GET", f"document-store/components/{route}", [NODE])
    nodes = await getattr(client.document_stores.components, method)()
    assert server.last.url.raw_path == f"/api/v1/document-store/components/{route}".encode()
    assert nodes[0].name == "chroma"
    assert nodes[0].inputs[0].name == "collectionName"


async def test_components_need_permission(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "document-store/components/loaders", {"message": "Forbidden"}, 403)
    with pytest.raises(PermissionDeniedError):
        await client.document_stores.components.loaders()


async def test_missing_body_is_precondition_failed(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "POST",
        "document-store/loader/save",
        {
            "statusCode": 412,
            "success": False,
            "message": "Error: documentStoreController.saveProcessingLoader - body",
        },
        412,
    )
    with pytest.raises(PreconditionFailedError):
        await client.document_stores.loaders.save(STORE_ID, loader=PLAIN_TEXT)
