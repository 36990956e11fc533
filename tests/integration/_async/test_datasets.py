"""``client.datasets`` against open-source Flowise: every route is behind the enterprise feature gate."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, PermissionDeniedError
from flowise_integrations._async.resources.datasets import DATASETS_HINT


async def _first(client: AsyncFlowise) -> Any:
    async for dataset in client.datasets.iter_all(page_size=10):
        return dataset
    return None


def _calls(client: AsyncFlowise) -> dict[str, Callable[[], Awaitable[Any]]]:
    some_id = str(uuid.uuid4())
    datasets = client.datasets
    return {
        "list": lambda: datasets.list(),
        "list(page)": lambda: datasets.list(page=1, limit=5),
        "iter_all": lambda: _first(client),
        "get": lambda: datasets.get(some_id),
        "get(page)": lambda: datasets.get(some_id, page=1, limit=5),
        "create": lambda: datasets.create(name=f"dataset-{some_id[:8]}", description="gated"),
        "create(csv)": lambda: datasets.create(
            name=f"dataset-{some_id[:8]}", csv="input,output\nhi,hello\n", first_row_headers=True
        ),
        "update": lambda: datasets.update(some_id, name="renamed"),
        "delete": lambda: datasets.delete(some_id),
        "create_row": lambda: datasets.create_row(some_id, input="q", output="a"),
        "import_csv": lambda: datasets.import_csv(some_id, "q,a\n"),
        "update_row": lambda: datasets.update_row(some_id, input="q", output="a"),
        "delete_row": lambda: datasets.delete_row(some_id),
        "delete_rows": lambda: datasets.delete_rows([some_id]),
        "reorder_rows": lambda: datasets.reorder_rows(some_id, [some_id]),
    }


@pytest.mark.parametrize(
    "method",
    [
        "list",
        "list(page)",
        "iter_all",
        "get",
        "get(page)",
        "create",
        "create(csv)",
        "update",
        "delete",
        "create_row",
        "import_csv",
        "update_row",
        "delete_row",
        "delete_rows",
        "reorder_rows",
    ],
)
async def test_every_dataset_route_is_refused_on_open_source(
    async_flowise_client: AsyncFlowise, method: str
) -> None:
    with pytest.raises(PermissionDeniedError) as info:
        await _calls(async_flowise_client)[method]()
    error = info.value
    assert error.status_code == 403
    assert error.body == {"message": "Forbidden"}
    assert "Forbidden" in str(error)
    assert DATASETS_HINT in str(error)
    assert "Flowise Enterprise" in str(error)
