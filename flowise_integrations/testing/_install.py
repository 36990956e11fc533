"""Install a pinned Flowise release from npm into the harness cache, once, offline-capable.

A plain ``npm install flowise`` does not work offline: faiss-node's install script downloads from
GitHub, and sqlite3's tries to fetch a prebuilt binary. So the install runs with
``--ignore-scripts`` and then rebuilds only sqlite3, which Flowise needs for its database, with
node-gyp compiling against the headers of the release's Node runtime (``npm_config_nodedir``,
see :func:`node_for_flowise`) instead of downloading them. The result is checked by loading the
sqlite3 binding under that runtime. The ``flowise-*`` packages released with that version are
pinned to it (see :func:`~._engines.lockstep_overrides`).

The install is built in a temporary sibling directory and renamed into
``<cache>/flowise-<version>`` only after a completion marker has been written, all under a file
lock: a finished install is reused at once, a failed one leaves nothing behind, and a process
that races another waits for it and then reuses its result.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from ._cache import cache_root, file_lock, progress, staged_dir
from ._engines import engines_node, flowise_manifest, lockstep_overrides, pick_node_release
from ._node import (
    NODE_BINARY_ENV,
    NodeRuntime,
    install_node,
    node_version,
    npm_executable,
    run_logged,
    runtime_at,
)
from ._process import HarnessError

__all__ = ["DEFAULT_FLOWISE_VERSION", "MARKER_NAME", "install_flowise", "is_installed", "node_for_flowise"]

DEFAULT_FLOWISE_VERSION = "3.1.4"
"""The Flowise release the package is tested against."""

MARKER_NAME = ".flowise-testing-complete.json"
"""File written into an install directory as its last step; its presence means "complete"."""

_NPM_FLAGS = ("--no-audit", "--no-fund", "--no-update-notifier")


def install_flowise(
    version: str = DEFAULT_FLOWISE_VERSION,
    *,
    cache_dir: Path | str | None = None,
    node: NodeRuntime,
) -> Path:
    """Return ``<cache>/flowise-<version>``, installing ``flowise@<version>`` there first if needed.

    A cold install takes several minutes and about 3 GB of disk; later calls return at once.
    Raises :class:`HarnessError` with the failing command and its output's tail.
    """
    root = cache_root(cache_dir)
    final = root / f"flowise-{version}"
    if is_installed(final):
        return final
    with file_lock(root / f"flowise-{version}.lock"):
        if is_installed(final):
            return final
        log_path = root / "logs" / f"flowise-{version}.log"
        log_path.unlink(missing_ok=True)
        progress(f"installing flowise@{version} into {final} (takes ~5 min the first time; log: {log_path})")
        started = time.monotonic()
        with staged_dir(final) as tmp:
            _install_into(tmp, version, node=node, log_path=log_path)
        progress(f"flowise@{version} installed in {time.monotonic() - started:.0f}s")
    return final


def node_for_flowise(version: str, *, cache_dir: Path | str | None = None) -> NodeRuntime:
    """The Node runtime for ``flowise@<version>``: ``$FLOWISE_TESTING_NODE`` if set, else the one its
    cached install was built with, else the newest pinned release its ``engines`` allow."""
    override = os.environ.get(NODE_BINARY_ENV)
    if override:
        node = Path(override).expanduser()
        if not node.is_file():
            raise HarnessError(f"${NODE_BINARY_ENV}={override} is not a file")
        node_version(node)  # it must run
        return runtime_at(node)
    marker = cache_root(cache_dir) / f"flowise-{version}" / MARKER_NAME
    if marker.is_file():
        built_with = json.loads(marker.read_text()).get("node")
        if isinstance(built_with, str):
            return install_node(built_with, cache_dir=cache_dir)
    manifest = flowise_manifest(version)
    return install_node(pick_node_release(engines_node(manifest, version)), cache_dir=cache_dir)


def is_installed(install_dir: Path) -> bool:
    """Whether ``install_dir`` holds a complete install (its marker exists)."""
    return (install_dir / MARKER_NAME).is_file()


def _install_into(target: Path, version: str, *, node: NodeRuntime, log_path: Path) -> None:
    package: dict[str, object] = {"name": "flowise-testing-server", "version": "0.0.0", "private": True}
    overrides = lockstep_overrides(flowise_manifest(version), version)
    if overrides:
        package["overrides"] = overrides
    (target / "package.json").write_text(json.dumps(package, indent=2) + "\n")
    env = _npm_env(node)
    npm = npm_executable(env["PATH"])
    run_logged(
        [npm, "install", "--ignore-scripts", *_NPM_FLAGS, f"flowise@{version}"],
        cwd=target,
        env=env,
        log_path=log_path,
        what=f"installing flowise@{version} with npm",
    )
    progress("compiling the sqlite3 binding for this Node runtime ...")
    run_logged(
        [npm, "rebuild", *_NPM_FLAGS, "sqlite3"],
        cwd=target,
        env=_rebuild_env(env, node),
        log_path=log_path,
        what="rebuilding sqlite3",
    )
    _verify(target, node=node, env=env, log_path=log_path)
    _write_marker(target, version, node)


def _npm_env(node: NodeRuntime) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = node.path_with_node_first(env.get("PATH", ""))
    return env


def _rebuild_env(env: dict[str, str], node: NodeRuntime) -> dict[str, str]:
    """Environment for ``npm rebuild sqlite3``: compile locally, against ``node``'s own headers."""
    rebuild = dict(env)
    # prebuild-install would try GitHub first; go straight to node-gyp.
    rebuild["npm_config_build_from_source"] = "true"
    rebuild.setdefault("JOBS", "max")
    if node.nodedir is not None:
        rebuild["npm_config_nodedir"] = str(node.nodedir)
    return rebuild


def _verify(target: Path, *, node: NodeRuntime, env: dict[str, str], log_path: Path) -> None:
    launcher = target / "node_modules" / ".bin" / "flowise"
    if not launcher.exists():
        raise HarnessError(f"npm finished but {launcher} is missing (see {log_path})")
    run_logged(
        [str(node.node), "-e", "require('sqlite3')"],
        cwd=target,
        env=env,
        log_path=log_path,
        what="loading the sqlite3 binding",
        timeout=120.0,
    )


def _write_marker(target: Path, version: str, node: NodeRuntime) -> None:
    info = {
        "flowise": version,
        "node": ".".join(map(str, node_version(node.node))),
        "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    (target / MARKER_NAME).write_text(json.dumps(info, indent=2) + "\n")
