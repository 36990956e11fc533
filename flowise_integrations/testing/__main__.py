"""``python -m flowise_integrations.testing``: install the local Flowise, or serve the whole stack.

``install`` puts Node 24 and Flowise into the cache (what the first test run would otherwise do
inside a fixture); ``serve`` starts the stand-in, Chroma and Flowise (``--mode queue`` for Redis
and BullMQ workers, ``--database postgres``), creates the test flows, prints how to reach them and
runs until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from typing import get_args

from . import flows
from ._install import DEFAULT_FLOWISE_VERSION, install_flowise, node_for_flowise
from ._process import HarnessError
from ._server import Database, Mode
from ._stack import LocalStack


def _install(version: str) -> None:
    path = install_flowise(version, node=node_for_flowise(version))
    print(f"flowise@{version} installed in {path}")


def _serve(version: str, *, with_flows: bool, mode: Mode, workers: int, database: Database) -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stack = LocalStack(
        flowise_version=version, mode=mode, workers=workers, database=database, use_env_server=False
    )
    with stack:
        info: dict[str, object] = {
            "base_url": stack.base_url,
            "api_key": stack.api_key,
            "model_base_url": stack.model_base_url,
            "chroma_url": stack.chroma_url,
        }
        if with_flows:
            with stack.client() as client:
                store_id, _ = flows.create_document_store(
                    client, model_base_url=stack.model_base_url, chroma_url=stack.chroma_url
                )
                made = {
                    "conversation_chatflow": flows.create_conversation_chatflow(
                        client, model_base_url=stack.model_base_url
                    ).id,
                    "custom_function_chatflow": flows.create_custom_function_chatflow(client).id,
                    "retrieval_chatflow": flows.create_retrieval_chatflow(
                        client, model_base_url=stack.model_base_url, store_id=store_id
                    ).id,
                    "document_store": store_id,
                }
                if client.capabilities().supports("agentflows"):  # not on Flowise 2.x
                    made["echo_agentflow"] = flows.create_echo_agentflow(client).id
                    made["human_input_agentflow"] = flows.create_human_input_agentflow(client).id
                info["flows"] = made
        print(json.dumps(info, indent=2), flush=True)
        print("Serving; press Ctrl+C to stop.", file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            stopped.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flowise_integrations.testing", description=__doc__)
    parser.add_argument(
        "--version", default=DEFAULT_FLOWISE_VERSION, help="Flowise version (default %(default)s)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("install", help="install Flowise and the Node release it needs into the cache")
    serve = commands.add_parser("serve", help="run the stand-in, Chroma and Flowise until interrupted")
    serve.add_argument("--no-flows", action="store_true", help="do not create the test flows")
    serve.add_argument(
        "--mode",
        choices=get_args(Mode),
        default="main",
        help="one process (main, the default) or Redis and BullMQ workers (queue)",
    )
    serve.add_argument("--workers", type=int, default=2, help="queue workers in queue mode (default 2)")
    serve.add_argument("--database", choices=get_args(Database), default="sqlite", help="default %(default)s")
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            _install(args.version)
        else:
            _serve(
                args.version,
                with_flows=not args.no_flows,
                mode=args.mode,
                workers=args.workers,
                database=args.database,
            )
    except (HarnessError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
