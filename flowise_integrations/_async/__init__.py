"""The async client: the source of truth from which ``_sync`` is generated (``scripts/unasync.py``)."""
