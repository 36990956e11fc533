"""What a Flowise server can do, decided from the version it reports.

Flowise grew in eras: 2.2 has chatflows, predictions and stores but no agentflow v2, executions or
accounts; 3.0 added agentflows (v2) with executions and human input, and from 3.0.1 accounts,
workspaces and per-key permissions, and datasets; 3.1.3 added credential reveal, webhooks,
schedules and per-flow MCP servers. A request for something the server lacks would answer with
an HTML page, an Express "Cannot GET" or a 404 that reads like a missing id; naming the
capability instead tells the caller what to upgrade.

:class:`ServerCapabilities` is pure data (no I/O): the clients build it from ``GET /version``
and consult it before sending a request that needs a capability.
"""

from __future__ import annotations

import dataclasses
import re

from .._exceptions import UnsupportedFeatureError

__all__ = ["CAPABILITIES", "Capability", "ServerCapabilities", "parse_version"]

Version = tuple[int, int, int]


@dataclasses.dataclass(frozen=True)
class Capability:
    """A feature some Flowise versions lack: its ``name``, what it covers and the first release."""

    name: str
    summary: str
    since: Version

    @property
    def since_text(self) -> str:
        return ".".join(map(str, self.since))


CAPABILITIES: dict[str, Capability] = {
    capability.name: capability
    for capability in (
        Capability("agentflows", "agentflows (v2): AGENTFLOW flows and their nodes", (3, 0, 0)),
        Capability("executions", "agentflow executions (client.executions)", (3, 0, 0)),
        Capability("human_input", "resuming a paused agentflow with human input", (3, 0, 0)),
        Capability("workspaces", "accounts, workspaces and API key permissions", (3, 0, 1)),
        Capability("datasets", "evaluation datasets (client.datasets)", (3, 0, 1)),
        Capability("credential_reveal", "revealing URL credentials (credentials.reveal)", (3, 1, 3)),
        Capability("webhooks", "flow webhook secrets", (3, 1, 3)),
        Capability("schedules", "scheduled flows (schedule status, toggle, trigger logs)", (3, 1, 3)),
    )
}
"""Every capability the clients check, by name."""

_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(text: str) -> Version:
    """``"3.0.13"`` (or ``"2.2.7-patch.1"``) as ``(3, 0, 13)``; ``ValueError`` if it is not one."""
    match = _VERSION.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a Flowise version")
    return int(match[1]), int(match[2]), int(match[3] or 0)


@dataclasses.dataclass(frozen=True)
class ServerCapabilities:
    """The capabilities of one Flowise server, from the version it reports.

    Example::

        caps = client.capabilities()
        if caps.supports("executions"):
            client.executions.list()
    """

    version: str
    version_info: Version = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "version_info", parse_version(self.version))

    def supports(self, name: str) -> bool:
        """Whether the server has capability ``name`` (one of :data:`CAPABILITIES`)."""
        return self.version_info >= _capability(name).since

    def require(self, name: str) -> None:
        """Raise :class:`UnsupportedFeatureError` unless the server has capability ``name``."""
        if not self.supports(name):
            capability = _capability(name)
            raise UnsupportedFeatureError(
                capability.name,
                server_version=self.version,
                since=capability.since_text,
                summary=capability.summary,
            )

    @property
    def supported(self) -> tuple[str, ...]:
        """The names of the capabilities this server has."""
        return tuple(name for name in CAPABILITIES if self.supports(name))

    @property
    def missing(self) -> tuple[str, ...]:
        """The names of the capabilities this server lacks."""
        return tuple(name for name in CAPABILITIES if not self.supports(name))


def _capability(name: str) -> Capability:
    try:
        return CAPABILITIES[name]
    except KeyError:
        raise ValueError(f"unknown capability {name!r}; known: {sorted(CAPABILITIES)}") from None
