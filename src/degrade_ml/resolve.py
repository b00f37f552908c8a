"""What a user types (a formula, a name from the materials table, or `Li`) → a material with a formula."""

from __future__ import annotations

import difflib
import math
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from pymatgen.core import Composition, Element

from degrade_ml.chemistry.elements import (
    ANIONS,
    CATENATING,
    HALOGENS,
    LI_ALLOYING,
    LONGEST_CHAIN_PER_LI,
    REDOX_METALS,
    is_alloying,
    is_gas_at_room_temperature,
    is_transition_metal,
)
from degrade_ml.chemistry.families import ANODE_MAX_POTENTIAL_V, CHALCOGENIDE_HOST_METALS, family_potential
from degrade_ml.chemistry.formulas import (
    DOPANT_SHARE,
    FormulaError,
    at_highest_valence,
    cations_besides_li,
    charge_balanced,
    elements_of,
    formula_elements,
    is_formula,
    parse_formula,
    parse_mixture,
    plain_formula,
)
from degrade_ml.thermo.hull import is_mixture
from degrade_ml.thermo.sources import EXPERIMENT_FILE, MP_FILE, wheel_json

ANODE_FAMILIES = frozenset({"li_metal", "li_alloy"})
CATHODE_FAMILIES = frozenset({"layered_oxide_cathode", "spinel_oxide_cathode", "olivine_cathode", "other_cathode"})
ELECTRODE_FAMILIES = ANODE_FAMILIES | CATHODE_FAMILIES
# a metal or alloy film between Li and the SE (In, Ag, Sn, Li–In) is an interlayer; Li metal itself is the electrode
NOT_A_COATING = frozenset({"li_metal"}) | CATHODE_FAMILIES
# Li2S, alone or with a Li halide (Li2S-LiI), is a cathode: an SE needs a network former besides Li
LI_SULFIDE_ELEMENTS = frozenset({"Li", "S", *HALOGENS})
# beside oxygen only the redox metals and Ti make a Li sulfide a cathode (an Nb or Ta oxysulfide is no Li host)
OXYSULFIDE_CATHODE_METALS = REDOX_METALS | {"Ti"}
_LEADING_ZERO = re.compile(r"(?<![0-9.])0[0-9]+")
MAX_CONTACT_ELEMENTS = 10  # elements of two materials in contact (LPSCl | NMC811: 8)
TYPO_DISTANCE = 0.25  # L1 distance of atomic fractions beyond which a formula is far from a known one
INTERFACE_MARK = "|"  # how an interface is written, SE | electrode | coating: a stack, never one material


@dataclass(frozen=True)
class Material:
    name: str
    formula: str
    family: str
    potential_V: float | None = None  # nominal electrode potential vs Li/Li+, where the materials table states one
    potential_note: str = ""  # the warning naming a potential the table gives another material (an alloy's)
    note: str = ""  # the warning naming what reading the text assumed (a composition its name does not state)


NAME_SIMILARITY = 0.75  # difflib ratio above which a name the table lacks is offered the table's name as a typo
NAME_TIE = 0.05  # names offered beside the closest: those about as close
LOOK_ALIKE_LETTERS = {"0": "O", "1": "lI", "I": "l"}  # characters typed for the letters they look like


class MaterialsTable:
    """Names and abbreviations of the review (LPSCl, NMC811, LNO, …) mapped to formulas and families."""

    def __init__(self, materials: pd.DataFrame):
        self._by_name = {
            row.name: Material(row.name, row.formula, row.family, _potential(getattr(row, "potential_V", "")))
            for row in materials.itertuples(index=False)
        }
        self._by_folded_name = _unambiguous(self._by_name.values(), _fold)
        self._by_compact_name = _unambiguous(self._by_name.values(), _compact)
        self._resolved: dict[str, Material] = {}
        self._family_by_formula = {parse_formula(m.formula).reduced_formula: m.family for m in self._by_name.values()}
        self._potential_by_formula = {
            parse_formula(m.formula).reduced_formula: m.potential_V for m in self._by_name.values() if m.potential_V is not None
        }
        self._alloys_by_metals: dict[str, Material | None] = {}
        for m in self._by_name.values():
            if m.family == "li_alloy" and m.potential_V is not None and (metals := _alloyed_metals(m.formula)):
                known = self._alloys_by_metals.setdefault(metals, m)
                if known is not None and known.potential_V != m.potential_V:
                    self._alloys_by_metals[metals] = None  # two potentials for one metal: none is taken

    def __len__(self) -> int:
        return len(self._by_name)

    def resolve_in(self, text: object, column: str) -> Material:
        """`resolve`, where an abbreviation the table glosses two ways takes the meaning of the slot it fills: LNO is
        the LiNbO3 coating, and as the electrode the LiNiO2 cathode of "LNO (LiNiO2)"."""
        material = self.resolve(text)
        if column != "electrode" or material.family != "coating" or not isinstance(text, str):
            return material
        glossed = (m for name, m in self._by_name.items()
                   if name.startswith(f"{text.strip()} (") and m.family in ELECTRODE_FAMILIES)
        return next(glossed, material)

    def names_electrode(self, text: str) -> bool:
        """Whether the text names an electrode material (a cathode, Li metal or a Li alloy), not a coating or an SE."""
        try:
            return self.resolve(text).family in ELECTRODE_FAMILIES
        except ValueError:
            return False

    def names_coating(self, text: str) -> bool:
        """Whether the text names a coating material of the table (LiNbO3, Li3PO4), not carbon, a metal film or an SE."""
        try:
            return self.resolve(text).family == "coating"
        except ValueError:
            return False

    def known_compositions(self) -> dict[str, Composition]:
        """Every formula of the materials table by its reduced formula, for telling a typo from a new material."""
        return {parse_formula(m.formula).reduced_formula: parse_formula(m.formula) for m in self._by_name.values()}

    def resolve(self, text: object) -> Material:
        """ValueError naming the text when it is neither a known name nor a formula pymatgen parses."""
        key = text if isinstance(text, str) else repr(text)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(text)
        return self._resolved[key]

    def _resolve(self, text: object) -> Material:
        blank = text is None or (isinstance(text, float) and math.isnan(text))
        cleaned = "" if blank else _unquoted(_without_markup(str(text).strip().translate(_DIGITS)))
        if not cleaned:
            raise ValueError("empty material name")
        known = self._named(cleaned)
        if known is not None:
            return known
        described = _without_descriptor(cleaned)
        if described and self._named(described) is not None:  # "Ag-C nanocomposite" is the table's Ag-C
            return self.resolve(described)
        active = self._without_carbon(cleaned)
        if active:
            try:
                return self.resolve(active)
            except ValueError as error:
                raise type(error)(f"{cleaned!r} without its carbon: {error}") from None
        layered = self._layers(cleaned)
        if layered is not None:
            return layered
        coded = layered_oxide_code(cleaned)
        if coded is not None:  # NMC(811) is the table's NMC811, with its potential
            return Material(cleaned, coded, "layered_oxide_cathode",
                            self._potential_by_formula.get(parse_formula(coded).reduced_formula))
        try:  # a formula is answered as written, less the parentheses it was written in ("argyrodite (Li6PS5Cl)")
            composition = parse_formula(cleaned)
            wrapped = cleaned.startswith("(") and cleaned.endswith(")") and "(" not in cleaned[1:-1]
            formula = cleaned[1:-1].strip() if wrapped else cleaned
            if len(composition.elements) == 1:  # Li0.5 is Li metal, In2 indium: pymatgen keeps 'Li0.5' as written
                composition = parse_formula(formula := composition.elements[0].symbol)
        except FormulaError:
            raise
        except ValueError:
            described = _without_descriptor(cleaned)
            if described:
                return self.resolve(described)
            decimal = _fractions_as_decimals(cleaned)
            if decimal:
                return self.resolve(decimal)
            solid_solution = _with_x_given(cleaned)
            if solid_solution:
                return self.resolve(solid_solution)
            coded = argyrodite_code(cleaned)
            if coded is not None:
                unstated = coded != argyrodite_code(cleaned, shares_stated=True)
                return Material(cleaned, coded, "sulfide_electrolyte", note=(
                    f"{cleaned}: the shares of its halides are not written; equal shares taken ({coded})"
                    if unstated else ""))
            amounts = _ratio_written(cleaned.translate(_DASHES))
            if amounts:
                return self.resolve(amounts)
            for glossed in split_gloss(cleaned):
                try:
                    return self.resolve(glossed)
                except ValueError:
                    continue
            written_twice = self._named_twice(cleaned) or self._family_then_formula(cleaned)
            if written_twice is not None:
                return written_twice
            composition = self._mixture(cleaned)
            if composition is None and cleaned.casefold() in (*DESCRIPTORS, *TREATMENT_WORDS):
                raise ValueError(f"{cleaned!r} describes a material but names none: give its formula or name") from None
            if composition is None and INTERFACE_MARK in cleaned:
                raise ValueError(f"{cleaned!r} writes a stack of materials: give one material per field (se, "
                                 "electrode, coating: an interlayer or a coating goes in coating)") from None
            if composition is None:
                raise ValueError(
                    f"{cleaned!r} is neither a name in the materials table nor a formula pymatgen parses"
                    f"{self._did_you_mean(cleaned)}") from None
            formula = plain_formula(composition)
        else:  # pymatgen reads a character typed for a look-alike letter as another formula
            meant = self._mistyped(cleaned) or look_alike_reading(cleaned)
            if meant:  # LiNb03 as the alloy LiNb3, Li6PS5C1 and Li3InCI6 as carbon compounds
                raise ValueError(f"{cleaned!r} has a character where a look-alike letter seems meant (0 for O, 1 or I "
                                 f"for l): is {meant} meant?")
        family = self._family_by_formula.get(composition.reduced_formula) or infer_family(formula)
        potential = self._potential_by_formula.get(composition.reduced_formula)
        alloy = self._alloys_by_metals.get(_alloyed_metals(formula)) if potential is None else None
        if alloy is not None and family == "li_alloy":  # Li0.5In, Li22Sn5: the table's alloy of the same metal
            return Material(cleaned, formula, family, alloy.potential_V, (
                f"{formula}: not in the materials table; potential {alloy.potential_V:g} V vs Li/Li+, that of "
                f"{alloy.name} ({alloy.formula}), the table's electrode of the same alloying metal; --voltage "
                "overrides it"))
        return Material(cleaned, formula, family, potential)

    def _mistyped(self, text: str) -> str | None:
        """The table's name that `text` spells with a look-alike for a letter (LiCo02, Al203, Li6PS5C1, LiCI), which
        pymatgen would read as another formula (a Li–Co alloy, Al, Li6PS5C, LiCI with carbon), or None."""
        for typed, letters in LOOK_ALIKE_LETTERS.items():
            places = [i for i, character in enumerate(text) if character == typed]
            for letter in letters:
                for spelled in (text.replace(typed, letter), *(text[:i] + letter + text[i + 1:] for i in places)):
                    named = self._named(spelled)
                    if named is not None:
                        return named.name
        return None

    def _did_you_mean(self, text: str) -> str:
        """The table's names a typo most likely meant (LGSP: LGPS; Li6PS5Cll: Li6PS5Cl), as the end of an error."""
        typed = _compact(text)
        close = {key: difflib.SequenceMatcher(None, typed, key).ratio()
                 for key in difflib.get_close_matches(typed, self._by_compact_name, n=3, cutoff=NAME_SIMILARITY)}
        best = max(close.values(), default=0.0)
        names = list(dict.fromkeys(self._by_compact_name[key].name for key, ratio in close.items()
                                   if ratio >= best - NAME_TIE))
        return f"; did you mean {' or '.join(names)}?" if names else ""

    def _named(self, text: str) -> Material | None:
        """The table's material of that name, in any case and dash, or without its spaces, hyphens and slashes (a
        text that is itself another formula excepted: SiC is not the Si-C composite)."""
        known = self._by_name.get(text) or self._by_folded_name.get(_fold(text))
        if known is not None:
            return known
        loosely = self._by_compact_name.get(_compact(text))
        if loosely is not None and not _another_formula(text, loosely.formula):
            return loosely
        symbols = _element_names(text)  # indium, copper, lithium-indium, lithium indium
        if not symbols or symbols == text:
            return None
        try:
            return self.resolve(symbols)
        except ValueError:
            return None

    def _without_carbon(self, text: str) -> str:
        """A composite written as its active material and the carbon it is mixed with or coated by (LiFePO4/C,
        C-LiFePO4, S@C, Li2S+KB, Li2S-P2S5-C, NCM811:LPSCl:C): its other parts, as a mixture; "" when no part is
        carbon or every part is. The carbon is an additive, not the electrode: pymatgen would read S@C as CS, and
        the parts summed give LiFePCO4. Beside carbon, a sulfide SE named as a part is the composite's catholyte
        (S-KB-LPSCl, Li2S/LPSCl/C) and is left out too, unless nothing else is left (Li2S-P2S5-C is an SE with
        carbon); without carbon, only beside one electrode material of the table (NCM811-LPSCl, graphite/LPSCl)."""
        parts = [part.strip() for part in text.translate(_DASHES).translate(_COMPOSITE_JOINS).split("-")]
        if len(parts) < 2 or not all(parts):
            return ""
        carbon = [self._is_carbon(part) for part in parts]
        if all(carbon):
            return ""
        rest = [part for part, is_carbon in zip(parts, carbon) if not is_carbon]
        active = [part for part in rest if not self._is_sulfide_electrolyte(part)]
        if not any(carbon):
            return active[0] if len(active) == 1 < len(parts) and self.names_electrode(active[0]) else ""
        anode_carbons = [part for part, is_carbon in zip(parts, carbon) if is_carbon and self._has_potential(part)]
        if not active and len(anode_carbons) == 1:  # graphite/LPSCl: the carbon is the anode, the SE its anolyte
            return anode_carbons[0]
        return "-".join(active or rest)

    def _has_potential(self, part: str) -> bool:
        """Whether the table gives the part a nominal potential: an electrode (graphite, hard carbon), not an additive
        (carbon black, KB, C)."""
        return self.resolve(part).potential_V is not None

    def _mixture(self, text: str) -> Composition | None:
        """A mixture of formulas or the table's names joined by hyphens (70Li2S-30P2S5, LiI-LPS), pluses or colons
        (Li3PS4+LiI, Li3PS4:LiI): its parts summed (`parse_mixture`), or None. A slash or an @ is read before, as a
        composite or a coated particle; a name of an electrode material among the parts (LPSCl+Li, LCO+NMC111) says
        two materials that meet or a blend, not one mixed phase."""
        joined = text.translate(_DASHES).translate(_MIXTURE_JOINS)
        composition = parse_mixture(joined)
        if composition is not None or "-" not in joined:
            return composition
        parts = [part.strip() for part in joined.split("-")]
        named = [self._named(part) for part in parts]
        if not any(named) or any(m and m.family in ELECTRODE_FAMILIES for m in named):
            return None
        return parse_mixture("-".join(m.formula if m else part for m, part in zip(named, parts)))

    def _layers(self, text: str) -> Material | None:
        """A coating written as its layers (Al2O3/LiNbO3, LiNbO3@Li3PO4): one coating of their summed composition, a
        formula unit of each, with a note, since an interface here has one coating between SE and electrode. None
        unless every layer is a material of the table that is neither an electrode, an SE nor carbon (a composite's
        additive: `_without_carbon`)."""
        layers = [layer.strip() for layer in text.replace("@", "/").split("/")]
        if len(layers) < 2 or not all(layers):
            return None
        try:
            materials = [self.resolve(layer) for layer in layers]
        except ValueError:
            return None
        if any(m.family in ELECTRODE_FAMILIES or m.family == "sulfide_electrolyte" or self._is_carbon(m.formula)
               for m in materials):
            return None
        composition = parse_mixture("-".join(m.formula for m in materials))
        if composition is None:
            return None
        formula = plain_formula(composition)
        return Material(text, formula, "coating", note=(
            f"{text}: its layers ({', '.join(m.formula for m in materials)}) are answered as one coating of their summed "
            f"composition, {formula}; which layer meets the SE is not modelled"))

    def _named_twice(self, text: str) -> Material | None:
        """A material named twice, by its formula and its abbreviation, either first ("Li6PS5Cl, LPSCl"): the first
        name, when both name the same composition; None for anything else."""
        head, comma, tail = text.partition(",")
        if not comma or "," in tail:
            return None
        try:
            first, second = self.resolve(head.strip()), self.resolve(tail.strip())
        except ValueError:
            return None
        same = parse_formula(first.formula).reduced_formula == parse_formula(second.formula).reduced_formula
        return first if same else None

    def _family_then_formula(self, text: str) -> Material | None:
        """A formula after a name of the table for its kind ("thio-LISICON Li3.25Ge0.25P0.75S4"): the formula, when
        both are of one family; None for anything else."""
        head, space, tail = text.partition(" ")
        kind = self._named(head) if space else None
        if kind is None or not is_formula(tail.strip()):
            return None
        formula = self.resolve(tail.strip())
        return formula if formula.family == kind.family else None

    def _is_sulfide_electrolyte(self, part: str) -> bool:
        try:
            return self.resolve(part).family == "sulfide_electrolyte"
        except ValueError:
            return False

    def _is_carbon(self, part: str) -> bool:
        try:
            return parse_formula(self.resolve(part).formula).reduced_formula == "C"
        except ValueError:
            return False


# how papers join an active material and the carbon in its composite: LiFePO4/C, C-LiFePO4, S@C, Li2S+KB, NCM:SE:C
_COMPOSITE_JOINS = str.maketrans({"/": "-", "@": "-", "+": "-", ":": "-"})
_MIXTURE_JOINS = str.maketrans({"+": "-", ":": "-"})


# elements by their English names, as a table or a sentence writes them (indium, copper; both spellings of some)
ELEMENT_NAMES = {**{element.long_name.casefold(): element.symbol for element in Element},
                 "sulphur": "S", "aluminium": "Al", "caesium": "Cs"}


def _element_names(text: str) -> str:
    """The symbols of a text made only of element names, joined by a hyphen ("lithium-indium", "lithium indium" →
    "Li-In"; "indium" → "In"); "" for any other text."""
    names = text.casefold().translate(_DASHES).replace("-", " ").split()
    if not names or not all(name in ELEMENT_NAMES for name in names):
        return ""
    return "-".join(ELEMENT_NAMES[name] for name in names)


def _alloyed_metals(formula: str) -> str:
    """The metals besides Li of a formula whose elements are all metals or metalloids, sorted and joined ("In" for
    Li0.5In and LiIn); "" for any other formula."""
    symbols = {str(el) for el in parse_formula(formula).elements}
    if not all(Element(s).is_metal or Element(s).is_metalloid for s in symbols):
        return ""
    return "-".join(sorted(symbols - {"Li"}))


def _unambiguous(materials: Iterable[Material], key) -> dict[str, Material | None]:
    """Materials by a looser key of their name; None where two names of different formulas share the key."""
    found: dict[str, Material | None] = {}
    for material in materials:
        folded = key(material.name)
        if folded not in found:
            found[folded] = material
        elif (previous := found[folded]) is None or previous.formula != material.formula:
            found[folded] = None
    return found


def _compact(name: str) -> str:
    """A name with its spaces, hyphens, slashes and bars dropped as well (NMC 811, NCM-811, Li/In, Li|In)."""
    return "".join(_fold(name).replace("-", " ").replace("/", " ").replace("|", " ").split())


def _another_formula(text: str, formula: str) -> bool:
    """Whether the text is itself a formula of another composition: SiC is silicon carbide, not the Si-C composite
    whose name it shares once the hyphen is dropped."""
    try:
        return parse_formula(text).reduced_formula != parse_formula(formula).reduced_formula
    except ValueError:
        return False


# the metal order of each code: NMC811 is Ni:Mn:Co = 8:1:1, NCM523 is Ni:Co:Mn = 5:2:3, NCA88 is Ni:Co:Al; Ni90
# is the Ni-rich NCM named by its Ni share alone, as papers on Ni-rich cathodes write it
_LAYERED_OXIDE_CODES = {"nmc": ("Ni", "Mn", "Co"), "ncm": ("Ni", "Co", "Mn"), "nca": ("Ni", "Co", "Al"),
                        "ni": ("Ni", "Co", "Mn")}
# how the metals besides Ni share the rest when only the Ni share is written: Co and Mn alike (NMC90, Ni90); Co and
# Al 3:1, as in the standard NCA80 (LiNi0.8Co0.15Al0.05O2) and NCA88 (LiNi0.88Co0.09Al0.03O2)
_REST_SHARES = {"nmc": (0.5, 0.5), "ncm": (0.5, 0.5), "nca": (0.75, 0.25), "ni": (0.5, 0.5)}
# the codes that write only the Ni share (NCA88, Ni90), with the least share each names: Ni60 to Ni99 are Ni-rich
# cathodes, a lower "Ni" count no code
_SHARE_ONLY_CODES = {"nca": 0.0, "ni": 0.6}


def layered_oxide_code(text: str) -> str | None:
    """The formula of a Ni-rich layered oxide written by a code the table does not list as a name: three digits
    in tenths (NCM712, NCM9½½ with halves), three shares in percent that add up to 100 (NCM955 and NCM90-5-5:
    90:5:5, NCM851005: 85:10:5), three numbers written apart as a ratio (NCM 9-0.5-0.5, NMC 8:1:1, NMC 1:1:1,
    NCM 0.8/0.1/0.1, NCA 80:15:5), or the Ni share alone in percent with the others sharing the rest (NMC90, NCA88,
    Ni90); None for any other text, and for percent digits that split into 100 more than one way (an NCA and a bare
    Ni take only the Ni-share form). Checked before the text is read as a formula: pymatgen reads Ni90 as 90 Ni
    atoms."""
    compact = _compact(text)
    code = next((c for c in _LAYERED_OXIDE_CODES if compact.startswith(c)), "")
    digits = compact[len(code):]
    if digits.startswith("(") and digits.endswith(")"):  # NMC(811), as some tables write it
        digits = digits[1:-1]
    order = _LAYERED_OXIDE_CODES.get(code)
    lengths = (2,) if code in _SHARE_ONLY_CODES else (2, 3, 4, 5, 6)
    written = _shares_written_apart(text, code) if order is not None and code != "ni" else None
    if written is not None:  # NCM9-0.5-0.5, NMC 8:1:1, NCM 0.8/0.1/0.1, NCA 80:15:5
        shares = written
    elif order is not None and code not in _SHARE_ONLY_CODES and len(digits) == 3 and "\u00bd" in digits:
        tenths = [0.5 if char == "\u00bd" else int(char) if char.isdigit() else None for char in digits]  # NCM9½½
        if None in tenths or sum(tenths) != 10:
            return None
        shares = [tenth / 10 for tenth in tenths]
    elif order is None or not digits.isdigit() or len(digits) not in lengths:
        return None
    elif len(digits) == 2:
        ni = int(digits) / 100
        if ni < _SHARE_ONLY_CODES.get(code, 0.0):
            return None
        shares = [ni, *(round((1 - ni) * part, 4) for part in _REST_SHARES[code])]
    elif len(digits) == 3 and sum(int(d) for d in digits) == 10:
        shares = [int(d) / 10 for d in digits]
    elif len(digits) == 3 and 10 * int(digits[0]) + int(digits[1]) + int(digits[2]) == 100:
        shares = [int(digits[0]) / 10, int(digits[1]) / 100, int(digits[2]) / 100]
    else:
        splits = _percent_splits(digits)
        if len(splits) != 1:
            return None
        shares = splits[0]
    if not 0 < shares[0] < 1:
        return None
    return "Li" + "".join(f"{metal}{share:g}" for metal, share in zip(order, shares) if share > 0) + "O2"


# what separates the three shares of a layered oxide written apart (NCM 9-0.5-0.5, NMC 8:1:1, NCM 0.8/0.1/0.1)
_SHARE_SEPARATORS = str.maketrans({"/": " ", "-": " ", ":": " ", ",": " ", "(": " ", ")": " "})


def _shares_written_apart(text: str, code: str) -> list[float] | None:
    """The Ni and other shares of a layered oxide written as three numbers apart after its code, a ratio whatever its
    sum (8:1:1, 1:1:1, 90/5/5, 0.8/0.1/0.1, 9-0.5-0.5); None unless there are three, all numbers above zero."""
    rest = text.strip()[len(code):] if text.strip().casefold().startswith(code) else ""
    parts = rest.translate(_SHARE_SEPARATORS).split()
    if len(parts) != 3 or not all(_is_amount(part) for part in parts):
        return None
    values = [float(part) for part in parts]
    return [round(value / sum(values), 4) for value in values]


def _percent_splits(digits: str) -> list[list[float]]:
    """Every reading of the digits as a two-digit Ni percentage then two of one or two digits adding up to 100."""
    splits = []
    for cut in (3, 4):
        parts = [digits[:2], digits[2:cut], digits[cut:]]
        if all(1 <= len(part) <= 2 for part in parts) and sum(int(part) for part in parts) == 100:
            splits.append([int(part) / 100 for part in parts])
    return splits


ARGYRODITE_HALIDES = frozenset({"Cl", "Br", "I"})
# Li(7-x)PS(6-x)X(x) is made up to x of about 1.8 (Li5.5PS4.5Cl1.5, Li5.4PS4.4Cl1.6): beyond 2 it is no argyrodite
MAX_ARGYRODITE_HALIDE = 2.0


def argyrodite_code(text: str, shares_stated: bool = False) -> str | None:
    """The formula of an argyrodite Li(7-x)PS(6-x)X(x) written as LPS and its halide amounts, the table lacking it:
    LPSCl1.5 is Li5.5PS4.5Cl1.5, LPSCl0.5Br0.5 is Li6PS5Cl0.5Br0.5. Halides written without amounts share x = 1
    equally (LPSClBr is Li6PS5Cl0.5Br0.5, as papers mostly mean it), unless `shares_stated` is asked for. None for
    any other text."""
    text = text.strip()
    halides_text = text[3:]
    if not text.startswith("LPS") or not halides_text:
        return None
    try:
        halides = parse_formula(halides_text)
    except ValueError:
        return None
    symbols = {element.symbol for element in halides.elements}
    if not symbols <= ARGYRODITE_HALIDES:
        return None
    if len(symbols) > 1 and not any(c.isdigit() for c in halides_text):
        if shares_stated:
            return None
        halides = halides / halides.num_atoms
    x = halides.num_atoms
    if not 0 < x <= MAX_ARGYRODITE_HALIDE:
        return None
    amounts = [("Li", 7 - x), ("P", 1), ("S", 6 - x), *((element.symbol, n) for element, n in halides.items())]
    return "".join(f"{symbol}{'' if n == 1 else f'{n:g}'}" for symbol, n in amounts)


def _ratio_written(text: str) -> str:
    """A pseudo-binary with its ratio written apart, as "70Li2S-30P2S5": "Li2S:P2S5 = 70:30", "Li2S-P2S5 (70:30)",
    "Li2S-P2S5 70:30"; "" when the text is not so written (the ratio is what tells 70:30 from the 75:25 glass)."""
    for separator in (" = ", "=", " (", " "):
        members, found, ratio = text.rpartition(separator)
        if found and members.strip():
            break
    else:
        return ""
    ratio = ratio.strip().removesuffix(")").strip() if separator == " (" else ratio.strip()
    amounts = ratio.split(":")
    names = members.replace(":", "-").split("-")
    if len(amounts) < 2 or len(amounts) != len(names) or not all(_is_amount(a) for a in amounts):
        return ""
    return "-".join(f"{amount.strip()}{name.strip()}" for amount, name in zip(amounts, names))


def _fractions_as_decimals(text: str) -> str:
    """The text with each amount written as a fraction (LiNi1/3Mn1/3Co1/3O2) as a decimal, which pymatgen reads; ""
    when it holds none. A slash between a number and a letter is a composite's (LiFePO4/C), not a fraction."""
    def number_end(position: int, step: int) -> int:
        while 0 <= position + step < len(text) and (text[position + step].isdigit() or text[position + step] == "."):
            position += step
        return position

    pieces, start = [], 0
    for slash in (i for i, character in enumerate(text) if character == "/"):
        left, right = number_end(slash, -1), number_end(slash, 1) + 1
        numerator, denominator = text[left:slash], text[slash + 1:right]
        if left < start or not (_is_amount(numerator) and _is_amount(denominator)):
            continue
        pieces += [text[start:left], f"{float(numerator) / float(denominator):.6g}"]
        start = right
    return "".join([*pieces, text[start:]]) if pieces else ""


# the characters of an amount that depends on x, as a solid-solution formula writes it (Li6-xPS5-xCl1+x, Li1+xAlxTi2-x)
_X_AMOUNT = frozenset("0123456789.+-x")


def _with_x_given(text: str) -> str:
    """A solid-solution formula with x given beside it ("Li6-xPS5-xCl1+x (x = 0.5)", "Li7-xPS6-xClx, x=1.5",
    "Li1+xAlxTi2-x(PO4)3 with x = 0.3") with each amount evaluated (Li5.5PS4.5Cl1.5), for pymatgen to read; "" when
    the text is none. ValueError when its amounts depend on x and x is not given, or gives an amount below zero."""
    formula, value = _x_value(text)
    parts, position = [], 0  # the text between amounts, and each amount that depends on x
    while position < len(formula):
        amount, end = _x_amount_at(formula, position)
        parts.append(formula[position] if amount is None else (amount,))
        position = position + 1 if amount is None else end
    amounts = [part[0] for part in parts if isinstance(part, tuple)]

    def at(x: float) -> str:
        return "".join(part if isinstance(part, str) else f"{_linear_in_x(part[0], x):.6g}" for part in parts)

    if not amounts or not is_formula(at(0.5)):  # "zinc oxide" has an x after a letter, and is no formula
        return ""
    if value is None:
        raise ValueError(f"{formula!r} gives its amounts as a function of x: give x as well (\"{formula} (x = 0.5)\")")
    below = next((a for a in amounts if _linear_in_x(a, value) < 0), None)
    if below is not None:
        raise ValueError(f"{formula!r} at x = {value:g} gives {below} = {_linear_in_x(below, value):g}, below zero")
    return at(value)


def _x_amount_at(text: str, start: int) -> tuple[str | None, int]:
    """The amount depending on x that starts at `start`, just after an element symbol or a closing parenthesis (6-x
    in Li6-xPS…, x in Clx, (1+x) in Cl(1+x)), and where it ends; None where none starts."""
    if start == 0 or not (text[start - 1].isalpha() or text[start - 1] == ")"):
        return None, start
    opened = text[start] == "("
    end = start + opened
    while end < len(text) and text[end] in _X_AMOUNT and (text[end] not in "+-" or _continues_amount(text, end)):
        end += 1
    amount = text[start + opened:end]
    if opened:
        if end >= len(text) or text[end] != ")":
            return None, start
        end += 1
    if "x" not in amount or amount[0] in "+-":
        return None, start
    return amount, end


def _continues_amount(text: str, at: int) -> bool:
    """Whether the + or - at `at` joins terms of one amount (6-x, 1+x) rather than the members of a mixture
    (Li2S-P2S5): a digit, a point or an x follows it."""
    return at + 1 < len(text) and (text[at + 1].isdigit() or text[at + 1] in ".x")


def _x_value(text: str) -> tuple[str, float | None]:
    """The formula and the value of x written after it ("… (x = 0.5)", "…, x=1.5", "… with x = 0.3"), or the text
    and None."""
    for opening in (" (x", "(x", ", x", "; x", " with x", " x"):
        formula, found, rest = text.partition(opening)
        sign, equals, number = rest.partition("=")
        if found and equals and not sign.strip():
            number = number.strip().removesuffix(")").strip()
            if _is_amount(number) or number.strip() == "0":
                return formula.strip().rstrip(",;").strip(), float(number)
    return text, None


def _linear_in_x(amount: str, x: float) -> float:
    """An amount linear in x as written (6-x, 1+x, x, 2x, 1-0.5x) at that x."""
    total, term, sign = 0.0, "", 1.0
    for character in amount + "+":
        if character in "+-" and term:
            coefficient, variable, rest = term.partition("x")
            if rest or (coefficient and not _is_amount(coefficient) and coefficient != "0"):
                raise ValueError(f"{amount!r} is not an amount linear in x")
            total += sign * (float(coefficient or 1) * x if variable else float(coefficient))
            term, sign = "", 1.0 if character == "+" else -1.0
        elif character in "+-":
            sign = 1.0 if character == "+" else -1.0
        else:
            term += character
    return total


def _is_amount(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False


def _is_quantity(words: list[str]) -> bool:
    """Whether the words are an amount and its unit ("5 nm", "~5nm", "1 wt%"): QUANTITY_UNITS."""
    joined = "".join(words).lstrip("~≈").casefold()
    unit = next((u for u in sorted(QUANTITY_UNITS, key=len, reverse=True) if joined.endswith(u)), None)
    return unit is not None and _is_amount(joined.removesuffix(unit))


def split_gloss(text: str) -> tuple[str, ...]:
    """A material followed by its gloss in parentheses ("LiCoO2 (LCO)"): the material, then the gloss; () when the
    text is not so written."""
    head, opening, rest = text.partition(" (")
    if not opening or not rest.endswith(")") or not head.strip():
        return ()
    return head.strip(), rest[:-1].strip()


# words people add to a material's name that say its part, not its chemistry ("Li3InCl6 coating", "In foil")
DESCRIPTORS = frozenset({
    "a", "ald", "alloy", "alpha", "amorphous", "annealed", "anode", "anode-free", "argyrodite", "artificial",
    "as-prepared", "as-synthesized", "b", "ball-milled", "bare", "based", "beta", "c", "cathode", "charged", "coated",
    "cloth", "coating", "cold-pressed", "collector", "commercial", "composite", "core", "crystal", "crystalline",
    "current", "delithiated", "electrode", "electrolyte", "elemental", "film", "foam", "foil", "gamma", "glass",
    "glass-ceramic", "glassy", "halide", "heat-treated", "high-voltage", "hv", "interlayer", "layer", "layered",
    "lithiated", "mesh", "metal", "metallic", "micro", "micron-sized", "milled", "nano", "nano-sized", "nanocomposite",
    "nanoparticle", "nanoparticles", "nanosized", "nanowire", "nanowires", "natural", "olivine", "oxide", "paper",
    "particle", "particles", "pc", "pld", "poly", "polycrystalline", "porous", "powder", "pristine", "sc", "se",
    "shell", "single", "single-crystal", "sintered", "sol-gel", "solid", "solid-state", "spinel", "sputtered",
    "sputtering", "sulfide", "synthetic", "thin", "thin-film", "type", "uncoated", "wet-chemical", "α", "β", "γ",
})


# suppliers written after a comma ("Li6PS5Cl, Ampcera", "NCM811, Targray"), with the words of a company's name: the
# material as supplied (in parentheses any gloss is dropped already)
SUPPLIERS = frozenset({
    "aesar", "aldrich", "alfa", "ampcera", "basf", "corp", "corporation", "ecopro", "gmbh", "idemitsu", "inc",
    "ltd", "mse", "mti", "mitsui", "nanomyte", "nei", "posco", "sigma", "sigma-aldrich", "supplies", "targray",
    "toshima", "umicore",
})


# words that say a material was treated, left when the treatment is split off a name ("surface-modified NMC811")
TREATMENT_WORDS = frozenset({"surface", "doped", "modified", "treated", "engineered", "protected"})


# descriptors that also name the anion of a compound after an element's name (lithium sulfide, lithium oxide)
COMPOUND_WORDS = frozenset({"sulfide", "oxide", "halide"})


# a coating's or foil's thickness, or a coating's share of the cathode, written beside its name (5 nm, ~2 nm, 1 wt%)
QUANTITY_UNITS = frozenset({"nm", "µm", "μm", "um", "wt%", "wt.%", "mol%", "at%", "at.%", "vol%", "%"})


_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def _unquoted(text: str) -> str:
    """The text without the quotes it was pasted in ("Li6PS5Cl", “LiNbO3”)."""
    if len(text) > 2 and _QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


def _compound(text: str) -> bool:
    """Whether the text is a formula of two or more elements (LiF, Li2S), not an element (Ni, Li)."""
    return is_formula(text) and len(parse_formula(text).elements) > 1


def _without_descriptor(text: str) -> str:
    """The name with a leading or trailing descriptor word dropped, or a descriptor joined to it by a hyphen
    (SC-NCM811, LGPS-type), a structure type before it (LGPS-type Li10SnP2S12), or a thickness or share (2 nm
    LiNbO3, LiNbO3 (~5 nm), 1 wt% Li3BO3, LiNbO3, 5 nm); "" when it has none, or is one (anode-free names a cell, not
    a material called "free")."""
    if text.strip().casefold() in DESCRIPTORS:
        return ""
    head, comma, tail = text.rpartition(",")
    described = tail.split()
    if comma and head.strip() and (_is_quantity(described) or (described and all(
            w.casefold() in DESCRIPTORS or w.casefold().rstrip(".") in SUPPLIERS for w in described))):
        return head.strip()  # "LiNbO3, 5 nm", "NCM811, uncoated", "Li6PS5Cl, NEI Corp."
    words = text.split()
    if len(words) > 2 and words[-2].casefold() in ("by", "via") and words[-1].casefold() in DESCRIPTORS:
        return " ".join(words[:-2])  # "LiNbO3 by ALD", "LiNbO3 via sol-gel"
    for size in (2, 1):  # "5 nm" or "5nm"
        if len(words) > size and _is_quantity(words[:size]):
            return " ".join(words[size:])
        if len(words) > size and _is_quantity(words[-size:]):
            return " ".join(words[:-size])
    if len(words) > 1 and words[-1].casefold() in DESCRIPTORS:
        if words[-1].casefold() in COMPOUND_WORDS and _element_names(" ".join(words[:-1])):
            return ""  # "lithium sulfide" is Li2S, not a described lithium
        return " ".join(words[:-1])
    if len(words) > 1 and (words[0].casefold() in DESCRIPTORS or _names_dopants(words[0])):
        return " ".join(words[1:])
    head, hyphen, tail = words[-1].rpartition("-") if words else ("", "", "")
    if hyphen and head and tail.casefold() in DESCRIPTORS:
        return " ".join([*words[:-1], head])
    if hyphen and tail.casefold() == "rich" and len(words) == 1 and _compound(head):
        return head  # a LiF-rich interlayer is mostly LiF; Ni-rich and Li-rich name cathodes, not Ni or Li metal
    head, hyphen, tail = words[0].partition("-") if words else ("", "", "")
    if hyphen and tail and head.casefold() in DESCRIPTORS:
        return " ".join([tail, *words[1:]])
    if len(words) > 1 and words[0].casefold().endswith("-type"):  # its structure type: LGPS-type Li10SnP2S12
        return " ".join(words[1:])
    return ""


# how a dopant is written before its host ("Al-doped NMC811", "Al,Mg-doped LiCoO2"): the host is what is answered, a
# dopant's few per cent left out as the materials table leaves them out
_DOPANT_SEPARATORS = str.maketrans({",": " ", "/": " ", "&": " "})


def _names_dopants(word: str) -> bool:
    """Whether a word says which elements dope the material after it: Al-doped, Al,Mg-doped, W/Zr-doped."""
    elements, hyphen, doped = word.rpartition("-")
    symbols = elements.translate(_DOPANT_SEPARATORS).split()
    return bool(hyphen) and doped.casefold() == "doped" and bool(symbols) and all(map(Element.is_valid_symbol, symbols))


def _fold(name: str) -> str:
    """A name as people type it: any case, and an en dash, em dash, minus sign, middle dot or bullet for the hyphen
    (Li–In, 75Li2S·25P2S5, 75Li2S•25P2S5)."""
    return name.casefold().translate(_DASHES)


# subscript digits as pasted from a paper (Li₆PS₅Cl)
_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00b7": "-", "\u2022": "-", "\u2219": "-",
                         "\u22c5": "-"})
# subscripts as LaTeX or Markdown write them (Li$_6$PS$_5$Cl, Li_{6}PS_{5}Cl, \text{Li}_6): the formula without them
_LATEX_COMMANDS = ("\\text", "\\mathrm", "\\rm")
_MARKUP = str.maketrans("", "", "$_{}")


def _without_markup(text: str) -> str:
    if not any(char in text for char in "$_{}\\"):
        return text
    for command in _LATEX_COMMANDS:
        text = text.replace(command, "")
    return text.translate(_MARKUP).strip()


def _potential(cell: object) -> float | None:
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def default_materials_path() -> Path:
    return Path(__file__).resolve().parents[2] / "data" / "materials.csv"


@lru_cache(maxsize=4)
def materials_table(path: Path | None = None) -> MaterialsTable:
    """The project's materials table, for commands that resolve names without a trained model."""
    frame = pd.read_csv(path or default_materials_path(), dtype=str, keep_default_na=False, encoding="utf-8")
    return MaterialsTable(frame)


def electrode_potential(material: Material, voltage: float | None, by_family: bool = True) -> float | None:
    """The potential (V vs Li/Li+) an electrode holds the interface at (SPEC §1): the given voltage, else Li metal's
    0 V, else the materials table's nominal potential, else (`by_family`) its structural family's; None when none
    applies (a chemical contact). Records pass `by_family=False`: they hold what their source states."""
    if voltage is not None and not math.isnan(voltage):
        return float(voltage)
    if parse_formula(material.formula).reduced_formula == "Li":
        return 0.0
    if material.potential_V is not None or not by_family:
        return material.potential_V
    return family_potential(material.formula)[0]


# electrodes that fix their own potential at rest: Li metal is the reference, and a Li alloy holds its plateau
RESTING_FAMILIES = frozenset({"li_metal", "li_alloy"})


def resting_potential(electrode: Material) -> float | None:
    """The potential an electrode holds at open circuit, pristine: its own for Li metal and a Li alloy, none for any
    other (it meets the SE chemically)."""
    return electrode_potential(electrode, None) if electrode.family in RESTING_FAMILIES else None


def potential_warning(material: Material, voltage: float | None) -> str:
    """The warning that names a potential taken from the electrode's structural family ("" when it came from
    `--voltage` or the materials table)."""
    given = voltage is not None and not math.isnan(voltage)
    if given or parse_formula(material.formula).reduced_formula == "Li":
        return ""
    if material.potential_V is not None:
        return material.potential_note
    return family_potential(material.formula)[1]


def role_error(material: Material, column: str) -> str:
    """Why a material cannot play the part it was given ("" when it can): Li metal as a coating, an oxide
    cathode as the SE, an SE as the electrode, a gas (O2, Cl2) as the electrode or the coating."""
    kind = "an anode (Li metal, a Li alloy or a Li host)" if material.family in ANODE_FAMILIES else "a cathode material"
    if column in ("electrode", "coating") and _gas_at_room_temperature(material):
        part = "an electrode (a Li–O2 cell's is its carbon)" if column == "electrode" else "a coating or interlayer"
        return f"{column}: {material.name!r} ({material.formula}) is a gas at room temperature, not {part}"
    if column == "se" and material.family in ELECTRODE_FAMILIES:
        return f"se: {material.name!r} ({material.formula}) is {kind}, not a solid electrolyte"
    if column == "electrode" and material.family == "sulfide_electrolyte":
        return f"electrode: {material.name!r} ({material.formula}) is a sulfide solid electrolyte, not an electrode"
    if column == "coating" and material.family in NOT_A_COATING and not _lithium_free_host(material):
        return f"coating: {material.name!r} ({material.formula}) is {kind}, not a coating or interlayer"
    return ""


def _gas_at_room_temperature(material: Material) -> bool:
    """An element that is a gas at room temperature (H2, N2, O2, F2, Cl2, the noble gases): its contact with an SE
    would be read as a solid's, and the kinetic scale of a solid contact called Cl2 gas on Li6PS5Cl stable."""
    elements = formula_elements(material.formula)
    return len(elements) == 1 and is_gas_at_room_temperature(next(iter(elements)))


def _lithium_free_host(material: Material) -> bool:
    """A cathode material without Li (MoS2, V2O5, MoO3, FeS2) is also laid down as a film between the electrode and the
    SE (an MoS2 interlayer on Li); a lithiated one (LiCoO2, NMC811) in the coating column is a swapped column."""
    return material.family in CATHODE_FAMILIES and "Li" not in formula_elements(material.formula)


def look_alike_reading(text: str) -> str:
    """The text as meant where pymatgen would misread a look-alike: a count that starts with a zero read as the letter
    O and the count after it (`LiNb03` → LiNbO3, `LiMn0.5Fe0.5P04` → LiMn0.5Fe0.5PO4; 0.5 is the only amount a
    formula starts with a zero), and CI as Cl (`Li5.5PS4.5CI1.5`: carbon and iodine to pymatgen, the capital I of a
    sans-serif l to the eye); '' when there is none."""
    meant = _LEADING_ZERO.sub(lambda m: "O" + m.group()[1:], text).replace("CI", "Cl")
    return meant if meant != text else ""


def contact_size_error(*materials: Material | None) -> str:
    """Why an interface is too large to compute ("" when it is not): the phase diagram of a contact grows about 3× in
    time per element (measured: 9 elements 2.6 s, 10 7 s, 11 18 s, 12 over a minute, in one uninterruptible call)."""
    present = [m for m in materials if m is not None]
    pairs = [(present[0], present[1])] + ([(present[0], present[2]), (present[2], present[1])] if len(present) > 2 else [])
    for a, b in pairs:
        elements = _contact_elements(a.formula, b.formula)
        if elements > MAX_CONTACT_ELEMENTS:
            return (f"the contact {a.name} | {b.name} spans {elements} elements; at most {MAX_CONTACT_ELEMENTS} "
                    "can be computed")
    return ""


@lru_cache(maxsize=65536)
def _contact_elements(a: str, b: str) -> int:
    """Asked for every pair of every row: a screen repeats each pair of formulas across its rows."""
    return len(formula_elements(a) | formula_elements(b))


def voltage_conflict(material: Material, voltage: float | None) -> str:
    """Why a voltage contradicts the electrode ("" when it does not): Li metal is the reference, always at 0 V."""
    if voltage is None or math.isnan(voltage) or voltage == 0:
        return ""
    if parse_formula(material.formula).reduced_formula != "Li":
        return ""
    return (f"voltage_V: {voltage:.15g} V contradicts electrode {material.name!r}: Li metal is at 0 V vs Li/Li+ "
            "by definition; leave the voltage out (or give 0)")


def interface_role(material: Material, potential_V: float | None) -> str:
    """Anode or cathode by the potential the electrode holds (Li4Ti5O12 at 1.55 V lithiates the SE like an anode);
    by its family and elements when no potential is known."""
    if potential_V is not None and not math.isnan(potential_V):
        return "anode" if potential_V < ANODE_MAX_POTENTIAL_V else "cathode"
    return electrode_role(material)


class KnownFormulas:
    """The formulas a typed one is compared with, indexed by element set once. Hashed by identity, so that the typo
    check's cache key costs nothing whatever the number of formulas. Takes (reduced formula, composition) pairs, a
    later one replacing an earlier one of the same formula: the tables name their rows already (a cold `predict`
    would otherwise reduce some 700 formulas again)."""

    def __init__(self, named: Iterable[tuple[str, Composition]], with_pymatgen: bool = True):
        self.named = dict(named)
        self.with_pymatgen = with_pymatgen
        self.formulas = frozenset(self.named)
        self.by_elements: dict[frozenset[str], list[tuple[str, Composition]]] = {}
        for formula, composition in self.named.items():
            symbols = frozenset(str(el) for el in composition.elements)
            self.by_elements.setdefault(symbols, []).append((formula, composition))

    @cached_property
    def with_wheel(self) -> "KnownFormulas":
        """These and the compounds whose energies ship in pymatgen's wheel (`wheel_compounds`), built on first use:
        only a formula neither project table holds needs them (without them when `with_pymatgen` is off)."""
        return KnownFormulas([*wheel_compounds(), *self.named.items()]) if self.with_pymatgen else self

    def nearest(self, composition: Composition) -> tuple[float, str] | None:
        """(L1 distance of atomic fractions, formula) of the closest known material with the same elements."""
        same = self.by_elements.get(frozenset(str(el) for el in composition.elements))
        if not same:
            return None
        fractions = composition.fractional_composition
        return min((_distance(fractions, other.fractional_composition), name) for name, other in same)

    def compounds_within(self, symbols: frozenset[str]) -> list[Composition]:
        """Known compounds of two or more of these elements alone; where they include an anion (O, S, halogens, N),
        only those holding one: a formula is then read as a mixture of salts, not of intermetallics or phosphides
        (which would make `LiFePO1` a mixture of Fe2P, Li3P and Li2O)."""
        anions = symbols & ANIONS
        return [other for key, members in self.by_elements.items()
                if len(key) > 1 and key <= symbols and (not anions or key & anions) for _, other in members]

    def richest_in_li(self, element: str) -> tuple[float, str] | None:
        """(Li atomic fraction, formula) of the most lithiated known binary of Li and `element`."""
        binaries = self.by_elements.get(frozenset({"Li", element}), [])
        return max(((other.get_atomic_fraction("Li"), name) for name, other in binaries), default=None)


@lru_cache(maxsize=1)
def wheel_compounds() -> tuple[tuple[str, Composition], ...]:
    """The compounds of pymatgen's experimental enthalpy table and Materials Project entries (in its wheel): real
    materials, so that LiBH4, LiH or Li2Te are not taken for typos although neither project table holds them."""
    formulas: set[str] = set()
    for name in (EXPERIMENT_FILE, MP_FILE):
        rows = wheel_json(name)
        # the experimental table is a list of rows, the Materials Project entries a dict keyed by formula
        formulas.update(rows if isinstance(rows, dict) else (row["formula"] for row in rows))
    compositions = [composition for composition in map(Composition, sorted(formulas)) if len(composition) > 1]
    with warnings.catch_warnings():  # pymatgen warns of the noble gases' missing electronegativity (XeF2)
        warnings.simplefilter("ignore", UserWarning)
        return tuple((composition.reduced_formula, composition) for composition in compositions)


@lru_cache(maxsize=4096)
def typo_warning(formula: str, known: KnownFormulas) -> str:
    """A warning for a formula that parses but is probably mistyped (`Li6PSCl5`, `Li5.5PS45Cl1.5`):
    no charge-balanced oxidation states, or neither near a known material of its elements nor a mixture of known
    compounds of them (`compounds_within`: Li8ZrO6 is Li2O and ZrO2). Known are the project's tables and pymatgen's
    compounds (`wheel_compounds`: LiBH4, LiH). A binary of Li is read by its partner: an alloying element at any
    ratio (LiGe), a self-bonding non-metal with no more Li than its most lithiated compound (Li2S6, LiP7). Not judged
    by mixtures: intermetallics without Li, and elements a non-metal of which shares no known compound with another
    (LiPF6: no P–F compound to mix)."""
    composition = parse_formula(formula)
    reduced = composition.reduced_formula
    symbols = frozenset(str(el) for el in composition.elements)
    if len(symbols) == 1 or reduced in known.formulas:
        return ""
    known = known.with_wheel
    if reduced in known.formulas:
        return ""
    if len(symbols) == 2 and "Li" in symbols:
        (partner,) = symbols - {"Li"}
        if partner in LI_ALLOYING:
            return ""
        if partner in CATENATING and (richest := known.richest_in_li(partner)) is not None:
            chain = composition[partner] / composition["Li"]
            if chain > LONGEST_CHAIN_PER_LI.get(partner, float("inf")) + 1e-9:
                return (f"{formula}: {chain:g} {partner} per Li, longer than any {partner} chain a Li compound holds "
                        f"({LONGEST_CHAIN_PER_LI[partner]:g}); is it a typo?")
            if composition.get_atomic_fraction("Li") <= richest[0] + 1e-9:
                return ""
            return (f"{formula}: more Li than any known compound of Li and {partner} (the richest is {richest[1]}); "
                    "is it a typo?")
    if symbols & ANIONS and charge_balanced(composition) is False:
        return f"{formula}: no charge-balanced oxidation states; is it a typo?"
    nearest = known.nearest(composition)
    compounds = known.compounds_within(symbols)
    if (nearest is not None and nearest[0] <= TYPO_DISTANCE) or _mixes_to(compounds, composition):
        return ""
    if (not symbols & ANIONS and "Li" not in symbols) or not _pairs_known(compounds, symbols):
        return ""
    if nearest is None:
        return (f"{formula}: no known material or mixture of known compounds has these elements in these amounts; "
                "is it a typo?")
    return (f"{formula}: far from every known material with these elements (nearest {nearest[1]}) and not a mixture "
            "of known compounds of them; is it a typo?")


def _pairs_known(compounds: list[Composition], symbols: frozenset[str]) -> bool:
    """Whether every pair of these elements that holds a non-metal shares one of the compounds (Li and O, Ni and O):
    only then do they bound what a formula of these elements can be. BeO has no Be–O compound to mix, LiPF6 none of P
    and F alone (PF5); metals with each other form intermetallics too rarely to ask it of them."""
    together = {frozenset(pair) for other in compounds for pair in _pairs(sorted(str(el) for el in other.elements))}
    metal = {el: Element(el).is_metal for el in symbols}
    return all(frozenset((a, b)) in together for a, b in _pairs(sorted(symbols)) if not (metal[a] and metal[b]))


def _mixes_to(compounds: list[Composition], composition: Composition) -> bool:
    """Whether the composition is a mixture of the compounds: Li8ZrO6 of Li2O and ZrO2, Li1.2Ni0.2Mn0.6O2 of Li2MnO3
    and NiO, where `Li5.5PS45Cl1.5` holds more S than any of its compounds."""
    if not compounds:
        return False
    symbols = sorted(str(el) for el in composition.elements)
    fractions = np.array([[other.get_atomic_fraction(el) for el in symbols] for other in compounds])
    return is_mixture(fractions, np.array([composition.get_atomic_fraction(el) for el in symbols]))


def _pairs(items: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1:]]


def _distance(a: Composition, b: Composition) -> float:
    return sum(abs(a[el] - b[el]) for el in set(a.elements) | set(b.elements))


def infer_family(formula: str) -> str:
    """A family for a formula the materials table does not list, from its elements alone."""
    elements = elements_of(parse_formula(formula))
    if elements == {"Li"}:
        return "li_metal"
    if all(is_alloying(el) or el == "Li" for el in elements):
        return "li_alloy"
    if "O" in elements and _holds_redox(formula, REDOX_METALS) and not _fully_oxidised_li_salt(formula):
        return "other_cathode"
    # Li2FeS2, LiTiS2, Li3NbS4: the metal (or, in the Nb and Ta sulfides, the sulfide ions) stores Li; never an SE
    hosts = OXYSULFIDE_CATHODE_METALS if "O" in elements else CHALCOGENIDE_HOST_METALS
    if "S" in elements and _holds_redox(formula, hosts):
        return "other_cathode"
    if "S" in elements and "Li" in elements and elements - LI_SULFIDE_ELEMENTS:
        return "sulfide_electrolyte"
    return "other"  # Li2S and Li2S-LiI hold no network former: a Li2S cathode, as the materials table has Li2S


def _holds_redox(formula: str, metals: frozenset[str]) -> bool:
    """Whether the formula holds these redox metals above a dopant's share (DOPANT_SHARE) of its cations besides Li."""
    cations = cations_besides_li(formula)
    redox = sum(amount for el, amount in cations.items() if el in metals)
    return redox > 0 and redox >= DOPANT_SHARE * sum(cations.values())


def _fully_oxidised_li_salt(formula: str) -> bool:
    """Whether the formula is a Li salt of a fully oxidised oxyanion (Li2MoO4, Li3VO4, Li2CrO4): every redox metal
    at its highest oxidation state (anions at their lowest, other cations at their highest common state) and at
    least two Li per metal. Such a salt cannot give up Li on charge, so it is a coating, not a cathode; V2O5 and
    LiV3O8, equally fully oxidised, take Li on discharge and stay cathodes."""
    composition = parse_formula(formula)
    metals = sum(amount for el, amount in composition.get_el_amt_dict().items() if el in REDOX_METALS)
    return at_highest_valence(composition, REDOX_METALS) and composition["Li"] >= 2 * metals


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
