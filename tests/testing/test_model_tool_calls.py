"""The model stand-in's tool calls, read by the official ``openai`` SDK: the real wire format."""

from __future__ import annotations

import json
from collections.abc import Iterator

import openai
import pytest

from flowise_integrations.testing import ModelStandIn, ToolCall

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "ask_flow",
            "description": "Ask a Flowise flow.",
            "parameters": {"type": "object", "properties": {"question": {"type": "string"}}},
        },
    }
]
MESSAGES = [{"role": "user", "content": "what is up?"}]


@pytest.fixture
def standin() -> Iterator[ModelStandIn]:
    with ModelStandIn() as model:
        yield model


@pytest.fixture
def sdk(standin: ModelStandIn) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=standin.base_url, api_key="sk-stand-in", max_retries=0) as client:
        yield client


def test_a_scripted_tool_call_then_the_answer(standin: ModelStandIn, sdk: openai.OpenAI) -> None:
    standin.script(ToolCall("ask_flow", {"question": "up?"}, id="call_1"), "It is up.")
    first = sdk.chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS)
    choice = first.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    (call,) = choice.message.tool_calls or []
    assert call.id == "call_1"
    assert call.type == "function"
    assert (call.function.name, json.loads(call.function.arguments)) == ("ask_flow", {"question": "up?"})
    assert first.usage is not None
    assert first.usage.completion_tokens > 0

    second = sdk.chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS)
    assert second.choices[0].finish_reason == "stop"
    assert second.choices[0].message.content == "It is up."
    assert second.choices[0].message.tool_calls is None


def test_streamed_tool_calls_accumulate_as_openai_streams_them(
    standin: ModelStandIn, sdk: openai.OpenAI
) -> None:
    standin.script(
        [ToolCall("ask_flow", {"question": "one two three"}), ToolCall("ask_flow", '{"question": "four"}')]
    )
    calls: dict[int, dict[str, str]] = {}
    finish = None
    stream = sdk.chat.completions.create(
        model="m",
        messages=MESSAGES,
        tools=TOOLS,
        stream=True,
        stream_options={"include_usage": True},
    )
    for chunk in stream:
        if not chunk.choices:
            assert chunk.usage is not None  # the usage frame comes last
            continue
        delta = chunk.choices[0].delta
        assert not delta.content
        for piece in delta.tool_calls or []:
            call = calls.setdefault(piece.index, {"id": "", "name": "", "arguments": ""})
            call["id"] += piece.id or ""
            if piece.function is not None:
                call["name"] += piece.function.name or ""
                call["arguments"] += piece.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish
    assert finish == "tool_calls"
    assert [json.loads(calls[i]["arguments"]) for i in sorted(calls)] == [
        {"question": "one two three"},
        {"question": "four"},
    ]
    assert {calls[i]["name"] for i in calls} == {"ask_flow"}
    assert all(calls[i]["id"].startswith("call_") for i in calls)


def test_the_sdk_stream_helper_parses_the_arguments(standin: ModelStandIn, sdk: openai.OpenAI) -> None:
    standin.script(ToolCall("ask_flow", {"question": "helper"}))
    with sdk.chat.completions.stream(model="m", messages=MESSAGES, tools=TOOLS) as stream:
        final = stream.get_final_completion()
    (call,) = final.choices[0].message.tool_calls or []
    assert json.loads(call.function.arguments) == {"question": "helper"}


def test_a_reply_function_may_call_tools_until_it_has_a_result(standin: ModelStandIn) -> None:
    def agent(messages: list[dict[str, object]]) -> str | ToolCall:
        if messages[-1]["role"] == "tool":
            return f"The flow said: {messages[-1]['content']}"
        return ToolCall("ask_flow", {"question": "loop"}, id="call_loop")

    with (
        ModelStandIn(reply=agent) as model,
        openai.OpenAI(base_url=model.base_url, api_key="sk", max_retries=0) as client,
    ):
        first = client.chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS)
        call = (first.choices[0].message.tool_calls or [])[0]
        follow_up = [
            *MESSAGES,
            first.choices[0].message.model_dump(exclude_none=True),
            {"role": "tool", "tool_call_id": call.id, "content": "Echo: loop"},
        ]
        second = client.chat.completions.create(model="m", messages=follow_up, tools=TOOLS)
    assert second.choices[0].message.content == "The flow said: Echo: loop"
    assert model.chat_requests()[-1]["messages"][-1] == {
        "role": "tool",
        "tool_call_id": "call_loop",
        "content": "Echo: loop",
    }
