"""The registry under failure: a dead tracking server is reported within seconds naming its URI, a lookup never
creates a store, a train that fails part-way marks its run FAILED and leaves no version without its champion
decision, the champion alias moves by compare-and-set, and a fresh SQLite store is set up under a lock."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import mlflow.store.db.utils as db_utils
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from conftest import DEGRADE_ML, FLOW_MODEL, child_env, free_port
from degrade_ml.evaluation.cv import SCHEMES
from degrade_ml.evaluation.run import HEADLINE, Evaluation
from degrade_ml.registry import connection, tracking
from degrade_ml.registry.tracking import CHAMPION, MODEL_NAME, train_and_log

@pytest.mark.parametrize("arguments", [
    ["models", "list"],
    ["predict", "--se", "LPSCl", "--electrode", "Li", "--model", f"models:/{MODEL_NAME}@{CHAMPION}"],
    ["train", "--no-register"],
])
def test_a_dead_tracking_server_fails_within_15_s_naming_the_uri(tmp_path, arguments):
    """The wait is timed from the command's own "contacting …" line to its exit, so that a slow start (imports on a
    loaded machine) does not count; MLflow's own retries would hold it for minutes."""
    uri = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen([*DEGRADE_ML, *arguments], env=child_env(keep_mlflow=False, MLFLOW_TRACKING_URI=uri),
                               cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines, waiting_since = [], None
    for line in process.stderr:
        lines.append(line)
        if waiting_since is None and "contacting MLflow tracking server" in line:
            waiting_since = time.monotonic()
    returncode = process.wait(timeout=120)
    waited = time.monotonic() - (waiting_since or 0)
    stderr = "".join(lines)
    assert returncode == 1, stderr
    assert waiting_since is not None, f"say what is being waited for: {stderr}"
    assert waited < 15, f"waited {waited:.1f} s for a dead server"
    last = stderr.strip().splitlines()[-1]
    assert uri in last and "does not answer" in last, stderr


def test_models_list_without_a_store_says_so_and_creates_none(tmp_path):
    done = subprocess.run([*DEGRADE_ML, "models", "list"], env=child_env(keep_mlflow=False), cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "no MLflow store" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "mlflow.db").exists()


# ------------------------------------------------------------------------------------- training runs


@pytest.fixture()
def store(tracking_uri, trained_once):
    """A fresh local store, and trainings that log the session's model (what is fitted does not matter here)."""
    return tracking_uri


@pytest.fixture()
def quick_evaluation(monkeypatch, tmp_path):
    """Training without the minute of cross-validation: `evaluate` returns the headline a test asks for."""
    headlines = []

    def evaluate(dataset, report_dir, model_params=None, show_progress=False):
        Path(report_dir).mkdir(parents=True, exist_ok=True)
        report = Path(report_dir) / "evaluation.md"
        report.write_text("stub\n")
        score = headlines.pop(0)
        results = {"products": {scheme: {"model": {"micro_f1": score, "n": 1}} for scheme in SCHEMES}}
        return Evaluation(results=results, all_labels={}, trends={}, figures=[], report=report, regression={})

    monkeypatch.setattr(tracking, "evaluate", evaluate)
    return headlines


def _versions(client: MlflowClient) -> list:
    return [client.get_model_version(MODEL_NAME, v.version) for v in client.search_model_versions(f"name='{MODEL_NAME}'")]


def test_a_store_lost_while_moving_champion_leaves_a_failed_run_and_no_undecided_version(store, quick_evaluation, monkeypatch):
    quick_evaluation += [0.5]

    def lost(*args, **kwargs):
        raise MlflowException("API request to http://tracking/ failed: connection refused")

    monkeypatch.setattr(MlflowClient, "set_registered_model_alias", lost)
    with pytest.raises(Exception) as failed:
        train_and_log(model_params=FLOW_MODEL)
    client = MlflowClient(store)
    runs = client.search_runs([client.get_experiment_by_name("degrade-ml").experiment_id])
    assert [r.info.status for r in runs] == ["FAILED"]
    assert all("champion.decision" in v.tags for v in _versions(client)), "no registered version without its decision"
    assert mlflow.active_run() is None
    assert isinstance(failed.value, tracking.TrainingFailed) and "marked FAILED" in str(failed.value)


def test_every_registered_version_carries_its_decision(store, quick_evaluation):
    quick_evaluation += [0.5, 0.4]
    first, second = train_and_log(model_params=FLOW_MODEL), train_and_log(model_params=FLOW_MODEL)
    assert first.promoted and not second.promoted
    tags = {str(v.version): v.tags for v in _versions(MlflowClient(store))}
    assert tags[first.version]["champion.decision"] == "promoted" and tags[first.version]["champion.before"] == ""
    assert tags[second.version]["champion.decision"] == "kept"
    assert float(tags[second.version]["champion.before"]) == pytest.approx(0.5)
    assert tags[second.version]["champion.before_version"] == first.version


def test_champion_moves_by_compare_and_set_when_another_train_promotes_meanwhile(store, quick_evaluation, monkeypatch):
    quick_evaluation += [0.5]
    first = train_and_log(model_params=FLOW_MODEL)
    client = MlflowClient(store)
    real_lookup = MlflowClient.get_model_version_by_alias
    raced = []

    def lookup_then_race(self, name, alias):
        found = real_lookup(self, name, alias)
        if not raced:  # another train promotes a better version right after this one read the champion
            raced.append(True)
            other = client.create_run(client.get_experiment_by_name("degrade-ml").experiment_id)
            client.log_metric(other.info.run_id, HEADLINE, 0.7)
            client.set_terminated(other.info.run_id)
            better = client.create_model_version(MODEL_NAME, f"runs:/{other.info.run_id}/model", other.info.run_id)
            client.set_registered_model_alias(MODEL_NAME, CHAMPION, better.version)
        return found

    monkeypatch.setattr(MlflowClient, "get_model_version_by_alias", lookup_then_race)
    quick_evaluation += [0.6]
    third = train_and_log(model_params=FLOW_MODEL)
    champion = real_lookup(client, MODEL_NAME, CHAMPION)
    assert str(champion.version) != third.version and client.get_run(champion.run_id).data.metrics[HEADLINE] == 0.7
    assert not third.promoted and third.champion_before == pytest.approx(0.7)
    decision = json.loads(Path(client.download_artifacts(third.run_id, "champion_decision.json")).read_text())
    assert decision["promoted"] is False and decision["champion_before"] == pytest.approx(0.7)
    assert client.get_model_version(MODEL_NAME, third.version).tags["champion.decision"] == "kept"
    assert first.promoted


def test_a_fresh_sqlite_store_is_set_up_under_the_folder_lock(store, quick_evaluation, monkeypatch, tmp_path):
    quick_evaluation += [0.5]
    connection.sqlite_path(store).unlink()  # no store yet: this training creates it
    seen = []
    real_initialize = db_utils._initialize_tables

    def initialize(engine):
        probe = os.open(tmp_path, os.O_RDONLY)
        try:
            fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append("unlocked")
        except BlockingIOError:
            seen.append("locked")
        finally:
            os.close(probe)
        return real_initialize(engine)

    monkeypatch.setattr(db_utils, "_initialize_tables", initialize)
    train_and_log(model_params=FLOW_MODEL, register=False)
    assert seen and set(seen) == {"locked"}, seen


# ------------------------------------------------------------------------------- races and kills


def test_the_experiment_is_fetched_by_name_when_another_training_creates_it_first(store, quick_evaluation, monkeypatch):
    quick_evaluation += [0.5]
    real_lookup = MlflowClient.get_experiment_by_name
    raced = []

    def lookup_then_race(self, name):
        found = real_lookup(self, name)
        if not raced and name == "degrade-ml":  # another training creates it right after this one looked
            raced.append(True)
            MlflowClient(store).create_experiment(name)
        return found

    monkeypatch.setattr(MlflowClient, "get_experiment_by_name", lookup_then_race)
    run = train_and_log(model_params=FLOW_MODEL, register=False)
    client = MlflowClient(store)
    assert raced and client.get_run(run.run_id).info.experiment_id == real_lookup(client, "degrade-ml").experiment_id


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no handler cleans up."""


@pytest.mark.parametrize("alias_moved", [False, True])
def test_a_kill_around_the_alias_leaves_no_promoted_version_without_it(store, quick_evaluation, monkeypatch, alias_moved):
    quick_evaluation += [0.5, 0.4]
    real_set_alias = MlflowClient.set_registered_model_alias

    def set_alias_then_die(self, *args):
        if alias_moved:
            real_set_alias(self, *args)
        raise Killed()

    monkeypatch.setattr(MlflowClient, "set_registered_model_alias", set_alias_then_die)
    with pytest.raises(Killed):
        train_and_log(model_params=FLOW_MODEL)
    mlflow.end_run()
    client = MlflowClient(store)
    for version in _versions(client):
        assert version.tags["champion.decision"] != "promoted" or CHAMPION in version.aliases
    # the next training settles what the kill left pending (the alias restored alone: its evaluation stays the stub)
    monkeypatch.setattr(MlflowClient, "set_registered_model_alias", real_set_alias)
    train_and_log(model_params=FLOW_MODEL)
    decision = client.get_model_version(MODEL_NAME, "1").tags["champion.decision"]
    assert decision == ("promoted" if alias_moved else "interrupted")


def test_runs_left_running_by_a_dead_process_are_marked_failed_by_the_next_training(store, quick_evaluation):
    from degrade_ml.registry import owner

    quick_evaluation += [0.5]
    client = MlflowClient(store)
    experiment_id = client.create_experiment("degrade-ml")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        time.sleep(0.2)
        dead_run = client.create_run(experiment_id, tags={**owner.tags(), owner.PID: gone.stdout.strip()}).info.run_id
        alive_tags = {**owner.tags(), owner.PID: str(alive.pid), owner.STARTED: owner._start_time(alive.pid)}
        live_run = client.create_run(experiment_id, tags=alive_tags).info.run_id
        train_and_log(model_params=FLOW_MODEL, register=False)
        assert client.get_run(dead_run).info.status == "FAILED"
        assert client.get_run(live_run).info.status == "RUNNING"
    finally:
        alive.kill()
        alive.wait()


@pytest.fixture(params=["hangs", "HTTP 500"])
def degraded_server(request):
    """A tracking server that answers /health but hangs on (or fails) every API call."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            if not self.path.startswith("/health"):
                calls.append(time.monotonic())
            if self.path.startswith("/health"):
                self.send_response(200)
            elif request.param == "hangs":
                time.sleep(60)
                return
            else:
                self.send_response(500)
            self.end_headers()

        do_GET = do_POST = do_PATCH = do_DELETE = _answer

        def log_message(self, *args):
            pass

    calls = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", calls
    server.shutdown()


@pytest.mark.parametrize("arguments", [
    ["models", "list"],
    ["predict", "--se", "LPSCl", "--electrode", "Li", "--model", f"models:/{MODEL_NAME}@{CHAMPION}"],
    ["train", "--no-register"],
])
def test_a_degraded_tracking_server_fails_within_15_s_naming_it(tmp_path, degraded_server, arguments):
    """The wait the server causes is bounded (6 s); start-up adds 3–4 s on an idle machine, more on a loaded one."""
    uri, calls = degraded_server
    done = subprocess.run([*DEGRADE_ML, *arguments], env=child_env(keep_mlflow=False, MLFLOW_TRACKING_URI=uri),
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    waited = time.monotonic() - calls[0]
    assert done.returncode == 1, done.stderr
    assert waited < 15, f"waited {waited:.1f} s on the server"
    lines = [line for line in done.stderr.strip().splitlines() if "contacting" not in line]
    assert len(lines) == 1 and uri in lines[0] and "internal error" not in lines[0], done.stderr
