"""Callbacks never show a traceback: an unexpected failure becomes one line in the view's message area (the same
words as the command line's `internal error: …`), and the full traceback goes to the server's log only."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from dash import no_update

log = logging.getLogger("degrade_ml.app")


def one_line(error: Exception) -> str:
    return f"internal error: {type(error).__name__}: {' '.join(str(error).split())}"


def guarded(outputs: int, clear: bool = False) -> Callable[[Callable], Callable]:
    """Wrap a callback of `outputs` outputs whose last output is its message area: on an exception the message area
    gets one line and the other outputs stay as they are (`clear`: are emptied, so no earlier answer stays beside
    the message)."""
    rest = None if clear else no_update

    def wrap(callback: Callable) -> Callable:
        @functools.wraps(callback)
        def run(*args):
            try:
                return callback(*args)
            except Exception as error:  # noqa: BLE001 - the page gets one line, the log the traceback
                log.exception("callback %s failed", callback.__name__)
                return one_line(error) if outputs == 1 else (*[rest] * (outputs - 1), one_line(error))
        return run
    return wrap
