"""`degrade-ml screen`: list parsing, one report per bad material, ranking, rows equal to
`InterfacePredictor.predict`, atomic parquet/CSV output, and the Spark engine equal to the local one."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from degrade_ml.conditions import AT_OPEN_CIRCUIT
from degrade_ml.screening.grid import ScreenError, parse_list
from degrade_ml.screening.local import screen
from degrade_ml.screening.results import tidy, write_results
from degrade_ml.cli.main import app
from degrade_ml.features import composition
from degrade_ml.models.predictor import OUTPUT_COLUMNS
from degrade_ml.vocab import SCREEN_COLUMNS, split_list

pytestmark = pytest.mark.xdist_group("test_screen")  # its module fixtures built once, on one worker

runner = CliRunner()
SES = "LPSCl,LGPS,Li3PS4"
ELECTRODES = "Li,NMC811,Unobtainium,LCO,Unobtainium"  # the bad one twice: still reported once
COATINGS = "none,LNO"
COLUMNS = [*SCREEN_COLUMNS, *OUTPUT_COLUMNS]


@pytest.fixture(scope="module")
def small_screen(predictor):
    return screen(predictor, SES, ELECTRODES, COATINGS, voltage=4.3)


def _n_products(frame: pd.DataFrame) -> list[int]:
    return [len(split_list(cell)) for cell in frame["products"]]


def test_lists_come_from_commas_or_files(tmp_path):
    listing = tmp_path / "coatings.txt"
    listing.write_text("# coatings to try\nLiNbO3\n\nnone\nLi3PO4\nLiNbO3\n")
    assert parse_list(" LPSCl, LGPS ,,LPSCl") == ["LPSCl", "LGPS"]
    assert parse_list(str(listing), coatings=True) == ["LiNbO3", "", "Li3PO4"]
    assert parse_list("None,LNO,", coatings=True) == ["", "LNO"]
    with pytest.raises(ScreenError, match="no such file"):
        parse_list(str(tmp_path / "missing.txt"))


def test_small_screen_is_ranked_and_skips_the_bad_material_once(small_screen):
    result = small_screen
    assert [(r.kind, r.name) for r in result.rejected] == [("electrode", "Li"), ("electrode", "Unobtainium")]
    assert "Li metal is at 0 V" in result.rejected[0].reason, "Li metal at the screen's 4.3 V is refused once"
    assert "neither a name in the materials table nor a formula" in result.rejected[1].reason
    assert result.counts == (3, 2, 2) and result.combinations == 12
    ranked = result.results
    assert list(ranked.columns) == COLUMNS and len(ranked) == 12
    assert "Unobtainium" not in set(ranked["electrode"]) and (ranked["error"] == "").all()
    assert set(zip(ranked["se"], ranked["electrode"], ranked["coating"])) == {
        (s, e, c) for s in ("LPSCl", "LGPS", "Li3PS4") for e in ("NMC811", "LCO") for c in ("", "LNO")
    }
    keys = list(zip(-ranked["p_stable"], _n_products(ranked)))
    assert keys == sorted(keys), "ranked by p(stable) descending, then fewest products"
    best = result.best_per_se
    assert sorted(best["se"]) == ["LGPS", "LPSCl", "Li3PS4"]
    for row in best.itertuples(index=False):
        assert row.p_stable == ranked.loc[ranked["se"] == row.se, "p_stable"].max()


def test_a_screen_row_equals_the_same_single_prediction(predictor, small_screen):
    ranked = small_screen.results
    expected = tidy(predictor.predict(ranked[list(SCREEN_COLUMNS)]))
    pd.testing.assert_frame_equal(ranked, expected)


def test_every_screen_row_equals_its_query_predicted_alone(predictor):
    # a screen answers per distinct material, pair and check and hands the answers to its rows (and its text to the
    # spill as codes); a query alone shares nothing with another
    result = screen(predictor, "LPSCl,Li3PS4,Li6PS5Cl0.5Br0.5", "Li,LiIn,NMC811,LCO", "none,LNO,Li3PO4")
    for i in range(len(result.results)):
        alone = tidy(predictor.predict(result.results.loc[[i], list(SCREEN_COLUMNS)]))
        pd.testing.assert_frame_equal(result.results.loc[[i]].reset_index(drop=True), alone)
    assert len(result.results) == 36 and result.results["answer_basis"].nunique() > 1


def test_a_wider_screen_with_out_of_domain_materials_equals_the_predictor(predictor):
    result = screen(predictor, ["Li6PS5Cl", "Li6PS5Cl0.5Br0.5", "Li10SnP2S12", "Li7La3Zr2O12", "Na3PS4"],
                              ["Li", "LiIn", "LiNi0.6Mn0.2Co0.2O2", "LiNi0.7Mn0.15Co0.15O2", "LiMn2O4"],
                              ["none", "LiNbO3", "LiNb0.5Ta0.5O3", "Li2ZrO3"], voltage=None)
    expected = tidy(predictor.predict(result.results[list(SCREEN_COLUMNS)]))
    pd.testing.assert_frame_equal(result.results, expected)
    assert (result.results["in_domain"] == "false").any()


def test_a_screen_at_open_circuit_answers_every_pristine_contact(predictor, tmp_path):
    """OCV, as a batch row reads it: Li metal and a Li alloy at their own potentials, a cathode chemically; Li is not
    refused as it is at a stated voltage."""
    result = screen(predictor, SES, ELECTRODES, COATINGS, voltage=AT_OPEN_CIRCUIT)
    queries = result.results[list(SCREEN_COLUMNS)].assign(voltage_V="OCV")
    pd.testing.assert_frame_equal(result.results, tidy(predictor.predict(queries)))
    potential = result.results.groupby("electrode")["potential_V"].first()
    assert potential["Li"] == 0.0 and np.isnan(potential["NMC811"]) and np.isnan(potential["LCO"])
    assert result.results["warnings"].str.contains("voltage_V OCV").all()
    out = runner.invoke(app, ["screen", "--se", "LPSCl", "--electrodes", "Li,NMC811", "--voltage", "OCV",
                              "--output", str(tmp_path / "ocv.csv")])
    assert out.exit_code == 0, out.output
    assert len(pd.read_csv(tmp_path / "ocv.csv")) == 2


def test_a_screen_featurizes_the_materials_it_answers_and_no_other(predictor):
    composition._featurized.cache_clear()  # the process's one cache of composition features
    result = screen(predictor, SES, ELECTRODES, COATINGS, voltage=4.3)
    formulas = {"Li6PS5Cl", "Li10GeP2S12", "Li3PS4", "LiNi0.8Mn0.1Co0.1O2", "LiCoO2", "LiNbO3"}  # Li: refused at 4.3 V
    assert composition._featurized.cache_info().misses == len(formulas)
    assert result.combinations == 12


def test_top_n_and_both_output_formats(predictor, tmp_path, small_screen):
    top = screen(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, top=5)
    pd.testing.assert_frame_equal(top.results, small_screen.results.head(5))
    assert len(top.best_per_se) == 3, "the summary comes from the whole ranking"
    for name in ("ranked.parquet", "ranked.csv"):
        write_results(top.results, tmp_path / name)
    back = pd.read_parquet(tmp_path / "ranked.parquet")
    pd.testing.assert_frame_equal(back, top.results)
    csv = pd.read_csv(tmp_path / "ranked.csv", keep_default_na=False)
    assert list(csv.columns) == COLUMNS and csv["electrode"].tolist() == top.results["electrode"].tolist()
    with pytest.raises(ScreenError, match=r"\.parquet or \.csv"):
        write_results(top.results, tmp_path / "ranked.xlsx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ranked.csv", "ranked.parquet"], "no temporary files left"


def test_cli_screen_reports_summarises_and_writes(small_model, tmp_path):
    se_file = tmp_path / "ses.txt"
    se_file.write_text("LPSCl\nLGPS\nLi3PS4\n")
    output = tmp_path / "screen.csv"
    result = runner.invoke(app, ["screen", "--se", str(se_file), "--electrodes", ELECTRODES, "--coatings", COATINGS,
                                 "--voltage", "4.3", "--output", str(output), "--top", "4"])
    assert result.exit_code == 0, result.output
    assert result.output.count("skipped electrode 'Unobtainium'") == 1
    assert "best combination per SE" in result.output and "12 combinations" in result.output
    written = pd.read_csv(output, keep_default_na=False)
    assert len(written) == 4 and list(written.columns) == COLUMNS


@pytest.mark.parametrize("arguments, message", [
    (["--se", "Unobtainium", "--electrodes", "Li"], "no usable SE"),
    (["--se", "LPSCl", "--electrodes", "Li", "--voltage", "42"], "--voltage"),
    (["--se", "LPSCl", "--electrodes", "Li", "--engine", "dask"], "--engine"),
    (["--se", "LPSCl", "--electrodes", "nowhere/electrodes.txt"], "no such file"),
    (["--se", "LPSCl", "--electrodes", "Li", "--engine", "spark", "--spark-master", "localhost:7077"], "--spark-master"),
    (["--se", "LPSCl", "--electrodes", "Li", "--spark-master", "local[2]"], "needs --engine spark"),
])
def test_cli_screen_bad_usage_exits_2(small_model, tmp_path, arguments, message):
    result = runner.invoke(app, ["screen", *arguments, "--output", str(tmp_path / "out.parquet")])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out.parquet").exists()


def test_the_saved_mlflow_model_predicts_like_the_predictor(predictor, tmp_path):
    """What Spark's executors and `mlflow.pyfunc.load_model(uri).predict` run: the pyfunc's own `predict`, which
    answers in SPEC cells with None for every empty number, and names a missing column in each row's error."""
    import mlflow

    from degrade_ml.io.spec_strings import as_spec_strings
    from degrade_ml.registry.pyfunc import load_predictor, save_predictor

    uri = save_predictor(predictor, tmp_path)
    queries = pd.DataFrame({"se": ["LPSCl", "LGPS"], "electrode": ["NMC811", "Li"], "coating": ["LNO", ""],
                            "voltage_V": ["4.3", "0"]})
    model = mlflow.pyfunc.load_model(uri)
    served = model.predict(queries)
    expected = as_spec_strings(predictor.predict(queries))
    assert list(served.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(served, expected.astype(object).where(expected.notna(), None))
    assert served.loc[1, "thermo_erxn_se_coating"] is None, "an empty number is None (null in JSON), never NaN"
    without_electrode = model.predict(queries[["se"]])
    assert (without_electrode["error"] == "missing column(s): electrode").all()
    assert load_predictor(uri).metadata == predictor.metadata


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_engine_equals_the_local_engine(predictor, small_screen, tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    from degrade_ml.screening import spark as screening_spark

    spark = screening_spark.local_spark_session("local[2]")
    try:
        assert spark.sparkContext.master == "local[2]"
        from degrade_ml.registry.pyfunc import save_predictor

        uri = save_predictor(predictor, tmp_path / "model")
        result = screen(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, engine="spark",
                                  model_uri=uri, spark=spark)
        written = screening_spark.screen_on_spark(predictor, SES, ELECTRODES, COATINGS, voltage=4.3, top=5,
                                                  output=tmp_path / "top.parquet", spark=spark, model_uri=uri)
        at_rest = screen(predictor, SES, ELECTRODES, COATINGS, voltage=AT_OPEN_CIRCUIT, engine="spark",
                         model_uri=uri, spark=spark)
    finally:
        spark.stop()
    pd.testing.assert_frame_equal(at_rest.results, screen(predictor, SES, ELECTRODES, COATINGS,
                                                          voltage=AT_OPEN_CIRCUIT).results)
    assert written.rows_written == 5 and written.combinations == 12
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "top.parquet"), small_screen.results.head(5))
    pd.testing.assert_frame_equal(written.best_per_se, small_screen.best_per_se)
    assert [(r.kind, r.name) for r in result.rejected] == [("electrode", "Li"), ("electrode", "Unobtainium")]
    assert result.engine == "spark" and result.combinations == 12
    pd.testing.assert_frame_equal(result.results, small_screen.results)
    assert np.array_equal(result.best_per_se["se"], small_screen.best_per_se["se"])
