"""``FlowiseLLM`` against a mock Flowise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumps

from flowise_integrations import NotFoundError
from flowise_integrations.langchain import FlowiseLLM
from tests.unit.mock_clients import API_KEY
from tests.unit.mock_flowise import MockFlowise

from .conftest import CHATFLOW_ID, PREDICTION, prediction_json, token_stream


@pytest.fixture
def llm(clients: dict[str, Any]) -> FlowiseLLM:
    return FlowiseLLM(chatflow_id=CHATFLOW_ID, session_id="s-field", **clients)


class _Tokens(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)


def test_invoke_sends_the_prompt_as_the_question(server: MockFlowise, llm: FlowiseLLM) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: hi you"))
    assert llm.invoke("hi", stop=["you"]) == "FAKE: hi "
    assert json.loads(server.last.content) == {"question": "hi", "overrideConfig": {"sessionId": "s-field"}}


def test_stream_yields_tokens_and_calls_back(server: MockFlowise, llm: FlowiseLLM) -> None:
    server.add("POST", PREDICTION, token_stream("FAKE:", " a", " b"))
    handler = _Tokens()
    assert list(llm.stream("a b", config={"callbacks": [handler]})) == ["FAKE:", " a", " b"]
    assert handler.tokens == ["FAKE:", " a", " b"]


async def test_async_paths(server: MockFlowise, llm: FlowiseLLM) -> None:
    server.add("POST", PREDICTION, prediction_json("FAKE: x"), token_stream("FAKE:", " y"))
    assert await llm.ainvoke("x", config={"configurable": {"session_id": "s-call"}}) == "FAKE: x"
    assert json.loads(server.last.content)["overrideConfig"] == {"sessionId": "s-call"}
    assert [t async for t in llm.astream("y")] == ["FAKE:", " y"]


def test_batch_runs_one_prediction_per_prompt_with_its_own_session(
    server: MockFlowise, llm: FlowiseLLM
) -> None:
    server.add("POST", PREDICTION, lambda request: prediction_json(json.loads(request.content)["question"]))
    configs: list[Any] = [{"configurable": {"session_id": f"s{i}"}} for i in range(3)]
    assert llm.batch(["a", "b", "c"], configs) == ["a", "b", "c"]
    sessions = sorted(json.loads(call.content)["overrideConfig"]["sessionId"] for call in server.calls)
    assert sessions == ["s0", "s1", "s2"]


async def test_abatch(server: MockFlowise, llm: FlowiseLLM) -> None:
    server.add("POST", PREDICTION, lambda request: prediction_json(json.loads(request.content)["question"]))
    assert await llm.abatch(["a", "b"]) == ["a", "b"]


def test_errors_are_raised_unchanged(server: MockFlowise, llm: FlowiseLLM) -> None:
    import httpx

    server.add("POST", PREDICTION, httpx.Response(404, json={"statusCode": 404, "message": "not found"}))
    with pytest.raises(NotFoundError):
        llm.invoke("hi")


def test_identity_and_secrets() -> None:
    llm = FlowiseLLM(chatflow_id=CHATFLOW_ID, base_url="http://flowise.test", api_key=API_KEY)
    assert llm._llm_type == "flowise"
    assert llm._get_ls_params()["ls_provider"] == "flowise"
    assert llm._get_ls_params()["ls_model_name"] == CHATFLOW_ID
    assert API_KEY not in repr(llm)
    assert API_KEY not in dumps(llm)
