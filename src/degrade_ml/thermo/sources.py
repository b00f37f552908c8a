"""Where the phase energies come from, each as a formation energy per atom against its own elemental references:

- CHGNet 0.3.0 relaxations of the authored structures (data/thermo/relaxed_structures.jsonl, MP2020-like energies);
- the Materials Project GGA/GGA+U entries that ship in pymatgen's wheel (`calc_compounds.json.gz`, with mp-ids),
  corrected with MaterialsProject2020Compatibility as the Materials Project corrects them;
- the experimental formation enthalpies that ship beside them (`exp_compounds.json.gz`) to validate both.

Used by the table build (scripts/thermo) and the validation experiment; the predict path reads only `wheel_json`, for
the formulas of the wheel's compounds (`resolve.wheel_compounds`)."""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pymatgen.core import Composition

EXPERIMENT_FILE = "exp_compounds.json.gz"
MP_FILE = "calc_compounds.json.gz"
CHGNET = "CHGNet 0.3.0"
R2SCAN = "CHGNet r2SCAN"
MP_WHEEL = "MP (pymatgen wheel)"
# elements the table takes from the wheel alone (issue 16), beside those of the CHGNet build
WHEEL_ONLY_ELEMENTS = frozenset(["N", "Y", "Mo", "W", "Mg", "Ag", "La", "Se"])
# elements whose CHGNet phases came after the v2 table (scripts/thermo/structures_elements.py, structures_arsenic.py,
# structures_halide_metals.py and structures_coating_metals.py): their compounds stay out of the calibration (the
# shift fit and the r2SCAN class choice), so adding them moves no earlier energy
LATER_ELEMENTS = frozenset(["V", "Sc", "Zn", "Au", "Cr", "Bi", "As", "Er", "Ho", "Hf", "Ga", "Sr", "Ba"])
# compounds of earlier elements authored after them that have a measured enthalpy (scripts/thermo/structures_bromides.py;
# Li2B4O7 and LaPO4 of structures_oxide_electrolytes.py; La2S3 and LaCl3 of structures_rare_earth_sulfides.py; YF3,
# ZrF4 and TiF4 of structures_fluorides.py), kept out alike
LATER_FORMULAS = frozenset([*(f"{metal}Br2" for metal in ("Mn", "Fe", "Co", "Ni")), "YBr3", "Li3YBr6", "InBr3",
                            "Li3InBr6", "Li2B4O7", "LaPO4", "La2S3", "LaCl3", "YF3", "ZrF4", "TiF4"])


@dataclass(frozen=True)
class SourceCompound:
    """One compound of one source: its formation energy per atom against that source's own elemental references,
    whether its calculation carries Hubbard U on each element (GGA+U), and its identifier (mp-id or phase_id)."""

    formula: str
    formation_energy_eV_atom: float
    energy_per_atom_eV: float
    source: str
    ident: str
    hubbard: frozenset[str] = frozenset()

    @property
    def composition(self) -> Composition:
        return Composition(self.formula)

    @property
    def later(self) -> bool:
        """A CHGNet compound added after the v2 table (LATER_ELEMENTS, LATER_FORMULAS): outside the calibration."""
        return self.source != MP_WHEEL and (self.composition.reduced_formula in LATER_FORMULAS
                                            or any(el.symbol in LATER_ELEMENTS for el in self.composition.elements))


def wheel_path(name: str) -> Path:
    """A data file of pymatgen's compatibility package, found without importing it (2.4 s of imports)."""
    (folder,) = importlib.util.find_spec("pymatgen.analysis.compatibility").submodule_search_locations
    return Path(folder) / name


def wheel_json(name: str):
    """The parsed content of one of the wheel's gzipped JSON data files."""
    with gzip.open(wheel_path(name), "rt", encoding="utf-8") as handle:
        return json.load(handle)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def _experimental_rows() -> dict[str, tuple[float, float]]:
    """(enthalpy, uncertainty) per atom of every compound of the wheel's experimental table, eV/atom, by reduced
    formula (first row of each); the uncertainty is NaN where the table gives none."""
    rows = wheel_json(EXPERIMENT_FILE)
    values: dict[str, tuple[float, float]] = {}
    for row in rows:
        composition = Composition(row["formula"])
        uncertainty = row.get("uncertainty")
        values.setdefault(composition.reduced_formula, (row["exp energy"] / composition.num_atoms,
                                                        float("nan") if uncertainty is None else uncertainty / composition.num_atoms))
    return values


def experimental_formation_energies() -> dict[str, float]:
    """Experimental formation enthalpies shipped with pymatgen, eV/atom, by reduced formula (first row of each)."""
    return {formula: energy for formula, (energy, _) in _experimental_rows().items()}


def experimental_uncertainties() -> dict[str, float]:
    """The stated uncertainty of each experimental enthalpy, eV/atom (NaN where none is given)."""
    return {formula: uncertainty for formula, (_, uncertainty) in _experimental_rows().items()}


def _mark_sulfates(entry) -> None:
    """MP2020 applies its sulfide correction to every S unless told otherwise; a ComputedEntry without a structure
    cannot be inspected, so S with a positive oxidation state (sulfates, as pymatgen's first guess) is marked."""
    composition = entry.composition
    if "S" in composition and "O" in composition:
        guesses = composition.oxi_state_guesses(max_sites=-20)
        if guesses and guesses[0].get("S", 0) > 0:
            entry.data["sulfide_type"] = "sulfate"


@lru_cache(maxsize=2)
def mp_wheel_compounds(corrected: bool = True) -> dict[str, SourceCompound]:
    """The wheel's Materials Project entries by reduced formula, MP2020-corrected (or raw GGA/GGA+U), with formation
    energies against the wheel's own elemental entries."""
    from pymatgen.entries.compatibility import MaterialsProject2020Compatibility
    from pymatgen.entries.computed_entries import ComputedEntry

    raw = wheel_json(MP_FILE)
    compat = MaterialsProject2020Compatibility(check_potcar=False)
    entries = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for data in raw.values():
            entry = ComputedEntry.from_dict(data)
            _mark_sulfates(entry)
            if corrected:
                entry = compat.process_entry(entry, clean=True)
            if entry is not None:
                entries[entry.composition.reduced_formula] = entry
    references = {e.composition.elements[0].symbol: e.energy_per_atom for e in entries.values() if e.composition.is_element}
    compounds = {}
    for formula, entry in entries.items():
        composition = entry.composition
        hubbards = entry.parameters.get("hubbards") or {}
        formation = entry.energy_per_atom - sum(references[el.symbol] * composition.get_atomic_fraction(el)
                                                for el in composition.elements)
        compounds[formula] = SourceCompound(formula, formation, entry.energy_per_atom, MP_WHEEL, entry.entry_id,
                                            frozenset(el for el, u in hubbards.items() if u))
    return compounds


# MP's Hubbard U elements: run with U only beside O or F (MaterialsProject2020Compatibility.u_settings)
HUBBARD_ELEMENTS = frozenset({"Co", "Cr", "Fe", "Mn", "Mo", "Ni", "V", "W"})


def mp_hubbard_elements(composition: Composition) -> frozenset[str]:
    """The elements the Materials Project would compute with +U in this compound (the build's MP run parameters)."""
    symbols = {el.symbol for el in composition.elements}
    return frozenset(symbols & HUBBARD_ELEMENTS) if symbols & {"O", "F"} else frozenset()


def chgnet_compounds(checkpoint: Path) -> dict[str, SourceCompound]:
    """The lowest-energy CHGNet phase of each reduced formula in the relaxation checkpoint, with formation energies
    against the checkpoint's lowest elemental phases (a compound with an element lacking one is left out)."""
    rows: dict[str, dict] = {}
    with Path(checkpoint).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows[row["phase_id"]] = row  # a rebuilt phase's later line wins
    return _lowest_compounds(rows, CHGNET, mp_hubbard_elements)


def r2scan_phases(path: Path) -> dict[str, dict]:
    """The r2SCAN checkpoint's energies by phase_id (data/thermo/r2scan_energies.json, written by
    scripts/thermo/r2scan_energies.py: compounds the lower of a single point and a relaxation from the authored
    structure, elements relaxed): raw r2SCAN-scale
    energies, no correction."""
    return {row["phase_id"]: row for row in json.loads(Path(path).read_text(encoding="utf-8"))["phases"]}


def r2scan_compounds(path: Path) -> dict[str, SourceCompound]:
    """The lowest r2SCAN phase of each reduced formula, on the r2SCAN checkpoint's own elemental references, computed
    without Hubbard U (the Materials Project's r2SCAN runs carry none)."""
    return _lowest_compounds(r2scan_phases(path), R2SCAN, lambda composition: frozenset())


def phase_formation_energies(rows: dict[str, dict]) -> dict[str, float]:
    """phase_id -> formation energy per atom against the lowest elemental phases among `rows` (a phase with an
    element lacking one is left out)."""
    references: dict[str, float] = {}
    for row in rows.values():
        composition = Composition(row["formula"])
        if composition.is_element:
            symbol = composition.elements[0].symbol
            references[symbol] = min(references.get(symbol, float("inf")), row["energy_per_atom_eV"])
    formation = {}
    for pid, row in rows.items():
        composition = Composition(row["formula"])
        if all(el.symbol in references for el in composition.elements):
            formation[pid] = row["energy_per_atom_eV"] - sum(references[el.symbol] * composition.get_atomic_fraction(el)
                                                             for el in composition.elements)
    return formation


def _lowest_compounds(rows: dict[str, dict], source: str, hubbard) -> dict[str, SourceCompound]:
    """The lowest-energy phase of each reduced formula, as a formation energy against the lowest elemental phases."""
    compounds: dict[str, SourceCompound] = {}
    for pid, formation in phase_formation_energies(rows).items():
        row, formula = rows[pid], Composition(rows[pid]["formula"]).reduced_formula
        if formula not in compounds or formation < compounds[formula].formation_energy_eV_atom:
            compounds[formula] = SourceCompound(formula, formation, row["energy_per_atom_eV"], source, pid,
                                                hubbard(Composition(formula)))
    return compounds
