"""``flows``: export to files, diff, validate (live and from a snapshot), import, against the real Flowise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowise_integrations import Flowise
from flowise_integrations.flows import FlowFile
from flowise_integrations.testing import flows
from flowise_integrations.types import Chatflow

from .helpers import Cli, invoke

pytestmark = pytest.mark.integration


@pytest.fixture
def own_flows(flowise_client: Flowise) -> Iterator[list[Chatflow]]:
    """An echo agentflow of the test's own; every flow appended here is deleted afterwards."""
    made = [flows.create_echo_agentflow(flowise_client, name="cli flows echo")]
    yield made
    for flow in made:
        flowise_client.chatflows.delete(flow.id)


def test_export_writes_one_readable_file_per_flow(
    cli: Cli, own_flows: list[Chatflow], tmp_path: Path
) -> None:
    (echo,) = own_flows

    result = cli("--json", "flows", "export", echo.id, "--dir", str(tmp_path))

    assert result.exit_code == 0, result.output
    (written,) = json.loads(result.stdout)
    assert written == {
        "id": echo.id,
        "name": "cli flows echo",
        "type": "AGENTFLOW",
        "file": str(tmp_path / "cli-flows-echo.json"),
    }
    data = json.loads((tmp_path / "cli-flows-echo.json").read_text())
    assert (data["name"], data["type"], data["id"]) == ("cli flows echo", "AGENTFLOW", echo.id)
    assert data["flowData"] == echo.flow_data  # the graph as an object, unchanged


def test_an_edited_file_diffs_validates_and_imports_back(
    cli: Cli, own_flows: list[Chatflow], flowise_client: Flowise, tmp_path: Path
) -> None:
    (echo,) = own_flows
    cli("flows", "export", echo.id, "--dir", str(tmp_path))
    path = tmp_path / "cli-flows-echo.json"
    edited = FlowFile.load(path)
    edited.flow.node("directReplyAgentflow_0")["directReplyMessage"] = "Hello {{ question }}"
    edited.save(path)

    changes = cli("flows", "diff", echo.id, str(path))
    checked = cli("flows", "validate", str(path))
    imported = cli("--json", "flows", "import", str(path))

    assert changes.exit_code == 0, changes.output
    assert (
        changes.stdout.strip()
        == "directReplyAgentflow_0.directReplyMessage: 'Echo: {{ question }}' -> 'Hello {{ question }}'"
    )
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.strip() == f"{path}: ok"
    assert json.loads(imported.stdout) == [
        {"file": str(path), "action": "updated", "id": echo.id, "problems": []}
    ]
    assert flowise_client.predictions.create(echo.id, "you").text == "Hello you"


def test_a_new_file_is_created_and_a_broken_one_refused(
    cli: Cli, own_flows: list[Chatflow], flowise_client: Flowise, tmp_path: Path
) -> None:
    (echo,) = own_flows
    cli("flows", "export", echo.id, "--dir", str(tmp_path))
    fresh = FlowFile.load(tmp_path / "cli-flows-echo.json")
    fresh.id, fresh.name = None, "cli flows copy"
    fresh.save(tmp_path / "copy.json")
    broken = FlowFile.load(tmp_path / "cli-flows-echo.json")
    broken.id, broken.name = None, "cli flows broken"
    broken.flow.node("startAgentflow_0")["startInputType"] = "telepathy"
    broken.save(tmp_path / "broken.json")
    before = {flow.name for flow in flowise_client.chatflows.list()}

    result = cli("--json", "flows", "import", str(tmp_path / "copy.json"), str(tmp_path / "broken.json"))

    copy, refused = json.loads(result.stdout)
    assert result.exit_code == 1
    assert copy["action"] == "created"
    own_flows.append(flowise_client.chatflows.get(copy["id"]))
    assert refused == {
        "file": str(tmp_path / "broken.json"),
        "action": "refused",
        "problems": [
            "startAgentflow_0 input 'startInputType': must be one of "
            "['chatInput', 'formInput', 'webhookTrigger', 'scheduleInput'], not 'telepathy'"
        ],
    }
    after = {flow.name for flow in flowise_client.chatflows.list()}
    assert after - before == {"cli flows copy"}
    assert flowise_client.predictions.create(copy["id"], "twin").text == "Echo: twin"


def test_validate_offline_from_a_catalogue_snapshot(
    cli: Cli, own_flows: list[Chatflow], tmp_path: Path
) -> None:
    (echo,) = own_flows
    cli("flows", "export", echo.id, "--dir", str(tmp_path))
    saved = cli("flows", "catalogue", str(tmp_path / "catalogue.json"))
    assert saved.exit_code == 0, saved.output
    assert "node definitions of Flowise 3.1.4" in saved.stdout

    # No server at this address: everything comes from the two files.
    offline = invoke(
        [
            "--base-url",
            "http://127.0.0.1:9",
            "flows",
            "validate",
            str(tmp_path / "cli-flows-echo.json"),
            "--catalogue",
            str(tmp_path / "catalogue.json"),
        ]
    )

    assert offline.exit_code == 0, offline.output
    assert offline.stdout.strip().endswith(": ok")


def test_a_file_that_is_not_a_flow_is_an_error(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps({"name": "x", "type": "CHATFLOW"}))

    result = cli("flows", "validate", str(tmp_path / "bad.json"))

    assert result.exit_code == 1
    assert "bad.json: 'flowData' must be an object with a 'nodes' list" in result.output
