"""The environment a harness-run Flowise process (main server or queue worker) starts with.

It is made offline-friendly and hermetic: inherited Flowise settings (a developer's
``DATABASE_TYPE=postgres``, LangSmith tracing, ``NODE_ENV=production``...) are dropped, telemetry is
off, the model list is read from the install instead of GitHub, and a preload script answers
LangChain's tiktoken downloads from the bundled ranks (see ``data/tiktoken_preload.cjs``). Every
process of one server gets the same settings, so workers share the main server's database,
encryption key, uploads and Redis.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ._node import NodeRuntime
from ._postgres import LocalPostgres
from ._redis import LocalRedis

__all__ = ["PRELOAD_PATH", "flowise_environment"]

PRELOAD_PATH = Path(__file__).resolve().parent / "data" / "tiktoken_preload.cjs"
"""The CommonJS preload that serves tiktoken ranks offline (loaded with ``--require``)."""

HOST = "127.0.0.1"

# Inherited variables that would change where Flowise keeps state, what it talks to, or how it
# authenticates; the harness decides these itself (callers can still set any of them via ``env``).
_DROPPED_PREFIXES = (
    "AZURE_BLOB_",
    "BLOB_STORAGE_",
    "CUSTOM_MCP_",
    "DATABASE_",
    "FLOWISE_",
    "GLOBAL_AGENT_",
    "GOOGLE_CLOUD_",
    "JWT_",
    "LANGCHAIN_",
    "LANGSMITH_",
    "LOG_",
    "METRICS_",
    "QUEUE_",
    "REDIS_",
    "REMOVE_ON_",
    "S3_",
    "SECRETKEY_",
    "SMTP_",
)
_DROPPED_NAMES = frozenset(
    {
        "APP_URL",
        "DEBUG",
        "DISABLED_NODES",
        "ENABLE_BULLMQ_DASHBOARD",
        "ENABLE_METRICS",
        "EXPRESS_SESSION_SECRET",
        "HOST",
        "HTTP_DENY_LIST",
        "HTTP_SECURITY_CHECK",
        "LICENSE_URL",
        "MODE",
        "MODEL_LIST_CONFIG_JSON",
        "NODE_ENV",
        "OFFLINE",
        "PORT",
        "POSTHOG_PUBLIC_API_KEY",
        "REMOVE_ON_AGE",
        "REMOVE_ON_COUNT",
        "SECURE_COOKIES",
        "STORAGE_TYPE",
        "TOKEN_HASH_SECRET",
        "WORKER_CONCURRENCY",
    }
)


def flowise_environment(
    *,
    node: NodeRuntime,
    install_dir: Path,
    data_dir: Path,
    port: int,
    redis: LocalRedis | None = None,
    postgres: LocalPostgres | None = None,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Settings for one Flowise process; ``extra`` is applied last and wins."""
    env = {key: value for key, value in os.environ.items() if not _is_flowise_setting(key)}
    inherited_node_options = env.get("NODE_OPTIONS", "")
    env.update(
        {
            "PATH": node.path_with_node_first(env.get("PATH", "")),
            "HOME": str(data_dir),
            "HOST": HOST,
            "PORT": str(port),
            "DATABASE_TYPE": "sqlite",
            "DATABASE_PATH": str(data_dir / "database"),
            "SECRETKEY_PATH": str(data_dir / "secrets"),
            "LOG_PATH": str(data_dir / "logs"),
            "LOG_LEVEL": "info",
            "STORAGE_TYPE": "local",
            "BLOB_STORAGE_PATH": str(data_dir / "storage"),
            "DISABLE_FLOWISE_TELEMETRY": "true",
            "NODE_OPTIONS": f"{_require_option(PRELOAD_PATH)} {inherited_node_options}".strip(),
            "FLOWISE_TESTING_TIKTOKEN_PATHS": str(install_dir / "node_modules"),
            "FLOWISE_TESTING_TIKTOKEN_LOG": "1",
        }
    )
    if postgres is not None:
        env.update(
            {
                "DATABASE_TYPE": "postgres",
                "DATABASE_HOST": postgres.host,
                "DATABASE_PORT": str(postgres.port),
                "DATABASE_USER": postgres.user,
                "DATABASE_NAME": postgres.database,
            }
        )
    if redis is not None:
        # By default BullMQ deletes a failed job at once, and the main server, reading its result a
        # moment later, answers "Missing key for job ..." instead of the flow's error; keeping
        # finished jobs an hour lets every error through (see docs/quirks.md#queue-mode).
        env.update({"MODE": "queue", "REDIS_URL": redis.url, "REMOVE_ON_AGE": "3600"})
    models = _local_models_json(install_dir)
    if models is not None:
        env["MODEL_LIST_CONFIG_JSON"] = str(models)
    env.update(extra or {})
    return env


def _require_option(script: Path) -> str:
    """``--require=<script>`` for ``NODE_OPTIONS``, quoted when the path contains whitespace."""
    text = str(script)
    return f'--require="{text}"' if any(ch.isspace() for ch in text) else f"--require={text}"


def _is_flowise_setting(name: str) -> bool:
    return name in _DROPPED_NAMES or name.startswith(_DROPPED_PREFIXES)


def _local_models_json(install_dir: Path) -> Path | None:
    """The model list bundled with flowise-components, so Flowise need not fetch it from GitHub."""
    candidates = (
        install_dir / "node_modules" / "flowise-components" / "models.json",
        install_dir / "node_modules" / "flowise" / "node_modules" / "flowise-components" / "models.json",
    )
    return next((path for path in candidates if path.is_file()), None)
