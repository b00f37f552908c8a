"""The elements added after the v2 table (V, Sc, Zn, Au, Cr, Bi, As, Er, Ho, Hf, Ga, Sr, Ba) answer everyday
interface questions, the energies of the earlier phases did not move when they came, and an element still outside the
table is still refused by name."""

from __future__ import annotations

import pandas as pd
import pytest
from pymatgen.analysis.phase_diagram import PhaseDiagram
from pymatgen.core import Composition

from degrade_ml.thermo.engine import ThermoCoverageError
from degrade_ml.thermo.sources import CHGNET, LATER_ELEMENTS
from degrade_ml.thermo.stack import analyse_interface
from degrade_ml.thermo.table import default_table_path, load_entries


def _elements(phases) -> set[str]:
    return {el.symbol for phase in phases for el in Composition(phase).elements}


def test_v2o5_against_argyrodite_at_its_cathode_potential_is_answered(engine):
    contact = engine.contact("Li6PS5Cl", "V2O5", 3.5)
    assert contact.coverage == "complete" and contact.reacts
    assert "V" in _elements(contact.products) and _elements(contact.products) <= {"Li", "P", "S", "Cl", "O", "V"}


def test_v2o5_is_on_the_hull_and_lithiates_to_li_vanadates_against_li(engine):
    assert "V2O5" in engine.table.names and engine.material("V2O5").warning == ""
    contact = engine.contact("Li", "V2O5", None)
    assert contact.reacts and {"Li", "V", "O"} <= _elements(contact.products)


def test_li3sccl6_against_argyrodite_is_a_chemical_contact_of_a_tabulated_phase(engine):
    assert engine.material("Li3ScCl6").coverage == "complete" and engine.material("Li3ScCl6").warning == ""
    result = analyse_interface(engine, "Li6PS5Cl", "LiCoO2", "Li3ScCl6", 4.2)
    se_coating = result.se_coating
    assert se_coating.potential_V is None  # a halide coating is an insulator: SE|coating is chemical
    assert se_coating.reaction_energy_meV_atom == pytest.approx(engine.contact("Li6PS5Cl", "Li3ScCl6", None)
                                                               .reaction_energy_meV_atom)


def test_zno_on_li_is_reduced_to_li2o_and_a_zn_phase(engine):
    contact = engine.contact("Li", "ZnO", None)
    assert contact.reacts and "Li2O" in contact.products
    assert any("Zn" in Composition(p).as_dict() for p in contact.products)


def test_au_and_li_form_an_alloy(engine):
    contact = engine.contact("Li", "Au", None)
    assert contact.reacts
    assert any({"Li", "Au"} == _elements([p]) for p in contact.products)


def test_an_as_substituted_li4sns4_is_reduced_by_li_to_li2s_li3as_and_a_li_sn_alloy(engine):
    """Li3.833Sn0.833As0.166S4 (Sahu et al., Energy Environ. Sci. 2014) abstained: As was outside the table."""
    result = analyse_interface(engine, "Li3.833Sn0.833As0.166S4", "Li")
    assert result.se_electrode.reacts and {"Li2S", "Li3As"} <= set(result.se_electrode.products)
    assert any(_elements([p]) == {"Li", "Sn"} for p in result.se_electrode.products)
    assert result.product_classes == ("Li2S", "Li_M_alloy")
    window = engine.window("Li3AsS4")  # AsS4 tetrahedra, as PS4 in Li3PS4: reduced to As and Li2S, oxidised to As2S3
    assert window.reduction_products == ("As", "Li2S") and "As2S3" in window.oxidation_products


@pytest.mark.parametrize("halide, analogue", [("Li3ErCl6", "Li3YCl6"), ("Li3HoCl6", "Li3YCl6"),
                                               ("Li3HoBr6", "Li3YBr6"), ("Li2HfCl6", "Li2ZrCl6")])
def test_the_er_ho_and_hf_halide_electrolytes_behave_as_their_y_and_zr_analogues(engine, halide, analogue):
    """Li3ErCl6, Li3HoCl6, Li3HoBr6 and Li2HfCl6 abstained (Er, Ho and Hf were outside the table). Built as Li3YCl6,
    Li3YBr6 and Li2ZrCl6 are, with their own metals' energies, they keep those analogues' windows within 0.2 V and
    react with Li6PS5Cl and with NMC811 at 4.3 V by the same kind of products."""
    own, other = engine.window(halide), engine.window(analogue)
    assert own.reduction_limit_V == pytest.approx(other.reduction_limit_V, abs=0.2)
    assert own.oxidation_limit_V == pytest.approx(other.oxidation_limit_V, abs=0.2)
    for counterpart, potential in (("Li6PS5Cl", None), ("LiNi0.8Mn0.1Co0.1O2", 4.3)):
        first, second = (engine.contact(x, counterpart, potential) if counterpart != "Li6PS5Cl"
                         else engine.contact(counterpart, x, potential) for x in (halide, analogue))
        assert first.coverage == "complete" and first.reacts == second.reacts
        metal = {el.symbol for el in Composition(halide).elements} - {"Li", "Cl", "Br"}
        assert any(metal <= _elements([p]) for p in first.products) or not first.reacts, first.products


def test_a_ga_interlayer_on_li_is_lithiated_and_passes_the_potential_on(engine):
    """A Ga film between Li and the SE alloys to LiGa and, a metal, leaves the SE at 0 V, as Ag and In do."""
    assert engine.contact("Li", "Ga", None).products == ("LiGa",)
    result = analyse_interface(engine, "Li6PS5Cl", "Li", "Ga")
    assert {"Li2S", "Li3P", "LiX"} <= set(result.product_classes)
    assert any("Ga conducts electrons" in w for w in result.warnings)


@pytest.mark.parametrize("perovskite", ["SrTiO3", "BaTiO3"])
def test_a_dielectric_perovskite_coating_holds_at_the_cathode_and_exchanges_s_for_o_with_the_se(engine, perovskite):
    """SrTiO3 and BaTiO3 (coatings beside LiNbO3 on LiCoO2) abstained: Sr and Ba were outside the table."""
    assert not engine.contact(perovskite, "LiCoO2", 4.2).reacts
    contact = engine.contact("Li6PS5Cl", perovskite, None)
    metal = perovskite[:2]
    assert contact.reacts and f"{metal}S" in contact.products


# Zhu, He & Mo, ACS AMI 2015, 7, 23685 (review ref [11b]), Table 1: LLZO, LATP and LAGP, the NASICONs being their
# Al-free parents here (LLTO, 1.75 V there, is reduced at 1.32 V here: README, Thermodynamics)
@pytest.mark.parametrize("oxide, published_reduction_V", [("Li7La3Zr2O12", 0.05), ("LiTi2(PO4)3", 2.17),
                                                          ("LiGe2(PO4)3", 2.70)])
def test_the_oxide_conductors_are_reduced_where_published_windows_put_them(engine, oxide, published_reduction_V):
    """The garnet and NASICON conductors were placed on the hull of simpler oxides (their systems held no compound of
    their own) and answered as an approximation."""
    assert engine.material(oxide).coverage == "complete"
    assert engine.window(oxide).reduction_limit_V == pytest.approx(published_reduction_V, abs=0.2)


def test_a_nasicon_interlayer_on_li_is_reduced_and_a_garnet_one_barely_reacts(engine):
    """Li metal reduces the phosphate of a LATP-type NASICON to Li3P; LLZO, reduced only below 0.1 V, barely
    reacts."""
    phosphate = engine.contact("LiTi2(PO4)3", "Li", None)
    assert phosphate.reaction_energy_meV_atom < -500 and "Li3P" in phosphate.products
    assert -50 < engine.contact("Li7La3Zr2O12", "Li", None).reaction_energy_meV_atom <= 0


def test_libo2_oxidises_to_the_diborate_before_b2o3(engine):
    """Li2B4O7 lies 40 meV/atom below LiBO2 + B2O3 (measured and in the table): a LiBO2 coating gives up Li to it
    first, below the potential at which it would go to B2O3."""
    window = engine.window("LiBO2")
    assert window.oxidation_products == ("Li2B4O7", "O2")
    assert window.oxidation_limit_V < engine.window("Li2B4O7").oxidation_limit_V


def test_licro2_against_argyrodite_is_answered(engine):
    contact = engine.contact("Li6PS5Cl", "LiCrO2", 4.0)
    assert contact.coverage == "complete"
    assert _elements(contact.products) <= {"Li", "P", "S", "Cl", "O", "Cr"}


@pytest.mark.parametrize("formula, element", [("CeF3", "Ce"), ("CeO2", "Ce"), ("CaF2", "Ca")])
def test_an_element_still_outside_the_table_is_refused_by_name(engine, formula, element):
    with pytest.raises(ThermoCoverageError, match=rf"element\(s\) {element} are outside"):
        engine.material(formula)


def test_every_later_element_has_its_own_reference_and_compounds_in_the_table():
    table = pd.read_csv(default_table_path(), dtype=str, keep_default_na=False)
    for element in LATER_ELEMENTS:
        rows = table[[element in Composition(f).as_dict() for f in table["formula"]]]
        assert ((rows["formula"] == element) & (rows["source"] == CHGNET)).sum() == 1, element  # its reference
        assert (rows["formula"] != element).sum() >= 2, element


@pytest.mark.parametrize("formula, most_above_hull_meV", [
    ("V2O5", 0.0), ("Zn", 0.0), ("ZnO", 0.0), ("ZnS", 0.0), ("LiAu", 0.0), ("Li3Au", 0.0), ("Li3VO4", 0.0),
    ("Li3Bi", 0.0), ("LiBi", 0.0), ("Bi2S3", 0.0), ("InBr3", 0.0), ("Li3InBr6", 0.0),
    ("Li3As", 0.0), ("Li3AsS4", 0.0), ("Li3AsO4", 0.0), ("InAs", 0.0), ("SnAs", 0.0),
    ("HfO2", 0.0), ("Li2HfO3", 0.0), ("Li2HfCl6", 0.0), ("Li3HoBr6", 0.0), ("ErCl3", 0.0), ("Er2O3", 0.0),
    ("LiGa", 0.0), ("GaP", 0.0), ("SrTiO3", 0.0), ("BaTiO3", 0.0),
    ("Li7La3Zr2O12", 0.0), ("LiZr2(PO4)3", 0.0), ("LiTi2(PO4)3", 0.0), ("LiGe2(PO4)3", 0.0), ("ZrP2O7", 0.0),
    ("TiP2O7", 0.0), ("Li2B4O7", 0.0), ("LaPO4", 0.0), ("La2Zr2O7", 0.0),
    ("GeP2O7", 0.0), ("Y2S3", 0.0), ("Er2S3", 0.0), ("Ho2S3", 0.0), ("La2S3", 0.0), ("LaCl3", 0.0),
    ("Li2ZrF6", 0.0), ("ZrF4", 0.0), ("Li2TiF6", 0.0), ("TiF4", 0.0), ("YF3", 0.0), ("LiYF4", 0.0),
    ("Li3ClO", 30.0),  # Li3OCl, metastable, made by quenching
    ("Li3La5Ti9O27", 0.0),  # LLTO at x=1/9 (Li0.33La0.56TiO3), an A-site ordering with a vacancy
    ("LiLaTi2O6", 60.0),  # LLTO at x=1/6, without one: above the x=1/9 cell and Li2TiO3
    ("Li3ErCl6", 30.0), ("Li3HoCl6", 30.0),  # as Li3YCl6: the ordered approximant sits just above LiCl + MCl3
    ("Li3ScCl6", 30.0),  # an ordered approximant of the disordered C2/m cell, just above LiCl + ScCl3
])
def test_the_new_phases_sit_where_their_chemistry_puts_them(formula, most_above_hull_meV):
    symbols = {el.symbol for el in Composition(formula).elements}
    entries = [e for e in load_entries() if {el.symbol for el in e.composition.elements} <= symbols]
    diagram = PhaseDiagram(entries)
    own = min((e for e in entries if e.composition.reduced_formula == formula), key=lambda e: e.energy_per_atom)
    assert diagram.get_e_above_hull(own) * 1000 <= most_above_hull_meV + 1e-6
    if len(symbols) > 1:
        assert diagram.get_form_energy_per_atom(own) < 0  # LiAu and Li3Au form from Li + Au


def test_the_tm_bromides_are_later_compounds_kept_out_of_the_calibration():
    from degrade_ml.thermo.sources import LATER_FORMULAS, SourceCompound

    assert LATER_FORMULAS == {"MnBr2", "FeBr2", "CoBr2", "NiBr2", "YBr3", "Li3YBr6", "InBr3", "Li3InBr6", "Li2B4O7",
                              "LaPO4", "La2S3", "LaCl3", "YF3", "ZrF4", "TiF4"}
    assert SourceCompound("NiBr2", -0.8, -4.0, CHGNET, "nibr2-c6").later
    assert not SourceCompound("NiCl2", -1.0, -4.0, CHGNET, "nicl2-c6").later


def test_a_halide_coating_swaps_its_chloride_for_sulfide_at_a_sulfide_se(engine):
    """Before Y2S3, Er2S3 and Ho2S3 were tabulated, Li3YCl6 | Li6PS5Cl could only give LiCl and P2S5 (-28 meV/atom)."""
    for coating, sulfide in (("Li3YCl6", "Y2S3"), ("Li3ErCl6", "Er2S3"), ("Li3HoCl6", "Ho2S3")):
        contact = engine.contact("Li6PS5Cl", coating, None)
        assert sulfide in contact.products and "LiCl" in contact.products, (coating, contact.products)
        assert -100 < contact.reaction_energy_meV_atom < -40, (coating, contact.reaction_energy_meV_atom)


@pytest.mark.parametrize("coating, sulfide", [("Li2ZrF6", "ZrS2"), ("Li2TiF6", "TiS2"), ("LiYF4", "Y2S3")])
def test_a_fluoride_coating_has_a_wide_window_and_swaps_fluoride_for_sulfide_at_a_sulfide_se(engine, coating, sulfide):
    """Before the Zr, Ti and Y fluorides the table held no compound of those metals with F: Li2ZrF6 sat on LiF, Zr and
    F2, "reacted" with Li6PS5Cl by -1187 meV/atom, and was then refused. Now its window spans the fluoride's (F2 at
    over 6 V) and the SE takes its metal as a sulfide beside LiF, as a chloride coating gives LiCl."""
    assert engine.material(coating).coverage == "complete" and engine.material(coating).warning == ""
    window = engine.window(coating)
    assert 0.3 < window.reduction_limit_V < 2.5 and "LiF" in window.reduction_products
    assert 6.0 < window.oxidation_limit_V < 7.5 and "F2" in window.oxidation_products
    contact = engine.contact("Li6PS5Cl", coating, None)
    assert {"LiF", sulfide} <= set(contact.products) and -200 < contact.reaction_energy_meV_atom < 0


def test_li6ps5br_puts_its_bromide_where_li6ps5cl_puts_its_chloride(engine):
    """Against NMC811 at 4.3 V the argyrodite's halide takes the cathode's metals next to the SE (NiCl2, NiBr2), so
    neither interphase holds the TM sulfides; before the bromides were tabulated, Li6PS5Br's went to Br2 and its
    metals to CoS2, MnS2 and NiS2."""
    for se, halide in (("Li6PS5Cl", "Cl"), ("Li6PS5Br", "Br")):
        contact = engine.contact(se, "LiNi0.8Mn0.1Co0.1O2", 4.3)
        assert {f"Ni{halide}2", f"Co{halide}2", f"Mn{halide}2"} <= set(contact.interphase_products), se
        assert "TM_S" not in contact.interphase_classes, se


def test_li3ybr6_is_a_phase_of_the_table_that_li6ps5br_barely_touches(engine):
    """It left Li6PS5Br alone while the table held no Y sulfide; with Y2S3 it swaps a little bromide for sulfide."""
    assert engine.material("Li3YBr6").coverage == "complete" and engine.material("Li3YBr6").warning == ""
    contact = engine.contact("Li6PS5Br", "Li3YBr6", None)
    assert -40 < contact.reaction_energy_meV_atom < 0 and "Y2S3" in contact.interphase_products


def test_li3inbr6_holds_its_bromide_like_li3incl6_its_chloride(engine):
    """Before InBr3 and Li3InBr6 the Li–In–Br system held no compound: Li3InBr6 sat on LiBr + In + Br2 and reacted
    with Li6PS5Cl at -300 meV/atom. Now it is a phase with a window below its chloride's, and reacts mildly."""
    assert engine.material("Li3InBr6").coverage == "complete" and engine.material("Li3InBr6").warning == ""
    bromide, chloride = engine.window("Li3InBr6"), engine.window("Li3InCl6")
    assert 3.0 < bromide.oxidation_limit_V < chloride.oxidation_limit_V and "Br" not in bromide.reduction_products
    contact = engine.contact("Li6PS5Cl", "Li3InBr6", None)
    assert -100 < contact.reaction_energy_meV_atom < 0 and "Br" not in contact.interphase_products


def test_bi_lithiates_to_its_li_alloys(engine):
    contact = engine.contact("Bi", "Li", 0.0)
    assert contact.reacts and set(contact.products) <= {"LiBi", "Li3Bi"}
    assert not engine.contact("LiBi", "Bi", None).reacts
