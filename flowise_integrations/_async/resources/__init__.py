"""Resources, one module per group of Flowise routes."""

from .api_keys import AsyncApiKeys
from .assistants import AsyncAssistants
from .attachments import AsyncAttachments
from .chat_messages import AsyncChatMessages
from .chatflows import AsyncChatflows
from .credentials import AsyncCredentials
from .datasets import AsyncDatasets
from .document_stores import AsyncDocumentStores
from .executions import AsyncExecutions
from .feedback import AsyncFeedback
from .leads import AsyncLeads
from .marketplace import AsyncMarketplace
from .nodes import AsyncNodes
from .predictions import AsyncPredictions
from .stats import AsyncStats
from .tools import AsyncTools
from .upsert_history import AsyncUpsertHistory
from .variables import AsyncVariables
from .vectors import AsyncVectors

__all__ = [
    "AsyncApiKeys",
    "AsyncAssistants",
    "AsyncAttachments",
    "AsyncChatMessages",
    "AsyncChatflows",
    "AsyncCredentials",
    "AsyncDatasets",
    "AsyncDocumentStores",
    "AsyncExecutions",
    "AsyncFeedback",
    "AsyncLeads",
    "AsyncMarketplace",
    "AsyncNodes",
    "AsyncPredictions",
    "AsyncStats",
    "AsyncTools",
    "AsyncUpsertHistory",
    "AsyncVariables",
    "AsyncVectors",
]
