"""Shared fixtures: the shipped knowledge base, a writable copy of it, and a small trained predictor."""

from __future__ import annotations

import shutil
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
