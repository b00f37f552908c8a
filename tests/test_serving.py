"""Serving the MLflow way: `degrade-ml export-mlflow` writes the bundled model as an MLflow model, and
`mlflow models serve` answers POST /invocations with the SPEC §4 columns for a JSON and a CSV batch, a bad
row getting its `error` while the others are predicted."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from degrade_ml.cli.main import app
from degrade_ml.models.predictor import OUTPUT_COLUMNS

runner = CliRunner()
START_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: bytes, content_type: str) -> dict:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def served_model(tmp_path_factory):
    """The bundled model exported by the CLI and served by `mlflow models serve` on 127.0.0.1; always stopped."""
    folder = tmp_path_factory.mktemp("serve")
    exported = runner.invoke(app, ["export-mlflow", str(folder / "model")])
    assert exported.exit_code == 0, exported.output
    assert (folder / "model" / "MLmodel").is_file()
    port = _free_port()
    log = open(folder / "serve.log", "w")
    bin_dir = str(Path(sys.executable).parent)  # `mlflow models serve` runs `uvicorn` from PATH
    server = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", str(folder / "model"), "--env-manager", "local",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
             "PYTHONPATH": os.pathsep.join(sys.path)},
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
                    pytest.fail("mlflow models serve did not start:\n" + (folder / "serve.log").read_text()[-3000:])
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
