"""Screening throughput: combinations per second and peak RSS for 1k, 10k, 100k and 1M combinations.

    .venv/bin/python benchmarks/screen.py                   # the table (each size in its own process)
    .venv/bin/python benchmarks/screen.py --sizes 100000    # the table for some sizes only
    .venv/bin/python benchmarks/screen.py --child 100000    # one size in this process, as JSON

Each size runs in a fresh subprocess so that its peak RSS (getrusage ru_maxrss) is its own and no cache
carries over: every material is featurized from scratch. "after load" times `screen_to_file`, which
predicts in chunks, spills to disk and writes the ranked parquet file in pieces (what `degrade-ml screen` does
after loading the model); "incl. load" adds loading the bundled model. The materials are composition variants of the families the review covers (argyrodite
halide ratios, LGPS-type Ge/Sn/Si, thiophosphates; NMC/NCA compositions, LCO, LMO, Li and Li alloys; oxide
coatings), 50 SEs × 100 electrodes × 20 coatings at 100k, × 200 coatings (Nb/Ta ratios) at 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {1_000: (10, 10, 10), 10_000: (25, 40, 10), 100_000: (50, 100, 20), 1_000_000: (50, 100, 200)}


def _f(x: float) -> str:
    return f"{x:.3g}"


def solid_electrolytes() -> list[str]:
    ses = ["Li6PS5Cl", "Li6PS5Br", "Li6PS5I", "Li10GeP2S12", "Li10SnP2S12", "Li10SiP2S12", "Li3PS4", "Li7P3S11",
           "Li8P2S9", "Li7P2S8I", "Li4PS4I", "Li9.54Si1.74P1.44S11.7Cl0.3", "Li6.6Ge0.6Sb0.4S5I",
           "Li3.25Ge0.25P0.75S4", "Li3.15Ge0.15P0.85S4"]
    ses += [f"Li6PS5Cl{x:.2g}Br{1 - x:.2g}" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    ses += [f"Li6PS5Cl{x:.2g}I{1 - x:.2g}" for x in (0.2, 0.4, 0.6, 0.8)]
    ses += [f"Li{6 - x:.2g}PS{5 - x:.2g}Cl{1 + x:.2g}" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
    ses += [f"Li10Ge{1 - x:.2g}Sn{x:.2g}P2S12" for x in (0.2, 0.4, 0.6, 0.8)]
    ses += [f"Li{6 + x:.2g}P{1 - x:.2g}Ge{x:.2g}S5I" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
    ses += [f"Li{3 + x:.2g}P{1 - x:.2g}Si{x:.2g}S4" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
    assert len(ses) == len(set(ses)) == 50, len(ses)
    return ses


def electrodes() -> list[str]:
    els = ["Li", "LiIn", "LiSi", "LiAl", "LiCoO2", "LiMn2O4", "LiNi0.5Mn1.5O4", "LiNiO2", "LiFePO4", "Li4Ti5O12"]
    nmc = [(a / 100, b / 100, (100 - a - b) / 100) for a in range(30, 96, 5)
           for b in (1, 2, 3, 5, 8, 10, 15, 20, 25, 30) if a + b < 100]
    nmc = [nmc[round(i * (len(nmc) - 1) / 71)] for i in range(72)]  # 72 spread over the grid
    els += [f"LiNi{a:.3g}Mn{b:.3g}Co{c:.3g}O2" for a, b, c in nmc][:72]
    els += [f"LiNi{a:.3g}Co{b:.3g}Al{round(1 - a - b, 3):.3g}O2" for a, b in
            [(0.8, 0.15), (0.8, 0.1), (0.85, 0.1), (0.88, 0.09), (0.9, 0.05), (0.9, 0.07), (0.92, 0.05), (0.94, 0.03),
             (0.82, 0.15), (0.84, 0.12), (0.86, 0.1), (0.87, 0.1), (0.89, 0.08), (0.91, 0.06), (0.93, 0.04),
             (0.95, 0.03), (0.96, 0.02), (0.83, 0.12)]]
    assert len(els) == len(set(els)) == 100, len(els)
    return els


def coatings() -> list[str]:
    cos = ["none", "LiNbO3", "LiTaO3", "Li2ZrO3", "Li3PO4", "Al2O3", "ZrO2", "SiO2", "Li3BO3", "Li2SiO3",
           "Li4SiO4", "LiAlO2", "Li3NbO4", "Li4Ti5O12", "Li2TiO3"]
    cos += [f"LiNb{x:.2g}Ta{1 - x:.2g}O3" for x in (0.2, 0.4, 0.5, 0.6, 0.8)]
    cos += [f"LiNb{x / 1000:.3g}Ta{1 - x / 1000:.3g}O3" for x in range(5, 1000, 5) if x not in (200, 400, 500, 600, 800)]
    cos = cos[:200]
    assert len(cos) == len(set(cos)) == 200, len(cos)
    return cos


def child(size: int) -> dict:
    n_se, n_el, n_co = SIZES[size]
    started = time.perf_counter()
    from degrade_ml.registry.bundle import load_bundle
    from degrade_ml.screening.estimate import estimate_memory
    from degrade_ml.screening.local import screen_to_file

    predictor = load_bundle()
    loaded = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        # no voltage: anodes and cathodes are mixed, so each electrode is taken at its own nominal potential (Li metal
        # at 4.3 V would be refused)
        result = screen_to_file(predictor, solid_electrolytes()[:n_se], electrodes()[:n_el], coatings()[:n_co],
                                output=Path(folder) / "results.parquet")
    done = time.perf_counter()
    assert result.combinations == result.rows_written == size and not result.rejected, result.rejected
    return {
        "size": size, "shape": f"{n_se}×{n_el}×{n_co}", "load_s": loaded - started, "screen_s": done - loaded,
        "write_s": 0.0, "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "estimate_mib": estimate_memory(size).streamed_bytes / 2**20,
        "cpus": len(os.sched_getaffinity(0)), "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", choices=list(SIZES), default=list(SIZES), metavar="N",
                        help=f"sizes to run, each in its own process (default: all of {', '.join(map(str, SIZES))})")
    parser.add_argument("--child", type=int, choices=list(SIZES), metavar="N",
                        help="run one size in this process and print its numbers as JSON")
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return
    rows = []
    for size in args.sizes:
        done = subprocess.run([sys.executable, __file__, "--child", str(size)], capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"degrade-ml screen benchmark (local engine, bundled model, {rows[0]['cpus']} CPUs, one process per size; "
          f"load average {rows[0]['load_average']:.1f} at the end of the first)\n")
    header = ("combinations", "SE×el×coat", "load s", "screen+write s", "comb/s after load", "comb/s incl. load",
              "µs/comb", "marginal µs/comb", "peak RSS MiB", "estimated MiB")
    print(" | ".join(header))
    print(" | ".join("-" * len(h) for h in header))
    previous = None
    for r in rows:
        work = r["screen_s"] + r["write_s"]
        marginal = "" if previous is None else f"{1e6 * (work - previous[1]) / (r['size'] - previous[0]):.1f}"
        print(" | ".join([
            f"{r['size']:,}", r["shape"], f"{r['load_s']:.2f}", f"{work:.2f}", f"{r['size'] / work:,.0f}",
            f"{r['size'] / (work + r['load_s']):,.0f}", f"{1e6 * work / r['size']:.1f}", marginal,
            f"{r['peak_rss_mib']:.0f}", f"{r['estimate_mib']:.0f}",
        ]))
        previous = (r["size"], work)
    print("\nload = importing degrade_ml and its libraries + loading the bundled model; screen+write = parsing the lists,"
          "\nresolving and featurizing every material, predicting in chunks, spilling, and writing the ranked parquet"
          "\nfile in pieces; estimated = what the screen announces before it starts.")

if __name__ == "__main__":
    main()
