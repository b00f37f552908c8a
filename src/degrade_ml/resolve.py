"""What a user types (a formula, a name from the materials table, or `Li`) → a material with a formula."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
from pymatgen.core import Element

from degrade_ml.chemistry import elements_of, is_alloying, is_transition_metal, parse_formula

ANODE_FAMILIES = frozenset({"li_metal", "li_alloy"})


@dataclass(frozen=True)
class Material:
    name: str
    formula: str
    family: str


class MaterialsTable:
    """Names and abbreviations of the review (LPSCl, NMC811, LNO, …) mapped to formulas and families."""

    def __init__(self, materials: pd.DataFrame):
        self._by_name = {row.name: Material(row.name, row.formula, row.family) for row in materials.itertuples(index=False)}
        self._by_folded_name: dict[str, Material | None] = {}
        for name, material in self._by_name.items():
            folded = name.casefold()
            if folded not in self._by_folded_name:
                self._by_folded_name[folded] = material
            elif (previous := self._by_folded_name[folded]) is None or previous.formula != material.formula:
                self._by_folded_name[folded] = None  # ambiguous once case is ignored
        self._resolved: dict[str, Material] = {}
        self._family_by_formula = {parse_formula(m.formula).reduced_formula: m.family for m in self._by_name.values()}

    def __len__(self) -> int:
        return len(self._by_name)

    def resolve(self, text: object) -> Material:
        """ValueError naming the text when it is neither a known name nor a formula pymatgen parses."""
        key = text if isinstance(text, str) else repr(text)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(text)
        return self._resolved[key]

    def _resolve(self, text: object) -> Material:
        cleaned = "" if text is None or (isinstance(text, float) and text != text) else str(text).strip()
        if not cleaned:
            raise ValueError("empty material name")
        known = self._by_name.get(cleaned) or self._by_folded_name.get(cleaned.casefold())
        if known is not None:
            return known
        try:
            composition = parse_formula(cleaned)
        except ValueError as error:
            if "amounts outside" in str(error):
                raise
            raise ValueError(
                f"{cleaned!r} is neither a name in the materials table nor a formula pymatgen parses"
            ) from None
        family = self._family_by_formula.get(composition.reduced_formula) or infer_family(cleaned)
        return Material(cleaned, cleaned, family)


def infer_family(formula: str) -> str:
    """A family for a formula the materials table does not list, from its elements alone."""
    elements = elements_of(parse_formula(formula))
    if elements == {"Li"}:
        return "li_metal"
    if all(is_alloying(el) or el == "Li" for el in elements):
        return "li_alloy"
    if "O" in elements and any(is_transition_metal(el) for el in elements):
        return "other_cathode"
    if "S" in elements and "Li" in elements:
        return "sulfide_electrolyte"
    return "other"


@lru_cache(maxsize=4096)
def electrode_role(material: Material) -> str:
    """Li metal and Li alloys are anodes; everything else faces the SE as a cathode."""
    if material.family in ANODE_FAMILIES:
        return "anode"
    elements = elements_of(parse_formula(material.formula))
    if all(Element(el).is_metal or Element(el).is_metalloid for el in elements) and not any(
        is_transition_metal(el) for el in elements
    ):
        return "anode"
    return "cathode"
