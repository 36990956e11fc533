from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from flowise_integrations import AsyncFlowise, BadRequestError, NotFoundError
from flowise_integrations.types.upsert_history import UpsertRecord
from tests.unit.mock_flowise import MockFlowise

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
RECORD = {
    "id": "0b7c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d",
    "chatflowid": FLOW_ID,
    "result": {"numAdded": 2, "numDeleted": 0, "numUpdated": 0, "numSkipped": 0},
    "flowData": [
        {
            "label": "Text File",
            "name": "textFile",
            "category": "Document Loaders",
            "id": "textFile_0",
            "paramValues": [{"label": "Txt File", "name": "txtFile", "type": "file", "value": "a.txt"}],
        },
        {
            "label": "Recursive Character Text Splitter",
            "name": "recursiveCharacterTextSplitter",
            "category": "Text Splitters",
            "id": "recursiveCharacterTextSplitter_0",
            "paramValues": [{"label": "Chunk Size", "name": "chunkSize", "type": "number", "value": 300}],
        },
    ],
    "date": "2026-01-02T03:04:05.000Z",
}


async def test_list_parses_records_and_sends_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json(
        "GET", f"upsert-history/{FLOW_ID}", [RECORD, {**RECORD, "id": "empty", "result": {}, "flowData": {}}]
    )
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
    first = records[0]
    assert isinstance(first, UpsertRecord)
    assert first.result.num_added == 2
    assert isinstance(first.flow_data, list)
    assert first.flow_data[0].id == "textFile_0"
    assert first.flow_data[0].param_values[0].value == "a.txt"
    assert first.flow_data[1].param_values[0].value == 300
    assert first.date == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert records[1].flow_data == {}
    assert records[1].result.num_added is None


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
    store_id = "6f1c2b7e-2d2a-4f55-9a53-0c8f3e1f9b10"
    server.json(
        "GET",
        f"upsert-history/{store_id}",
        {"statusCode": 404, "success": False, "message": f"Chatflow {store_id} not found in the database!"},
        404,
    )
    with pytest.raises(NotFoundError, match="not found in the database"):
        await client.upsert_history.list(store_id)


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PATCH", "upsert-history", {"raw": [], "affected": 2})
    result = await client.upsert_history.delete(["a", "b"])
    assert server.last.method == "PATCH"
    assert server.last_json() == {"ids": ["a", "b"]}
    assert result.affected == 2


async def test_delete_errors(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(ValueError):
        await client.upsert_history.delete([])
    with pytest.raises(TypeError):
        await client.upsert_history.delete("abc")
    assert server.calls == []
    server.json(
        "PATCH",
        "upsert-history",
        {
            "statusCode": 404,
            "success": False,
            "message": "Error: upsertHistoryServices.patchDeleteUpsertHistory - one or more upsert history "
            "records were not found!",
        },
        404,
    )
    with pytest.raises(NotFoundError):
        await client.upsert_history.delete(["missing"])
    server.json(
        "PATCH", "upsert-history", {"statusCode": 400, "success": False, "message": "ids are required!"}, 400
    )
    with pytest.raises(BadRequestError):
        await client.upsert_history.delete(["x"])
