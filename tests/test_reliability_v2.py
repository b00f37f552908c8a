"""Reliability v2: inputs whose cost is bounded, answers that do not contradict themselves, and one exit-code rule
(2 what the user can fix, 1 what fails outside the query) on one line, whichever command meets the failure."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import threading
import time

import pandas as pd
import pytest
from typer.testing import CliRunner

from conftest import DEGRADE_ML, one_line
from degrade_ml.screening.estimate import estimate_memory
from degrade_ml.screening.grid import ScreenError
from degrade_ml.screening.local import screen
from degrade_ml.io import csv_files
from degrade_ml.chemistry.formulas import parse_formula
from degrade_ml.cli.main import app
from degrade_ml.models import predictor as predictor_module
from degrade_ml.registry import bundle

runner = CliRunner()


def _batch(tmp_path, text: str | bytes) -> tuple[str, str]:
    source = tmp_path / "q.csv"
    source.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(source), str(tmp_path / "p.csv")


# ----------------------------------------------------------------------------- answers that agree with themselves


def test_li_metal_at_a_voltage_is_a_row_error_naming_it(predictor):
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl", "LPSCl", "LPSCl"], "electrode": ["Li", "Li", "NMC811"],
                                          "voltage_V": ["4.3", "0", "4.3"]}))
    assert "contradicts electrode 'Li'" in out.loc[0, "error"] and "0 V" in out.loc[0, "error"]
    assert out.loc[0, "products"] is None
    assert out.loc[1, "error"] == "" and out.loc[2, "error"] == ""


def test_react_follows_the_same_rule(small_model):
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "Li", "--voltage", "4.3"])
    assert result.exit_code == 2 and "contradicts electrode 'Li'" in one_line(result)


@pytest.mark.parametrize("cell, says", [("1_0", "'1_0' is not a number"), (10.0000001, "10.0000001 is outside [0, 10]")])
def test_a_voltage_is_read_as_people_write_it_and_named_exactly(predictor, cell, says):
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl"], "electrode": ["NMC811"], "voltage_V": [cell]}))
    assert out.loc[0, "error"] == f"voltage_V: {says}"


def test_a_voltage_option_with_an_underscore_is_refused(small_model):
    result = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "1_0"])
    assert result.exit_code == 2 and "'1_0' is not a number" in result.output


def test_none_as_a_coating_means_uncoated_in_predict(predictor):
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl"] * 2, "electrode": ["NMC811"] * 2, "coating": ["none", ""]}))
    assert out.loc[0, "error"] == "" and out.loc[0, "resolved_coating_formula"] == ""
    assert out.loc[0, "p_stable"] == out.loc[1, "p_stable"]


def test_a_zero_typed_for_the_letter_o_is_a_row_error_in_every_column(predictor):
    # answered, LiNb03 was the alloy LiNb3: an anode at 0 V in the electrode column
    out = predictor.predict(pd.DataFrame({"se": ["LiNb03", "LPSCl", "LPSCl"], "electrode": ["Li", "LiNb03", "NMC811"],
                                          "coating": ["", "", "LiNb03"]}))
    assert all("is LiNbO3 meant?" in error for error in out["error"])
    assert out["stability"].isna().all() or (out["stability"] == "").all()


def test_an_isotope_symbol_is_an_unknown_element(predictor):
    out = predictor.predict(pd.DataFrame({"se": ["D3PS4"], "electrode": ["Li"]}))
    assert "unknown element D" in out.loc[0, "error"]


def test_a_material_in_the_wrong_role_is_left_out_of_a_screen_once(predictor):
    result = screen(predictor, "LPSCl,NMC811", "NMC811")
    assert [(r.kind, r.name) for r in result.rejected] == [("SE", "NMC811")]
    assert "not a solid electrolyte" in result.rejected[0].reason
    assert result.combinations == 1 and (result.results["error"] == "").all()
    with pytest.raises(ScreenError, match="no usable SE"):
        screen(predictor, "LPSX,NMC811", "NMC811")


# ------------------------------------------------------------------------------------------ bounded cost


def test_formulas_have_a_length_and_an_element_limit(predictor):
    from degrade_ml.chemistry.formulas import MAX_ELEMENTS

    many = "LiVCrMnFeCoNiCuNbMoRuTiSnSbGeO14"
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl", "LPSCl"], "electrode": [many, "Li" * 60]}))
    assert f"at most {MAX_ELEMENTS}" in out.loc[0, "error"]
    assert "longer than 100 characters" in out.loc[1, "error"]


def test_a_contact_too_large_to_compute_is_refused_at_once(predictor):
    started = time.monotonic()
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl", "LPSCl"], "electrode": ["Li2CoNiMnFeTiGeSnO8", "NMC811"],
                                          "coating": ["", "LNO"], "voltage_V": ["4", "4.3"]}))
    assert time.monotonic() - started < 60, "a 12-element contact alone takes over a minute"
    assert "spans 12 elements" in out.loc[0, "error"] and out.loc[1, "error"] == ""


@pytest.mark.parametrize("formula", ["LiCoO2", "Fe3O4", "Li3PO5", "Li6PS5Cl", "LiNb3O", "Li2S3", "Li3PS4O9", "LiXeF2"])
def test_charge_balance_agrees_with_pymatgen(formula):
    from degrade_ml.chemistry.formulas import charge_balanced

    composition = parse_formula(formula)
    assert charge_balanced(composition) == bool(composition.oxi_state_guesses(max_sites=-50))


def test_charge_balance_of_many_metals_is_decided_without_enumerating_combinations():
    from degrade_ml.chemistry.formulas import charge_balanced

    assert charge_balanced(parse_formula("LiVCrMnFeCoNiCuNbO14")) is True  # 9 metals: pymatgen takes minutes
    assert charge_balanced(parse_formula("Li3PO5")) is False


def test_a_row_over_its_time_budget_gets_an_error_and_the_others_go_on(predictor, monkeypatch):
    from degrade_ml import budget

    real = predictor_module.typo_warning

    def stuck(formula, known):
        ends = time.monotonic() + 5
        while formula == "Li10GeP2S12" and time.monotonic() < ends:
            time.sleep(0.01)
        return real(formula, known)

    monkeypatch.setattr(predictor_module, "typo_warning", stuck)
    monkeypatch.setattr(budget, "ROW_SECONDS", 0.5)
    started = time.monotonic()
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl", "LGPS"], "electrode": ["Li", "Li"]}))
    assert time.monotonic() - started < 4
    assert out.loc[0, "error"] == "" and "longer than the 0.5 s" in out.loc[1, "error"]


def test_a_row_whose_thermodynamics_fails_gets_an_error_and_the_others_go_on(predictor, monkeypatch):
    """A solver failure in one row's thermodynamics failed the whole batch ("internal error", exit 1)."""
    real = predictor_module.interface_parts

    def failing(engine, se, electrode, coating, potential_V):
        if se == "Li10GeP2S12":
            raise ArithmeticError("hull linear program failed: Infeasible")
        return real(engine, se, electrode, coating, potential_V)

    monkeypatch.setattr(predictor_module, "interface_parts", failing)
    out = predictor.predict(pd.DataFrame({"se": ["LPSCl", "Li10GeP2S12"], "electrode": ["graphite", "graphite"],
                                          "voltage_V": [0.1234, 0.1234]}))  # a potential no other test computes
    assert out.loc[0, "error"] == "" and out.loc[0, "stability"]
    assert "thermodynamics of this query failed (hull linear program failed: Infeasible)" in out.loc[1, "error"]


# ----------------------------------------------------------------------------------------- batch input


def test_a_nul_byte_is_refused_not_cut(small_model, tmp_path):
    source, output = _batch(tmp_path, b"se,electrode\nLPS\0Cl,Li\n")
    result = runner.invoke(app, ["predict", "--input", source, "--output", output])
    assert result.exit_code == 2 and "NUL byte (line 2" in one_line(result)
    assert not os.path.exists(output)


def test_a_byte_order_mark_cannot_hide_a_repeated_column(small_model, tmp_path):
    source, output = _batch(tmp_path, "\ufeffse,electrode,se\nLPSCl,Li,LGPS\n")
    result = runner.invoke(app, ["predict", "--input", source, "--output", output])
    assert result.exit_code == 2 and "'se'" in one_line(result) and "more than once" in result.stderr
    source, output = _batch(tmp_path, "\ufeffse,electrode\nLPSCl,Li\n")
    assert runner.invoke(app, ["predict", "--input", source, "--output", output]).exit_code == 0
    assert pd.read_csv(output, keep_default_na=False).loc[0, "error"] == ""


def test_a_batch_saved_with_semicolons_or_tabs_is_read_by_its_separator(small_model, tmp_path):
    """A spreadsheet in a locale whose decimal mark is the comma saves semicolons. The separator is read from the
    first row alone, so a comma in a later cell of a semicolon file ("NCM811, uncoated") stays in its cell."""
    for text in ("\ufeffse;electrode;coating\r\nLPSCl;NCM811, uncoated;\r\n", "se\telectrode\nLPSCl\tLi\n"):
        source, output = _batch(tmp_path, text)
        result = runner.invoke(app, ["predict", "--input", source, "--output", output])
        assert result.exit_code == 0, result.output
        written = pd.read_csv(output, keep_default_na=False)
        assert written.loc[0, "error"] == "" and written.loc[0, "stability"], written.loc[0, "error"]


def test_query_columns_written_in_another_case_are_read(small_model, tmp_path):
    source, output = _batch(tmp_path, "SE,Electrode, Coating ,Voltage_V,note\nLPSCl,NMC811,LiNbO3,4.3,x\n")
    assert runner.invoke(app, ["predict", "--input", source, "--output", output]).exit_code == 0
    written = pd.read_csv(output, keep_default_na=False)
    assert list(written.columns[:5]) == ["se", "electrode", "coating", "voltage_V", "note"]
    assert written.loc[0, "error"] == "" and written.loc[0, "resolved_coating_formula"] == "LiNbO3"
    assert written.loc[0, "potential_V"] == 4.3


def test_an_endless_input_is_read_up_to_the_limit(small_model, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "MAX_INPUT_BYTES", 2**20)
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)

    def write_forever():
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(b"se,electrode\n")
                while True:
                    pipe.write(b"LPSCl,Li\n" * 1000)
        except OSError:  # the reader gave up: broken pipe
            pass

    threading.Thread(target=write_forever, daemon=True).start()
    result = runner.invoke(app, ["predict", "--input", str(fifo), "--output", str(tmp_path / "p.csv")])
    assert result.exit_code == 2 and "larger than 1 MiB" in one_line(result)


def test_an_endless_device_ends_within_seconds():
    done = subprocess.run([*DEGRADE_ML, "predict", "--input", "/dev/zero", "--output", "/tmp/never-written.csv"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "NUL byte" in done.stderr and len(done.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------------------- outputs, one rule


def _disk_full(monkeypatch):
    def full(descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


def test_a_full_disk_on_output_exits_1_and_keeps_the_old_file(small_model, tmp_path, monkeypatch):
    source, output = _batch(tmp_path, "se,electrode\nLPSCl,Li\n")
    open(output, "w").write("old\n")
    _disk_full(monkeypatch)
    result = runner.invoke(app, ["predict", "--input", source, "--output", output])
    assert result.exit_code == 1 and "No space left" in one_line(result) and "--output" in result.stderr
    assert open(output).read() == "old\n"


@pytest.mark.parametrize("command", [["window", "Li3PS4"], ["react", "--se", "LPSCl", "--electrode", "NMC811"]])
def test_plot_write_failures_follow_the_rule(tmp_path, monkeypatch, command):
    (tmp_path / "dangling.png").symlink_to(tmp_path / "missing" / "plot.png")
    result = runner.invoke(app, [*command, "--plot", str(tmp_path / "dangling.png")])
    assert result.exit_code == 2 and "--plot" in one_line(result) and "is a link to" in result.stderr
    _disk_full(monkeypatch)
    result = runner.invoke(app, [*command, "--plot", str(tmp_path / "plot.png")])
    assert result.exit_code == 1 and "--plot" in one_line(result) and "No space left" in result.stderr


def test_a_dangling_link_names_the_folder_it_points_into(small_model, tmp_path):
    source, _ = _batch(tmp_path, "se,electrode\nLPSCl,Li\n")
    (tmp_path / "out.csv").symlink_to(tmp_path / "gone" / "out.csv")
    result = runner.invoke(app, ["predict", "--input", source, "--output", str(tmp_path / "out.csv")])
    line = one_line(result)
    assert result.exit_code == 2 and "is a link to" in line and str(tmp_path / "gone") in line and "'.'" not in line


def test_the_output_may_not_overwrite_the_bundled_model(small_model, tmp_path, monkeypatch):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / bundle.BUNDLE_NAME).write_bytes(b"model")
    monkeypatch.setattr(bundle, "default_bundle_dir", lambda: folder)
    source, _ = _batch(tmp_path, "se,electrode\nLPSCl,Li\n")
    result = runner.invoke(app, ["predict", "--input", source, "--output", str(folder / bundle.BUNDLE_NAME)])
    assert result.exit_code == 2 and "is the input" in one_line(result)
    assert (folder / bundle.BUNDLE_NAME).read_bytes() == b"model"


@pytest.mark.parametrize("error, code", [(errno.ENOSPC, 1), (errno.EROFS, 2)])
def test_export_mlflow_write_failures_follow_the_rule(small_model, tmp_path, monkeypatch, error, code):
    from degrade_ml.registry import pyfunc

    def fails(predictor, directory):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(pyfunc, "save_model_folder", fails)
    result = runner.invoke(app, ["export-mlflow", str(tmp_path / "model")])
    assert result.exit_code == code and os.strerror(error) in one_line(result)


def test_a_model_uri_whose_scheme_needs_a_missing_package_is_named(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["predict", "--se", "LPSCl", "--electrode", "Li", "--model", "s3://bucket/model"])
    assert result.exit_code == 2 and "s3://bucket/model" in one_line(result) and "internal error" not in result.stderr


# -------------------------------------------------------------------------------------- strict JSON, stderr


def test_json_output_is_strict(small_model):
    from degrade_ml.io import strict_json

    assert strict_json.dumps({"p": float("nan"), "q": [float("inf"), 1.0]}) == '{"p": null, "q": [null, 1.0]}'
    result = runner.invoke(app, ["predict", "--se", "Li7La3Zr2O12", "--electrode", "Li", "--json"])  # abstains
    assert result.exit_code == 0

    def refuse(constant):
        raise ValueError(constant)

    answer = json.loads(result.stdout, parse_constant=refuse)
    assert answer["product_probabilities"]["Li2S"] is None


def test_pymatgen_warnings_stay_off_stderr(tmp_path):
    done = subprocess.run([*DEGRADE_ML, "predict", "--se", "LPSCl", "--electrode", "LiAr", "--json"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and "Warning" not in done.stderr, done.stderr


@pytest.mark.parametrize("combinations", [1, 64, 20_000, 1_000_000, 10_000_000])
def test_streaming_a_screen_is_never_estimated_dearer_than_holding_it(combinations):
    estimate = estimate_memory(combinations)
    assert estimate.streamed_bytes <= estimate.in_memory_bytes
