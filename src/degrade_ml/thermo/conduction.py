"""What an interphase conducts, and the stability that follows (SPEC §2, the review's frame after Wenzel and Zhu).

Every product phase falls under the first rule of `RULES` that matches it, and each rule names its source. An
interphase of electronic insulators (Li2S, Li3P, LiX, Li3PO4, Li2SO4, S, P–S phases, d0 oxides) cuts the electrons
off and stops growing: `passivating`. One electronic conductor (a Li–M alloy or metal, a transition-metal sulfide or
phosphide, a reduced transition-metal oxide, carbon) carries electrons to the SE and the reaction goes on:
`continuous`. No reaction at the electrode potential: `stable`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from pymatgen.core import Composition, Element

from degrade_ml.chemistry.formulas import at_highest_valence, dopants, elements_of, formula_elements, parse_formula
from degrade_ml.thermo.product_classes import classes_of_phases

CONDUCTOR = "electronic conductor"
INSULATOR = "electronic insulator"
REVIEW = "Zhao et al., Small Struct. 2021 (the review)"
# transition metals whose highest valence empties (Sc, Y, La, Ti, Zr, Hf, V, Nb, Ta, Cr, Mo, W) or fills (Zn, Cd) their
# d shell: an oxide with its metals there is an insulator or a wide-gap semiconductor; below it, reduced (Ti3+ in
# Li7Ti5O12, Mo4+ in MoO2), it conducts
CLOSED_SHELL_OXIDE_METALS = frozenset({"Sc", "Y", "La", "Ti", "Zr", "Hf", "V", "Nb", "Ta", "Cr", "Mo", "W", "Zn", "Cd"})
# the ones whose sulfides stay insulating (TiS2 and NbS2 are metallic; MoS2 and WS2, semiconductors, turn metallic when
# Li enters them)
CLOSED_SHELL_METALS = frozenset({"Sc", "Y", "La", "Zr", "Hf", "Zn", "Cd"})
# the elements that make a transition-metal compound a salt rather than an oxide: its electrons stay on the metal
POLYANION_FORMERS_AND_HALOGENS = frozenset({"B", "C", "N", "Si", "P", "S", "F", "Cl", "Br", "I"})


@dataclass(frozen=True)
class Rule:
    name: str
    conduction: str
    source: str
    matches: Callable[[Composition], bool]


def _metal_like(symbols: frozenset[str]) -> bool:
    return all(Element(s).is_metal or Element(s).is_metalloid for s in symbols)


def _metals_besides_li(symbols: frozenset[str]) -> frozenset[str]:
    return frozenset(s for s in symbols if s != "Li" and _metal_like(frozenset({s})))


def _tm(symbols: frozenset[str]) -> bool:
    return any(Element(s).is_transition_metal for s in symbols)


def _closed_shell_oxide(composition: Composition) -> bool:
    """Whether every transition metal of an oxide sits at its closed-shell valence (Nb5+ in LiNbO3, Mo6+ in Li2MoO4,
    Ti4+ in Li4Ti5O12)."""
    metals = frozenset(str(el) for el in composition.elements if el.is_transition_metal)
    return metals <= CLOSED_SHELL_OXIDE_METALS and at_highest_valence(composition, metals)


RULES: tuple[Rule, ...] = (
    Rule("metal, metalloid or Li–M alloy (Li–Ge, Li–Sn, Li–Si, In, Co, Ni)", CONDUCTOR,
         f"{REVIEW} §2.2.2 after Zhu, He & Mo 2015 [11b]: reduction adds metal alloys (Li–Ge) to the insulating "
         "Li2S, Li3P, LiX; Wenzel et al. 2016 [18a]: reduced Ge at Li|LGPS; §3.2.3 [34]: LGPS keeps reacting through an "
         "electron/ion-mixed conducting interface", lambda c: _metal_like(elements_of(c))),
    Rule("carbon", CONDUCTOR, f"{REVIEW} §3.2.4 [90]: carbon conductive agents (electronic conductors) in the "
         "cathode composite", lambda c: elements_of(c) == frozenset({"C"})),
    Rule("d0 or d10 metal sulfide (ZnS, ZrS2, Sc2S3, Y2S3)", INSULATOR,
         "band gaps: ZnS 3.7 eV, ZrS2 1.7 eV (Madelung, Semiconductors: Data Handbook, Springer 2004); an empty or full "
         "d shell leaves these sulfides semiconductors or insulators, unlike the open-shell ones below",
         lambda c: "S" in (s := elements_of(c)) and _tm(s)
         and all(not Element(x).is_transition_metal or x in CLOSED_SHELL_METALS for x in s)),
    Rule("transition-metal sulfide or phosphide (Co–S, Ni–S, Mn–S, CoPx)", CONDUCTOR,
         "SPEC §2 (issue 17): TM sulfides and phosphides are metallic or narrow-gap conductors (Co9S8, Ni3S2, NiS, CoP)",
         lambda c: _tm(s := elements_of(c)) and bool(s & {"S", "P"}) and "O" not in s),
    Rule("transition-metal oxysalt or halide (LiNiPO4, NiCO3, Ni2SiO4, NiSO4, NiCl2, YOCl)", INSULATOR,
         "Chung, Bloking & Chiang, Nat. Mater. 2002 (10.1038/nmat732): LiFePO4 conducts electrons at about 1e-9 S/cm; "
         "polyanion salts and halides of transition metals are wide-gap ionic solids",
         lambda c: _tm(s := elements_of(c)) and bool(s & POLYANION_FORMERS_AND_HALOGENS)),
    Rule("d0 or d10 transition-metal oxide (LiNbO3, Li2ZrO3, Li4Ti5O12, Li2MoO4, ZnO)", INSULATOR,
         f"{REVIEW} §2.3.2 [42]: LiNbO3 has an electronic conductivity of 1e-11 S/cm; [38]: coatings are ion-conducting "
         "and electron-insulating", lambda c: _tm(elements_of(c)) and _closed_shell_oxide(c)),
    Rule("reduced or open-shell transition-metal oxide (Co3O4, NiO-type rock salt, CoO2, Li7Ti5O12, MoO2, NbO)",
         CONDUCTOR, f"SPEC §2 (issue 17); {REVIEW} §2.3.1 [35]: layered oxides such as LiCoO2 are mixed conductors",
         lambda c: _tm(s := elements_of(c)) and "O" in s),
    Rule("Li2S, Li3P, LiX and other Li salts, S, P–S and P–O–S phases, main-group oxides", INSULATOR,
         f"{REVIEW} §2.2.2 after Zhu, He & Mo 2015 [11b]: the reduction products Li3P, Li2S and LiX are insulating; "
         "S, P2S5, Li3PO4, Li2SO4 are wide-gap insulators", lambda c: True),
)


@lru_cache(maxsize=4096)
def conduction_rule(phase: str) -> Rule:
    """The first rule of RULES a phase (a formula) falls under."""
    composition = parse_formula(phase)
    return next(rule for rule in RULES if rule.matches(composition))


def conducts_electrons(phase: str) -> bool:
    return conduction_rule(phase).conduction == CONDUCTOR


@lru_cache(maxsize=4096)
def passes_potential(coating: str) -> bool:
    """Whether a coating or interlayer is metallic (metals, metalloids, carbon: Ag–C, Si, In) and so carries the
    electrode potential to the SE. Oxide, sulfide and halide coatings are taken as the electronic insulators they are
    made to be, even with a transition metal in them (Li2CoTi3O8): the product rules above are too coarse for them."""
    return _metal_like(frozenset(str(el) for el in parse_formula(coating).elements) - {"C"})


def interlayer_warning(coating: str) -> str:
    """Why a metallic interlayer does not shield the SE, for the answer's warnings."""
    return (f"{coating} conducts electrons: the SE meets it at the electrode potential, as it would the bare "
            "electrode (it shields the SE from contact, not from the potential)")


def breach_warning(coating: str, conductors: Iterable[str], energy_meV_atom: float) -> str:
    """Why a coating the electrode reduces stops shielding the SE, for the answer's warnings."""
    named = list(dict.fromkeys(conductors))
    verb = "conducts" if len(named) == 1 else "conduct"
    return (f"{coating} is reduced at the electrode ({energy_meV_atom:.0f} meV/atom) to {', '.join(named)}, which "
            f"{verb} electrons: where that runs, the SE meets the electrode potential as at the bare electrode")


def breaching_conductors(phases: Iterable[str], coating: str, electrode: str, se: str = "") -> tuple[str, ...]:
    """The conductors of a coating's interphase on the electrode (`interphase_conduction`, one by one) that carry
    electrons through the coating: those holding its transition metals (Nb from LiNbO3, Ti from Li4Ti5O12, the
    mixed-conducting interphase of LATP on Li), or any of its metals when it holds no oxygen (LiIn from Li3InCl6:
    Li breaks the In–Cl bond readily). A main-group oxide (Al2O3, borates, silicates) lithiates part way to an
    insulator, the protective ALD Al2O3 interlayer of review [29b], though its full reduction gives LiAl."""
    own = formula_elements(coating)
    carriers = own if "O" not in own else frozenset(s for s in own if Element(s).is_transition_metal)
    return tuple(p for p in phases if formula_elements(p) & carriers
                 and interphase_conduction((p,), electrode, "", se) == (True, True))


def interphase_stability(phases: Iterable[str], reacts: bool, electrode: str, interlayer: str = "",
                         se: str = "") -> str:
    """`stable` when nothing reacts at the potential, `continuous` when any product of the interphase conducts
    electrons, else `passivating`. A phase made only of the electrode's own elements (Li metal, a delithiated
    cathode) is the electrode itself, not the interphase, unless its transition metal is reduced or its metal is also
    the SE's (Li–Sn from Li10SnP2S12 on a Sn anode: the SE's reduced metal, in the interphase as at Li metal); one
    made only of a conducting interlayer's elements and Li (LiC6 in Ag–C, Li–Si) is that interlayer lithiated. A
    conductor made only of the SE's dopants (Mo from Li7P2.9S10.85Mo0.01) is too dilute to make it continuous."""
    return interphase_class(reacts, *interphase_conduction(phases, electrode, interlayer, se))


def interphase_conduction(phases: Iterable[str], electrode: str, interlayer: str = "",
                          se: str = "") -> tuple[bool, bool]:
    """(whether any phase belongs to the interphase, whether one of those conducts electrons)."""
    return _conduction(tuple(phases), electrode, interlayer, se)


@lru_cache(maxsize=65536)
def _conduction(phases: tuple[str, ...], electrode: str, interlayer: str, se: str) -> tuple[bool, bool]:
    """Asked for every contact of every interface: a screen repeats the same products against the same electrodes."""
    products = [p for p in phases if _in_interphase(p, electrode, interlayer, se)]
    return bool(products), any(conducts_electrons(p) and not _dilute(p, electrode, se) for p in products)


def _dilute(phase: str, electrode: str, se: str) -> bool:
    """Whether a phase's metals come only from the SE's dopants (Mo metal from Li7P2.9S10.85Mo0.01 at Li): a trace
    that cannot carry electrons through the interphase, as Ge from Li10GeP2S12 does."""
    metals = _metals_besides_li(formula_elements(phase))
    return bool(se and metals) and metals <= dopants(se) and not metals & formula_elements(electrode)


def interphase_class(reacts: bool, formed: bool, conducts: bool) -> str:
    """`stable` when nothing reacts or no interphase forms, else `continuous` or `passivating` by its conduction."""
    if not reacts or not formed:
        return "stable"
    return "continuous" if conducts else "passivating"


@lru_cache(maxsize=65536)
def _in_interphase(phase: str, electrode: str, interlayer: str, se: str) -> bool:
    """Asked for every product of every interface: a screen repeats the same phases against the same electrodes."""
    composition, host = parse_formula(phase), parse_formula(electrode)
    elements = set(composition.elements)
    if interlayer and elements <= set(parse_formula(interlayer).elements) | {Element("Li")}:
        return False
    if not elements <= set(host.elements) | {Element("Li")}:
        return True
    if se and _metals_besides_li(formula_elements(phase)) & formula_elements(se):
        return True
    return "TM_reduced" in classes_of_phases([composition], [host])


def conduction_table(phases: Iterable[str]) -> list[dict[str, str]]:
    """The conduction class of each phase with the rule and source behind it, for reports and --explain."""
    return [{"phase": p, "conduction": (rule := conduction_rule(p)).conduction, "rule": rule.name, "source": rule.source}
            for p in phases]
