"""Typed sync and async clients for the Flowise REST API.

``Flowise`` and ``AsyncFlowise`` cover every ``/api/v1`` resource with pydantic models, typed
errors, streaming, retries and pagination. The LangChain and LlamaIndex adapters live in
``flowise_integrations.langchain`` and ``flowise_integrations.llama_index`` (installed with the
``langchain`` and ``llama-index`` extras); importing this package never imports either framework.

The names below are imported on first use (see ``_lazy``), so ``import flowise_integrations``
stays cheap.
"""

import typing

from ._lazy import lazy_exports as _lazy_exports
from ._version import __version__

if typing.TYPE_CHECKING:
    from ._async._client import AsyncFlowise
    from ._async._streaming import AsyncPredictionStream
    from ._core.capabilities import ServerCapabilities
    from ._core.files import FileInput
    from ._core.pagination import Page
    from ._core.retry import RetryPolicy
    from ._exceptions import (
        AnswerNotKeptError,
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
        NotResumableError,
        PermissionDeniedError,
        PreconditionFailedError,
        RateLimitError,
        StreamError,
        UnsupportedFeatureError,
    )
    from ._sync._client import Flowise
    from ._sync._streaming import PredictionStream
    from ._types import NOT_GIVEN, NotGiven, RequestOptions
    from .types.predictions import HistoryMessage, Prediction, Upload

_EXPORTS = {
    "AsyncFlowise": "._async._client",
    "AsyncPredictionStream": "._async._streaming",
    "ServerCapabilities": "._core.capabilities",
    "FileInput": "._core.files",
    "Page": "._core.pagination",
    "RetryPolicy": "._core.retry",
    "AnswerNotKeptError": "._exceptions",
    "APIConnectionError": "._exceptions",
    "APIError": "._exceptions",
    "APIResponseValidationError": "._exceptions",
    "APIStatusError": "._exceptions",
    "APITimeoutError": "._exceptions",
    "AuthenticationError": "._exceptions",
    "BadRequestError": "._exceptions",
    "FlowiseError": "._exceptions",
    "InternalServerError": "._exceptions",
    "MissingDependencyError": "._exceptions",
    "NotFoundError": "._exceptions",
    "NotResumableError": "._exceptions",
    "PermissionDeniedError": "._exceptions",
    "PreconditionFailedError": "._exceptions",
    "RateLimitError": "._exceptions",
    "StreamError": "._exceptions",
    "UnsupportedFeatureError": "._exceptions",
    "Flowise": "._sync._client",
    "PredictionStream": "._sync._streaming",
    "NOT_GIVEN": "._types",
    "NotGiven": "._types",
    "RequestOptions": "._types",
    "HistoryMessage": ".types.predictions",
    "Prediction": ".types.predictions",
    "Upload": ".types.predictions",
}

__getattr__, __dir__ = _lazy_exports(__name__, _EXPORTS, submodules=("types",))

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AnswerNotKeptError",
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
    "NotResumableError",
    "Page",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "Prediction",
    "PredictionStream",
    "RateLimitError",
    "RequestOptions",
    "RetryPolicy",
    "ServerCapabilities",
    "StreamError",
    "UnsupportedFeatureError",
    "Upload",
    "__version__",
]
