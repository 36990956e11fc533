"""API keys: the whole-list answers, the total bug, verification, and keys kept out of reprs."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, AuthenticationError, Page, PreconditionFailedError
from flowise_integrations.types.api_keys import ApiKey
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded, recorded_body

KEYS = recorded_body("api_keys/create")  # every key, the new "reader" first
READER, HARNESS = KEYS


async def test_create_returns_the_key_with_that_name(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "apikey", recorded("api_keys/create"))
    created = await client.api_keys.create(name="reader", permissions=("chatflows:view", "tools:view"))
    assert server.last_json() == {"keyName": "reader", "permissions": ["chatflows:view", "tools:view"]}
    assert isinstance(created, ApiKey)
    assert created.id == READER["id"]
    assert created.permissions == ["chatflows:view", "tools:view"]
    assert created.api_key.get_secret_value() == READER["apiKey"]
    assert created.chat_flows == []
    for text in (repr(created), str(created), repr([created])):
        assert READER["apiKey"] not in text
        assert READER["apiSecret"] not in text


async def test_create_picks_the_newest_of_keys_sharing_a_name(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    older = {**READER, "id": "older", "apiKey": "fl-OLD", "updatedDate": "2025-06-01T00:00:00.000Z"}
    server.add("POST", "apikey", recorded("api_keys/create", body=[older, *KEYS]))
    created = await client.api_keys.create(name="reader", permissions=["chatflows:view"])
    assert created.id == READER["id"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": "", "permissions": ["chatflows:view"]}, ValueError),
        ({"name": "k", "permissions": []}, ValueError),
        ({"name": "k", "permissions": "chatflows:view"}, TypeError),
        ({"name": "k", "permissions": [1]}, TypeError),
    ],
)
async def test_create_validates_before_sending(
    client: AsyncFlowise, server: MockFlowise, kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await client.api_keys.create(**kwargs)  # type: ignore[arg-type]
    assert server.calls == []


async def test_create_412_is_a_precondition_error(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("POST", "apikey", recorded("errors/apikey_without_permissions"))
    with pytest.raises(PreconditionFailedError) as info:
        await client.api_keys.create(name="k", permissions=["x"])
    assert info.value.operation == "apikeyController.createApiKey"
    assert info.value.detail == "permissions must be an array of strings!"


async def test_list_shows_the_flows_bound_to_a_key(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "apikey", recorded("api_keys/list_with_bound_flow"))
    keys = await client.api_keys.list()
    bound = next(key for key in keys if key.chat_flows)
    assert bound.key_name == "restricted"
    assert bound.permissions == ["chatflows:view"]
    assert [flow.flow_name for flow in bound.chat_flows] == ["bound-echo"]
    assert bound.chat_flows[0].updated_date is not None


async def test_list_and_the_page_total_bug(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "apikey", recorded("api_keys/list"))
    keys = await client.api_keys.list()
    assert [k.key_name for k in keys] == ["reader", "flowise-integrations-tests"]
    assert keys[1].api_key.get_secret_value() == HARNESS["apiKey"]

    server.add("GET", "apikey", recorded("api_keys/list_page"))
    page = await client.api_keys.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 1  # the page's length, not the 2 keys there are
    assert page.has_more
    assert [k.key_name for k in page] == ["reader"]
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}


async def test_iter_all_ignores_the_wrong_total(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "GET",
        "apikey",
        recorded("api_keys/list_page", body={"total": 2, "data": KEYS}),
        recorded("api_keys/list_page", body={"total": 0, "data": []}),
    )
    ids = [k.id async for k in client.api_keys.iter_all(page_size=2)]
    assert ids == [READER["id"], HARNESS["id"]]
    assert len(server.calls) == 2


async def test_update_returns_the_updated_key(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("PUT", f"apikey/{READER['id']}", recorded("api_keys/update"))
    updated = await client.api_keys.update(READER["id"], name="reader-2", permissions=["chatflows:view"])
    assert server.last.method == "PUT"
    assert server.last_json() == {"keyName": "reader-2", "permissions": ["chatflows:view"]}
    assert updated.id == READER["id"]
    assert updated.key_name == "reader-2"
    assert updated.permissions == ["chatflows:view"]


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("DELETE", f"apikey/{READER['id']}", recorded("api_keys/delete"))
    assert (await client.api_keys.delete(READER["id"])).affected == 1


async def test_verify(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", "verify/apikey/fl-KEY%2Fx", recorded("api_keys/verify"))
    assert await client.api_keys.verify("fl-KEY/x") is True
    assert server.last.url.raw_path == b"/api/v1/verify/apikey/fl-KEY%2Fx"

    server.add("GET", "verify/apikey/bad", recorded("errors/verify_unknown_key"))
    with pytest.raises(AuthenticationError):
        await client.api_keys.verify("bad")
