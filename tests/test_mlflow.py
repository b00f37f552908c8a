"""Training runs, the registry and `champion`, and the same flow against a real `mlflow server`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import mlflow
import pytest
from mlflow import MlflowClient
from typer.testing import CliRunner

from conftest import FLOW_MODEL, child_env, free_port, new_store
from degrade_ml.cli.main import app
from degrade_ml.registry.tracking import CHAMPION, MODEL_NAME, train_and_log

pytestmark = pytest.mark.xdist_group("test_mlflow")  # the session's evaluation built on one worker only

runner = CliRunner()



def _train_register_predict(uri: str) -> None:
    first = train_and_log(model_params=FLOW_MODEL)
    assert first.version == "1" and first.promoted and first.champion_before is None
    client = MlflowClient(uri)
    assert str(client.get_model_version_by_alias(MODEL_NAME, CHAMPION).version) == "1"
    run = client.get_run(first.run_id)
    assert run.data.params["dataset.records"] == str(first.predictor.metadata["records"])
    assert run.data.params["features.layout_hash"] == first.predictor.metadata["feature_layout_hash"]
    assert "products/leave_one_se_family_out/rule_baseline/micro_f1" in run.data.metrics
    artifacts = {a.path for a in client.list_artifacts(first.run_id, "evaluation")}
    assert "evaluation/per_class_f1.png" in artifacts

    second = train_and_log(model_params=FLOW_MODEL)  # same data and seed: no better, so champion stays
    assert second.version == "2" and not second.promoted and second.champion_before == pytest.approx(first.headline)
    assert str(client.get_model_version_by_alias(MODEL_NAME, CHAMPION).version) == "1"
    decision = json.loads(open(client.download_artifacts(second.run_id, "champion_decision.json")).read())
    assert decision == {"new": second.headline, "champion_before": first.headline, "promoted": False,
                        "metric": "headline_products_micro_f1", "version": "2"}

    result = runner.invoke(app, ["predict", "--se", "LGPS", "--electrode", "Li", "--json",
                                 "--model", f"models:/{MODEL_NAME}@{CHAMPION}"])
    assert result.exit_code == 0, result.output
    assert "Li_M_alloy" in json.loads(result.stdout)["products"]
    frame = mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}@{CHAMPION}").predict(
        __import__("pandas").DataFrame({"se": ["Li6PS5Cl"], "electrode": ["Li"]})
    )
    assert "LiCl" in frame.loc[0, "product_phases"]


def test_the_group_keeps_this_module_on_one_worker(request):
    """Under `--dist loadgroup` pytest-xdist gives each test of a group its group's name; pytest 9.2 dropped it without
    a word (with pytest-xdist 3.8), and the session's evaluation was then built on both workers."""
    if getattr(request.config.option, "loadgroup", False):
        assert request.node.nodeid.endswith("@test_mlflow"), f"xdist_group not applied with pytest {pytest.__version__}"


@pytest.mark.slow
def test_train_register_and_predict_from_the_local_store(tracking_uri, evaluated_once):
    _train_register_predict(tracking_uri)
    listed = runner.invoke(app, ["models", "list", "--json"])
    assert listed.exit_code == 0
    versions = json.loads(listed.stdout)
    assert [v["version"] for v in versions] == [2, 1] and versions[1]["aliases"] == [CHAMPION]



@pytest.mark.slow
def test_the_same_flow_against_a_real_mlflow_server(tmp_path, monkeypatch, evaluated_once, trained_once, empty_store):
    """The flow of the local store through the REST API of `mlflow server` (logging the session's model)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
         "--backend-store-uri", new_store(empty_store, tmp_path / "server.db"), "--artifacts-destination", str(tmp_path / "artifacts"),
         "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"),
        env=child_env(MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false"),  # no job runner: six more processes to start
    )
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{uri}/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("mlflow server did not start:\n" + (tmp_path / "server.log").read_text()[-2000:])
                time.sleep(0.5)
        monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
        # the flow, not the bounded waits (test_registry_safety's dead and degraded servers): a loaded 2-core machine
        # answers a log-batch of a live server in more than the CLI's 3 s
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
        monkeypatch.chdir(tmp_path)
        mlflow.set_tracking_uri(uri)
        _train_register_predict(uri)
    finally:
        mlflow.set_tracking_uri(None)
        server.terminate()
        server.wait(timeout=30)
