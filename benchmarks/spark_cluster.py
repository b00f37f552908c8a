"""The Spark engine on a local standalone cluster (one worker, then two, one core each) beside the local engine, in
the same run; then the cost of one contact and one distinct row, and from them a paper estimate for 10^8.

    .venv/bin/python benchmarks/spark_cluster.py                      # 10^6 combinations
    .venv/bin/python benchmarks/spark_cluster.py --combinations 100000

Rows: `degrade-ml screen` (a subprocess each time) over spellings of a few materials (names ignore case), so that
the rows, not the chemistry, set the time: combinations/s from the command's wall time (start-up, model load, JVM
and executors included) and the driver's peak RSS (the command's process and its driver JVM, summed, sampled every
0.2 s; the cluster's daemons and executors are not the driver's).
Per pair: a grid of distinct compositions (benchmarks/screen.py's materials), each distinct contact computed once
in this process on one core, then the rows predicted from those contacts (as the executors do) — what a screen of
distinct materials costs per contact and per row, used for the estimate.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SOURCE = str(ROOT / "src")
sys.path.insert(0, SOURCE)

from degrade_ml.screening.cluster import spellings, standalone_cluster  # noqa: E402

SE_NAMES = [("LPSCl", 32), ("LPSCI", 32), ("LGPS", 16), ("LPGS", 16), ("LPS", 4)]
ELECTRODE_NAMES = [("Li", 4), ("LCO", 8), ("LiCoO2", 24), ("NMC811", 8), ("NCM811", 8), ("NMC111", 8), ("NCM111", 8),
                   ("LMO", 8), ("LiMn2O4", 24)]
COATING_NAMES = [("LNO", 8), ("Li-Nb-O", 24), ("LZO", 8), ("ALD-ZO", 20), ("Li-Zr-O", 15), ("Al2O3", 8), ("SiO2", 8),
                 ("ZrO2", 8)]
ESTIMATE = (1000, 1000, 100)  # SEs × electrodes × coatings of the 10^8 estimate, every material distinct


def lists(combinations: int) -> tuple[list[str], list[str], list[str]]:
    side = round(combinations ** (1 / 3))
    ses = [s for name, n in SE_NAMES for s in spellings(name, n)][:side]
    electrodes = [s for name, n in ELECTRODE_NAMES for s in spellings(name, n)][:side]
    coatings = ["none", *[s for name, n in COATING_NAMES for s in spellings(name, n)]][:side]
    return ses, electrodes, coatings


def run_screen(arguments: list[str], env: dict) -> dict:
    """One `degrade-ml screen` process: wall seconds, the driver's peak RSS (process tree) and its output."""
    command = [sys.executable, "-c", "from degrade_ml.cli.main import main; main()", "screen", *arguments]
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": SOURCE, **env}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample() -> None:
        root = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"screen failed ({process.returncode}): {stderr.strip()[-2000:]}")
    contacts = re.search(r"(\d+) distinct contacts computed on the executors in ([\d.]+) s", stdout)
    return {"seconds": seconds, "peak_rss": peak[0], "contacts_s": float(contacts.group(2)) if contacts else None}


def per_pair_costs(grid: tuple[int, int, int]) -> dict:
    """ms per distinct contact (computed once, one core, cold phase diagrams) and per distinct row predicted from
    given contacts, on a grid of distinct compositions."""
    import pandas as pd

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from screen import coatings, electrodes, solid_electrolytes

    from degrade_ml.screening.grid import combinations, usable_materials
    from degrade_ml.contacts import CONTACT_COLUMNS, contact_keys, encode
    from degrade_ml.registry.bundle import load_bundle
    from degrade_ml.registry.pyfunc import InterfacePyfunc
    from degrade_ml.thermo.engine import default_engine

    predictor = load_bundle()
    n_se, n_el, n_co = grid
    usable, _ = usable_materials(predictor, solid_electrolytes()[:n_se], electrodes()[:n_el],
                                           ["none", *coatings()[: n_co - 1]])
    queries = combinations(usable["SE"], usable["electrode"], usable["coating"], 4.3)
    resolved, _ = predictor.resolve(queries)
    keys = [contact_keys(r.se_formula, r.electrode_formula, r.coating_formula, r.potential_V)
            for r in resolved.itertuples()]
    distinct = list(dict.fromkeys(k for row in keys for k in row))
    engine = default_engine()
    started = time.perf_counter()
    encoded = {key: encode(key, engine) for key in distinct}
    contact_s = time.perf_counter() - started
    given = queries.assign(**{c: [encoded[row[i]] if i < len(row) else None for row in keys]
                              for i, c in enumerate(CONTACT_COLUMNS)})
    model = InterfacePyfunc()
    model.predictor = predictor
    started = time.perf_counter()
    model.predict(None, pd.DataFrame(given))
    row_s = time.perf_counter() - started
    return {"rows": len(queries), "contacts": len(distinct), "ms_per_contact": 1000 * contact_s / len(distinct),
            "ms_per_row": 1000 * row_s / len(queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--combinations", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2", help="cluster sizes to run, comma-separated (one core each)")
    parser.add_argument("--pair-grid", default="8x12x4", help="SEs x electrodes x coatings of distinct compositions")
    options = parser.parse_args()
    ses, electrodes, coatings = lists(options.combinations)
    total = len(ses) * len(electrodes) * len(coatings)
    screen_lists = ["--se", ",".join(ses), "--electrodes", ",".join(electrodes), "--coatings", ",".join(coatings)]
    print(f"{total:,} combinations ({len(ses)} SE × {len(electrodes)} electrode × {len(coatings)} coating spellings)")
    print("| engine | wall s | combinations/s | driver peak RSS | contacts stage s |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="degrade-ml-bench-") as folder:
        local = run_screen([*screen_lists, "--output", str(Path(folder) / "local.parquet")], {})
        _row("local engine", local, total)
        for workers in (int(w) for w in options.workers.split(",")):
            with standalone_cluster(Path(folder) / f"cluster-{workers}", workers=workers, cores=1, memory="1g") as cluster:
                result = run_screen([*screen_lists, "--engine", "spark", "--spark-master", cluster.master_url,
                                     "--output", str(Path(folder) / f"spark-{workers}.parquet")],
                                    cluster.driver_env(SOURCE, executor_memory="768m"))
            _row(f"spark, {workers} worker(s) × 1 core", result, total)
    grid = tuple(int(n) for n in options.pair_grid.split("x"))
    costs = per_pair_costs(grid)
    print(f"\nper pair ({grid[0]} × {grid[1]} × {grid[2]} distinct compositions at 4.3 V, one core): "
          f"{costs['contacts']} distinct contacts, {costs['ms_per_contact']:.1f} ms each; "
          f"{costs['rows']} distinct rows from given contacts, {costs['ms_per_row']:.2f} ms each")
    n_se, n_el, n_co = ESTIMATE
    contacts = n_se * n_el + n_se * (n_co - 1) + (n_co - 1) * n_el
    core_hours = (contacts * costs["ms_per_contact"] + n_se * n_el * n_co * costs["ms_per_row"]) / 1000 / 3600
    print(f"estimate, {n_se} × {n_el} × {n_co} = {n_se * n_el * n_co:.0e} combinations: {contacts:,} contacts "
          f"+ rows = {core_hours:,.0f} core-hours; on N executors × 4 cores ≈ {core_hours / 4:,.0f}/N hours "
          f"(N = 10: {core_hours / 40:,.1f} h, N = 50: {core_hours / 200:,.1f} h), plus start-up")


def _row(name: str, result: dict, total: int) -> None:
    contacts = f"{result['contacts_s']:.1f}" if result["contacts_s"] is not None else ""
    print(f"| {name} | {result['seconds']:.1f} | {total / result['seconds']:,.0f} | "
          f"{result['peak_rss'] / 2**20:,.0f} MiB | {contacts} |", flush=True)


if __name__ == "__main__":
    main()
