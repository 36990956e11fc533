"""Every resource once, streaming, errors and one adapter of each framework, on one Flowise release.

``make test`` runs this module against each release of the matrix (``--flowise-version``); on the
newest it duplicates parts of the integration suite on purpose, so that the table has a column
for it measured the same way. Where a release lacks a feature, the test shows both that the client
refuses before sending and that the server really has no such route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from flowise_integrations import (
    AsyncFlowise,
    AuthenticationError,
    Flowise,
    NotFoundError,
    PermissionDeniedError,
    UnsupportedFeatureError,
)
from flowise_integrations.testing import LocalStack, ModelStandIn, flows
from flowise_integrations.types import Chatflow
from tests.compat.conftest import Outcome

pytestmark = pytest.mark.integration


def _name(prefix: str) -> str:
    return f"compat-{prefix}-{uuid.uuid4().hex[:8]}"


def _route_is_missing(stack: LocalStack, path: str) -> bool:
    """Whether ``GET /api/v1/<path>`` reaches no API route: a 404, or the UI's HTML page."""
    response = httpx.get(
        f"{stack.base_url}/api/v1/{path}", headers={"Authorization": f"Bearer {stack.api_key}"}, timeout=30
    )
    html = response.headers.get("content-type", "").startswith("text/html")
    return response.status_code == 404 or html or "Cannot GET" in response.text


def _refused(compat: Outcome, call: Callable[[], Any]) -> None:
    with pytest.raises(UnsupportedFeatureError) as info:
        call()
    compat.unsupported(info.value)


@pytest.fixture(scope="module")
def chatflow(client: Flowise, flowise_stack: LocalStack) -> Iterator[Chatflow]:
    """The ConversationChain on the model stand-in, built from this server's own node definitions."""
    created = flows.create_conversation_chatflow(client, model_base_url=flowise_stack.model_base_url)
    yield created
    client.chatflows.delete(created.id)


@pytest.mark.feature("Version and capabilities")
def test_version_and_capabilities(compat: Outcome, client: Flowise, server_version: str) -> None:
    assert client.ping() == "pong"
    capabilities = client.capabilities()
    assert capabilities.version == server_version
    if capabilities.missing:
        compat.note("lacks " + ", ".join(f"`{name}`" for name in capabilities.missing))


@pytest.mark.feature("Chatflows: create, get, list, update, delete")
def test_chatflow_crud(compat: Outcome, client: Flowise) -> None:
    created = flows.create_custom_function_chatflow(client, name=_name("crud"))
    try:
        assert client.chatflows.get(created.id).name == created.name
        assert created.id in {flow.id for flow in client.chatflows.list()}
        assert client.chatflows.update(created.id, name=created.name + "-renamed").name.endswith("-renamed")
    finally:
        assert client.chatflows.delete(created.id).affected == 1
    with pytest.raises(NotFoundError):
        client.chatflows.get(created.id)


@pytest.mark.feature("Predictions (JSON)")
def test_prediction(
    compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.script("Bonjour from the stand-in.")
    answer = client.predictions.create(chatflow.id, question="Say hello")
    assert answer.text == "Bonjour from the stand-in."
    sent = flowise_model.chat_requests()[-1]["messages"][-1]["content"]
    assert "Say hello" in str(sent)


@pytest.mark.feature("Streaming predictions (sync)")
def test_streaming(compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_model: ModelStandIn) -> None:
    flowise_model.script("one two three four")
    with client.predictions.stream(chatflow.id, "Count") as stream:
        tokens = list(stream.text_stream)
        final = stream.final()
    assert "".join(tokens) == "one two three four"
    assert len(tokens) > 1
    assert final.text == "one two three four"


@pytest.mark.feature("Streaming predictions (async)")
async def test_async_streaming(
    compat: Outcome, flowise_stack: LocalStack, chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.script("async tokens arrive")
    async with flowise_stack.async_client() as client, client.predictions.stream(chatflow.id, "Go") as stream:
        tokens = [token async for token in stream.text_stream]
    assert "".join(tokens) == "async tokens arrive"


@pytest.mark.feature("Errors: 401, 404, unknown flow")
def test_errors(compat: Outcome, client: Flowise, flowise_stack: LocalStack) -> None:
    stranger = Flowise(flowise_stack.base_url, api_key="not-a-key", max_retries=0)
    with stranger, pytest.raises(AuthenticationError):
        stranger.chatflows.list()
    with pytest.raises(NotFoundError):
        client.chatflows.get(str(uuid.uuid4()))
    with pytest.raises(NotFoundError):
        client.predictions.create(str(uuid.uuid4()), question="anyone?")


@pytest.mark.feature("Agentflows (v2)")
def test_agentflow(compat: Outcome, client: Flowise) -> None:
    if not client.capabilities().supports("agentflows"):
        _refused(compat, lambda: client.chatflows.create(name=_name("af"), flow_data={}, type="AGENTFLOW"))
        assert not _has_node(client, "startAgentflow")
        return
    agentflow = flows.create_echo_agentflow(client, name=_name("echo"))
    try:
        assert client.predictions.create(agentflow.id, question="ping").text == "Echo: ping"
    finally:
        client.chatflows.delete(agentflow.id)


def _has_node(client: Flowise, name: str) -> bool:
    return name in {node.name for node in client.nodes.list()}


@pytest.mark.feature("Human input (resume a stopped agentflow)")
def test_human_input(compat: Outcome, client: Flowise) -> None:
    if not client.capabilities().supports("human_input"):
        _refused(
            compat, lambda: client.predictions.create(str(uuid.uuid4()), human_input={"type": "proceed"})
        )
        return
    agentflow = flows.create_human_input_agentflow(client, name=_name("hitl"))
    try:
        chat_id = str(uuid.uuid4())
        stopped = client.predictions.create(agentflow.id, question="go", chat_id=chat_id)
        assert stopped.action is not None  # 3.0 has it only in the stopped node's output
        assert stopped.action.data is not None
        assert stopped.action.data["nodeId"] == "humanInputAgentflow_0"
        resumed = client.predictions.create(agentflow.id, chat_id=chat_id, human_input={"type": "proceed"})
        assert resumed.text == "Approved"
    finally:
        client.chatflows.delete(agentflow.id)


@pytest.mark.feature("Executions")
def test_executions(compat: Outcome, client: Flowise, flowise_stack: LocalStack) -> None:
    if not client.capabilities().supports("executions"):
        _refused(compat, lambda: client.executions.list())
        assert _route_is_missing(flowise_stack, "executions")
        return
    page = client.executions.list(limit=5)
    assert page.limit == 5


@pytest.mark.feature("Datasets")
def test_datasets(compat: Outcome, client: Flowise, flowise_stack: LocalStack) -> None:
    if not client.capabilities().supports("datasets"):
        _refused(compat, lambda: client.datasets.list())
        assert _route_is_missing(flowise_stack, "datasets")
        return
    with pytest.raises(PermissionDeniedError):  # open-source Flowise gates datasets (Enterprise)
        client.datasets.list()
    compat.note("open source answers 403 (Enterprise feature)")


@pytest.mark.feature("Credentials (values as secrets)")
def test_credentials(compat: Outcome, client: Flowise) -> None:
    secret = f"sk-{uuid.uuid4().hex}"
    created = client.credentials.create(
        name=_name("cred"), credential_name="openAIApi", data={"openAIApiKey": secret}
    )
    try:
        assert created.id in {c.id for c in client.credentials.list()}
        detail = client.credentials.get(created.id)
        assert secret not in repr(detail)
    finally:
        client.credentials.delete(created.id)


@pytest.mark.feature("Credential reveal")
def test_credential_reveal(compat: Outcome, client: Flowise) -> None:
    created = client.credentials.create(
        name=_name("url-cred"), credential_name="openAIApi", data={"openAIApiKey": "sk-reveal"}
    )
    try:
        if not client.capabilities().supports("credential_reveal"):
            _refused(compat, lambda: client.credentials.reveal(created.id))
            return
        revealed = client.credentials.reveal(created.id)
        assert "sk-reveal" not in repr(revealed)
    finally:
        client.credentials.delete(created.id)


@pytest.mark.feature("Custom tools")
def test_tools(compat: Outcome, client: Flowise) -> None:
    tool = client.tools.create(name=_name("tool").replace("-", "_"), description="A compat tool.")
    try:
        assert client.tools.get(tool.id).description == "A compat tool."
        assert client.tools.update(tool.id, description="Changed.").description == "Changed."
    finally:
        client.tools.delete(tool.id)


@pytest.mark.feature("Variables")
def test_variables(compat: Outcome, client: Flowise) -> None:
    variable = client.variables.create(name=_name("var").replace("-", "_"), value="42")
    try:
        assert client.variables.get_by_name(variable.name) is not None
        assert client.variables.update(variable.id, value="43").value == "43"
    finally:
        client.variables.delete(variable.id)


@pytest.mark.feature("API keys")
def test_api_keys(compat: Outcome, client: Flowise, flowise_stack: LocalStack) -> None:
    keys = client.api_keys.list()
    assert any(key.api_key.get_secret_value() == flowise_stack.api_key for key in keys if key.api_key)
    assert client.api_keys.verify(flowise_stack.api_key)
    if not client.capabilities().supports("workspaces"):
        # 2.x keys open every route: a key limited to chatflows:view cannot be made.
        with pytest.raises(UnsupportedFeatureError, match="API key permissions"):
            client.api_keys.create(name=_name("key"), permissions=["chatflows:view"])
        compat.note("2.x keys carry no permissions: create and update are refused")
        return
    key = client.api_keys.create(name=_name("key"), permissions=["chatflows:view"])
    try:
        assert key.permissions == ["chatflows:view"]
    finally:
        client.api_keys.delete(key.id)


@pytest.mark.feature("Assistants (custom)")
def test_assistants(compat: Outcome, client: Flowise) -> None:
    created = client.assistants.create(details={"name": _name("assistant"), "instruction": "Be brief."})
    try:
        assert client.assistants.get(created.id).id == created.id
        assert created.id in {a.id for a in client.assistants.list(type="CUSTOM")}
    finally:
        client.assistants.delete(created.id)


@pytest.mark.feature("Document stores")
def test_document_stores(compat: Outcome, client: Flowise) -> None:
    store = client.document_stores.create(name=_name("store"), description="compat")
    try:
        assert client.document_stores.get(store.id).name == store.name
        assert store.id in {s.id for s in client.document_stores.list()}
    finally:
        client.document_stores.delete(store.id)


@pytest.mark.feature("Chat messages, feedback, leads, stats")
def test_conversation_records(
    compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    flowise_model.script("Recorded answer.")
    chat_id = str(uuid.uuid4())
    answer = client.predictions.create(chatflow.id, question="Record me", chat_id=chat_id)
    messages = client.chat_messages.list(chatflow.id, chat_id=chat_id)
    assert [m.role for m in messages] == ["userMessage", "apiMessage"]
    assert answer.chat_message_id == messages[1].id
    feedback = client.feedback.create(message_id=messages[1].id, rating="THUMBS_UP")
    assert [f.id for f in client.feedback.list(chatflow.id, chat_id=chat_id)] == [feedback.id]
    lead = client.leads.create(chatflow_id=chatflow.id, name="Ada", email="ada@example.com", chat_id=chat_id)
    assert lead.chat_id == chat_id
    try:
        listed = {item.id for item in client.leads.list(chatflow.id)}
    except NotFoundError as error:
        # 3.1 reads the logged-in UI user's workspace when listing, which an API key never sets.
        refusal = error.message
        listed = None
    if listed is None:
        assert "workspace undefined" in refusal
        compat.note("listing leads answers 404 to an API key (it needs a UI login's workspace)")
    else:
        assert lead.id in listed
    assert client.stats.get(chatflow.id).total_feedback >= 1
    client.chat_messages.delete(chatflow.id, chat_id=chat_id)
    assert client.chat_messages.list(chatflow.id, chat_id=chat_id) == []


@pytest.mark.feature("Vector upsert and upsert history")
def test_vector_upsert(compat: Outcome, client: Flowise, flowise_stack: LocalStack) -> None:
    catalogue = flows.Catalogue(
        client.nodes.get(name).to_wire() for name in ("plainText", "localAIEmbeddings", "memoryVectorStore")
    )
    flow = flows.Flow.chatflow(catalogue)
    embeddings = flow.add(
        "localAIEmbeddings", inputs={"basePath": flowise_stack.model_base_url, "modelName": "stand-in"}
    )
    store = flow.add("memoryVectorStore", output="retriever")
    loader = flow.add("plainText", inputs={"text": "The sky is blue."}, output="document")
    flow.connect(loader, store, "document")
    flow.connect(embeddings, store, "embeddings")
    chatflow = client.chatflows.create(name=_name("upsert"), flow_data=flow.to_flow_data())
    try:
        result = client.vectors.upsert(chatflow.id)
        assert result.num_added == 1
        assert len(client.upsert_history.list(chatflow.id)) == 1
    finally:
        client.chatflows.delete(chatflow.id)


@pytest.mark.feature("Attachments (text of uploaded files)")
def test_attachments(compat: Outcome, client: Flowise) -> None:
    definitions = {"customFunction": client.nodes.get("customFunction").to_wire()}
    flow = flows.custom_function_flow(definitions)
    upload = {"fullFileUpload": {"status": True, "allowedUploadFileTypes": "text/plain"}}
    chatflow = client.chatflows.create(
        name=_name("uploads"), flow_data=flow.to_flow_data(), chatbot_config=upload
    )
    try:
        (attachment,) = client.attachments.create(
            chatflow.id, str(uuid.uuid4()), [("notes.txt", b"Read me.")]
        )
        assert (attachment.name, attachment.content) == ("notes.txt", "Read me.")
    finally:
        client.chatflows.delete(chatflow.id)


@pytest.mark.feature("Nodes and marketplace templates")
def test_nodes_and_marketplace(compat: Outcome, client: Flowise) -> None:
    assert "chatOpenAI" in {node.name for node in client.nodes.list()}
    assert len(client.marketplace.list_templates()) > 0


@pytest.mark.feature("Webhook secrets")
def test_webhooks(compat: Outcome, client: Flowise, chatflow: Chatflow) -> None:
    if not client.capabilities().supports("webhooks"):
        _refused(compat, lambda: client.chatflows.set_webhook_secret(chatflow.id))
        return
    assert client.chatflows.set_webhook_secret(chatflow.id)
    client.chatflows.clear_webhook_secret(chatflow.id)


@pytest.mark.feature("Schedules")
def test_schedules(compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_stack: LocalStack) -> None:
    if not client.capabilities().supports("schedules"):
        _refused(compat, lambda: client.chatflows.get_schedule_status(chatflow.id))
        assert _route_is_missing(flowise_stack, f"chatflows/{chatflow.id}/schedule/status")
        return
    assert client.chatflows.get_schedule_status(chatflow.id) is not None


@pytest.mark.feature("LangChain: ChatFlowise")
def test_langchain_chat_model(
    compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    from flowise_integrations.langchain import ChatFlowise

    flowise_model.script("From LangChain.")
    model = ChatFlowise(chatflow_id=chatflow.id, client=client)
    assert model.invoke("hi").content == "From LangChain."
    flowise_model.script("streamed via LangChain")
    assert "".join(str(chunk.content) for chunk in model.stream("hi")) == "streamed via LangChain"


@pytest.mark.feature("LlamaIndex: FlowiseLLM")
def test_llama_index_llm(
    compat: Outcome, client: Flowise, chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    from flowise_integrations.llama_index import FlowiseLLM

    flowise_model.script("From LlamaIndex.")
    llm = FlowiseLLM(chatflow.id, client=client)
    assert llm.complete("hi").text == "From LlamaIndex."


@pytest.mark.feature("Async client: list flows")
async def test_async_client(compat: Outcome, flowise_stack: LocalStack, chatflow: Chatflow) -> None:
    async with flowise_stack.async_client() as client:
        assert isinstance(client, AsyncFlowise)
        assert chatflow.id in {flow.id for flow in await client.chatflows.list()}
