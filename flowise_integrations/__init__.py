"""Typed sync and async clients for the Flowise REST API.

``Flowise`` and ``AsyncFlowise`` cover every ``/api/v1`` resource with pydantic models, typed
errors, streaming, retries and pagination. The LangChain and LlamaIndex adapters live in
``flowise_integrations.langchain`` and ``flowise_integrations.llama_index`` (installed with the
``langchain`` and ``llama-index`` extras); importing this package never imports either framework.
"""

from ._async._client import AsyncFlowise
from ._async._streaming import AsyncPredictionStream
from ._core.files import FileInput
from ._core.pagination import Page
from ._core.retry import RetryPolicy
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FlowiseError,
    InternalServerError,
    MissingDependencyError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    StreamError,
)
from ._sync._client import Flowise
from ._sync._streaming import PredictionStream
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from ._version import __version__
from .types import HistoryMessage, Prediction, Upload

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFlowise",
    "AsyncPredictionStream",
    "AuthenticationError",
    "BadRequestError",
    "FileInput",
    "Flowise",
    "FlowiseError",
    "HistoryMessage",
    "InternalServerError",
    "MissingDependencyError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "Prediction",
    "PredictionStream",
    "RateLimitError",
    "RequestOptions",
    "RetryPolicy",
    "StreamError",
    "Upload",
    "__version__",
]
