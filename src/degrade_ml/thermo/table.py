"""The phase-energy table shipped in data/thermo/, as arrays for the linear programs and as pymatgen entries for
the reference implementation the tests compare against.

The table is built offline by `scripts/thermo/build_phase_table.py` (one consistent energy reference per atom);
the runtime needs numpy and scipy to read and use it, not pymatgen's phase-diagram module."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pymatgen.core import Composition, Element

TABLE_NAME = "phases.csv"
APPROXIMANT_TOLERANCE = 0.02  # largest difference in any element's atomic fraction for a phase to stand in


def default_table_path() -> Path:
    return Path(__file__).resolve().parents[3] / "data" / "thermo" / TABLE_NAME


@dataclass(frozen=True, eq=False)
class PhaseTable:
    """Every phase of the table: its name (reduced formula), composition, energy per atom and the atomic fractions
    over the table's elements (rows sum to 1). Polymorphs stay separate rows; the hull takes the lowest."""

    names: tuple[str, ...]
    compositions: tuple[Composition, ...]
    energy_per_atom: np.ndarray
    elements: tuple[str, ...]
    fractions: np.ndarray
    sha256: str

    def vector(self, composition: Composition) -> np.ndarray:
        """Atomic fractions over the table's elements; KeyError for an element the table lacks."""
        vector = np.zeros(len(self.elements))
        index = self.element_index
        for element, fraction in composition.fractional_composition.get_el_amt_dict().items():
            vector[index[element]] = fraction
        return vector

    @property
    def element_index(self) -> dict[str, int]:
        return _element_index(self.elements)

    def phases_of(self, composition: Composition) -> np.ndarray:
        """Row indices of the phases with exactly this composition (per atom)."""
        return np.flatnonzero(np.abs(self.fractions - self.vector(composition)).max(axis=1) < 1e-9)

    def approximant(self, composition: Composition) -> int | None:
        """The lowest-energy phase with the same elements whose atomic fractions are all within
        APPROXIMANT_TOLERANCE (NCA LiNi0.8Co0.15Al0.05O2: the ordered LiNi0.8Co0.1Al0.1O2 cell), or None."""
        target = self.vector(composition)
        same_elements = np.all((self.fractions > 0) == (target > 0), axis=1)
        close = same_elements & (np.abs(self.fractions - target).max(axis=1) <= APPROXIMANT_TOLERANCE)
        candidates = np.flatnonzero(close)
        if not len(candidates):
            return None
        return int(candidates[np.argmin(self.energy_per_atom[candidates])])

    def compounds_spanning(self, symbols: frozenset[str]) -> int:
        """How many phases hold exactly these elements (0: the system has no compound of its own in the table)."""
        present = self.fractions > 0
        wanted = np.zeros(len(self.elements), dtype=bool)
        wanted[[self.element_index[s] for s in symbols]] = True
        return int(np.all(present == wanted, axis=1).sum())

    def compounds_within(self, symbols: frozenset[str]) -> int:
        """How many phases of two or more elements hold only these elements (0: their hull is the elements alone)."""
        return int(((self.fractions > 0).sum(axis=1) >= 2)[self._within(symbols)].sum())

    def unbound(self, symbols: frozenset[str], anions: frozenset[str]) -> list[str]:
        """The elements of `symbols` outside `anions` that no phase within `symbols` binds to any of `anions`
        (Zr in Li–Zr–F, where the table holds LiF but no Zr fluoride)."""
        present = (self.fractions > 0)[self._within(symbols)]
        with_anion = present[:, [self.element_index[s] for s in anions]].any(axis=1)
        return sorted(s for s in symbols - anions if not (with_anion & present[:, self.element_index[s]]).any())

    def _within(self, symbols: frozenset[str]) -> np.ndarray:
        """Which phases hold no element outside `symbols`."""
        outside = np.ones(len(self.elements), dtype=bool)
        outside[[self.element_index[s] for s in symbols]] = False
        return ~(self.fractions[:, outside] > 0).any(axis=1)


@lru_cache(maxsize=8)
def _element_index(elements: tuple[str, ...]) -> dict[str, int]:
    return {symbol: j for j, symbol in enumerate(elements)}


# Energy levels of the table: as shipped (MP2020 + shifts fitted to experiment), the Materials Project's MP2020 level
# (no fitted shifts), and plain GGA/GGA+U (neither MP2020's anion and +U corrections nor the shifts), the level of DFT
# work that predates MP2020, such as the windows of Zhu, He & Mo 2015.
ENERGY_LEVELS = ("shipped", "mp2020", "gga")


def _row_energy(row: dict, level: str) -> float:
    if level == "gga":
        return float(row["uncorrected_energy_per_atom_eV"])
    shift = float(row.get("fitted_correction_per_atom_eV") or 0.0) if level == "mp2020" else 0.0
    return float(row["energy_per_atom_eV"]) - shift


def load_phase_table(path: Path | None = None, level: str = "shipped") -> PhaseTable:
    """The table at one of ENERGY_LEVELS: as shipped, or on a DFT level it was corrected from, for comparison with
    published DFT numbers computed at that level. Read once per process and level, however the path is spelled
    (`load_phase_table()` and `load_phase_table(None)` were two reads of 50 ms each in a cold query)."""
    if level not in ENERGY_LEVELS:
        raise ValueError(f"unknown energy level {level!r}; expected one of {', '.join(ENERGY_LEVELS)}")
    return _read_phase_table(Path(path or default_table_path()).resolve(), level)


@lru_cache(maxsize=4)
def _read_phase_table(path: Path, level: str) -> PhaseTable:
    if not path.is_file():
        raise FileNotFoundError(f"no phase-energy table at {path}")
    compositions, energies = [], []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            compositions.append(Composition(row["formula"]))
            energies.append(_row_energy(row, level))
    if not compositions:
        raise ValueError(f"the phase-energy table {path} is empty")
    elements = tuple(sorted({str(el) for c in compositions for el in c.elements}, key=lambda s: Element(s).Z))
    index = _element_index(elements)
    fractions = np.zeros((len(compositions), len(elements)))
    for i, composition in enumerate(compositions):
        for element, fraction in composition.fractional_composition.get_el_amt_dict().items():
            fractions[i, index[element]] = fraction
    return PhaseTable(
        names=tuple(c.reduced_formula for c in compositions), compositions=tuple(compositions),
        energy_per_atom=np.array(energies), elements=elements, fractions=fractions, sha256=table_hash(path),
    )


def pd_entries(table: PhaseTable) -> tuple:
    """The table as pymatgen PDEntries (total energy of each row's formula unit, named by its reduced formula, as
    InterfacialReactivity reads product names): for the reference implementation, plots and tests."""
    from pymatgen.analysis.phase_diagram import PDEntry

    return tuple(PDEntry(c, float(e) * c.num_atoms, name=n)
                 for c, e, n in zip(table.compositions, table.energy_per_atom, table.names))


def load_entries(path: Path | None = None) -> tuple:
    return pd_entries(load_phase_table(path))


def table_hash(path: Path | None = None) -> str:
    return hashlib.sha256(Path(path or default_table_path()).read_bytes()).hexdigest()
