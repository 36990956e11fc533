"""Upsert history: the records of a chatflow's vector upserts, their filters and deletion."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations.types.upsert_history import UpsertRecord
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

RECORD = recorded_body("upsert_history/list")[0]  # one /vector/upsert of plainText → in-memory store
FLOW_ID = RECORD["chatflowid"]


async def test_list_parses_records_and_sends_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"upsert-history/{FLOW_ID}", recorded("upsert_history/list"))
    records = await client.upsert_history.list(
        FLOW_ID,
        order="DESC",
        start_date=date(2026, 1, 1),
        end_date=datetime(2026, 1, 31, 12, 0, tzinfo=timezone.utc),
    )
    assert server.last.url.raw_path.startswith(f"/api/v1/upsert-history/{FLOW_ID}?".encode())
    assert dict(server.last.url.params) == {
        "order": "DESC",
        "startDate": "2026-01-01",
        "endDate": "2026-01-31T12:00:00+00:00",
    }
    [record] = records
    assert isinstance(record, UpsertRecord)
    assert (record.id, record.chatflowid) == (RECORD["id"], FLOW_ID)
    assert record.result.num_added == 1
    assert record.result.num_deleted is None
    assert isinstance(record.flow_data, list)
    assert [(n.id, n.category) for n in record.flow_data] == [
        ("plainText_0", "Document Loaders"),
        ("localAIEmbeddings_0", "Embeddings"),
        ("memoryVectorStore_0", "Vector Stores"),
    ]
    text, metadata = record.flow_data[0].param_values
    assert text.value.startswith("The sky looks blue")
    assert (metadata.name, metadata.type, metadata.value) == ("metadata", "json", '{"source": "sky.txt"}')
    assert record.flow_data[2].param_values == []
    assert record.date == datetime(2026, 1, 1, tzinfo=timezone.utc)


async def test_list_parses_empty_columns(client: AsyncFlowise, server: MockFlowise) -> None:
    empty = {**RECORD, "result": {}, "flowData": {}}
    server.add("GET", f"upsert-history/{FLOW_ID}", recorded("upsert_history/list", body=[empty]))
    [record] = await client.upsert_history.list(FLOW_ID)
    assert record.flow_data == {}
    assert record.result.num_added is None


async def test_list_without_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"upsert-history/{FLOW_ID}", [])
    assert await client.upsert_history.list(FLOW_ID, start_date="2026-01-01T00:00:00Z") == []
    assert dict(server.last.url.params) == {"startDate": "2026-01-01T00:00:00Z"}


async def test_list_validates_before_sending(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError, match="order"):
        await client.upsert_history.list(FLOW_ID, order="asc")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await client.upsert_history.list(FLOW_ID, start_date=20260101)  # type: ignore[arg-type]
    assert server.calls == []


async def test_list_for_a_document_store_is_404(client: AsyncFlowise, server: MockFlowise) -> None:
    store_id = recorded_body("document_stores/get")["id"]
    server.add("GET", f"upsert-history/{store_id}", recorded("upsert_history/store_not_found"))
    with pytest.raises(NotFoundError, match="not found in the database") as info:
        await client.upsert_history.list(store_id)
    assert store_id in info.value.message


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PATCH", "upsert-history", recorded("upsert_history/delete"))
    result = await client.upsert_history.delete([RECORD["id"]])
    assert server.last.method == "PATCH"
    assert server.last_json() == {"ids": [RECORD["id"]]}
    assert result.affected == 1


async def test_delete_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.upsert_history.delete([])
    with pytest.raises(TypeError):
        await client.upsert_history.delete("abc")
    assert server.calls == []
    server.add("PATCH", "upsert-history", recorded("upsert_history/delete_not_found"))
    with pytest.raises(NotFoundError, match="were not found"):
        await client.upsert_history.delete([RECORD["id"]])
