"""Which energies to ship: the candidate sources of formation energies side by side on pymatgen's experimental
enthalpies, for the compounds the table holds. A candidate that fits anything to experiment is scored
leave-one-compound-out (degrade_ml.thermo.fitted_references.leave_one_out), never on what it was fitted to.

- CHGNet 0.3.0 as relaxed (data/thermo/relaxed_structures.jsonl);
- CHGNet's r2SCAN checkpoint on the same structures (data/thermo/r2scan_energies.json, raw r2SCAN-scale energies on
  its own elemental references), as it comes and with per-species shifts fitted to its own compounds, held out;
- the Materials Project entries in pymatgen's wheel with MP2020 corrections (MP2020 was itself fitted by the
  Materials Project to experimental enthalpies like these: its error here is not a held-out one), and the same raw
  GGA/GGA+U entries with the per-species shifts in place of MP2020, held out;
- the table's energies before the fit (MP where the wheel holds the formula, CHGNet elsewhere), without shifts, with
  per-species shifts fitted to the wheel's compounds on the MP compounds only, on all, and on all with shifts fitted
  to the wheel's and CHGNet's compounds together;
- the same with r2SCAN in place of CHGNet 0.3.0 + shifts for the classes where r2SCAN's held-out class error is lower
  (degrade_ml.thermo.source_choice): by chemistry class (scored, not shipped: reports/thermo.md says why), and by
  sub-class, d0 transition-metal compounds and molecular non-metal solids apart (the last row, shipped)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from degrade_ml.thermo.fitted_references import (
    calibration_set,
    later_compounds,
    leave_one_out,
)
from degrade_ml.thermo.source_choice import (
    chemistry_class,
    chemistry_subclass,
    comparison_errors,
    later_fit_set,
    r2scan_classes,
    shift_fit_set,
)
from degrade_ml.thermo.sources import (
    WHEEL_ONLY_ELEMENTS,
    SourceCompound,
    chgnet_compounds,
    experimental_formation_energies,
    mp_wheel_compounds,
    r2scan_compounds,
)
from degrade_ml.thermo.table import default_table_path

# compounds an SE, cathode, coating or their reaction products are made of: the max-error check of the issue
BATTERY_ELEMENTS = frozenset(["Li", "P", "S", "Co", "Ni", "Mn", "Fe", "Nb", "Ta", "Zr", "B"])


@dataclass(frozen=True)
class Candidate:
    """One candidate's formation energies (eV/atom) on the compounds it covers; `held_out` when it was fitted."""

    name: str
    predictions: dict[str, float]
    held_out: bool

    def errors_meV(self, experiment: dict[str, float]) -> dict[str, float]:
        return {f: (e - experiment[f]) * 1000 for f, e in self.predictions.items()}

    def summary(self, experiment: dict[str, float]) -> dict:
        errors = self.errors_meV(experiment)
        absolute = np.abs(list(errors.values()))
        battery = {f: e for f, e in errors.items() if BATTERY_ELEMENTS & {el.symbol for el in _elements(f)}}
        worst_battery = max(battery, key=lambda f: abs(battery[f])) if battery else ""
        return {"name": self.name, "n": len(errors), "held_out": self.held_out, "mae": float(absolute.mean()),
                "median": float(np.median(absolute)), "worst": sorted(errors.items(), key=lambda kv: -abs(kv[1]))[:6],
                "battery": battery, "worst_battery": (worst_battery, battery.get(worst_battery, 0.0)),
                "battery_over_150": sorted(f for f, e in battery.items() if abs(e) > 150)}


def _elements(formula: str):
    from pymatgen.core import Composition

    return Composition(formula).elements


def table_sources(checkpoint: Path | None = None) -> tuple[dict[str, SourceCompound], dict[str, SourceCompound]]:
    """(CHGNet compounds, the wheel's MP2020 compounds within the table's elements), both by reduced formula."""
    checkpoint = checkpoint or default_table_path().with_name("relaxed_structures.jsonl")
    chgnet = chgnet_compounds(checkpoint)
    elements = {el.symbol for c in chgnet.values() for el in c.composition.elements} | WHEEL_ONLY_ELEMENTS
    wheel = {f: c for f, c in mp_wheel_compounds(True).items() if {el.symbol for el in c.composition.elements} <= elements}
    return chgnet, wheel


def r2scan_path() -> Path:
    """The r2SCAN checkpoint's energies of the CHGNet phases (scripts/thermo/r2scan_energies.py)."""
    return default_table_path().with_name("r2scan_energies.json")


def candidates(checkpoint: Path | None = None) -> list[Candidate]:
    """The candidates on the table's compounds with an experimental enthalpy (elements excluded)."""
    experiment = experimental_formation_energies()
    chgnet, wheel = table_sources(checkpoint)

    def measured(compounds: dict[str, SourceCompound]) -> dict[str, SourceCompound]:
        return {f: c for f, c in compounds.items() if f in experiment and len(c.composition.elements) > 1}

    chgnet_m, wheel_m = measured(chgnet), measured(wheel)
    r2scan = r2scan_compounds(r2scan_path())
    r2scan_m = measured(r2scan)
    chosen = {**chgnet_m, **wheel_m}  # one source per formula: the wheel where it holds the formula
    full_wheel = mp_wheel_compounds(True)
    wheel_fit = leave_one_out(list(full_wheel.values()), experiment, list(chosen.values()))
    shifted = leave_one_out(calibration_set(full_wheel, chgnet), experiment, list(chosen.values()),
                            later=later_compounds(full_wheel, chgnet))
    raw = mp_wheel_compounds(False)
    refitted = leave_one_out(list(raw.values()), experiment, [raw[f] for f in wheel_m])
    return [
        Candidate("CHGNet 0.3.0", {f: c.formation_energy_eV_atom for f, c in chgnet_m.items()}, False),
        Candidate("CHGNet r2SCAN checkpoint", {f: c.formation_energy_eV_atom for f, c in r2scan_m.items()}, False),
        Candidate("CHGNet r2SCAN checkpoint + fitted shifts",
                  leave_one_out(list(r2scan.values()), experiment, list(r2scan_m.values())), True),
        Candidate("MP2020 (pymatgen wheel)", {f: c.formation_energy_eV_atom for f, c in wheel_m.items()}, False),
        Candidate("MP raw GGA/GGA+U + fitted shifts instead of MP2020", refitted, True),
        Candidate("MP where held, else CHGNet", {f: c.formation_energy_eV_atom for f, c in chosen.items()}, False),
        Candidate("MP + fitted shifts where held, else CHGNet unshifted",
                  {f: wheel_fit[f] if f in wheel_m else c.formation_energy_eV_atom for f, c in chosen.items()}, True),
        Candidate("MP where held, else CHGNet, + shifts fitted to the wheel", wheel_fit, True),
        class_choice_candidate(full_wheel, chgnet, r2scan, experiment, chosen, chemistry_class),
        Candidate("MP where held, else CHGNet, + shifts fitted to the wheel and CHGNet", shifted, True),
        class_choice_candidate(full_wheel, chgnet, r2scan, experiment, chosen, chemistry_subclass),
    ]


def class_choice_candidate(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound],
                           r2scan: dict[str, SourceCompound], experiment: dict[str, float],
                           chosen: dict[str, SourceCompound], classify: Callable[[str], str]) -> Candidate:
    """The wheel where it holds the formula, else per class of `classify` CHGNet 0.3.0 + shifts or r2SCAN, held out
    twice: a compound's class is assigned its source without the compound (r2scan_classes(exclude=...)), and the
    shifts that predict it are fitted without it and without the classes then taken from r2SCAN."""
    shifted_errors, r2scan_errors = comparison_errors(wheel, chgnet, r2scan, experiment)
    groups: dict[frozenset[str], list[SourceCompound]] = {}
    for formula, compound in chosen.items():
        groups.setdefault(r2scan_classes(shifted_errors, r2scan_errors, formula, classify), []).append(compound)
    predictions: dict[str, float] = {}
    for classes, compounds in groups.items():
        from_r2scan = [c for c in compounds if c.formula not in wheel and classify(c.formula) in classes]
        predictions |= {c.formula: r2scan[c.formula].formation_energy_eV_atom for c in from_r2scan}
        rest = [c for c in compounds if c not in from_r2scan]
        predictions |= leave_one_out(shift_fit_set(wheel, chgnet, classes, classify), experiment, rest,
                                     later=later_fit_set(wheel, chgnet, classes, classify))
    kind = "chemistry class" if classify is chemistry_class else "sub-class (d0 and group-12 TMs, molecular solids apart)"
    return Candidate(f"MP where held, else CHGNet 0.3.0 + shifts or r2SCAN by {kind}", predictions, True)


def class_rows() -> list[str]:
    """Per sub-class, the two CHGNet sources' MAE (meV/atom) on the measured compounds the wheel lacks, the
    compounds, and the class of `chemistry_class` it splits."""
    chgnet, _ = table_sources()
    r2scan = r2scan_compounds(r2scan_path())
    shifted, r2 = comparison_errors(mp_wheel_compounds(True), chgnet, r2scan, experimental_formation_energies())
    chosen, coarse = r2scan_classes(shifted, r2, classify=chemistry_subclass), r2scan_classes(shifted, r2)
    by_class: dict[str, list[str]] = {}
    for formula in shifted:
        by_class.setdefault(chemistry_subclass(formula), []).append(formula)
    return [f"| {c} | {chemistry_class(fs[0])} ({'r2SCAN' if chemistry_class(fs[0]) in coarse else 'CHGNet 0.3.0'}) | "
            f"{len(fs)}: {', '.join(sorted(fs))} | {1000 * sum(abs(shifted[f]) for f in fs) / len(fs):.0f} | "
            f"{1000 * sum(abs(r2[f]) for f in fs) / len(fs):.0f} | {'r2SCAN' if c in chosen else 'CHGNet 0.3.0'} |"
            for c, fs in sorted(by_class.items())]


def molecular_rows(experiment: dict[str, float]) -> list[str]:
    """The molecular solids with a measured enthalpy, all taken from the wheel: the two CHGNet sources' errors
    (meV/atom; CHGNet 0.3.0 with held-out shifts), for the record of how r2SCAN does on them."""
    chgnet, _ = table_sources()
    r2scan = r2scan_compounds(r2scan_path())
    measured = [c for f, c in chgnet.items() if f in experiment and f in r2scan
                and len(c.composition.elements) > 1 and chemistry_subclass(f) == "molecular"]
    shifted = leave_one_out(calibration_set(mp_wheel_compounds(True), chgnet), experiment, measured)
    return [f"{c.formula} {1000 * (shifted[c.formula] - experiment[c.formula]):+.0f} shifted, "
            f"{1000 * (r2scan[c.formula].formation_energy_eV_atom - experiment[c.formula]):+.0f} r2SCAN"
            for c in sorted(measured, key=lambda c: c.formula)]
