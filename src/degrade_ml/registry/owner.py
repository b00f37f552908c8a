"""Which process a training run belongs to, so that the next training can tell a run left RUNNING by a killed
process (SIGKILL, a lost machine session) from one still going, and mark only the dead one FAILED.

A run is tagged with the host, the pid and the pid's start time (from /proc, so that a recycled pid is not
taken for the same process). Runs of other hosts are never touched: their processes cannot be checked from here.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

HOST, PID, STARTED = "degrade_ml.host", "degrade_ml.pid", "degrade_ml.pid_started"


def tags() -> dict[str, str]:
    """The tags that name this process."""
    return {HOST: socket.gethostname(), PID: str(os.getpid()), STARTED: _start_time(os.getpid())}


def is_dead(run_tags: dict[str, str]) -> bool:
    """True when the run was started by a process of this host that no longer runs."""
    if run_tags.get(HOST) != socket.gethostname() or not run_tags.get(PID, "").isdigit():
        return False
    pid = int(run_tags[PID])
    if pid == os.getpid():
        return False
    if not Path("/proc/self/stat").is_file():  # no /proc: ask the kernel whether the pid exists at all
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    started = _start_time(pid)
    return started == "" or started != run_tags.get(STARTED, started)


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (field 22 of /proc/PID/stat), "" when it does not run."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[1].split()[19]
