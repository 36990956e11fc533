"""Variables: the type is always sent, pagination, lookup by name, and the plain-text 404."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.types.variables import Variable
from tests.unit.mock_flowise import MockFlowise

VAR_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
VARIABLE = {
    "id": VAR_ID,
    "name": "region",
    "value": "eu",
    "type": "static",
    "createdDate": "2026-01-01T00:00:00.000Z",
    "updatedDate": "2026-01-03T00:00:00.000Z",
    "workspaceId": "ws-1",
}
OLDER = {**VARIABLE, "id": "older", "value": "us", "updatedDate": "2026-01-01T00:00:00.000Z"}


async def test_create_always_sends_the_type(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "variables", VARIABLE)
    variable = await client.variables.create(name="region", value="eu")
    assert server.last_json() == {"name": "region", "value": "eu", "type": "static"}
    assert isinstance(variable, Variable)
    assert variable.value == "eu"

    await client.variables.create(name="HOME", value="", type="runtime")
    assert server.last_json() == {"name": "HOME", "value": "", "type": "runtime"}


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "", "value": "x"}, ValueError),
        ({"name": "a", "value": 1}, TypeError),
        ({"name": "a", "value": "x", "type": "string"}, ValueError),
    ],
)
async def test_create_validates(
    client: AsyncFlowise, server: MockFlowise, kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await client.variables.create(**kwargs)  # type: ignore[arg-type]
    assert server.calls == []


async def test_list_paginated_and_iter_all(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "variables", {"data": [VARIABLE], "total": 2})
    page = await client.variables.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 2
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}

    server.add(
        "GET",
        "variables",
        httpx.Response(200, json={"data": [VARIABLE], "total": 2}),
        httpx.Response(200, json={"data": [], "total": 2}),
    )
    server.calls.clear()
    assert [v.id async for v in client.variables.iter_all(page_size=1)] == [VAR_ID]
    assert len(server.calls) == 2


async def test_get_by_name_returns_the_most_recent_or_none(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "variables", [{**VARIABLE, "name": "other"}, VARIABLE, OLDER])
    found = await client.variables.get_by_name("region")
    assert found is not None
    assert found.id == VAR_ID
    assert server.last.url.query == b""
    assert await client.variables.get_by_name("missing") is None


async def test_update_and_unknown_id(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", f"variables/{VAR_ID}", {**VARIABLE, "value": "apac"})
    updated = await client.variables.update(VAR_ID, value="apac")
    assert server.last.method == "PUT"
    assert server.last_json() == {"value": "apac"}
    assert updated.value == "apac"
    with pytest.raises(ValueError, match="nothing to update"):
        await client.variables.update(VAR_ID)

    server.add(
        "PUT",
        "variables/nope",
        httpx.Response(404, text="Variable not found in the database", headers={"content-type": "text/html"}),
    )
    with pytest.raises(NotFoundError, match="Variable not found"):
        await client.variables.update("nope", value="x")


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", f"variables/{VAR_ID}", {"raw": [], "affected": 1})
    assert (await client.variables.delete(VAR_ID)).affected == 1
    assert server.last.url.raw_path == f"/api/v1/variables/{VAR_ID}".encode()
