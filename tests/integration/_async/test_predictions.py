"""``client.predictions`` against a real Flowise: every test flow, streamed and not.

The ConversationChain and retrieval flows answer through the model stand-in
(``"FAKE: <last user message>"``), whose recorded requests show what the flow sent to its model.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from flowise_integrations import (
    AsyncFlowise,
    AsyncPredictionStream,
    HistoryMessage,
    NotResumableError,
    StreamError,
    Upload,
)
from flowise_integrations.flows import Catalogue, Flow
from flowise_integrations.testing import ModelStandIn
from flowise_integrations.testing.flows import CONVERSATION_NODES, ECHO_AGENTFLOW_NODES, conversation_flow
from flowise_integrations.types import Chatflow, HumanInput, HumanInputRequest, Prediction
from flowise_integrations.types import stream_events as ev

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _chat_id() -> str:
    return str(uuid.uuid4())


async def _collect(stream: AsyncPredictionStream) -> tuple[list[ev.StreamEvent], Prediction]:
    async with stream:
        events = [event async for event in stream]
        final = await stream.final()
    return events, final


def _names(events: list[ev.StreamEvent]) -> list[str]:
    return [event.event for event in events]


def _last_messages(model: ModelStandIn) -> list[dict[str, Any]]:
    requests = model.chat_requests()
    assert requests, "the flow did not call its model"
    return [{"role": m["role"], "content": m["content"]} for m in requests[-1]["messages"]]


async def _definitions(client: AsyncFlowise, *names: str) -> dict[str, dict[str, Any]]:
    return {name: (await client.nodes.get(name)).to_wire() for name in names}


# --------------------------------------------------------------------------------------------- event order


async def test_agentflow_stream_events_and_final(
    async_flowise_client: AsyncFlowise, echo_agentflow: Chatflow
) -> None:
    client = async_flowise_client
    stream = client.predictions.stream(echo_agentflow.id, "stream me")
    events, final = await _collect(stream)

    assert events[0] == ev.AgentFlowEvent("INPROGRESS")
    assert _names(events)[-3:] == ["agentFlowEvent", "metadata", "end"]
    assert events[-3] == ev.AgentFlowEvent("FINISHED")
    assert events[-1] == ev.EndEvent("[DONE]")
    assert not any(isinstance(e, ev.StartEvent) for e in events)  # agentflows send no start event
    node_steps = [
        (e.data["nodeId"], e.data["status"]) for e in events if isinstance(e, ev.NextAgentFlowEvent)
    ]
    assert node_steps == [
        ("startAgentflow_0", "INPROGRESS"),
        ("startAgentflow_0", "FINISHED"),
        ("directReplyAgentflow_0", "INPROGRESS"),
        ("directReplyAgentflow_0", "FINISHED"),
    ]
    tokens = [i for i, e in enumerate(events) if isinstance(e, ev.TokenEvent)]
    assert [events[i].data for i in tokens] == ["Echo: stream me"]
    reply_started = next(
        i
        for i, e in enumerate(events)
        if isinstance(e, ev.NextAgentFlowEvent) and e.data["nodeId"] == "directReplyAgentflow_0"
    )
    assert tokens[0] > reply_started
    executed = [e for e in events if isinstance(e, ev.AgentFlowExecutedDataEvent)]
    assert [len(e.data) for e in executed] == [1, 2]  # re-sent after each node
    metadata = events[-2]
    assert isinstance(metadata, ev.MetadataEvent)
    assert metadata.data.chat_id == stream.chat_id

    created = await client.predictions.create(echo_agentflow.id, "stream me")
    assert final.text == created.text == "Echo: stream me"
    assert final.question == created.question == "stream me"
    assert final.chat_id == stream.chat_id
    assert final.session_id == stream.chat_id
    assert created.session_id == created.chat_id
    assert [(n.node_id, n.status) for n in final.agent_flow_executed_data] == [
        (n.node_id, n.status) for n in created.agent_flow_executed_data
    ]
    assert final.agent_flow_executed_data[-1].output["content"] == "Echo: stream me"
    assert created.execution_id is not None
    assert final.execution_id is None  # Flowise does not stream the execution id
    assert final.memory_type is None
    assert created.memory_type is None


async def test_conversation_chain_stream_events_and_final(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> None:
    client = async_flowise_client
    stream = client.predictions.stream(conversation_chatflow.id, "stream chain")
    events, final = await _collect(stream)

    assert _names(events) == ["start", "token", "token", "token", "metadata", "end"]
    # ConversationChain sends the model's first chunk as `start`: the stand-in's empty role delta.
    assert events[0] == ev.StartEvent("")
    assert [e.data for e in events if isinstance(e, ev.TokenEvent)] == ["FAKE:", " stream", " chain"]
    metadata = events[-2]
    assert isinstance(metadata, ev.MetadataEvent)
    assert metadata.data.chat_id == stream.chat_id
    assert metadata.data.session_id == stream.chat_id
    assert metadata.data.memory_type == "Buffer Memory"
    assert metadata.data.question == "stream chain"

    created = await client.predictions.create(conversation_chatflow.id, "stream chain", chat_id=_chat_id())
    assert final.text == created.text == "FAKE: stream chain"
    assert final.memory_type == created.memory_type == "Buffer Memory"
    assert final.session_id == final.chat_id == stream.chat_id
    assert created.session_id == created.chat_id
    assert final.source_documents == created.source_documents == []
    assert created.is_stream_valid is False


async def test_custom_function_streams_from_the_json_answer(
    async_flowise_client: AsyncFlowise, custom_function_chatflow: Chatflow
) -> None:
    client = async_flowise_client
    stream = client.predictions.stream(custom_function_chatflow.id, "hello fn")
    events, final = await _collect(stream)

    assert stream.response is not None
    assert stream.response.headers["content-type"].startswith("application/json")
    assert _names(events) == ["token", "metadata", "end"]
    assert events[0] == ev.TokenEvent("Echo: hello fn")
    metadata = events[1]
    assert isinstance(metadata, ev.MetadataEvent)
    assert metadata.data.chat_id == stream.chat_id

    created = await client.predictions.create(custom_function_chatflow.id, "hello fn")
    assert final.text == created.text == "Echo: hello fn"
    assert final.is_stream_valid is False
    assert created.is_stream_valid is False
    assert final.memory_type is None
    assert created.memory_type is None
    assert final.chat_id == stream.chat_id


async def test_retrieval_stream_events_and_source_documents(
    async_flowise_client: AsyncFlowise, retrieval_chatflow: Chatflow
) -> None:
    client = async_flowise_client
    question = "Why does the sky look blue?"
    stream = client.predictions.stream(retrieval_chatflow.id, question)
    events, final = await _collect(stream)

    names = _names(events)
    assert names[0] == "start"
    assert names[-3:] == ["sourceDocuments", "metadata", "end"]
    assert set(names[1:-3]) == {"token"}
    sources = events[-3]
    assert isinstance(sources, ev.SourceDocumentsEvent)
    assert sources.data[0].metadata["source"] == "sky.txt"
    assert "Rayleigh scattering" in sources.data[0].page_content

    created = await client.predictions.create(retrieval_chatflow.id, question)
    assert final.text == created.text
    assert final.text.startswith("FAKE: ")
    assert [d.page_content for d in final.source_documents] == [
        d.page_content for d in created.source_documents
    ]
    assert [d.metadata["source"] for d in final.source_documents] == [
        d.metadata["source"] for d in created.source_documents
    ]
    assert final.memory_type == created.memory_type
    assert len(created.source_documents) == 4  # the store's topK


async def test_text_stream_yields_only_the_answer(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow
) -> None:
    client = async_flowise_client
    async with client.predictions.stream(conversation_chatflow.id, "only text please") as stream:
        chunks = [chunk async for chunk in stream.text_stream]
        assert stream.text == "FAKE: only text please"
    assert chunks == ["FAKE:", " only", " text", " please"]


# --------------------------------------------------------------------------------------------- model input


async def test_history_reaches_the_model_in_order(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    answer = await async_flowise_client.predictions.create(
        conversation_chatflow.id,
        "third",
        chat_id=_chat_id(),
        history=[HistoryMessage(role="user", content="first"), {"role": "assistant", "content": "second"}],
    )
    assert answer.text == "FAKE: third"
    assert _last_messages(flowise_model) == [
        {"role": "system", "content": "You are a test assistant."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "second"},
        {"role": "user", "content": "third"},
    ]


async def test_history_in_a_stream(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    stream = async_flowise_client.predictions.stream(
        conversation_chatflow.id, "and now?", history=[{"role": "userMessage", "content": "earlier"}]
    )
    _, final = await _collect(stream)
    assert final.text == "FAKE: and now?"
    assert [m["content"] for m in _last_messages(flowise_model)[1:]] == ["earlier", "and now?"]


async def test_override_config_sets_the_system_message(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    await client.predictions.create(conversation_chatflow.id, "plain", chat_id=_chat_id())
    assert _last_messages(flowise_model)[0] == {"role": "system", "content": "You are a test assistant."}

    await client.predictions.create(
        conversation_chatflow.id,
        "ahoy",
        chat_id=_chat_id(),
        override_config={"systemMessagePrompt": "You are a pirate."},
    )
    assert _last_messages(flowise_model) == [
        {"role": "system", "content": "You are a pirate."},
        {"role": "user", "content": "ahoy"},
    ]


async def test_override_config_is_ignored_where_the_flow_does_not_enable_it(
    async_flowise_client: AsyncFlowise, retrieval_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    await async_flowise_client.predictions.create(
        retrieval_chatflow.id, "Why is the sky blue?", override_config={"temperature": 1.7}
    )
    assert flowise_model.chat_requests()[-1]["temperature"] == 0


async def test_session_continuity(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    session = {"sessionId": _chat_id()}
    first = await client.predictions.create(
        conversation_chatflow.id, "my name is Ada", override_config=session
    )
    assert first.session_id == session["sessionId"]
    assert first.chat_id == session["sessionId"]

    second = await client.predictions.create(
        conversation_chatflow.id, "what is my name", override_config=session
    )
    assert second.session_id == session["sessionId"]
    assert _last_messages(flowise_model)[1:] == [
        {"role": "user", "content": "my name is Ada"},
        {"role": "assistant", "content": "FAKE: my name is Ada"},
        {"role": "user", "content": "what is my name"},
    ]

    # A streamed turn in the same session sees both earlier turns; another session sees none.
    _, third = await _collect(
        client.predictions.stream(conversation_chatflow.id, "third turn", override_config=session)
    )
    assert third.session_id == session["sessionId"]
    assert len(_last_messages(flowise_model)) == 6
    await client.predictions.create(conversation_chatflow.id, "fresh", chat_id=_chat_id())
    assert _last_messages(flowise_model)[1:] == [{"role": "user", "content": "fresh"}]


async def test_chat_id_continuity(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    chat_id = _chat_id()
    _, first = await _collect(
        client.predictions.stream(conversation_chatflow.id, "turn one", chat_id=chat_id)
    )
    assert first.chat_id == chat_id
    second = await client.predictions.create(conversation_chatflow.id, "turn two", chat_id=chat_id)
    assert second.session_id == chat_id
    assert [m["content"] for m in _last_messages(flowise_model)[1:]] == [
        "turn one",
        "FAKE: turn one",
        "turn two",
    ]


# --------------------------------------------------------------------------------------------- files


async def test_image_upload_is_stored_with_the_message(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    chat_id = _chat_id()
    answer = await client.predictions.create(
        conversation_chatflow.id, "describe", chat_id=chat_id, uploads=[Upload.from_bytes(PNG, "dot.png")]
    )
    assert answer.text == "FAKE: describe"
    # chatOpenAI's allowImageUploads is off, so the model only gets the text.
    assert _last_messages(flowise_model)[-1] == {"role": "user", "content": "describe"}
    messages = await client.chat_messages.list(conversation_chatflow.id, chat_id=chat_id)
    assert [m.role for m in messages] == ["userMessage", "apiMessage"]
    assert messages[0].file_uploads == [{"type": "stored-file", "name": "dot.png", "mime": "image/png"}]
    assert messages[1].file_uploads is None


async def test_image_upload_reaches_a_model_that_allows_images(
    async_flowise_client: AsyncFlowise, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    defs = await _definitions(client, *CONVERSATION_NODES)
    images = {"allowImageUploads": True}
    graph = conversation_flow(defs, model_base_url=flowise_model.base_url, model_inputs=images).to_flow_data()
    created = await client.chatflows.create(name=_name("images"), flow_data=graph, type="CHATFLOW")
    try:
        answer = await client.predictions.create(
            created.id, "what is this", uploads=[Upload.from_bytes(PNG, "dot.png")]
        )
        # ConversationChain sends the image as a user message of its own, after the question.
        messages = flowise_model.chat_requests()[-1]["messages"]
        assert [m["role"] for m in messages] == ["system", "user", "user"]
        assert messages[1]["content"] == "what is this"
        image_parts = messages[2]["content"]
        assert [part["type"] for part in image_parts] == ["image_url"]
        assert image_parts[0]["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(PNG).decode()
        # The stand-in answers the last user message, which holds no text.
        assert answer.text == "FAKE: "
    finally:
        await client.chatflows.delete(created.id)


async def test_multipart_files_prediction(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    chat_id = _chat_id()
    files = [("notes.txt", b"The password is swordfish.", "text/plain")]
    answer = await client.predictions.create(
        conversation_chatflow.id, "read it", chat_id=chat_id, files=files
    )
    # The flow has no file loader: the file is accepted but never reaches the model or the message.
    assert answer.text == "FAKE: read it"
    assert answer.chat_id == chat_id
    assert answer.memory_type == "Buffer Memory"
    assert _last_messages(flowise_model)[-1] == {"role": "user", "content": "read it"}
    messages = await client.chat_messages.list(conversation_chatflow.id, chat_id=chat_id)
    assert [m.content for m in messages] == ["read it", "FAKE: read it"]
    assert messages[0].file_uploads is None

    # Multipart form fields arrive as strings; streaming="true" still streams and keeps the chat id.
    stream = client.predictions.stream(conversation_chatflow.id, "read again", chat_id=chat_id, files=files)
    events, final = await _collect(stream)
    assert stream.response is not None
    assert stream.response.headers["content-type"].startswith("text/event-stream")
    assert _names(events)[0] == "start"
    assert final.text == "FAKE: read again"
    assert final.chat_id == chat_id
    assert [m["content"] for m in _last_messages(flowise_model)[1:]] == [
        "read it",
        "FAKE: read it",
        "read again",
    ]


# ------------------------------------------------------------------------------------------- agentflow input


async def test_human_input_stops_and_resumes(
    async_flowise_client: AsyncFlowise, human_input_agentflow: Chatflow
) -> None:
    client = async_flowise_client
    chatflow = human_input_agentflow
    for decision, reply, last_node in (
        (HumanInput(type="proceed"), "Approved", "approved_0"),
        ({"type": "reject"}, "Rejected", "rejected_0"),
    ):
        chat_id = _chat_id()
        stopped = await client.predictions.create(chatflow.id, "ship it?", chat_id=chat_id)
        assert stopped.action is not None
        assert stopped.action.mapping == {"approve": "Proceed", "reject": "Reject"}
        assert stopped.action.data is not None
        assert stopped.action.data["nodeId"] == "humanInputAgentflow_0"
        assert stopped.text.endswith("Approve?")
        assert [n.status for n in stopped.agent_flow_executed_data] == ["FINISHED", "STOPPED"]
        request = HumanInputRequest.from_prediction(chatflow.id, stopped)
        assert request is not None
        assert (request.kind, request.message, request.node_id) == (
            "human_input",
            "Approve?",
            "humanInputAgentflow_0",
        )
        assert (request.chat_id, request.execution_id) == (chat_id, stopped.execution_id)

        resumed = await client.predictions.create(chatflow.id, chat_id=chat_id, human_input=decision)
        assert resumed.text == reply
        assert resumed.action is None
        assert HumanInputRequest.from_prediction(chatflow.id, resumed) is None
        assert [(n.node_id, n.status) for n in resumed.agent_flow_executed_data][-1] == (
            last_node,
            "FINISHED",
        )
        # The run is finished: a second resume is refused, typed, and changes nothing.
        with pytest.raises(NotResumableError, match="Cannot resume execution") as refused:
            await client.predictions.create(chatflow.id, chat_id=chat_id, human_input=decision)
        assert refused.value.status_code == 500
        assert "FINISHED" in refused.value.detail

    with pytest.raises(NotResumableError, match="No previous execution found"):
        await client.predictions.create(chatflow.id, chat_id=_chat_id(), human_input={"type": "proceed"})
    with pytest.raises(ValueError, match='"proceed" or "reject"'):
        await client.predictions.create(chatflow.id, chat_id=_chat_id(), human_input={"type": "maybe"})

    chat_id = _chat_id()
    events, final = await _collect(client.predictions.stream(chatflow.id, "ship it?", chat_id=chat_id))
    actions = [e for e in events if isinstance(e, ev.ActionEvent)]
    assert len(actions) == 1
    assert actions[0].data.mapping == {"approve": "Proceed", "reject": "Reject"}
    assert ev.AgentFlowEvent("STOPPED") in events
    assert _names(events)[-2:] == ["metadata", "end"]
    assert final.action is not None
    assert final.action.id == actions[0].data.id

    events, final = await _collect(
        client.predictions.stream(
            chatflow.id, chat_id=chat_id, human_input={"type": "proceed", "feedback": "go"}
        )
    )
    assert [e.data for e in events if isinstance(e, ev.TokenEvent)] == ["Approved"]
    assert events[-3] == ev.AgentFlowEvent("FINISHED")
    assert final.text == "Approved"
    # In a stream the same refusal is an ``error`` event.
    with pytest.raises(StreamError, match="Cannot resume execution"):
        await _collect(
            client.predictions.stream(chatflow.id, chat_id=chat_id, human_input={"type": "proceed"})
        )


async def test_form_input(async_flowise_client: AsyncFlowise) -> None:
    client = async_flowise_client
    fields = [{"type": "string", "label": "Name", "name": "name", "addOptions": ""}]
    defs = await _definitions(client, *ECHO_AGENTFLOW_NODES)
    start_inputs = {
        "startInputType": "formInput",
        "formTitle": "Order",
        "formDescription": "Who is ordering?",
        "formInputTypes": fields,
    }
    form_flow = Flow.agentflow(Catalogue(defs.values()))
    start = form_flow.add("startAgentflow", inputs=start_inputs)
    form_flow.connect(
        start, form_flow.add("directReplyAgentflow", inputs={"directReplyMessage": "Hello {{ $form.name }}"})
    )
    chatflow = await client.chatflows.create(
        name=_name("predictions"), flow_data=form_flow.to_flow_data(), type="AGENTFLOW"
    )
    try:
        answer = await client.predictions.create(chatflow.id, form={"name": "Ada"})
        assert answer.text == "Hello Ada"
        assert answer.form == {"name": "Ada"}
        assert answer.question is None

        events, final = await _collect(client.predictions.stream(chatflow.id, form={"name": "Bob"}))
        assert [e.data for e in events if isinstance(e, ev.TokenEvent)] == ["Hello Bob"]
        assert final.text == "Hello Bob"

        with pytest.raises(ValueError, match="question and form"):
            await client.predictions.create(chatflow.id, "hi", form={"name": "Eve"})
    finally:
        await client.chatflows.delete(chatflow.id)


# --------------------------------------------------------------------------------------------- abort


async def test_abort_mid_stream_closes_the_stream(
    async_flowise_client: AsyncFlowise, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    client = async_flowise_client
    question = "one two three four five six seven eight nine ten"
    flowise_model.token_delay = 0.2
    try:
        stream = client.predictions.stream(conversation_chatflow.id, question, options={"timeout": 10})
        seen: list[ev.StreamEvent] = []
        async with stream:
            async for event in stream:
                seen.append(event)
                if isinstance(event, ev.TokenEvent):
                    await stream.abort()
            assert stream.response is not None
            assert stream.response.is_closed
        assert _names(seen) == ["start", "token"]  # nothing arrives after abort()
        assert stream.text == "FAKE:"
        assert [e async for e in stream] == []
    finally:
        flowise_model.token_delay = 0.0
