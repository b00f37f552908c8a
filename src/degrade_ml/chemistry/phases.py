"""The concrete phases behind each product class, named from the query's own elements (SPEC §1.5)."""

from __future__ import annotations

from functools import lru_cache

from pymatgen.core import Element

from degrade_ml.chemistry.elements import HALOGENS, is_alloying, is_transition_metal
from degrade_ml.chemistry.formulas import formula_elements, same_composition
from degrade_ml.chemistry.rules import possible_products
from degrade_ml.vocab import PRODUCT_CLASSES


# the oxide a transition metal's first reduction step leaves (Greenwood & Earnshaw): Ti4+ to Ti2O3, Nb5+ to NbO2,
# not TiO or NbO (Ti2+, Nb2+), which no cathode interface reaches. A metal of one valence in its oxides (Sc, Y, Zr,
# Hf, La, Zn) has no reduced oxide to name.
_REDUCED_OXIDE = {"Ti": "Ti2O3", "V": "VO2", "Cr": "Cr2O3", "Mn": "Mn3O4", "Fe": "FeO", "Co": "Co3O4",
                  "Ni": "NiO (rock-salt)", "Cu": "Cu2O", "Nb": "NbO2", "Mo": "MoO2", "Ta": "TaO2", "W": "WO2"}
_FIXED_PHASES = {
    "Li2S": ["Li2S"],
    "Li3P": ["Li3P"],
    "S": ["S"],
    "Li2Sn": ["Li2Sn"],
    "P2Sx": ["P2S6^4-", "P2S7^4-"],
    "POx": ["Li3PO4"],
    "SOx": ["Li2SO4"],
}


def concrete_phases(product: str, se: str, electrode: str, coating: str = "") -> list[str]:
    """The phases behind a product class, named from the query's own elements (SPEC §1.5):
    LiX of Li6PS5Cl is LiCl, Li_M_alloy of Li10GeP2S12 is Li–Ge, TM_S of LiCoO2 is Co–S.
    Takes formulas; the answer depends only on which elements each material holds."""
    if product not in PRODUCT_CLASSES:
        raise ValueError(f"{product!r} is not a product class")
    coating_elements = formula_elements(coating) if coating else frozenset()
    se_elements, electrode_elements = formula_elements(se), formula_elements(electrode)
    phases = _phases(product, se_elements, electrode_elements, coating_elements)
    if product == "LiX" and coating:  # a lithium halide coating (LiF, LiI) is that halide already: its halide forms
        # only where the SE or the electrode holds the halogen too
        return [phase for phase in phases if not same_composition(phase, coating)
                or formula_elements(phase) - {"Li"} <= se_elements | electrode_elements]
    return list(phases)


@lru_cache(maxsize=8192)
def _phases(product: str, se: frozenset[str], electrode: frozenset[str], coating: frozenset[str]) -> tuple[str, ...]:
    elements = se | electrode | coating
    if product not in possible_products(elements):
        return ()
    if product in _FIXED_PHASES:
        return tuple(_FIXED_PHASES[product])
    if product == "LiX":
        return tuple(f"Li{x}" for x in HALOGENS if x in elements)
    if product == "Li_M_alloy":
        # the SE's (or an interlayer's) reduced metal: an alloy anode's own lithiation (Li–Si at Si) is the electrode
        hosts = _ordered(se | coating, is_alloying) or _ordered(electrode, is_alloying)
        return tuple(f"Li–{el}" for el in hosts)
    metals = _ordered(electrode, is_transition_metal) or _ordered(elements, is_transition_metal)
    if product == "TM_S":
        return tuple(f"{tm}–S" for tm in metals)
    if product == "TM_P":
        return tuple(f"{tm}Px" for tm in metals)
    return tuple(_REDUCED_OXIDE[tm] for tm in metals if tm in _REDUCED_OXIDE)


def _ordered(elements: frozenset[str], keep) -> list[str]:
    return sorted((el for el in elements if keep(el)), key=lambda el: Element(el).Z)
