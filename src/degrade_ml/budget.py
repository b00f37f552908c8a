"""A time budget for one row: no single query may hold a batch, a screen or a served request.

The budget is enforced from a watchdog timer that raises `OverBudget` in the thread doing the work (the CLI's
main thread, or the worker thread in which MLflow's scoring server runs a request), so it needs no signals and
works in any thread. The exception arrives at the next Python instruction: a long call inside C code (one qhull
run) finishes first. Work interrupted this way leaves no half-filled cache behind: functools caches store a
value only when the call returns.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

ROW_SECONDS = 8.0


class OverBudget(BaseException):
    """The row took longer than its budget. A BaseException, like KeyboardInterrupt, so that no `except Exception`
    in the libraries the row runs through swallows it and carries on."""


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Raise OverBudget in this thread once `seconds` (default ROW_SECONDS) have passed inside the block."""
    seconds = ROW_SECONDS if seconds is None else seconds
    thread = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(OverBudget))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["active"] = False
        if state["fired"]:  # drop the exception if it has not been delivered yet, and raise it here instead
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), None)
        timer.join()
        if state["fired"]:
            raise OverBudget(f"took longer than the {seconds:g} s a row may take")
