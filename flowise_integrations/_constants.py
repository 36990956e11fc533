"""Defaults shared by both clients: where Flowise lives, how long to wait, how often to retry."""

from __future__ import annotations

import httpx

DEFAULT_BASE_URL = "http://localhost:3000"
API_PREFIX = "/api/v1"

ENV_BASE_URL = "FLOWISE_BASE_URL"
ENV_API_KEY = "FLOWISE_API_KEY"
ENV_TIMEOUT = "FLOWISE_TIMEOUT"
ENV_MAX_RETRIES = "FLOWISE_MAX_RETRIES"

# CRUD calls: fail fast on an unreachable host, allow a slow database.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# A non-streaming prediction runs the whole flow (LLM calls included) before answering.
PREDICTION_TIMEOUT = httpx.Timeout(300.0, connect=5.0)
# Streams: the read limit applies per chunk. Flowise sends a heartbeat every 30 s, so 60 s of
# silence means the server is stuck (see the streaming-error hang in the docs).
STREAM_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
# ...but heartbeats keep a stream open even when nothing runs it any more (a queue worker died):
# a stream with no event for this long fails, like a non-streaming prediction that takes as long.
STREAM_IDLE_TIMEOUT = 300.0

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A Retry-After longer than this is not slept through: the error is raised with ``retry_after`` set.
MAX_RETRY_WAIT = 20.0

DEFAULT_CONNECTION_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)

# What Flowise returns instead of a stored password field (GET /credentials/{id}).
REDACTED_CREDENTIAL_SENTINEL = "_FLOWISE_BLANK_07167752-1a71-43b1-bf8f-4f32252165db"
