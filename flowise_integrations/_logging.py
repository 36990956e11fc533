"""The ``flowise_integrations`` logger, and redaction of secrets in what httpx logs.

httpx logs every request URL at INFO. Two Flowise routes carry an API key in their path
(``/verify/apikey/{key}``, ``/chatflows/apikey/{key}``); a filter on httpx's logger masks it so a
key never reaches a log record.
"""

from __future__ import annotations

import logging
import re

__all__ = ["logger", "redact"]

logger = logging.getLogger("flowise_integrations")

_KEY_IN_PATH = re.compile(r"(/apikey/)[^/?#\s\"']+")


def redact(text: str) -> str:
    """Mask API keys that appear in URL paths."""
    return _KEY_IN_PATH.sub(r"\1***", text)


class _RedactKeysInPaths(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(redact(str(arg)) if "/apikey/" in str(arg) else arg for arg in record.args)
        if isinstance(record.msg, str) and "/apikey/" in record.msg:
            record.msg = redact(record.msg)
        return True


_filter = _RedactKeysInPaths()
for _name in ("httpx", "httpcore"):
    _target = logging.getLogger(_name)
    if not any(isinstance(f, _RedactKeysInPaths) for f in _target.filters):
        _target.addFilter(_filter)
