"""``client.variables`` against a real Flowise: CRUD, lookup by name, pagination, and the values a
flow sees as ``$vars`` (read through the server's custom-function sandbox)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError, Page
from flowise_integrations.testing import LocalStack
from flowise_integrations.types import Variable, VariableType

VariableFactory = Callable[..., Awaitable[Variable]]


def _name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture
async def make_variable(async_flowise_client: AsyncFlowise) -> AsyncIterator[VariableFactory]:
    """Creates variables and deletes them after the test."""
    created: list[str] = []

    async def make(name: str | None = None, value: str = "value", type: VariableType = "static") -> Variable:
        variable = await async_flowise_client.variables.create(
            name=name or _name("var"), value=value, type=type
        )
        created.append(variable.id)
        return variable

    yield make
    for variable_id in created:
        await async_flowise_client.variables.delete(variable_id)


async def test_static_variable_round_trip(async_flowise_client: AsyncFlowise) -> None:
    name = _name("greeting")
    created = await async_flowise_client.variables.create(name=name, value="hello")
    try:
        assert created.name == name
        assert created.value == "hello"
        assert created.type == "static"

        found = await async_flowise_client.variables.get_by_name(name)
        assert found is not None
        assert found.id == created.id
        assert found.value == "hello"
        assert await async_flowise_client.variables.get_by_name(_name("missing")) is None

        assert await async_flowise_client.nodes.execute_custom_function(f"return $vars.{name};") == "hello"

        updated = await async_flowise_client.variables.update(created.id, value="world")
        assert updated.id == created.id
        assert updated.name == name
        assert updated.value == "world"
        assert updated.type == "static"
        assert await async_flowise_client.nodes.execute_custom_function(f"return $vars.{name};") == "world"

        renamed = name + "_v2"
        await async_flowise_client.variables.update(created.id, name=renamed)
        assert await async_flowise_client.variables.get_by_name(name) is None
        after_rename = await async_flowise_client.variables.get_by_name(renamed)
        assert after_rename is not None
        assert after_rename.value == "world"
    finally:
        deleted = await async_flowise_client.variables.delete(created.id)
    assert deleted.affected == 1
    assert await async_flowise_client.variables.get_by_name(name + "_v2") is None
    assert (await async_flowise_client.variables.delete(created.id)).affected == 0


async def test_runtime_variable_reads_the_server_environment(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, make_variable: VariableFactory
) -> None:
    """A runtime variable ignores its stored value: flows see the server's environment variable
    of the same name (the local server runs with ``PORT`` set to its port)."""
    variable = await make_variable(name="PORT", value="stored-but-ignored", type="runtime")
    assert variable.type == "runtime"
    assert variable.value == "stored-but-ignored"

    seen = await async_flowise_client.nodes.execute_custom_function("return $vars.PORT;")
    assert seen == str(urlsplit(flowise_stack.base_url).port)

    updated = await async_flowise_client.variables.update(variable.id, type="static")
    assert updated.type == "static"
    assert await async_flowise_client.nodes.execute_custom_function("return $vars.PORT;") == (
        "stored-but-ignored"
    )


async def test_update_unknown_variable_is_not_found(async_flowise_client: AsyncFlowise) -> None:
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.variables.update(str(uuid.uuid4()), value="x")
    assert info.value.status_code == 404
    assert "Variable not found" in info.value.message


async def test_list_paginate_and_iterate_variables(
    async_flowise_client: AsyncFlowise, make_variable: VariableFactory
) -> None:
    mine = {(await make_variable()).id for _ in range(3)}

    everything = await async_flowise_client.variables.list()
    assert isinstance(everything, list)
    assert mine <= {variable.id for variable in everything}

    first = await async_flowise_client.variables.list(page=1, limit=2)
    assert isinstance(first, Page)
    assert len(first.items) == 2
    assert first.total == len(everything)
    assert first.has_more

    iterated = [variable.id async for variable in async_flowise_client.variables.iter_all(page_size=2)]
    assert len(iterated) == len(set(iterated))
    assert set(iterated) == {variable.id for variable in everything}
