"""Build data/thermo/phases.csv: CHGNet-relaxed, MP2020-corrected energies of the authored phases.

Run from the repository root:  .venv-thermo/bin/python scripts/thermo/build_phase_table.py [--only id,id] [--redo id,id]

* Every phase in structures.PHASES is built, relaxed once with CHGNet (positions + cell, FIRE), and its
  raw (MPtrj-like, uncorrected GGA/GGA+U) energy is stored in data/thermo/relaxed_structures.jsonl
  (one JSON line per phase, appended as soon as it is done: an interrupted build resumes and skips
  the phases already there).
* CHGNet 0.3.0 is trained on MPtrj energies that already carry the MP2020 corrections (see write_table.corrected()), so
  its energy is used as the corrected energy.  Each result is wrapped in a pymatgen ComputedStructureEntry
  with the MP run parameters (run_type GGA, or GGA+U with MP's U values for Co/Cr/Fe/Mn/Mo/Ni/V/W when O or
  F is present) and MaterialsProject2020Compatibility(check_potcar=False) supplies the correction, which is
  reported (and subtracted to give the implied raw GGA/GGA+U energy) but not added a second time.
* phases.csv and build_info.json are regenerated from the checkpoint and the Materials Project entries in
  pymatgen's wheel after every phase (write_table.py; `--outputs-only` runs that stage alone, without CHGNet).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
OUT_DIR = os.path.join(ROOT, "data", "thermo")
CKPT = os.path.join(OUT_DIR, "relaxed_structures.jsonl")
CSV_PATH = os.path.join(OUT_DIR, "phases.csv")
INFO_PATH = os.path.join(OUT_DIR, "build_info.json")
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import structures as S  # noqa: E402
import write_table  # noqa: E402
from pymatgen.core import Structure  # noqa: E402
from pymatgen.symmetry.analyzer import SpacegroupAnalyzer  # noqa: E402

SEED = 20240611
RELAX = {"optimizer": "FIRE", "fmax_eV_per_A": 0.05, "max_steps": 500, "relax_cell": True,
         "cell_filter": "FrechetCellFilter (chgnet default)"}


def write_outputs() -> None:
    write_table.write_outputs(Path(CKPT), Path(CSV_PATH), Path(INFO_PATH), S.PHASES, write_table.file_sha256(
        Path(HERE) / "structures.py"))


def record_relaxation(model_version: str, chgnet_version: str, torch_version: str) -> None:
    """The relaxation provenance in build_info.json, which the output stage carries over."""
    info = json.loads(Path(INFO_PATH).read_text()) if os.path.exists(INFO_PATH) else {}
    info |= {"chgnet_version": chgnet_version, "torch_version": torch_version, "relaxation": RELAX,
             "model_name": f"CHGNet {model_version} (pretrained checkpoint shipped in the chgnet wheel, MPtrj GGA/GGA+U)",
             "torch_num_threads": 1, "seed": SEED}
    Path(INFO_PATH).write_text(json.dumps(info, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated phase_ids to build (default: all)")
    ap.add_argument("--redo", default="", help="comma-separated phase_ids to rebuild even if checkpointed")
    ap.add_argument("--outputs-only", action="store_true")
    args = ap.parse_args()
    if args.outputs_only:  # the tables from the checkpoint and the wheel data: no CHGNet, no torch
        write_outputs()
        return

    import chgnet
    import torch
    from chgnet.model import CHGNet, StructOptimizer

    torch.set_num_threads(1)
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    os.makedirs(OUT_DIR, exist_ok=True)
    model = CHGNet.load(verbose=False) if "verbose" in CHGNet.load.__code__.co_varnames else CHGNet.load()
    record_relaxation(str(getattr(model, "version", "0.3.0")), chgnet.__version__, torch.__version__.split("+")[0])

    def e_per_atom(s: Structure) -> float:
        return float(model.predict_structure(s)["e"])

    S.ENERGY_FN = e_per_atom
    opt = StructOptimizer(model=model, optimizer_class=RELAX["optimizer"])

    def relax_briefly(s: Structure, steps: int) -> tuple[Structure, float]:
        final = opt.relax(s, fmax=RELAX["fmax_eV_per_A"], steps=steps, relax_cell=True, verbose=False)["final_structure"]
        return final, e_per_atom(final)

    S.RELAX_FN = relax_briefly
    done = write_table.load_ckpt(Path(CKPT))
    redo = {x for x in args.redo.split(",") if x}
    todo = [p for p in S.PHASES if (not args.only or p in args.only.split(",")) and (p not in done or p in redo)]
    print(f"{len(done)} phases checkpointed, {len(todo)} to build", flush=True)
    try:
        from tqdm import tqdm
        it = tqdm(todo, file=sys.stdout, mininterval=0)
    except ImportError:
        it = todo
    for pid in it:
        t0 = time.time()
        ph = S.PHASES[pid]
        try:
            s0 = ph.build()
        except Exception as exc:  # noqa: BLE001
            print(f"[skip] {pid}: build failed: {type(exc).__name__}: {exc}", flush=True)
            continue
        res = opt.relax(s0, fmax=RELAX["fmax_eV_per_A"], steps=RELAX["max_steps"], relax_cell=True, verbose=False)
        final = res["final_structure"]
        pred = model.predict_structure(final)
        e_total = float(pred["e"]) * len(final)
        nsteps = len(res["trajectory"].energies)
        fmax = float(np.abs(pred["f"]).max())
        try:
            sg = SpacegroupAnalyzer(final, symprec=0.1).get_space_group_symbol()
        except Exception:  # noqa: BLE001
            sg = "P1"
        row = {"phase_id": pid, "formula": final.composition.reduced_formula, "energy_total_eV": e_total,
               "energy_per_atom_eV": e_total / len(final), "n_steps": nsteps, "final_fmax": fmax,
               "converged": nsteps < RELAX["max_steps"], "space_group": sg,
               "initial_volume_per_atom": s0.volume / len(s0), "final_volume_per_atom": final.volume / len(final),
               "structure": final.as_dict()}
        with open(CKPT, "a") as f:
            f.write(json.dumps(row) + "\n")
        write_outputs()
        msg = (f"{pid:24s} {row['formula']:14s} n={len(final):3d} E={row['energy_per_atom_eV']:.4f} eV/at "
               f"steps={nsteps} V {row['initial_volume_per_atom']:.1f}->{row['final_volume_per_atom']:.1f} "
               f"{sg} {time.time() - t0:.0f}s")
        print(msg, flush=True)
    write_outputs()
    print(f"wrote {CSV_PATH}", flush=True)


if __name__ == "__main__":
    main()
