"""``client.vectors`` (the flow-based upsert) and ``client.upsert_history`` against a real Flowise.

The flows load text (``plainText``, or ``textFile`` from uploaded files) into an in-memory vector
store with ``localAIEmbeddings`` on the model stand-in: the smallest graph ``/vector/upsert``
accepts, with nothing left outside Flowise.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timezone
from typing import Any

import pytest

from flowise_integrations import AsyncFlowise, InternalServerError, NotFoundError
from flowise_integrations.flows import Catalogue, Flow
from flowise_integrations.testing import LocalStack
from flowise_integrations.testing.flows import DEFAULT_CORPUS, custom_function_flow, override_config_enabled
from flowise_integrations.types import Chatflow
from flowise_integrations.types.document_stores import IndexingResult
from flowise_integrations.types.upsert_history import UpsertRecord

SKY = DEFAULT_CORPUS["sky.txt"]
VOLCANO = DEFAULT_CORPUS["volcano.txt"]
PYTHON = DEFAULT_CORPUS["python.txt"]


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _definitions(client: AsyncFlowise, *names: str) -> dict[str, dict[str, Any]]:
    return {name: (await client.nodes.get(name)).to_wire() for name in names}


class FlowMaker:
    """Builds upsert flows and remembers them for deletion."""

    def __init__(self, client: AsyncFlowise, stack: LocalStack, catalogue: Catalogue) -> None:
        self.client = client
        self.stack = stack
        self.catalogue = catalogue
        self.created: list[str] = []

    async def create(
        self, *texts: str, file_loader: bool = False, api_config: dict[str, Any] | None = None
    ) -> Chatflow:
        """One plainText loader and in-memory store per text (``memoryVectorStore_<i>``), or with
        ``file_loader=True`` a single textFile loader fed by uploaded files."""
        flow = Flow.chatflow(self.catalogue)
        embeddings = flow.add(
            "localAIEmbeddings", inputs={"basePath": self.stack.model_base_url, "modelName": "stand-in"}
        )
        if file_loader:
            sources = [("textFile", {"metadata": json.dumps({"source": "upload"})})]
        else:
            sources = [
                ("plainText", {"text": text, "metadata": json.dumps({"source": f"t{i}"})})
                for i, text in enumerate(texts)
            ]
        for loader, inputs in sources:
            store = flow.add("memoryVectorStore", output="retriever")
            flow.connect(flow.add(loader, inputs=inputs, output="document"), store, "document")
            flow.connect(embeddings, store, "embeddings")
        chatflow = await self.client.chatflows.create(
            name=_name("upsert-flow"), flow_data=flow.to_flow_data(), type="CHATFLOW", api_config=api_config
        )
        self.created.append(chatflow.id)
        return chatflow


@pytest.fixture
async def flows(async_flowise_client: AsyncFlowise, flowise_stack: LocalStack) -> AsyncIterator[FlowMaker]:
    defs = await _definitions(
        async_flowise_client, "plainText", "textFile", "localAIEmbeddings", "memoryVectorStore"
    )
    maker = FlowMaker(async_flowise_client, flowise_stack, Catalogue(defs.values()))
    yield maker
    for chatflow_id in maker.created:
        await async_flowise_client.chatflows.delete(chatflow_id)


async def test_upsert_then_history_list_and_delete(
    async_flowise_client: AsyncFlowise, flows: FlowMaker
) -> None:
    chatflow = await flows.create(SKY)

    result = await async_flowise_client.vectors.upsert(chatflow.id)
    assert isinstance(result, IndexingResult)
    assert result.num_added == 1
    assert [(doc.page_content, doc.metadata) for doc in result.added_docs] == [(SKY, {"source": "t0"})]
    assert (await async_flowise_client.vectors.upsert(chatflow.id)).num_added == 1

    history = async_flowise_client.upsert_history
    records = await history.list(chatflow.id)
    assert len(records) == 2
    first = records[0]
    assert isinstance(first, UpsertRecord)
    assert first.chatflowid == chatflow.id
    assert first.result.num_added == 1
    # The stored result keeps the counters, not the documents.
    assert first.result.added_docs == []
    assert first.date is not None
    assert first.date.tzinfo is not None
    assert isinstance(first.flow_data, list)
    ran = {n.id: n for n in first.flow_data}
    assert {(n.id, n.name, n.category) for n in ran.values()} == {
        ("plainText_0", "plainText", "Document Loaders"),
        ("localAIEmbeddings_0", "localAIEmbeddings", "Embeddings"),
        ("memoryVectorStore_0", "memoryVectorStore", "Vector Stores"),
    }
    params = {p.name: (p.type, p.value) for p in ran["plainText_0"].param_values}
    assert params["text"] == ("string", SKY)
    assert json.loads(params["metadata"][1]) == {"source": "t0"}
    # Inputs wired from other nodes are not recorded.
    assert ran["memoryVectorStore_0"].param_values == []

    newest_first = await history.list(chatflow.id, order="DESC")
    assert {r.id for r in newest_first} == {r.id for r in records}
    dates = [r.date for r in newest_first]
    assert dates == sorted(dates, reverse=True)
    assert await history.list(chatflow.id, end_date=date(2000, 1, 1)) == []
    since = await history.list(chatflow.id, start_date=datetime(2000, 1, 1, tzinfo=timezone.utc))
    assert len(since) == 2

    # One unknown id fails the whole call and deletes nothing.
    with pytest.raises(NotFoundError) as unknown:
        await history.delete([first.id, str(uuid.uuid4())])
    assert unknown.value.status_code == 404
    assert len(await history.list(chatflow.id)) == 2

    deleted = await history.delete([first.id])
    assert deleted.affected == 1
    assert [r.id for r in await history.list(chatflow.id)] == [records[1].id]


async def test_override_config_sets_the_loader_text(
    async_flowise_client: AsyncFlowise, flows: FlowMaker
) -> None:
    chatflow = await flows.create(
        SKY, api_config=override_config_enabled("Plain Text", [("Text", "text", "string")])
    )
    result = await async_flowise_client.vectors.upsert(chatflow.id, override_config={"text": VOLCANO})
    assert [doc.page_content for doc in result.added_docs] == [VOLCANO]
    (record,) = await async_flowise_client.upsert_history.list(chatflow.id)
    assert isinstance(record.flow_data, list)
    (loader,) = (n for n in record.flow_data if n.id == "plainText_0")
    assert {p.name: p.value for p in loader.param_values}["text"] == VOLCANO


async def test_override_config_is_ignored_unless_enabled(
    async_flowise_client: AsyncFlowise, flows: FlowMaker
) -> None:
    chatflow = await flows.create(SKY)
    result = await async_flowise_client.vectors.upsert(chatflow.id, override_config={"text": VOLCANO})
    assert [doc.page_content for doc in result.added_docs] == [SKY]


async def test_upsert_files_need_the_loader_override_enabled(
    async_flowise_client: AsyncFlowise, flows: FlowMaker
) -> None:
    files = [("notes.txt", PYTHON.encode())]
    enabled = await flows.create(
        file_loader=True, api_config=override_config_enabled("Text File", [("Txt File", "txtFile", "file")])
    )
    result = await async_flowise_client.vectors.upsert(enabled.id, files=files)
    assert result.num_added == 1
    assert [(doc.page_content, doc.metadata["source"]) for doc in result.added_docs] == [(PYTHON, "upload")]
    (record,) = await async_flowise_client.upsert_history.list(enabled.id)
    assert isinstance(record.flow_data, list)
    (loader,) = (n for n in record.flow_data if n.id == "textFile_0")
    file_param = next(p for p in loader.param_values if p.name == "txtFile")
    assert (file_param.type, file_param.value) == ("file", "notes.txt")

    # Without the override the file is ignored: nothing is added, and no error is raised.
    disabled = await flows.create(file_loader=True)
    ignored = await async_flowise_client.vectors.upsert(disabled.id, files=files)
    assert (ignored.num_added, ignored.added_docs) == (0, [])


async def test_stop_node_id_picks_one_of_several_vector_stores(
    async_flowise_client: AsyncFlowise, flows: FlowMaker
) -> None:
    chatflow = await flows.create(SKY, VOLCANO)
    with pytest.raises(InternalServerError) as ambiguous:
        await async_flowise_client.vectors.upsert(chatflow.id)
    assert "multiple vector nodes" in ambiguous.value.message
    assert await async_flowise_client.upsert_history.list(chatflow.id) == []

    chat_id = str(uuid.uuid4())
    result = await async_flowise_client.vectors.upsert(
        chatflow.id, stop_node_id="memoryVectorStore_1", chat_id=chat_id
    )
    assert [doc.page_content for doc in result.added_docs] == [VOLCANO]
    (record,) = await async_flowise_client.upsert_history.list(chatflow.id)
    assert isinstance(record.flow_data, list)
    # Only the branch that leads to the chosen store ran.
    assert {n.id for n in record.flow_data} == {"plainText_1", "localAIEmbeddings_0", "memoryVectorStore_1"}


async def test_upsert_errors(async_flowise_client: AsyncFlowise, flows: FlowMaker) -> None:
    # A flow without a vector store node: Flowise's 404 reaches the client wrapped in a 500.
    defs = await _definitions(async_flowise_client, "customFunction")
    no_vectors = await async_flowise_client.chatflows.create(
        name=_name("no-vectors"),
        flow_data=custom_function_flow(defs).to_flow_data(),
        type="CHATFLOW",
    )
    try:
        with pytest.raises(InternalServerError) as refused:
            await async_flowise_client.vectors.upsert(no_vectors.id)
        assert refused.value.status_code == 500
        assert refused.value.detail == "No vector node found"
    finally:
        await async_flowise_client.chatflows.delete(no_vectors.id)

    unknown = str(uuid.uuid4())
    with pytest.raises(NotFoundError) as missing:
        await async_flowise_client.vectors.upsert(unknown)
    assert missing.value.status_code == 500
    assert unknown in missing.value.message


async def test_history_of_a_document_store_is_404(async_flowise_client: AsyncFlowise) -> None:
    store = await async_flowise_client.document_stores.create(name=_name("history-store"))
    try:
        with pytest.raises(NotFoundError) as refused:
            await async_flowise_client.upsert_history.list(store.id)
        assert refused.value.status_code == 404
        assert "not found in the database" in refused.value.message
    finally:
        await async_flowise_client.document_stores.delete(store.id)
