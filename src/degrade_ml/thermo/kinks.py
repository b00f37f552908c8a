"""The whole reaction-energy curve of a contact, kink by kink, from pymatgen's InterfacialReactivity on the same
table: what the Materials Project app plots. Only plots and `react --json` need it, so pymatgen's phase-diagram
module (which imports matplotlib and plotly) is loaded here and never on the prediction path."""

from __future__ import annotations

from dataclasses import dataclass

from degrade_ml.thermo.engine import Contact, ThermoEngine, written_reaction
from degrade_ml.thermo.table import pd_entries


LEFT_OUT_PENALTY_EV = 10.0  # far above any reaction energy: a left-out element is never a product


@dataclass(frozen=True)
class Kink:
    mixing_ratio: float  # atomic fraction of the contact's first material
    energy_meV_atom: float
    reaction: str


def reactivity(engine: ThermoEngine, contact: Contact):
    """pymatgen's (Grand)InterfacialReactivity for a contact, with its defaults, on the entries the engine used (the
    phases the contact leaves out, `Contact.left_out`): the reference implementation."""
    from pymatgen.analysis.interface_reactions import GrandPotentialInterfacialReactivity, InterfacialReactivity
    from pymatgen.core import Element

    first, second = engine.material(contact.a), engine.material(contact.b)
    symbols = first.symbols | second.symbols
    open_li = contact.potential_V is not None and "Li" not in (first.composition.reduced_formula, second.composition.reduced_formula)
    if not open_li:
        return InterfacialReactivity(first.composition, second.composition,
                                     _diagram(engine, symbols, contact.left_out), norm=True)
    from pymatgen.analysis.phase_diagram import GrandPotentialPhaseDiagram

    symbols = symbols | {"Li"}
    grand = GrandPotentialPhaseDiagram(_entries(engine, symbols, contact.left_out),
                                       {Element("Li"): engine.li_chemical_potential(contact.potential_V)})
    return GrandPotentialInterfacialReactivity(first.composition, second.composition, grand,
                                               _diagram(engine, symbols, contact.left_out), norm=True)


def contact_kinks(engine: ThermoEngine, contact: Contact) -> tuple[Kink, ...]:
    """Every kink of the contact's reaction-energy curve, from x = 0 to x = 1."""
    kinks = reactivity(engine, contact).get_kinks()
    materials = [contact.a, contact.b, "Li"]
    return tuple(sorted((Kink(round(float(x), 4), round(float(energy) * 1000, 2), written_reaction(reaction, materials))
                         for _, x, energy, reaction, _ in kinks), key=lambda k: k.mixing_ratio))


def without(entries: list, left_out: frozenset[str]) -> list:
    """The entries a contact reacts over when it leaves phases out (`Contact.left_out`): without them; an element
    among them pymatgen still needs as a terminal, so it stands there LEFT_OUT_PENALTY_EV per atom above its own energy,
    where no hull of the contact can use it."""
    from pymatgen.analysis.phase_diagram import PDEntry

    kept = [e for e in entries if e.name not in left_out]
    placeholders = [PDEntry(e.composition, (e.energy_per_atom + LEFT_OUT_PENALTY_EV) * e.composition.num_atoms,
                            name=f"{e.name} (left out)")
                    for e in entries if e.name in left_out and e.composition.is_element]
    return kept + placeholders


def _entries(engine: ThermoEngine, symbols: frozenset[str], left_out: frozenset[str] = frozenset()) -> list:
    every = engine.memoised(("pymatgen entries",), lambda: pd_entries(engine.table))
    entries = [e for e in every if {str(el) for el in e.composition.elements} <= symbols]
    return without(entries, left_out)


def _diagram(engine: ThermoEngine, symbols: frozenset[str], left_out: frozenset[str] = frozenset()):
    """pymatgen's PhaseDiagram of a system, built once per engine (the reference is slow to build)."""
    from pymatgen.analysis.phase_diagram import PhaseDiagram

    return engine.memoised(("pymatgen diagram", symbols, left_out),
                           lambda: PhaseDiagram(_entries(engine, symbols, left_out)))
