"""Datasets: bodies and routes, and the enterprise feature gate surfaced in the 403 message.

Open-source Flowise answers every datasets route with 403, so the 403 is the recorded one and the
dataset bodies are written after the server source.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page, PermissionDeniedError
from flowise_integrations.types.datasets import DatasetDetail, DatasetRow
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

DS_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
ROW_ID = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
DATASET = {
    "id": DS_ID,
    "name": "faq",
    "description": "",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-01T00:00:00.000Z",
    "workspaceId": "ws-1",
}
ROW = {
    "id": ROW_ID,
    "datasetId": DS_ID,
    "input": "2+2?",
    "output": "4",
    "sequenceNo": 0,
    "updatedDate": "2026-01-01T00:00:00.000Z",
}


def decode_csv_file(value: str) -> tuple[bytes, str]:
    head, b64, filename = value.split(",")
    assert head == "data:text/csv;base64"
    return base64.b64decode(b64), filename


async def test_list_plain_and_paginated(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "datasets", [{**DATASET, "rowCount": 2}])
    datasets = await client.datasets.list()
    assert datasets[0].row_count == 2

    server.json("GET", "datasets", {"total": 5, "data": [DATASET]})
    page = await client.datasets.list(page=2, limit=1)
    assert isinstance(page, Page)
    assert page.total == 5
    assert page.page == 2
    assert dict(server.last.url.params) == {"page": "2", "limit": "1"}


async def test_iter_all(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "GET",
        "datasets",
        httpx.Response(200, json={"total": 3, "data": [DATASET, DATASET]}),
        httpx.Response(200, json={"total": 3, "data": [{**DATASET, "id": "last"}]}),
    )
    ids = [d.id async for d in client.datasets.iter_all(page_size=2)]
    assert ids == [DS_ID, DS_ID, "last"]
    assert [c.url.params["page"] for c in server.calls] == ["1", "2"]


async def test_get_with_rows(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"datasets/set/{DS_ID}", {**DATASET, "rows": [ROW], "total": 7})
    detail = await client.datasets.get(DS_ID, page=1, limit=1)
    assert server.last.url.raw_path.startswith(f"/api/v1/datasets/set/{DS_ID}".encode())
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}
    assert isinstance(detail, DatasetDetail)
    assert detail.total == 7
    assert detail.rows[0].sequence_no == 0

    message = f"Error: datasetService.getDataset - Dataset {DS_ID} not found"
    server.json(
        "GET", f"datasets/set/{DS_ID}", {"statusCode": 500, "success": False, "message": message}, 500
    )
    with pytest.raises(NotFoundError):
        await client.datasets.get(DS_ID)


async def test_create_with_csv(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "datasets/set", DATASET)
    dataset = await client.datasets.create(name="faq", csv="q,a\n2+2?,4\n", first_row_headers=True)
    body = server.last_json()
    assert body["name"] == "faq"
    assert body["description"] == ""
    assert body["firstRowHeaders"] is True
    assert decode_csv_file(body["csvFile"]) == (b"q,a\n2+2?,4\n", "filename:dataset.csv")
    assert dataset.id == DS_ID

    await client.datasets.create(name="plain", description="no rows")
    assert server.last_json() == {"name": "plain", "description": "no rows"}


async def test_update_and_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"datasets/set/{DS_ID}", {**DATASET, "name": "renamed"})
    assert (await client.datasets.update(DS_ID, name="renamed")).name == "renamed"
    assert server.last_json() == {"name": "renamed"}
    with pytest.raises(ValueError):
        await client.datasets.update(DS_ID)

    server.json("DELETE", f"datasets/set/{DS_ID}", {"raw": [], "affected": 1})
    assert (await client.datasets.delete(DS_ID)).affected == 1


async def test_rows(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "datasets/rows", ROW)
    row = await client.datasets.create_row(DS_ID, input="2+2?", output="4")
    assert server.last_json() == {"datasetId": DS_ID, "input": "2+2?", "output": "4"}
    assert isinstance(row, DatasetRow)
    assert row.dataset_id == DS_ID

    server.json("POST", "datasets/rows", {"message": "Dataset rows added successfully"})
    assert await client.datasets.import_csv(DS_ID, b"a,b\n") is None
    body = server.last_json()
    assert body["datasetId"] == DS_ID
    assert body["firstRowHeaders"] is False
    assert decode_csv_file(body["csvFile"])[0] == b"a,b\n"

    server.json("PUT", f"datasets/rows/{ROW_ID}", {**ROW, "output": "four"})
    assert (await client.datasets.update_row(ROW_ID, input="2+2?", output="four")).output == "four"
    assert server.last_json() == {"input": "2+2?", "output": "four"}

    server.json("DELETE", f"datasets/rows/{ROW_ID}", {"raw": [], "affected": 1})
    assert (await client.datasets.delete_row(ROW_ID)).affected == 1

    server.json("PATCH", "datasets/rows", {"raw": [], "affected": 2})
    assert (await client.datasets.delete_rows([ROW_ID, "other"])).affected == 2
    assert server.last_json() == {"ids": [ROW_ID, "other"]}
    with pytest.raises(ValueError):
        await client.datasets.delete_rows([])


async def test_reorder_rows(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "datasets/reorder", {"message": "Dataset row reordered successfully"})
    await client.datasets.reorder_rows(DS_ID, ["b", "a"])
    assert server.last_json() == {
        "datasetId": DS_ID,
        "rows": [{"id": "b", "sequenceNo": 0}, {"id": "a", "sequenceNo": 1}],
    }
    await client.datasets.reorder_rows(DS_ID, {"a": 5})
    assert server.last_json()["rows"] == [{"id": "a", "sequenceNo": 5}]
    with pytest.raises(TypeError):
        await client.datasets.reorder_rows(DS_ID, {"a": "5"})  # type: ignore[dict-item]


CALLS: list[tuple[str, str, Callable[[AsyncFlowise], Awaitable[Any]]]] = [
    ("GET", "datasets", lambda c: c.datasets.list()),
    ("GET", "datasets", lambda c: c.datasets.list(page=1, limit=5)),
    ("GET", f"datasets/set/{DS_ID}", lambda c: c.datasets.get(DS_ID)),
    ("POST", "datasets/set", lambda c: c.datasets.create(name="x")),
    ("PUT", f"datasets/set/{DS_ID}", lambda c: c.datasets.update(DS_ID, name="x")),
    ("DELETE", f"datasets/set/{DS_ID}", lambda c: c.datasets.delete(DS_ID)),
    ("POST", "datasets/rows", lambda c: c.datasets.create_row(DS_ID, input="i", output="o")),
    ("POST", "datasets/rows", lambda c: c.datasets.import_csv(DS_ID, "a,b")),
    ("PUT", f"datasets/rows/{ROW_ID}", lambda c: c.datasets.update_row(ROW_ID, input="i", output="o")),
    ("DELETE", f"datasets/rows/{ROW_ID}", lambda c: c.datasets.delete_row(ROW_ID)),
    ("PATCH", "datasets/rows", lambda c: c.datasets.delete_rows([ROW_ID])),
    ("POST", "datasets/reorder", lambda c: c.datasets.reorder_rows(DS_ID, [ROW_ID])),
]


@pytest.mark.parametrize(("method", "route", "call"), CALLS)
async def test_open_source_403_names_the_enterprise_feature(
    client: AsyncFlowise,
    server: MockFlowise,
    method: str,
    route: str,
    call: Callable[[AsyncFlowise], Awaitable[Any]],
) -> None:
    server.add(method, route, recorded("errors/datasets_forbidden"))
    with pytest.raises(PermissionDeniedError) as info:
        await call(client)
    assert info.value.status_code == 403
    assert "Forbidden" in str(info.value)
    assert "Flowise Enterprise or Flowise Cloud" in str(info.value)


async def test_iter_all_403_names_the_enterprise_feature(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "datasets", recorded("errors/datasets_forbidden"))
    with pytest.raises(PermissionDeniedError, match="Enterprise"):
        async for _ in client.datasets.iter_all():
            pass
