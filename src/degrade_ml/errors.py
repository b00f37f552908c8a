"""The one exit-code rule (SPEC §4), as two kinds of failure every module raises and one CLI handler maps:

- `UserError` (exit 2): what the user can fix, a bad value, a query that cannot be understood, an output path
  that cannot be written;
- `OutsideError` (exit 1): what fails outside the query, a server, the disk, a corrupt bundle.

The message is one line that names the bad value or the failing thing; the handler prints it and nothing else.
"""

from __future__ import annotations

import errno

# the disk, not the path the user gave: a full disk or quota, an I/O error of the device
OUTSIDE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG})


class DegradeMLError(Exception):
    """A failure with a one-line message and the exit code it ends the command with."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


class UserError(DegradeMLError, ValueError):
    """Something the user can fix (exit 2)."""

    exit_code = 2


class OutsideError(DegradeMLError, RuntimeError):
    """Something outside the query failed: a server, the disk, a corrupt bundle (exit 1)."""

    exit_code = 1


def is_outside(error: OSError) -> bool:
    """An OS error of the disk itself (full, quota, I/O), not of the path the user gave."""
    return error.errno in OUTSIDE_ERRNOS
