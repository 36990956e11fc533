"""Helpers shared by the generated sync tests and their async sources."""

from __future__ import annotations

import importlib
import inspect
import types
from typing import Any

import pytest


class _SleepRecorder(types.ModuleType):
    """Stands in for ``asyncio``/``time`` inside one client module: ``sleep`` records, never waits."""

    def __init__(self, real: types.ModuleType, delays: list[float]) -> None:
        super().__init__(real.__name__)
        self._real = real
        if inspect.iscoroutinefunction(real.sleep):

            async def sleep(delay: float) -> None:
                delays.append(delay)

        else:

            def sleep(delay: float) -> None:  # type: ignore[misc]
                delays.append(delay)

        self.sleep = sleep

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def record_sleeps(monkeypatch: pytest.MonkeyPatch, target: str) -> list[float]:
    """Record the delays slept through ``target`` (``"<client module>.<asyncio|time>.sleep"``).

    Only the client module's reference is replaced, so servers in other threads still sleep.
    """
    module_name, attribute, function = target.rsplit(".", 2)
    assert function == "sleep", target
    module = importlib.import_module(module_name)
    delays: list[float] = []
    monkeypatch.setattr(module, attribute, _SleepRecorder(getattr(module, attribute), delays))
    return delays
