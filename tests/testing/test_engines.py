"""Which Node a Flowise release gets, and which sibling packages are pinned to it."""

from __future__ import annotations

import pytest

from flowise_integrations.testing._engines import engines_node, lockstep_overrides, pick_node_release
from flowise_integrations.testing._process import HarnessError


@pytest.mark.parametrize(
    ("engines", "release"),
    [
        ("^24", "24.22.3"),  # Flowise 3.1
        (">=18.15.0 <19.0.0 || ^20", "20.20.2"),  # Flowise 3.0 and 2.2
        (">=18.15.0", "24.22.3"),
        (">=20 <22", "20.20.2"),
        ("~22.23", "22.23.5"),
        ("18.x", "18.20.8"),
        ("<=20.20.2 || ^18", "20.20.2"),
        (">20.20.2 <24", "22.23.5"),
    ],
)
def test_the_newest_allowed_release_is_picked(engines: str, release: str) -> None:
    assert pick_node_release(engines) == release


def test_no_known_release_is_a_clear_error() -> None:
    with pytest.raises(HarnessError, match=r"satisfies '\^16'"):
        pick_node_release("^16")
    with pytest.raises(HarnessError, match="cannot read the Node range comparator 'lts'"):
        pick_node_release("lts")


def test_the_packages_released_with_flowise_are_pinned() -> None:
    manifest = {
        "engines": {"node": "^20"},
        "dependencies": {
            "flowise-components": "^3.0.13",
            "flowise-ui": "^3.0.13",
            "flowise-nim-container-manager": "^1.0.11",
            "express": "^4.17.3",
        },
    }
    assert lockstep_overrides(manifest, "3.0.13") == {"flowise-components": "3.0.13", "flowise-ui": "3.0.13"}
    assert engines_node(manifest, "3.0.13") == "^20"
    with pytest.raises(HarnessError, match=r"declares no engines\.node"):
        engines_node({}, "9.9.9")
