"""Element classes the interface rules and features share: one definition each."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pymatgen.core import Element

HALOGENS: tuple[str, ...] = ("F", "Cl", "Br", "I")
ANIONS = frozenset({"O", "S", "Se", "F", "Cl", "Br", "I", "N"})
# non-metals that bond to themselves in Li compounds (S_n^2-, O2^2-, N3^-, P_n chains, C2^2-): a Li binary of one of
# them may hold less Li than its most lithiated compound (Li2S6 beside Li2S, LiP7 beside Li3P), never more
CATENATING = frozenset({"O", "S", "Se", "N", "P", "C"})
# the longest chain per Li where one is bounded: oxygen's stops at the ozonide O3^- (LiO3), so LiO4 is no peroxide but
# a slip (LiClO4 short of its Cl)
LONGEST_CHAIN_PER_LI = {"O": 3.0}
# elements whose binary phase diagram with Li holds intermetallics or a wide solid solution at room temperature, so that
# a Li–M composition between them is an alloy, not a typo (LiGe, Li13In3, Li–Mg); the transition metals of cathodes
# form none (Obrovac & Chevrier, Chem. Rev. 2014, 114, 11444, on the elements that alloy with Li)
LI_ALLOYING = frozenset({"Mg", "Zn", "Cd", "Hg", "B", "Al", "Ga", "In", "Tl", "Si", "Ge", "Sn", "Pb", "As", "Sb", "Bi",
                         "Te", "Ag", "Au", "Pt", "Pd"})
# transition metals whose redox a cathode uses (a Li–M–O with one of them is a cathode candidate)
REDOX_METALS = frozenset({"V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Mo"})
ROOM_TEMPERATURE_K = 298.15  # an element boiling below it is a gas where a cell runs


@lru_cache(maxsize=None)
def is_gas_at_room_temperature(symbol: str) -> bool:
    """An element that boils below 25 °C by pymatgen's boiling points (H, N, O, F, Cl, the noble gases)."""
    boiling = Element(symbol).boiling_point
    return boiling is not None and float(boiling) < ROOM_TEMPERATURE_K


@lru_cache(maxsize=None)
def is_transition_metal(symbol: str) -> bool:
    return Element(symbol).is_transition_metal


@lru_cache(maxsize=None)
def is_alloying(symbol: str) -> bool:
    """Non-alkali metals and metalloids: what Li metal reduces to a Li–M alloy or metal (Ge, Sn, Si, Sb, In, Ag…)."""
    element = Element(symbol)
    return (element.is_metal or element.is_metalloid) and not element.is_alkali


def has_transition_metal(elements: Iterable[str]) -> bool:
    return any(is_transition_metal(el) for el in elements)


