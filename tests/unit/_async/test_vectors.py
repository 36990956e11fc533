"""Vectors: the flow-based upsert, as JSON or multipart, and the answers Flowise 3.1.4 gave."""

from __future__ import annotations

import json

import httpx
import pytest

from flowise_integrations import (
    AsyncFlowise,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    RetryPolicy,
)
from flowise_integrations.types.document_stores import IndexingResult
from tests.unit.mock_flowise import MockFlowise
from tests.unit.multipart import parse_form
from tests.unit.recorded import recorded, recorded_body

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
ROUTE = f"vector/upsert/{FLOW_ID}"


async def test_upsert_json(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("vectors/upsert"))
    result = await client.vectors.upsert(
        FLOW_ID,
        override_config={"chunkSize": 300, "vars": {"team": "docs"}},
        stop_node_id="memoryVectorStore_0",
        chat_id="chat-1",
    )
    assert server.last.url.raw_path == f"/api/v1/{ROUTE}".encode()
    assert server.last.headers["content-type"] == "application/json"
    assert server.last_json() == {
        "overrideConfig": {"chunkSize": 300, "vars": {"team": "docs"}},
        "stopNodeId": "memoryVectorStore_0",
        "chatId": "chat-1",
    }
    assert isinstance(result, IndexingResult)
    # The in-memory store reports only what it added (no record manager, no other counters).
    assert (result.num_added, result.num_deleted, result.num_skipped, result.total_keys) == (
        1,
        None,
        None,
        None,
    )
    [doc] = result.added_docs
    assert doc.metadata == {"source": "sky.txt"}
    assert doc.page_content.startswith("The sky looks blue")
    assert result.result is None


async def test_upsert_with_every_counter(client: AsyncFlowise, server: MockFlowise) -> None:
    # With a record manager Flowise adds its counters to the same body.
    counted = {
        **recorded_body("vectors/upsert"),
        "numDeleted": 1,
        "numUpdated": 0,
        "numSkipped": 3,
        "totalKeys": 5,
    }
    server.add("POST", ROUTE, recorded("vectors/upsert", body=counted))
    result = await client.vectors.upsert(FLOW_ID)
    assert (result.num_added, result.num_deleted, result.num_skipped, result.total_keys) == (1, 1, 3, 5)


async def test_upsert_without_counters(client: AsyncFlowise, server: MockFlowise) -> None:
    # What upsertVector answers when the vector store reports no counters (server source).
    server.json("POST", ROUTE, {"result": "Successfully Upserted"})
    result = await client.vectors.upsert(FLOW_ID)
    assert server.last_json() == {}
    assert result.result == "Successfully Upserted"
    assert result.num_added is None


async def test_upsert_multipart_sends_overrides_as_form_fields(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.add("POST", ROUTE, recorded("vectors/upsert"))
    await client.vectors.upsert(
        FLOW_ID,
        override_config={"chunkSize": 300, "stripNewLines": True, "vars": {"team": "docs"}},
        stop_node_id="chroma_0",
        files=[("a.txt", b"The sky is blue."), ("b.csv", b"q,a\n1,2\n", "text/csv")],
    )
    request = server.last
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b"Content-Type: text/plain" in request.content
    form = parse_form(request)
    assert form.fields == {
        "chunkSize": "300",
        "stripNewLines": "true",
        "vars": '{"team":"docs"}',
        "stopNodeId": "chroma_0",
    }
    assert json.loads(form.fields["vars"]) == {"team": "docs"}
    assert [(f.field, f.filename, f.content_type) for f in form.files] == [
        ("files", "a.txt", "text/plain"),
        ("files", "b.csv", "text/csv"),
    ]


async def test_upsert_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(TypeError):
        await client.vectors.upsert(FLOW_ID, override_config=["chunkSize"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        await client.vectors.upsert(FLOW_ID, files=[])
    with pytest.raises(ValueError, match="octet-stream"):
        await client.vectors.upsert(FLOW_ID, files=[("a.bin", b"x", "application/octet-stream")])
    with pytest.raises(ValueError):
        await client.vectors.upsert("..")
    assert server.calls == []


async def test_upsert_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", ROUTE, recorded("vectors/upsert_flow_key_unauthorized"))
    with pytest.raises(AuthenticationError) as auth:
        await client.vectors.upsert(FLOW_ID)
    assert auth.value.wrapped
    assert auth.value.status_code == 500
    assert auth.value.detail == "Unauthorized"
    server.add("POST", ROUTE, recorded("vectors/upsert_chatflow_not_found"))
    with pytest.raises(NotFoundError) as missing:
        await client.vectors.upsert(FLOW_ID)
    assert missing.value.operation == "vectorsService.upsertVector"
    server.add("POST", ROUTE, recorded("errors/rate_limited"))
    with pytest.raises(RateLimitError) as limited:
        await client.vectors.upsert(FLOW_ID)
    assert limited.value.retry_after == 60


async def test_upsert_is_not_retried(client: AsyncFlowise, server: MockFlowise) -> None:
    retrying = client.with_options(retry=RetryPolicy(max_retries=1, initial_delay=0.0))
    server.add("POST", ROUTE, httpx.Response(502, text="bad gateway"), recorded("vectors/upsert"))
    with pytest.raises(InternalServerError):
        await retrying.vectors.upsert(FLOW_ID)
    assert len(server.calls) == 1
