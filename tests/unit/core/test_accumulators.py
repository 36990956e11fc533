"""What each stream accumulator keeps of the events of a recorded stream."""

from __future__ import annotations

import gc
import json

import pytest

from flowise_integrations import AnswerNotKeptError
from flowise_integrations._core.events import decode_event
from flowise_integrations._core.prediction import DiscardingAccumulator, PredictionAccumulator
from flowise_integrations.types import Prediction, StreamEvent
from tests.unit.recorded import recorded_body, recorded_events


def events(name: str) -> list[StreamEvent]:
    return [decode_event(json.dumps(payload)) for payload in recorded_events(name)]


def test_prediction_accumulator_keeps_the_answer() -> None:
    accumulator = PredictionAccumulator(chat_id="c", question="stream me")
    for event in events("agentflow"):
        accumulator.add(event)
    final = accumulator.final()
    assert accumulator.text == accumulator.partial_text == final.text == "Echo: stream me"
    assert [node.node_id for node in final.agent_flow_executed_data] == [
        "startAgentflow_0",
        "directReplyAgentflow_0",
    ]


def test_prediction_accumulator_keeps_a_whole_prediction() -> None:
    prediction = Prediction.model_validate(recorded_body("predictions/custom_function_streamed"))
    accumulator = PredictionAccumulator(chat_id="c", question="stream fn")
    accumulator.add_prediction(prediction)
    assert accumulator.final() is prediction
    assert accumulator.text == "Echo: stream fn"


def test_discarding_accumulator_keeps_nothing() -> None:
    accumulator = DiscardingAccumulator()
    for name in ("agentflow", "retrieval"):
        for event in events(name):
            accumulator.add(event)
    accumulator.add_prediction(Prediction.model_validate(recorded_body("predictions/agentflow")))
    assert gc.get_referents(accumulator) == [DiscardingAccumulator]  # no state: nothing it was given
    assert accumulator.partial_text == ""
    with pytest.raises(AnswerNotKeptError, match="keep_answer=True"):
        accumulator.final()
    with pytest.raises(AnswerNotKeptError):
        accumulator.text  # noqa: B018
