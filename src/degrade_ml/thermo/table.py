"""The phase-energy table shipped in data/thermo/ as pymatgen entries.

The table is built offline by `scripts/thermo/build_phase_table.py` (one consistent energy reference per
atom); the runtime needs nothing but pymatgen to read it."""

from __future__ import annotations

import csv
import hashlib
from functools import lru_cache
from pathlib import Path

from pymatgen.analysis.phase_diagram import PDEntry
from pymatgen.core import Composition

TABLE_NAME = "phases.csv"


def default_table_path() -> Path:
    return Path(__file__).resolve().parents[3] / "data" / "thermo" / TABLE_NAME


@lru_cache(maxsize=4)
def load_entries(path: Path | None = None) -> tuple[PDEntry, ...]:
    """One PDEntry per row with the total energy of the row's formula unit, named by its reduced formula
    (pymatgen's InterfacialReactivity reads product formulas from entry names)."""
    path = Path(path or default_table_path())
    if not path.is_file():
        raise FileNotFoundError(f"no phase-energy table at {path}")
    entries = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            composition = Composition(row["formula"])
            energy = float(row["energy_per_atom_eV"]) * composition.num_atoms
            entries.append(PDEntry(composition, energy, name=composition.reduced_formula))
    if not entries:
        raise ValueError(f"the phase-energy table {path} is empty")
    return tuple(entries)


def table_hash(path: Path | None = None) -> str:
    return hashlib.sha256(Path(path or default_table_path()).read_bytes()).hexdigest()
