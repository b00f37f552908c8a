"""Energies of CHGNet's r2SCAN checkpoint for every CHGNet phase: the issue's second candidate source of formation
energies, scored beside CHGNet 0.3.0 in reports/thermo.md (degrade_ml.experiments.thermo_candidates).

The checkpoint (chgnet/pretrained/r2scan, "Cross-functional transferability in foundation machine learning
interatomic potentials", Huang et al., npj Comput. Mater. 2025) is CHGNet 0.3.0 fine-tuned on the MP-r2SCAN
dataset: it predicts raw r2SCAN total energies on the Materials Project's r2SCAN scale, with no anion or +U
correction (the Materials Project applies none to r2SCAN). Formation energies therefore come from its own elemental
references, computed the same way (degrade_ml.thermo.sources.r2scan_compounds).

Single points on the 0.3.0-relaxed structures of data/thermo/relaxed_structures.jsonl, not re-relaxations: r2SCAN
lattices differ from GGA ones by about 1-2 % in length, which changes an energy by a few meV/atom at most, far below
the 50-500 meV/atom errors compared; and 260 single points run in about a minute on one thread.

Run from the repository root with the thermo-build extra:
    .venv-thermo/bin/python scripts/thermo/r2scan_single_points.py
It writes data/thermo/r2scan_energies.json (the input hashes, the checkpoint, and one row per phase)."""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parents[2]
CKPT = ROOT / "data" / "thermo" / "relaxed_structures.jsonl"
OUT = ROOT / "data" / "thermo" / "r2scan_energies.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    import chgnet
    import torch
    from chgnet.model import CHGNet
    from pymatgen.core import Structure

    torch.set_num_threads(1)
    model = CHGNet.load(model_name="r2scan", verbose=False)
    checkpoint = Path(chgnet.__file__).parent / "pretrained" / "r2scan"
    weights = next(checkpoint.glob("*.pth.tar"))
    rows: dict[str, dict] = {}
    with CKPT.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows[row["phase_id"]] = row  # a rebuilt phase's later line wins, as in the table build
    energies = []
    for pid, row in rows.items():
        structure = Structure.from_dict(row["structure"])
        prediction = model.predict_structure(structure)
        magmoms = [abs(float(m)) for m in prediction["m"]] if "m" in prediction else []
        energies.append({"phase_id": pid, "formula": row["formula"],
                         "energy_per_atom_eV": round(float(prediction["e"]), 6),
                         "max_magmom_muB": round(max(magmoms), 3) if magmoms else 0.0})
        print(f"{pid:24s} {row['formula']:14s} {float(prediction['e']):.4f}", flush=True)
    info = {"model": "CHGNet r2SCAN checkpoint (chgnet wheel, pretrained/r2scan, MP-r2SCAN fine-tune of 0.3.0)",
            "method": "single point on the CHGNet 0.3.0-relaxed structure; raw r2SCAN-scale energy, no correction",
            "chgnet_version": chgnet.__version__, "torch_version": torch.__version__.split("+")[0],
            "torch_num_threads": 1,
            "inputs_sha256": {CKPT.name: sha256(CKPT), weights.name: sha256(weights)},
            "phases": energies}
    OUT.write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(energies)} phases)")


if __name__ == "__main__":
    main()
