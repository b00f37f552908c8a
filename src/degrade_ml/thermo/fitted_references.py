"""A correction of computed formation energies fitted to experiment: one energy shift per element species, as in
the fitted elemental-phase reference energies (FERE) of Stevanović et al., Phys. Rev. B 85, 115104 (2012) and the
per-species corrections of the Materials Project (Wang et al., Sci. Rep. 11, 15496 (2021)).

A species is an element as it sits in the compound, following the physics of the Materials Project's mixing scheme
(MaterialsProject2020Compatibility): an anion former with a positive oxidation state (S in a sulfate, N in a nitrate,
Cl in a perchlorate) is its own species; a transition metal MP computes with Hubbard U is one species where it has U
(beside O or F) and, where it has none (GGA: its sulfides, chlorides, phosphides), a species shared by those metals
per anion class ('TM/halide', 'TM/chalcogenide', 'TM/pnictide'), so that a shift fitted on oxides never moves a
chloride and a chloride held out still gets the shift the other TM chlorides give. A compound without an anion former
(an alloy such as LiAl or Li15Sn4, LiC6, a carbide or silicide) is neither fitted nor shifted: MP2020 corrects none
of them, and shifts fitted on ionic compounds do not carry over to a metallic or covalent bond (from CHGNet 0.3.0
unshifted, LiAl and LiIn form at 0.37 and 0.59 V vs Li, near the 0.62 V resolve.py takes for Li-In; shifted they
formed at 0.96 and 0.77 V; the shipped table takes the alloys from r2SCAN, source_choice.py: 0.46 and 0.72 V).

The shifts are a ridge regression of the computed-minus-experimental formation energy on the species' atomic
fractions. Its error is only ever quoted leave-one-compound-out: the shifts used to predict a compound are fitted
without it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pymatgen.core import Composition

from degrade_ml.thermo.sources import HUBBARD_ELEMENTS, SourceCompound

# elements that are anions in one compound and cations in another (sulfide / sulfate, nitride / nitrate, ...)
AMPHOTERIC = frozenset(["C", "N", "P", "S", "Se", "Cl", "Br", "I"])
# the anion class of a compound: its most electronegative element, when that is an anion former
ANION_CLASS = {"F": "halide", "Cl": "halide", "Br": "halide", "I": "halide", "O": "oxide", "S": "chalcogenide",
               "Se": "chalcogenide", "Te": "chalcogenide", "N": "pnictide", "P": "pnictide", "As": "pnictide",
               "Sb": "pnictide"}
ANION_FORMERS = frozenset(ANION_CLASS) | {"H"}
RIDGE_ALPHA = 0.02  # penalty on the squared shifts, (eV)^2 per (eV/atom)^2 of error: shifts stay small where data are few


@lru_cache(maxsize=4096)
def oxidation_states(formula: str) -> dict[str, float]:
    """pymatgen's most likely oxidation state of each element of the formula ({} when none can be guessed). Where the
    states seen in the ICSD allow no neutral guess (Cl +5 and +7 in a chlorate or perchlorate), every state is tried."""
    composition = Composition(formula)
    try:
        guesses = (composition.oxi_state_guesses(max_sites=-20)
                   or composition.oxi_state_guesses(max_sites=-20, all_oxi_states=True))
    except ValueError:  # too many sites to enumerate (Mo8O23): no amphoteric element is split
        return {}
    return dict(guesses[0]) if guesses else {}


def holds_anion(compound: SourceCompound) -> bool:
    """Whether the compound holds an anion former (a halogen, O, a chalcogen, a pnictogen or H): only such compounds
    are fitted and shifted."""
    return any(element.symbol in ANION_FORMERS for element in compound.composition.elements)


def species_fractions(compound: SourceCompound) -> dict[str, float]:
    """Atomic fraction of each species of the compound ('S', 'S+' in a sulfate, 'Co+U' computed with U,
    'TM/halide' for Co in CoCl2)."""
    composition = compound.composition
    states = oxidation_states(composition.reduced_formula) if len(composition.elements) > 1 else {}
    anion = max(composition.elements, key=lambda element: element.X).symbol
    fractions: dict[str, float] = {}
    for element in composition.elements:
        symbol = element.symbol
        key = symbol
        if symbol in compound.hubbard:
            key = f"{symbol}+U"
        elif symbol in AMPHOTERIC and states.get(symbol, 0) > 0:
            key = f"{symbol}+"
        elif symbol in HUBBARD_ELEMENTS and symbol != anion:
            key = f"TM/{ANION_CLASS.get(anion, 'other')}"
        fractions[key] = fractions.get(key, 0.0) + composition.get_atomic_fraction(element)
    return fractions


@dataclass
class FittedReferences:
    """Species shifts fitted to experiment (scikit-learn style: `fit` stores `shifts_`, `correction` applies them).
    corrected formation energy = computed − Σ fraction × shift; a species the fit never saw is not shifted."""

    alpha: float = RIDGE_ALPHA

    def fit(self, compounds: list[SourceCompound], experiment: dict[str, float]) -> FittedReferences:
        rows = _fittable(compounds, experiment)
        return self._fit_fractions([species_fractions(c) for c in rows], rows, experiment)

    def _fit_fractions(self, features: list[dict[str, float]], rows: list[SourceCompound],
                       experiment: dict[str, float]) -> FittedReferences:
        species = sorted({key for f in features for key in f})
        X = np.array([[f.get(key, 0.0) for key in species] for f in features]).reshape(len(rows), len(species))
        y = np.array([c.formation_energy_eV_atom - experiment[c.formula] for c in rows])
        shifts = np.linalg.solve(X.T @ X + self.alpha * np.eye(len(species)), X.T @ y) if rows else np.zeros(0)
        self.shifts_ = dict(zip(species, map(float, shifts)))
        self.formulas_ = frozenset(c.formula for c in rows)
        return self

    def extend(self, compounds: list[SourceCompound], experiment: dict[str, float]) -> FittedReferences:
        """Add shifts for the species the fit has not seen (Sc in Sc2O3), fitted to `compounds` with every fitted
        shift held fixed: a later element's compounds give its own species a shift and move no earlier one."""
        rows = _fittable(compounds, experiment)
        features = [species_fractions(c) for c in rows]
        new = sorted({key for f in features for key in f} - set(self.shifts_))
        used = [(c, f) for c, f in zip(rows, features) if set(f) & set(new)]
        if used:
            X = np.array([[f.get(key, 0.0) for key in new] for _, f in used])
            y = np.array([c.formation_energy_eV_atom - experiment[c.formula]
                          - sum(x * self.shifts_.get(key, 0.0) for key, x in f.items()) for c, f in used])
            shifts = np.linalg.solve(X.T @ X + self.alpha * np.eye(len(new)), X.T @ y)
            self.shifts_ = self.shifts_ | dict(zip(new, map(float, shifts)))
            self.formulas_ = self.formulas_ | frozenset(c.formula for c, _ in used)
        return self

    def correction(self, compound: SourceCompound) -> float:
        """The energy to add to the compound's formation energy per atom (eV/atom; 0 for an element or a compound
        without an anion former)."""
        if len(compound.composition.elements) < 2 or not holds_anion(compound):
            return 0.0
        return -sum(fraction * self.shifts_.get(key, 0.0) for key, fraction in species_fractions(compound).items())


def leave_one_out(fit_set: list[SourceCompound], experiment: dict[str, float], targets: list[SourceCompound],
                  alpha: float = RIDGE_ALPHA, later: list[SourceCompound] = ()) -> dict[str, float]:
    """Held-out corrected formation energy (eV/atom) of each target compound, by formula: the shifts that predict a
    compound are fitted on every compound of `fit_set` with an experimental value except those of the same formula
    (from any source), then extended (`FittedReferences.extend`) on `later` without it, so a compound never helps
    correct itself."""
    rows = _fittable(fit_set, experiment)
    features = [species_fractions(c) for c in rows]
    predictions = {}
    for target in targets:
        keep = [i for i, c in enumerate(rows) if c.formula != target.formula]
        model = FittedReferences(alpha)._fit_fractions([features[i] for i in keep], [rows[i] for i in keep], experiment)
        model.extend([c for c in later if c.formula != target.formula], experiment)
        predictions[target.formula] = target.formation_energy_eV_atom + model.correction(target)
    return predictions


def _fittable(compounds: list[SourceCompound], experiment: dict[str, float]) -> list[SourceCompound]:
    """The compounds a fit can use: measured compounds holding an anion former."""
    return [c for c in compounds if c.formula in experiment and len(c.composition.elements) > 1 and holds_anion(c)]


def calibration_set(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound]) -> list[SourceCompound]:
    """What the shifts are fitted to: every Materials Project compound of the wheel and every CHGNet compound whose
    formula the wheel does not hold (one source per formula, as in the table). The CHGNet compounds carry the
    species the wheel lacks (TM sulfides and chlorides computed without U, Zr, Nb, Ta) and CHGNet's own errors. The
    compounds of elements added later are left out (`later_compounds`), so the population, and every shift, stays
    the v2 table's."""
    return list(wheel.values()) + [c for f, c in chgnet.items() if f not in wheel and not c.later]


def later_compounds(wheel: dict[str, SourceCompound], chgnet: dict[str, SourceCompound]) -> list[SourceCompound]:
    """The CHGNet compounds of the elements added after the v2 table that the wheel does not hold: corrected with the
    calibration's shifts, and giving only their own new species a shift (`FittedReferences.extend`)."""
    return [c for f, c in chgnet.items() if f not in wheel and c.later]
