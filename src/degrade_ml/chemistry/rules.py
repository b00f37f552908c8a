"""Chemistry rules of an interface from its elements: which product classes are possible and which the
thermodynamic limits predict (the review's frame).

Rules follow the review (Zhao et al., Small Struct. 2021, DOI 10.1002/sstr.202100146): at the Li anode
the lithiation limit gives Li2S, Li3P, LiX and Li–M alloys (Section 2.2.2, Zhu et al. [11b]); at an oxide
cathode the oxidation limit gives S and P2Sx, and S/O exchange with the oxide gives POx, SOx and TM
sulfides (Sections 2.3 and 3.2).
"""

from __future__ import annotations

from functools import lru_cache

from pymatgen.core import Composition

from degrade_ml.chemistry.elements import ANIONS, HALOGENS, has_transition_metal, is_alloying
from degrade_ml.chemistry.formulas import elements_of
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES


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
        "TM_S": has("S") and has_transition_metal(elements),
        "TM_P": has("P") and has_transition_metal(elements),
        "TM_reduced": has("O") and has_transition_metal(elements),
    }
    return frozenset(key for key in PRODUCT_CLASSES if checks[key])


# Classes that cannot exist at one side's potentials, whatever the elements allow: Li3P and the Li–M alloys hold Li
# below about 1 V vs Li/Li+ only (Li3P and Li–Sb give it off near 0.8–1 V, Li–In, Li–Sn, Li–Ge, Li–Si and Li–Al lower),
# so never at a cathode (a charge cut-off of 2 V and more); elemental S, polysulfides and sulfates exist above about
# 2 V only (S takes up Li to Li2S at 2.2–2.3 V), so never at an anode (Li4Ti5O12's 1.55 V the highest).
ABSENT_AT_ROLE: dict[str, frozenset[str]] = {
    "cathode": frozenset({"Li3P", "Li_M_alloy"}),
    "anode": frozenset({"S", "Li2Sn", "SOx"}),
}


def possible_products_at(elements: frozenset[str], role: str) -> frozenset[str]:
    """The element-conservation gate, less the classes the electrode's side of the potential scale rules out."""
    return possible_products(elements) - ABSENT_AT_ROLE.get(role, frozenset())


# Modes that belong to one side of the cell: Li plates and strips (dendrites, voids) only at the anode; a space-charge
# layer forms where an oxide or other cathode at high Li chemical potential meets the sulfide (Section 2.3.1); a
# rock-salt surface and oxygen loss are an oxide cathode's own (Sections 3.1.2, 3.2.2). Every record agrees.
ANODE_MODES = frozenset({"dendrite", "void"})
CATHODE_MODES = frozenset({"space_charge_layer"})
OXIDE_CATHODE_MODES = frozenset({"rock_salt_transition", "oxygen_loss"})


def possible_modes(electrode: Composition, role: str) -> frozenset[str]:
    """The degradation modes an interface can show at all on its electrode's side (the modes' gate, as
    `possible_products_at` is the products'): so that a mode no record of that side reports, and which the label forest
    cannot tell from the others, is not given oxygen loss at Li metal or dendrites at a cathode."""
    ruled_out = CATHODE_MODES | OXIDE_CATHODE_MODES if role == "anode" else ANODE_MODES
    if role != "anode" and "O" not in elements_of(electrode):
        ruled_out = ruled_out | OXIDE_CATHODE_MODES
    return frozenset(DEGRADATION_MODES) - ruled_out


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
    """Products at an uncoated oxide cathode: SE oxidation (S, P2Sx), the matching reduction of the cathode's
    transition metals (Co3O4, rock-salt NiO; Sections 3.1.2, 3.2.2) and O/S exchange with the oxide (POx, SOx, TM–S);
    polysulfides too where the SE holds free sulfide (`free_sulfide`), which oxidises through Li2Sn to S as Li2S does
    in a Li–S cell, while S bound in thio anions links them into P2Sx: the argyrodite records of Sections 3.2.1 and
    3.2.3 ([86], [88], [67]) report Li2Sn, no record of an SE without free sulfide does. A coating that separates SE
    and cathode prevents the inter-reaction (Section 2.3.2), so the rule expects nothing there."""
    if coating is not None:
        return frozenset()
    se_elements, cathode_elements = elements_of(se), elements_of(cathode)
    expected = {"S"} if "S" in se_elements else set()
    if free_sulfide(se) > 0:
        expected.add("Li2Sn")
    if {"P", "S"} <= se_elements:
        expected.add("P2Sx")
    if "O" in cathode_elements:
        if "P" in se_elements:
            expected.add("POx")
        if "S" in se_elements:
            expected.add("SOx")
    if has_transition_metal(cathode_elements):
        if "O" in cathode_elements:
            expected.add("TM_reduced")
        if "S" in se_elements:
            expected.add("TM_S")
    return frozenset(expected)


# the cations of a thio-SE's tetrahedral anions (PS4 3-, GeS4 4-, SiS4 4-, SnS4 4-, SbS4 3-, ...)
THIO_FORMERS = ("P", "Si", "Ge", "Sn", "Sb", "As", "Al", "Ga", "B")


def free_sulfide(se: Composition) -> float:
    """S per formula unit beyond the 4 each tetrahedral former binds: the argyrodites' S2- anions (1 in Li6PS5Cl, 2 in
    Li7PS6) and Li2S-rich glasses' (Li8P2S9); none in Li3PS4, Li7P3S11 or Li10GeP2S12, whose S all sits in thio
    anions."""
    return se["S"] - 4 * sum(se[el] for el in THIO_FORMERS)


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


# alloy hosts whose lithiation expands them by about 100 % or more (Si ~280 %, Ge, Sn, P ~300 %, Sb, Bi, Al ~100 %;
# Obrovac and Chevrier, Chem. Rev. 2014, 114, 11444), against about 10 % for graphite and a few for Li–In
LARGE_VOLUME_CHANGE_HOSTS = frozenset({"Si", "Ge", "Sn", "P", "Sb", "Bi", "Al"})
# the stack pressure from which Li creep refills what stripping takes: Li|Li6PS5Cl left voids after the first strip
# at 3.5 MPa and none after 100 cycles at 7 MPa (review Section 3.1.2, Figure 7b, ref [30a])
VOID_FREE_PRESSURE_MPA = 7.0
NI_RICH_SHARE = 0.5  # Ni share of a layered oxide's transition metals from which its surface turns rock-salt
LAYERED_TOLERANCE = 0.25  # Li and O per transition metal within this of LiMO2's 1 and 2 (NCA's Al counts as neither)


def strips_li(electrode: Composition, role: str) -> bool:
    """Whether an anode gives up its Li as metallic Li or a Li alloy, which leaves voids where creep does not refill
    the interface: Li metal, Li–In, other metals (not an alloy host that swells, carbon, or an oxide or sulfide)."""
    hosts = elements_of(electrode) - {"Li"}
    return (role == "anode" and not hosts & ANIONS and "C" not in hosts
            and not (hosts and hosts <= LARGE_VOLUME_CHANGE_HOSTS))


def void_pressure_note(pressure_MPa: float) -> str:
    """What a stated stack pressure decided at an anode that strips Li (`strips_li`), in words."""
    refilled = pressure_MPa >= VOID_FREE_PRESSURE_MPA
    return (f"stack pressure {pressure_MPa:g} MPa: {'at or above' if refilled else 'below'} the "
            f"{VOID_FREE_PRESSURE_MPA:g} MPa from which Li creep refills the voids that stripping leaves (review "
            f"[30a]), so voids are {'not ' if refilled else ''}expected")


def rule_modes(electrode: Composition, coating: Composition | None, role: str,
               pressure_MPa: float | None = None) -> frozenset[str]:
    """Dendrites where Li plates (Section 2.2.1): at Li metal and at the anodes that work within about 0.6 V of it,
    Li alloys, metals and carbon, but not at an oxide or sulfide host such as Li4Ti5O12 (1.55 V), which never reaches
    0 V. Where metallic Li or a Li alloy is stripped (all of those but carbon, which intercalates), voids as well:
    stripping takes Li from the interface faster than creep refills it, and the voids focus the current that then
    plates dendrites (Sections 2.2.1, 3.1.2 and 3.1.3, [30a], [14b]); not under a stated stack pressure of
    VOID_FREE_PRESSURE_MPA or more, whose creep refills the interface. At an alloy host that swells on lithiation
    (Si, Sn, Sb: `LARGE_VOLUME_CHANGE_HOSTS`) the volume change itself, and the contact loss the review puts down to
    it (Section 1), rather than plating: such a host takes Li up above 0 V. A space-charge layer at an uncoated oxide
    cathode (Section 2.3.1), from the Li chemical-potential step between oxide and sulfide, which a sulfide or sulfur
    cathode (TiS2, FeS2, S) does not have; at an uncoated Ni-rich layered oxide its surface turned rock-salt as well
    (`ni_rich_layered`)."""
    if role == "anode":
        elements = elements_of(electrode)
        if elements & ANIONS:
            return frozenset()
        hosts = elements - {"Li"}
        if hosts and hosts <= LARGE_VOLUME_CHANGE_HOSTS:
            return frozenset({"volume_expansion", "contact_loss"})
        refilled = pressure_MPa is not None and pressure_MPa >= VOID_FREE_PRESSURE_MPA
        return frozenset({"dendrite", "void"} if strips_li(electrode, role) and not refilled else {"dendrite"})
    if coating is not None or "O" not in elements_of(electrode):
        return frozenset()
    return frozenset({"space_charge_layer", "rock_salt_transition"} if ni_rich_layered(electrode)
                     else {"space_charge_layer"})


def ni_rich_layered(electrode: Composition) -> bool:
    """A layered LiMO2 oxide whose transition metals are at least NI_RICH_SHARE Ni (NMC532, NMC811, NCA, LiNiO2): the
    sulfide takes lattice oxygen from its surface, which turns to a rock-salt phase, 12 nm deep on NMC811 against
    LGPS ([19b]) and on single-crystal NMC532 ([60a]), where an LNTO coating left a 1–3 nm spinel layer instead
    (review Section 3.1.2). The Li-rich oxides (Ni a sixth of their metals), LNMO (a spinel) and NMC111 are not."""
    metals = sum(amount for element, amount in electrode.items() if element.is_transition_metal)
    if not metals:
        return False
    per_metal = {symbol: electrode[symbol] / metals for symbol in ("Li", "O", "Ni")}
    return (per_metal["Ni"] >= NI_RICH_SHARE and abs(per_metal["O"] - 2) <= LAYERED_TOLERANCE
            and abs(per_metal["Li"] - 1) <= LAYERED_TOLERANCE)
