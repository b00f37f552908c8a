"""Interface reaction descriptors: degrade-ml's engine (phase diagrams cached per chemical system, contacts per
pair) against pymatgen's InterfacialReactivity used the plain way (a phase diagram built for every pair).

    .venv/bin/python benchmarks/thermo.py [--pairs 2000] [--reference-pairs 200]

Prints the time to build the phase diagrams, the engine's time per pair over all pairs, the plain route's time per
pair over a seeded sample of them, the speed-up, and whether both give the same E_min (within 1 meV/atom; the
engine's `mixing_energy_meV_atom`, the quantity pymatgen reports) and the engine's products include pymatgen's (the
engine also reports where the SE meets the electrode, and its own decomposition beyond the window). The pairs are SE composition variants (argyrodite halide ratios, LGPS-type, thiophosphates)
against cathode variants (NMC/NCA compositions, LCO, LMO, LNMO, LFP) with Li open at 4.0 V.
"""

from __future__ import annotations

import argparse
import random
import time

from pymatgen.analysis.interface_reactions import GrandPotentialInterfacialReactivity
from pymatgen.analysis.phase_diagram import GrandPotentialPhaseDiagram, PhaseDiagram
from pymatgen.core import Composition, Element

from degrade_ml.thermo.engine import ThermoEngine
from degrade_ml.thermo.table import load_entries

POTENTIAL_V = 4.0


def solid_electrolytes() -> list[str]:
    ses = ["Li6PS5Cl", "Li6PS5Br", "Li6PS5I", "Li10GeP2S12", "Li10SnP2S12", "Li3PS4", "Li7P3S11", "Li7PS6", "Li4P2S6"]
    ses += [f"Li6PS5Cl{x:.2g}Br{1 - x:.2g}" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]
    ses += [f"Li{6 - x:.2g}PS{5 - x:.2g}Cl{1 + x:.2g}" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6)]
    ses += [f"Li10Ge{1 - x:.2g}Sn{x:.2g}P2S12" for x in (0.2, 0.4, 0.6, 0.8)]
    ses += [f"Li{3 + x:.2g}P{1 - x:.2g}Ge{x:.2g}S4" for x in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)]
    ses += [f"Li{3 + x:.2g}P{1 - x:.2g}Si{x:.2g}S4" for x in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)]
    ses += [f"Li{7 - x:.2g}P{3 - x:.2g}S{11 - 4 * x:.3g}" for x in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)]
    return ses


def cathodes() -> list[str]:
    cathodes = ["LiCoO2", "LiMn2O4", "LiNi0.5Mn1.5O4", "LiNiO2", "LiFePO4"]
    cathodes += [f"LiNi{a / 100:.3g}Mn{b / 100:.3g}Co{(100 - a - b) / 100:.3g}O2"
                 for a in range(30, 91, 4) for b in (5, 10, 20) if a + b < 100]
    cathodes += [f"LiNi{a / 100:.3g}Co{b / 100:.3g}Al{(100 - a - b) / 100:.3g}O2" for a in (80, 84, 88, 92) for b in (3, 5, 7)]
    return cathodes


def pairs(count: int) -> list[tuple[str, str]]:
    every = [(se, cathode) for se in solid_electrolytes() for cathode in cathodes()]
    if len(every) < count:
        raise SystemExit(f"only {len(every)} distinct pairs defined, asked for {count}")
    return random.Random(0).sample(every, count)


def plain_pymatgen(entries, a: str, b: str) -> tuple[float, set[str]]:
    """What a script using pymatgen directly does for one pair: build the diagrams, then the reactivity."""
    ca, cb = Composition(a), Composition(b)
    elements = {str(el) for el in (ca + cb).elements} | {"Li"}
    chosen = [e for e in entries if {str(el) for el in e.composition.elements} <= elements]
    diagram = PhaseDiagram(chosen)
    mu = min(e.energy_per_atom for e in chosen if e.composition.reduced_formula == "Li") - POTENTIAL_V
    grand = GrandPotentialPhaseDiagram(chosen, {Element("Li"): mu})
    reactivity = GrandPotentialInterfacialReactivity(ca, cb, grand, diagram, norm=True, use_hull_energy=True)
    kinks = reactivity.get_kinks()
    deepest = min(kinks, key=lambda k: k[2])
    products = {c.reduced_formula for c in deepest[3].products} - {ca.reduced_formula, cb.reduced_formula, "Li"}
    return min(float(deepest[2]) * 1000, 0.0), products if deepest[2] * 1000 < -1 else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--reference-pairs", type=int, default=200)
    args = parser.parse_args()
    entries = load_entries()
    chosen = pairs(args.pairs)
    engine = ThermoEngine(entries)

    systems = {frozenset({str(el) for el in (Composition(a) + Composition(b)).elements} | {"Li"}) for a, b in chosen}
    start = time.perf_counter()
    for elements in systems:
        engine.grand_diagram(elements, POTENTIAL_V)
        engine.diagram(elements)
    build = time.perf_counter() - start

    start = time.perf_counter()
    ours = {(a, b): engine.contact(a, b, POTENTIAL_V) for a, b in chosen}
    per_pair = (time.perf_counter() - start) / len(chosen)

    sample = random.Random(1).sample(chosen, min(args.reference_pairs, len(chosen)))
    start = time.perf_counter()
    reference = {(a, b): plain_pymatgen(entries, a, b) for a, b in sample}
    plain_per_pair = (time.perf_counter() - start) / len(sample)

    energy_ok = sum(abs(ours[p].mixing_energy_meV_atom - reference[p][0]) <= 1.0 for p in sample)
    products_ok = sum(reference[p][1] == set(ours[p].mixing_products) for p in sample)
    print(f"pairs: {len(chosen)} distinct ({len(solid_electrolytes())} SEs x {len(cathodes())} cathodes, Li open at {POTENTIAL_V} V); "
          f"{len(systems)} chemical systems, {len(entries)} phases in the table")
    print(f"phase diagrams (closed + grand) for every system: {build:.2f} s")
    print(f"engine, diagrams cached: {per_pair * 1000:.2f} ms/pair over {len(chosen)} pairs "
          f"(+ diagram build: {(build / len(chosen) + per_pair) * 1000:.2f} ms/pair)")
    print(f"plain InterfacialReactivity, diagram per pair: {plain_per_pair * 1000:.1f} ms/pair over {len(sample)} sampled pairs")
    print(f"speed-up: {plain_per_pair / per_pair:.0f}x cached, {plain_per_pair / (per_pair + build / len(chosen)):.1f}x including the diagram build")
    print(f"same E_min within 1 meV/atom: {energy_ok}/{len(sample)}; same products at that minimum: {products_ok}/{len(sample)}")


if __name__ == "__main__":
    main()
