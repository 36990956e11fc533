"""Validation against node definitions recorded from Flowise 3.1.4: each problem names where and what."""

from __future__ import annotations

import pytest

from flowise_integrations.flows import Catalogue, Flow, FlowValidationError, Problem, problems, validate
from flowise_integrations.types import Credential
from tests.unit.recorded import recorded_body


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(recorded_body("nodes/catalogue"), version="3.1.4")


def _chain(catalogue: Catalogue, *, memory: bool = True) -> Flow:
    flow = Flow.chatflow(catalogue)
    model = flow.add("chatOpenAI", inputs={"modelName": "gpt-4o-mini"}, credential="cred-openai")
    chain = flow.add("conversationChain")
    flow.connect(model, chain, "model")
    if memory:
        flow.connect(flow.add("bufferMemory"), chain, "memory")
    return flow


def _credential(credential_id: str, kind: str) -> Credential:
    return Credential.model_validate({"id": credential_id, "name": f"my {kind}", "credentialName": kind})


def test_a_complete_chain_has_no_problems(catalogue: Catalogue) -> None:
    flow = _chain(catalogue)

    assert problems(flow, credentials=[_credential("cred-openai", "openAIApi")]) == []
    validate(flow)  # no credentials given: their existence is not checked


def test_every_problem_names_the_node_the_input_and_what_was_expected(catalogue: Catalogue) -> None:
    flow = _chain(catalogue, memory=False)
    model = flow.node("chatOpenAI_0")
    model["temperature"] = "warm"
    model["streaming"] = "yes"
    chain = flow.node("conversationChain_0")
    chain["systemMessagePromt"] = "typo"  # conversationChain takes no credential: unknown inputs are errors
    flow.add("customFunction", inputs={"javascriptFunction": ""})

    found = problems(flow, credentials=[_credential("cred-openai", "anthropicApi")])

    assert [str(problem) for problem in found] == [
        "chatOpenAI_0 input 'temperature': must be a number, not 'warm'",
        "chatOpenAI_0 input 'streaming': must be true or false, not 'yes'",
        "chatOpenAI_0 input 'credential': needs a credential of kind openAIApi, not 'anthropicApi'"
        " ('my anthropicApi')",
        "conversationChain_0 input 'systemMessagePromt': conversationChain has no such input; its inputs: "
        "['chatPromptTemplate', 'inputModeration', 'memory', 'model', 'systemMessagePrompt']",
        "customFunction_0 input 'javascriptFunction': is required (Javascript Function)",
        "conversationChain_0 input 'memory': needs a connection: a BaseMemory",
        "the flow: needs exactly one ending node (one nothing else takes from), has "
        "['conversationChain_0', 'customFunction_0']",
    ]
    kinds = {(problem.node_id, problem.input): problem.kind for problem in found}
    assert kinds[("customFunction_0", "javascriptFunction")] == "missing"
    assert kinds[("conversationChain_0", "memory")] == "missing"
    assert kinds[("chatOpenAI_0", "temperature")] == "invalid"
    with pytest.raises(FlowValidationError) as caught:
        validate(flow)
    assert caught.value.problems == problems(flow)
    assert str(caught.value).startswith(
        f"the flow has {len(caught.value.problems)} problem(s):\n- chatOpenAI_0"
    )


def test_options_and_variables(catalogue: Catalogue) -> None:
    flow = Flow.agentflow(catalogue)
    start = flow.add("startAgentflow", inputs={"startInputType": "voiceInput"})
    reply = flow.add("directReplyAgentflow", inputs={"directReplyMessage": "{{ question }}"})
    flow.connect(start, reply)

    (problem,) = problems(flow)

    assert problem == Problem(
        "startAgentflow_0",
        "must be one of ['chatInput', 'formInput', 'webhookTrigger', 'scheduleInput'], not 'voiceInput'",
        "startInputType",
    )


def test_a_credential_the_server_lacks_or_none_at_all(catalogue: Catalogue) -> None:
    flow = _chain(catalogue)

    (unknown,) = problems(flow, credentials=[])
    flow.node("chatOpenAI_0").credential = None
    (missing,) = problems(flow, credentials=[])
    flow.node("chatOpenAI_0")["openAIApiKey"] = "sk-typed-in"  # a credential field typed into the node
    assert problems(flow, credentials=[]) == []

    assert (
        str(unknown)
        == "chatOpenAI_0 input 'credential': names credential 'cred-openai', which the server does not have"
    )
    assert (str(missing), missing.kind) == (
        "chatOpenAI_0 input 'credential': needs a credential of kind openAIApi",
        "missing",
    )


def test_broken_edges_and_shapes(catalogue: Catalogue) -> None:
    data = _chain(catalogue).to_flow_data()
    data["edges"][0]["targetHandle"] = "conversationChain_0-input-memory-BaseMemory"  # the model into memory
    data["edges"].append(
        {"source": "ghost_0", "target": "conversationChain_0", "sourceHandle": "x", "targetHandle": "y"}
    )
    data["nodes"].append(
        {"id": "mystery_0", "type": "customNode", "data": {"name": "mysteryNode", "inputs": {}}}
    )

    found = [str(problem) for problem in problems(Flow.from_flow_data(data), catalogue)]

    assert "mystery_0: Flowise has no node named 'mysteryNode'" in found
    assert (
        "conversationChain_0 input 'memory': takes BaseMemory, but chatOpenAI_0 gives "
        "BaseChatModel | BaseChatOpenAI | BaseLanguageModel | ChatOpenAI | Runnable" in found
    )
    assert "the flow: an edge ghost_0 -> conversationChain_0 names 'ghost_0', which is not a node" in found
    assert "conversationChain_0 input 'model': needs a connection: a BaseChatModel" in found


def test_an_agentflow_needs_one_start(catalogue: Catalogue) -> None:
    flow = Flow.agentflow(catalogue)
    flow.add("directReplyAgentflow", inputs={"directReplyMessage": "hi"})

    assert [str(p) for p in problems(flow)] == [
        "the flow: needs exactly one Start node (startAgentflow), has 0"
    ]
    assert [str(p) for p in problems(Flow.agentflow(catalogue))] == ["the flow: has no nodes"]


def test_validating_needs_a_catalogue() -> None:
    with pytest.raises(ValueError, match="validating needs a catalogue"):
        problems(Flow.from_flow_data({"nodes": [], "edges": []}))
