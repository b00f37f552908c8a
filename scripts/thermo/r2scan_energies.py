"""Energies of CHGNet's r2SCAN checkpoint for every CHGNet phase: the issue's second candidate source of formation
energies, scored beside CHGNet 0.3.0 in reports/thermo.md (degrade_ml.experiments.thermo_candidates).

The checkpoint (chgnet/pretrained/r2scan, "Cross-functional transferability in foundation machine learning
interatomic potentials", Huang et al., npj Comput. Mater. 2025) is CHGNet 0.3.0 fine-tuned on the MP-r2SCAN
dataset: it predicts raw r2SCAN total energies on the Materials Project's r2SCAN scale, with no anion or +U
correction (the Materials Project applies none to r2SCAN). Formation energies therefore come from its own elemental
references, computed the same way (degrade_ml.thermo.sources.r2scan_compounds).

Compounds: the lower of two energies. (1) A single point on the 0.3.0-relaxed structure of
data/thermo/relaxed_structures.jsonl; relaxing 10 of them (MnS rock-salt and wurtzite, FeS, TiS, ZrS2, Ni3S2, SiS2,
Li3PS4, LiNbO3, LiIn) further with the r2SCAN checkpoint lowered them by 0 to 9 meV/atom (median 2). (2) A relaxation
with the r2SCAN checkpoint (FIRE, cell too, at most 200 steps) from the authored structure (structures.PHASES, the
published crystallography or prototype; an ordered approximant or a searched packing, whose structure CHGNet
0.3.0's energies chose, has none of its own and keeps (1)), because CHGNet 0.3.0 can relax a magnetic sulfide into another spin state
whose cell the single point inherits: pyrite MnS2 collapses 25 % in volume to a low-spin cell (2.2 muB per Mn,
measured high-spin), and from its authored cell the r2SCAN checkpoint keeps it high-spin 223 meV/atom lower; troilite
FeS (19 % collapse) comes 61 meV/atom lower. Both are upper bounds of the checkpoint's own minimum, so the lower is the
better estimate. Elements: relaxed from their 0.3.0-relaxed structures, because every formation energy rests on them and one is far off its
r2SCAN minimum: alpha-Mn relaxes 87 meV/atom lower, 13.5 % larger. The relaxations are appended to
data/thermo/r2scan_relaxations.jsonl as each finishes, so an interrupted run resumes; the whole run takes about
10 minutes on one thread with them cached, about an hour without.

Run from the repository root with the thermo-build extra:
    .venv-thermo/bin/python scripts/thermo/r2scan_energies.py
It writes data/thermo/r2scan_energies.json (the input hashes, the checkpoint, and one row per phase).
`--only id,id` computes just those phases (new ones, say) the same way and merges them into the existing file, with
the input hashes brought up to date: minutes instead of an hour, and every other row kept as computed.
`--check-relaxation id,id` instead relaxes those phases with the r2SCAN checkpoint (FIRE, cell too, at most 200 steps)
and prints how far each moves from its single point (energy per atom, volume): the size of the approximation.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore")

from write_table import load_ckpt

ROOT = Path(__file__).resolve().parents[2]
CKPT = ROOT / "data" / "thermo" / "relaxed_structures.jsonl"
OUT = ROOT / "data" / "thermo" / "r2scan_energies.json"
RELAXATIONS = ROOT / "data" / "thermo" / "r2scan_relaxations.jsonl"  # resumable; not shipped
STRUCTURES = Path(__file__).resolve().parent / "structures.py"
RELAX = {"optimizer": "FIRE", "fmax_eV_per_A": 0.05, "max_steps": 200, "relax_cell": True,
         "applied_to": "elements, and compounds from their authored structures"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relaxed(optimizer, structure):
    """The structure relaxed with RELAX's settings (positions and cell)."""
    return optimizer.relax(structure, fmax=RELAX["fmax_eV_per_A"], steps=RELAX["max_steps"], relax_cell=True,
                           verbose=False)["final_structure"]


def check_relaxation(model, rows: dict[str, dict], phase_ids: list[str]) -> None:
    """Relax the named phases with the r2SCAN checkpoint and print the change from the single point."""
    from chgnet.model import StructOptimizer
    from pymatgen.core import Structure

    optimizer = StructOptimizer(model=model, optimizer_class=RELAX["optimizer"])
    for pid in phase_ids:
        structure = Structure.from_dict(rows[pid]["structure"])
        single = float(model.predict_structure(structure)["e"])
        final = relaxed(optimizer, structure)
        energy = float(model.predict_structure(final)["e"])
        print(f"{pid:24s} single {single:.4f} relaxed {energy:.4f} eV/atom: {1000 * (energy - single):+.1f} meV/atom, "
              f"volume {100 * (final.volume / structure.volume - 1):+.1f} %", flush=True)


class ModelChosen(Exception):
    """Raised by a phase's build when it asks a model to choose among candidate structures."""


def _model_chosen(*args):
    raise ModelChosen


def relax_from_authored(optimizer, model, phase_ids: list[str]) -> None:
    """Relax each compound from its authored structure with the r2SCAN checkpoint, appending to RELAXATIONS. An ordered
    approximant or a searched packing, whose structure CHGNet 0.3.0's energies chose, has no authored structure of its
    own: it is recorded as such and keeps its single point."""
    import structures

    structures.ENERGY_FN = structures.RELAX_FN = _model_chosen
    for pid in phase_ids:
        try:
            authored = structures.PHASES[pid].build()
        except ModelChosen:
            row = {"phase_id": pid, "model_chosen": True}
        else:
            final = relaxed(optimizer, authored)
            row = {"phase_id": pid, "energy_per_atom_eV": round(float(model.predict_structure(final)["e"]), 6),
                   "volume_change_percent": round(100 * (final.volume / authored.volume - 1), 2)}
        with RELAXATIONS.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")
        print(f"{pid:24s} from authored {row.get('energy_per_atom_eV', 'model-chosen')}", flush=True)


def main() -> None:
    import argparse

    import chgnet
    import torch
    from chgnet.model import CHGNet, StructOptimizer
    from pymatgen.core import Structure

    parser = argparse.ArgumentParser()
    parser.add_argument("--check-relaxation", default="", help="comma-separated phase_ids to relax instead")
    parser.add_argument("--only", default="", help="comma-separated phase_ids to compute and merge into the file")
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = CHGNet.load(model_name="r2scan", verbose=False)
    checkpoint = Path(chgnet.__file__).parent / "pretrained" / "r2scan"
    weights = next(checkpoint.glob("*.pth.tar"))
    rows = load_ckpt(CKPT)
    if args.check_relaxation:
        check_relaxation(model, rows, args.check_relaxation.split(","))
        return
    optimizer = StructOptimizer(model=model, optimizer_class=RELAX["optimizer"])
    only = [pid for pid in args.only.split(",") if pid]
    unknown = sorted(set(only) - set(rows))
    if unknown:
        raise SystemExit(f"--only: {', '.join(unknown)} not in {CKPT.name}; relax them with build_phase_table.py first")
    wanted = only or list(rows)
    compounds = [pid for pid in wanted if not Structure.from_dict(rows[pid]["structure"]).composition.is_element]
    relax_from_authored(optimizer, model, [pid for pid in compounds if pid not in load_ckpt(RELAXATIONS)])
    from_authored = load_ckpt(RELAXATIONS)
    energies = []
    for pid in wanted:
        row = rows[pid]
        structure = Structure.from_dict(row["structure"])
        single = float(model.predict_structure(structure)["e"])
        energy = {"single_point_energy_per_atom_eV": round(single, 6)}
        if structure.composition.is_element:
            final = relaxed(optimizer, structure)
            structure = final
            energy["relaxed_volume_change_percent"] = round(100 * (final.volume / Structure.from_dict(
                row["structure"]).volume - 1), 2)
        prediction = model.predict_structure(structure)
        lowest = round(float(prediction["e"]), 6)
        if "energy_per_atom_eV" in from_authored.get(pid, {}):
            energy["relaxed_from_authored_energy_per_atom_eV"] = from_authored[pid]["energy_per_atom_eV"]
            lowest = min(lowest, from_authored[pid]["energy_per_atom_eV"])
        magmoms = [abs(float(m)) for m in prediction["m"]] if "m" in prediction else []
        energies.append({"phase_id": pid, "formula": row["formula"], "energy_per_atom_eV": lowest,
                         **energy, "max_magmom_muB": round(max(magmoms), 3) if magmoms else 0.0})
        print(f"{pid:24s} {row['formula']:14s} {lowest:.4f} (single point {single:.4f})", flush=True)
    info = {"model": "CHGNet r2SCAN checkpoint (chgnet wheel, pretrained/r2scan, MP-r2SCAN fine-tune of 0.3.0)",
            "method": "compounds: the lower of a single point on the CHGNet 0.3.0-relaxed structure and a relaxation "
                      "from the authored structure; elements: relaxed from the 0.3.0-relaxed structure (relaxation "
                      "below); raw r2SCAN-scale energies, no correction",
            "relaxation": RELAX,
            "chgnet_version": chgnet.__version__, "torch_version": torch.__version__.split("+")[0],
            "torch_num_threads": 1,
            "inputs_sha256": {CKPT.name: sha256(CKPT), weights.name: sha256(weights),
                              STRUCTURES.name: sha256(STRUCTURES)},
            "phases": energies}
    if only:  # merge: the other rows and the provenance of their run stay as they were
        previous = json.loads(OUT.read_text(encoding="utf-8"))
        merged = {row["phase_id"]: row for row in previous["phases"]}
        merged.update({row["phase_id"]: row for row in energies})
        info = {**previous, "inputs_sha256": info["inputs_sha256"],
                "phases": [merged[pid] for pid in rows if pid in merged]}
    OUT.write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(info['phases'])} phases, {len(energies)} computed now)")


if __name__ == "__main__":
    main()
