"""Variables: the type is always sent, pagination, lookup by name, and the plain-text 404."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.types.variables import Variable
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

VARIABLE = recorded_body("variables/create")  # "greeting", static
VAR_ID = VARIABLE["id"]
RUNTIME = recorded_body("variables/list")[0]  # "HOME_DIR", runtime, the most recently updated


async def test_create_always_sends_the_type(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "variables", recorded("variables/create"))
    variable = await client.variables.create(name="greeting", value="hello")
    assert server.last_json() == {"name": "greeting", "value": "hello", "type": "static"}
    assert isinstance(variable, Variable)
    assert (variable.id, variable.name, variable.value, variable.type) == (
        VAR_ID,
        "greeting",
        "hello",
        "static",
    )
    assert variable.created_date is not None

    await client.variables.create(name="HOME_DIR", value="", type="runtime")
    assert server.last_json() == {"name": "HOME_DIR", "value": "", "type": "runtime"}


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
    server.add("GET", "variables", recorded("variables/list_page"))
    page = await client.variables.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 2
    assert [(v.name, v.type, v.value) for v in page] == [("HOME_DIR", "runtime", "")]
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}

    server.add(
        "GET",
        "variables",
        recorded("variables/list_page"),
        recorded("variables/list_page", body={"data": [VARIABLE], "total": 2}),
        recorded("variables/list_page", body={"data": [], "total": 2}),
    )
    server.calls.clear()
    assert [v.id async for v in client.variables.iter_all(page_size=1)] == [RUNTIME["id"], VAR_ID]
    assert len(server.calls) == 3


async def test_get_by_name_returns_the_most_recent_or_none(client: AsyncFlowise, server: MockFlowise) -> None:
    older = {**VARIABLE, "id": "older", "value": "hi", "updatedDate": "2025-01-01T00:00:00.000Z"}
    server.add("GET", "variables", recorded("variables/list", body=[*recorded_body("variables/list"), older]))
    found = await client.variables.get_by_name("greeting")
    assert found is not None
    assert (found.id, found.value) == (VAR_ID, "hello")
    assert server.last.url.query == b""
    assert await client.variables.get_by_name("missing") is None


async def test_update_and_unknown_id(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"variables/{VAR_ID}", recorded("variables/update"))
    updated = await client.variables.update(VAR_ID, value="hello again")
    assert server.last.method == "PUT"
    assert server.last_json() == {"value": "hello again"}
    assert updated.value == "hello again"
    with pytest.raises(ValueError, match="nothing to update"):
        await client.variables.update(VAR_ID)

    server.add("PUT", "variables/nope", recorded("variables/update_not_found"))
    with pytest.raises(NotFoundError, match="Variable not found in the database") as info:
        await client.variables.update("nope", value="x")
    assert info.value.body == "Variable not found in the database"


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"variables/{VAR_ID}", recorded("variables/delete"))
    assert (await client.variables.delete(VAR_ID)).affected == 1
    assert server.last.url.raw_path == f"/api/v1/variables/{VAR_ID}".encode()
