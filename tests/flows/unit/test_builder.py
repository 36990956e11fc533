"""Building, loading and saving flows offline, from node definitions recorded from Flowise 3.1.4."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flowise_integrations.flows
from flowise_integrations.flows import Catalogue, Flow, FlowBuildError, UnknownNodeError, diff, ref
from tests.unit.recorded import recorded_body


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(recorded_body("nodes/catalogue"), version="3.1.4")


def _chain(catalogue: Catalogue) -> Flow:
    flow = Flow.chatflow(catalogue)
    model = flow.add(
        "chatOpenAI", inputs={"modelName": "gpt-4o-mini", "temperature": 0.2}, credential="cred-1"
    )
    memory = flow.add("bufferMemory")
    chain = flow.add("conversationChain", inputs={"systemMessagePrompt": "Be brief."})
    flow.connect(model, chain)  # the only input a chat model fits
    flow.connect(memory, chain, "memory")
    return flow


def test_all_is_the_public_surface() -> None:
    module = flowise_integrations.flows
    assert sorted(module.__all__) == module.__all__
    for name in module.__all__:
        assert hasattr(module, name)


def test_a_chain_is_what_the_editor_would_save(catalogue: Catalogue) -> None:
    data = _chain(catalogue).to_flow_data()

    assert [node["id"] for node in data["nodes"]] == ["chatOpenAI_0", "bufferMemory_0", "conversationChain_0"]
    model, _, chain = (node["data"] for node in data["nodes"])
    assert model["inputs"]["modelName"] == "gpt-4o-mini"
    assert model["credential"] == "cred-1"
    assert model["inputParams"][0]["name"] == "credential"  # the credential slot comes first
    assert chain["inputs"]["model"] == ref("chatOpenAI_0") == "{{chatOpenAI_0.data.instance}}"
    assert chain["inputs"]["memory"] == "{{bufferMemory_0.data.instance}}"
    assert {a["name"] for a in chain["inputAnchors"]} >= {"model", "memory"}
    assert all(p["type"] != "BaseChatModel" for p in chain["inputParams"])
    (to_model, to_memory) = data["edges"]
    assert to_model["sourceHandle"] == model["outputAnchors"][0]["id"]
    assert to_model["sourceHandle"].startswith("chatOpenAI_0-output-chatOpenAI-ChatOpenAI|")
    assert to_model["targetHandle"] == "conversationChain_0-input-model-BaseChatModel"
    assert (
        to_model["id"]
        == f"chatOpenAI_0-{to_model['sourceHandle']}-conversationChain_0-{to_model['targetHandle']}"
    )
    assert to_memory["type"] == "buttonedge"
    # Laid out left to right: the chain is a column after what feeds it.
    positions = {node["id"]: node["position"] for node in data["nodes"]}
    assert positions["conversationChain_0"]["x"] > positions["chatOpenAI_0"]["x"]
    assert positions["chatOpenAI_0"]["x"] == positions["bufferMemory_0"]["x"]


def test_connections_that_cannot_be_made_say_why(catalogue: Catalogue) -> None:
    flow = Flow.chatflow(catalogue)
    model = flow.add("chatOpenAI")
    memory = flow.add("bufferMemory")
    chain = flow.add("conversationChain")

    with pytest.raises(FlowBuildError, match=r"conversationChain_0 has no input 'llm'.*'model'"):
        flow.connect(model, chain, "llm")
    with pytest.raises(
        FlowBuildError, match="say which input of bufferMemory_0 chatOpenAI_0 goes into: none takes"
    ):
        flow.connect(model, memory)
    with pytest.raises(FlowBuildError, match="the flow has no node 'nope_0'"):
        flow.connect("nope_0", chain)
    flow.connect(model, chain, "model")
    with pytest.raises(FlowBuildError, match="already connected"):
        flow.connect(model, chain, "model")
    with pytest.raises(UnknownNodeError, match="no node named 'chatOpenAi'; did you mean 'chatOpenAI'"):
        flow.add("chatOpenAi")


def test_an_agentflow_branches_by_name_or_index(catalogue: Catalogue) -> None:
    flow = Flow.agentflow(catalogue)
    start = flow.add("startAgentflow")
    conditions = [
        {"type": "string", "value1": "{{ question }}", "operation": "contains", "value2": "urgent"},
        {"type": "string", "value1": "{{ question }}", "operation": "contains", "value2": "later"},
    ]
    check = flow.add("conditionAgentflow", inputs={"conditions": conditions})
    ask = flow.add(
        "humanInputAgentflow", inputs={"humanInputDescriptionType": "fixed", "humanInputDescription": "Go?"}
    )
    yes, no, later, routine = (
        flow.add("directReplyAgentflow", inputs={"directReplyMessage": m}) for m in "ABCD"
    )
    flow.connect(start, check)
    flow.connect(check, ask, output=0)
    flow.connect(check, later, output=1)
    flow.connect(check, routine, output=2)  # the else branch
    flow.connect(ask, yes, output="proceed")
    flow.connect(ask, no, output="reject")

    data = flow.to_flow_data()
    assert all(node["type"] == "agentFlow" for node in data["nodes"])
    anchors = [a["id"] for a in flow.node("conditionAgentflow_0").data["outputAnchors"]]
    assert anchors == [f"conditionAgentflow_0-output-{i}" for i in range(3)]  # two conditions and the else
    by_target = {edge["target"]: edge for edge in data["edges"]}
    assert by_target["humanInputAgentflow_0"]["sourceHandle"] == "conditionAgentflow_0-output-0"
    assert by_target["humanInputAgentflow_0"]["targetHandle"] == "humanInputAgentflow_0"
    assert by_target[yes.id]["sourceHandle"] == "humanInputAgentflow_0-output-0"
    assert by_target[yes.id]["data"] == {
        "sourceColor": ask.data["color"],
        "targetColor": yes.data["color"],
        "isHumanInput": True,
        "edgeLabel": "proceed",
    }
    assert by_target[no.id]["sourceHandle"] == "humanInputAgentflow_0-output-1"
    with pytest.raises(FlowBuildError, match=r"has 2 branches \(\['proceed', 'reject'\]\): say which"):
        flow.connect(ask, routine)
    with pytest.raises(FlowBuildError, match="no branch 'maybe'"):
        flow.connect(ask, routine, output="maybe")
    with pytest.raises(
        FlowBuildError, match="directReplyAgentflow_0 \\(directReplyAgentflow\\) has no output"
    ):
        flow.connect(yes, routine)


def test_removing_a_node_takes_its_edges_and_references(catalogue: Catalogue) -> None:
    flow = _chain(catalogue)

    flow.remove("bufferMemory_0")

    assert [node.id for node in flow.nodes] == ["chatOpenAI_0", "conversationChain_0"]
    assert [edge.source for edge in flow.edges] == ["chatOpenAI_0"]
    assert flow.node("conversationChain_0")["memory"] == ""


def test_flow_data_loads_and_saves_unchanged() -> None:
    stored = recorded_body("chatflows/get")["flowData"]

    flow = Flow.from_flow_data(stored)

    assert json.loads(flow.to_json()) == json.loads(stored)
    assert flow.to_flow_data() == json.loads(stored)
    assert flow.kind == "AGENTFLOW"  # its nodes are agentflow nodes


def test_diff_says_what_changed_in_words(catalogue: Catalogue) -> None:
    old = _chain(catalogue)
    new = Flow.from_flow_data(old.to_flow_data(), catalogue=catalogue)
    new.node("chatOpenAI_0")["temperature"] = 0.7
    new.node("chatOpenAI_0").credential = "cred-2"
    new.remove("bufferMemory_0")
    new.add("customFunction", inputs={"javascriptFunction": "return 1;"})
    new.node("chatOpenAI_0").position = (999.0, 999.0)  # moving a node is not a change

    assert diff(old, new) == [
        "added node customFunction_0 (customFunction)",
        "removed node bufferMemory_0 (bufferMemory)",
        "chatOpenAI_0: credential cred-1 -> cred-2",
        "chatOpenAI_0.temperature: 0.2 -> 0.7",
        "conversationChain_0.memory: '{{bufferMemory_0.data.instance}}' -> ''",
        "disconnected bufferMemory_0 -> conversationChain_0"
        " (bufferMemory_0-output-bufferMemory-BufferMemory|BaseChatMemory|BaseMemory)",
    ]
    assert diff(old, Flow.from_flow_data(old.to_flow_data())) == []


def test_a_catalogue_snapshot_saves_and_loads(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"

    catalogue.save(path)
    loaded = Catalogue.load(path)

    assert loaded.version == "3.1.4"
    assert sorted(loaded) == sorted(catalogue)
    assert loaded["chatOpenAI"] == catalogue["chatOpenAI"]
    assert repr(loaded) == f"Catalogue({len(catalogue)} nodes, version='3.1.4')"
