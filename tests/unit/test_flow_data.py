"""Flow graphs (``flowData``) are kept as text until read, and still accepted as dicts."""

from __future__ import annotations

import json

import pytest
from pydantic import TypeAdapter, ValidationError

from flowise_integrations.types import Chatflow, MarketplaceTemplate

from .recorded import recorded_body

FLOW = recorded_body("chatflows/get")  # the echo agentflow, as Flowise 3.1.4 sent it


def test_a_listed_graph_is_decoded_on_first_read_only() -> None:
    (flow,) = TypeAdapter(list[Chatflow]).validate_json(json.dumps([FLOW]))
    assert "flow_data" not in vars(flow)  # nothing decoded yet
    assert flow.flow_data_json == FLOW["flowData"]
    assert flow.flow_data == json.loads(FLOW["flowData"])
    assert flow.flow_data is flow.flow_data  # decoded once
    assert "flow_data" in vars(flow)


def test_dumps_carry_the_text_flowise_sent() -> None:
    flow = Chatflow.model_validate(FLOW)
    assert flow.to_wire()["flowData"] == FLOW["flowData"]
    assert flow.model_dump()["flow_data_json"] == FLOW["flowData"]
    assert "flow_data_json" not in repr(flow)
    assert Chatflow.model_validate(flow.model_dump()) == flow


@pytest.mark.parametrize("key", ["flow_data", "flowData", "flow_data_json"])
def test_a_graph_given_as_a_dict_is_encoded(key: str) -> None:
    graph = {"nodes": [{"id": "a"}], "edges": []}
    flow = Chatflow.model_validate({"id": "f", "name": "n", key: graph})
    assert flow.flow_data == graph
    assert flow.flow_data_json == '{"nodes":[{"id":"a"}],"edges":[]}'
    assert Chatflow(id="f", name="n", flow_data=json.dumps(graph)).flow_data == graph


def test_two_graphs_are_refused() -> None:
    with pytest.raises(ValidationError, match="not both"):
        Chatflow.model_validate({"id": "f", "name": "n", "flow_data": {}, "flowData": "{}"})


def test_a_graph_that_is_not_an_object_fails_when_read() -> None:
    flow = Chatflow(id="f", name="n", flowData="[1, 2]")
    with pytest.raises(ValueError, match="not a JSON object"):
        _ = flow.flow_data
    assert Chatflow(id="f", name="n").flow_data is None


def test_templates_keep_their_graph_as_text_too() -> None:
    body = recorded_body("marketplace/templates")
    templates = TypeAdapter(list[MarketplaceTemplate]).validate_json(json.dumps(body))
    assert not any("flow_data" in vars(template) for template in templates)
    assert templates[0].flow_data == json.loads(body[0]["flowData"])
