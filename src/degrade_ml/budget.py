"""A time budget for one row: no single query may hold a batch, a screen or a served request.

The budget is enforced from a watchdog thread that raises `OverBudget` in the thread doing the work (the CLI's
main thread, or the worker thread in which MLflow's scoring server runs a request), so it needs no signals and
works in any thread. The exception arrives at the next Python instruction: a long call inside C code (one qhull
run) finishes first. Work interrupted this way leaves no half-filled cache behind: functools caches store a
value only when the call returns.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

ROW_SECONDS = 8.0


class OverBudget(BaseException):
    """The row took longer than its budget. A BaseException, like KeyboardInterrupt, so that no `except Exception`
    in the libraries the row runs through swallows it and carries on."""


class Watchdog:
    """One watchdog thread for many rows in a row: each `row()` block gets `seconds` from when it starts, and
    OverBudget is raised in the thread that opened the watchdog once they have passed. Starting a timer thread per
    row would cost more than a cached row itself."""

    def __init__(self, seconds: float | None = None):
        self.seconds = ROW_SECONDS if seconds is None else seconds
        self._thread = threading.get_ident()
        self._changed = threading.Condition()
        self._deadline: float | None = None
        self._fired = False
        self._closed = False
        self._idle = False  # the watcher waits for a row to start (it must be woken), not for a deadline
        self._watcher = threading.Thread(target=self._watch, name="degrade-ml-row-budget", daemon=True)

    def __enter__(self) -> Watchdog:
        self._watcher.start()
        return self

    def __exit__(self, *exc_info) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._watcher.join()

    def _watch(self) -> None:
        with self._changed:
            while not self._closed:
                if self._deadline is None:
                    self._idle = True
                    self._changed.wait()
                    self._idle = False
                    continue
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._changed.wait(remaining)
                    continue
                self._deadline, self._fired = None, True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread), ctypes.py_object(OverBudget))

    @contextmanager
    def row(self) -> Iterator[None]:
        """Raise OverBudget here once the block has run longer than `seconds`."""
        with self._changed:
            self._deadline, self._fired = time.monotonic() + self.seconds, False
            if self._idle:  # a watcher waiting on an earlier deadline wakes then and waits on this one
                self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                self._deadline = None
                fired = self._fired
                if fired:  # drop the exception if it has not been delivered yet, and raise it here instead
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread), None)
            if fired:
                raise OverBudget(f"took longer than the {self.seconds:g} s a row may take")
