"""The model bundled in models/: a fresh install predicts with no training and no server."""

from __future__ import annotations

import json
from pathlib import Path

import joblib

from degrade_ml.atomic import atomic_write
from degrade_ml.models.predictor import InterfacePredictor

BUNDLE_NAME = "degrade-ml-interface.joblib"
METADATA_NAME = "metadata.json"


def default_bundle_dir() -> Path:
    return Path(__file__).resolve().parents[3] / "models"


def export_bundle(predictor: InterfacePredictor, bundle_dir: Path | None = None) -> Path:
    """Write the predictor and its metadata (dataset hash, metrics) atomically."""
    bundle_dir = Path(bundle_dir or default_bundle_dir())
    bundle_dir.mkdir(parents=True, exist_ok=True)
    path = bundle_dir / BUNDLE_NAME
    atomic_write(path, lambda handle: joblib.dump(predictor, handle, compress=3))
    metadata = json.dumps(predictor.metadata, indent=2, sort_keys=True, default=str)
    atomic_write(bundle_dir / METADATA_NAME, lambda handle: handle.write(metadata.encode()))
    return path


def load_bundle(bundle_dir: Path | None = None) -> InterfacePredictor:
    path = Path(bundle_dir or default_bundle_dir()) / BUNDLE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no bundled model at {path}; run `degrade-ml export` first")
    return joblib.load(path)


def bundle_metadata(bundle_dir: Path | None = None) -> dict:
    return json.loads((Path(bundle_dir or default_bundle_dir()) / METADATA_NAME).read_text())

