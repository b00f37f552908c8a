"""Interface thermodynamics from the shipped phase-energy table, the way pymatgen's InterfacialReactivity and the
Materials Project interface-reactions app do it, offline.

- The SE window (Zhu, He & Mo 2015, review ref [11b]): the Li chemical potentials between which the SE takes up or
  gives off no Li, from `PhaseDiagram.get_element_profile`.
- A contact (Richards et al. 2016): the most negative reaction energy on the mixing line of two materials, closed
  (chemical) or open to Li at the electrode's potential (`GrandPotentialInterfacialReactivity`).
Phase diagrams are built once per chemical system and reused; each contact once per (pair, potential)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pymatgen.analysis.phase_diagram import GrandPotentialPhaseDiagram, GrandPotPDEntry, PDEntry, PhaseDiagram
from pymatgen.core import Composition, Element

from degrade_ml.chemistry import parse_formula
from degrade_ml.thermo.classes import classes_of_phases
from degrade_ml.thermo.table import load_entries

LI = Element("Li")
REACTION_TOLERANCE_MEV = 1.0  # a contact whose deepest kink is shallower than this does not react
METASTABLE_OFFSET_EV = 0.001  # how far below the hull a metastable SE is placed to give it a window


class ThermoCoverageError(ValueError):
    """A composition with elements the phase-energy table does not hold."""


@dataclass(frozen=True)
class Window:
    """The electrochemical stability window of one material, V vs Li/Li+."""

    formula: str
    reduction_limit_V: float | None
    oxidation_limit_V: float | None
    reduction_products: tuple[str, ...]
    oxidation_products: tuple[str, ...]
    reduction_classes: tuple[str, ...]
    oxidation_classes: tuple[str, ...]
    energy_above_hull_meV: float
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Kink:
    mixing_ratio: float
    energy_meV_atom: float
    reaction: str


@dataclass(frozen=True)
class Contact:
    """The reaction of two materials: `mixing_ratio` is the atomic fraction of `a` at the most negative
    reaction energy; energies are per atom of the mixture (of its non-Li atoms when Li is open). With Li open,
    `reaction_energy_meV_atom` counts from the intact `a` (its own decomposition at the potential included) and
    `mixing_energy_meV_atom` is InterfacialReactivity's minimum from `a` already equilibrated there."""

    a: str
    b: str
    potential_V: float | None
    reaction_energy_meV_atom: float
    mixing_energy_meV_atom: float  # pymatgen's minimum: both reactants already equilibrated at the potential
    mixing_products: tuple[str, ...]  # the products at pymatgen's minimum
    mixing_ratio: float
    products: tuple[str, ...]
    product_classes: tuple[str, ...]
    reaction: str
    kinks: tuple[Kink, ...]
    warnings: tuple[str, ...]

    @property
    def reacts(self) -> bool:
        return self.reaction_energy_meV_atom < -REACTION_TOLERANCE_MEV


class ThermoEngine:
    """Windows and contacts over one phase-energy table."""

    def __init__(self, entries: tuple[PDEntry, ...]):
        self.entries = entries
        self.elements = frozenset(str(el) for e in entries if e.composition.is_element for el in e.composition.elements)
        self._known_formulas = {e.composition.reduced_formula for e in entries}

    @classmethod
    def from_table(cls, path: Path | None = None) -> "ThermoEngine":
        return cls(load_entries(path))

    def check_covered(self, formula: str) -> Composition:
        """The composition, or ThermoCoverageError naming the elements the table lacks."""
        composition = parse_formula(formula)
        missing = sorted({str(el) for el in composition.elements} - self.elements, key=lambda s: Element(s).Z)
        if missing:
            raise ThermoCoverageError(
                f"{formula}: element(s) {', '.join(missing)} are outside the phase-energy table "
                f"(it covers {', '.join(sorted(self.elements, key=lambda s: Element(s).Z))})")
        return composition

    def placement_warning(self, formula: str) -> str:
        """Non-empty when a composition has no entry of its own and is placed on the hull."""
        composition = self.check_covered(formula)
        if composition.reduced_formula in self._known_formulas or composition.is_element:
            return ""
        return f"{formula} is not in the phase-energy table: placed on the convex hull (its energy is that of its equilibrium phases)"

    def diagram(self, elements: frozenset[str]) -> PhaseDiagram:
        return _diagram(self, elements)

    def grand_diagram(self, elements: frozenset[str], potential_V: float) -> GrandPotentialPhaseDiagram:
        return _grand_diagram(self, elements, round(potential_V, 4))

    def li_chemical_potential(self, potential_V: float) -> float:
        """mu_Li = mu_Li(metal) - e*V: the Li reservoir of an electrode at `potential_V` vs Li/Li+."""
        li_metal = min((e for e in self.entries if e.composition.reduced_formula == "Li"), key=lambda e: e.energy_per_atom)
        return li_metal.energy_per_atom - potential_V

    def window(self, formula: str) -> Window:
        return _window(self, str(formula).strip())

    def contact(self, a: str, b: str, potential_V: float | None) -> Contact:
        """Chemical contact when `potential_V` is None or one side is Li metal; otherwise Li is open at the potential."""
        key = None if potential_V is None else round(float(potential_V), 4)
        return _contact(self, a, b, key)

    def decomposition_at(self, formula: str, potential_V: float) -> tuple[str, ...]:
        """Phases a material turns into at a fixed Li potential (itself when it is stable there)."""
        composition = self.check_covered(formula)
        elements = _symbols(composition) | {"Li"}
        grand = self.grand_diagram(elements, potential_V)
        non_li = Composition({el: n for el, n in composition.items() if el != LI})
        if non_li.num_atoms == 0:
            return ("Li",)
        decomposition = grand.get_decomposition(non_li)
        return tuple(sorted(e.original_entry.composition.reduced_formula for e in decomposition))


def _symbols(composition: Composition) -> frozenset[str]:
    return frozenset(str(el) for el in composition.elements)


@lru_cache(maxsize=256)
def _diagram(engine: ThermoEngine, elements: frozenset[str]) -> PhaseDiagram:
    entries = [e for e in engine.entries if _symbols(e.composition) <= elements]
    return PhaseDiagram(entries)


@lru_cache(maxsize=1024)
def _grand_diagram(engine: ThermoEngine, elements: frozenset[str], potential_V: float) -> GrandPotentialPhaseDiagram:
    entries = [e for e in engine.entries if _symbols(e.composition) <= elements]
    return GrandPotentialPhaseDiagram(entries, {LI: engine.li_chemical_potential(potential_V)})


@lru_cache(maxsize=1024)
def _window(engine: ThermoEngine, formula: str) -> Window:
    composition = engine.check_covered(formula)
    warnings = [w for w in (engine.placement_warning(formula),) if w]
    elements = _symbols(composition) | {"Li"}
    diagram = engine.diagram(elements)
    per_atom = composition.fractional_composition
    hull = diagram.get_hull_energy_per_atom(per_atom)
    own = [e for e in diagram.all_entries if e.composition.reduced_formula == composition.reduced_formula]
    above = (min(e.energy_per_atom for e in own) - hull) * 1000 if own else 0.0
    if not any(e in diagram.stable_entries for e in own):
        # a metastable or hull-placed SE would have no window at all: place it just below the hull
        if own and above > 0.5:
            warnings.append(f"{formula} lies {above:.0f} meV/atom above the hull; its window is computed as if it were stable")
        pseudo = PDEntry(composition, (hull - METASTABLE_OFFSET_EV) * composition.num_atoms, name=composition.reduced_formula)
        diagram = PhaseDiagram([*diagram.all_entries, pseudo])
    if LI not in composition or len(composition) == 1:
        return Window(formula, None, None, (), (), (), (), round(float(above), 1),
                      (*warnings, f"{formula} has no Li: no Li window"))
    profile = diagram.get_element_profile(LI, composition)
    li_metal = diagram.el_refs[LI].energy_per_atom
    own_step = min(range(len(profile)), key=lambda i: abs(profile[i]["evolution"]))

    # steps run from Li-rich to Li-poor; each carries the Li potential of the facet on its Li-rich side
    reduction_V = float(li_metal - profile[own_step]["chempot"])
    reduction_products = _products(profile[own_step - 1]["reaction"], composition) if own_step > 0 else ()
    oxidation_V, oxidation_products = None, ()
    if own_step + 1 < len(profile):
        oxidation_V = float(li_metal - profile[own_step + 1]["chempot"])
        oxidation_products = _products(profile[own_step + 1]["reaction"], composition)
    reactants = (composition,)
    return Window(
        formula=formula,
        reduction_limit_V=round(max(reduction_V, 0.0), 3),
        oxidation_limit_V=None if oxidation_V is None else round(oxidation_V, 3),
        reduction_products=reduction_products,
        oxidation_products=oxidation_products,
        reduction_classes=tuple(classes_of_phases([Composition(p) for p in reduction_products], reactants)),
        oxidation_classes=tuple(classes_of_phases([Composition(p) for p in oxidation_products], reactants)),
        energy_above_hull_meV=round(float(max(above, 0.0)), 1),
        warnings=tuple(warnings),
    )


def _products(reaction, reactant: Composition) -> tuple[str, ...]:
    names = {c.reduced_formula for c in reaction.products} - {reactant.reduced_formula, "Li"}
    return tuple(sorted(names))


@lru_cache(maxsize=65536)
def _contact(engine: ThermoEngine, a: str, b: str, potential_V: float | None) -> Contact:
    # imported here: pymatgen's interface_reactions pulls in matplotlib and plotly, which a prediction never needs
    from pymatgen.analysis.interface_reactions import GrandPotentialInterfacialReactivity, InterfacialReactivity

    comp_a, comp_b = engine.check_covered(a), engine.check_covered(b)
    warnings = tuple(w for w in (engine.placement_warning(a), engine.placement_warning(b)) if w)
    li_metal_side = comp_a.reduced_formula == "Li" or comp_b.reduced_formula == "Li"
    elements = _symbols(comp_a) | _symbols(comp_b)
    if potential_V is None or li_metal_side:
        reactivity = InterfacialReactivity(comp_a, comp_b, engine.diagram(elements), norm=True, use_hull_energy=True)
        used_potential = 0.0 if li_metal_side else None
    else:
        elements = elements | {"Li"}
        grand = engine.grand_diagram(elements, potential_V)
        reactivity = GrandPotentialInterfacialReactivity(
            comp_a, comp_b, grand, engine.diagram(elements), norm=True, use_hull_energy=True)
        used_potential = potential_V
    reactions = reactivity.get_kinks()
    kinks = [Kink(round(float(x), 4), round(float(energy) * 1000, 2), str(reaction)) for _, x, energy, reaction, _ in reactions]
    mixing_min = min(range(len(kinks)), key=lambda i: kinks[i].energy_meV_atom)
    mixing_energy = min(0.0, kinks[mixing_min].energy_meV_atom)
    if potential_V is not None and not li_metal_side:
        kinks = _relative_to_intact(engine, comp_a, comp_b, kinks, grand)
    deepest = min(range(len(kinks)), key=lambda i: kinks[i].energy_meV_atom)
    reacts = kinks[deepest].energy_meV_atom < -REACTION_TOLERANCE_MEV
    # where the two materials meet: the deepest kink strictly inside the mixing line (beyond the window the deepest
    # kink overall can be the first material decomposing on its own, at x = 1)
    interior = [i for i in range(1, len(kinks) - 1) if kinks[i].energy_meV_atom < -REACTION_TOLERANCE_MEV]
    meeting = min(interior, key=lambda i: kinks[i].energy_meV_atom) if interior else None
    # product names come from the entries' names (full formulas, Li included); Li given to the reservoir is no product
    not_products = {comp_a.reduced_formula, comp_b.reduced_formula, "Li"}
    formed = {c.reduced_formula for i in {deepest, meeting} - {None} for c in reactions[i][3].products} if reacts else set()
    products = tuple(sorted(formed - not_products))
    mixing_products = tuple(sorted({c.reduced_formula for c in reactions[mixing_min][3].products} - not_products)) \
        if mixing_energy < -REACTION_TOLERANCE_MEV else ()
    return Contact(
        a=a, b=b, potential_V=used_potential,
        reaction_energy_meV_atom=min(kinks[deepest].energy_meV_atom, 0.0),
        mixing_energy_meV_atom=mixing_energy,
        mixing_products=mixing_products,
        mixing_ratio=kinks[deepest].mixing_ratio,
        products=products,
        product_classes=tuple(classes_of_phases([Composition(p) for p in products], (comp_a, comp_b))),
        reaction=kinks[deepest].reaction if reacts else "",
        kinks=tuple(kinks),
        warnings=warnings,
    )


def _relative_to_intact(engine: ThermoEngine, comp_a: Composition, comp_b: Composition, kinks: list[Kink],
                        grand: GrandPotentialPhaseDiagram) -> list[Kink]:
    """Kink energies measured from the intact first material (the SE or the coating) rather than from its own
    equilibrium at the potential: an SE outside its window releases its decomposition energy even before it
    mixes with the electrode, so the driving force grows with the voltage beyond the window. The electrode
    is taken as equilibrated at its own potential (its delithiation is the battery charging, not degradation).
    Energies stay per atom of the Li-free mixture, as InterfacialReactivity reports them."""
    decomposition = _grand_decomposition_energy(engine, comp_a, grand)
    if decomposition <= 0:
        return kinks
    share_a = Composition({el: n for el, n in comp_a.items() if el != LI}).num_atoms / comp_a.num_atoms
    share_b = Composition({el: n for el, n in comp_b.items() if el != LI}).num_atoms / comp_b.num_atoms
    adjusted = []
    for kink in kinks:
        x = kink.mixing_ratio  # atomic fraction of a in the full mixture → fraction of a's Li-free atoms
        free = x * share_a / (x * share_a + (1 - x) * share_b) if (x * share_a + (1 - x) * share_b) > 0 else 0.0
        adjusted.append(Kink(kink.mixing_ratio, round(kink.energy_meV_atom - free * decomposition * 1000, 2), kink.reaction))
    return adjusted


def _grand_decomposition_energy(engine: ThermoEngine, composition: Composition, grand: GrandPotentialPhaseDiagram) -> float:
    """eV per Li-free atom that `composition`, intact, releases by decomposing at the grand diagram's Li potential."""
    elements = frozenset(str(el) for el in composition.elements) | {"Li"}
    closed = engine.diagram(elements)
    own = [e.energy_per_atom for e in closed.all_entries if e.composition.reduced_formula == composition.reduced_formula]
    energy = min(own) if own else closed.get_hull_energy_per_atom(composition)
    entry = PDEntry(composition, energy * composition.num_atoms)
    grand_entry = GrandPotPDEntry(entry, grand.chempots)
    if grand_entry.composition.num_atoms == 0:
        return 0.0
    hull = grand.get_hull_energy_per_atom(grand_entry.composition)
    return max(0.0, float(grand_entry.energy_per_atom - hull))


@lru_cache(maxsize=1)
def default_engine() -> ThermoEngine:
    return ThermoEngine.from_table()
