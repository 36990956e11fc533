"""Load on the real single-process Flowise: many sessions and streams at once, nothing lost or crossed.

500 predictions over 50 concurrent sessions, and 200 concurrent streams on one client; the checks
are in ``load_checks.py`` (the queue-mode suite runs them at a larger scale).
"""

from __future__ import annotations

import pytest

from flowise_integrations.testing import LocalStack, ModelStandIn
from flowise_integrations.types import Chatflow
from tests.reliability.load_checks import sessions_keep_their_history, streams_keep_their_text, wide_client

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

SESSIONS = 50
TURNS = 10  # per session: 500 predictions
STREAMS = 200


async def test_500_predictions_over_50_sessions_keep_each_history(
    flowise_stack: LocalStack, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    async with wide_client(flowise_stack, SESSIONS) as client:
        figures = await sessions_keep_their_history(
            client, conversation_chatflow.id, flowise_model, sessions=SESSIONS, turns=TURNS
        )
    print(f"\npredictions over {SESSIONS} sessions: {figures}")


async def test_200_concurrent_streams_get_their_own_text(
    flowise_stack: LocalStack, conversation_chatflow: Chatflow, flowise_model: ModelStandIn
) -> None:
    async with wide_client(flowise_stack, STREAMS) as client:
        figures = await streams_keep_their_text(
            client, conversation_chatflow.id, flowise_model, streams=STREAMS
        )
    print(f"\nconcurrent streams: {figures}")
