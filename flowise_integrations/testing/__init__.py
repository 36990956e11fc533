"""A real local Flowise for tests: server, OpenAI-compatible model stand-in, Chroma, flow builders.

Installed with the ``testing`` extra. ``LocalStack`` starts everything (one Flowise process on
SQLite, or queue mode with ``LocalRedis`` and workers, on ``LocalPostgres``); the pytest plugin
(``flowise_stack``, ``flowise_client``, ``async_flowise_client`` and the flow fixtures) wraps it;
``python -m flowise_integrations.testing serve`` runs it until interrupted.
"""

from . import flows
from ._chroma import LocalChroma
from ._install import DEFAULT_FLOWISE_VERSION
from ._model import ModelStandIn, ToolCall
from ._postgres import LocalPostgres
from ._process import HarnessError
from ._redis import LocalRedis
from ._server import FlowiseProcess, LocalFlowise
from ._stack import LocalStack

__all__ = [
    "DEFAULT_FLOWISE_VERSION",
    "FlowiseProcess",
    "HarnessError",
    "LocalChroma",
    "LocalFlowise",
    "LocalPostgres",
    "LocalRedis",
    "LocalStack",
    "ModelStandIn",
    "ToolCall",
    "flows",
]
