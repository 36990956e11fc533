"""``FlowiseRunnable`` against a mock Flowise: inputs, the whole ``Prediction``, typed events, batches."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, HumanMessage

from flowise_integrations import AsyncFlowise, NotFoundError, Prediction, Upload
from flowise_integrations.langchain import FlowiseRunnable
from flowise_integrations.types import stream_events as ev
from tests.unit.mock_flowise import MockFlowise

from .conftest import CHATFLOW_ID, PREDICTION, SKY_DOC, prediction_json, token_stream


@pytest.fixture
def flow(clients: dict[str, Any]) -> FlowiseRunnable:
    return FlowiseRunnable(chatflow_id=CHATFLOW_ID, override_config={"a": 1}, **clients)


def sent(server: MockFlowise) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(server.last.content)
    return body


def test_a_string_is_the_question_and_the_result_the_whole_prediction(
    server: MockFlowise, flow: FlowiseRunnable
) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: sky", sourceDocuments=[SKY_DOC]))
    prediction = flow.invoke("sky?")
    assert isinstance(prediction, Prediction)
    assert prediction.text == "FAKE: sky"
    assert prediction.source_documents[0].metadata["source"] == "sky.txt"
    assert sent(server) == {"question": "sky?", "overrideConfig": {"a": 1}}


def test_a_dict_carries_every_request_field(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    upload = Upload.from_bytes(b"hello", "note.txt")
    flow.invoke(
        {
            "question": "q",
            "history": [{"role": "user", "content": "u"}, AIMessage("a"), HumanMessage("h")],
            "override_config": {"b": 2},
            "uploads": [upload],
            "chat_id": "chat-9",
        },
        config={"configurable": {"session_id": "s-config"}},
    )
    assert sent(server) == {
        "question": "q",
        "chatId": "chat-9",
        "overrideConfig": {"a": 1, "sessionId": "s-config", "b": 2},
        "history": [
            {"role": "userMessage", "content": "u"},
            {"role": "apiMessage", "content": "a"},
            {"role": "userMessage", "content": "h"},
        ],
        "uploads": [upload.to_wire()],
    }


def test_form_and_human_input(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, prediction_json("ok"))
    flow.invoke({"form": {"city": "Paris"}})
    assert sent(server)["form"] == {"city": "Paris"}
    flow.invoke({"human_input": {"type": "proceed", "feedback": "fine"}})
    assert sent(server)["humanInput"] == {"type": "proceed", "feedback": "fine"}


@pytest.mark.parametrize(
    ("value", "error"),
    [({"question": "q", "sesion_id": "typo"}, ValueError), (42, TypeError)],
)
def test_bad_inputs_fail_before_sending(
    server: MockFlowise, flow: FlowiseRunnable, value: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        flow.invoke(value)
    assert server.calls == []


def test_stream_yields_the_typed_events(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " a"))
    events = list(flow.stream("a"))
    assert [type(e) for e in events] == [
        ev.StartEvent,
        ev.TokenEvent,
        ev.TokenEvent,
        ev.MetadataEvent,
        ev.EndEvent,
    ]
    assert sent(server)["streaming"] is True


async def test_astream_and_astream_events(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " a"))
    events = [e async for e in flow.astream("a")]
    assert [e.data for e in events if isinstance(e, ev.TokenEvent)] == ["FAKE:", " a"]
    kinds = [e["event"] async for e in flow.astream_events("a", version="v2")]
    assert kinds[0] == "on_chain_start"
    assert kinds.count("on_chain_stream") == len(events)
    assert kinds[-1] == "on_chain_end"


async def test_ainvoke_uses_the_async_client(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: async"))
    assert (await flow.ainvoke({"question": "async"})).text == "FAKE: async"


def test_errors_are_raised_unchanged(server: MockFlowise, flow: FlowiseRunnable) -> None:
    server.add("POST", PREDICTION, httpx.Response(404, json={"statusCode": 404, "message": "not found"}))
    with pytest.raises(NotFoundError):
        flow.invoke("q")


class _InFlight:
    """Counts requests being answered at once; every ``group`` of them waits for the others."""

    def __init__(self, group: int) -> None:
        self.lock = threading.Lock()
        self.current = 0
        self.peak = 0
        self.barrier = threading.Barrier(group, timeout=10)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.current += 1
            self.peak = max(self.peak, self.current)
        try:
            self.barrier.wait()  # proves `group` requests are in flight together
            return prediction_json("A: " + json.loads(request.content)["question"])
        finally:
            with self.lock:
                self.current -= 1


def test_batch_honours_max_concurrency(server: MockFlowise, flow: FlowiseRunnable) -> None:
    counter = _InFlight(group=5)
    server.add("POST", PREDICTION, counter)
    questions = [f"q{i}" for i in range(20)]
    results = flow.batch(questions, config={"max_concurrency": 5})
    assert [r.text for r in results] == [f"A: {q}" for q in questions]
    assert counter.peak == 5


class _AsyncGroupGate:
    """An async barrier: callers wait until ``group`` of them have arrived, then all go on."""

    def __init__(self, group: int) -> None:
        self.group = group
        self.condition = asyncio.Condition()
        self.arrived = 0
        self.generation = 0

    async def wait(self) -> None:
        async with self.condition:
            generation = self.generation
            self.arrived += 1
            if self.arrived == self.group:
                self.arrived = 0
                self.generation += 1
                self.condition.notify_all()
            else:
                await asyncio.wait_for(self.condition.wait_for(lambda: self.generation != generation), 10)


async def test_abatch_honours_max_concurrency() -> None:
    gate = _AsyncGroupGate(5)
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await gate.wait()  # proves five requests are in flight together
            return prediction_json("A: " + json.loads(request.content)["question"])
        finally:
            in_flight -= 1

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = AsyncFlowise("http://flowise.test", max_retries=0, http_client=http)
        runnable = FlowiseRunnable(chatflow_id=CHATFLOW_ID, async_client=client)
        results = await runnable.abatch([f"q{i}" for i in range(20)], config={"max_concurrency": 5})
    assert [r.text for r in results] == [f"A: q{i}" for i in range(20)]
    assert peak == 5
