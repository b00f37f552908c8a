"""What chemistry alone says about an interface, as features: the product classes its elements allow and what
the review's limit rules (`chemistry.rules`) expect for products, stability and degradation modes."""

from __future__ import annotations

from matminer.featurizers.base import BaseFeaturizer
from pymatgen.core import Composition

from degrade_ml.chemistry.formulas import elements_of
from degrade_ml.chemistry.rules import possible_modes, possible_products_at, rule_modes, rule_products, rule_stability
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES


class ChemistryPrior(BaseFeaturizer):
    """Product classes the elements allow at the electrode's side of the potential scale (`possible_products_at`),
    the rule expectations, and the modes that side can show (`possible_modes`), as 0/1 features. The stack pressure, where stated, decides whether a stripped anode voids."""

    def featurize(self, se: Composition, electrode: Composition, coating: Composition | None, role: str,
                  pressure_MPa: float | None = None) -> list[float]:
        allowed = possible_products_at(elements_of(se, electrode, coating), role)
        products = rule_products(se, electrode, coating, role)
        stability = rule_stability(se, coating, role)
        modes = rule_modes(electrode, coating, role, pressure_MPa)
        possible = possible_modes(electrode, role)
        return (
            [float(k in allowed) for k in PRODUCT_CLASSES]
            + [float(k in products) for k in PRODUCT_CLASSES]
            + [float(k == stability) for k in STABILITY_CLASSES]
            + [float(k in modes) for k in DEGRADATION_MODES]
            + [float(k in possible) for k in DEGRADATION_MODES]
        )

    def feature_labels(self) -> list[str]:
        return (
            [f"allowed {k}" for k in PRODUCT_CLASSES]
            + [f"rule expects {k}" for k in PRODUCT_CLASSES]
            + [f"rule expects {k}" for k in STABILITY_CLASSES]
            + [f"rule expects {k}" for k in DEGRADATION_MODES]
            + [f"allowed {k}" for k in DEGRADATION_MODES]
        )

    def citations(self) -> list[str]:
        return ["Zhu, He, Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b])"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]
