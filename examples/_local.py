"""Demo resources for the examples: a Flowise server with a few flows and a small document store.

Without ``FLOWISE_BASE_URL`` and ``FLOWISE_API_KEY`` this starts the local stack from
``flowise_integrations.testing``: a real Flowise, an OpenAI-compatible model stand-in that answers
``"FAKE: <your last message>"``, and Chroma for the document store. With both variables set, the demo
flows are created on that server instead (the stand-in and Chroma still run on this machine, so the
server must be able to reach its loopback address).

Everything the block created is deleted and everything it started is stopped when it ends, also on
Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

from flowise_integrations import Flowise, FlowiseError
from flowise_integrations.testing import LocalStack, flows

__all__ = ["DemoResources", "demo_resources"]

DEMO_CORPUS = {
    "sky.txt": flows.DEFAULT_CORPUS["sky.txt"],
    "photosynthesis.txt": flows.DEFAULT_CORPUS["photosynthesis.txt"],
    "volcano.txt": flows.DEFAULT_CORPUS["volcano.txt"],
}


@dataclasses.dataclass(frozen=True)
class DemoResources:
    stack: LocalStack
    base_url: str
    version: str
    chatflow_id: str
    """ConversationChain on the model stand-in, with memory per session: streams tokens."""
    agentflow_id: str
    """Agentflow Start → Direct Reply, no model: answers ``"Echo: <question>"``."""
    approval_agentflow_id: str
    """Agentflow Start → Human Input ``"Approve?"``: proceed answers ``"Approved"``, reject ``"Rejected"``."""
    store_id: str
    """Document store holding :data:`DEMO_CORPUS` (one loader per file, vectors in Chroma)."""
    rag_chatflow_id: str
    """Conversational retrieval QA over the store, returning its source documents."""


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt  # unwinds like Ctrl+C, so every ``finally`` below runs


def _log(message: str) -> None:
    print(f"[demo] {message}", flush=True)


@contextlib.contextmanager
def demo_resources() -> Iterator[DemoResources]:
    """Start (or reach) Flowise, create the demo flows and store, and clean everything up after."""
    previous_handler = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    previous_env = {name: os.environ.get(name) for name in ("FLOWISE_BASE_URL", "FLOWISE_API_KEY")}
    started = time.monotonic()
    stack = LocalStack()
    if stack.flowise is None:
        _log("using the Flowise server in FLOWISE_BASE_URL; starting the model stand-in and Chroma...")
    else:
        _log("starting a local Flowise (20-40 s), the model stand-in and Chroma...")
    try:
        with stack, stack.client() as client:
            _log(f"Flowise is up at {stack.base_url} ({time.monotonic() - started:.1f} s)")
            with _created(client, stack) as resources:
                _log(f"demo flows and document store ready ({time.monotonic() - started:.1f} s)")
                # The adapters (and any Flowise() without arguments) read these.
                os.environ.update(FLOWISE_BASE_URL=stack.base_url, FLOWISE_API_KEY=stack.api_key)
                yield resources
    finally:
        for name, value in previous_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        signal.signal(signal.SIGTERM, previous_handler)
        _log("stopped everything the demo started")


@contextlib.contextmanager
def _created(client: Flowise, stack: LocalStack) -> Iterator[DemoResources]:
    flow_ids: list[str] = []
    store_id: str | None = None
    try:
        model = stack.model_base_url
        chat = flows.create_conversation_chatflow(client, model_base_url=model, name="quickstart-chat")
        flow_ids.append(chat.id)
        echo = flows.create_echo_agentflow(client, name="quickstart-echo")
        flow_ids.append(echo.id)
        approval = flows.create_human_input_agentflow(client, name="quickstart-approval")
        flow_ids.append(approval.id)
        store_id, _ = flows.create_document_store(
            client,
            model_base_url=model,
            chroma_url=stack.chroma_url,
            corpus=DEMO_CORPUS,
            name="quickstart-docs",
        )
        rag = flows.create_retrieval_chatflow(
            client, model_base_url=model, store_id=store_id, name="quickstart-rag"
        )
        flow_ids.append(rag.id)
        yield DemoResources(
            stack=stack,
            base_url=stack.base_url,
            version=client.version(),
            chatflow_id=chat.id,
            agentflow_id=echo.id,
            approval_agentflow_id=approval.id,
            store_id=store_id,
            rag_chatflow_id=rag.id,
        )
    finally:
        # On a local stack this is thrown away anyway; on your own server it keeps it tidy.
        for flow_id in flow_ids:
            with contextlib.suppress(FlowiseError):
                client.chatflows.delete(flow_id)
        if store_id is not None:
            with contextlib.suppress(FlowiseError):
                client.document_stores.delete(store_id)
