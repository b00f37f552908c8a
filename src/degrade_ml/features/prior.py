"""What chemistry alone says about an interface: which product classes its elements allow, and what the
limit rules of the review expect for products, stability and degradation modes."""

from __future__ import annotations

from matminer.featurizers.base import BaseFeaturizer
from pymatgen.core import Composition

from degrade_ml.chemistry import elements_of, is_alloying, lithiation_products, oxidation_products, possible_products
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES


def rule_products(se: Composition, electrode: Composition, coating: Composition | None, role: str) -> frozenset[str]:
    """Lithiation limit at the anode, oxidation limit (and O/S exchange when uncoated) at the cathode (SPEC §6)."""
    if role == "anode":
        return lithiation_products(se, coating)
    return oxidation_products(se, electrode, coating)


def rule_stability(se: Composition, coating: Composition | None, role: str) -> str:
    """A reducible metal in the SE gives an electron-conducting Li–M interphase that keeps growing (LGPS,
    Section 2.2.2); otherwise the Li2S/Li3P/LiX interphase passivates. A coated cathode is stable, an uncoated
    one keeps oxidising the SE (Section 2.3)."""
    if role == "cathode":
        return "stable" if coating is not None else "continuous"
    return "continuous" if any(is_alloying(el) for el in elements_of(se)) else "passivating"


def rule_modes(coating: Composition | None, role: str) -> frozenset[str]:
    """Dendrites at the Li anode (Section 2.2.1); a space-charge layer at an uncoated oxide cathode (Section 2.3.1)."""
    if role == "anode":
        return frozenset({"dendrite"})
    return frozenset() if coating is not None else frozenset({"space_charge_layer"})


class ChemistryPrior(BaseFeaturizer):
    """Element-allowed product classes and the rule expectations, as 0/1 features."""

    def featurize(self, se: Composition, electrode: Composition, coating: Composition | None, role: str) -> list[float]:
        allowed = possible_products(elements_of(se, electrode, coating))
        products = rule_products(se, electrode, coating, role)
        stability = rule_stability(se, coating, role)
        modes = rule_modes(coating, role)
        return (
            [float(k in allowed) for k in PRODUCT_CLASSES]
            + [float(k in products) for k in PRODUCT_CLASSES]
            + [float(k == stability) for k in STABILITY_CLASSES]
            + [float(k in modes) for k in DEGRADATION_MODES]
        )

    def feature_labels(self) -> list[str]:
        return (
            [f"allowed {k}" for k in PRODUCT_CLASSES]
            + [f"rule expects {k}" for k in PRODUCT_CLASSES]
            + [f"rule expects {k}" for k in STABILITY_CLASSES]
            + [f"rule expects {k}" for k in DEGRADATION_MODES]
        )

    def citations(self) -> list[str]:
        return ["Zhu, He, Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b])"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]
