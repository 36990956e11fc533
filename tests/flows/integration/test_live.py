"""Flows built in Python, created on a real Flowise and run; and every flow the server holds or
ships as a template, loaded and saved unchanged and checked against the server's catalogue."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flowise_integrations import AsyncFlowise, Flowise
from flowise_integrations.flows import (
    Catalogue,
    Flow,
    FlowBuildError,
    FlowValidationError,
    credential_id,
    diff,
    problems,
    validate,
)
from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.types import Chatflow, HumanInput

pytestmark = pytest.mark.timeout(300)

# The templates Flowise 3.1.4 ships whose flows are wrong on the server that ships them (beyond
# fields a user fills in: credentials, files, keys): what docs/flows.md lists, and why.
BROKEN_TEMPLATES = {
    "Chatflow: CSV Agent": [
        "csvAgent_0: Flowise has no node named 'csvAgent'; did you mean 'seqAgent', 'xmlAgent'?"
    ],
    "Chatflow: ReAct Agent": ["reactAgentChat_0: Flowise has no node named 'reactAgentChat'"],
    "Chatflow: Context Chat Engine": [
        "pineconeLlamaIndex_0: has no output 'pineconeLlamaIndex_0-output-pineconeLlamaIndex-Pinecone|"
        "VectorIndexRetriever' (an edge to contextChatEngine_0)"
    ],
    "Chatflow: Query Engine": [
        "pineconeLlamaIndex_0: has no output 'pineconeLlamaIndex_0-output-pineconeLlamaIndex-Pinecone|"
        "VectorIndexRetriever' (an edge to queryEngine_0)"
    ],
    "AgentflowV2: Deep Research With Subagents": ["agentAgentflow_1", "conditionAgentAgentflow_0"],
    "AgentflowV2: Human In The Loop": ["toolAgentflow_0"],
    "AgentflowV2: SQL Agent": ["llmAgentflow_1", "loopAgentflow_1"],
}
"""Template → its problems (for the agentflows, the nodes holding a stray ``undefined`` input)."""


@pytest.fixture(scope="module")
def catalogue(flowise_client: Flowise) -> Catalogue:
    return Catalogue.from_client(flowise_client)


@pytest.fixture
def created(flowise_client: Flowise) -> Iterator[list[Chatflow]]:
    """Flows a test creates, deleted after it."""
    made: list[Chatflow] = []
    yield made
    for flow in made:
        flowise_client.chatflows.delete(flow.id)


@pytest.fixture
def stand_in_key(flowise_client: Flowise) -> Iterator[str]:
    """A stored OpenAI credential (any key does for the stand-in), by name."""
    credential = flowise_client.credentials.create(
        name="flows stand-in key", credential_name="openAIApi", data={"openAIApiKey": "sk-stand-in"}
    )
    yield credential.name
    flowise_client.credentials.delete(credential.id)


async def test_the_catalogue_is_every_node_the_server_has(
    catalogue: Catalogue, async_flowise_client: AsyncFlowise
) -> None:
    from_async = await Catalogue.afrom_client(async_flowise_client)

    assert sorted(from_async) == sorted(catalogue)
    assert len(catalogue) > 250
    assert catalogue.version == "3.1.4"
    assert {"chatOpenAI", "conversationChain", "startAgentflow", "humanInputAgentflow"} <= set(catalogue)


def test_a_chain_built_in_python_answers(
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    catalogue: Catalogue,
    created: list[Chatflow],
    stand_in_key: str,
    flowise_model: ModelStandIn,
) -> None:
    credentials = flowise_client.credentials.list()
    flow = Flow.chatflow(catalogue)
    model = flow.add(
        "chatOpenAI",
        inputs={"modelName": "fake-model", "basepath": flowise_stack.model_base_url},
        credential=credential_id(credentials, stand_in_key),
    )
    chain = flow.add("conversationChain", inputs={"systemMessagePrompt": "Answer in one line."})
    flow.connect(model, chain)
    flow.connect(flow.add("bufferMemory"), chain, "memory")
    validate(flow, credentials=credentials)

    chatflow = flowise_client.chatflows.create(
        name="flows chain", flow_data=flow.to_flow_data(), type="CHATFLOW"
    )
    created.append(chatflow)
    answer = flowise_client.predictions.create(chatflow.id, "built in Python?")

    assert answer.text == "FAKE: built in Python?"
    (request,) = flowise_model.chat_requests()
    assert request["messages"][0] == {"role": "system", "content": "Answer in one line."}
    # What the server stored is what was built.
    assert diff(flow, Flow.from_flow_data(flowise_client.chatflows.get(chatflow.id).flow_data or {})) == []


def test_an_agentflow_with_a_condition_and_a_human_input_node_runs_each_branch(
    flowise_client: Flowise, catalogue: Catalogue, created: list[Chatflow]
) -> None:
    flow = Flow.agentflow(catalogue)
    start = flow.add("startAgentflow", inputs={"startInputType": "chatInput"})
    urgent = {"type": "string", "value1": "{{ question }}", "operation": "contains", "value2": "urgent"}
    triage = flow.add("conditionAgentflow", inputs={"conditions": [urgent]})
    ask = flow.add(
        "humanInputAgentflow",
        inputs={"humanInputDescriptionType": "fixed", "humanInputDescription": "Escalate?"},
    )
    flow.connect(start, triage)
    flow.connect(triage, ask, output=0)
    flow.connect(triage, flow.add("directReplyAgentflow", inputs={"directReplyMessage": "Routine"}), output=1)
    flow.connect(
        ask, flow.add("directReplyAgentflow", inputs={"directReplyMessage": "Escalated"}), output="proceed"
    )
    flow.connect(
        ask, flow.add("directReplyAgentflow", inputs={"directReplyMessage": "Dropped"}), output="reject"
    )
    validate(flow)

    chatflow = flowise_client.chatflows.create(
        name="flows triage", flow_data=flow.to_flow_data(), type="AGENTFLOW"
    )
    created.append(chatflow)
    routine = flowise_client.predictions.create(chatflow.id, "a question")
    stopped = flowise_client.predictions.create(chatflow.id, "urgent: the site is down")
    resumed = flowise_client.predictions.create(
        chatflow.id, chat_id=stopped.chat_id, human_input=HumanInput(type="proceed")
    )
    stopped_again = flowise_client.predictions.create(chatflow.id, "urgent: again")
    rejected = flowise_client.predictions.create(
        chatflow.id, chat_id=stopped_again.chat_id, human_input=HumanInput(type="reject")
    )

    assert routine.text == "Routine"
    assert stopped.text.strip() == "Escalate?"
    assert (resumed.text, rejected.text) == ("Escalated", "Dropped")


def test_a_document_store_rag_flow_built_in_python_cites_its_sources(
    flowise_client: Flowise,
    flowise_stack: LocalStack,
    catalogue: Catalogue,
    created: list[Chatflow],
    document_store: str,
) -> None:
    flow = Flow.chatflow(catalogue)
    model = flow.add(
        "chatOpenAI",
        inputs={
            "modelName": "fake-model",
            "basepath": flowise_stack.model_base_url,
            "openAIApiKey": "sk-stand-in",
        },
    )
    store = flow.add("documentStoreVS", inputs={"selectedStore": document_store}, output="retriever")
    qa = flow.add("conversationalRetrievalQAChain", inputs={"returnSourceDocuments": True})
    flow.connect(model, qa, "model")
    flow.connect(store, qa)  # the only input a retriever fits
    validate(flow)

    chatflow = flowise_client.chatflows.create(
        name="flows rag", flow_data=flow.to_flow_data(), type="CHATFLOW"
    )
    created.append(chatflow)
    answer = flowise_client.predictions.create(chatflow.id, "Why is the sky blue?")

    assert answer.text == "FAKE: Why is the sky blue?"
    assert "sky.txt" in {doc.metadata.get("source") for doc in answer.source_documents}


def test_an_invalid_flow_is_refused_before_upload(flowise_client: Flowise, catalogue: Catalogue) -> None:
    flow = Flow.chatflow(catalogue)
    model = flow.add(
        "chatOpenAI", inputs={"modelName": "fake-model", "temperature": "hot", "openAIApiKey": "sk-x"}
    )
    flow.connect(model, flow.add("conversationChain"), "model")
    before = len(flowise_client.chatflows.list())

    with pytest.raises(FlowValidationError) as caught:
        validate(flow)

    assert [str(problem) for problem in caught.value.problems] == [
        "chatOpenAI_0 input 'temperature': must be a number, not 'hot'",
        "conversationChain_0 input 'memory': needs a connection: a BaseMemory",
    ]
    assert len(flowise_client.chatflows.list()) == before
    with pytest.raises(FlowBuildError, match="no credential is named 'nobody'"):
        credential_id(flowise_client.credentials.list(), "nobody")


def test_every_flow_on_the_server_loads_and_saves_unchanged(
    flowise_client: Flowise,
    echo_agentflow: Chatflow,
    conversation_chatflow: Chatflow,
    human_input_agentflow: Chatflow,
) -> None:
    stored = [flow for flow in flowise_client.chatflows.list() if flow.flow_data]
    assert {echo_agentflow.id, conversation_chatflow.id, human_input_agentflow.id} <= {
        flow.id for flow in stored
    }

    for chatflow in stored:
        assert Flow.from_flow_data(chatflow.flow_data_json or "").to_flow_data() == chatflow.flow_data


def test_every_marketplace_template_loads_saves_unchanged_and_is_checked(
    flowise_client: Flowise, catalogue: Catalogue
) -> None:
    templates = [t for t in flowise_client.marketplace.list_templates() if t.flow_data]
    broken: dict[str, list[str]] = {}

    for template in templates:
        flow = Flow.from_flow_data(template.flow_data or {}, catalogue=catalogue)
        assert flow.to_flow_data() == template.flow_data, template.template_name
        invalid = [str(problem) for problem in problems(flow) if problem.kind == "invalid"]
        if invalid:
            broken[f"{template.type}: {template.template_name}"] = invalid

    counts = {kind: sum(t.type == kind for t in templates) for kind in ("Chatflow", "AgentflowV2")}
    print(
        f"\n{len(templates)} templates round-tripped {counts}; {len(broken)} with problems: {sorted(broken)}"
    )
    assert counts == {"Chatflow": 24, "AgentflowV2": 13}
    assert sorted(broken) == sorted(BROKEN_TEMPLATES)
    for name, found in broken.items():
        expected = BROKEN_TEMPLATES[name]
        if name.startswith("AgentflowV2"):
            assert [problem.split(" ")[0] for problem in found] == expected, name
            assert all("input 'undefined'" in problem for problem in found), name
        else:
            assert found == expected, name
