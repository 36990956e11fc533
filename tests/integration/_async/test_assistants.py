"""``client.assistants`` against a real Flowise: custom assistant CRUD, builder components, and
instruction generation through the model stand-in."""

from __future__ import annotations

import json
import uuid

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.testing import LocalStack, ModelStandIn


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def test_custom_assistant_round_trip(async_flowise_client: AsyncFlowise) -> None:
    name = _name("assistant")
    created = await async_flowise_client.assistants.create(
        details={"name": name, "instruction": "Answer briefly."}
    )
    try:
        assert created.type == "CUSTOM"
        assert created.details == {"name": name, "instruction": "Answer briefly."}
        assert created.credential is not None
        assert str(uuid.UUID(created.credential)) == created.credential
        assert created.icon_src is None

        fetched = await async_flowise_client.assistants.get(created.id)
        assert fetched.id == created.id
        assert fetched.details == created.details
        assert fetched.credential == created.credential

        custom = await async_flowise_client.assistants.list(type="CUSTOM")
        assert created.id in {assistant.id for assistant in custom}
        assert {assistant.type for assistant in custom} == {"CUSTOM"}
        assert created.id not in {a.id for a in await async_flowise_client.assistants.list(type="OPENAI")}
        assert created.id in {a.id for a in await async_flowise_client.assistants.list()}

        renamed = name + "-v2"
        updated = await async_flowise_client.assistants.update(
            created.id, details={"name": renamed, "instruction": "Answer in detail."}, icon_src="/icon.png"
        )
        assert updated.id == created.id
        assert updated.details == {"name": renamed, "instruction": "Answer in detail."}
        assert updated.icon_src == "/icon.png"
        assert (await async_flowise_client.assistants.get(created.id)).details["name"] == renamed

        # A custom assistant's details must keep a name. Flowise raises 412 inside the service,
        # then re-wraps it as a 500.
        with pytest.raises(InternalServerError) as info:
            await async_flowise_client.assistants.update(created.id, details={"instruction": "No name."})
        assert info.value.status_code == 500
        assert "Details must include a name field" in info.value.message
        assert (await async_flowise_client.assistants.get(created.id)).details["name"] == renamed
    finally:
        deleted = await async_flowise_client.assistants.delete(created.id)
    assert deleted.affected == 1
    with pytest.raises(NotFoundError) as get_info:
        await async_flowise_client.assistants.get(created.id)
    assert get_info.value.status_code == 500
    assert f"Assistant {created.id} not found" in get_info.value.message
    # Unlike most resources, deleting an unknown assistant is an error, not ``affected == 0``.
    with pytest.raises(NotFoundError):
        await async_flowise_client.assistants.delete(created.id)


async def test_update_unknown_assistant_is_not_found(async_flowise_client: AsyncFlowise) -> None:
    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as info:
        await async_flowise_client.assistants.update(unknown, icon_src="/icon.png")
    assert info.value.status_code == 500
    assert f"Assistant {unknown} not found" in info.value.message


async def test_builder_components(async_flowise_client: AsyncFlowise, document_store: str) -> None:
    chat_models = await async_flowise_client.assistants.list_chat_models()
    names = {model.name for model in chat_models}
    assert "chatOpenAI" in names
    assert {model.category for model in chat_models} == {"Chat Models"}
    assert not any("LlamaIndex" in (model.tags or []) for model in chat_models)

    tools = await async_flowise_client.assistants.list_tools()
    assert tools
    assert {tool.category for tool in tools} <= {"Tools", "Tools (MCP)"}
    assert "calculator" in {tool.name for tool in tools}

    stores = await async_flowise_client.assistants.list_document_stores()
    store = next(store for store in stores if store.name == document_store)
    assert store.label
    assert store.description == "flowise-integrations corpus"


async def test_generate_instruction_runs_the_selected_chat_model(
    async_flowise_client: AsyncFlowise, flowise_stack: LocalStack, flowise_model: ModelStandIn
) -> None:
    task = f"Write haiku about {uuid.uuid4().hex[:8]}"
    before = len(flowise_model.chat_requests())
    instruction = await async_flowise_client.assistants.generate_instruction(
        task=task,
        chat_model={
            "name": "chatOpenAI",
            "inputs": {
                "modelName": "fake-model",
                "temperature": 0,
                "basepath": flowise_stack.model_base_url,
                "openAIApiKey": "sk-stand-in",
            },
        },
    )
    # The stand-in answers "FAKE: <prompt>"; Flowise's prompt embeds the task.
    assert instruction.startswith("FAKE: ")
    assert task in instruction
    sent = flowise_model.chat_requests()[before:]
    assert len(sent) == 1
    assert sent[0]["model"] == "fake-model"
    assert task in json.dumps(sent[0]["messages"])


async def test_generate_instruction_with_an_unknown_chat_model_is_a_server_error(
    async_flowise_client: AsyncFlowise,
) -> None:
    with pytest.raises(InternalServerError) as info:
        await async_flowise_client.assistants.generate_instruction(
            task="anything", chat_model={"name": "noSuchChatModel" + uuid.uuid4().hex[:6], "inputs": {}}
        )
    assert info.value.status_code == 500
    assert "generateAssistantInstruction" in info.value.message
