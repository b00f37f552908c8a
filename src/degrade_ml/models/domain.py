"""Applicability domain: is a query inside the chemistry the model was trained on, and if not, why."""

from __future__ import annotations

import numpy as np
from functools import lru_cache

from sklearn.base import BaseEstimator
from sklearn.impute import SimpleImputer
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from degrade_ml.chemistry import formula_elements, parse_formula


class ApplicabilityDomain(BaseEstimator):
    """Chemistry rules first (a sulfide Li-ion SE, no Na/K, only elements seen in training), then distance:
    a query farther from its nearest training interface than `quantile` of training interfaces are from
    theirs (leave-one-out), times `margin`, lies outside."""

    def __init__(self, quantile: float = 0.95, margin: float = 1.5):
        self.quantile = quantile
        self.margin = margin

    def fit(self, features: np.ndarray, elements: frozenset[str]) -> "ApplicabilityDomain":
        self.scaler_ = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler())
        scaled = np.nan_to_num(self.scaler_.fit_transform(features))
        self.neighbors_ = NearestNeighbors(n_neighbors=2).fit(scaled)
        distances, _ = self.neighbors_.kneighbors(scaled)
        self.threshold_ = float(np.quantile(distances[:, 1], self.quantile) * self.margin)
        self.elements_ = frozenset(elements)
        return self

    def distance_warnings(self, features: np.ndarray) -> list[str | None]:
        scaled = np.nan_to_num(self.scaler_.transform(features))
        nearest = self.neighbors_.kneighbors(scaled, n_neighbors=1)[0][:, 0]
        return [
            f"far from every training interface (distance {d:.1f} > {self.threshold_:.1f})" if d > self.threshold_ else None
            for d in nearest
        ]

    def chemistry_warnings(self, se: str, electrode: str, coating: str = "") -> list[str]:
        """Reasons, from the formulas alone, why an interface lies outside the trained chemistry."""
        elements = formula_elements(se) | formula_elements(electrode) | (formula_elements(coating) if coating else frozenset())
        return [*_electrolyte_warnings(se), *_element_warnings(elements, self.elements_)]


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
def _element_warnings(elements: frozenset[str], trained: frozenset[str]) -> tuple[str, ...]:
    reasons = []
    foreign_ions = sorted(elements & {"Na", "K", "Mg", "Ca"})
    if foreign_ions:
        reasons.append(f"{', '.join(foreign_ions)} present: not Li-ion chemistry")
    unseen = sorted(elements - trained)
    if unseen:
        reasons.append(f"element(s) {', '.join(unseen)} unseen in training")
    return tuple(reasons)
