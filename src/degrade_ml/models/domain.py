"""Applicability domain: is a query inside the chemistry the model was trained on, and if not, why; and the basis an
answer rests on (SPEC §1.4): the records inside their domain, thermodynamics outside it, nothing (an abstention) for a
non-sulfide or Li-free SE or a material outside the phase-energy table."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from degrade_ml.chemistry.formulas import formula_elements, parse_formula


LITERATURE = "literature"
THERMODYNAMICS = "thermodynamics"
ABSTAIN = ""
# another battery's carrier ion in the SE (a Na or Mg conductor); Na and K anywhere. Mg and Ca in an electrode or a
# coating are Li-ion chemistry: a Li–Mg alloy anode, a MgO coating, a Mg-doped cathode
CARRIER_IONS = frozenset({"Na", "K", "Mg", "Ca"})
FOREIGN_ALKALI = frozenset({"Na", "K"})


def answer_basis(electrolyte_reasons: list[str] | tuple[str, ...], outside_table: bool, outside_records: bool) -> str:
    """`literature` inside the records' domain, `thermodynamics` outside it but inside the phase-energy table, ""
    (abstain) for an SE that is not a Li sulfide or a material the table cannot place."""
    if electrolyte_reasons or outside_table:
        return ABSTAIN
    return THERMODYNAMICS if outside_records else LITERATURE


class ApplicabilityDomain(BaseEstimator):
    """Chemistry rules first (a sulfide Li-ion SE, no Na/K/Mg/Ca, only elements seen in training), then
    distance: a query that differs from its nearest training interface in more than `max_differences`
    chemistry flags (e.g. "SE contains P", "electrode contains a transition metal") lies outside.

    `fit(X, elements=…)`: X the chemistry flags of the training interfaces (the columns the heads see as chemistry:
    which element groups each material holds, role, coating; > 0 is set), `elements` the elements their formulas hold."""

    def __init__(self, max_differences: int = 2):
        self.max_differences = max_differences

    def fit(self, X, y=None, elements: Iterable[str] = ()) -> "ApplicabilityDomain":
        X = validate_data(self, X)
        self.training_flags_ = np.unique(X > 0, axis=0).astype(float)
        # sorted, not a set (which pickles in string-hash order): the bundle's bytes do not depend on the hash seed
        self.elements_ = tuple(sorted(set(elements)))
        return self

    def distance_warnings(self, X) -> list[str | None]:
        """Per row of chemistry flags: why it lies too far from every training interface, or None."""
        check_is_fitted(self, "training_flags_")
        flags = (validate_data(self, X, reset=False) > 0).astype(float)
        differences = flags @ (1 - self.training_flags_).T + (1 - flags) @ self.training_flags_.T
        nearest = differences.min(axis=1).astype(int)
        far = {d: f"unlike every training interface ({d} element-group differences from the nearest, more than "
                  f"{self.max_differences})" for d in np.unique(nearest) if d > self.max_differences}
        return [far.get(d) for d in nearest]  # one text per distance, shared by the rows that show it

    def electrolyte_warnings(self, se: str) -> list[str]:
        """Why an SE is not a Li-ion sulfide (the answer abstains), from its formula alone."""
        return list(_electrolyte_warnings(se))

    def chemistry_warnings(self, se: str, electrode: str, coating: str = "") -> list[str]:
        """Reasons, from the formulas alone, why an interface lies outside the trained chemistry."""
        elements = formula_elements(se) | formula_elements(electrode) | (formula_elements(coating) if coating else frozenset())
        foreign_ions = (formula_elements(se) & CARRIER_IONS) | (elements & FOREIGN_ALKALI)
        return [*_electrolyte_warnings(se), *_element_warnings(elements, foreign_ions, self.elements_)]


@lru_cache(maxsize=4096)
def _electrolyte_warnings(se_formula: str) -> tuple[str, ...]:
    se = parse_formula(se_formula)
    reasons = []
    if "S" not in formula_elements(se_formula):
        reasons.append(f"SE {se.reduced_formula} is not a sulfide")
    elif se.get_atomic_fraction("O") > se.get_atomic_fraction("S"):
        reasons.append(f"SE {se.reduced_formula} is an oxide rather than a sulfide")
    if "Li" not in formula_elements(se_formula):
        reasons.append(f"SE {se.reduced_formula} holds no Li: not Li-ion chemistry")
    return tuple(reasons)


@lru_cache(maxsize=4096)
def _element_warnings(elements: frozenset[str], foreign_ions: frozenset[str],
                     trained: tuple[str, ...]) -> tuple[str, ...]:
    reasons = []
    if foreign_ions:
        reasons.append(f"{', '.join(sorted(foreign_ions))} present: not Li-ion chemistry")
    unseen = sorted(elements.difference(trained))
    if unseen:
        reasons.append(f"element(s) {', '.join(unseen)} unseen in training")
    return tuple(reasons)
