"""Prediction speed: cold `degrade-ml predict` against the import floor, and batch throughput after model load.

Run: .venv/bin/python benchmarks/predict.py

The cold single query is bounded by imports. The floor is what any predictor built on these libraries pays:
`python -c "import sklearn.ensemble, pandas, pymatgen.core"`. Both are timed in the same run, alternately,
best of 5 each, and the ratio must stay ≤ 1.3: nothing that predicting does not need is imported (MLflow,
matplotlib, pandera, PySpark, torch). Batch target: ≥ 2,000 rows/s.
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
REPEATS = 5
RATIO_TARGET = 1.3
FLOOR = [sys.executable, "-c", "import sklearn.ensemble, pandas, pymatgen.core"]


def predict_command() -> list[str]:
    return [shutil.which("degrade-ml") or str(Path(sys.executable).parent / "degrade-ml"),
            "predict", "--se", "Li6PS5Cl", "--electrode", "NMC811", "--coating", "LiNbO3", "--json"]


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def cold_start(repeats: int = REPEATS) -> tuple[float, float]:
    """Best of `repeats` cold `degrade-ml predict` and import-floor runs, alternated so that both see the same
    machine load."""
    predict, floor = [], []
    for _ in range(repeats):
        predict.append(_seconds(predict_command()))
        floor.append(_seconds(FLOOR))
    return min(predict), min(floor)


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
    cold, floor = cold_start()
    ratio = cold / floor
    load_seconds, rows_per_second = batch_throughput()
    print(f"cold single query (best of {REPEATS}):      {cold:.2f} s")
    print(f"import floor (best of {REPEATS}):           {floor:.2f} s   python -c \"import sklearn.ensemble, pandas, pymatgen.core\"")
    print(f"ratio cold query / import floor:   {ratio:.2f}     target ≤ {RATIO_TARGET}   {'OK' if ratio <= RATIO_TARGET else 'MISSED'}")
    print(f"bundled model load:                {load_seconds:.2f} s")
    print(f"batch of {BATCH_ROWS:,} rows:              {rows_per_second:,.0f} rows/s   target ≥ 2,000   {'OK' if rows_per_second >= 2000 else 'MISSED'}")
