"""Every command except ``docstore`` and ``local`` against the real Flowise of the harness."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from flowise_integrations import Flowise, NotFoundError
from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.types import Chatflow, Tool

from .helpers import Cli, assert_fails, assert_ok

pytestmark = pytest.mark.integration


# -- chatflows


def test_chatflows_list(cli: Cli, conversation_chatflow: Chatflow, echo_agentflow: Chatflow) -> None:
    result = cli("chatflows", "list")
    assert_ok(result)
    assert conversation_chatflow.id in result.stdout
    assert echo_agentflow.id in result.stdout

    listed = cli.json("chatflows", "list")
    ids = {flow["id"] for flow in listed}
    assert {conversation_chatflow.id, echo_agentflow.id} <= ids

    agentflows = cli.json("chatflows", "list", "--type", "agentflow")
    assert echo_agentflow.id in {flow["id"] for flow in agentflows}
    assert {flow["type"] for flow in agentflows} == {"AGENTFLOW"}


def test_json_flag_is_accepted_after_the_command(cli: Cli, echo_agentflow: Chatflow) -> None:
    result = cli("chatflows", "get", echo_agentflow.id, "--json")
    assert_ok(result)
    assert json.loads(result.stdout)["id"] == echo_agentflow.id


def test_chatflows_get(cli: Cli, echo_agentflow: Chatflow) -> None:
    result = cli("chatflows", "get", echo_agentflow.id)
    assert_ok(result)
    assert echo_agentflow.id in result.stdout
    assert echo_agentflow.name in result.stdout
    assert "AGENTFLOW" in result.stdout

    flow = cli.json("chatflows", "get", echo_agentflow.id)
    assert (flow["id"], flow["name"], flow["type"]) == (echo_agentflow.id, echo_agentflow.name, "AGENTFLOW")


def test_chatflows_delete_asks_first(cli: Cli, flowise_client: Flowise) -> None:
    flow = flows.create_echo_agentflow(flowise_client)

    declined = cli("chatflows", "delete", flow.id, input="n\n")
    assert declined.exit_code == 1
    assert flowise_client.chatflows.get(flow.id).id == flow.id

    accepted = cli("chatflows", "delete", flow.id, input="y\n")
    assert_ok(accepted)
    assert f"deleted {flow.name}" in accepted.stdout
    with pytest.raises(NotFoundError):
        flowise_client.chatflows.get(flow.id)


def test_chatflows_delete_yes_json(cli: Cli, flowise_client: Flowise) -> None:
    flow = flows.create_echo_agentflow(flowise_client)
    assert cli.json("chatflows", "delete", flow.id, "--yes") == {
        "id": flow.id,
        "name": flow.name,
        "deleted": True,
    }
    with pytest.raises(NotFoundError):
        flowise_client.chatflows.get(flow.id)


# -- predict


def test_predict_prints_the_answer(cli: Cli, conversation_chatflow: Chatflow) -> None:
    result = cli("predict", conversation_chatflow.id, "hello there")
    assert_ok(result)
    assert result.stdout == "FAKE: hello there\n"
    assert "session: " in result.stderr


def test_predict_json_is_the_prediction(cli: Cli, conversation_chatflow: Chatflow) -> None:
    session = f"cli-{uuid.uuid4()}"
    prediction = cli.json("predict", conversation_chatflow.id, "hello json", "--session", session)
    assert prediction["text"] == "FAKE: hello json"
    assert prediction["sessionId"] == session
    assert prediction["chatId"]


def test_predict_stream_prints_the_tokens(cli: Cli, conversation_chatflow: Chatflow) -> None:
    result = cli("predict", conversation_chatflow.id, "stream these words", "--stream")
    assert_ok(result)
    assert result.stdout == "FAKE: stream these words\n"


def test_predict_stream_json_prints_one_event_per_line(cli: Cli, conversation_chatflow: Chatflow) -> None:
    session = f"cli-{uuid.uuid4()}"
    result = cli(
        "--json", "predict", conversation_chatflow.id, "stream as json", "--stream", "--session", session
    )
    assert_ok(result)
    events = [json.loads(line) for line in result.stdout.splitlines()]
    tokens = [event["data"] for event in events if event["event"] == "token"]
    assert len(tokens) > 1  # token by token, not one block
    assert "".join(tokens) == "FAKE: stream as json"
    assert events[-1]["event"] == "end"
    metadata = [event["data"] for event in events if event["event"] == "metadata"]
    assert metadata
    assert metadata[0]["sessionId"] == session


def test_predict_stream_of_an_agentflow(cli: Cli, echo_agentflow: Chatflow) -> None:
    result = cli("predict", echo_agentflow.id, "ping", "--stream")
    assert_ok(result)
    assert result.stdout == "Echo: ping\n"


# -- variables


def test_variables_create_list_delete(cli: Cli) -> None:
    name = f"cli_var_{uuid.uuid4().hex[:8]}"
    created = cli.json("variables", "create", name, "eu-west-1")
    assert (created["name"], created["value"], created["type"]) == (name, "eu-west-1", "static")

    listed = cli("variables", "list")
    assert_ok(listed)
    assert name in listed.stdout
    assert created["id"] in listed.stdout
    assert name in {variable["name"] for variable in cli.json("variables", "list")}

    runtime = cli.json("variables", "create", f"{name}_rt", "--type", "runtime")
    assert runtime["type"] == "runtime"

    deleted = cli("variables", "delete", name, "--yes")  # by name
    assert_ok(deleted)
    assert cli.json("variables", "delete", runtime["id"], "--yes") == {
        "id": runtime["id"],
        "name": runtime["name"],
        "deleted": True,
    }
    remaining = {variable["name"] for variable in cli.json("variables", "list")}
    assert not remaining & {name, runtime["name"]}


def test_variables_delete_unknown_exits_5(cli: Cli) -> None:
    message = assert_fails(cli("variables", "delete", f"missing_{uuid.uuid4().hex}", "--yes"), 5)
    assert "no variable" in message


def test_static_variable_needs_a_value(cli: Cli) -> None:
    assert_fails(cli("variables", "create", "no_value"), 2)


# -- tools


@pytest.fixture
def tool(flowise_client: Flowise) -> Iterator[Tool]:
    created = flowise_client.tools.create(
        name=f"cli_tool_{uuid.uuid4().hex[:8]}",
        description="Adds two numbers for the CLI tests.",
        schema=[{"property": "a", "type": "number", "description": "first", "required": True}],
        func="return String($a + 1);",
    )
    yield created
    flowise_client.tools.delete(created.id)


def test_tools_list_and_get(cli: Cli, tool: Tool) -> None:
    listed = cli("tools", "list")
    assert_ok(listed)
    assert tool.id in listed.stdout
    assert tool.id in {item["id"] for item in cli.json("tools", "list")}

    shown = cli("tools", "get", tool.id)
    assert_ok(shown)
    assert tool.name in shown.stdout
    assert "return String($a + 1);" in shown.stdout
    assert "first" in shown.stdout  # the input's description

    got = cli.json("tools", "get", tool.id)
    assert (got["id"], got["name"], got["func"]) == (tool.id, tool.name, "return String($a + 1);")


def test_tools_get_unknown_exits_5(cli: Cli) -> None:
    assert_fails(cli("tools", "get", str(uuid.uuid4())), 5)


# -- API keys


def test_apikeys_list_masks_the_keys(cli: Cli, flowise_stack: LocalStack) -> None:
    key = flowise_stack.api_key
    masked = f"{key[:4]}…{key[-4:]}"

    result = cli("apikeys", "list")
    assert_ok(result)
    assert key not in result.output
    assert masked in result.stdout

    keys = cli.json("apikeys", "list")
    assert key not in json.dumps(keys)
    ours = [item for item in keys if item["apiKey"] == masked]
    assert len(ours) == 1
    assert ours[0]["permissionCount"] == len(ours[0]["permissions"]) > 0
    assert ours[0]["keyName"]
    assert ours[0]["id"]


# -- errors


def test_a_refused_key_exits_4(cli: Cli) -> None:
    bad = Cli(cli.base_url, "bad-key-that-must-never-be-printed")
    for args in (
        ["chatflows", "list"],
        ["apikeys", "list"],
        ["variables", "list"],
        ["--json", "tools", "list"],
    ):
        assert_fails(bad(*args), 4, secret=bad.api_key)


def test_an_unknown_chatflow_exits_5(cli: Cli) -> None:
    unknown = str(uuid.uuid4())
    for args in (
        ["chatflows", "get", unknown],
        ["chatflows", "delete", unknown, "--yes"],
        ["predict", unknown, "hi"],
        ["predict", unknown, "hi", "--stream"],
        ["--json", "predict", unknown, "hi", "--stream"],
    ):
        message = assert_fails(cli(*args), 5, secret=cli.api_key)
        assert unknown in message


def test_other_api_errors_exit_6(cli: Cli) -> None:
    assert_fails(cli("chatflows", "get", "not-a-uuid"), 6, secret=cli.api_key)
