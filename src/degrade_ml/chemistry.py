"""Chemistry of an interface from its elements: which product classes are possible, which the
thermodynamic limits predict, and how each class is named as concrete phases.

Rules follow the review (Zhao et al., Small Struct. 2021, DOI 10.1002/sstr.202100146): at the Li anode
the lithiation limit gives Li2S, Li3P, LiX and Li–M alloys (Section 2.2.2, Zhu et al. [11b]); at an oxide
cathode the oxidation limit gives S and P2Sx, and S/O exchange with the oxide gives POx, SOx and TM
sulfides (Sections 2.3 and 3.2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache

from pymatgen.core import Composition, Element

from degrade_ml.vocab import PRODUCT_CLASSES

HALOGENS: tuple[str, ...] = ("F", "Cl", "Br", "I")
ISOTOPES = frozenset({"D", "T"})
# A formula unit of the review's materials holds at most 108 atoms of an element (Li104P27S108I23) and no
# element below 1 % of the atoms; these bounds reject overflow (`Li1e308S`) and vanishing amounts (`Cl1e-300`)
# with room to spare for real supercells and dopants.
MAX_AMOUNT = 1e4
MIN_FRACTION = 1e-6
# The cost of what follows a formula (oxidation states, phase diagrams) grows with its elements; the review's
# materials have at most 6 (NMC with dopants), its longest name is 31 characters.
MAX_FORMULA_CHARS = 100
MAX_ELEMENTS = 10


class FormulaError(ValueError):
    """A formula pymatgen parses but that cannot stand for a material: unknown elements, impossible amounts,
    more elements or characters than the limits."""


def parse_formula(text: str) -> Composition:
    """A formula as a pymatgen Composition; ValueError naming the text when it is not one."""
    cleaned = str(text).strip()
    if not cleaned:
        raise ValueError("empty formula")
    if len(cleaned) > MAX_FORMULA_CHARS:
        raise FormulaError(f"{cleaned[:40]!r}… is longer than {MAX_FORMULA_CHARS} characters")
    return _checked_composition(cleaned)


@lru_cache(maxsize=8192)
def _checked_composition(formula: str) -> Composition:
    try:
        composition = Composition(formula, strict=True)
    except Exception as error:  # pymatgen raises several types for bad formulas
        raise ValueError(f"{formula!r} is not a formula pymatgen parses ({error})") from None
    if len(composition) == 0 or any(amount <= 0 for amount in composition.values()):
        raise ValueError(f"{formula!r} is not a formula with positive amounts")
    amounts = list(composition.values())
    total = sum(amounts)
    # pymatgen reads the isotopes D and T as H, and silently drops amounts it rounds to zero (LiCl0, LiCl1e-300)
    written = set(Composition._parse_formula(formula))
    isotopes = sorted(written & ISOTOPES)
    if isotopes:
        raise FormulaError(f"{formula!r}: unknown element {', '.join(isotopes)} (an isotope symbol: write H)")
    if len(composition) > MAX_ELEMENTS:
        raise FormulaError(f"{formula!r} has {len(composition)} elements; a material may have at most {MAX_ELEMENTS}")
    dropped = written - {str(el) for el in composition.elements}
    if dropped or not math.isfinite(total) or max(amounts) > MAX_AMOUNT or min(amounts) < MIN_FRACTION * total:
        raise FormulaError(
            f"{formula!r} has amounts outside what a formula unit holds "
            f"(each element at least {MIN_FRACTION:g} of the atoms and at most {MAX_AMOUNT:g} atoms)"
        )
    return composition


# a reduced formula with more atoms is not checked for charge balance (supercells, dopant-level amounts)
MAX_BALANCE_ATOMS = 60


def charge_balanced(composition: Composition) -> bool | None:
    """Whether each atom can take one of its element's known oxidation states (ICSD, else common ones) so that
    the charges sum to zero, as pymatgen's `oxi_state_guesses` decides it, but by the set of reachable sums
    (at most 60 atoms × a few states × about 1,000 sums) instead of every combination, whose number grows
    about 3× per added metal. None when it does not apply: amounts that are not integers, or too many atoms."""
    reduced = composition.reduced_composition
    if len(reduced) == 1:
        return True  # an element: oxidation state 0
    if not all(float(n).is_integer() for n in reduced.values()) or reduced.num_atoms > MAX_BALANCE_ATOMS:
        return None
    sums = {0}
    for element, amount in reduced.items():
        states = set(element.icsd_oxidation_states or element.common_oxidation_states)
        for _ in range(int(amount)):
            sums = {total + state for total in sums for state in states}
    return 0 in sums


@lru_cache(maxsize=8192)
def formula_elements(formula: str) -> frozenset[str]:
    """Element symbols of a formula, memoised: rules that depend only on elements key on this."""
    return elements_of(parse_formula(formula))


def elements_of(*compositions: Composition | None) -> frozenset[str]:
    """Element symbols present in any of the compositions (None stands for an absent coating)."""
    return frozenset(str(el) for comp in compositions if comp is not None for el in comp.elements)


@lru_cache(maxsize=None)
def is_transition_metal(symbol: str) -> bool:
    return Element(symbol).is_transition_metal


@lru_cache(maxsize=None)
def is_alloying(symbol: str) -> bool:
    """Non-alkali metals and metalloids: what Li metal reduces to a Li–M alloy or metal (Ge, Sn, Si, Sb, In, Ag…)."""
    element = Element(symbol)
    return (element.is_metal or element.is_metalloid) and not element.is_alkali


def _has_tm(elements: Iterable[str]) -> bool:
    return any(is_transition_metal(el) for el in elements)


@lru_cache(maxsize=4096)
def possible_products(elements: frozenset[str]) -> frozenset[str]:
    """Product classes whose elements the interface holds: the element-conservation gate (SPEC §1)."""
    has = elements.__contains__
    checks = {
        "Li2S": has("Li") and has("S"),
        "Li3P": has("Li") and has("P"),
        "LiX": has("Li") and any(has(x) for x in HALOGENS),
        "Li_M_alloy": any(is_alloying(el) for el in elements),
        "S": has("S"),
        "Li2Sn": has("Li") and has("S"),
        "P2Sx": has("P") and has("S"),
        "POx": has("P") and has("O"),
        "SOx": has("S") and has("O"),
        "TM_S": has("S") and _has_tm(elements),
        "TM_P": has("P") and _has_tm(elements),
        "TM_reduced": has("O") and _has_tm(elements),
    }
    return frozenset(key for key in PRODUCT_CLASSES if checks[key])


def lithiation_products(se: Composition, interlayer: Composition | None = None) -> frozenset[str]:
    """Products of the SE (and interlayer) at the lithiation limit: the anode rule of SPEC §6."""
    elements = elements_of(se, interlayer)
    expected = {"Li2S"} if "S" in elements else set()
    if "P" in elements:
        expected.add("Li3P")
    if any(x in elements for x in HALOGENS):
        expected.add("LiX")
    if any(is_alloying(el) for el in elements):
        expected.add("Li_M_alloy")
    return frozenset(expected)


def oxidation_products(se: Composition, cathode: Composition, coating: Composition | None = None) -> frozenset[str]:
    """Products at an uncoated oxide cathode: SE oxidation (S, P2Sx), the matching reduction of the
    cathode's transition metals (Co3O4, rock-salt NiO; Sections 3.1.2, 3.2.2) and O/S exchange with the oxide
    (POx, SOx, TM–S). A coating that separates SE and cathode prevents the inter-reaction (Section 2.3.2),
    so the rule expects nothing there."""
    if coating is not None:
        return frozenset()
    se_elements, cathode_elements = elements_of(se), elements_of(cathode)
    expected = {"S"} if "S" in se_elements else set()
    if {"P", "S"} <= se_elements:
        expected.add("P2Sx")
    if "O" in cathode_elements:
        if "P" in se_elements:
            expected.add("POx")
        if "S" in se_elements:
            expected.add("SOx")
    if _has_tm(cathode_elements):
        if "O" in cathode_elements:
            expected.add("TM_reduced")
        if "S" in se_elements:
            expected.add("TM_S")
    return frozenset(expected)


_REDUCED_OXIDE = {"Co": "Co3O4", "Ni": "NiO (rock-salt)", "Mn": "Mn3O4", "Fe": "FeO"}
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
    return list(_phases(product, formula_elements(se), formula_elements(electrode), coating_elements))


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
        return tuple(f"Li–{el}" for el in _ordered(elements, is_alloying))
    metals = _ordered(electrode, is_transition_metal) or _ordered(elements, is_transition_metal)
    if product == "TM_S":
        return tuple(f"{tm}–S" for tm in metals)
    if product == "TM_P":
        return tuple(f"{tm}Px" for tm in metals)
    return tuple(_REDUCED_OXIDE.get(tm, f"{tm}O") for tm in metals)


def _ordered(elements: frozenset[str], keep) -> list[str]:
    return sorted((el for el in elements if keep(el)), key=lambda el: Element(el).Z)
