"""What a server supports by version, the refusal's error, and 2.2/3.0 body shapes the models read.

The bodies are recorded from Flowise 2.2.8 and 3.0.13 (``tests/fixtures/json/releases``).
"""

from __future__ import annotations

import pickle

import pytest

from flowise_integrations import ServerCapabilities, UnsupportedFeatureError
from flowise_integrations.types.marketplace import MarketplaceTemplate
from flowise_integrations.types.predictions import Prediction
from tests.unit.recorded import recorded_body

OLD = "releases/2.2.8"
MIDDLE = "releases/3.0.13"


def test_server_capabilities_table() -> None:
    old, middle, new = ServerCapabilities("2.2.8"), ServerCapabilities("3.0.13"), ServerCapabilities("3.1.4")
    assert old.supported == ()
    assert middle.missing == ("credential_reveal", "webhooks", "schedules")
    assert new.missing == ()
    assert ServerCapabilities("2.2.7-patch.1").version_info == (2, 2, 7)
    with pytest.raises(ValueError, match="not a Flowise version"):
        ServerCapabilities("latest")
    with pytest.raises(ValueError, match="unknown capability 'teleport'"):
        new.supports("teleport")


def test_the_error_pickles_whole() -> None:
    with pytest.raises(UnsupportedFeatureError) as info:
        ServerCapabilities("2.2.8").require("datasets")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.capability, copy.server_version, copy.since, str(copy)) == (
        "datasets",
        "2.2.8",
        "3.0.1",
        str(info.value),
    )


def test_a_3_0_stop_carries_its_action_in_the_stopped_node() -> None:
    """3.0.13 leaves ``action`` out of a run stopped at Human Input; the model takes it from the node."""
    body = recorded_body(f"{MIDDLE}/human_input_stopped")
    assert "action" not in body
    prediction = Prediction.model_validate(body)
    assert prediction.action is not None
    assert prediction.action.mapping == {"approve": "Proceed", "reject": "Reject"}
    assert prediction.action.data is not None
    assert prediction.action.data["nodeId"] == "humanInputAgentflow_0"


def test_2_2_numbers_its_templates() -> None:
    first = recorded_body(f"{OLD}/marketplace_templates")[0]
    assert isinstance(first["id"], int)
    assert MarketplaceTemplate.model_validate(first).id == str(first["id"])
