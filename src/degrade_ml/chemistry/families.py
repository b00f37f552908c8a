"""The structural family of an electrode the materials table does not list, decided from its composition, and the
nominal potential that family holds the interface at (SPEC §1: `--voltage`, else the materials table, else the family,
with a warning naming the value).

Families follow the cation-to-anion ratios of their structures: a layered LiMO2 and a disordered (or Li-rich)
rock-salt both fill every octahedral site, one cation per O or F (Li:M = 1 in the layered one, Li:M > 1 in the Li-rich
and disordered ones); a spinel LiM2O4 has 3 cations per 4 O; an olivine LiMPO4 holds PO4 polyanions. Potentials are the
typical charge cut-off of each family's members in the materials table (cathodes) or the average lithiation potential
(anodes), vs Li/Li+."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pymatgen.core import Composition, Element

from degrade_ml.chemistry.elements import HALOGENS, REDOX_METALS
from degrade_ml.chemistry.formulas import parse_formula

# below this potential an electrode lithiates the SE (Li, Li-In 0.62 V, Li4Ti5O12 1.55 V); above it, it oxidises it
ANODE_MAX_POTENTIAL_V = 2.5
CHALCOGENS = frozenset({"S", "Se"})
# metals whose sulfides and selenides take up Li as cathodes: the redox metals and the layered TiS2, NbS2, TaS2, WS2
CHALCOGENIDE_HOST_METALS = REDOX_METALS | {"Ti", "Nb", "Ta", "W"}
# metals with no Li compound in their binary phase diagrams with Li: Li plates on them instead of alloying, which is
# why they serve as current collectors (Cu, Ni, stainless steel) and as the substrate of an anode-free cell
LI_INERT_METALS = frozenset({"Cu", "Ni", "Fe", "Cr", "Co", "Mn", "Ti", "V", "Zr", "Nb", "Mo", "Ta", "W"})
# F takes O sites in the oxyfluoride cathodes (the disordered rock-salts Li1.2Mn0.6Ti0.2O1.8F0.2 and Li2MnO2F,
# fluorinated spinels): counted with O, one anion per site
OXIDE_SITE_ANIONS = frozenset({"O", "F"})
CATION_TOLERANCE = 0.08  # how far a cation:anion ratio may stray from its structure's ideal (Li1.2Ni0.3Ti0.3Nb0.2O2 is 1.0)


@dataclass(frozen=True)
class Family:
    name: str
    potential_V: float
    why: str


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("Li metal", 0.0, "Li/Li+ itself"),
    Family("Li-inert metal", 0.0,
           "Cu, Ni, Fe and Ti form no alloy with Li, so Li plates on them at 0 V: an anode-free cell's current collector"),
    Family("carbon", 0.1, "graphite and hard carbon lithiate near 0.1 V"),
    Family("Li alloy or metal", 0.3, "Li–Si, Li–Sn, Li–Al, Li–In alloys lithiate between 0.1 and 0.6 V"),
    Family("titanate", 1.55, "Li4Ti5O12 (Ti3+/Ti4+)"),
    Family("chalcogen or metal chalcogenide", 2.5,
           "S, Se, Li2S (with or without LiI), FeS2 and the layered TiS2, NbS2 and MoS2 cathodes charge to about 2–2.5 V"),
    Family("olivine", 3.8, "LiFePO4 charges to about 3.8 V"),
    Family("layered", 4.3, "NMC and NCA charge to about 4.3 V"),
    Family("spinel", 4.3, "LiMn2O4 charges to about 4.3 V (Ni–Mn spinels to 4.9 V)"),
    Family("transition-metal oxide", 4.0, "other oxide cathodes (V2O5, MnO2) charge to about 4 V"),
    Family("rock-salt", 4.6, "Li-rich layered and disordered rock-salt oxides charge to about 4.6 V"),
)}


@lru_cache(maxsize=4096)
def structural_family(formula: str) -> Family | None:
    """The family of an electrode from its composition alone; None when its composition fits none."""
    composition = parse_formula(formula)
    symbols = {str(el) for el in composition.elements}
    if symbols == {"Li"}:
        return FAMILIES["Li metal"]
    if symbols <= {"Li", "C"}:
        return FAMILIES["carbon"]
    if symbols <= LI_INERT_METALS | {"Li"}:
        return FAMILIES["Li-inert metal"]
    if all(Element(s).is_metal or Element(s).is_metalloid for s in symbols):
        return FAMILIES["Li alloy or metal"]
    if "O" in symbols:
        return _oxide_family(composition, symbols)
    if symbols & CHALCOGENS and (symbols <= {"Li", *CHALCOGENS, *HALOGENS} or symbols & CHALCOGENIDE_HOST_METALS):
        return FAMILIES["chalcogen or metal chalcogenide"]
    return None


def _oxide_family(composition: Composition, symbols: set[str]) -> Family | None:
    amounts = composition.get_el_amt_dict()
    if "P" in symbols and symbols & REDOX_METALS and abs(amounts["O"] / amounts["P"] - 4) < 0.01:
        return FAMILIES["olivine"]
    if _lithium_salt_of_empty_d_shell(amounts):  # Li3VO4, Li2MoO4: nothing to oxidise, so no cathode to charge
        return None
    cations = {s: n for s, n in amounts.items() if Element(s).is_metal or s == "B"}
    if not symbols & REDOX_METALS:
        return FAMILIES["titanate"] if set(cations) == {"Li", "Ti"} else None
    anions = set(amounts) - set(cations)
    if not anions <= OXIDE_SITE_ANIONS:
        return FAMILIES["transition-metal oxide"]
    ratio = sum(cations.values()) / sum(amounts[a] for a in anions)
    others = sum(n for s, n in cations.items() if s != "Li")
    if abs(ratio - 1) <= CATION_TOLERANCE:
        return FAMILIES["rock-salt"] if cations.get("Li", 0) > others * (1 + CATION_TOLERANCE) else FAMILIES["layered"]
    if abs(ratio - 0.75) <= CATION_TOLERANCE:
        return FAMILIES["spinel"]
    return FAMILIES["transition-metal oxide"]


def _lithium_salt_of_empty_d_shell(amounts: dict[str, float]) -> bool:
    """Whether a Li–M–O oxide holds at least as much Li as its one redox metal, and that metal at its group oxidation
    state by charge balance with Li+ and O2- (V5+ in Li3VO4, Mo6+ in Li2MoO4): a Li salt, not a charged cathode.
    V2O5 and LiV3O8, with little or no Li, are cathodes that take Li up."""
    metals = [symbol for symbol in amounts if symbol in REDOX_METALS]
    if len(metals) != 1 or set(amounts) - {"Li", "O", *metals} or amounts.get("Li", 0.0) < amounts[metals[0]]:
        return False
    state = (2 * amounts["O"] - amounts["Li"]) / amounts[metals[0]]
    return state >= Element(metals[0]).group - 1e-6


def family_potential(formula: str) -> tuple[float | None, str]:
    """(potential, warning naming it) for an electrode the materials table does not give a potential; (None, why)
    when its composition fits no family, so that the interface is computed as a chemical contact."""
    family = structural_family(formula)
    if family is None:
        return None, (f"{formula}: no nominal potential and no structural family; computed as a chemical contact "
                      "(give --voltage)")
    return family.potential_V, (f"{formula}: not in the materials table; potential {family.potential_V:g} V vs Li/Li+ "
                                f"from its structural family ({family.name}: {family.why}); --voltage overrides it")
