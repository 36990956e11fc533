"""Releasing the connection of a stream its caller dropped without closing it.

A streamed response holds a pooled connection until it is closed. A stream object that is
garbage-collected while its response is open (abandoned mid-way, or opened and never read) must
give the connection back, or the pool slowly fills with connections nobody will ever read.
:func:`close_when_collected` arranges that for either kind of response: a sync response is closed
on the spot, an async one is closed by a task on the event loop it was opened on (a finalizer
cannot await). Both clients share this module unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref

import httpx

__all__ = ["close_when_collected"]

# Tasks closing abandoned async responses; kept referenced until they finish.
_closing: set[asyncio.Task[None]] = set()


def close_when_collected(owner: object, response: httpx.Response) -> weakref.finalize[..., object]:
    """Close ``response`` when ``owner`` is garbage-collected, unless it was closed before.

    Call from the thread (for async responses: the running event loop) that opened the response.
    The returned finalizer can be ``detach()``-ed once the response is closed the normal way.
    """
    finalizer: weakref.finalize[..., object]
    if isinstance(response.stream, httpx.SyncByteStream):
        finalizer = weakref.finalize(owner, _close, response)
    else:
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio): nothing to schedule the close on
            loop = None
        finalizer = weakref.finalize(owner, _close_on_loop, loop, response)
    finalizer.atexit = False
    return finalizer


def _close(response: httpx.Response) -> None:
    if not response.is_closed:
        response.close()


def _close_on_loop(loop: asyncio.AbstractEventLoop | None, response: httpx.Response) -> None:
    if loop is None or response.is_closed or loop.is_closed():
        return

    def start() -> None:
        if not response.is_closed:
            task = loop.create_task(response.aclose())
            _closing.add(task)
            task.add_done_callback(_closing.discard)

    # RuntimeError: the loop closed in the meantime, and its connections went with it.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(start)
