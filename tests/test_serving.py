"""Serving the MLflow way: `degrade-ml serve` runs MLflow's scoring server from a fresh shell (no venv on PATH) and
answers POST /invocations with the SPEC §4 columns for a JSON and a CSV batch, in strict JSON, a bad row (a missing
column, a voltage of "abc", a query over its time budget) getting its `error` while the others are predicted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DEGRADE_ML, child_env, free_port
from degrade_ml.cli.main import app
from degrade_ml.models.predictor import OUTPUT_COLUMNS

pytestmark = pytest.mark.xdist_group("test_serving")  # its module fixtures built once, on one worker

runner = CliRunner()
START_SECONDS = 120



def _post(url: str, body: bytes, content_type: str) -> dict:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return _strict(response.read().decode())


def _strict(text: str):
    def refuse(constant: str):
        raise ValueError(f"{constant} is not strict JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def served_model(tmp_path_factory):
    """`degrade-ml serve` on 127.0.0.1 from a shell whose PATH lacks the venv (as after `make demo`); always stopped."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    log = open(folder / "serve.log", "w")
    bin_dir = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != bin_dir)
    server = subprocess.Popen(
        [*DEGRADE_ML, "serve", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env=child_env(PATH=path),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/ping", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("degrade-ml serve did not start:\n" + (folder / "serve.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
        log.close()


def _check_batch(predictions: list[dict], inputs: list[str]) -> None:
    assert len(predictions) == 3
    for row in predictions:
        assert list(row) == [*inputs, *OUTPUT_COLUMNS]
    good, bad, cathode = predictions
    assert good["error"] == "" and "LiCl" in good["product_phases"] and good["in_domain"] == "true"
    assert bad["error"].startswith("se: 'NotAnSE'") and bad["products"] == "" and bad["p_stable"] is None
    assert cathode["error"] == "" and cathode["stability"] in ("stable", "passivating", "continuous")


@pytest.mark.slow
def test_a_json_batch_with_a_bad_row(served_model):
    body = {"dataframe_records": [
        {"se": "LPSCl", "electrode": "Li"},
        {"se": "NotAnSE", "electrode": "Li"},
        {"se": "LGPS", "electrode": "NMC811", "coating": "LNO", "voltage_V": 4.3},
    ]}
    answer = _post(f"{served_model}/invocations", json.dumps(body).encode(), "application/json")
    _check_batch(answer["predictions"], ["se", "electrode", "coating", "voltage_V"])


@pytest.mark.slow
def test_a_csv_batch_with_a_bad_row(served_model):
    body = "se,electrode,coating,voltage_V\nLPSCl,Li,,\nNotAnSE,Li,,\nLGPS,NMC811,LNO,4.3\n"
    answer = _post(f"{served_model}/invocations", body.encode(), "text/csv")
    _check_batch(answer["predictions"], ["se", "electrode", "coating", "voltage_V"])


def test_export_mlflow_refuses_an_existing_folder(tmp_path):
    result = runner.invoke(app, ["export-mlflow", str(tmp_path)])
    assert result.exit_code == 2 and "already exists" in result.stderr


@pytest.mark.slow
def test_a_missing_column_and_a_voltage_that_is_no_number_are_row_errors(served_model):
    no_electrode = {"dataframe_records": [{"se": "LPSCl"}, {"se": "LGPS"}]}
    answer = _post(f"{served_model}/invocations", json.dumps(no_electrode).encode(), "application/json")
    assert [row["error"] for row in answer["predictions"]] == ["missing column(s): electrode"] * 2
    bad_voltage = {"dataframe_records": [{"se": "LPSCl", "electrode": "NMC811", "voltage_V": "abc"},
                                         {"se": "LPSCl", "electrode": "NMC811", "voltage_V": 4.3}]}
    first, second = _post(f"{served_model}/invocations", json.dumps(bad_voltage).encode(), "application/json")["predictions"]
    assert first["error"].startswith("voltage_V: 'abc' is not a number: give the voltage (4.3)")
    assert first["p_stable"] is None
    assert second["error"] == "" and 0 <= second["p_stable"] <= 1


@pytest.mark.slow
def test_a_query_over_its_time_budget_is_a_row_error_and_the_request_ends(served_model):
    body = "se,electrode,voltage_V\nLPSCl,Li2CoNiMnFeTiGeSnO8,4\nLPSCl,NMC811,4.3\nLPSCl,LiVCrMnFeCoNiCuNbMoRuTiSnSbGeO14,4\n"
    started = time.monotonic()
    large, good, long = _post(f"{served_model}/invocations", body.encode(), "text/csv")["predictions"]
    assert time.monotonic() - started < 15
    assert "spans 12 elements" in large["error"] and good["error"] == "" and "elements" in long["error"]
