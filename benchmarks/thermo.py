"""Interface reaction minima: degrade-ml's engine (one linear program per pair, HiGHS) against pymatgen's
InterfacialReactivity used the plain way (phase diagrams built for every pair), in one run.

    .venv/bin/python benchmarks/thermo.py [--pairs 2000] [--reference-pairs 200]

Prints the engine's time per pair over all distinct pairs (a fresh engine, which keeps what a screen keeps too:
the reactants' own hull energies, one loaded program per chemical system and the optimal bases of earlier pairs,
thermo/mixing.py), pymatgen's time per pair over a seeded sample,
the speed-up, and whether both give the same minimum (within 1e-6 eV/atom), mixing ratio and products. The pairs
are SE composition variants (argyrodite halide ratios, LGPS-type, thiophosphates) against cathode variants
(NMC/NCA compositions, LCO, LMO, LNMO, LFP) with Li open at 4.0 V (pymatgen's defaults,
GrandPotentialInterfacialReactivity with include_no_mixing_energy=False), on the entries the engine used (the
entries without the phases a contact leaves out, `thermo.kinks.without`, for a contact that would give off O2
or reduce carbonate to carbon).
"""

from __future__ import annotations

import argparse
import random
import time
import warnings

from pymatgen.analysis.interface_reactions import GrandPotentialInterfacialReactivity
from pymatgen.analysis.phase_diagram import GrandPotentialPhaseDiagram, PhaseDiagram
from pymatgen.core import Composition, Element

from degrade_ml.thermo.engine import ThermoEngine
from degrade_ml.thermo.kinks import without
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


def plain_pymatgen(entries, a: str, b: str, left_out: frozenset[str]) -> tuple[float, float, set[str]]:
    """What a script using pymatgen directly does for one pair: build the diagrams, then the reactivity."""
    ca, cb = Composition(a), Composition(b)
    elements = {str(el) for el in (ca + cb).elements} | {"Li"}
    chosen = [e for e in entries if {str(el) for el in e.composition.elements} <= elements]
    chosen = without(chosen, left_out)
    diagram = PhaseDiagram(chosen)
    mu = min(e.energy_per_atom for e in chosen if e.composition.reduced_formula == "Li") - POTENTIAL_V
    grand = GrandPotentialPhaseDiagram(chosen, {Element("Li"): mu})
    kinks = GrandPotentialInterfacialReactivity(ca, cb, grand, diagram, norm=True).get_kinks()
    deepest = min(kinks, key=lambda k: k[2])
    products = {c.reduced_formula for c in deepest[3].products} - {ca.reduced_formula, cb.reduced_formula, "Li"}
    return min(float(deepest[2]) * 1000, 0.0), float(deepest[1]), products if deepest[2] * 1000 < -1 else set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--reference-pairs", type=int, default=200)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    entries = load_entries()
    chosen = pairs(args.pairs)
    engine = ThermoEngine.from_table()

    start = time.perf_counter()
    ours = {(a, b): engine.contact(a, b, POTENTIAL_V) for a, b in chosen}
    per_pair = (time.perf_counter() - start) / len(chosen)

    sample = random.Random(1).sample(chosen, min(args.reference_pairs, len(chosen)))
    start = time.perf_counter()
    reference = {(a, b): plain_pymatgen(entries, a, b, ours[(a, b)].left_out) for a, b in sample}
    plain_per_pair = (time.perf_counter() - start) / len(sample)

    energy_ok = sum(abs(ours[p].reaction_energy_meV_atom - reference[p][0]) <= 1e-3 for p in sample)
    ratio_ok = sum(abs(ours[p].mixing_ratio - reference[p][1]) <= 2e-4 or not ours[p].reacts for p in sample)
    products_ok = sum(reference[p][2] == set(ours[p].products) for p in sample)
    print(f"pairs: {len(chosen)} distinct ({len(solid_electrolytes())} SEs x {len(cathodes())} cathodes, Li open at "
          f"{POTENTIAL_V} V); {len(entries)} phases in the table")
    print(f"engine (linear programs): {per_pair * 1000:.2f} ms/pair over {len(chosen)} pairs")
    print(f"plain pymatgen InterfacialReactivity, diagrams per pair: {plain_per_pair * 1000:.1f} ms/pair over {len(sample)} sampled pairs")
    print(f"speed-up: {plain_per_pair / per_pair:.1f}x")
    print(f"same minimum within 1e-6 eV/atom: {energy_ok}/{len(sample)}; same mixing ratio: {ratio_ok}/{len(sample)}; "
          f"same products: {products_ok}/{len(sample)}")


if __name__ == "__main__":
    main()
