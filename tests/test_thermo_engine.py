"""The linear-program engine against pymatgen, its reference: the same reaction minimum, mixing ratio and products
as InterfacialReactivity / GrandPotentialInterfacialReactivity (pymatgen's defaults) on the same table, and the
same windows as PhaseDiagram.get_element_profile."""

from __future__ import annotations

import random
import warnings
from dataclasses import replace

import pytest
from pymatgen.analysis.interface_reactions import InterfacialReactivity
from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
from pymatgen.core import Composition, Element

from degrade_ml.thermo.engine import (
    GASES_LEFT_OUT,
    METASTABLE_OFFSET_EV,
    ThermoCoverageError,
    ThermoEngine,
    _leaving_out,
)
from degrade_ml.thermo.kinks import contact_kinks, reactivity
from degrade_ml.thermo.stack import se_decomposition
from degrade_ml.thermo.table import load_entries

pytestmark = pytest.mark.xdist_group("test_thermo_engine")  # its module fixtures built once, on one worker

POTENTIALS = (None, 0.3, 1.0, 2.0, 3.0, 3.8, 4.3, 5.0)


@pytest.fixture(scope="module")
def engine() -> ThermoEngine:
    return ThermoEngine.from_table()


def _random_pairs(engine: ThermoEngine, count: int, seed: int = 7):
    names = sorted(set(engine.table.names))
    rng = random.Random(seed)
    for _ in range(count):
        a, b = rng.sample(names, 2)
        yield a, b, (None if "Li" in (a, b) else rng.choice(POTENTIALS))


@pytest.mark.slow
def test_the_minimum_mixing_ratio_and_products_equal_pymatgens_on_500_random_pairs(engine):
    compared = reacting = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for a, b, potential in _random_pairs(engine, 500):
            contact = engine.contact(a, b, potential)
            kinks = reactivity(engine, contact).get_kinks()
            lowest = min(energy for _, _, energy, _, _ in kinks)
            assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3), (a, b, potential)
            compared += 1
            if not contact.reacts:
                continue
            reacting += 1
            at_minimum = [(x, {p.reduced_formula for p in r.products} - {a, b, "Li"})
                          for _, x, energy, r, _ in kinks if abs(energy - lowest) < 1e-7]
            assert any(abs(x - contact.mixing_ratio) < 2e-4 and products == set(contact.products)
                       for x, products in at_minimum), (a, b, potential, at_minimum, contact)
    assert compared == 500 and reacting > 150


def _screen_like_contacts(engine: ThermoEngine, count: int, seed: int = 11):
    """Contacts as a screen asks for them: SE variants against cathode variants and coatings, grouped by system, so
    that the engine answers most from an earlier contact's optimal basis."""
    ses = [f"Li6PS5Cl{x / 10:.2g}Br{1 - x / 10:.2g}" for x in range(1, 10)] + ["Li3PS4", "Li10GeP2S12", "Li7P3S11"]
    cathodes = [f"LiNi{a / 100:.3g}Mn{b / 100:.3g}Co{(100 - a - b) / 100:.3g}O2" for a in range(40, 81, 10) for b in (5, 10)]
    cathodes += ["LiCoO2", "LiMn2O4", "LiFePO4", "LiNbO3", "Li3PO4", "Li2ZrO3"]
    keys = [(a, b, v) for a in ses for b in cathodes for v in (None, 3.8, 4.3)]
    return random.Random(seed).sample(keys, count)


def test_contacts_from_kept_programs_equal_fresh_programs_and_pymatgen(engine, monkeypatch):
    """The engine keeps one program per system and answers a contact from an earlier contact's optimal basis when
    it is optimal again; a fresh engine solves each contact from scratch (the path before programs were kept)."""
    from degrade_ml.thermo import mixing

    simplex_runs = []
    solve = mixing.MixingProgram._simplex
    monkeypatch.setattr(mixing.MixingProgram, "_simplex", lambda self, *a: simplex_runs.append(1) or solve(self, *a))
    kept = ThermoEngine(engine.table)
    keys = _screen_like_contacts(kept, 300)
    warm = [kept.contact(*key) for key in keys]
    assert len(simplex_runs) < len(keys) / 3  # most contacts came from a remembered basis
    for key, contact in zip(keys, warm):
        fresh = ThermoEngine(engine.table).contact(*key)
        assert contact.reaction_energy_meV_atom == pytest.approx(fresh.reaction_energy_meV_atom, abs=1e-6), key
        assert (contact.products, contact.product_classes) == (fresh.products, fresh.product_classes), key
        if contact.reacts:
            assert contact.mixing_ratio == pytest.approx(fresh.mixing_ratio, abs=1e-9), key
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, contact in random.Random(3).sample(list(zip(keys, warm)), 25):
            lowest = min(energy for _, _, energy, _, _ in reactivity(kept, contact).get_kinks())
            assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3), key


def _reference_window(formula: str) -> tuple[float, float, tuple[str, ...], tuple[str, ...]]:
    """The window as the previous engine computed it, from pymatgen's element profile."""
    composition = Composition(formula)
    symbols = {str(el) for el in composition.elements} | {"Li"}
    entries = [e for e in load_entries() if {str(el) for el in e.composition.elements} <= symbols]
    diagram = PhaseDiagram(entries)
    own = [e for e in entries if e.composition.reduced_formula == composition.reduced_formula]
    if not any(e in diagram.stable_entries for e in own):
        hull = diagram.get_hull_energy_per_atom(composition)
        diagram = PhaseDiagram([*entries, PDEntry(composition, (hull - 0.001) * composition.num_atoms)])
    profile = diagram.get_element_profile(Element("Li"), composition)
    li_metal = diagram.el_refs[Element("Li")].energy_per_atom
    step = min(range(len(profile)), key=lambda i: abs(profile[i]["evolution"]))

    def products(i):
        return tuple(sorted({c.reduced_formula for c in profile[i]["reaction"].products} - {composition.reduced_formula, "Li"}))

    return (round(max(li_metal - profile[step]["chempot"], 0.0), 3), round(li_metal - profile[step + 1]["chempot"], 3),
            products(step - 1) if step > 0 else (), products(step + 1))


@pytest.mark.parametrize("formula", ["Li3PS4", "Li10GeP2S12", "Li6PS5Cl", "Li7PS6", "Li4SnS4", "LiCoO2",
                                     "LiNbO3", "Li3PO4", "Li8P2S9", "Li6PS5Cl0.5Br0.5"])
def test_windows_equal_pymatgens_element_profile(engine, formula):
    window = engine.window(formula)
    reduction, oxidation, reduced_to, oxidised_to = _reference_window(formula)
    assert (window.reduction_limit_V, window.oxidation_limit_V) == pytest.approx((reduction, oxidation), abs=2e-3)
    assert (window.reduction_products, window.oxidation_products) == (reduced_to, oxidised_to)


@pytest.mark.parametrize("element", ["C", "P", "Si", "Li"])
def test_an_element_has_no_window_and_no_error(engine, element):
    """Nothing but the element itself makes it, so its hull without its own phases would be infeasible."""
    window = engine.window(element)
    assert (window.reduction_limit_V, window.oxidation_limit_V, window.energy_above_hull_meV) == (None, None, 0.0)
    assert any("is an element" in w for w in window.warnings)


def test_li3ps4_against_four_cathodes_gives_four_distinct_contact_energies(engine):
    energies = {c: engine.contact("Li3PS4", c, 4.3).reaction_energy_meV_atom
                for c in ("LiCoO2", "LiMn2O4", "LiNi0.5Mn1.5O4", "LiFePO4")}
    assert len({round(e) for e in energies.values()}) == 4, energies


def test_each_reactant_reports_its_own_decomposition_beside_the_contact(engine):
    contact = engine.contact("Li6PS5Cl", "LiCoO2", 4.3)
    assert contact.decomposition_energy_a_meV_atom < -100  # the argyrodite is far beyond its window at 4.3 V
    assert contact.decomposition_energy_b_meV_atom == engine.decomposition_energy("LiCoO2", 4.3) <= 0
    assert engine.decomposition_energy("LiCoO2", 3.0) == pytest.approx(0.0, abs=1e-6)  # inside its window
    # the reaction energy counts from reactants already at the potential: it is not the SE's oxidation again
    assert contact.reaction_energy_meV_atom > contact.decomposition_energy_a_meV_atom


def test_the_kinks_run_from_one_material_to_the_other_through_the_minimum(engine):
    contact = engine.contact("Li6PS5Cl", "LiCoO2", None)
    kinks = contact_kinks(engine, contact)
    assert kinks[0].mixing_ratio == 0 and kinks[-1].mixing_ratio == 1
    assert min(k.energy_meV_atom for k in kinks) == pytest.approx(contact.reaction_energy_meV_atom, abs=0.01)
    assert contact.reaction and "->" in contact.reaction


def test_a_reaction_names_each_material_as_the_query_wrote_it(engine):
    nmc = engine.contact("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", 4.3)
    reactants, products = nmc.reaction.split(" -> ")
    assert "LiNi0.8Mn0.1Co0.1O2" in reactants and "Li1Mn" not in nmc.reaction
    assert reactants.startswith(("Li6PS5Cl", "1.75 Li6PS5Cl")) and " Li + " in f" {products} "  # Li given off
    assert engine.contact("Li10GeP2S12", "Li", 0.0).reaction == "Li10GeP2S12 + 20 Li -> Ge + 12 Li2S + 2 Li3P"
    kinks = contact_kinks(engine, nmc)  # the plots' hover text, from pymatgen's InterfacialReactivity
    assert all("Li1Mn" not in k.reaction for k in kinks) and "LiNi0.8Mn0.1Co0.1O2" in kinks[len(kinks) // 2].reaction


def test_the_engine_owns_its_caches(engine):
    other = ThermoEngine.from_table()
    assert other.contact("Li3PS4", "LiCoO2", 4.0) == engine.contact("Li3PS4", "LiCoO2", 4.0)
    assert other.contact("Li3PS4", "LiCoO2", 4.0) is not engine.contact("Li3PS4", "LiCoO2", 4.0)


def test_the_engine_keeps_only_its_most_recent_interfaces(engine, monkeypatch):
    """A screen of 10⁶ distinct interfaces must not keep every one (it took 2.4 GiB): the oldest is computed again."""
    monkeypatch.setattr("degrade_ml.thermo.engine.MEMO_ENTRIES", 3)
    computed = []
    for key in range(5):
        engine.memoised(("bounded memo test", key), lambda key=key: computed.append(key))
    engine.memoised(("bounded memo test", 4), lambda: computed.append("4 again"))
    engine.memoised(("bounded memo test", 0), lambda: computed.append("0 again"))
    assert computed == [0, 1, 2, 3, 4, "0 again"]


def test_what_the_engine_keeps_per_potential_is_bounded_too(monkeypatch):
    """A batch of many distinct voltages must not keep every potential's systems, hulls and contacts (4,000 voltages
    kept 24,000 systems); with room for 3 per store, 6 voltages leave 3, and a forgotten contact comes back equal."""
    engine = ThermoEngine.from_table()
    first = engine.contact("Li3PS4", "LiCoO2", 3.5)
    monkeypatch.setattr("degrade_ml.thermo.engine.MEMO_ENTRIES", 3)
    for potential in (3.6, 3.7, 3.8, 3.9, 4.0, 4.1):
        engine.contact("Li3PS4", "LiCoO2", potential)
    stores = (engine._grand, engine._hulls, engine._contacts, engine._reactants, engine._decompositions)
    assert all(0 < len(store) <= 3 for store in stores), [len(store) for store in stores]
    again = engine.contact("Li3PS4", "LiCoO2", 3.5)
    assert again is not first and again == first


def test_what_the_engine_keeps_per_formula_is_bounded(monkeypatch):
    """A batch of many distinct formulas must not keep every material and window; a forgotten window comes back
    equal."""
    engine = ThermoEngine.from_table()
    first = engine.window("Li3PS4")
    monkeypatch.setattr("degrade_ml.thermo.engine.MEMO_ENTRIES", 3)
    for formula in ("Li6PS5Cl", "Li10GeP2S12", "Li7P3S11", "Li3SbS4", "Li4SnS4"):
        engine.window(formula)
    assert 0 < len(engine._materials) <= 3 and 0 < len(engine._windows) <= 3
    again = engine.window("Li3PS4")
    assert again is not first and again == first


def test_a_contact_that_would_give_off_o2_is_computed_over_the_condensed_phases_and_no_other(engine):
    """Li3PO4|NMC811 at 4.3 V gave LiNiPO4 + O2 on the whole table; Li6PS5Cl|NMC811 forms no O2 and stays the number
    the Materials Project app gives on the table, as does a contact of O2 itself."""
    coating = engine.contact("Li3PO4", "LiNi0.8Mn0.1Co0.1O2", 4.3)
    assert coating.left_out == {"O2"} and "O2" not in coating.products
    assert not engine.contact("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", 4.3).left_out
    assert not engine.contact("O2", "LiCoO2", 4.3).left_out
    for pair in (("Li3PO4", "LiNi0.8Mn0.1Co0.1O2"), ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2"), ("O2", "LiCoO2"),
                 ("Li2O2", "LiCoO2")):
        contact = engine.contact(*pair, 4.3)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lowest = min(energy for _, _, energy, _, _ in reactivity(engine, contact).get_kinks())
        assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3), pair


def test_a_chemical_contact_that_would_give_off_o2_is_condensed_too_and_equals_pymatgen_there(engine):
    """Li3InCl6 | NMC811 with no Li exchanged gave CoO2 + O2 among its products on the whole table."""
    contact = engine.contact("Li3InCl6", "LiNi0.8Mn0.1Co0.1O2", None)
    assert contact.left_out == {"O2"} and "O2" not in contact.products and contact.reacts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lowest = min(energy for _, _, energy, _, _ in reactivity(engine, contact).get_kinks())
    assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3)


def test_a_contact_that_would_give_off_cl2_keeps_its_chloride_and_equals_pymatgen_without_cl2(engine):
    """Li3YCl6 | LiCoO2 at 4.6 V gave Cl2 (and O2) on the whole table: both are left out, and pymatgen on the table
    without them gives the same minimum; a contact of Cl2 itself keeps it."""
    contact = engine.contact("Li3YCl6", "LiCoO2", 4.6)
    assert contact.left_out == {"Cl2", "O2"} and any("gives off Cl2 on the whole table" in w for w in contact.warnings)
    assert any("gives off O2 without Cl2" in w for w in contact.warnings)  # the second step says what it was on
    assert contact.reacts and not {"Cl2", "O2"} & set(contact.products)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lowest = min(energy for _, _, energy, _, _ in reactivity(engine, contact).get_kinks())
    assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3)
    assert "Cl2" not in engine.contact("Cl2", "Li6PS5Cl", 4.3).left_out


def test_an_se_beyond_licls_oxidation_limit_keeps_its_chloride_in_the_interphase(engine):
    """Li6PS5Cl on its own at 4.3 V decomposes with its decomposition energy to Cl2, P2S5 and S (as pymatgen's hull
    has it); in the interphase, as in its contacts, it keeps its chloride as LiCl rather than giving off Cl2."""
    assert "Cl2" in engine.decomposition_at("Li6PS5Cl", 4.3)
    assert engine.decomposition_at("Li6PS5Cl", 4.3, without_gases=True) == ("LiCl", "P2S5", "S")
    phases, classes = se_decomposition(engine, "Li6PS5Cl", 4.3)
    assert "LiCl" in phases and "LiX" in classes


def test_leaving_a_gas_out_stops_where_nothing_else_could_hold_its_element(engine):
    """Leaving Cl2 out of a Cl-rich mixture made the hull program infeasible (hypothesis found Li3S2PGeCl4, which
    holds more Cl than Li): the last feasible solution, with its Cl2, is kept rather than the program failing. Such a
    formula is now refused before any contact is solved, as the table would place it beside free Cl2."""
    def solve(left_out):
        if "Cl2" in left_out:
            raise ArithmeticError("infeasible: nothing else holds the excess Cl")
        return "rows", "the solution with Cl2"

    left_out, rows, solution, steps = _leaving_out(solve, lambda rows, solution: frozenset({"Cl2"}), frozenset())
    assert (left_out, rows, solution, steps) == (frozenset(), "rows", "the solution with Cl2", [])
    for formula in ("Li3S2PGeCl4", "Li3S2Cl5O6"):
        with pytest.raises(ThermoCoverageError, match="beside free Cl2 gas"):
            engine.contact(formula, "LiNbO3", None)


@pytest.mark.parametrize(("first", "second", "potential"), [("Li6PS5Cl", "Li2CO3", None), ("Li2CO3", "Li", None),
                                                            ("Li5BCO6", "Li6PS5Cl", None), ("Li2CO3", "Li6PS5Cl", 4.3)])
def test_carbonate_is_not_reduced_to_carbon_and_equals_pymatgen_without_reduced_carbon(engine, first, second, potential):
    """On the whole table Li2CO3 gives C + Li2O with Li metal and C + S with Li6PS5Cl (a conducting carbon film from
    a carbonate coating): reduced carbon is left out there, and pymatgen on those entries gives the same minimum."""
    contact = engine.contact(first, second, potential)
    assert {"C", "LiC6", "LiC12"} <= contact.left_out and "reduces carbonate to carbon" in contact.warnings[-1]
    assert not contact.left_out & set(contact.products)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lowest = min(energy for _, _, energy, _, _ in reactivity(engine, contact).get_kinks())
    assert contact.reaction_energy_meV_atom == pytest.approx(min(lowest, 0.0) * 1000, abs=1e-3)


def test_carbon_of_a_carbon_electrode_is_kept(engine):
    """Carbon or a carbide among the reactants keeps every carbon phase: graphite and LiC6 are electrodes."""
    for pair in (("Li6PS5Cl", "C"), ("Li2CO3", "LiC6")):
        assert "C" not in engine.contact(*pair, None).left_out


def test_li_taken_counts_the_li_a_contact_takes_from_the_electrode(engine):
    """LiNbO3 + LiCoO2 + Li -> CoO + Li3NbO4 at 2.5 V: one Li per 7 non-Li atoms; Li3PS4 | LiFePO4 at 3.8 V gives
    2.8 Li off per 0.6 Li3PS4 + LiFePO4 (9 non-Li atoms)."""
    assert engine.contact("LiNbO3", "LiCoO2", 2.5).li_taken == pytest.approx(1 / 7, abs=1e-6)
    assert engine.contact("Li3PS4", "LiFePO4", 3.8).li_taken == pytest.approx(-2.8 / 9, abs=1e-6)
    assert engine.contact("Li3PS4", "LiFePO4", None).li_taken == 0.0


def test_a_lithiated_cathode_below_its_oxidation_onset_meets_a_contact_that_would_take_li_closed_to_li(engine):
    """Below its oxidation onset (3.60 V) NMC811 gives off no Li: LiNbO3 | NMC811 at 3.0 V would take Li up to NiO +
    Li3NbO4 (the cathode discharged beyond its formula), so the interface meets it closed to Li. Above the onset, at
    an anode, or where Li is given off, the contact is pymatgen's open one."""
    bare = engine.contact("LiNbO3", "LiNi0.8Mn0.1Co0.1O2", 3.0)
    assert bare.reacts and bare.li_taken > 0
    met = engine.at_electrode(bare)
    closed = engine.contact("LiNbO3", "LiNi0.8Mn0.1Co0.1O2", None)
    assert met.potential_V is None and not met.reacts
    assert met == replace(closed, warnings=met.warnings, decomposition_energy_a_meV_atom=bare.decomposition_energy_a_meV_atom,
                          decomposition_energy_b_meV_atom=bare.decomposition_energy_b_meV_atom)
    assert any("closed to Li" in w and "-31" in w for w in met.warnings)
    for kept in (engine.contact("Li3InCl6", "LiNi0.8Mn0.1Co0.1O2", 3.8),  # above the onset: takes Li, stays open
                 engine.contact("Li6PS5Cl", "Li4Ti5O12", 1.55),  # an anode takes Li up
                 engine.contact("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", 3.0)):  # gives Li off
        assert engine.at_electrode(kept) is kept



@pytest.mark.parametrize(("first", "second", "potential"), [
    ("Li6PS5Cl", "LiCoO2", 4.2), ("Li10GeP2S12", "LiNi0.8Mn0.1Co0.1O2", 4.3), ("Li6PS5Cl", "LiCoO2", None),
    ("Li3PS4", "LiNbO3", None), ("LiNbO3", "LiNi0.8Mn0.1Co0.1O2", 3.0),
])
def test_interphase_products_are_pymatgens_phases_next_to_the_first_material(engine, first, second, potential):
    """The phases of the hull facet at the mixing line's end next to the first material: those of pymatgen's last kink
    before x = 1 and of x = 1 itself, on the table without the gases no contact forms, and, closed, with the first
    material on the hull (METASTABLE_OFFSET_EV below it, as its window is computed); the minimum's products stay
    pymatgen's at the minimum."""
    contact = engine.contact(first, second, potential)
    reactants = {Composition(first).reduced_formula, Composition(second).reduced_formula, "Li"}
    without_gases = replace(contact, left_out=contact.left_out | (GASES_LEFT_OUT - reactants))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = reactivity(engine, without_gases)
        if potential is None:
            diagram = reference.pd
            own = Composition(first)
            stable = PDEntry(own, (diagram.get_hull_energy_per_atom(own) - METASTABLE_OFFSET_EV) * own.num_atoms)
            reference = InterfacialReactivity(Composition(first), Composition(second),
                                              PhaseDiagram([*diagram.all_entries, stable]), norm=True)
        kinks = sorted(reference.get_kinks(), key=lambda k: k[1])
    ends = [{c.reduced_formula for c in kink[3].products} for kink in kinks[-2:]]
    assert set(contact.interphase_products) == (ends[0] | ends[1]) - reactants


def test_a_metastable_se_forms_only_what_its_chemical_contact_makes_it_form(engine):
    """Li6PS5Cl lies 6 meV/atom above Li3PS4 + Li2S + LiCl: next to an inert Li3PO4 or LiF it forms nothing, and next
    to LiNbO3 no Li2S, while pymatgen's minimum (on the whole table) still reports its own decomposition."""
    for inert in ("Li3PO4", "LiF"):
        contact = engine.contact("Li6PS5Cl", inert, None)
        assert contact.reacts and set(contact.products) == {"Li2S", "Li3PS4", "LiCl"} and contact.interphase_products == ()
    niobate = engine.contact("Li6PS5Cl", "LiNbO3", None)
    assert {"Li3NbS4", "Li3PO4"} <= set(niobate.interphase_products) and "Li2S" not in niobate.interphase_products


def test_the_minimum_of_a_cathode_contact_lies_on_the_cathode_side_and_the_interphase_on_the_se_side(engine):
    """Li6PS5Cl|LiCoO2 at 4.2 V: at the minimum (x = 0.41) the cathode in excess makes Co sulfide and sulfate; next
    to the SE the products are its own oxidation's, S, P2S5 and LiCl (not Cl2 gas), with P2O5 and CoCl2 taking up
    the cathode, CoCl2 with its Co reduced to Co2+."""
    contact = engine.contact("Li6PS5Cl", "LiCoO2", 4.2)
    assert {"CoS2", "CoSO4"} <= set(contact.products) and contact.mixing_ratio < 0.5
    assert {"S", "P2S5", "P2O5", "LiCl"} <= set(contact.interphase_products) and "Cl2" not in contact.interphase_products
    assert set(contact.interphase_classes) == {"S", "P2Sx", "POx", "LiX", "TM_reduced"}
