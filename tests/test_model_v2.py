"""Model v2: thermodynamics inside the model, answers that move with voltage, cathode and coating, abstention,
role errors, echo, typo warnings, and explanations that cite the reaction and the literature."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from degrade_ml.cli.main import app
from degrade_ml.resolve import typo_warning
from degrade_ml.vocab import PRODUCT_CLASSES

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("small_model")  # every CLI call predicts with the session's small model


def _predict(predictor, **columns):
    return predictor.predict(pd.DataFrame(columns))


def test_p_stable_falls_as_the_cathode_is_charged_higher(predictor):
    result = _predict(predictor, se=["LPSCl"] * 3, electrode=["NMC811"] * 3, voltage_V=[3.8, 4.3, 4.6])
    p_stable = result["p_stable"].astype(float).tolist()
    assert p_stable[0] > p_stable[1] > p_stable[2]


def test_cathodes_at_one_potential_rank_by_how_strongly_they_react_with_the_se(predictor):
    """The SE's own oxidation at 4.3 V is the same for every cathode; its reaction with each cathode is not (Li6PS5Cl
    against NMC811 -719, LiCoO2 -647, LiMn2O4 -436 and LiFePO4 -113 meV/atom), and p_stable follows it."""
    cathodes = ["NMC811", "LiCoO2", "LiMn2O4", "LiFePO4"]
    result = _predict(predictor, se=["LPSCl"] * 4, electrode=cathodes, voltage_V=[4.3] * 4)
    p_stable = result["p_stable"].astype(float).tolist()
    assert p_stable == sorted(p_stable) and len(set(p_stable)) == 4, dict(zip(cathodes, p_stable))


def test_a_coating_raises_p_stable_and_removes_se_oxidation(predictor):
    result = _predict(predictor, se=["LPSCl"] * 2, electrode=["NMC811"] * 2, coating=["", "LiNbO3"], voltage_V=[4.3, 4.3])
    assert float(result.loc[1, "p_stable"]) > float(result.loc[0, "p_stable"]) + 0.2
    assert float(result.loc[1, "p_S"]) < float(result.loc[0, "p_S"])


def test_no_product_is_more_likely_than_the_interface_reacting(predictor):
    """A product forms only where the interface reacts: p(class) ≤ 1 − p(stable), in the learned answer and in the
    thermodynamic one (a pristine LiMn2O4 contact read p(POx) 0.66 beside p(stable) 0.59; a Li3BO3-coated NMC811, an
    answer from thermodynamics, likewise). What each answer lists is unchanged: nothing where it is stable."""
    rows = [("LPSCl", "LiMn2O4", "", "OCV"), ("LPSCl", "NMC811", "Li3BO3", "4.3"), ("LPSCl", "NMC811", "LiNbO3", "4.3"),
            ("LPSCl", "LFP", "Li4Ti5O12", ""), ("LGPS", "Li", "", ""), ("LPSCl", "NMC811", "", "4.3")]
    result = _predict(predictor, **dict(zip(("se", "electrode", "coating", "voltage_V"), map(list, zip(*rows)))))
    classes = result[[f"p_{k}" for k in PRODUCT_CLASSES]].astype(float)
    reacts = 1 - result["p_stable"].astype(float)
    assert (classes.max(axis=1) <= reacts + 1e-6).all(), classes.max(axis=1) - reacts
    assert set(result["answer_basis"]) == {"literature", "thermodynamics"}
    for _, row in result.iterrows():
        assert (row["products"] == []) == (row["stability"] == "stable")


def test_no_class_is_given_a_chance_on_the_side_of_the_potential_scale_where_it_cannot_exist(predictor):
    """Li3P and Li–M alloys hold Li only below about 1 V, S, polysulfides and sulfates exist only above about 2 V:
    LGPS at a cathode gets no Li3P or Li–Ge, at Li4Ti5O12 (1.55 V) or Li no S, Li2Sn or SOx."""
    result = _predict(predictor, se=["LGPS"] * 3, electrode=["LiCoO2", "Li4Ti5O12", "Li"])
    cathode, *anodes = (result.loc[i] for i in range(3))
    assert cathode["p_Li3P"] == cathode["p_Li_M_alloy"] == 0.0 and cathode["p_S"] > 0
    for anode in anodes:
        assert anode["p_S"] == anode["p_Li2Sn"] == anode["p_SOx"] == 0.0 and anode["p_Li2S"] > 0


def test_insertion_anodes_are_told_apart_from_cathodes_by_potential(predictor):
    result = _predict(predictor, se=["LPS"] * 3, electrode=["Li4Ti5O12", "LiIn", "LiCoO2"])
    assert list(result["electrode_role"]) == ["anode", "anode", "cathode"]
    assert list(result["potential_V"]) == [1.55, 0.62, 4.2]  # LiCoO2 at its typical charge cut-off


def test_out_of_domain_abstains_and_says_why(predictor):
    row = _predict(predictor, se=["Li7La3Zr2O12"], electrode=["Li"]).iloc[0]
    assert row["in_domain"] is False and row["products"] is None and row["stability"] is None
    assert row["answer_basis"] == ""
    assert pd.isna(row["p_Li2S"]) and any("La" in warning for warning in row["warnings"])


@pytest.mark.parametrize(("column", "value", "says"), [
    ("coating", "Li", "not a coating"), ("se", "NMC811", "not a solid electrolyte"),
    ("electrode", "Li6PS5Cl", "not an electrode"), ("coating", "LiCoO2", "not a coating"),
])
def test_a_material_in_the_wrong_role_is_a_row_error_naming_it(predictor, column, value, says):
    query = {"se": ["LPSCl"], "electrode": ["NMC811"], "coating": [""]} | {column: [value]}
    row = predictor.predict(pd.DataFrame(query)).iloc[0]
    assert says in row["error"] and repr(value) in row["error"]


def test_every_output_echoes_what_each_name_resolved_to(predictor):
    row = _predict(predictor, se=["LGPS"], electrode=["NMC811"], coating=["LNO"], voltage_V=[4.3]).iloc[0]
    assert (row["resolved_se_formula"], row["resolved_electrode_formula"], row["resolved_coating_formula"]) == (
        "Li10GeP2S12", "LiNi0.8Mn0.1Co0.1O2", "LiNbO3")
    assert row["electrode_role"] == "cathode" and row["potential_V"] == 4.3


def test_formulas_that_parse_but_look_mistyped_are_warned(predictor):
    typo = "Li6PSCl5"  # no charge balance; a digit typed for a letter (LiNb03) is a row error instead
    row = predictor.predict(pd.DataFrame({"se": [typo], "electrode": ["Li"]})).iloc[0]
    assert any(warning.startswith(f"{typo}:") and "typo" in warning for warning in row["warnings"])
    clean = _predict(predictor, se=["Li6PS5Cl"], electrode=["Li"]).iloc[0]
    assert not any("typo" in warning for warning in clean["warnings"])


@pytest.mark.parametrize("real", ["Li8ZrO6", "Li1.2Ni0.2Mn0.6O2", "LiBS2", "Li2S6", "LiP7", "LiN3", "LiGe", "Li13In3",
                                  "LiBH4", "LiPF6", "LiNH2", "LiO3"])
def test_real_compounds_the_tables_lack_are_not_taken_for_typos(predictor, real):
    """A Li-rich zirconate and layered oxide, a thioborate, polysulfides, a Zintl phosphide, an azide, alloys and salts:
    the first eight were called typos by distance to the tables' formulas alone; LiPF6 and LiNH2 (no P–F or N–H
    compound known) keep the mixture reading from calling them so."""
    assert real not in predictor.known.formulas
    assert typo_warning(real, predictor.known) == ""


@pytest.mark.parametrize("typo", ["Li5.5PS45Cl1.5", "LiFePO1", "Li4S", "Ni0.333Mn0.333Co0.333O2", "Li3PS8", "LiCo",
                                  "LiO4"])
def test_formulas_no_mixture_of_known_compounds_gives_are_warned(predictor, typo):
    """More S than any thiophosphate holds, an olivine short of its oxygen, more Li than Li2S, NMC without its Li (more
    O than its oxides hold), a Li–Co 'alloy', an O chain past the ozonide (LiClO4 without its Cl): balanced or not, no
    known salts of their elements make them."""
    assert "is it a typo?" in typo_warning(typo, predictor.known)


def test_explain_names_the_reaction_and_the_nearest_records():
    result = runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "Li", "--json", "--explain"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert any("Li" in item["reaction"] and item["energy_meV_atom"] < 0 for item in answer["thermodynamics"])
    literature = answer["literature"]
    assert literature and all(item["relation"] in ("supports", "contradicts") for item in literature)
    assert "Li10GeP2S12" in literature[0]["interface"] and literature[0]["source"]


def test_a_record_of_another_interface_is_a_reference_not_a_verdict_on_the_answer():
    """Bare NMC622 | Li6PS5Cl forming phosphates does not contradict a stable answer behind LiNbO3, nor Li metal
    reducing Li6PS5Cl an answer for Li4Ti5O12."""
    coated = json.loads(runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LiNbO3",
                                            "--voltage", "4.3", "--json", "--explain"]).stdout)
    by_coating = {("LiNbO3" in item["interface"]): item["relation"] for item in coated["literature"]}
    assert by_coating == {True: "reference: another SE", False: "reference: another electrode, uncoated"}
    lto = json.loads(runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "Li4Ti5O12", "--json",
                                         "--explain"]).stdout)
    assert lto["literature"] and {item["relation"] for item in lto["literature"]} == {"reference: another electrode"}
    bare = json.loads(runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "NMC811", "--json", "--explain"]).stdout)
    relations = {item["record_id"]: item["relation"] for item in bare["literature"]}
    assert relations["b-nmc811-lno-lgps-operando-xas-li2019"] == "reference: coated"
    assert relations["b-nmc811-lgps-operando-xas-li2019"] in ("supports", "contradicts")
    table = runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "NMC811", "--explain"], terminal_width=200)
    assert "reference: coated\n" in table.stdout and "reference: coated the answer" not in table.stdout


def test_explain_of_a_thermodynamic_answer_says_what_drove_it_instead_of_an_empty_table():
    table = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "LiFePO4", "--explain"], terminal_width=200)
    assert table.exit_code == 0, table.output
    assert "answer from thermodynamics" in table.stdout
    assert "what drove it: the phase-energy table alone" in table.stdout and "┃ fact" not in table.stdout
    at_li = runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "Li", "--explain"], terminal_width=200)
    assert "┃ fact" in at_li.stdout and "the phase-energy table alone" not in at_li.stdout


def test_an_abstention_reads_as_no_prediction_in_the_table_and_the_json():
    table = runner.invoke(app, ["predict", "--se", "Li7La3Zr2O12", "--electrode", "Li", "--explain"])
    assert table.exit_code == 0, table.output
    assert "no prediction: outside the domain" in table.stdout and "not a sulfide" in table.stdout
    answer = json.loads(runner.invoke(app, ["predict", "--se", "Li7La3Zr2O12", "--electrode", "Li", "--json", "--explain"]).stdout)
    assert answer["in_domain"] is False and answer["products"] is None and answer["stability"] is None
    assert answer["explanation"] == [] and all(p is None for p in answer["product_probabilities"].values())
    assert {item["relation"] for item in answer["literature"]} == {"no prediction to compare"}


def test_an_interface_outside_the_phase_table_says_why_and_that_nothing_was_computed():
    table = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "Li2HfF6"],
                          terminal_width=200)
    assert table.exit_code == 0, table.output
    assert "no prediction" in table.stdout and "no compound of Hf with F" in table.stdout
    assert "thermodynamics at 4.3 V vs Li/Li+: not computed" in table.stdout and "SE window ?" not in table.stdout
