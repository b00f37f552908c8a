"""Interface thermodynamics from the shipped phase-energy table: the numbers pymatgen's InterfacialReactivity and
the Materials Project interface-reactions app give, offline, each from one linear program (thermo/hull.py).

- The SE window (Zhu, He & Mo 2015, review ref [11b]): the Li potentials between which the SE takes up or gives
  off no Li. A metastable or hull-placed SE is placed 1 meV/atom below the hull (otherwise it has no window).
- A contact (Richards et al. 2016): the most negative reaction energy on the mixing line of two materials, with
  pymatgen's defaults: closed (InterfacialReactivity: a reactant's energy is its own entry's, else the hull's)
  or open to Li at the electrode's potential (GrandPotentialInterfacialReactivity: both reactants already at
  their grand-potential hull, energies per non-Li atom). Each reactant's own decomposition energy at that
  potential is reported beside it.
- O2 is never a contact product: where a contact's minimum (open to Li or not) would give off O2, the contact is
  computed again over the table's condensed phases (O2 left out of its products and of its reactants' hulls), as
  pymatgen gives on the table without O2 (`Contact.left_out`). A charged layered oxide with a phosphate,
  carbonate, silicate or halide coating otherwise "reacts" to the M(II) salt and O2 (Li3PO4|NMC811 at 4.3 V to
  LiNiPO4 + O2), which such coatings do not do at room temperature: a charged oxide loses oxygen on heating or
  overcharge, and that loss is the cathode's own decomposition energy, reported beside the contact with O2
  included. Cl2 and F2 are left out the same way: a chloride keeps its chlorine. LiCl "oxidises" to Cl2 above
  4.1 V on the table, so next to a charged cathode Li6PS5Cl would leave Cl2 gas beside S and P2S5, yet XPS finds
  LiCl at the LiCoO2|Li6PS5Cl interface after cycling (review ref [33b]) and no chlorine evolution is reported.
- Carbonate carbon is not reduced at a contact: where a contact of a carbonate (and of no carbon or carbide) would
  form reduced carbon (C, LiC6, LiC12, LiC), it is computed again without those phases, the same way. On the whole
  table Li2CO3 "reacts" with Li metal to C + Li2O (-609 meV/atom) and with Li6PS5Cl to C + S (-106), and a
  Li3BO3-Li2CO3 coating turns into a carbon film, an electronic conductor; yet Li2CO3 persists on Li metal in every
  liquid-electrolyte SEI, and the C-O bonds of carbonate do not break at room temperature without a catalyst.
  Every other contact is pymatgen's on the whole table.
- What the SE forms at the interface (`Contact.interphase_products`) is read at the end of the mixing line next to
  the contact's first material, not at the minimum: only Li moves through an interphase (open to Li at the electrode
  potential), while a cathode's transition metal and oxygen stay where they are, so the SE decomposing into an
  interphase meets them only as the electrode's surface layer, in the SE's excess. At the minimum of
  Li6PS5Cl|LiCoO2 at 4.2 V the cathode is in excess (x = 0.41) and forms CoS2, CoSO4 and LiCoPO4; next to the SE it
  forms P2S5, S, LiCl, P2O5 and CoCl2, the S, P2Sx, POx and LiCl the records report (the gases left out, above).
  Closed, the SE stands there on the hull, as its window is computed, so that a metastable SE (Li6PS5Cl, 6 meV/atom
  above Li3PS4 + Li2S + LiCl) forms next to an inert coating nothing rather than its own decomposition.
  Li metal, mobile and without bound, is in excess wherever it meets, so its contacts keep the minimum. The energy,
  the mixing ratio and `products` stay the minimum's, pymatgen's and the Materials Project app's.
- A lithiated cathode below its own oxidation onset gives off no Li, and holds no more than its formula: where its
  contact with the SE or the coating would take Li up at such a potential (LiNbO3|NMC811 at 3.0 V to NiO + Li3NbO4),
  that is the cathode discharged beyond its formula, a conversion that does not run in a cell, so the interface
  meets that contact closed to Li (`ThermoEngine.at_electrode`). No SE|cathode contact of the materials table takes
  Li up; coating|cathode contacts below about 3.6 V do, and made a coated cathode less stable at 3.0 V than at 4.3 V.
The engine owns its caches: one engine, one table, every window and contact computed once."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pymatgen.core import Composition, Element

from degrade_ml.chemistry.elements import ANIONS, is_gas_at_room_temperature
from degrade_ml.chemistry.families import ANODE_MAX_POTENTIAL_V
from degrade_ml.chemistry.formulas import parse_formula, plain_formula
from degrade_ml.thermo.hull import Solution, grand_arrays, hull_energy, window_edge
from degrade_ml.thermo.mixing import MixingPrograms
from degrade_ml.thermo.product_classes import classes_of_phase_names
from degrade_ml.thermo.table import PhaseTable, load_phase_table

if TYPE_CHECKING:  # pymatgen's reaction module is loaded only where a reaction is written
    from pymatgen.analysis.reaction_calculator import BalancedReaction

REACTION_TOLERANCE_MEV = 1.0  # a contact whose minimum is shallower than this does not react
REACTION_COEFFICIENT_TOLERANCE = 1e-6  # a balanced coefficient this small is no term (pymatgen's Reaction.TOLERANCE)
LI_TAKEN_TOLERANCE = 1e-6  # Li per non-Li atom below which a contact's minimum is taken to exchange none
METASTABLE_OFFSET_EV = 0.001  # how far below the hull a metastable SE is placed to give it a window
FORMATION_TOLERANCE_EV = 1e-11  # pymatgen's PhaseDiagram.formation_energy_tol
# never contact products: a solid's lattice anion does not leave as gas at room temperature (module docstring)
GASES_LEFT_OUT = frozenset({"O2", "Cl2", "F2"})
CARBONATE_ANION = frozenset({"C", "O"})  # a material holding both is taken as a carbonate: its carbon is C(IV)
FIRST_SIDE_SHARE = 1e-3  # of the second material in a contact's first-side mixture: the limit x -> 1 (module docstring)
MEMO_ENTRIES = 50_000  # interfaces and their features kept per engine: above a screen chunk's 20,000 rows


class ThermoCoverageError(ValueError):
    """A composition with elements, or of a chemical system, the phase-energy table does not hold. An alloy whose
    system holds no compound stays covered, approximately: metals mix with little energy, so their elements place it
    within tens of meV/atom; an anion former with no compound to stand beside (C2F4 in C–F) would sit on its
    elements, hundreds of meV/atom above itself, and react as if it were F2 gas. So would an element the table binds
    to none of the formula's anions, whatever else the system holds: Li2ZrF6, where Li–Zr–F holds LiF but no Zr
    fluoride, sat on LiF, Zr and F2 and "reacted" with Li6PS5Cl by -1187 meV/atom, until the Zr fluorides were
    tabulated. And so would a formula whose hull holds one of its anions as free gas although each of its elements is
    bound to some anion: LiNbOCl4, with Nb bound to O but no Nb chloride or oxychloride, sat on LiCl, NbO and Cl2."""


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
class Material:
    """A formula as the table sees it: whether the table holds it (or an ordered approximant of it: 'complete') or
    places it on the hull of simpler phases ('approximate'), and what to tell the user about it."""

    formula: str
    composition: Composition
    coverage: str  # "complete": in the table, beside an approximant, or an element; "approximate": hull of simpler phases
    warning: str
    approximant: int | None = None  # the table row of the ordered cell it stands beside, if any

    @cached_property
    def symbols(self) -> frozenset[str]:
        return frozenset(str(el) for el in self.composition.elements)

    @cached_property
    def non_li_share(self) -> float:
        """The atomic fraction of its atoms other than Li (once per material: a screen meets each in many contacts)."""
        return 1 - self.composition.get_atomic_fraction(Element("Li"))

    @cached_property
    def li_per_other(self) -> float:
        """Li atoms per atom of anything else (0 for Li metal), for the Li a contact takes."""
        return (1 - self.non_li_share) / self.non_li_share if self.non_li_share > 0 else 0.0


@dataclass(frozen=True)
class Contact:
    """The reaction of two materials at its most negative point. `mixing_ratio` is the atomic fraction of `a` in
    the mixture there (pymatgen's convention); energies are meV per atom of the mixture, per non-Li atom when Li
    is open; `decomposition_energy_*` is each reactant's own decomposition energy at the same potential (≤ 0)."""

    a: str
    b: str
    potential_V: float | None
    reaction_energy_meV_atom: float
    mixing_ratio: float
    products: tuple[str, ...]
    product_classes: tuple[str, ...]
    decomposition_energy_a_meV_atom: float
    decomposition_energy_b_meV_atom: float
    coverage: str
    warnings: tuple[str, ...]
    product_amounts: tuple[tuple[str, float], ...] = field(default=(), repr=False)  # (phase, atoms) per atom mixed
    # phases left out of the computation, since on the whole table the contact formed them (module docstring)
    left_out: frozenset[str] = frozenset()
    # Li the reaction takes from the electrode per non-Li atom of the mixture: > 0 it reduces, < 0 it gives Li off
    li_taken: float = 0.0
    # the phases at the end of the mixing line next to `a` (a in excess: x -> 1), where an interphase growing into a
    # forms: what an interface's own products are read from (module docstring); () when nothing reacts
    interphase_products: tuple[str, ...] = ()
    interphase_classes: tuple[str, ...] = ()

    @property
    def reacts(self) -> bool:
        return self.reaction_energy_meV_atom < -REACTION_TOLERANCE_MEV

    @cached_property
    def reaction(self) -> str:
        """The balanced reaction at the minimum, balanced by pymatgen and written by `written_reaction` ('' when
        nothing reacts)."""
        if not self.reacts:
            return ""
        from pymatgen.analysis.reaction_calculator import Reaction, ReactionError

        reactants = [self.a, self.b]
        if self.potential_V is not None and "Li" not in {Composition(n).reduced_formula for n in reactants}:
            reactants.append("Li")
        try:
            balanced = Reaction([Composition(n) for n in reactants],
                                [Composition(name) for name, _ in self.product_amounts])
        except ReactionError:
            return " + ".join(f"{amount:.3g} {name}" for name, amount in self.product_amounts)
        return written_reaction(balanced, reactants)


def written_reaction(reaction: BalancedReaction, materials: list[str]) -> str:
    """A pymatgen reaction with each composition that is one of `materials` (per atom) written as the query wrote it,
    and every other one plainly (`plain_formula`), where pymatgen's own string writes Li1Mn0.1Co0.1Ni0.8O2 for NMC811
    and Li10Ge(PS6)2 for LGPS; coefficients as pymatgen writes them."""
    per_atom = [(name, Composition(name).fractional_composition) for name in materials]
    sides: tuple[list[str], list[str]] = ([], [])
    for amount, composition in zip(reaction.coeffs, reaction.all_comp):
        if abs(amount) <= REACTION_COEFFICIENT_TOLERANCE:
            continue
        fractions = composition.fractional_composition
        name = next((n for n, f in per_atom if f.almost_equals(fractions)), None) or plain_formula(composition)
        sides[int(amount > 0)].append(
            name if abs(abs(amount) - 1) <= REACTION_COEFFICIENT_TOLERANCE else f"{abs(amount):.4g} {name}")
    return f"{' + '.join(sides[0])} -> {' + '.join(sides[1])}"


_MISSING = object()  # a memoised value may be None


class ThermoEngine:
    """Windows, contacts and decompositions over one phase-energy table, each computed once."""

    def __init__(self, table: PhaseTable):
        self.table = table
        self.elements = frozenset(table.elements)
        self._li = table.element_index.get("Li")
        li_fractions = table.fractions[:, self._li] if self._li is not None else np.zeros(len(table.names))
        self._li_per_other = _li_per_other(li_fractions)  # of every phase, for the Li a contact takes
        li_rows = [i for i, name in enumerate(table.names) if name == "Li"]
        self.li_metal_energy = float(min(table.energy_per_atom[li_rows])) if li_rows else None
        references = np.array([table.energy_per_atom[table.phases_of(Composition(s))].min() for s in table.elements])
        self._formation_energies = table.energy_per_atom - table.fractions @ references
        self._masks: dict[frozenset[str], np.ndarray] = {}  # one per chemical system the table spans
        self._reduced_carbon = frozenset(name for name, composition in zip(table.names, table.compositions)
                                         if "C" in composition and "O" not in composition)
        self._programs = MixingPrograms(lambda key: self._system(*key)[1:])
        # keyed by formula or potential, which a batch of many distinct queries would grow without bound
        self._materials, self._windows = OrderedDict(), OrderedDict()
        self._grand, self._hulls, self._contacts = OrderedDict(), OrderedDict(), OrderedDict()
        self._reactants, self._decompositions = OrderedDict(), OrderedDict()
        self._memo: OrderedDict[tuple, object] = OrderedDict()

    @classmethod
    def from_table(cls, path: Path | None = None) -> ThermoEngine:
        return cls(load_phase_table(path))

    @property
    def table_sha256(self) -> str:
        return self.table.sha256

    def memoised(self, key: tuple, compute):
        """`compute()` once per key for this engine's table: what is built from windows and contacts (a whole
        interface, its features) is cached beside them, never in a process-global cache. The MEMO_ENTRIES most
        recently used are kept: a screen asks for each interface within one chunk of rows, and keeping every one of
        10⁶ distinct interfaces took 2.4 GiB."""
        return _recent(self._memo, key, compute)

    # --- materials -------------------------------------------------------------------------------------------

    def material(self, formula: str) -> Material:
        """The formula as the table sees it; ThermoCoverageError naming the elements the table lacks."""
        key = str(formula).strip()
        return _recent(self._materials, key, lambda: self._material(key))

    def _material(self, formula: str) -> Material:
        composition = parse_formula(formula)
        missing = sorted({str(el) for el in composition.elements} - self.elements, key=lambda s: Element(s).Z)
        if missing:
            raise ThermoCoverageError(
                f"{formula}: element(s) {', '.join(missing)} are outside the phase-energy table "
                f"(it covers {', '.join(sorted(self.elements, key=lambda s: Element(s).Z))})")
        if composition.is_element or len(self.table.phases_of(composition)):
            return Material(formula, composition, "complete", "")
        stand_in = self.table.approximant(composition)
        if stand_in is not None:  # kept as given (pymatgen's answer on the same table), beside its ordered cell
            approximant = self.table.compositions[stand_in].reduced_formula
            return Material(formula, composition, "complete",
                            f"{formula} is placed on the convex hull beside its approximant {approximant} in the phase-energy table",
                            stand_in)
        symbols = frozenset(str(el) for el in composition.elements)
        system = "–".join(sorted(symbols, key=lambda s: Element(s).Z))
        anions = symbols & ANIONS
        if anions and not self.table.compounds_within(symbols):
            raise ThermoCoverageError(
                f"{formula}: the {system} system holds no compound in the phase-energy table, so only its elements "
                "would place it, far above where a compound of them lies: the table lacks this chemistry")
        if anions and (unbound := self.table.unbound(symbols, anions)):
            raise ThermoCoverageError(
                f"{formula}: the phase-energy table holds no compound of {', '.join(unbound)} with "
                f"{' or '.join(sorted(anions))}, so its hull would hold {', '.join(unbound)} as an element beside "
                f"free {' and '.join(sorted(anions))}, far above where {formula} lies: the table lacks this chemistry")
        if anions and (gases := _elemental_gases(self._placement(composition))):
            raise ThermoCoverageError(
                f"{formula}: the phase-energy table would place it beside free {' and '.join(sorted(gases))} gas, "
                f"as no compound of the table binds all its "
                f"{' and '.join(sorted(str(Composition(gas).elements[0]) for gas in gases))} beside its other elements, "
                f"far above where {formula} lies: the table lacks this chemistry")
        if self.table.compounds_spanning(symbols):
            why = "placed on the convex hull (its energy is that of its equilibrium phases)"
        else:
            why = (f"the {system} system holds no compound of its own in the table, so its energy comes from "
                   "simpler phases only: an approximate answer")
        return Material(formula, composition, "approximate", f"{formula} is not in the phase-energy table: {why}")

    def _placement(self, composition: Composition) -> set[str]:
        """The phases of the closed hull at a composition: what the table places it on."""
        rows = self._system(frozenset(str(el) for el in composition.elements), None)[0]
        return self._formed(rows, self.hull(composition))

    def check_covered(self, formula: str) -> Composition:
        return self.material(formula).composition

    def placement_warning(self, formula: str) -> str:
        """Non-empty when a composition has no entry of its own (an approximant, or placed on the hull)."""
        return self.material(formula).warning

    def formation_energies(self) -> np.ndarray:
        """Formation energy per atom of every phase of the table, from its lowest-energy elements."""
        return self._formation_energies

    def li_chemical_potential(self, potential_V: float) -> float:
        """mu_Li = mu_Li(metal) - e*V: the Li reservoir of an electrode at `potential_V` vs Li/Li+."""
        return self.li_metal_energy - potential_V

    # --- hull energies -----------------------------------------------------------------------------------------

    def _mask(self, symbols: frozenset[str]) -> np.ndarray:
        if symbols not in self._masks:
            outside = [j for j, s in enumerate(self.table.elements) if s not in symbols]
            self._masks[symbols] = np.flatnonzero(self.table.fractions[:, outside].sum(axis=1) == 0)
        return self._masks[symbols]

    def _system(self, symbols: frozenset[str], potential_V: float | None, left_out: frozenset[str] = frozenset()):
        """(row indices, fractions, energies) of the phases of a system, closed or with Li open, without the phases
        named in `left_out` (those a contact would otherwise form, module docstring)."""
        return _recent(self._grand, (symbols, potential_V, left_out),
                       lambda: self._system_arrays(symbols, potential_V, left_out))

    def _system_arrays(self, symbols: frozenset[str], potential_V: float | None, left_out: frozenset[str]):
        rows = self._mask(symbols | ({"Li"} if potential_V is not None else frozenset()))
        if left_out:
            rows = rows[~np.isin(np.asarray(self.table.names)[rows], list(left_out))]
        fractions, energies = self.table.fractions[rows], self.table.energy_per_atom[rows]
        if potential_V is not None:
            kept, fractions, energies = grand_arrays(fractions, energies, self._li, self.li_chemical_potential(potential_V))
            rows = rows[kept]
        return rows, fractions, energies

    def _target(self, composition: Composition, open_li: bool) -> np.ndarray:
        vector = self.table.vector(composition)
        if open_li:
            vector[self._li] = 0.0
            vector /= vector.sum()
        return vector

    def hull(self, composition: Composition, potential_V: float | None = None,
             left_out: frozenset[str] = frozenset()) -> Solution:
        """Hull energy per atom (closed) or grand hull energy per non-Li atom (Li open at the potential), without
        the phases named in `left_out`."""
        symbols = frozenset(str(el) for el in composition.elements) - ({"Li"} if potential_V is not None else set())
        def compute() -> Solution:
            _, fractions, energies = self._system(symbols, potential_V, left_out)
            return hull_energy(fractions, energies, self._target(composition, potential_V is not None))

        return _recent(self._hulls, (composition.reduced_formula, potential_V, left_out), compute)

    def entry_energy(self, composition: Composition) -> float:
        """pymatgen's reactant energy without use_hull_energy: the lowest entry of the composition when its formation
        energy is negative (or it is an element), else the hull energy; eV/atom."""
        own = self.table.phases_of(composition)
        if len(own):
            energy = float(self.table.energy_per_atom[own].min())
            if composition.is_element or self._formation_energies[own].min() < -FORMATION_TOLERANCE_EV:
                return energy
        return self.hull(composition).value

    def grand_potential(self, composition: Composition, potential_V: float) -> float:
        """The intact material at the potential (its closed hull energy, as pymatgen's use_hull_energy default),
        eV per non-Li atom."""
        li_fraction = composition.get_atomic_fraction(Element("Li"))
        energy = self.hull(composition).value
        return (energy - self.li_chemical_potential(potential_V) * li_fraction) / (1 - li_fraction)

    def decomposition_energy(self, formula: str, potential_V: float | None) -> float:
        """A material's own decomposition energy at the potential (closed: minus its energy above the hull),
        meV/atom (per non-Li atom when Li is open), ≤ 0; once per material and potential."""
        return _recent(self._decompositions, (formula, potential_V),
                       lambda: self._decomposition_energy(self.material(formula).composition, potential_V))

    def _decomposition_energy(self, composition: Composition, potential_V: float | None) -> float:
        if potential_V is None or composition.reduced_formula == "Li":
            return _mev(self.hull(composition).value - self.entry_energy(composition))
        if composition.get_atomic_fraction(Element("Li")) >= 1:
            return 0.0
        return _mev(self.hull(composition, potential_V).value - self.grand_potential(composition, potential_V))

    def decomposition_at(self, formula: str, potential_V: float, without_gases: bool = False) -> tuple[str, ...]:
        """Phases a material turns into at a fixed Li potential (itself when it is stable there): those of its
        decomposition energy, or (`without_gases`) those of an interphase, which keeps the gases a contact does not
        form (`_LEFT_OUT_NOTES`) in the solid: Li6PS5Cl beyond LiCl's oxidation limit keeps its chloride as LiCl, as
        its contacts do, rather than giving off Cl2."""
        composition = self.material(formula).composition
        if composition.reduced_formula == "Li":
            return ("Li",)
        symbols = frozenset(str(el) for el in composition.elements) - {"Li"}

        def solve(left_out: frozenset[str]) -> tuple[np.ndarray, Solution]:
            return self._system(symbols, potential_V, left_out)[0], self.hull(composition, potential_V, left_out)

        def gases(rows: np.ndarray, solution: Solution) -> frozenset[str]:
            return _gases_not_reacting(self._formed(rows, solution), (composition,)) if without_gases else frozenset()

        _, rows, solution, _ = _leaving_out(solve, gases, frozenset())
        return tuple(sorted(self._formed(rows, solution)))

    # --- windows ------------------------------------------------------------------------------------------------

    def window(self, formula: str) -> Window:
        key = str(formula).strip()
        return _recent(self._windows, key, lambda: self._window(key))

    def _window(self, formula: str) -> Window:
        material = self.material(formula)
        composition = material.composition
        warnings = [material.warning] if material.warning else []
        if material.approximant is not None:  # a hair off its ordered cell it would decompose at once: take the cell's
            composition = self.table.compositions[material.approximant]
            warnings = [f"{formula}: the window of its approximant {composition.reduced_formula} in the phase-energy "
                        "table"]
        if len(material.symbols) == 1:  # an element is its own hull: nothing else in the table makes it
            return Window(formula, None, None, (), (), (), (), 0.0,
                          (*warnings, f"{formula} is an element: no Li window"))
        symbols = material.symbols | {"Li"}
        rows = self._mask(symbols)
        own = np.isin(rows, self.table.phases_of(composition))
        others = rows[~own]
        target = self.table.vector(composition)
        hull = hull_energy(self.table.fractions[others], self.table.energy_per_atom[others], target).value
        own_energy = float(self.table.energy_per_atom[rows[own]].min()) if own.any() else None
        above = max(0.0, (own_energy - hull) * 1000) if own_energy is not None else 0.0
        if own_energy is not None and own_energy < hull:
            energy = own_energy
        else:
            energy = hull - METASTABLE_OFFSET_EV
            if own_energy is not None and above > 0.5:
                warnings.append(f"{formula} lies {above:.0f} meV/atom above the hull; its window is computed as if it were stable")
        if "Li" not in material.symbols:
            return Window(formula, None, None, (), (), (), (), round(above, 1), (*warnings, f"{formula} has no Li: no Li window"))
        fractions, energies = self.table.fractions[others], self.table.energy_per_atom[others]
        edges = {side: window_edge(fractions, energies, self._li, target, energy, self.li_metal_energy, side)
                 for side in ("reduction", "oxidation")}
        phases = {side: tuple(sorted({self.table.names[others[i]] for i in edge.support()} - {"Li", composition.reduced_formula}))
                  for side, edge in edges.items()}
        reactants = (composition,)
        return Window(
            formula=formula,
            reduction_limit_V=round(max(edges["reduction"].value, 0.0), 3),
            oxidation_limit_V=round(edges["oxidation"].value, 3),
            reduction_products=phases["reduction"],
            oxidation_products=phases["oxidation"],
            reduction_classes=classes_of_phase_names(phases["reduction"], reactants),
            oxidation_classes=classes_of_phase_names(phases["oxidation"], reactants),
            energy_above_hull_meV=round(above, 1),
            warnings=tuple(warnings),
        )

    # --- contacts -----------------------------------------------------------------------------------------------

    def contact(self, a: str, b: str, potential_V: float | None) -> Contact:
        """Chemical contact when `potential_V` is None or one side is Li metal; otherwise Li is open at the potential."""
        key = (str(a).strip(), str(b).strip(), None if potential_V is None else round(float(potential_V), 4))
        return _recent(self._contacts, key, lambda: self._contact(*key))

    def _contact(self, a: str, b: str, potential_V: float | None) -> Contact:
        first, second = self.material(a), self.material(b)
        li_metal_side = "Li" in (first.composition.reduced_formula, second.composition.reduced_formula)
        open_li = potential_V is not None and not li_metal_side
        used_potential = potential_V if open_li else (0.0 if li_metal_side else None)
        at = potential_V if open_li else None
        symbols = (first.symbols | second.symbols) - ({"Li"} if open_li else set())
        left_out, rows, solution, steps = _leaving_out(
            lambda phases: self._minimum(first, second, symbols, at, phases),
            lambda rows, solution: self._not_formed(rows, solution, first, second), frozenset())
        where = f" at {at:g} V" if open_li else ""
        notes = []
        for before, more, before_solution in steps:
            table = f"without {', '.join(sorted(before))}" if before else "on the whole table"
            notes += [f"{a} | {b}{where} {what} {table} ({_mev(before_solution.value):.0f} meV/atom): {why}"
                      for phase, (what, why) in _LEFT_OUT_NOTES.items() if phase in more]
        c1, c2 = first.composition, second.composition
        energy = _mev(solution.value)
        energy = energy if energy < -1e-6 else 0.0  # no -0.0 from round-off
        x = solution.mixing_fraction
        reacts = energy < -REACTION_TOLERANCE_MEV
        li_taken = self._li_taken(rows, solution, first, second) if open_li and reacts else 0.0
        if open_li:  # pymatgen reports x on the line of the full compositions, Li included
            share1, share2 = first.non_li_share, second.non_li_share
            x = x * share2 / ((1 - x) * share1 + x * share2) if share1 > 0 and share2 > 0 else x
        amounts: dict[str, float] = {}
        if reacts:
            for i in solution.support():
                name = self.table.names[rows[i]]
                amounts[name] = amounts.get(name, 0.0) + float(solution.amounts[i])
        products = tuple(sorted(set(amounts) - {c1.reduced_formula, c2.reduced_formula, "Li"}))
        interphase = products  # Li metal, mobile and without bound, is in excess wherever it meets: its minimum
        if reacts and not li_metal_side:
            interphase = self._first_side(first, second, symbols, at, left_out)
        return Contact(
            a=a, b=b, potential_V=used_potential,
            reaction_energy_meV_atom=energy,
            mixing_ratio=float(x),
            products=products,
            product_classes=classes_of_phase_names(products, (c1, c2)),
            decomposition_energy_a_meV_atom=self.decomposition_energy(a, at),
            decomposition_energy_b_meV_atom=self.decomposition_energy(b, at),
            coverage="complete" if first.coverage == second.coverage == "complete" else "approximate",
            warnings=tuple(w for w in (first.warning, second.warning, *notes) if w),
            product_amounts=tuple(sorted(amounts.items())),
            left_out=left_out,
            li_taken=li_taken,
            interphase_products=interphase,
            interphase_classes=classes_of_phase_names(interphase, (c1, c2)),
        )

    def _first_side(self, first: Material, second: Material, symbols: frozenset[str], potential_V: float | None,
                    left_out: frozenset[str]) -> tuple[str, ...]:
        """The products of a mixture of `first` with FIRST_SIDE_SHARE of `second` (per non-Li atom when Li is open):
        the facet of the hull at the mixing line's end next to `first`, without the gases a contact does not form."""
        open_li = potential_V is not None
        own = self._target(first.composition, open_li)
        target = (1 - FIRST_SIDE_SHARE) * own + FIRST_SIDE_SHARE * self._target(second.composition, open_li)
        reactants = (first.composition, second.composition)

        def solve(phases: frozenset[str]) -> tuple[np.ndarray, Solution]:
            rows, fractions, energies = self._system(symbols, potential_V, phases)
            if not open_li:  # closed, the first material stands on the hull, as its window is computed: a metastable
                # SE (Li6PS5Cl, 6 meV/atom above Li3PS4 + Li2S + LiCl) forms only what the contact makes it form
                stable = self.hull(first.composition, None, phases).value - METASTABLE_OFFSET_EV
                fractions, energies = np.vstack([fractions, own]), np.append(energies, stable)
            return rows, hull_energy(fractions, energies, target)

        def formed(rows: np.ndarray, solution: Solution) -> set[str]:  # beyond `rows`: the first material itself
            return self._formed(rows, solution, beyond=first.composition.reduced_formula)

        def gases(rows: np.ndarray, solution: Solution) -> frozenset[str]:
            return _gases_not_reacting(formed(rows, solution), reactants)

        try:
            _, rows, solution, _ = _leaving_out(solve, gases, left_out)
        except ArithmeticError:  # only a phase the minimum left out would hold an excess next to it: a safeguard, as
            # material() refuses a formula placed beside a gas (Li3S2Cl5O6, which met LiCoO2 here)
            _, rows, solution, _ = _leaving_out(solve, gases, frozenset())
        return tuple(sorted(formed(rows, solution) - {c.reduced_formula for c in reactants} - {"Li"}))

    def _formed(self, rows: np.ndarray, solution: Solution, beyond: str = "") -> set[str]:
        """The phases a solution of the system `rows` holds; `beyond` names a phase appended after `rows`."""
        return {self.table.names[rows[i]] if i < len(rows) else beyond for i in solution.support()}

    def at_electrode(self, contact: Contact) -> Contact:
        """The contact as the interface meets it, `contact.b` being the electrode: itself, or closed to Li where the
        electrode is a lithiated cathode below its own oxidation onset and the open minimum would take Li up
        (module docstring), with a warning giving the open energy."""
        potential = contact.potential_V
        if (potential is None or potential < ANODE_MAX_POTENTIAL_V or contact.li_taken <= LI_TAKEN_TOLERANCE
                or not contact.reacts or "Li" not in self.material(contact.b).symbols):
            return contact
        onset = self.window(contact.b).oxidation_limit_V
        if onset is None or potential >= onset:
            return contact
        closed = self.contact(contact.a, contact.b, None)
        note = (f"{contact.a} | {contact.b} at {potential:g} V would take up Li "
                f"({contact.reaction_energy_meV_atom:.0f} meV/atom open to Li): below its oxidation onset "
                f"({onset:.2f} V) the cathode gives off no Li and holds no more than its formula, so the contact is "
                "computed closed to Li")
        return replace(closed, warnings=(*closed.warnings, note),  # each reactant's own at the potential, as before
                       decomposition_energy_a_meV_atom=contact.decomposition_energy_a_meV_atom,
                       decomposition_energy_b_meV_atom=contact.decomposition_energy_b_meV_atom)

    def at_rest(self, coating: str, cathode: str) -> Contact:
        """A coating and a cathode as made: their contact closed to Li, which every charge passes through on its way
        to the cut-off (`at_electrode` answers it below the cathode's onset). Asked of this engine, as `at_electrode`
        asks its closed contacts, so that an engine answering contacts computed elsewhere hands it on here."""
        return self.contact(coating, cathode, None)

    def _li_taken(self, rows: np.ndarray, solution: Solution, first: Material, second: Material) -> float:
        """Li in the products less Li in the reactants, per non-Li atom of the mixture (the open program's units:
        its amounts and mixing fraction count non-Li atoms)."""
        x, support = solution.mixing_fraction, solution.support()
        given = x * first.li_per_other + (1 - x) * second.li_per_other
        return float(solution.amounts[support] @ self._li_per_other[rows[support]]) - given

    def _not_formed(self, rows: np.ndarray, solution: Solution, first: Material, second: Material) -> frozenset[str]:
        """The phases to leave out of a contact whose minimum forms them (module docstring): O2, Cl2 and F2, unless a
        reactant is that gas; reduced carbon, where carbon comes only from carbonate."""
        if _mev(solution.value) >= -REACTION_TOLERANCE_MEV:
            return frozenset()
        formed = self._formed(rows, solution)
        reactants = (first.composition, second.composition)
        left_out = set(_gases_not_reacting(formed, reactants))
        carbon_sources = [c for c in reactants if "C" in c]
        if formed & self._reduced_carbon and all(CARBONATE_ANION <= set(map(str, c)) for c in carbon_sources):
            left_out |= self._reduced_carbon
        return frozenset(left_out)

    def _minimum(self, first: Material, second: Material, symbols: frozenset[str], potential_V: float | None,
                 left_out: frozenset[str]) -> tuple[np.ndarray, Solution]:
        """The system's row indices and the mixing program's optimum, over every phase but those left out (the
        reactants' hulls too: once Li is open, Li2O stands for pure O where O2 is left out)."""
        rows = self._system(symbols, potential_V, left_out)[0]
        (t1, e1), (t2, e2) = (self._reactant(m, potential_V, left_out) for m in (first, second))
        return rows, self._programs.get((symbols, potential_V, left_out)).minimum(t1, t2, e1, e2)

    def _reactant(self, material: Material, potential_V: float | None,
                  left_out: frozenset[str]) -> tuple[np.ndarray, float]:
        """A reactant's atomic fractions and energy on the mixing line (per non-Li atom at its grand hull when Li is
        open at `potential_V`, else pymatgen's reactant energy), once per material, potential and phase set."""
        def compute() -> tuple[np.ndarray, float]:
            open_li = potential_V is not None
            energy = (self.hull(material.composition, potential_V, left_out).value if open_li
                      else self.entry_energy(material.composition))
            return self._target(material.composition, open_li), energy

        return _recent(self._reactants, (material.formula, potential_V, left_out), compute)


_LEFT_OUT_NOTES = {  # a phase of each rule of `ThermoEngine._not_formed`: what the contact did, and what is done
    "O2": ("gives off O2", "computed over the condensed phases, since a contact keeps its lattice oxygen"),
    "Cl2": ("gives off Cl2", "computed without Cl2, since a contact keeps its chloride (LiCl persists)"),
    "F2": ("gives off F2", "computed without F2, since a contact keeps its fluoride"),
    "C": ("reduces carbonate to carbon",
          "computed without reduced carbon, since carbonate is not reduced at a room-temperature contact"),
}


def _elemental_gases(phases: set[str]) -> set[str]:
    """The phases that are an element gaseous at room temperature (O2, N2, F2, Cl2)."""
    return {phase for phase in phases if (composition := Composition(phase)).is_element
            and is_gas_at_room_temperature(str(composition.elements[0]))}


def _leaving_out(solve, not_formed, left_out: frozenset[str]):
    """`solve(phases left out)` -> (rows, solution), solved again without the phases `not_formed(rows, solution)`
    names until it forms none of them, each set left out once, or until leaving one out leaves nothing to hold an
    element's excess (an infeasible program: Li3S2PGeCl4, with more Cl than Li, formed Cl2 before material() refused
    a formula placed beside a gas; kept as a safeguard). The phases left out,
    the last rows and solution, and each step taken as (left out before it, what it left out, solution before it)."""
    rows, solution = solve(left_out)
    steps = []
    while more := not_formed(rows, solution) - left_out:
        try:
            fewer_rows, fewer_solution = solve(left_out | more)
        except ArithmeticError:
            break
        steps.append((left_out, more, solution))
        left_out, rows, solution = left_out | more, fewer_rows, fewer_solution
    return left_out, rows, solution, steps


def _gases_not_reacting(phases, reactants: tuple[Composition, ...]) -> frozenset[str]:
    """The gases among `phases` that a contact does not form: each but one that is itself a reactant."""
    return frozenset(phases) & GASES_LEFT_OUT - {c.reduced_formula for c in reactants}


def _recent(values: OrderedDict, key, compute):
    """`values[key]`, computed once while it is among the MEMO_ENTRIES most recently used keys of `values`."""
    value = values.get(key, _MISSING)
    if value is not _MISSING:
        values.move_to_end(key)
        return value
    value = values[key] = compute()
    while len(values) > MEMO_ENTRIES:
        values.popitem(last=False)
    return value


def _li_per_other(li_fractions: np.ndarray) -> np.ndarray:
    """Li atoms per non-Li atom of each phase from its Li atomic fraction; 0 for Li metal."""
    return np.divide(li_fractions, 1 - li_fractions, out=np.zeros_like(li_fractions), where=li_fractions < 1)


def _mev(value_eV: float) -> float:
    """meV to 1e-4 meV (1e-7 eV, ten times finer than the agreement with pymatgen the tests hold it to): the solver's
    last digits are noise, and a column reads -428.406, not -428.40599999999984."""
    return round(float(value_eV) * 1000, 4)


@lru_cache(maxsize=1)
def default_engine() -> ThermoEngine:
    return ThermoEngine.from_table()
