"""``client.api_keys`` (and the client's ``ping``/``version``) against a real Flowise."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import pytest

from flowise_integrations import (
    AsyncFlowise,
    AuthenticationError,
    NotFoundError,
    Page,
    PermissionDeniedError,
)
from flowise_integrations.types import ApiKey

KeyFactory = Callable[..., Awaitable[ApiKey]]


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def make_key(async_flowise_client: AsyncFlowise) -> AsyncIterator[KeyFactory]:
    """Creates API keys with unique names and deletes them after the test."""
    created: list[str] = []

    async def make(permissions: Sequence[str] = ("chatflows:view",)) -> ApiKey:
        key = await async_flowise_client.api_keys.create(name=_name("test-key"), permissions=permissions)
        created.append(key.id)
        return key

    yield make
    for key_id in created:
        await async_flowise_client.api_keys.delete(key_id)


async def test_ping_and_version(async_flowise_client: AsyncFlowise) -> None:
    assert await async_flowise_client.ping() == "pong"
    assert await async_flowise_client.version() == "3.1.4"


async def test_key_lifecycle_and_permissions(async_flowise_client: AsyncFlowise) -> None:
    name = _name("scoped-key")
    key = await async_flowise_client.api_keys.create(name=name, permissions=["chatflows:view", "tools:view"])
    plaintext = key.api_key.get_secret_value()
    try:
        assert key.key_name == name
        assert key.permissions == ["chatflows:view", "tools:view"]
        assert key.chat_flows == []
        assert len(plaintext) >= 20
        assert key.api_secret is not None
        for text in (repr(key), str(key), key.model_dump_json()):
            assert plaintext not in text
            assert key.api_secret.get_secret_value() not in text

        assert await async_flowise_client.api_keys.verify(plaintext) is True

        async with async_flowise_client.with_options(api_key=plaintext) as scoped:
            assert isinstance(await scoped.tools.list(), list)
            with pytest.raises(PermissionDeniedError) as denied:
                await scoped.variables.list()
            assert denied.value.status_code == 403

        renamed = _name("renamed-key")
        updated = await async_flowise_client.api_keys.update(
            key.id, name=renamed, permissions=["variables:view"]
        )
        assert updated.id == key.id
        assert updated.key_name == renamed
        assert updated.permissions == ["variables:view"]
        # Renaming and re-scoping keeps the key itself.
        assert updated.api_key.get_secret_value() == plaintext

        async with async_flowise_client.with_options(api_key=plaintext) as scoped:
            assert isinstance(await scoped.variables.list(), list)
            with pytest.raises(PermissionDeniedError):
                await scoped.tools.list()
    finally:
        deleted = await async_flowise_client.api_keys.delete(key.id)
    assert deleted.affected == 1
    with pytest.raises(AuthenticationError) as info:
        await async_flowise_client.api_keys.verify(plaintext)
    assert info.value.status_code == 401
    assert (await async_flowise_client.api_keys.delete(key.id)).affected == 0


async def test_verify_rejects_an_unknown_key(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(AuthenticationError) as info:
        await async_flowise_client.api_keys.verify("bogus-" + uuid.uuid4().hex)
    assert info.value.status_code == 401
    assert info.value.message.endswith("Unauthorized")


async def test_update_unknown_key_is_not_found(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.api_keys.update(
            str(uuid.uuid4()), name=_name("ghost"), permissions=["tools:view"]
        )
    assert info.value.status_code == 404
    # Flowise names the key "null" in this message, not the id that was asked for.
    assert "not found" in info.value.message


async def test_list_paginate_and_iterate_keys(
    async_flowise_client: AsyncFlowise, make_key: KeyFactory
) -> None:
    mine = [await make_key() for _ in range(3)]
    mine_ids = {key.id for key in mine}

    everything = await async_flowise_client.api_keys.list()
    assert isinstance(everything, list)
    assert mine_ids <= {key.id for key in everything}
    assert len(everything) >= 4  # the three above and the harness's own key
    listed_text = repr(everything) + str(everything)
    for key in mine:
        assert key.api_key.get_secret_value() not in listed_text

    first = await async_flowise_client.api_keys.list(page=1, limit=2)
    assert isinstance(first, Page)
    assert len(first.items) == 2
    # Flowise bug: ``total`` is the length of the page, not the number of keys.
    assert first.total == 2
    assert first.total < len(everything)
    assert first.has_more

    iterated = [key.id async for key in async_flowise_client.api_keys.iter_all(page_size=2)]
    assert len(iterated) == len(set(iterated))
    assert set(iterated) == {key.id for key in everything}
