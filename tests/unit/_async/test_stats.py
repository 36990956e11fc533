"""Chatflow stats: query spelling of chat types, dates and feedback types."""

from __future__ import annotations

import json
from datetime import date

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations.types.stats import ChatflowStats
from tests.unit.mock_flowise import MockFlowise
from tests.unit.recorded import recorded

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"


async def test_get_without_filters(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"stats/{FLOW_ID}", recorded("stats/get"))
    stats = await client.stats.get(FLOW_ID)
    assert server.last.url.raw_path == f"/api/v1/stats/{FLOW_ID}".encode()
    assert isinstance(stats, ChatflowStats)
    # A chat of two turns and a streamed one; one answer rated THUMBS_DOWN.
    assert (stats.total_messages, stats.total_sessions, stats.total_feedback, stats.positive_feedback) == (
        6,
        2,
        1,
        0,
    )


async def test_get_spells_filters_as_flowise_reads_them(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"stats/{FLOW_ID}", recorded("stats/get"))
    await client.stats.get(
        FLOW_ID,
        chat_type=["EXTERNAL", "INTERNAL"],
        start_date=date(2026, 1, 1),
        end_date="2026-01-31T23:59:59Z",
        feedback_type=["THUMBS_UP", "THUMBS_DOWN"],
    )
    params = server.last.url.params
    assert json.loads(params["chatType"]) == ["EXTERNAL", "INTERNAL"]
    assert params["startDate"] == "2026-01-01"
    assert params["endDate"] == "2026-01-31T23:59:59Z"
    assert params.get_list("feedbackType") == ["THUMBS_UP", "THUMBS_DOWN"]

    await client.stats.get(FLOW_ID, chat_type="EXTERNAL", feedback_type="THUMBS_UP")
    assert dict(server.last.url.params) == {"chatType": "EXTERNAL", "feedbackType": "THUMBS_UP"}


async def test_unknown_flow_is_not_found(client: AsyncFlowise, server: MockFlowise) -> None:
    server.add("GET", f"stats/{FLOW_ID}", recorded("stats/get_not_found"))
    with pytest.raises(NotFoundError, match="not found in workspace") as info:
        await client.stats.get(FLOW_ID)
    assert info.value.status_code == 500


async def test_bad_arguments_are_refused(client: AsyncFlowise, server: MockFlowise) -> None:
    with pytest.raises(TypeError):
        await client.stats.get(FLOW_ID, chat_type=[1])  # type: ignore[list-item]
    with pytest.raises(ValueError):
        await client.stats.get(FLOW_ID, start_date="")
    assert server.calls == []
