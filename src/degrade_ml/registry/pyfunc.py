"""The predictor as one MLflow pyfunc model: `mlflow.pyfunc.load_model(uri).predict(queries)` returns the
SPEC §4 columns, the same as `degrade-ml predict --input`."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import joblib
import mlflow
import pandas as pd
from mlflow.models import ModelSignature, infer_signature
from mlflow.types import ColSpec, Schema

from degrade_ml.models.predictor import InterfacePredictor

INPUT_EXAMPLE = pd.DataFrame({
    "se": ["Li6PS5Cl", "LGPS"],
    "electrode": ["NMC811", "Li"],
    "coating": ["LiNbO3", ""],
    "voltage_V": [4.3, 0.0],
    "temperature_C": [25.0, 25.0],
    "pressure_MPa": [5.0, 5.0],
})
# se and electrode are required; coating and conditions may be left out (SPEC §4 batch columns)
INPUT_SCHEMA = Schema([
    ColSpec("string", "se"), ColSpec("string", "electrode"), ColSpec("string", "coating", required=False),
    *(ColSpec("double", column, required=False) for column in ("voltage_V", "temperature_C", "pressure_MPa")),
])
REQUIREMENTS = ["scikit-learn", "pandas", "matminer", "pymatgen", "joblib", "mlflow", "pandera", "typer", "rich", "matplotlib"]


class InterfacePyfunc(mlflow.pyfunc.PythonModel):
    def load_context(self, context) -> None:
        self.predictor: InterfacePredictor = joblib.load(context.artifacts["predictor"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        return self.predictor.predict(pd.DataFrame(model_input))


def _model_arguments(predictor: InterfacePredictor, workdir: Path) -> dict:
    """What logging and saving share: the pickled predictor as an artifact, signature, example, requirements."""
    artifact = Path(workdir) / "predictor.joblib"
    joblib.dump(predictor, artifact, compress=3)
    example_output = predictor.predict(INPUT_EXAMPLE)
    return {
        "python_model": InterfacePyfunc(),
        "artifacts": {"predictor": str(artifact)},
        "signature": ModelSignature(inputs=INPUT_SCHEMA, outputs=infer_signature(INPUT_EXAMPLE, example_output).outputs),
        "input_example": INPUT_EXAMPLE,
        "pip_requirements": [f"{name}=={version(name)}" for name in REQUIREMENTS],
    }


def log_predictor(predictor: InterfacePredictor, workdir: Path, registered_model_name: str | None = None):
    """Log the whole pipeline with signature and input example; returns MLflow's ModelInfo."""
    return mlflow.pyfunc.log_model(name="model", registered_model_name=registered_model_name,
                                   **_model_arguments(predictor, workdir))


def save_predictor(predictor: InterfacePredictor, directory: Path) -> str:
    """The predictor as an MLflow model folder, without a run (e.g. the bundled model for Spark); its URI."""
    path = Path(directory) / "model"
    Path(directory).mkdir(parents=True, exist_ok=True)
    mlflow.pyfunc.save_model(path=str(path), **_model_arguments(predictor, directory))
    return str(path)


def load_predictor(model_uri: str) -> InterfacePredictor:
    """The predictor behind any MLflow model URI (models:/name@alias, runs:/…, a path)."""
    model = mlflow.pyfunc.load_model(model_uri)
    return model.unwrap_python_model().predictor
