"""Shared fixtures: the shipped knowledge base, a writable copy of it, and a small trained predictor."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from degrade_ml.data import default_data_dir, load_dataset
from degrade_ml.models.predictor import InterfacePredictor

FAST_MODEL = {"n_estimators": 40}


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
def tracking_uri(tmp_path, monkeypatch):
    """A fresh SQLite MLflow store in the test's folder, as MLFLOW_TRACKING_URI and for this process."""
    import mlflow

    uri = f"sqlite:///{tmp_path}/mlflow.db"
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

    return evaluate(dataset, tmp_path_factory.mktemp("evaluation"), FAST_MODEL)


@pytest.fixture()
def evaluated_once(monkeypatch, fast_evaluation):
    """`train_and_log` in this test logs the session's evaluation instead of running the cross-validation again."""
    monkeypatch.setattr("degrade_ml.registry.tracking.evaluate", lambda *args, **kwargs: fast_evaluation)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
