"""Blocking SSH work in a worker thread that the collector's time budget can really stop.

Why not ``asyncio.to_thread``: when the runner's budget cancels a collector, ``to_thread`` only abandons the
awaiting coroutine; the worker thread keeps reading from the device (netmiko polls its channel until its own read
timeout, again for every command left), and ``asyncio.run`` and the interpreter both wait for every executor
thread before they end. One slow device thus held a whole audit far past the ``--timeout`` the user set.

Here the work runs in its own daemon thread inside an :class:`AbortScope`: every
:class:`collectors.transports.ssh.SshSession` opened in that thread registers itself with the scope (through a
context variable, so collectors need no extra argument). On cancellation the scope aborts them from the event-loop
side (channel closed, then transport and socket), the blocked read in the thread fails at once, and the cancelled
collector waits a short grace for the thread to end. A thread that still does not end (stuck in the kernel) is left
behind as a daemon: nothing waits for it, neither the run nor the process exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: How long a cancelled collector waits for its worker thread once its sessions are closed. A closed session makes
#: netmiko's next poll fail (every ~10 ms), so the thread normally ends well within this.
ABORT_GRACE = 2.0


class Abortable(Protocol):
    def abort(self) -> None:
        """Close the connection from any thread; the owner's blocked I/O then fails."""


class AbortScope:
    """The sessions one worker thread opened. :meth:`abort` closes each, and any opened after it, at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Abortable] = []
        self.aborted = False

    def track(self, item: Abortable) -> None:
        with self._lock:
            if not self.aborted:
                self._items.append(item)
                return
        item.abort()  # the budget ran out before this session even started

    def abort(self) -> None:
        with self._lock:
            self.aborted = True
            items, self._items = self._items, []
        for item in items:
            with contextlib.suppress(Exception):  # closing a half-dead connection may complain; it is closed anyway
                item.abort()


_SCOPE: contextvars.ContextVar[AbortScope | None] = contextvars.ContextVar("nc_ssh_abort_scope", default=None)


def current_scope() -> AbortScope | None:
    """The scope of the worker thread running now (None outside :func:`run_abortable`)."""
    return _SCOPE.get()


async def run_abortable(fn: Callable[[], T], *, name: str) -> T:
    """Run ``fn`` in a daemon thread named ``name``; if the awaiting task is cancelled (the runner's budget, or a
    stopped run), abort every session ``fn`` opened, wait up to :data:`ABORT_GRACE` for the thread, re-raise."""
    loop = asyncio.get_running_loop()
    scope = AbortScope()
    result: asyncio.Future[T] = loop.create_future()
    finished = asyncio.Event()
    context = contextvars.copy_context()
    context.run(_SCOPE.set, scope)

    def settle(value: T | None, error: BaseException | None) -> None:  # runs on the loop
        finished.set()
        if result.done():  # cancelled meanwhile: nobody wants the outcome
            return
        if error is not None:
            result.set_exception(error)
        else:
            result.set_result(value)  # type: ignore[arg-type]

    def work() -> None:
        value: T | None = None
        error: BaseException | None = None
        try:
            value = context.run(fn)
        except Exception as exc:
            error = exc
        except BaseException as exc:  # asyncio futures refuse SystemExit and friends: hand over a plain error
            error = RuntimeError(f"worker thread {name} ended with {type(exc).__name__}")
        with contextlib.suppress(RuntimeError):  # the loop is closed: the run is over, nobody waits
            loop.call_soon_threadsafe(settle, value, error)

    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    try:
        return await result
    except asyncio.CancelledError:
        scope.abort()
        try:
            await asyncio.wait_for(finished.wait(), ABORT_GRACE)
        except TimeoutError:
            log.warning("%s: still running %g s after its SSH sessions were closed; left behind", name, ABORT_GRACE)
        raise
