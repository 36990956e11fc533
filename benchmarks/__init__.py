"""Benchmarks of the client against raw httpx, httpx-sse and the official SDK (``make bench``)."""
