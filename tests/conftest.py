"""Shared fixtures and helpers: the shipped knowledge base and a writable copy of it, one small trained predictor
for the whole session (and the commands that load a model given it), the thermodynamic engine, MLflow stores,
ports, child-process environments and CSV edits."""

from __future__ import annotations

import copy
import os
import shutil
import socket
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import settings

from degrade_ml.data import default_data_dir, load_dataset
from degrade_ml.models.predictor import InterfacePredictor

FAST_MODEL = {"n_estimators": 40}
FLOW_MODEL = {"n_estimators": 10}  # where a test runs the training flow, not its scores: a small forest to fit
# property tests draw the same examples on every run, so that CI on a clean clone is reproducible
settings.register_profile("reproducible", derandomize=True, database=None)
settings.load_profile("reproducible")

DEGRADE_ML = [sys.executable, "-c", "from degrade_ml.cli.main import main; main()"]  # the command, as a child process


def pytest_collection_modifyitems(items) -> None:
    """The tests marked slow first (a group with one of them comes with it): pytest-xdist hands out work in this
    order, and a test of a minute or more collected late would run alone while the other worker has finished."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may corrupt."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target, ignore=shutil.ignore_patterns("parts"))
    return target


@pytest.fixture(scope="session")
def predictor(dataset) -> InterfacePredictor:
    return InterfacePredictor.train(dataset, **FAST_MODEL)


@pytest.fixture()
def small_model(monkeypatch, predictor) -> InterfacePredictor:
    """The commands that load a model (`predict`, `screen`, `react`, …) get the session's predictor instead of the
    bundled one: the same answers the tests compute with `predictor`, without unpickling the bundle each time."""
    monkeypatch.setattr("degrade_ml.cli.predicting.load_predictor", lambda uri: predictor)
    return predictor


@pytest.fixture(scope="session")
def engine():
    """The thermodynamic engine every command uses, its caches shared by the tests of a worker."""
    from degrade_ml.thermo.engine import default_engine

    return default_engine()


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory) -> Path:
    """An empty SQLite MLflow store, its schema set up once: setting up MLflow's schema takes 10-20 s on this
    machine, copying the file milliseconds. A copy is exactly what a first training creates before its first run
    (test_registry_safety.py tests that creation itself, on a store that does not exist yet)."""
    from mlflow import MlflowClient

    path = tmp_path_factory.mktemp("empty-store") / "mlflow.db"
    MlflowClient(f"sqlite:///{path}").search_experiments()
    return path


def new_store(empty_store: Path, path: Path) -> str:
    """A fresh store at `path` (a copy of the empty one); its URI."""
    shutil.copyfile(empty_store, path)
    return f"sqlite:///{path}"


@pytest.fixture()
def tracking_uri(tmp_path, monkeypatch, empty_store):
    """A fresh SQLite MLflow store in the test's folder, as MLFLOW_TRACKING_URI and for this process."""
    import mlflow

    uri = new_store(empty_store, tmp_path / "mlflow.db")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)
    mlflow.set_tracking_uri(uri)
    yield uri
    mlflow.set_tracking_uri(None)


@pytest.fixture(scope="session")
def fast_evaluation(dataset, tmp_path_factory):
    """One grouped evaluation of the fast model, for the tests whose subject is what training logs and registers
    (test_evaluation.py tests the evaluation itself)."""
    from degrade_ml.evaluation import evaluate

    return evaluate(dataset, tmp_path_factory.mktemp("evaluation"), FLOW_MODEL)


@pytest.fixture()
def evaluated_once(monkeypatch, fast_evaluation):
    """`train_and_log` in this test logs the session's evaluation instead of running the cross-validation again."""
    monkeypatch.setattr("degrade_ml.registry.tracking.evaluate", lambda *args, **kwargs: fast_evaluation)


@pytest.fixture()
def trained_once(monkeypatch, predictor):
    """`train_and_log` in this test logs a copy of the session's predictor instead of fitting one again, for the
    tests whose subject is the registry (test_mlflow.py trains for real)."""
    monkeypatch.setattr(InterfacePredictor, "train", lambda *args, **kwargs: copy.deepcopy(predictor))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a server a test starts (or one that must not answer)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_env(*, keep_mlflow: bool = True, **changes: str) -> dict[str, str]:
    """The environment for a `degrade-ml` child process: this one's, with the import path the tests run on (the
    worktree's src/ even when the package is not installed), without MLFLOW_* variables unless `keep_mlflow`."""
    env = {k: v for k, v in os.environ.items() if keep_mlflow or not k.startswith("MLFLOW_")}
    return {**env, "PYTHONPATH": os.pathsep.join(sys.path), **changes}


def one_line(result) -> str:
    """The one line a failing command prints on stderr (SPEC §4: never more, never a traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def edit_csv(data_dir: Path, table: str = "interfaces.csv", row: str | None = None, key: str = "record_id",
             **values: str) -> str:
    """Set `values` (column=value) in the row of `table` whose `key` is `row` (the first row when None), keeping
    every other cell as written; returns the row's key."""
    path = Path(data_dir) / table
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = frame.index[0] if row is None else frame.index[frame[key] == row][0]
    for column, value in values.items():
        frame.loc[index, column] = value
    frame.to_csv(path, index=False)
    return frame.loc[index, key] if key in frame else frame.loc[index].iloc[0]
