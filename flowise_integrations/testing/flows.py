"""Test flows, created on a Flowise server through the client.

Each builder creates one chatflow or agentflow from the server's own node definitions and
returns the created :class:`~flowise_integrations.types.Chatflow`. Flows that need a language
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
from ..types import Assistant, Chatflow
from ._flowdata import edge, flow, node, ref

__all__ = [
    "DEFAULT_CORPUS",
    "ECHO_AGENTFLOW_NODES",
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


def _definitions(client: Flowise, *names: str) -> dict[str, dict[str, Any]]:
    return {name: client.nodes.get(name).to_wire() for name in names}


def _chat_model(definitions: Mapping[str, Mapping[str, Any]], model_base_url: str) -> dict[str, Any]:
    return node(
        definitions["chatOpenAI"],
        "chatOpenAI_0",
        inputs={
            "modelName": "fake-model",
            "temperature": 0,
            "streaming": True,
            "basepath": model_base_url,
            "openAIApiKey": "sk-stand-in",
        },
    )


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


def _start_node(
    definitions: Mapping[str, Mapping[str, Any]], inputs: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    return node(
        definitions["startAgentflow"],
        "startAgentflow_0",
        inputs=inputs or {"startInputType": "chatInput"},
        node_type="agentFlow",
    )


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
    return _direct_reply_graph(definitions, start_inputs, prefix + "{{ question }}")


def _direct_reply_graph(
    definitions: Mapping[str, Mapping[str, Any]], start_inputs: Mapping[str, Any] | None, message: str
) -> dict[str, Any]:
    return flow(
        [
            _start_node(definitions, start_inputs),
            node(
                definitions["directReplyAgentflow"],
                "directReplyAgentflow_0",
                inputs={"directReplyMessage": message},
                node_type="agentFlow",
                position=(300, 0),
            ),
        ],
        [edge("startAgentflow_0", "directReplyAgentflow_0", node_type="agentFlow")],
    )


def create_echo_agentflow(client: Flowise, *, name: str | None = None, prefix: str = "Echo: ") -> Chatflow:
    """An agentflow v2 with no model: Start (chat input) → Direct Reply ``"<prefix>{{ question }}"``."""
    graph = echo_agentflow_graph(_definitions(client, *ECHO_AGENTFLOW_NODES), prefix=prefix)
    return client.chatflows.create(name=name or _name("echo-agentflow"), flow_data=graph, type="AGENTFLOW")


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
    graph = _direct_reply_graph(_definitions(client, *ECHO_AGENTFLOW_NODES), start, reply)
    return client.chatflows.create(name=name or _name("form-agentflow"), flow_data=graph, type="AGENTFLOW")


def _model_config(model_base_url: str, key: str) -> dict[str, Any]:
    """An agentflow node's ``chatOpenAI`` settings on the model at ``model_base_url``."""
    return {
        key: "chatOpenAI",
        "modelName": "fake-model",
        "temperature": 0,
        "streaming": True,
        "basepath": model_base_url,
        "openAIApiKey": "sk-stand-in",
    }


def create_model_agentflow(client: Flowise, *, model_base_url: str, name: str | None = None) -> Chatflow:
    """An agentflow v2 whose answer comes from a model: Start (chat input) → LLM (``chatOpenAI``).

    Unlike a chain, the agentflow LLM node passes Flowise's abort signal to the model call, so
    ``stream.abort()`` stops the run on the server (its LLM node fails with the abort).
    """
    defs = _definitions(client, "startAgentflow", "llmAgentflow")
    graph = flow(
        [
            _start_node(defs),
            node(
                defs["llmAgentflow"],
                "llmAgentflow_0",
                inputs={
                    "llmModel": "chatOpenAI",
                    "llmModelConfig": _model_config(model_base_url, "llmModel"),
                    "llmEnableMemory": True,
                    "llmMemoryType": "allMessages",
                    "llmReturnResponseAs": "userMessage",
                },
                node_type="agentFlow",
                position=(300, 0),
            ),
        ],
        [edge("startAgentflow_0", "llmAgentflow_0", node_type="agentFlow")],
    )
    return client.chatflows.create(name=name or _name("model-agentflow"), flow_data=graph, type="AGENTFLOW")


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
    defs = _definitions(client, "startAgentflow", "humanInputAgentflow", "directReplyAgentflow")
    reply = defs["directReplyAgentflow"]
    graph = flow(
        [
            _start_node(defs),
            node(
                defs["humanInputAgentflow"],
                "humanInputAgentflow_0",
                inputs={"humanInputDescriptionType": "fixed", "humanInputDescription": question},
                node_type="agentFlow",
                position=(300, 0),
            ),
            node(
                reply,
                "approved_0",
                inputs={"directReplyMessage": approved},
                node_type="agentFlow",
                position=(600, -100),
            ),
            node(
                reply,
                "rejected_0",
                inputs={"directReplyMessage": rejected},
                node_type="agentFlow",
                position=(600, 100),
            ),
        ],
        [
            edge("startAgentflow_0", "humanInputAgentflow_0", node_type="agentFlow"),
            # The Human Input node's branches are its outputs by index: 0 = proceed, 1 = reject.
            {
                **edge("humanInputAgentflow_0", "approved_0", node_type="agentFlow"),
                "sourceHandle": "humanInputAgentflow_0-output-0",
            },
            {
                **edge("humanInputAgentflow_0", "rejected_0", node_type="agentFlow"),
                "sourceHandle": "humanInputAgentflow_0-output-1",
            },
        ],
    )
    return client.chatflows.create(name=name or _name("human-input"), flow_data=graph, type="AGENTFLOW")


def create_tool_approval_agentflow(
    client: Flowise, *, model_base_url: str, tool_id: str, name: str | None = None
) -> Chatflow:
    """Start → Agent (``chatOpenAI`` on ``model_base_url``) with the custom tool ``tool_id``,
    which needs a person's approval.

    When the model calls the tool the run stops (a ``tool_approval`` request); ``proceed`` runs the
    tool and asks the model again with its result, ``reject`` asks the model again without the tool.
    """
    defs = _definitions(client, "startAgentflow", "agentAgentflow")
    tool = {
        "agentSelectedTool": "customTool",
        "agentSelectedToolRequiresHumanInput": True,
        "agentSelectedToolConfig": {"selectedTool": tool_id, "agentSelectedTool": "customTool"},
    }
    graph = flow(
        [
            _start_node(defs),
            node(
                defs["agentAgentflow"],
                "agentAgentflow_0",
                inputs={
                    "agentModel": "chatOpenAI",
                    "agentModelConfig": _model_config(model_base_url, "agentModel"),
                    "agentTools": [tool],
                    "agentMessages": [],
                    "agentEnableMemory": True,
                    "agentMemoryType": "allMessages",
                    "agentReturnResponseAs": "userMessage",
                },
                node_type="agentFlow",
                position=(300, 0),
            ),
        ],
        [edge("startAgentflow_0", "agentAgentflow_0", node_type="agentFlow")],
    )
    return client.chatflows.create(name=name or _name("tool-approval"), flow_data=graph, type="AGENTFLOW")


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
    return client.chatflows.create(
        name=name or _name("conversation"),
        flow_data=_conversation_graph(client, model_base_url, system_message),
        type="CHATFLOW",
        api_config=api_config,
    )


def _conversation_graph(client: Flowise, model_base_url: str, system_message: str) -> dict[str, Any]:
    defs = _definitions(client, "chatOpenAI", "bufferMemory", "conversationChain")
    return flow(
        [
            _chat_model(defs, model_base_url),
            node(defs["bufferMemory"], "bufferMemory_0"),
            node(
                defs["conversationChain"],
                "conversationChain_0",
                inputs={
                    "model": ref("chatOpenAI_0"),
                    "memory": ref("bufferMemory_0"),
                    "systemMessagePrompt": system_message,
                },
            ),
        ],
        [edge("chatOpenAI_0", "conversationChain_0"), edge("bufferMemory_0", "conversationChain_0")],
    )


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
    chatflow = client.chatflows.create(
        name=assistant_name,
        flow_data=_conversation_graph(client, model_base_url, instruction),
        type="ASSISTANT",
    )
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
    defs = _definitions(client, "customFunction")
    graph = flow(
        [
            node(
                defs["customFunction"],
                "customFunction_0",
                inputs={"javascriptFunction": code},
                output="EndingNode",
            )
        ],
        [],
    )
    return client.chatflows.create(name=name or _name("custom-function"), flow_data=graph, type="CHATFLOW")


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
    defs = _definitions(client, "chatOpenAI", "documentStoreVS", "conversationalRetrievalQAChain")
    graph = flow(
        [
            _chat_model(defs, model_base_url),
            node(
                defs["documentStoreVS"],
                "documentStoreVS_0",
                inputs={"selectedStore": store_id},
                output="retriever",
            ),
            node(
                defs["conversationalRetrievalQAChain"],
                "conversationalRetrievalQAChain_0",
                inputs={
                    "model": ref("chatOpenAI_0"),
                    "vectorStoreRetriever": ref("documentStoreVS_0"),
                    "returnSourceDocuments": True,
                },
            ),
        ],
        [
            edge("chatOpenAI_0", "conversationalRetrievalQAChain_0"),
            edge("documentStoreVS_0", "conversationalRetrievalQAChain_0"),
        ],
    )
    return client.chatflows.create(name=name or _name("retrieval"), flow_data=graph, type="CHATFLOW")
