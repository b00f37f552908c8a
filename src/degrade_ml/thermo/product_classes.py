"""Thermodynamic product phases → the product classes of SPEC §2.

A phase is classed by its elements and, where it holds a transition metal, by whether the metal ends up in a lower
oxidation state than in the reactant that brought it (SPEC: a reduced oxide or valence): Co3O4, CoS2 (Co2+) and CoCl2
from LiCoO2 are `TM_reduced`, CoO2 is not.
Phases outside every class (Li3PS4, LiNbO3, elemental P, Li2O…) are still reported as phases."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pymatgen.core import Composition, Element

from degrade_ml.chemistry.elements import HALOGENS, is_alloying, is_transition_metal
from degrade_ml.vocab import PRODUCT_CLASSES


def _symbols(composition: Composition) -> frozenset[str]:
    return frozenset(str(el) for el in composition.elements)


# the usual valences beside a transition metal in an oxide, and in a sulfide or halide (no O): P is P5+ only in an oxide
OXIDE_PARTNERS = {"Li": 1, "Na": 1, "Mg": 2, "Al": 3, "B": 3, "P": 5, "Si": 4, "O": -2, "F": -1, "Cl": -1, "Br": -1,
                  "I": -1}
SULFIDE_PARTNERS = {"Li": 1, "S": -2, "F": -1, "Cl": -1, "Br": -1, "I": -1}
SULFATE_OXYGENS = 4  # O per S in SO4 2-: with fewer, S may be sulfite's, thiosulfate's or an oxysulfide's S2-
# late 3d metals whose sulfides hold them at most at 8/3 (the thiospinels Co3S4, Ni3S4, Fe3S4): sulfur past that pairs
# into (S2)2-, as in the pyrite-type disulfides MnS2, FeS2, CoS2 and NiS2, whose metal is M2+ (Greenwood & Earnshaw,
# Chemistry of the Elements, 2nd ed., 1997, Ch. 15)
PERSULFIDE_METALS = frozenset({"Mn", "Fe", "Co", "Ni"})
THIOSPINEL_VALENCE = 8 / 3


def mean_tm_oxidation_state(composition: Composition) -> float | None:
    """Mean transition-metal oxidation state of a phase by charge balance: a Li–TM–O(–other) phase with Li+ and O2-
    (and the usual valences of Al3+, B3+, P5+, Si4+ and the halides), a Li–TM sulfide or halide with S2- and X-, where
    S2- would put a late 3d metal past its thiospinel, with (S2)2- pairs (CoS2 is Co2+, not Co4+). None when the phase
    holds no transition metal, no anion or another element (a thiophosphate, a phosphide, an oxysulfide); S beside
    four O or more per S is sulfate's S6+."""
    amounts = composition.get_el_amt_dict()
    metals = {el for el in amounts if is_transition_metal(el)}
    tm = sum(amounts[el] for el in metals)
    oxide = "O" in amounts
    partners = OXIDE_PARTNERS if oxide else SULFIDE_PARTNERS
    if oxide and amounts.get("S", 0.0) * SULFATE_OXYGENS <= amounts["O"] + 1e-9:
        partners = {**OXIDE_PARTNERS, "S": 6}  # enough O for every S to be sulfate's S6+ (CoSO4 is Co2+)
    if not tm or not any(partners[el] < 0 for el in amounts if el in partners) or set(amounts) - metals - set(partners):
        return None
    state = -sum(partners[el] * n for el, n in amounts.items() if el in partners) / tm
    if not oxide and "S" in amounts and state > THIOSPINEL_VALENCE + 1e-9 and metals <= PERSULFIDE_METALS:
        state -= amounts["S"] / tm
    return state


def classes_of_phase(phase: Composition, reactant_tm_states: dict[str, float] | None = None) -> frozenset[str]:
    """The product classes one phase belongs to. `reactant_tm_states` maps each transition metal to its
    mean oxidation state in the reactants, so that reduced oxides can be told from oxidised ones."""
    symbols = _symbols(phase)
    amounts = phase.get_el_amt_dict()
    has_tm = any(is_transition_metal(el) for el in symbols)
    found: set[str] = set()
    if symbols == {"Li", "S"}:
        found.add("Li2S" if amounts["S"] / amounts["Li"] <= 0.5 + 1e-9 else "Li2Sn")
    elif symbols == {"S"}:
        found.add("S")
    elif symbols == {"Li", "P"}:
        found.add("Li3P")
    elif symbols <= {"Li", *HALOGENS} and len(symbols) == 2 and "Li" in symbols:
        found.add("LiX")
    elif all(Element(el).is_metal or Element(el).is_metalloid for el in symbols) and (
            any(is_alloying(el) and not is_transition_metal(el) for el in symbols) or ("Li" in symbols and len(symbols) > 1)):
        found.add("Li_M_alloy")  # LiAg, LiZn and LiAu are Li–M alloys too; a bare Co or Fe is TM_reduced below
    if {"P", "S"} <= symbols and symbols <= {"Li", "P", "S"} and amounts["S"] / amounts["P"] < 4 - 1e-9:
        found.add("P2Sx")  # P–S phases with bridging S or P–P bonds: P4S10, Li4P2S6, Li7P3S11
    if {"P", "O"} <= symbols:
        found.add("POx")
    if {"S", "O"} <= symbols:
        found.add("SOx")
    if has_tm and "S" in symbols and "O" not in symbols:
        found.add("TM_S")
    if has_tm and "P" in symbols and not symbols & {"O", "S"}:
        found.add("TM_P")
    if has_tm and (symbols <= {el for el in symbols if is_transition_metal(el)}):
        found.add("TM_reduced")  # the metal itself
    state = mean_tm_oxidation_state(phase)
    if state is not None:
        references = [v for el, v in (reactant_tm_states or {}).items() if el in symbols]
        if references and state < min(references) - 0.05:
            found.add("TM_reduced")
    return frozenset(found)


def reactant_tm_states(reactants: Iterable[Composition]) -> dict[str, float]:
    """The lowest mean oxidation state each transition metal has in the reactants (oxides, sulfides and halides)."""
    states: dict[str, float] = {}
    for reactant in reactants:
        state = mean_tm_oxidation_state(reactant)
        if state is not None:
            for el in _symbols(reactant):
                if is_transition_metal(el):
                    states[el] = min(states.get(el, state), state)
    return states


def classes_of_phases(phases: Iterable[Composition], reactants: Iterable[Composition] = ()) -> list[str]:
    """Union of the classes of several phases, in the order of SPEC §2."""
    states = reactant_tm_states(reactants)
    found: set[str] = set()
    for phase in phases:
        found |= classes_of_phase(phase, states)
    return [key for key in PRODUCT_CLASSES if key in found]


def classes_of_phase_names(phases: tuple[str, ...], reactants: Iterable[Composition]) -> tuple[str, ...]:
    """`classes_of_phases` for phases named by formula, each name classed once per set of reactant oxidation states:
    a screen's contacts name the same few dozen products thousands of times."""
    if not phases:
        return ()
    states = tuple(sorted(reactant_tm_states(reactants).items()))
    found: set[str] = set()
    for name in phases:
        found |= _classes_of_named_phase(name, states)
    return tuple(key for key in PRODUCT_CLASSES if key in found)


@lru_cache(maxsize=65_536)
def _classes_of_named_phase(name: str, states: tuple[tuple[str, float], ...]) -> frozenset[str]:
    return classes_of_phase(Composition(name), dict(states))
