"""``client.tools`` against a real Flowise: CRUD with a typed schema, listing and pagination."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.types import Tool, ToolProperty

ToolFactory = Callable[[], Awaitable[Tool]]


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def make_tool(async_flowise_client: AsyncFlowise) -> AsyncIterator[ToolFactory]:
    """Creates tools with unique names and deletes them after the test."""
    created: list[str] = []

    async def make() -> Tool:
        tool = await async_flowise_client.tools.create(
            name=_name("list_tool"), description="A tool created for a listing test."
        )
        created.append(tool.id)
        return tool

    yield make
    for tool_id in created:
        await async_flowise_client.tools.delete(tool_id)


async def test_tool_round_trip_with_typed_schema(async_flowise_client: AsyncFlowise) -> None:
    name = _name("lookup_customer")
    created = await async_flowise_client.tools.create(
        name=name,
        description="Looks a customer up by e-mail.",
        schema=[
            ToolProperty(property="email", description="The customer's e-mail", type="string", required=True),
            {"property": "limit", "description": "How many results", "type": "number"},
        ],
        func="return 'customer ' + $email;",
        icon_src="https://example.com/icon.svg",
    )
    try:
        assert created.name == name
        assert created.description == "Looks a customer up by e-mail."
        assert created.color == "#4f46e5"
        assert created.icon_src == "https://example.com/icon.svg"
        assert created.func == "return 'customer ' + $email;"
        assert created.schema_ == [
            ToolProperty(
                id=1, property="email", description="The customer's e-mail", type="string", required=True
            ),
            ToolProperty(
                id=2, property="limit", description="How many results", type="number", required=False
            ),
        ]

        fetched = await async_flowise_client.tools.get(created.id)
        assert fetched.id == created.id
        assert fetched.name == name
        assert fetched.schema_ == created.schema_
        assert fetched.func == created.func
        assert fetched.workspace_id == created.workspace_id

        updated = await async_flowise_client.tools.update(
            created.id,
            name=name + "_v2",
            description="Looks a customer up by id.",
            schema=[ToolProperty(property="customer_id", type="string", required=True)],
            func="return 'customer ' + $customer_id;",
            color="linear-gradient(#000, #fff)",
        )
        assert updated.id == created.id
        assert updated.name == name + "_v2"
        assert updated.color == "linear-gradient(#000, #fff)"
        assert updated.schema_ == [
            ToolProperty(id=1, property="customer_id", description="", type="string", required=True)
        ]

        refetched = await async_flowise_client.tools.get(created.id)
        assert refetched.description == "Looks a customer up by id."
        assert refetched.func == "return 'customer ' + $customer_id;"
        assert refetched.schema_ == updated.schema_
        # Fields not given to update() are kept.
        assert refetched.icon_src == "https://example.com/icon.svg"
    finally:
        deleted = await async_flowise_client.tools.delete(created.id)
    assert deleted.affected == 1
    assert (await async_flowise_client.tools.delete(created.id)).affected == 0


async def test_get_and_update_unknown_tool_are_wrapped_not_found(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.tools.get(unknown)
    assert info.value.status_code == 500
    assert info.value.wrapped
    assert info.value.operation is not None
    assert "getToolById" in info.value.operation
    assert info.value.detail == f"Tool {unknown} not found"

    with pytest.raises(NotFoundError) as update_info:
        await async_flowise_client.tools.update(unknown, name=_name("ghost"))
    assert update_info.value.status_code == 500
    assert f"Tool {unknown} not found" in update_info.value.message


async def test_list_paginate_and_iterate_tools(
    async_flowise_client: AsyncFlowise, make_tool: ToolFactory
) -> None:
    mine = {(await make_tool()).id for _ in range(3)}

    everything = await async_flowise_client.tools.list()
    assert isinstance(everything, list)
    assert mine <= {tool.id for tool in everything}

    first = await async_flowise_client.tools.list(page=1, limit=2)
    assert isinstance(first, Page)
    assert len(first.items) == 2
    assert first.total == len(everything)
    assert first.page == 1
    assert first.limit == 2
    assert first.has_more

    paged: list[str] = []
    page = 1
    while True:
        result = await async_flowise_client.tools.list(page=page, limit=2)
        paged.extend(tool.id for tool in result.items)
        if not result.has_more:
            break
        page += 1
    assert sorted(paged) == sorted(tool.id for tool in everything)

    iterated = [tool.id async for tool in async_flowise_client.tools.iter_all(page_size=2)]
    assert len(iterated) == len(set(iterated))
    assert set(iterated) == {tool.id for tool in everything}
    assert mine <= set(iterated)
