"""API keys: the whole-list answers, the total bug, verification, and keys kept out of reprs."""

from __future__ import annotations

import httpx
import pytest

from flowise_integrations import AsyncFlowise, AuthenticationError, Page, PreconditionFailedError
from flowise_integrations.types.api_keys import ApiKey
from tests.unit.mock_flowise import MockFlowise

PLAIN_KEY = "fl-KEY-0123456789abcdefghijklmnop"
SECRET_HASH = "9f8e7d6c5b4a.aabbccdd"


def key(key_id: str, name: str, updated: str, plain: str = PLAIN_KEY) -> dict[str, object]:
    return {
        "id": key_id,
        "apiKey": plain,
        "apiSecret": SECRET_HASH,
        "keyName": name,
        "permissions": ["chatflows:view"],
        "updatedDate": updated,
        "workspaceId": "ws-1",
        "chatFlows": [{"flowName": "echo", "category": None, "updatedDate": "2026-01-01T00:00:00.000Z"}],
    }


OLD = key("k-old", "ci", "2026-01-01T00:00:00.000Z", plain="fl-OLD")
NEW = key("k-new", "ci", "2026-03-01T00:00:00.000Z")
OTHER = key("k-other", "other", "2026-02-01T00:00:00.000Z", plain="fl-OTHER")


async def test_create_returns_the_newest_key_with_that_name(
    client: AsyncFlowise, server: MockFlowise
) -> None:
    server.json("POST", "apikey", [OLD, OTHER, NEW])
    created = await client.api_keys.create(name="ci", permissions=("chatflows:view", "tools:view"))
    assert server.last_json() == {"keyName": "ci", "permissions": ["chatflows:view", "tools:view"]}
    assert isinstance(created, ApiKey)
    assert created.id == "k-new"
    assert created.api_key.get_secret_value() == PLAIN_KEY
    assert created.chat_flows[0].flow_name == "echo"
    for text in (repr(created), str(created), repr([created])):
        assert PLAIN_KEY not in text
        assert SECRET_HASH not in text


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
    message = "Error: apikeyController.createApiKey - permissions must be an array of strings!"
    server.json("POST", "apikey", {"statusCode": 412, "success": False, "message": message}, 412)
    with pytest.raises(PreconditionFailedError):
        await client.api_keys.create(name="k", permissions=["x"])


async def test_list_and_the_page_total_bug(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "apikey", [NEW, OTHER])
    keys = await client.api_keys.list()
    assert [k.key_name for k in keys] == ["ci", "other"]

    server.json("GET", "apikey", {"total": 1, "data": [NEW]})
    page = await client.api_keys.list(page=1, limit=1)
    assert isinstance(page, Page)
    assert page.total == 1
    assert page.has_more
    assert dict(server.last.url.params) == {"page": "1", "limit": "1"}


async def test_iter_all_ignores_the_wrong_total(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add(
        "GET",
        "apikey",
        httpx.Response(200, json={"total": 2, "data": [NEW, OTHER]}),
        httpx.Response(200, json={"total": 1, "data": [OLD]}),
    )
    ids = [k.id async for k in client.api_keys.iter_all(page_size=2)]
    assert ids == ["k-new", "k-other", "k-old"]
    assert len(server.calls) == 2


async def test_update_returns_the_updated_key(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("PUT", "apikey/k-other", [NEW, {**OTHER, "keyName": "renamed"}])
    updated = await client.api_keys.update("k-other", name="renamed", permissions=["tools:view"])
    assert server.last.method == "PUT"
    assert server.last_json() == {"keyName": "renamed", "permissions": ["tools:view"]}
    assert updated.id == "k-other"
    assert updated.key_name == "renamed"


async def test_delete(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("DELETE", "apikey/k-old", {"raw": [], "affected": 1})
    assert (await client.api_keys.delete("k-old")).affected == 1


async def test_verify(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", "verify/apikey/fl-KEY%2Fx", "OK")
    assert await client.api_keys.verify("fl-KEY/x") is True
    assert server.last.url.raw_path == b"/api/v1/verify/apikey/fl-KEY%2Fx"

    server.json(
        "GET", "verify/apikey/bad", {"statusCode": 401, "success": False, "message": "Unauthorized"}, 401
    )
    with pytest.raises(AuthenticationError):
        await client.api_keys.verify("bad")
