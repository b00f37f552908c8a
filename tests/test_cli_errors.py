"""What a user types never ends in a silent wrong answer or an "internal error": non-finite conditions,
overflowing formulas, repeated columns, bad --model values and a tampered bundle each get one line naming the
value, and CSV cells that a spreadsheet would run are escaped on request."""

from __future__ import annotations

import copy
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import DEGRADE_ML, one_line
from degrade_ml.cli import main as cli_main
from degrade_ml.cli.main import app
from degrade_ml.registry import bundle
from degrade_ml.registry.connection import HTTP_DEFAULTS

runner = CliRunner()


def _main(monkeypatch, capsys, *arguments: str) -> tuple[int, str]:
    """Run the installed entry point (`degrade-ml …`) in-process: exit code and stderr."""
    monkeypatch.setattr(sys, "argv", ["degrade-ml", *arguments])
    for name, value in HTTP_DEFAULTS.items():  # main() sets them: restore them after the test
        monkeypatch.setenv(name, os.environ.get(name, value))
    handler = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as ended:
            cli_main.main()
    finally:
        signal.signal(signal.SIGTERM, handler)
    return ended.value.code, capsys.readouterr().err


@pytest.mark.parametrize("option", ["--voltage", "--temperature", "--pressure"])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_a_non_finite_condition_is_refused_not_taken_as_unknown(monkeypatch, capsys, small_model, option, value):
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "Li", option, value, "--json")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert option in err and "not a finite number" in err


@pytest.mark.parametrize("formula", ["Li1e308S", "Li1e400S", "Li6PS5Cl1e-300", "NCM0NaN"])  # M0: no element, amount 0
def test_an_overflowing_formula_exits_2_and_is_a_row_error_in_a_batch(small_model, tmp_path, formula):
    result = runner.invoke(app, ["predict", "--se", formula, "--electrode", "Li", "--json"])
    assert result.exit_code == 2 and formula in one_line(result)
    pd.DataFrame({"se": [formula, "LPSCl"], "electrode": ["Li", "Li"]}).to_csv(tmp_path / "q.csv", index=False)
    assert runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "p.csv")]).exit_code == 0
    out = pd.read_csv(tmp_path / "p.csv", keep_default_na=False)
    assert formula in out.loc[0, "error"] and out.loc[1, "error"] == ""


def test_a_condition_out_of_range_is_named_plainly_from_a_typed_frame(predictor):
    frame = pd.DataFrame({"se": ["LPSCl"], "electrode": ["Li"], "voltage_V": np.array([11.0])})
    error = predictor.predict(frame).loc[0, "error"]
    assert error == "voltage_V: 11 is outside [0, 10]"


def test_a_repeated_input_column_is_refused(small_model, tmp_path):
    (tmp_path / "q.csv").write_text("se,electrode,se\nLPSCl,Li,LGPS\n")
    result = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "p.csv")])
    assert result.exit_code == 2
    assert "'se'" in one_line(result) and "more than once" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_a_non_utf8_batch_is_named(small_model, tmp_path):
    (tmp_path / "q.csv").write_bytes("se,electrode\nLi6PS5Cl,Li\nLi3PS4,Li\xe9\n".encode("latin-1"))
    result = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "p.csv")])
    assert result.exit_code == 2 and "not UTF-8" in one_line(result)


def test_formula_cells_pass_through_by_default_and_are_escaped_on_request(small_model, tmp_path):
    queries = pd.DataFrame({"se": ["LPSCl", "LPSCl"], "electrode": ["Li", "Li"],
                            "note": ['=HYPERLINK("http://evil.example","x")', "@SUM(1)"], "offset": ["-0.03", "+cmd"]})
    queries.to_csv(tmp_path / "q.csv", index=False)
    plain = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "plain.csv")])
    assert plain.exit_code == 0
    assert pd.read_csv(tmp_path / "plain.csv", dtype=str)["note"].tolist() == queries["note"].tolist()
    escaped = runner.invoke(app, ["predict", "--input", str(tmp_path / "q.csv"), "--output", str(tmp_path / "safe.csv"),
                                  "--escape-formulas"])
    assert escaped.exit_code == 0, escaped.output
    out = pd.read_csv(tmp_path / "safe.csv", dtype=str, keep_default_na=False)
    assert out["note"].tolist() == ["'" + queries.loc[0, "note"], "'@SUM(1)"]
    assert out["offset"].tolist() == ["-0.03", "'+cmd"], "numbers stay numbers"
    assert out["se"].tolist() == ["LPSCl", "LPSCl"]


def test_a_usage_error_is_one_line_not_a_box(monkeypatch, capsys):
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "Li", "--voltage", "abc")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "--voltage" in err and "╭" not in err


def test_the_voltage_option_reads_a_reference_electrode_as_a_batch_cell_does(monkeypatch, capsys):
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "3.7 V vs Li-In", "--json"])
    assert result.exit_code == 0, result.output
    assert {contact["potential_V"] for contact in json.loads(result.stdout)["contacts"] if contact["potential_V"]} == {4.32}
    code, err = _main(monkeypatch, capsys, "react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "3.7 V vs Foo")
    assert code == 2 and "unknown reference electrode 'Foo'" in err


@pytest.mark.parametrize("option, value, says", [
    ("--voltage", "4,300", "'4,300' is not a number; write the decimal with a point (4.3)"),
    ("--temperature", "warm", "'warm' is not a number"),
    ("--pressure", "1_0", "'1_0' is not a number"),
])
def test_a_condition_option_is_refused_in_the_words_of_a_batch_cell(monkeypatch, capsys, option, value, says):
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "NMC811", option, value)
    assert code == 2 and option in err and says in err and "Value error" not in err


def test_predict_takes_a_voltage_range_and_react_asks_for_one_value(monkeypatch, capsys, small_model):
    """predict knows the electrode a window belongs to, so it takes the end it holds and says so; react computes a
    contact at one potential the user must choose."""
    result = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "2.5-4.3 V", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["potential_V"] == 4.3 and any("upper cut-off, 4.3 V" in w for w in answer["warnings"])
    code, err = _main(monkeypatch, capsys, "react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "2.5-4.3")
    assert code == 2 and "'2.5-4.3' is a range; give one value (a cycled cathode's upper cut-off" in err


def test_a_condition_option_takes_its_unit_as_a_batch_cell_does(small_model):
    """"4300 mV" is 4.3 V, RT is 25 °C and "50 MPa" is 50 on the command line as in a batch."""
    result = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "4300 mV",
                                 "--temperature", "RT", "--pressure", "50 MPa", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["potential_V"] == 4.3


@pytest.mark.parametrize("model, says", [
    ("{tmp}/no-such-model", "no such file or folder"),
    ("{tmp}", "not an MLflow model folder"),
    ("models:/degrade-ml-interface@nobody", "no MLflow store"),
    ("runs:/bad/", "no MLflow store"),
])
def test_a_bad_model_value_exits_2_with_one_line_and_creates_no_store(monkeypatch, capsys, tmp_path, model, says):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    value = model.format(tmp=tmp_path)
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "Li", "--model", value)
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and value in err and says in err, err
    assert not (tmp_path / "mlflow.db").exists()


def test_a_directory_model_that_is_not_ours_is_named(monkeypatch, capsys, tmp_path):
    (tmp_path / "MLmodel").write_text("flavors: {}\n")
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "Li", "--model", str(tmp_path))
    assert code == 2 and str(tmp_path) in err and len(err.strip().splitlines()) == 1, err


@pytest.fixture()
def bundle_copy(tmp_path, monkeypatch):
    folder = tmp_path / "models"
    shutil.copytree(bundle.default_bundle_dir(), folder)
    monkeypatch.setattr(bundle, "default_bundle_dir", lambda: folder)
    return folder


def test_the_shipped_bundle_carries_a_matching_checksum():
    path = bundle.default_bundle_dir() / bundle.BUNDLE_NAME
    bundle.verify_checksum(path)


def test_a_corrupt_bundle_is_named_with_how_to_rebuild_it(bundle_copy, monkeypatch, capsys):
    path = bundle_copy / bundle.BUNDLE_NAME
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    code, err = _main(monkeypatch, capsys, "predict", "--se", "LPSCl", "--electrode", "Li")
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and str(path) in err and "degrade-ml export" in err, err


def test_a_replaced_but_loadable_bundle_is_refused_before_unpickling(bundle_copy, predictor, monkeypatch):
    path = bundle_copy / bundle.BUNDLE_NAME
    joblib.dump(predictor, path, compress=3)  # a valid pickle, not the one exported

    def no_unpickling(*args, **kwargs):
        raise AssertionError("the file was unpickled before its checksum was checked")

    monkeypatch.setattr(joblib, "load", no_unpickling)
    monkeypatch.setattr(pickle, "loads", no_unpickling)
    with pytest.raises(bundle.BundleError, match="degrade-ml export"):
        bundle.load_bundle()


@pytest.mark.parametrize("key", ["feature_layout_hash", "phase_table_hash"])
def test_a_model_fitted_on_other_features_or_another_table_is_refused_bundled_or_from_mlflow(tmp_path, predictor, key):
    """Its heads would read the wrong columns (or thermodynamics that meant something else), without an error."""
    from degrade_ml.registry.pyfunc import ModelLoadError, load_predictor, save_predictor

    stale = copy.copy(predictor)
    stale.metadata = {**predictor.metadata, key: "0" * 64}
    assert predictor.incompatibility() == "" and stale.incompatibility()
    bundle.export_bundle(stale, tmp_path / "bundle")
    with pytest.raises(bundle.BundleError, match="trained on .*degrade-ml export"):
        bundle.load_bundle(tmp_path / "bundle")
    uri = save_predictor(stale, tmp_path / "mlflow")
    with pytest.raises(ModelLoadError, match="trained on .*degrade-ml train"):
        load_predictor(uri)


def test_a_bundle_in_joblibs_format_still_loads(tmp_path, predictor):
    path = tmp_path / bundle.BUNDLE_NAME
    joblib.dump(predictor, path, compress=3)
    bundle.write_checksum(path)
    assert bundle.load_bundle(tmp_path).metadata == predictor.metadata


@pytest.mark.slow
def test_export_writes_the_same_bytes_whatever_the_string_hash_seed(tmp_path):
    """The bundle depends on data/ and the code alone: a set pickles in the order of its strings' hashes, which change
    from one interpreter to the next, so two exports under different PYTHONHASHSEEDs must write identical files."""
    runs = {seed: subprocess.Popen([*DEGRADE_ML, "export", "--bundle-dir", str(tmp_path / seed)],
                                   env={**os.environ, "PYTHONHASHSEED": seed}, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True) for seed in ("1", "2")}
    errors = {seed: run.communicate(timeout=600)[1] for seed, run in runs.items()}
    assert all(run.returncode == 0 for run in runs.values()), errors
    written = {seed: (tmp_path / seed / bundle.BUNDLE_NAME).read_bytes() for seed in runs}
    assert written["1"] == written["2"]


def test_export_records_the_checksum_that_loading_verifies(tmp_path, predictor):
    path = bundle.export_bundle(predictor, tmp_path)
    recorded = (tmp_path / f"{bundle.BUNDLE_NAME}.sha256").read_text().split()
    assert recorded == [bundle.sha256_of(path), bundle.BUNDLE_NAME]
    assert json.loads((tmp_path / bundle.METADATA_NAME).read_text())["records"] == predictor.metadata["records"]
    assert bundle.load_bundle(tmp_path).metadata == predictor.metadata


def test_a_knowledge_base_that_fails_its_checks_stops_a_command_in_one_line(monkeypatch, capsys, tmp_path):
    """A duplicate name in materials.csv was an "internal error" of `evaluate` and `export`; it is the data's
    problem, named with where to see them all."""
    from degrade_ml.data import default_data_dir

    for path in default_data_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    with open(tmp_path / "materials.csv", "a", encoding="utf-8") as handle:
        handle.write('LVP,Li3V2P3O12,other_cathode,4.3,"written twice"\n')
    code, err = _main(monkeypatch, capsys, "evaluate", "--data-dir", str(tmp_path), "--report-dir", str(tmp_path / "r"))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "internal error" not in err
    assert "materials.csv: record 'LVP', column 'name': duplicate id" in err and "degrade-ml data validate" in err


def test_react_at_open_circuit_shows_the_pristine_contact(monkeypatch, capsys):
    """OCV is what predict reads it as: a cathode meets the SE chemically, a Li alloy at its own potential; a range
    is still refused, react computing a contact at one potential."""
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "OCV", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["contacts"][0]["potential_V"] is None and "pristine contact" in answer["warnings"][-1]
    alloy = json.loads(runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "Li-In", "--voltage", "OCV",
                                           "--json"]).stdout)
    assert alloy["contacts"][0]["potential_V"] == 0.62


def test_window_and_react_name_what_reading_a_name_assumed():
    """What predict warns of (halide shares not written, two layers answered as one coating), window and react say
    too, before the thermodynamic warnings."""
    window = json.loads(runner.invoke(app, ["window", "LPSClBr", "--json"]).stdout)
    assert window["formula"] == "Li6PS5Cl0.5Br0.5" and "equal shares taken" in window["warnings"][0]
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "Al2O3/LiNbO3",
                                 "--voltage", "4.3", "--json"])
    assert result.exit_code == 0, result.output
    assert "which layer meets the SE is not modelled" in json.loads(result.stdout)["warnings"][0]
