"""The start/stop protocol every harness component shares (servers, the model stand-in, stacks)."""

from __future__ import annotations

import abc
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Service"]


class Service(abc.ABC):
    """Something the harness starts and stops; as a context manager it runs for the ``with`` block."""

    @abc.abstractmethod
    def start(self) -> Self:
        """Start (or check that it is already running) and return ``self``."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop whatever :meth:`start` started. Safe to call twice."""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
