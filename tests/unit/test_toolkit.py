"""Tool selection, naming and argument schemas shared by the LangChain and LlamaIndex adapters."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from flowise_integrations._toolkit import (
    chatflow_target,
    custom_tool_target,
    form_fields,
    input_schema,
    safe_tool_name,
    select_targets,
)
from flowise_integrations.types import Chatflow, Tool

VALID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def flow(id: str, name: str, type: str = "CHATFLOW", **extra: object) -> Chatflow:
    return Chatflow.model_validate({"id": id, "name": name, "type": type, **extra})


def tool(id: str, name: str, schema: list[dict[str, object]] | None = None) -> Tool:
    return Tool.model_validate(
        {"id": id, "name": name, "description": f"{name} tool", "schema": schema, "func": "return $a + $b;"}
    )


@given(st.text(max_size=200))
def test_safe_names_are_always_valid(raw: str) -> None:
    assert VALID.match(safe_tool_name(raw))
    assert VALID.match(safe_tool_name(raw, suffix="abc123"))


def test_safe_name_examples() -> None:
    assert safe_tool_name("Customer Support / FAQ (v2)") == "Customer_Support_FAQ_v2"
    assert safe_tool_name("日本語") == "flowise_tool"
    long = safe_tool_name("x" * 100, suffix="abcdef")
    assert len(long) == 64
    assert long.endswith("_abcdef")


def test_collisions_get_id_suffixes_and_nothing_is_dropped() -> None:
    flows = [flow("id-2", "Support Bot"), flow("id-1", "Support-Bot"), flow("id-3", "Other")]
    names = [t.name for t in select_targets(flows, [])]
    assert len(names) == 3
    assert len(set(names)) == 3
    assert "Other" in names
    # Deterministic whatever the listing order.
    assert [t.name for t in select_targets(list(reversed(flows)), [])] == names


def test_filters() -> None:
    flows = [flow("a", "Sales Agent", "AGENTFLOW"), flow("b", "Sales Chat"), flow("c", "Ops", "ASSISTANT")]
    tools = [tool("t", "adder")]
    assert {t.id for t in select_targets(flows, tools, include_ids={"a", "t"})} == {"a", "t"}
    assert {t.id for t in select_targets(flows, tools, exclude_ids={"a"})} == {"b", "c", "t"}
    assert {t.id for t in select_targets(flows, tools, name_pattern="^Sales")} == {"a", "b"}
    assert {t.id for t in select_targets(flows, tools, kinds={"assistant", "custom_tool"})} == {"c", "t"}


def test_chatflow_schema_is_question_unless_form_input() -> None:
    plain = chatflow_target(flow("a", "Echo", "AGENTFLOW"))
    assert plain.kind == "agentflow"
    assert plain.parameters["required"] == ["question"]
    assert not plain.takes_form
    form_flow = flow(
        "b",
        "Signup",
        "AGENTFLOW",
        flowData={
            "nodes": [
                {
                    "data": {
                        "name": "startAgentflow",
                        "inputs": {
                            "startInputType": "formInput",
                            "formInputTypes": [
                                {"type": "string", "label": "Your name", "name": "name"},
                                {"type": "number", "label": "Age", "name": "age"},
                                {
                                    "type": "options",
                                    "label": "Plan",
                                    "name": "plan",
                                    "addOptions": [{"option": "free"}, {"option": "pro"}],
                                },
                            ],
                        },
                    }
                }
            ]
        },
    )
    assert [f["name"] for f in form_fields(form_flow) or []] == ["name", "age", "plan"]
    target = chatflow_target(form_flow)
    assert target.parameters["properties"]["age"]["type"] == "number"
    assert target.parameters["properties"]["plan"]["enum"] == ["free", "pro"]
    assert "form values" in target.description
    assert target.takes_form


def test_custom_tool_schema() -> None:
    adder = tool(
        "t",
        "adder",
        [
            {"id": 1, "property": "a", "type": "number", "description": "first", "required": True},
            {"id": 2, "property": "when", "type": "date", "description": "", "required": False},
        ],
    )
    schema = input_schema(adder)
    assert schema["properties"]["a"] == {"type": "number", "description": "first"}
    assert schema["properties"]["when"]["format"] == "date"
    assert schema["required"] == ["a"]
    target = custom_tool_target(adder)
    assert target.kind == "custom_tool"
    assert target.code == "return $a + $b;"
