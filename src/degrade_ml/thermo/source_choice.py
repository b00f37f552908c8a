"""Where the compounds the wheel lacks take their energy: CHGNet 0.3.0 with the fitted species shifts, or CHGNet's
r2SCAN checkpoint as it comes, decided per class by the held-out error of the two across the class's measured
compounds, never per compound by its own experimental value. A class taken from r2SCAN is neither fitted nor shifted.
Two class rules are scored in reports/thermo.md: `chemistry_class` (TM+U, TM or main-group cation × anion class;
withdrawn, the report says why) and `chemistry_subclass`, which the table uses (d0 transition-metal compounds and
molecular non-metal solids apart). r2SCAN does well on sulfides, alloys and oxides of open-shell metals without U, and
badly on oxides of metals the Materials Project computes with U and on phosphides."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np
from pymatgen.core import Composition

from degrade_ml.thermo.fitted_references import (
    ANION_CLASS,
    calibration_set,
    later_compounds,
    leave_one_out,
    oxidation_states,
)
from degrade_ml.thermo.sources import SourceCompound, mp_hubbard_elements


def chemistry_class(formula: str) -> str:
    """'TM/chalcogenide', 'TM+U/oxide', 'main/none' (an alloy, carbide or silicide), ...: whether a cation is a
    transition metal, and whether one the Materials Project computes with Hubbard U (a Co, Cr, Fe, Mn, Mo, Ni, V or W
    beside O or F: localised d states, where r2SCAN without U errs as GGA does), and the anion class of the most
    electronegative element."""
    composition = Composition(formula)
    anion = max(composition.elements, key=lambda element: element.X).symbol
    metal = "TM" if any(element.is_transition_metal for element in composition.elements) else "main"
    if mp_hubbard_elements(composition):
        metal = "TM+U"
    return f"{metal}/{ANION_CLASS.get(anion, 'none')}"


def chemistry_subclass(formula: str) -> str:
    """`chemistry_class` split where the bonding differs, whatever the errors: 'molecular' for a compound of
    non-metals only (P4S3, P2S5, P4S7, P2O5: molecules held by van der Waals forces, which r2SCAN without a
    dispersion term underbinds), and 'TM-d0/...' for transition metals at their group oxidation state (Ti4+, Zr4+,
    Nb5+, Ta5+, Y3+, La3+: an empty d shell, band insulators like main-group salts, with no occupied d states whose
    self-interaction error a meta-GGA removes) apart from the other TMs without U, and 'TM-d10/...' for the group-12
    metals (Zn, Cd), whose d shell is full in every compound: they bond as main-group cations do."""
    composition = Composition(formula)
    if not any(element.is_metal or element.is_metalloid for element in composition.elements):
        return "molecular"
    base = chemistry_class(formula)
    anion = max(composition.elements, key=lambda element: element.X)
    metals = [e for e in composition.elements if e.is_transition_metal and e != anion]
    if base.startswith("TM/") and _empty_d_shell(composition.reduced_formula, metals):
        return "TM-d0/" + base.split("/")[1]
    if base.startswith("TM/") and all(element.group == 12 for element in metals):
        return "TM-d10/" + base.split("/")[1]
    return base


def _empty_d_shell(formula: str, metals: list) -> bool:
    states = oxidation_states(formula)
    return bool(states) and all(states.get(element.symbol) == element.group for element in metals)


def r2scan_classes(shifted_errors: dict[str, float], r2scan_errors: dict[str, float],
                   exclude: str | None = None, classify: Callable[[str], str] = chemistry_class) -> frozenset[str]:
    """The classes (of `classify`) whose measured compounds (all but `exclude`) r2SCAN predicts with a lower mean
    absolute error than CHGNet 0.3.0 with held-out shifts; a class without such a compound keeps CHGNet 0.3.0. Both
    dicts hold errors (any unit) on the same compounds."""
    by_class: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for formula, error in shifted_errors.items():
        if formula != exclude and formula in r2scan_errors:
            by_class[classify(formula)].append((abs(error), abs(r2scan_errors[formula])))
    return frozenset(c for c, pairs in by_class.items() if np.mean([b for _, b in pairs]) < np.mean([a for a, _ in pairs]))


def comparison_errors(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound],
                      r2scan: dict[str, SourceCompound], experiment: dict[str, float]) -> tuple[dict, dict]:
    """(CHGNet 0.3.0 + shifts held out, r2SCAN) errors in eV/atom on the measured compounds the wheel lacks, those of
    the later elements apart: what `r2scan_classes` compares."""
    targets = [c for f, c in chgnet.items() if f not in wheel and f in experiment and f in r2scan
               and len(c.composition.elements) > 1 and not c.later]
    shifted = leave_one_out(calibration_set(wheel, chgnet), experiment, targets)
    return ({f: e - experiment[f] for f, e in shifted.items()},
            {c.formula: r2scan[c.formula].formation_energy_eV_atom - experiment[c.formula] for c in targets})


def shift_fit_set(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound], classes: frozenset[str],
                  classify: Callable[[str], str] = chemistry_class) -> list[SourceCompound]:
    """What the shifts are fitted to once some classes come from r2SCAN: the calibration set without them."""
    return [c for c in calibration_set(wheel, chgnet) if c.formula in wheel or classify(c.formula) not in classes]


def later_fit_set(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound], classes: frozenset[str],
                  classify: Callable[[str], str] = chemistry_class) -> list[SourceCompound]:
    """What extends the shifts to the later elements' new species: their compounds outside the r2SCAN classes."""
    return [c for c in later_compounds(wheel, chgnet) if classify(c.formula) not in classes]
