"""What changed between two versions of a flow, in words: for reviews of flows kept in git."""

from __future__ import annotations

import json
from typing import Any

from ._graph import Flow

__all__ = ["diff"]

_SHOWN = 60


def _short(value: Any) -> str:
    """A value as it reads in a change: strings quoted, anything else as JSON, long ones cut."""
    if isinstance(value, str):
        return repr(value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def diff(old: Flow, new: Flow) -> list[str]:
    """The changes from ``old`` to ``new``: nodes added and removed, inputs, credentials and
    labels changed, edges rewired. Positions are not changes. An empty list: the same flow."""
    changes: list[str] = []
    before = {node.id: node for node in old.nodes}
    after = {node.id: node for node in new.nodes}
    for node_id in after.keys() - before.keys():
        changes.append(f"added node {node_id} ({after[node_id].name})")
    for node_id in before.keys() - after.keys():
        changes.append(f"removed node {node_id} ({before[node_id].name})")
    for node_id in sorted(before.keys() & after.keys()):
        a, b = before[node_id], after[node_id]
        if a.name != b.name:
            changes.append(f"{node_id}: component {a.name} -> {b.name}")
        if a.label != b.label:
            changes.append(f"{node_id}: label {a.label!r} -> {b.label!r}")
        if a.credential != b.credential:
            changes.append(f"{node_id}: credential {a.credential} -> {b.credential}")
        for key in sorted(a.inputs.keys() | b.inputs.keys()):
            if key == "FLOWISE_CREDENTIAL_ID":
                continue
            old_value, new_value = a.inputs.get(key), b.inputs.get(key)
            if old_value != new_value:
                changes.append(f"{node_id}.{key}: {_short(old_value)} -> {_short(new_value)}")
    wiring_before = {(e.source, e.source_handle, e.target, e.target_handle) for e in old.edges}
    wiring_after = {(e.source, e.source_handle, e.target, e.target_handle) for e in new.edges}
    for source, handle, target, _ in sorted(wiring_after - wiring_before):
        changes.append(f"connected {source} -> {target} ({handle})")
    for source, handle, target, _ in sorted(wiring_before - wiring_after):
        changes.append(f"disconnected {source} -> {target} ({handle})")
    return changes
