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
FLOOR = [sys.executable, "-c", "import sklearn.ensemble, pandas, pymatgen.core"]  # as benchmarks/predict.py


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


def floor_seconds() -> float:
    """The imports any predictor on these libraries pays: how loaded the machine is, for reading the start time."""
    started = time.perf_counter()
    subprocess.run(FLOOR, check=True)
    return time.perf_counter() - started


def main() -> None:
    times, floors = [], []
    for _ in range(REPEATS):  # alternately, so that both see the same load
        times.append(start_seconds())
        floors.append(floor_seconds())
    print(f"degrade-ml app start to first 200 on /: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
          f"over {REPEATS} (target < {START_TARGET_S:g} s); import floor best {min(floors):.2f} s")


if __name__ == "__main__":
    main()
