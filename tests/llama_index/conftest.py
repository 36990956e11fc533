"""LlamaIndex adapter tests; collected only when the ``llama-index`` extra is installed."""

from __future__ import annotations

import importlib.util
import warnings

collect_ignore_glob: list[str] = []
if (
    importlib.util.find_spec("llama_index") is None
):  # pragma: no cover - the extra is installed by `make test`
    warnings.warn("llama-index-core is not installed: tests/llama_index not collected", stacklevel=1)
    collect_ignore_glob = ["unit/*", "integration/*"]
