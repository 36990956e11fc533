"""Tool argument models from JSON schemas: the one implementation every adapter uses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from flowise_integrations._tool_args import args_model, wire_args

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "description": "City"},
        "days": {"type": "number", "description": "Days"},
        "when": {"type": "string", "format": "date", "description": "Day"},
        "mode": {"type": "string", "enum": ["train", "plane"], "description": "Mode"},
        "schema": {"type": "boolean", "description": "A name pydantic cannot use as a field"},
        "my-flag": {"type": "string", "enum": ["a", "b"], "description": "Not an identifier"},
        "class": {"type": "string", "description": "A Python keyword"},
    },
    "required": ["city", "days", "mode"],
}


def test_the_model_has_the_schema_it_was_built_from() -> None:
    generated = args_model("trip_form", SCHEMA).model_json_schema()

    assert set(generated["properties"]) == set(SCHEMA["properties"])
    assert sorted(generated["required"]) == ["city", "days", "mode"]
    assert generated["properties"]["days"]["description"] == "Days"
    assert generated["properties"]["when"]["format"] == "date"
    assert generated["properties"]["my-flag"]["anyOf"][0]["enum"] == ["a", "b"]


def test_arguments_are_checked_coerced_and_given_back_under_their_schema_names() -> None:
    model = args_model("trip_form", SCHEMA)

    parsed = model.model_validate(
        {"city": "Paris", "days": "3", "mode": "train", "schema": True, "my-flag": "a", "class": "first"}
    )

    expected = {"city": "Paris", "days": 3.0, "mode": "train", "schema": True}
    expected |= {"my-flag": "a", "class": "first"}
    assert wire_args(model, dict(parsed)) == expected
    assert parsed.model_dump(by_alias=True, exclude_none=True) == expected
    with pytest.raises(ValidationError):
        model.model_validate({"city": "Paris", "days": 3, "mode": "boat"})
    with pytest.raises(ValidationError):
        model.model_validate({"city": "Paris"})


def test_unknown_arguments_are_dropped_or_refused() -> None:
    arguments = {"city": "Paris", "days": 1, "mode": "plane", "overrideConfig": {"x": 1}}

    assert "overrideConfig" not in args_model("lenient", SCHEMA).model_validate(arguments).model_dump()
    with pytest.raises(ValidationError, match="overrideConfig"):
        args_model("strict", SCHEMA, extra="forbid").model_validate(arguments)


def test_bounds_are_kept_and_checked() -> None:
    schema = {
        "type": "object",
        "properties": {
            "k": {"type": "integer", "minimum": 1, "maximum": 20},
            "code": {"type": "string", "minLength": 2, "maxLength": 3},
        },
        "required": ["k"],
    }
    model = args_model("bounded", schema)

    generated = model.model_json_schema()["properties"]
    assert (generated["k"]["minimum"], generated["k"]["maximum"]) == (1, 20)
    assert model.model_validate({"k": 20, "code": "ab"}).model_dump() == {"k": 20, "code": "ab"}
    for bad in ({"k": 0}, {"k": 21}, {"k": 1, "code": "a"}, {"k": 1, "code": "abcd"}):
        with pytest.raises(ValidationError):
            model.model_validate(bad)
