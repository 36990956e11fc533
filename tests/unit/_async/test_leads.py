"""Leads: the public create, and the 404 an API key gets when listing."""

from __future__ import annotations

import pytest

from flowise_integrations import AsyncFlowise, NotFoundError
from flowise_integrations.types.leads import Lead
from tests.unit.mock_flowise import MockFlowise

FLOW_ID = "5b9ee2a3-3c3d-4f5c-9b2c-0b1e6f4f4f4f"
LEAD = {
    "id": "l-1",
    "name": "Ada",
    "email": "ada@example.com",
    "phone": None,
    "chatflowid": FLOW_ID,
    "chatId": "generated-chat",
    "createdDate": "2026-01-01T00:00:00.000Z",
}


async def test_create(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("POST", "leads", LEAD)
    lead = await client.leads.create(chatflow_id=FLOW_ID, name="Ada", email="ada@example.com")
    assert server.last_json() == {"chatflowid": FLOW_ID, "name": "Ada", "email": "ada@example.com"}
    assert isinstance(lead, Lead)
    assert lead.chat_id == "generated-chat"

    await client.leads.create(chatflow_id=FLOW_ID, phone="+1 555", chat_id="c-9")
    assert server.last_json() == {"chatflowid": FLOW_ID, "phone": "+1 555", "chatId": "c-9"}
    with pytest.raises(ValueError):
        await client.leads.create(chatflow_id="")


async def test_list(client: AsyncFlowise, server: MockFlowise) -> None:
    server.json("GET", f"leads/{FLOW_ID}", [LEAD])
    leads = await client.leads.list(FLOW_ID)
    assert server.last.url.raw_path == f"/api/v1/leads/{FLOW_ID}".encode()
    assert [lead.email for lead in leads] == ["ada@example.com"]


async def test_list_with_an_api_key_is_a_404(client: AsyncFlowise, server: MockFlowise) -> None:
    message = "Error: leadsController.getAllLeadsForChatflow - workspace undefined not found!"
    server.json("GET", f"leads/{FLOW_ID}", {"statusCode": 404, "success": False, "message": message}, 404)
    with pytest.raises(NotFoundError, match="workspace undefined"):
        await client.leads.list(FLOW_ID)
