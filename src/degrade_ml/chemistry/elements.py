"""Element classes the interface rules and features share: one definition each."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from pymatgen.core import Element

HALOGENS: tuple[str, ...] = ("F", "Cl", "Br", "I")
ANIONS = frozenset({"O", "S", "Se", "F", "Cl", "Br", "I", "N"})
# transition metals whose redox a cathode uses (a Li–M–O with one of them is a cathode candidate)
REDOX_METALS = frozenset({"V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Mo"})


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


