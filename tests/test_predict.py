"""The prediction CLI of SPEC §4: single, JSON and batch, bad input, atomic output, the bundled model."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from degrade_ml.chemistry.formulas import parse_formula
from degrade_ml.chemistry.rules import rule_modes
from degrade_ml.cli import predicting
from degrade_ml.cli.main import app
from degrade_ml.data import load_dataset
from degrade_ml.features.featurizer import feature_layout_hash
from degrade_ml.models.predictor import OUTPUT_COLUMNS, predict_in_chunks
from degrade_ml.registry.bundle import bundle_metadata
from degrade_ml.thermo.table import table_hash
from degrade_ml.vocab import PRODUCT_CLASSES

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("small_model")  # every CLI call predicts with the session's small model


def test_bundled_model_matches_the_shipped_data():
    assert bundle_metadata()["dataset_hash"] == load_dataset().content_hash, "data/ changed: run `degrade-ml export`"
    assert bundle_metadata()["phase_table_hash"] == table_hash(), "data/thermo changed: run `degrade-ml export`"
    assert bundle_metadata()["feature_layout_hash"] == feature_layout_hash(), "features changed: run `degrade-ml export`"


def test_single_query_as_json_names_concrete_phases():
    result = runner.invoke(app, ["predict", "--se", "Li6PS5Cl", "--electrode", "Li", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert {"Li2S", "Li3P", "LiX"} <= set(answer["products"])
    assert answer["product_phases"]["LiX"] == ["LiCl"]
    assert answer["stability"] in ("stable", "passivating", "continuous")
    assert set(answer["product_probabilities"]) == set(PRODUCT_CLASSES)
    assert answer["in_domain"] is True


def test_a_coated_electrode_in_one_option_shows_its_coating():
    answer = json.loads(runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "LiNbO3-coated NMC811",
                                            "--voltage", "4.3", "--json"]).stdout)
    assert (answer["coating"], answer["coating_formula"], answer["electrode_formula"]) == (
        "LiNbO3", "LiNbO3", "LiNi0.8Mn0.1Co0.1O2")


def test_lgps_at_li_forms_a_li_ge_alloy_and_keeps_reacting():
    answer = json.loads(runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "Li", "--json", "--explain"]).stdout)
    assert "Li–Ge" in answer["product_phases"]["Li_M_alloy"]
    assert answer["stability"] == "continuous"
    assert answer["explanation"] and all(item["feature"] for item in answer["explanation"])


def test_explain_prints_each_records_evidence_whole_at_80_columns():
    """The records were a six-column table whose evidence column wrapped one word per line at 80 columns."""
    args = ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--explain"]
    records = json.loads(runner.invoke(app, [*args, "--json"]).stdout)["literature"]
    shown = " ".join(runner.invoke(app, args, env={"COLUMNS": "80"}).stdout.split())
    assert records and all(" ".join(r["evidence"].split()) in shown and r["record_id"] in shown for r in records)


def test_an_oxide_electrolyte_is_out_of_domain():
    answer = json.loads(runner.invoke(app, ["predict", "--se", "Li7La3Zr2O12", "--electrode", "Li", "--json"]).stdout)
    assert answer["in_domain"] is False
    assert any("not a sulfide" in w for w in answer["warnings"])
    assert any("element-group differences" in w for w in answer["warnings"])


def test_domain_keeps_left_out_training_interfaces_and_rejects_foreign_chemistry(predictor, dataset):
    """Fitted without one record, the domain should still accept it (its chemistry is covered by the others) for
    nearly every record, yet reject an interface that shares none of the trained chemistry."""
    from degrade_ml.models import record_inputs
    from degrade_ml.models.domain import ApplicabilityDomain
    from degrade_ml.models.predictor import chemistry_flags

    flags = chemistry_flags(predictor.featurize(record_inputs(dataset.interfaces)))
    kept = 0
    for i in range(len(flags)):
        domain = ApplicabilityDomain().fit(np.delete(flags, i, axis=0), elements=predictor.domain.elements_)
        kept += domain.distance_warnings(flags[i:i + 1]) == [None]
    assert kept >= 0.9 * len(flags)
    foreign = pd.DataFrame({"se_formula": ["Li7La3Zr2O12"], "electrode_formula": ["Na"], "coating_formula": ["MgO"],
                            "electrode_role": ["anode"], "voltage_V": [None], "temperature_C": [None],
                            "pressure_MPa": [None], "potential_V": [0.0]})
    assert predictor.domain.distance_warnings(chemistry_flags(predictor.featurize(foreign))) != [None]


def test_temperature_and_pressure_leave_the_answer_as_it_is_and_say_so(predictor):
    """Too few records state them to learn from: stating room temperature must not move the answer (it did, by
    0.09 in p(LiX) at Li metal, when a forest read whether a study stated one)."""
    queries = pd.DataFrame({"se": ["Li6PS5Cl", "Li6PS5Cl", "Li10GeP2S12"], "electrode": ["Li", "NMC811", "LiCoO2"]})
    plain = predictor.predict(queries)
    stated = predictor.predict(queries.assign(temperature_C=[25.0, 100.0, -20.0], pressure_MPa=[None, 50.0, 5.0]))
    probabilities = [c for c in plain.columns if c.startswith("p_")]
    np.testing.assert_array_equal(plain[probabilities].to_numpy(float), stated[probabilities].to_numpy(float))
    assert not any("not used" in w for row in plain["warnings"] for w in row)
    said = [[w for w in row if "not used" in w] for row in stated["warnings"]]
    assert said[0] == ["temperature 25 °C: not used; the phase energies are at 0 K and too few records state it to learn from"]
    assert said[1][0].startswith("temperature 100 °C and stack pressure 50 MPa: not used")


def test_mg_in_an_electrode_or_coating_is_li_ion_chemistry_but_a_na_conductor_is_not():
    """A Li–Mg alloy anode or a MgO coating is a Li cell; Na3PS4 conducts another ion."""
    def warnings(*args: str) -> list[str]:
        return json.loads(runner.invoke(app, ["predict", *args, "--json"]).stdout)["warnings"]

    for args in (["--se", "Li6PS5Cl", "--electrode", "Li-Mg"], ["--se", "LPSCl", "--electrode", "NMC811", "--coating", "MgO"]):
        assert not any("not Li-ion" in w for w in warnings(*args)), args
    assert any("Na present: not Li-ion" in w for w in warnings("--se", "Na3PS4", "--electrode", "Na"))


def test_li2s_with_a_li_halide_is_a_li2s_cathode_at_its_family_potential():
    answer = json.loads(runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "Li2S-LiI", "--json"]).stdout)
    assert answer["electrode_role"] == "cathode" and answer["potential_V"] == 2.5


def test_a_p_free_tin_sulfide_is_in_domain_and_forms_li_sn_without_li3p():
    answer = json.loads(runner.invoke(app, ["predict", "--se", "Li4SnS4", "--electrode", "Li", "--json"]).stdout)
    assert answer["in_domain"] is True
    assert "Li3P" not in answer["products"] and answer["product_phases"].get("Li_M_alloy") == ["Li–Sn"]


def test_table_output_is_readable():
    result = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LNO"])
    assert result.exit_code == 0
    assert "stability:" in result.stdout and "LiNbO3" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--se", "LPSX", "--electrode", "Li"], "'LPSX' is neither a name in the materials table nor a formula pymatgen parses"),
        (["--se", "Li6PS5Cl", "--electrode", "Qq2O"], "'Qq2O'"),
        (["--se", "Li6PS5Cl", "--electrode", "Li", "--voltage", "-1"], "voltage_V"),
        (["--se", "Li6PS5Cl"], "--electrode"),
    ],
)
def test_bad_single_query_exits_2_with_one_line(args, says):
    result = runner.invoke(app, ["predict", *args])
    assert result.exit_code == 2
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_batch_predicts_good_rows_and_reports_bad_ones(tmp_path):
    queries = pd.DataFrame({
        "sample": ["a", "b", "c", "d", "e"],
        "se": ["LPSCl", "", "LGPS", "Li3PS4", "Li6PS5Br"],
        "electrode": ["Li", "Li", "NMC811", "LCO", "Li"],
        "coating": ["", "", "LNO", "", ""],
        "voltage_V": ["", "", "4.3", "-2", "abc"],
    })
    queries.to_csv(tmp_path / "q.csv", index=False)
    result = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "p.csv")])
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False)
    assert list(out.columns) == [*queries.columns, *OUTPUT_COLUMNS]
    assert list(out["sample"]) == ["a", "b", "c", "d", "e"]
    assert [bool(e) for e in out["error"]] == [False, True, False, True, True]
    assert "empty material name" in out.loc[1, "error"] and "voltage_V" in out.loc[3, "error"]
    assert out.loc[0, "in_domain"] == "true" and "LiCl" in out.loc[0, "product_phases"]


def test_batch_missing_column_exits_2_naming_it(tmp_path):
    pd.DataFrame({"se": ["LPSCl"]}).to_csv(tmp_path / "q.csv", index=False)
    result = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "p.csv")])
    assert result.exit_code == 2 and "electrode" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_ten_thousand_rows_with_ten_bad_ones(tmp_path, predictor):
    queries = pd.DataFrame({"se": ["Li6PS5Cl", "LGPS", "Li3PS4", "Li7P3S11"] * 2500, "electrode": ["Li", "NMC811", "LCO", "Li"] * 2500})
    queries.loc[range(0, 10000, 1000), "se"] = "NotAnSE"
    result = predict_in_chunks(predictor, queries)
    assert len(result) == 10000
    assert (result["error"] != "").sum() == 10
    assert result["products"].notna().sum() == 9990


def test_a_write_interrupted_half_way_leaves_no_output(tmp_path, monkeypatch):
    """The CSV writer dies after writing part of the file: a plain `to_csv` to the target would leave that part."""
    pd.DataFrame({"se": ["LPSCl"] * 3, "electrode": ["Li"] * 3}).to_csv(tmp_path / "q.csv", index=False)
    real_to_csv = pd.DataFrame.to_csv

    def write_half_then_fail(frame, target=None, *args, **kwargs):
        if target is None or isinstance(target, (str, bytes)) or hasattr(target, "__fspath__"):
            return real_to_csv(frame, target, *args, **kwargs)
        target.write(b"se,electrode,products\nLPSCl,Li,")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", write_half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        predicting.run_batch(tmp_path / "q.csv", tmp_path / "p.csv", None, None)
    assert list(tmp_path.iterdir()) == [tmp_path / "q.csv"]


def test_every_mode_the_rule_expects_is_listed(predictor):
    """Modes rank and calibrate the rule's (InterfaceHeads.mode_prior_weight 0.5): dendrites at Li and the alloys,
    a space-charge layer at a bare oxide cathode. At the products' weight (0.3) the forest dropped some, and listed
    fewer of the records' modes than the rule did out of fold."""
    queries = [("LPSCl", "Li", ""), ("LGPS", "Li-In", ""), ("Li3PS4", "Si", ""), ("LPSCl", "NMC811", ""),
               ("LGPS", "LiCoO2", ""), ("LPSCl", "NMC811", "LiNbO3"), ("LPSCl", "Li4Ti5O12", "")]
    out = predictor.predict(pd.DataFrame(queries, columns=["se", "electrode", "coating"]))
    for row in out.itertuples():
        coating = parse_formula(row.resolved_coating_formula) if row.resolved_coating_formula else None
        expected = rule_modes(parse_formula(row.resolved_electrode_formula), coating, row.electrode_role)
        assert expected <= set(row.degradation_modes), (row.Index, row.degradation_modes)
    assert {"dendrite"} <= set(out.loc[0, "degradation_modes"]) and "space_charge_layer" in out.loc[3, "degradation_modes"]


def test_a_stack_pressure_whose_creep_refills_the_interface_takes_the_voids_away(predictor):
    # review ref [30a]: Li|Li6PS5Cl voided at 3.5 MPa and not after 100 cycles at 7 MPa
    queries = [("LPSCl", "Li", "", "3.5 MPa"), ("LPSCl", "Li", "", "10 MPa"), ("LPSCl", "Li", "", ""),
               ("LPSCl", "NMC811", "", "10 MPa"), ("LPSCl", "graphite", "", "3.5 MPa")]
    out = predictor.predict(pd.DataFrame(queries, columns=["se", "electrode", "coating", "pressure_MPa"]))
    modes = [set(m) for m in out["degradation_modes"]]
    assert {"dendrite", "void"} <= modes[0] and "void" not in modes[1] and "dendrite" in modes[1]
    assert "void" in modes[2]  # unstated: no creep assumed to refill it
    assert "void" not in modes[4]  # graphite intercalates: nothing metallic is stripped
    warnings = [" ".join(w) for w in out["warnings"]]
    assert ["stack pressure" in w and "not used" in w for w in warnings] == [False, False, False, True, True]
    assert "below the 7 MPa" in warnings[0] and "voids are not expected" in warnings[1]  # read at Li, and said how


def test_a_rows_answer_does_not_depend_on_the_rows_beside_it(predictor):
    """The chemistry prior is computed once per distinct interface pattern: NMC111 shares NMC811's elements but is
    not Ni-rich, and Li7PS6 shares Li3PS4's but carries free sulfide, so a pattern of elements alone answered the
    second of each pair with the first one's rules."""
    queries = [("Li6PS5Cl", "NMC811", "", 4.3), ("Li6PS5Cl", "NMC111", "", 4.3),
               ("Li3PS4", "LiCoO2", "", 4.2), ("Li7PS6", "LiCoO2", "", 4.2)]
    frame = pd.DataFrame(queries, columns=["se", "electrode", "coating", "voltage_V"])
    together = predictor.predict(frame)
    for i in range(len(frame)):
        alone = predictor.predict(frame.iloc[[i]]).iloc[0]
        for column in ("products", "degradation_modes", "stability", "p_Li2Sn", "p_stable"):
            assert alone[column] == together.loc[i, column], (queries[i], column)
    assert "rock_salt_transition" in together.loc[0, "degradation_modes"]
    assert "rock_salt_transition" not in together.loc[1, "degradation_modes"]


def test_an_oxidised_argyrodite_lists_polysulfides_beside_sulfur_and_a_sulfide_without_free_s2_does_not(predictor):
    """Review §3.2.1 ([86], [88], [67]): Li2Sn at argyrodite cathodes; thermodynamics cannot form it, the rule names
    it where the SE holds free sulfide (`chemistry.rules.free_sulfide`), and the answer lists it beside S, P2Sx and POx."""
    queries = [("LPSCl", "NMC811", ""), ("Li3PS4", "NMC811", ""), ("LPSCl", "NMC811", "LiNbO3")]
    out = predictor.predict(pd.DataFrame(queries, columns=["se", "electrode", "coating"]))
    assert {"Li2Sn", "S", "P2Sx", "POx"} <= set(out.loc[0, "products"])
    assert "Li2Sn" not in out.loc[1, "products"] and out.loc[1, "p_Li2Sn"] < 0.1
    assert out.loc[2, "products"] == [] and out.loc[2, "p_Li2Sn"] < 0.1  # coated: the rule expects nothing
