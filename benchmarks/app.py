"""Web page start: seconds from launching `degrade-ml app` to its first 200 on `/` (imports, loading the model and
building the page; the phase diagrams are built later, by the first query that needs them).

Run: .venv/bin/python benchmarks/app.py        Target: start under 10 s.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

REPEATS = 3
START_TARGET_S = 10.0
COMMAND = [sys.executable, "-c", "from degrade_ml.cli.main import main; main()", "app"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None


def start_seconds() -> float:
    """One cold start, to the first 200 on `/`."""
    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen([*COMMAND, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        while _status(f"http://127.0.0.1:{port}/") != 200:
            if server.poll() is not None:
                raise SystemExit(f"degrade-ml app exited with {server.returncode}")
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def main() -> None:
    times = [start_seconds() for _ in range(REPEATS)]
    print(f"degrade-ml app start to first 200 on /: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"over {REPEATS} (target < {START_TARGET_S:g} s)")


if __name__ == "__main__":
    main()
