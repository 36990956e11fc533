"""What a Flowise release needs around it: the Node.js its ``engines.node`` range allows, and the
versions of its sibling packages.

Flowise 3.1 wants Node 24 (``^24``), 3.0 and 2.2 want 18.15+ or 20 (``>=18.15.0 <19.0.0 || ^20``);
a native module compiled under one major does not load under another. So each release gets the
newest pinned Node of :data:`NODE_RELEASES` its range allows (the install marker records which,
so a later start uses exactly that one).
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections.abc import Mapping
from typing import Any

from ._node import npm_executable
from ._process import HarnessError

__all__ = ["NODE_RELEASES", "engines_node", "flowise_manifest", "lockstep_overrides", "pick_node_release"]

NODE_RELEASES: tuple[str, ...] = ("24.22.3", "22.23.5", "20.20.2", "18.20.8")
"""The Node releases the harness installs, newest first (one per major line)."""

_COMPARATOR = re.compile(r"(\^|~|>=|<=|>|<|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?")

Version = tuple[int, int, int]


def pick_node_release(engines: str) -> str:
    """The newest of :data:`NODE_RELEASES` that satisfies the npm range ``engines``."""
    for release in NODE_RELEASES:
        if _satisfies(_as_version(release), engines):
            return release
    raise HarnessError(
        f"no Node release the harness knows ({', '.join(NODE_RELEASES)}) satisfies {engines!r}"
    )


@functools.cache
def flowise_manifest(version: str) -> dict[str, Any]:
    """``engines`` and ``dependencies`` of ``flowise@<version>``, asked of the npm registry (only
    before installing; once per process, as both the Node choice and the install read it)."""
    npm = npm_executable()
    try:
        done = subprocess.run(
            [npm, "view", f"flowise@{version}", "engines", "dependencies", "--json"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise HarnessError(f"could not ask npm about flowise@{version}: {exc}") from exc
    text = done.stdout.strip()
    if done.returncode != 0 or not text:
        raise HarnessError(
            f"npm view flowise@{version} failed (is {version} a Flowise release?): "
            f"{(done.stderr or text)[-1000:]}"
        )
    manifest = json.loads(text)
    if isinstance(manifest, list):  # a range matching several releases: the last is the newest
        manifest = manifest[-1]
    if not isinstance(manifest, dict):
        raise HarnessError(f"npm view flowise@{version} answered {text[:200]!r}")
    return manifest


def lockstep_overrides(manifest: Mapping[str, Any], version: str) -> dict[str, str]:
    """Pins for the ``flowise-*`` packages released together with ``flowise@<version>``.

    Flowise asks for them with a caret (``flowise-components: ^3.0.13``), so npm would take the
    newest 3.x, whose code the 3.0 server does not match (it fails at start on a module only the
    older components needed).
    """
    dependencies = manifest.get("dependencies") or {}
    return {
        name: version
        for name, spec in dependencies.items()
        if name.startswith("flowise-") and spec == f"^{version}"
    }


def engines_node(manifest: Mapping[str, Any], version: str) -> str:
    """The ``engines.node`` range of a :func:`flowise_manifest`."""
    value = (manifest.get("engines") or {}).get("node")
    if not isinstance(value, str):
        raise HarnessError(f"flowise@{version} declares no engines.node range")
    return value


def _as_version(text: str) -> Version:
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


def _satisfies(version: Version, engines: str) -> bool:
    """Whether ``version`` is in the npm range ``engines`` (``||`` of space-separated comparators)."""
    return any(
        all(_compare(version, comparator) for comparator in alternative.split())
        for alternative in engines.split("||")
        if alternative.strip()
    )


def _compare(version: Version, comparator: str) -> bool:
    match = _COMPARATOR.fullmatch(comparator)
    if match is None:
        raise HarnessError(f"cannot read the Node range comparator {comparator!r}")
    operator, major_text, minor_text, patch_text = match.groups()
    major = int(major_text)
    minor = int(minor_text) if minor_text and minor_text.isdigit() else None
    patch = int(patch_text) if patch_text and patch_text.isdigit() else None
    bound = (major, minor or 0, patch or 0)
    if operator == "^":
        return version >= bound and version[0] == major
    if operator == "~":
        return version >= bound and version[:2] == (major, minor or 0)
    if operator in (None, "="):
        given = (major, minor, patch)
        return all(want is None or want == have for want, have in zip(given, version, strict=True))
    return {">=": version >= bound, "<=": version <= bound, ">": version > bound, "<": version < bound}[
        operator
    ]
