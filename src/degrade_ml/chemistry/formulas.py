"""Formulas as pymatgen Compositions, bounded so that no formula can cost more than a moment downstream."""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

from pymatgen.core import Composition, Element
from pymatgen.util.string import formula_double_format

from degrade_ml.chemistry.elements import ANIONS

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
    if "-" in cleaned:  # pymatgen reads Li2O-2B2O3 as Li2O minus 2 B2O3; a hyphen joins a mixture's members
        raise ValueError(f"{cleaned!r} is not a formula: a hyphen joins the members of a mixture (Li2O-2B2O3)")
    if " (" in cleaned:  # pymatgen reads LiCoO2 (HV) as LiCoO2HV and LiCoO2 (SC) as LiCoO2SC: a gloss, not elements
        raise ValueError(f"{cleaned!r} is not a formula: what follows it in parentheses is a gloss")
    return _checked_composition(cleaned)


def is_formula(text: str) -> bool:
    """Whether the text is a formula `parse_formula` reads."""
    try:
        parse_formula(text)
    except ValueError:
        return False
    return True


class _WrittenComposition(Composition):
    """Every element the formula names, with the amount written, even one pymatgen would round away."""

    amount_tolerance = 0.0


@lru_cache(maxsize=8192)
def _checked_composition(formula: str) -> Composition:
    try:
        composition = Composition(formula, strict=True)
        # every element the formula names, even one with amount 0 (NCM0: M0 is no element, not nothing)
        as_written = _WrittenComposition(formula, strict=True)
    except Exception as error:  # pymatgen raises several types for bad formulas
        raise ValueError(f"{formula!r} is not a formula pymatgen parses ({error})") from None
    if len(composition) == 0 or any(amount <= 0 for amount in composition.values()):
        raise ValueError(f"{formula!r} is not a formula with positive amounts")
    amounts = list(composition.values())
    total = sum(amounts)
    # pymatgen reads the isotopes D and T as H, and silently drops amounts it rounds to zero (LiCl0, LiCl1e-300)
    written = {element.name for element in as_written.elements}  # an isotope keeps its own name (D, T)
    isotopes = sorted(written & ISOTOPES)
    if isotopes:
        raise FormulaError(f"{formula!r}: unknown element {', '.join(isotopes)} (an isotope symbol: write H)")
    if len(composition) > MAX_ELEMENTS:
        raise FormulaError(f"{formula!r} has {len(composition)} elements; a material may have at most {MAX_ELEMENTS}")
    dropped = {str(el) for el, amount in as_written.items() if abs(amount) < Composition.amount_tolerance}
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


# the least a pseudo-binary's written amounts add up to when they are mol % rather than coefficients
PERCENT_MIN = 10.0


def parse_mixture(text: str) -> Composition | None:
    """A pseudo-binary written as its end members, with or without amounts (Li3BO3-Li2CO3, 0.3Li2O-0.7B2O3,
    70Li2S-30P2S5, Li3PS4-30LiI as 70:30), a member itself such a mixture in parentheses (30LiI-70(0.75Li2S-0.25P2S5)):
    their summed composition, reduced and bounded like any formula. None when the text is not one;
    ValueError for elements joined by hyphens with an anion among them, a chemical system that gives no amounts."""
    total = _mixture_total(str(text))
    return None if total is None else parse_formula(plain_formula(total))


def _mixture_total(text: str) -> Composition | None:
    """The members of a mixture summed by their amounts, not reduced (a member in parentheses counts as written)."""
    parts = _top_level_parts(text, "-")
    if len(parts) < 2:
        return None
    symbols = [part.strip() for part in parts]
    if all(map(Element.is_valid_symbol, symbols)) and set(symbols) & ANIONS:
        raise ValueError(f"{text!r} names a chemical system, not a composition (Li-Ta-O may be LiTaO3 or "
                         "Li3TaO4): give the formula")
    members: list[tuple[float | None, Composition]] = []
    for part in parts:
        written = part.strip()
        number = "".join(itertools.takewhile(lambda char: char.isdigit() or char == ".", written))
        member = written[len(number):].strip()
        try:
            amount = float(number) if number else None
            nested = _mixture_total(member[1:-1]) if member.startswith("(") and member.endswith(")") else None
            members.append((amount, nested if nested is not None else parse_formula(member)))
        except ValueError:
            return None
        if amount is not None and amount <= 0:
            return None
    given = [amount for amount, _ in members if amount is not None]
    # mol % with one member's share left to the reader (Li3PS4-30LiI is 70Li3PS4-30LiI); a small number is a
    # coefficient (Li2O-2B2O3 is Li2B4O7)
    rest = 100 - sum(given) if len(given) == len(members) - 1 and PERCENT_MIN <= sum(given) < 100 else 1.0
    return sum((composition * (rest if amount is None else amount) for amount, composition in members), Composition())


def plain_formula(composition: Composition) -> str:
    """The reduced formula, without the groups pymatgen writes for a few compositions (Li27P7(S14I3)2 for a LiI-doped
    glass is Li27P7S28I6), elements in pymatgen's order (by electronegativity)."""
    reduced = composition.reduced_formula
    if "(" not in reduced:
        return reduced
    amounts = sorted(composition.reduced_composition.items(), key=lambda item: item[0].X)
    return "".join(f"{element}{formula_double_format(amount)}" for element, amount in amounts)


def _top_level_parts(text: str, separator: str) -> list[str]:
    """The text split at the separator outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


@lru_cache(maxsize=8192)
def formula_elements(formula: str) -> frozenset[str]:
    """Element symbols of a formula, memoised: rules that depend only on elements key on this."""
    return elements_of(parse_formula(formula))


@lru_cache(maxsize=8192)
def same_composition(a: str, b: str) -> bool:
    """Whether two formulas name one composition (Li6PS5Cl and Li12P2S10Cl2), memoised: a batch asks it per pair."""
    return parse_formula(a).reduced_composition.almost_equals(parse_formula(b).reduced_composition)


def elements_of(*compositions: Composition | None) -> frozenset[str]:
    """Element symbols present in any of the compositions (None stands for an absent coating)."""
    return frozenset(str(el) for comp in compositions if comp is not None for el in comp.elements)



# a cation below this share of the cations besides Li is a dopant (Mo in Li7P2.9S10.85Mo0.01, Cu in Li5.9Cu0.1PS5Cl):
# it tunes the host, stores no Li worth a cathode, and its reduced metal is too dilute to carry electrons
DOPANT_SHARE = 0.1


def cations_besides_li(formula: str) -> dict[str, float]:
    """Amount of each element of the formula that is neither Li nor an anion former (ANIONS)."""
    return {el: amount for el, amount in parse_formula(formula).get_el_amt_dict().items()
            if el != "Li" and el not in ANIONS}


def at_highest_valence(composition: Composition, metals: frozenset[str]) -> bool:
    """Whether the charge the other elements leave (anions at their lowest common oxidation state, cations at their
    highest) puts `metals` at their highest oxidation state: Mo6+ in Li2MoO4, Nb5+ in LiNbO3, not Mo4+ in MoO2."""
    amounts = composition.get_el_amt_dict()
    states = {el: Element(el).common_oxidation_states or (0,) for el in amounts}  # noble gases have none
    fixed_charge = sum(amount * (min(states[el]) if el in ANIONS else max(states[el]))
                       for el, amount in amounts.items() if el not in metals)
    highest = sum(amount * Element(el).max_oxidation_state for el, amount in amounts.items() if el in metals)
    return -fixed_charge >= highest - 1e-6


@lru_cache(maxsize=8192)
def dopants(formula: str) -> frozenset[str]:
    """The cations at a dopant's share (below DOPANT_SHARE of the cations besides Li)."""
    cations = cations_besides_li(formula)
    total = sum(cations.values())
    return frozenset(el for el, amount in cations.items() if amount < DOPANT_SHARE * total)
