"""One typed query, resolved once (issue 17 item 6): names and condition cells → `Interface`, the predictor's one
materials table, and a single query answered by one call."""

from __future__ import annotations

import pickle
import re

import pandas as pd
import pytest

from degrade_ml.query import Interface, QueryError, Resolver, model_inputs
from degrade_ml.resolve import MaterialsTable


@pytest.fixture()
def resolver(dataset) -> Resolver:
    return Resolver(MaterialsTable(dataset.materials))


def test_a_query_resolves_to_its_materials_conditions_and_potential(resolver):
    interface = resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": "LNO", "voltage_V": "4.3"})
    assert interface.formulas == ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "LiNbO3")
    assert (interface.voltage_V, interface.potential_V, interface.electrode_role) == (4.3, 4.3, "cathode")
    assert interface.temperature_C is None and interface.potential_warning == ""


def test_an_electrode_without_a_voltage_holds_its_nominal_potential(resolver):
    li = resolver.one({"se": "Li6PS5Cl", "electrode": "Li", "coating": "none"})
    assert li.coating is None and li.formulas[2] == ""
    assert (li.potential_V, li.electrode_role) == (0.0, "anode")
    rock_salt = resolver.one({"se": "Li6PS5Cl", "electrode": "Li1.2Ni0.3Ti0.3Nb0.2O2"})
    assert rock_salt.potential_V == 4.6 and "structural family" in rock_salt.potential_warning


@pytest.mark.parametrize("query, message", [
    ({"se": "LPSX", "electrode": "Li"}, "se: "),
    ({"se": "Li6PS5Cl", "electrode": "LiCoO2", "voltage_V": "abc"}, "voltage_V: 'abc' is not a number"),
    ({"se": "Li6PS5Cl", "electrode": "Li", "voltage_V": 3}, "contradicts electrode 'Li'"),
    ({"se": "LiCoO2", "electrode": "Li"}, "is a cathode material, not a solid electrolyte"),
    # a gas met as a solid: Cl2 on Li6PS5Cl read as a chemical contact of solids was answered stable
    ({"se": "Li6PS5Cl", "electrode": "O2"}, "electrode: 'O2' (O) is a gas at room temperature, not an electrode"),
    ({"se": "Li6PS5Cl", "electrode": "Cl2"}, "electrode: 'Cl2' (Cl) is a gas at room temperature"),
    ({"se": "Li6PS5Cl", "electrode": "NMC811", "coating": "F2"}, "coating: 'F2' (F) is a gas at room temperature"),
])
def test_a_query_that_cannot_be_understood_is_one_error_naming_the_value(resolver, query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        resolver.one(query)


def test_solid_and_liquid_elements_stay_electrodes(resolver):
    """Only what boils below room temperature is refused: S (Li–S), Se and I2 (Li–I2 cells) and Br2 are answered."""
    for electrode in ("S", "Se", "I2", "Br2"):
        assert resolver.one({"se": "Li6PS5Cl", "electrode": electrode}).electrode_role == "cathode"


def test_conditions_may_carry_their_own_unit_and_uncoated_has_its_everyday_words(resolver):
    interface = resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": "uncoated", "voltage_V": "4.3 V vs Li/Li+",
                              "temperature_C": "RT", "pressure_MPa": "50 MPa"})
    assert (interface.voltage_V, interface.temperature_C, interface.pressure_MPa) == (4.3, 25.0, 50.0)
    assert interface.coating is None
    assert resolver.one({"se": "LPSCl", "electrode": "Li", "coating": "bare", "temperature_C": "60 °C"}).temperature_C == 60
    for temperature, pressure, read in (("room temp.", "0.5 GPa", (25.0, 500.0)), ("Ambient", "10 bar", (25.0, 1.0)),
                                        ("25 C", "500 kPa", (25.0, 0.5)), ("298 K", "5 MPa stack pressure", (24.85, 5.0)),
                                        ("RT (25 °C)", "50 MPa (stack)", (25.0, 50.0)), ("60 \u2103", "~50 MPa", (60.0, 50.0)),
                                        ("30 oC", "0.1 GPa", (30.0, 100.0)),
                                        # an uncertainty, a minus sign as typeset, a press's tonnes and psi
                                        ("25 ± 1 °C", "1.5 t cm-2", (25.0, 147.09975)),
                                        ("\u221220 °C", "1000 psi", (-20.0, 6.89476)), ("60 +/- 2 °C", "2 t/cm2", (60.0, 196.133))):
        interface = resolver.one({"se": "LPSCl", "electrode": "Li", "temperature_C": temperature, "pressure_MPa": pressure})
        assert (interface.temperature_C, interface.pressure_MPa) == read
    for cell, says in (("4.3 MPa", "'4.3 MPa' is not a number"), ("4,300", "write the decimal with a point")):
        with pytest.raises(QueryError, match=says):
            resolver.one({"se": "LPSCl", "electrode": "NMC811", "voltage_V": cell})
    for cell in ("3 t", "1.5 tons", "10 kN"):  # a press's force is no pressure without the pellet's area
        with pytest.raises(QueryError, match=f"pressure_MPa: '{cell}' is a force, not a pressure"):
            resolver.one({"se": "LPSCl", "electrode": "Li", "pressure_MPa": cell})
    for cell, read in (("4,3", 4.3), ("4,35 V", 4.35)):  # a decimal comma; "4,300" could be a thousands separator
        assert resolver.one({"se": "LPSCl", "electrode": "NMC811", "voltage_V": cell}).voltage_V == read
    assert resolver.one({"se": "LPSCl", "electrode": "Li", "pressure_MPa": "0,5 GPa"}).pressure_MPa == 500.0
    # a temperature or pressure range, echoed and not read by the model, is taken at its harsher end
    ranged = resolver.one({"se": "LPSCl", "electrode": "Li", "temperature_C": "25-60 °C", "pressure_MPa": "50–70 MPa"})
    assert (ranged.temperature_C, ranged.pressure_MPa) == (60.0, 70.0)


@pytest.mark.parametrize("cell, volts", [
    ("3.7 V vs Li-In", 4.32), ("3.7 V (vs. In/InLi)", 4.32), ("3.2 V vs LiIn", 3.82), ("2.75 V vs LTO", 4.3),
    ("4.3 V vs Li+/Li", 4.3), ("4.3 V (vs Li/Li+)", 4.3), ("4300 mV", 4.3), ("3800 mV vs Li", 3.8),
    ("4.3 V vs Li/Li⁺", 4.3), ("4.3 V vs. Li⁺/Li", 4.3), ("up to 4.3 V", 4.3), ("4.3 V cut-off", 4.3),
    ("charged to 3.7 V vs Li-In", 4.32), ("3.7 V vs Li0.5In", 4.32), ("cut-off 4.3 V", 4.3),
    ("≤4.3 V", 4.3), ("~4.3 V", 4.3), ("ca. 3.7 V vs Li-In", 4.32), ("4.3 Volt", 4.3), ("up to ~4.3 V", 4.3),
    ("upper cut-off 4.5 V", 4.5), ("cut-off voltage of 4.3 V", 4.3), ("upper cut-off voltage 3.7 V vs Li-In", 4.32),
])
def test_a_voltage_against_another_electrode_is_given_vs_li(resolver, cell, volts):
    """All-solid-state cells often quote voltages against their Li–In counter electrode (0.62 V vs Li/Li+): 3.7 V vs
    Li-In was read as 3.7 V vs Li/Li+, 0.62 V too low."""
    interface = resolver.one({"se": "LPSCl", "electrode": "NMC811", "voltage_V": cell})
    assert interface.voltage_V == interface.potential_V == volts


@pytest.mark.parametrize("cell, says", [
    ("3.7 V vs Foo", "unknown reference electrode 'Foo'"), ("3.7 V vs LiCoO2", "unknown reference electrode 'LiCoO2'"),
    ("3.7 V vs Li-In/Li", "unknown reference electrode 'Li-In/Li'"), ("2.5-4.3 V vs Foo", "unknown reference electrode"),
    ("2.5-14.3 V", "'2.5-14.3 V' is outside"), ("2.5-x V", "'2.5-x V' is not a number"),
    # a rate or current beside the voltage is named, not silently dropped or read as the voltage
    ("4.3 V, 0.1C", "carries a rate or current, which is not read"), ("0.1 C; 4.3 V", "carries a rate or current"),
    ("4.3 V at 0.5 mA cm-2", "carries a rate or current"), ("4.3 V, C/10", "carries a rate or current"),
    # a word for a state of charge is told how to say it
    ("charged", "'charged' is not a number: give the voltage .*none for the electrode's nominal .*or OCV"),
    ("discharged", "'discharged' is not a number: give the voltage"),
])
def test_a_voltage_whose_reference_or_value_is_unclear_is_an_error_naming_it(resolver, cell, says):
    with pytest.raises(QueryError, match=f"voltage_V: .*{says}"):
        resolver.one({"se": "LPSCl", "electrode": "NMC811", "voltage_V": cell})


@pytest.mark.parametrize("electrode, cell, held, says", [
    ("NMC811", "2.5-4.3", 4.3, "the cathode's upper cut-off, 4.3 V"), ("LiCoO2", "3.0 to 4.2 V", 4.2, "upper"),
    ("NMC811", "2.5–4.3 V", 4.3, "upper"), ("NMC811", "2.5 V - 4.3 V", 4.3, "upper"),
    ("NMC811", "between 2.5 and 4.3 V", 4.3, "upper"), ("NMC811", "from 2.5 to 4.3 V vs Li/Li+", 4.3, "upper"),
    ("NMC811", "1.9-3.7 V vs Li-In", 4.32, "2.52–4.32 V is a range"),  # the reference holds for both ends
    ("Si", "0.01-1.5 V", 0.01, "the anode's lower cut-off, 0.01 V"), ("LTO", "1.0–2.5 V", 1.0, "lower"),
])
def test_a_voltage_range_gives_the_electrode_the_end_it_holds(resolver, electrode, cell, held, says):
    """A paper's cycling window (2.5–4.3 V) was refused; the SE meets a cathode's oxidation at the upper cut-off and
    an anode's reduction at the lower one, and the answer says which end it used."""
    interface = resolver.one({"se": "LPSCl", "electrode": electrode, "voltage_V": cell})
    assert interface.voltage_V == interface.potential_V == held
    assert says in interface.potential_warning


def test_a_coated_electrode_named_in_one_cell_is_split_when_the_coating_cell_is_blank(resolver):
    for electrode in ("LiNbO3-coated NMC811", "LNO coated NMC811", "NMC811@LiNbO3", "NMC811 coated with LiNbO3",
                      "NMC811 with LiNbO3 coating", "NMC811 with LNO", "LiNbO3@NMC811", "LNO@NCM811", "NMC811/LiNbO3",
                      "LNO/NMC811", "NMC811 (LiNbO3 coated)", "NMC811 (coated with LNO)", "NMC811 (LiNbO3-coated, 5 nm)",
                      "NMC811 w/ LNO", "NMC811+LNO", "LNO-NMC811", "NMC811-LNO", "NMC811 with LiNbO3 by ALD",
                      "NMC811 coated by LiNbO3", "NMC811 modified with LNO", "LiNbO3-modified NMC811",
                      "LNO-modified NMC811"):
        assert resolver.one({"se": "LPSCl", "electrode": electrode, "coating": "none"}).formulas[1:] == (
            "LiNi0.8Mn0.1Co0.1O2", "LiNbO3")
    with pytest.raises(QueryError, match="electrode: 'LNO-coated LCO'"):  # two coatings named: not guessed
        resolver.one({"se": "LPSCl", "electrode": "LNO-coated LCO", "coating": "Li3PO4"})


def test_a_voltage_written_in_the_electrode_cell_is_the_voltage_unless_one_is_given(resolver):
    """The gloss "(4.5 V)" was dropped and NCM811 answered at its nominal 4.3 V."""
    for electrode, volts in (("NCM811 (4.5 V)", 4.5), ("LiCoO2, 4.2 V", 4.2), ("NCM811 (3.7 V vs Li-In)", 4.32),
                             ("LiNi0.8Co0.1Mn0.1O2 (NCM811, 4.6 V)", 4.6), ("NCM811 at 4.4 V", 4.4),
                             ("LCO charged to 4.5 V", 4.5), ("LiCoO2 (3.0-4.55 V)", 4.55)):
        interface = resolver.one({"se": "LPSCl", "electrode": electrode})
        assert interface.potential_V == volts and interface.formulas[1] in ("LiNi0.8Mn0.1Co0.1O2", "LiCoO2",
                                                                            "LiNi0.8Co0.1Mn0.1O2"), electrode
    assert resolver.one({"se": "LPSCl", "electrode": "NCM811 (4.5 V)", "voltage_V": "4.1"}).potential_V == 4.1
    assert resolver.one({"se": "LPSCl", "electrode": "NCM811 (811)"}).potential_V == 4.3


def test_a_gloss_that_is_no_coating_leaves_the_electrode_uncoated(resolver):
    for electrode in ("NMC811 (uncoated)", "NMC811 (single crystal)", "NMC811 (NMC811)", "NMC811, uncoated", '"NMC811"'):
        interface = resolver.one({"se": "LPSCl", "electrode": electrode})
        assert interface.formulas[1:] == ("LiNi0.8Mn0.1Co0.1O2", ""), electrode


def test_elements_joined_by_hyphens_name_a_system_not_a_composition(resolver):
    """Li-Ta-O gives no amounts: a coating of the materials table by that name is read, any other is refused rather
    than summed to LiTaO; metals so joined are an alloy (Li-In)."""
    assert resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": "Li–Ta–O"}).formulas[2] == "LiTaO3"
    with pytest.raises(QueryError, match="coating: 'Li-La-O' names a chemical system"):
        resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": "Li-La-O"})
    assert resolver.one({"se": "LPSCl", "electrode": "Li-Zn"}).formulas[1] == "LiZn"
    assert resolver.one({"se": "LPSCl", "electrode": "Li-In", "coating": "\u2014"}).formulas[1:] == ("LiIn", "")
    assert resolver.one({"se": "Li–P–S", "electrode": "Li"}).formulas[0] == "Li3PS4"  # the table's generic SE


def test_either_part_of_a_core_shell_name_may_come_first_and_the_electrode_material_is_the_electrode(resolver):
    """Both "NMC811@LiNbO3" (core@shell) and "LiNbO3@NMC811" are written; where neither part names an electrode
    material the first part is the electrode."""
    assert resolver.one({"se": "LPSCl", "electrode": "Si@C"}).formulas[1:] == ("Si", "C")
    assert resolver.one({"se": "LPSCl", "electrode": "Li3BO3@LiCoO2"}).formulas[1:] == ("LiCoO2", "Li3BO3")
    assert resolver.one({"se": "LPSCl", "electrode": "Li3PO4@LiNbO3"}).formulas[1:] == ("Li3PO4", "LiNbO3")


def test_a_slash_splits_an_electrode_from_its_coating_but_not_a_composite_or_an_alloy(resolver):
    """A slash also joins a composite's parts and an alloy's: only an electrode material beside a coating is split."""
    for electrode, formulas in (("LiFePO4/C", ("LiFePO4", "")), ("Li/In", ("LiIn", "")), ("Si/graphite", ("Si", "")),
                                ("Li2CO3/LiNbO3 coated LCO", ("LiCoO2", "LiNbO3"))):
        interface = resolver.one({"se": "LPSCl", "electrode": electrode})
        assert (interface.formulas[1], interface.formulas[2] or "") == formulas, electrode


def test_each_distinct_name_is_looked_up_once_per_batch(dataset):
    table = MaterialsTable(dataset.materials)
    looked_up = []
    resolve = table._resolve
    table._resolve = lambda text: looked_up.append(text) or resolve(text)
    rows = pd.DataFrame({"se": ["LPSCl", "LPSCl", "LGPS"] * 4, "electrode": ["Li", "NMC811", "Li"] * 4})
    outcomes = Resolver(table).interfaces(rows)
    assert all(isinstance(o, Interface) for o in outcomes) and len(outcomes) == 12
    assert sorted(looked_up) == ["LGPS", "LPSCl", "Li", "NMC811"]


def test_model_inputs_hold_the_featurizers_columns_with_nan_for_unstated_numbers(resolver):
    interface = resolver.one({"se": "Li3PS4", "electrode": "Li", "temperature_C": "60"})
    frame = model_inputs([interface])
    assert frame.loc[0, "temperature_C"] == 60.0 and pd.isna(frame.loc[0, "voltage_V"])
    assert frame.loc[0, "potential_V"] == 0.0 and frame.loc[0, "coating_formula"] == ""


def test_the_predictor_keeps_one_resolver_and_never_pickles_it(predictor):
    assert predictor.resolver is predictor.resolver
    assert predictor.known is predictor.known
    state = pickle.loads(pickle.dumps(predictor))
    assert "resolver" not in state.__dict__ and "known" not in state.__dict__
    assert state.resolver.table is not predictor.resolver.table  # rebuilt where it is loaded


def test_a_single_query_is_one_call_that_returns_what_its_names_resolved_to(predictor):
    interface, row = predictor.predict_one({"se": "LGPS", "electrode": "Li"})
    assert interface.formulas[:2] == ("Li10GeP2S12", "Li")
    assert row["resolved_se_formula"] == "Li10GeP2S12" and row["error"] == ""
    assert row.equals(predictor.predict(pd.DataFrame([{"se": "LGPS", "electrode": "Li"}])).iloc[0])
    with pytest.raises(QueryError, match="contradicts electrode"):
        predictor.predict_one({"se": "LGPS", "electrode": "Li", "voltage_V": 4.3})


def test_a_single_query_over_its_time_budget_is_one_error_not_an_empty_answer(predictor, monkeypatch):
    import time

    from degrade_ml import budget
    from degrade_ml.models import predictor as predictor_module

    real = predictor_module.typo_warning

    def stuck(formula, known):
        ends = time.monotonic() + 3
        while time.monotonic() < ends:
            time.sleep(0.01)
        return real(formula, known)

    monkeypatch.setattr(predictor_module, "typo_warning", stuck)
    monkeypatch.setattr(budget, "ROW_SECONDS", 0.3)
    with pytest.raises(QueryError, match="longer than the 0.3 s"):
        predictor.predict_one({"se": "Li3PS4", "electrode": "Li"})


def test_a_batch_names_the_first_contact_too_large_row_by_row(resolver):
    """A batch checks each pair of materials once and shares the answer between its rows: every row still gets
    what `contact_size_error` says of its own three materials (SE|electrode, SE|coating, then coating|electrode)."""
    from degrade_ml.resolve import contact_size_error

    ses, electrodes = ["Li6PS5Cl", "Li6PS5Cl0.5Br0.5"], ["LiNi0.8Mn0.1Co0.1O2", "Li"]
    coatings = ["none", "LiNbO3", "LiLaZrTaNbAlGaO", "LiPSClZrNbTaO"]
    rows = pd.DataFrame([{"se": s, "electrode": e, "coating": c} for s in ses for e in electrodes for c in coatings])
    outcomes = resolver.interfaces(rows)
    table = resolver.table
    expected = [contact_size_error(table.resolve(r.se), table.resolve(r.electrode),
                                   None if r.coating == "none" else table.resolve(r.coating)) for r in rows.itertuples()]
    assert [o if isinstance(o, str) else "" for o in outcomes] == expected
    assert "the contact Li6PS5Cl | LiLaZrTaNbAlGaO spans 11 elements" in expected[2]  # SE|coating, either electrode
    assert "the contact LiPSClZrNbTaO | LiNi0.8Mn0.1Co0.1O2 spans 11" in expected[3]  # coating|electrode only
    assert expected[7] == "" and expected.count("") == 10  # the same coating beside Li metal is fine


def test_a_batch_resolves_every_row_as_it_would_be_resolved_alone(resolver):
    """A batch asks its voltage checks, contact checks and electrode potentials once per distinct electrode, voltage
    or pair and hands the answers back to the rows: each row gets what it gets alone."""
    cells = [{"se": s, "electrode": e, "coating": c, "voltage_V": v}
             for s in ("LPSCl", "Li3PS4", "LPSX")
             for e in ("Li", "NMC811", "LiIn", "Li1.2Ni0.3Ti0.3Nb0.2O2")
             for c in ("none", "LNO", "LiPSClZrNbTaO")
             for v in (None, 0, 2.5, "4.3")]
    rows = pd.DataFrame(cells)
    alone = [resolver.interfaces(pd.DataFrame([cell]))[0] for cell in cells]
    assert resolver.interfaces(rows) == alone
    kinds = {type(o).__name__ if not isinstance(o, str) else o.split(":")[0] for o in alone}
    assert {"Interface", "se", "voltage_V"} <= kinds  # answers, a bad name, Li metal at 2.5 V
    assert any(isinstance(o, str) and "spans" in o for o in alone)


@pytest.mark.parametrize("coating", ["1 wt% LiNbO3", "2wt.% LiNbO3", "LiNbO3 ~5 nm", "LiNbO3, 5 nm", "LiNbO3 (~5nm)",
                                     "sol-gel LiNbO3", "0.5 mol% LiNbO3"])
def test_a_coatings_share_or_thickness_or_route_beside_its_name_is_dropped(resolver, coating):
    assert resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": coating}).formulas[2] == "LiNbO3"


def test_a_supplier_after_a_comma_is_dropped_and_a_second_material_is_not(resolver):
    """"Li6PS5Cl, Ampcera" is the SE as supplied, as "Li6PS5Cl (Ampcera)" is; a word that could be a mistyped
    formula ("Lii") or a second material ("LiNbO3") is not a supplier."""
    for se in ("Li6PS5Cl, Ampcera", "Li6PS5Cl, NEI Corp.", "Li6PS5Cl, Sigma-Aldrich", "LPSCl, MSE"):
        assert resolver.one({"se": se, "electrode": "Li"}).formulas[0] == "Li6PS5Cl", se
    assert resolver.one({"se": "LPSCl", "electrode": "NCM811, Targray"}).formulas[1] == "LiNi0.8Mn0.1Co0.1O2"
    for se in ("Li6PS5Cl, Lii", "Li6PS5Cl, LiNbO3", "Li6PS5Cl, Co"):
        with pytest.raises(QueryError, match=f"se: '{se}'"):
            resolver.one({"se": se, "electrode": "Li"})


def test_everyday_abbreviations_that_pymatgen_misreads_are_the_tables(resolver):
    """SUS (stainless steel) is no S2U, and an amorphous coating written with Ox is the table's nominal oxide."""
    assert resolver.one({"se": "LPSCl", "electrode": "SUS"}).formulas[1] == "Fe"
    for coating, formula in (("LiSiOx", "Li2SiO3"), ("LiAlOx", "LiAlO2"), ("LiPOx", "Li3PO4")):
        assert resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": coating}).formulas[2] == formula


def test_at_open_circuit_only_li_and_its_alloys_hold_a_potential(resolver):
    """OCV is the pristine contact: a cathode (or an unlithiated graphite) meets the SE chemically, in the role its
    nominal potential gives it, and says so; Li metal and Li-In rest at their own potentials."""
    for cell in ("OCV", "OCV (pristine)", "pristine", "as assembled"):
        pristine = resolver.one({"se": "LPSCl", "electrode": "NMC811", "voltage_V": cell})
        assert (pristine.potential_V, pristine.voltage_V, pristine.electrode_role) == (None, None, "cathode"), cell
        assert "chemical contact" in pristine.potential_warning
    for electrode, volts in (("Li", 0.0), ("Li-In", 0.62)):
        rested = resolver.one({"se": "LPSCl", "electrode": electrode, "voltage_V": "open circuit"})
        assert (rested.potential_V, rested.electrode_role) == (volts, "anode")


def test_a_treatment_without_its_material_is_refused_as_such(resolver):
    """"surface-modified NMC811" says NMC811 carries a coating but not which: the row is refused for the coating it
    does not name, not for "surface" being no formula."""
    with pytest.raises(QueryError, match="coating: 'surface' describes a material but names none"):
        resolver.one({"se": "LPSCl", "electrode": "surface-modified NMC811"})


@pytest.mark.parametrize("written", ["anode-free", "single-crystal", "thin-film"])
def test_a_descriptor_alone_is_refused_as_naming_no_material(resolver, written):
    """A hyphenated descriptor is not split into a material: "anode-free" was read as a material called "free"."""
    with pytest.raises(QueryError, match=f"electrode: '{written}' describes a material but names none"):
        resolver.one({"se": "LPSCl", "electrode": written})


def test_a_quantity_alone_is_not_a_material(resolver):
    with pytest.raises(QueryError, match="coating: '5 nm'"):
        resolver.one({"se": "LPSCl", "electrode": "NMC811", "coating": "5 nm"})


def test_a_coating_that_is_the_se_itself_is_answered_uncoated_and_says_so(resolver):
    """An SE between the SE and the electrode is no layer of its own: it was answered as a coating, p(stable) 0.42
    for Li6PS5Cl on Li against 0.18 bare."""
    for coating in ("Li6PS5Cl", "LPSCl", "Li12P2S10Cl2"):
        interface = resolver.one({"se": "LPSCl", "electrode": "Li", "coating": coating})
        assert interface.coating is None
        assert interface.reading_warnings == (f"coating {coating} is the SE itself (Li6PS5Cl): answered uncoated",)
    assert resolver.one({"se": "LPSCl", "electrode": "Li", "coating": "Li3PS4"}).coating.formula == "Li3PS4"


def test_an_interface_written_into_one_field_is_refused_as_a_stack(resolver):
    with pytest.raises(QueryError, match=r"electrode: 'Li\|Li-In' writes a stack of materials"):
        resolver.one({"se": "LPSCl", "electrode": "Li|Li-In"})
    with pytest.raises(QueryError, match=re.escape("se: 'LPSCl | Li' writes a stack")):
        resolver.one({"se": "LPSCl | Li", "electrode": "Li-In"})
