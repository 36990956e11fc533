"""Record the real Flowise bodies the benchmark server replays (run once; the output is committed).

Starts a local Flowise through :class:`~flowise_integrations.testing.LocalStack` and writes to
``benchmarks/data/``:

* ``prediction.json`` — ``POST /prediction/{id}`` of the echo agentflow (non-streaming), as sent;
* ``chatflows_200.json.xz`` — ``GET /chatflows`` after creating 200 flows (echo agentflows and
  conversation chatflows), as sent (xz-compressed: 7.7 MB of mostly repeated node definitions);
* ``chatflows_streaming.json`` — ``GET /chatflows-streaming/{id}`` (the official SDK calls it first);
* ``stream_agentflow.sse`` — the echo agentflow streamed (agentflow events, ``agentFlowExecutedData``);
* ``stream_tokens.sse`` — a conversation chatflow on the model stand-in streamed (many ``token`` events);
* ``recording.json`` — the Flowise version and the date of the recording.

Usage::

    .venv/bin/python benchmarks/record.py
"""

from __future__ import annotations

import datetime as dt
import json
import lzma
import sys
from pathlib import Path

import httpx

from flowise_integrations.testing import LocalStack, flows
from flowise_integrations.testing.flows import DEFAULT_CORPUS

DATA = Path(__file__).resolve().parent / "data"
N_CHATFLOWS = 200


def _long_question() -> str:
    words = " ".join(DEFAULT_CORPUS.values()).split()
    return " ".join((words * 4)[:400])


def main() -> int:
    DATA.mkdir(parents=True, exist_ok=True)
    with LocalStack(with_chroma=False) as stack, stack.client() as client:
        api = f"{stack.base_url.rstrip('/')}/api/v1"
        headers = {"Authorization": f"Bearer {stack.api_key}"}
        echo = flows.create_echo_agentflow(client)
        chat = flows.create_conversation_chatflow(client, model_base_url=stack.model_base_url)
        with httpx.Client(headers=headers, timeout=120) as http:
            answer = http.post(f"{api}/prediction/{echo.id}", json={"question": "What is Flowise?"})
            answer.raise_for_status()
            (DATA / "prediction.json").write_bytes(answer.content)

            streaming = http.get(f"{api}/chatflows-streaming/{echo.id}")
            streaming.raise_for_status()
            (DATA / "chatflows_streaming.json").write_bytes(streaming.content)

            for name, flow_id, question in (
                ("stream_agentflow.sse", echo.id, "What is Flowise?"),
                ("stream_tokens.sse", chat.id, _long_question()),
            ):
                body = {"question": question, "streaming": True}
                with http.stream("POST", f"{api}/prediction/{flow_id}", json=body) as response:
                    response.raise_for_status()
                    (DATA / name).write_bytes(response.read())

            for i in range(N_CHATFLOWS - 2):
                if i % 4 == 3:
                    flows.create_conversation_chatflow(client, model_base_url=stack.model_base_url)
                else:
                    flows.create_echo_agentflow(client)
            listing = http.get(f"{api}/chatflows")
            listing.raise_for_status()
            items = listing.json()
            if len(items) != N_CHATFLOWS:
                raise RuntimeError(f"expected {N_CHATFLOWS} chatflows, the server listed {len(items)}")
            (DATA / "chatflows_200.json.xz").write_bytes(lzma.compress(listing.content, preset=9))
        meta = {
            "flowise_version": client.version(),
            "recorded": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"),
            "chatflows": N_CHATFLOWS,
        }
    (DATA / "recording.json").write_text(json.dumps(meta, indent=2) + "\n")
    for path in sorted(DATA.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
