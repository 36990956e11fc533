"""Test flows, created on a Flowise server through the client.

Each builder builds one chatflow or agentflow with :mod:`flowise_integrations.flows` from the
server's own node definitions, validates it, creates it and returns the created
:class:`~flowise_integrations.types.Chatflow`. Flows that need a language
model point ``chatOpenAI`` at an OpenAI-compatible server (the harness's
:class:`~flowise_integrations.testing.ModelStandIn`); document stores use ``localAIEmbeddings``
on the same server and a Chroma server.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .. import Flowise
from ..flows import Catalogue, Flow, FlowNode, validate
from ..types import Assistant, Chatflow

__all__ = [
    "CONVERSATION_NODES",
    "DEFAULT_CORPUS",
    "ECHO_AGENTFLOW_NODES",
    "conversation_flow",
    "create_conversation_chatflow",
    "create_custom_assistant",
    "create_custom_function_chatflow",
    "create_document_store",
    "create_echo_agentflow",
    "create_form_agentflow",
    "create_human_input_agentflow",
    "create_model_agentflow",
    "create_rate_limited_chatflow",
    "create_retrieval_chatflow",
    "create_tool_approval_agentflow",
    "custom_function_flow",
    "echo_agentflow_graph",
    "override_config_enabled",
]

DEFAULT_CORPUS: dict[str, str] = {
    "sky.txt": "The sky looks blue because of Rayleigh scattering: air molecules scatter short blue "
    "wavelengths of sunlight far more than long red ones.",
    "photosynthesis.txt": "Photosynthesis lets plants turn sunlight, water and carbon dioxide into glucose "
    "and oxygen inside their chloroplasts.",
    "volcano.txt": "A volcano erupts when molten magma from the mantle rises through the crust and "
    "escapes as lava, ash and volcanic gas.",
    "revolution.txt": "The French Revolution began in 1789 with the storming of the Bastille and ended "
    "the absolute monarchy of Louis XVI.",
    "python.txt": "Python is a programming language whose interpreter runs code written with indentation "
    "and dynamic typing.",
}


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _catalogue(client: Flowise, *names: str) -> Catalogue:
    """The definitions of the components ``names`` (one ``GET /nodes/{name}`` each, not the whole list)."""
    return Catalogue(client.nodes.get(name).to_wire() for name in names)


def _create(client: Flowise, flow: Flow, *, name: str, **settings: Any) -> Chatflow:
    """Validate ``flow`` against the definitions it was built from, then create it."""
    validate(flow)
    flow_type = settings.pop("type", flow.kind)
    return client.chatflows.create(name=name, flow_data=flow.to_flow_data(), type=flow_type, **settings)


_STAND_IN = {"modelName": "fake-model", "temperature": 0, "streaming": True, "openAIApiKey": "sk-stand-in"}
"""``chatOpenAI`` settings for the model stand-in (any key does; it is typed into the node)."""


def _chat_model(flow: Flow, model_base_url: str) -> FlowNode:
    return flow.add("chatOpenAI", inputs={**_STAND_IN, "basepath": model_base_url})


def override_config_enabled(node_label: str, params: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """An ``apiConfig`` letting ``override_config`` set ``params`` on the node labelled ``node_label``.

    Each param is ``(label, name, type)``, e.g. ``("System Message", "systemMessagePrompt", "string")``.
    """
    return {
        "overrideConfig": {
            "status": True,
            "nodes": {
                node_label: [
                    {"label": label, "name": name, "type": kind, "enabled": True}
                    for label, name, kind in params
                ]
            },
        }
    }


ECHO_AGENTFLOW_NODES = ("startAgentflow", "directReplyAgentflow")
"""The components :func:`echo_agentflow_graph` needs definitions of (``GET /nodes/{name}``)."""


def echo_agentflow_graph(
    definitions: Mapping[str, Mapping[str, Any]],
    *,
    prefix: str = "Echo: ",
    start_inputs: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The echo agentflow's ``flowData``: Start → Direct Reply ``"<prefix>{{ question }}"``.

    ``definitions`` holds the :data:`ECHO_AGENTFLOW_NODES` definitions; ``start_inputs`` replaces the
    Start node's inputs (chat input by default), e.g. for a form-input variant.
    """
    catalogue = Catalogue(definitions.values())
    return _direct_reply_flow(catalogue, start_inputs, prefix + "{{ question }}").to_flow_data()


def _direct_reply_flow(catalogue: Catalogue, start_inputs: Mapping[str, Any] | None, message: str) -> Flow:
    flow = Flow.agentflow(catalogue)
    start = flow.add("startAgentflow", inputs=start_inputs or {"startInputType": "chatInput"})
    flow.connect(start, flow.add("directReplyAgentflow", inputs={"directReplyMessage": message}))
    validate(flow)
    return flow


def create_echo_agentflow(client: Flowise, *, name: str | None = None, prefix: str = "Echo: ") -> Chatflow:
    """An agentflow v2 with no model: Start (chat input) → Direct Reply ``"<prefix>{{ question }}"``."""
    flow = _direct_reply_flow(_catalogue(client, *ECHO_AGENTFLOW_NODES), None, prefix + "{{ question }}")
    return _create(client, flow, name=name or _name("echo-agentflow"))


def create_form_agentflow(
    client: Flowise,
    *,
    fields: Sequence[Mapping[str, Any]],
    reply: str,
    name: str | None = None,
    title: str = "Form",
) -> Chatflow:
    """An agentflow v2 with no model whose Start node takes a form: Start → Direct Reply ``reply``.

    Each field is ``{"type": "string"|"number"|"boolean"|"options", "label": ..., "name": ...}``
    (options list their choices as ``"addOptions": [{"option": ...}]``); ``reply`` names the values
    as ``{{ $form.<name> }}``.
    """
    start = {"startInputType": "formInput", "formTitle": title, "formInputTypes": [dict(f) for f in fields]}
    flow = _direct_reply_flow(_catalogue(client, *ECHO_AGENTFLOW_NODES), start, reply)
    return _create(client, flow, name=name or _name("form-agentflow"))


def _model_inputs(prefix: str, model_base_url: str) -> dict[str, Any]:
    """An agentflow model node's inputs (``llm``..., ``agent``...): ``chatOpenAI`` on the stand-in,
    with the whole conversation as memory."""
    return {
        f"{prefix}Model": "chatOpenAI",
        f"{prefix}ModelConfig": {f"{prefix}Model": "chatOpenAI", **_STAND_IN, "basepath": model_base_url},
        f"{prefix}EnableMemory": True,
        f"{prefix}MemoryType": "allMessages",
        f"{prefix}ReturnResponseAs": "userMessage",
    }


def create_model_agentflow(client: Flowise, *, model_base_url: str, name: str | None = None) -> Chatflow:
    """An agentflow v2 whose answer comes from a model: Start (chat input) → LLM (``chatOpenAI``).

    Unlike a chain, the agentflow LLM node passes Flowise's abort signal to the model call, so
    ``stream.abort()`` stops the run on the server (its LLM node fails with the abort).
    """
    flow = Flow.agentflow(_catalogue(client, "startAgentflow", "llmAgentflow"))
    start = flow.add("startAgentflow", inputs={"startInputType": "chatInput"})
    llm = flow.add("llmAgentflow", inputs=_model_inputs("llm", model_base_url))
    flow.connect(start, llm)
    return _create(client, flow, name=name or _name("model-agentflow"))


def create_human_input_agentflow(
    client: Flowise,
    *,
    name: str | None = None,
    question: str = "Approve?",
    approved: str = "Approved",
    rejected: str = "Rejected",
) -> Chatflow:
    """Start → Human Input (``question``, feedback on) → Direct Reply ``approved`` or ``rejected``.

    The run stops at the Human Input node; resuming with ``proceed`` answers ``approved`` and with
    ``reject`` answers ``rejected``.
    """
    flow = Flow.agentflow(_catalogue(client, "startAgentflow", "humanInputAgentflow", "directReplyAgentflow"))
    start = flow.add("startAgentflow", inputs={"startInputType": "chatInput"})
    ask = flow.add(
        "humanInputAgentflow",
        inputs={"humanInputDescriptionType": "fixed", "humanInputDescription": question},
    )
    yes = flow.add("directReplyAgentflow", inputs={"directReplyMessage": approved}, node_id="approved_0")
    no = flow.add("directReplyAgentflow", inputs={"directReplyMessage": rejected}, node_id="rejected_0")
    flow.connect(start, ask)
    flow.connect(ask, yes, output="proceed")
    flow.connect(ask, no, output="reject")
    return _create(client, flow, name=name or _name("human-input"))


def create_tool_approval_agentflow(
    client: Flowise, *, model_base_url: str, tool_id: str, name: str | None = None
) -> Chatflow:
    """Start → Agent (``chatOpenAI`` on ``model_base_url``) with the custom tool ``tool_id``,
    which needs a person's approval.

    When the model calls the tool the run stops (a ``tool_approval`` request); ``proceed`` runs the
    tool and asks the model again with its result, ``reject`` asks the model again without the tool.
    """
    tool = {
        "agentSelectedTool": "customTool",
        "agentSelectedToolRequiresHumanInput": True,
        "agentSelectedToolConfig": {"selectedTool": tool_id, "agentSelectedTool": "customTool"},
    }
    flow = Flow.agentflow(_catalogue(client, "startAgentflow", "agentAgentflow"))
    start = flow.add("startAgentflow", inputs={"startInputType": "chatInput"})
    agent_inputs = {**_model_inputs("agent", model_base_url), "agentTools": [tool], "agentMessages": []}
    agent = flow.add("agentAgentflow", inputs=agent_inputs)
    flow.connect(start, agent)
    return _create(client, flow, name=name or _name("tool-approval"))


def create_conversation_chatflow(
    client: Flowise,
    *,
    model_base_url: str,
    name: str | None = None,
    system_message: str = "You are a test assistant.",
) -> Chatflow:
    """ConversationChain on ``chatOpenAI`` (streaming) with Buffer Memory: memory per session.

    Its API config lets ``override_config`` set the chain's system message.
    """
    api_config = override_config_enabled(
        "Conversation Chain", [("System Message", "systemMessagePrompt", "string")]
    )
    flow = _conversation_flow(client, model_base_url, system_message)
    return _create(client, flow, name=name or _name("conversation"), api_config=api_config)


CONVERSATION_NODES = ("chatOpenAI", "bufferMemory", "conversationChain")
"""The components :func:`conversation_flow` needs definitions of."""


def conversation_flow(
    definitions: Mapping[str, Mapping[str, Any]],
    *,
    model_base_url: str,
    system_message: str = "You are a test assistant.",
    model_inputs: Mapping[str, Any] | None = None,
    credential: str | None = None,
) -> Flow:
    """ConversationChain on ``chatOpenAI`` at ``model_base_url`` with Buffer Memory, not yet created.

    ``definitions`` holds the :data:`CONVERSATION_NODES` definitions; ``model_inputs`` go to the
    chat model over the stand-in's settings (``{"allowImageUploads": True}``); with ``credential``
    (an id) the model takes its key from that stored credential instead of a typed-in one.
    """
    flow = Flow.chatflow(Catalogue(definitions.values()))
    model = _chat_model(flow, model_base_url)
    model.inputs.update(model_inputs or {})
    if credential is not None:
        del model.inputs["openAIApiKey"]
        model.credential = credential
    memory = flow.add("bufferMemory")
    chain = flow.add("conversationChain", inputs={"systemMessagePrompt": system_message})
    flow.connect(model, chain, "model")
    flow.connect(memory, chain, "memory")
    return flow


def _conversation_flow(client: Flowise, model_base_url: str, system_message: str) -> Flow:
    definitions = _catalogue(client, *CONVERSATION_NODES)
    return conversation_flow(definitions, model_base_url=model_base_url, system_message=system_message)


def create_custom_assistant(
    client: Flowise,
    *,
    model_base_url: str,
    name: str | None = None,
    instruction: str = "You are a test assistant.",
) -> tuple[Assistant, Chatflow]:
    """A custom assistant on ``chatOpenAI``: its ``ASSISTANT`` chatflow, and the assistant naming it.

    As Flowise's assistant editor saves one: a chatflow of type ``ASSISTANT`` (here a
    ConversationChain with Buffer Memory, ``instruction`` as its system message) and a ``CUSTOM``
    assistant whose details point at it (``flowId``). It answers through ``predictions`` on the
    chatflow's id; delete both when done.
    """
    assistant_name = name or _name("assistant")
    flow = _conversation_flow(client, model_base_url, instruction)
    chatflow = _create(client, flow, name=assistant_name, type="ASSISTANT")
    details = {
        "name": assistant_name,
        "instruction": instruction,
        "flowId": chatflow.id,
        "chatModel": {"name": "chatOpenAI", "basepath": model_base_url},
        "documentStores": [],
        "tools": [],
    }
    return client.assistants.create(details=details, type="CUSTOM"), chatflow


def create_custom_function_chatflow(
    client: Flowise, *, name: str | None = None, code: str = "return 'Echo: ' + $input;"
) -> Chatflow:
    """A single Custom JS Function ending node: no model, and not streamable (answers JSON)."""
    flow = custom_function_flow(_catalogue(client, "customFunction"), code=code)
    return _create(client, flow, name=name or _name("custom-function"))


def custom_function_flow(
    definitions: Mapping[str, Mapping[str, Any]], *, code: str = "return 'Echo: ' + $input;"
) -> Flow:
    """One Custom JS Function ending node running ``code``, not yet created (needs its definition)."""
    flow = Flow.chatflow(Catalogue(definitions.values()))
    flow.add("customFunction", inputs={"javascriptFunction": code}, output="EndingNode")
    return flow


def create_rate_limited_chatflow(
    client: Flowise,
    *,
    limit: int = 2,
    window_seconds: int = 60,
    message: str = "Too many requests, slow down",
) -> Chatflow:
    """The echo agentflow limited to ``limit`` predictions per ``window_seconds``.

    Flowise registers a flow's limiter only when the flow is updated, so the limit is set by an
    update after creation.
    """
    created = create_echo_agentflow(client, name=_name("rate-limited"))
    api_config = {
        "rateLimit": {
            "status": True,
            "limitMax": str(limit),
            "limitDuration": str(window_seconds),
            "limitMsg": message,
        }
    }
    return client.chatflows.update(created.id, api_config=api_config)


def create_document_store(
    client: Flowise,
    *,
    model_base_url: str,
    chroma_url: str,
    corpus: Mapping[str, str] | None = None,
    name: str | None = None,
) -> tuple[str, list[Any]]:
    """A document store holding ``corpus`` (file name → text), one loader per document.

    Embeddings come from ``localAIEmbeddings`` on ``model_base_url``, vectors go to Chroma at
    ``chroma_url`` in a collection of the store's own. Returns the store id and the upsert results.
    """
    store = client.document_stores.create(
        name=name or _name("docstore"), description="flowise-integrations corpus"
    )
    collection = f"c{uuid.uuid4().hex[:12]}"
    results = [
        client.document_stores.upsert(
            store.id,
            loader={
                "name": "plainText",
                "config": {"text": text, "metadata": json.dumps({"source": source})},
            },
            splitter={
                "name": "recursiveCharacterTextSplitter",
                "config": {"chunkSize": 500, "chunkOverlap": 20},
            },
            embedding={
                "name": "localAIEmbeddings",
                "config": {"basePath": model_base_url, "modelName": "stand-in"},
            },
            vector_store={
                "name": "chroma",
                "config": {"collectionName": collection, "chromaURL": chroma_url, "topK": 4},
            },
            metadata={"source": source},
        )
        for source, text in (corpus or DEFAULT_CORPUS).items()
    ]
    return store.id, results


def create_retrieval_chatflow(
    client: Flowise, *, model_base_url: str, store_id: str, name: str | None = None
) -> Chatflow:
    """Conversational retrieval QA over a document store, returning its source documents."""
    flow = Flow.chatflow(
        _catalogue(client, "chatOpenAI", "documentStoreVS", "conversationalRetrievalQAChain")
    )
    model = _chat_model(flow, model_base_url)
    store = flow.add("documentStoreVS", inputs={"selectedStore": store_id}, output="retriever")
    chain = flow.add("conversationalRetrievalQAChain", inputs={"returnSourceDocuments": True})
    flow.connect(model, chain, "model")
    flow.connect(store, chain, "vectorStoreRetriever")
    return _create(client, flow, name=name or _name("retrieval"))
