"""Prediction speed: cold single-query `degrade-ml predict` wall time, and batch throughput after model load.

Run: .venv/bin/python benchmarks/predict.py   (targets: single query < 3 s cold, batch ≥ 2,000 rows/s)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from degrade_ml.models.predictor import predict_in_chunks
from degrade_ml.registry.bundle import load_bundle

BATCH_ROWS = 10_000


def cold_single_query(repeats: int = 3) -> float:
    command = [shutil.which("degrade-ml") or str(Path(sys.executable).parent / "degrade-ml"),
               "predict", "--se", "Li6PS5Cl", "--electrode", "NMC811", "--coating", "LiNbO3", "--json"]
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return min(timings)


def batch_throughput() -> tuple[float, float]:
    start = time.perf_counter()
    predictor = load_bundle()
    load_seconds = time.perf_counter() - start
    ses = ["Li6PS5Cl", "LGPS", "Li3PS4", "Li7P3S11", "Li6PS5Br", "Li10SnP2S12", "Li4SnS4", "Li6PS5I"]
    electrodes = ["Li", "NMC811", "LCO", "LMO", "NCA", "LiIn"]
    queries = pd.DataFrame({
        "se": [ses[i % len(ses)] for i in range(BATCH_ROWS)],
        "electrode": [electrodes[i % len(electrodes)] for i in range(BATCH_ROWS)],
        "coating": ["LiNbO3" if i % 3 == 0 else "" for i in range(BATCH_ROWS)],
    })
    start = time.perf_counter()
    predict_in_chunks(predictor, queries)
    return load_seconds, BATCH_ROWS / (time.perf_counter() - start)


if __name__ == "__main__":
    cold = cold_single_query()
    load_seconds, rows_per_second = batch_throughput()
    print(f"cold single query (best of 3): {cold:.2f} s   target < 3 s   {'OK' if cold < 3 else 'MISSED'}")
    print(f"bundled model load:            {load_seconds:.2f} s")
    print(f"batch of {BATCH_ROWS:,} rows:          {rows_per_second:,.0f} rows/s   target ≥ 2,000   {'OK' if rows_per_second >= 2000 else 'MISSED'}")
