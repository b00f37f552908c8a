"""The predictor as one MLflow pyfunc model: `mlflow.pyfunc.load_model(uri).predict(queries)` returns the
SPEC §4 columns, the same as `degrade-ml predict --input`."""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import joblib
import mlflow
import pandas as pd
from mlflow.exceptions import MlflowException
from mlflow.models import ModelSignature, infer_signature
from mlflow.types import ColSpec, Schema

from degrade_ml.contacts import CONTACT_COLUMNS, KnownContacts
from degrade_ml.errors import UserError
from degrade_ml.features.thermo import using_engine
from degrade_ml.io.atomic import PARTIAL_MARK
from degrade_ml.io.spec_strings import as_spec_strings
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.query import named_query_columns
from degrade_ml.registry import connection
from degrade_ml.thermo.engine import default_engine
from degrade_ml.vocab import QUERY_COLUMNS

INPUT_EXAMPLE = pd.DataFrame({
    "se": ["Li6PS5Cl", "LGPS"],
    "electrode": ["NMC811", "Li"],
    "coating": ["LiNbO3", ""],
    "voltage_V": ["4.3", "0"],
    "temperature_C": ["25", "25"],
    "pressure_MPa": ["5", "5"],
})
# Every column may be left out and conditions are text, so that MLflow's schema check refuses nothing: a missing
# se/electrode column or a voltage of "abc" is judged per row, as in `predict --input` (SPEC §4). The contact columns
# carry contacts computed beforehand (`contacts.encode`, a Spark screen's executors).
INPUT_SCHEMA = Schema([
    *(ColSpec("string", column, required=False)
      for column in QUERY_COLUMNS),
    *(ColSpec("binary", column, required=False) for column in CONTACT_COLUMNS),
])
REQUIRED_COLUMNS = ("se", "electrode")
MLMODEL = "MLmodel"
REQUIREMENTS = ["scikit-learn", "pandas", "matminer", "pymatgen", "highspy", "joblib", "mlflow", "pandera", "typer", "rich", "matplotlib"]


class InterfacePyfunc(mlflow.pyfunc.PythonModel):
    def load_context(self, context) -> None:
        """Refuses a predictor this install cannot answer with, so that `mlflow models serve` fails at start."""
        self.predictor: InterfacePredictor = joblib.load(context.artifacts["predictor"])
        if why := self.predictor.incompatibility():
            raise ModelLoadError(f"this degrade-ml model {why}; train a new one (`degrade-ml train`)")

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        """SPEC §4 cells; every empty number None, so that a served answer is strict JSON (null, never NaN)."""
        frame = named_query_columns(pd.DataFrame(model_input))
        missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
        for column in missing:
            frame[column] = None
        given = [c for c in CONTACT_COLUMNS if c in frame]
        if given:
            engine = KnownContacts(default_engine(), (blob for c in given for blob in frame[c]))
            with using_engine(engine):
                result = as_spec_strings(self.predictor.predict(frame.drop(columns=given)))
        else:
            result = as_spec_strings(self.predictor.predict(frame))
        if missing:
            result["error"] = f"missing column(s): {', '.join(missing)}"
        return result.astype(object).where(result.notna(), None)


def _model_arguments(predictor: InterfacePredictor, workdir: Path) -> dict:
    """What logging and saving share: the pickled predictor as an artifact, signature, example, requirements."""
    artifact = Path(workdir) / "predictor.joblib"
    joblib.dump(predictor, artifact, compress=3)
    example_output = as_spec_strings(predictor.predict(INPUT_EXAMPLE))
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


class ModelLoadError(UserError):
    """A --model value that does not lead to a degrade-ml model; one line naming the value."""


def save_model_folder(predictor: InterfacePredictor, directory: Path) -> Path:
    """The predictor as an MLflow model in `directory` (a new folder), ready for `mlflow models serve`.
    It is built in a partial folder beside it and renamed into place, so it appears whole or not at all."""
    directory = Path(directory)
    logging.getLogger("mlflow").setLevel(logging.ERROR)  # a failure is one line of ours, not MLflow's warnings
    partial = directory.with_name(f"{directory.name}{PARTIAL_MARK}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        with tempfile.TemporaryDirectory() as workdir:
            mlflow.pyfunc.save_model(path=str(partial), **_model_arguments(predictor, Path(workdir)))
        os.rename(partial, directory)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return directory


def load_predictor(model_uri: str) -> InterfacePredictor:
    """The predictor behind any MLflow model URI (models:/name@alias, runs:/…, a path); ModelLoadError
    naming the URI when it leads nowhere, to something that is not a model, or to someone else's model."""
    _check_local_model(model_uri)
    try:
        model = mlflow.pyfunc.load_model(model_uri)
    except ModelLoadError as error:  # ours, from load_context
        raise ModelLoadError(f"{model_uri!r}: {error}") from None
    except MlflowException as error:
        if connection.is_server_failure(error):
            raise connection.ServerUnreachable(connection.server_failure_message(error)) from None
        raise ModelLoadError(f"{model_uri!r}: {_one_line(error.message)}") from None
    except OSError as error:
        raise ModelLoadError(f"{model_uri!r}: cannot read the model ({error.strerror or error})") from None
    except ImportError as error:  # e.g. s3:// without boto3
        raise ModelLoadError(f"{model_uri!r}: reading it needs the Python package {error.name or error}, "
                             "which is not installed") from None
    try:
        predictor = model.unwrap_python_model().predictor
    except (AttributeError, MlflowException):
        predictor = None
    if not isinstance(predictor, InterfacePredictor):
        raise ModelLoadError(f"{model_uri!r} is an MLflow model, but not a degrade-ml interface model")
    return predictor


def _check_local_model(model_uri: str) -> None:
    """A plain path (or file: URI) must be an existing MLflow model folder."""
    if model_uri.startswith("file://"):
        path = Path(model_uri.removeprefix("file://"))
    elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]+:", model_uri):
        return  # models:/, runs:/, s3://, …: MLflow resolves them
    else:
        path = Path(model_uri).expanduser()
    if not path.exists():
        raise ModelLoadError(f"{model_uri!r}: no such file or folder")
    if not (path / MLMODEL).is_file():
        raise ModelLoadError(f"{model_uri!r} is not an MLflow model folder (no {MLMODEL} file in it)")


def _one_line(message: str) -> str:
    """MLflow's message, first line only, with paths of temporary download folders left out."""
    line = str(message).strip().splitlines()[0] if str(message).strip() else "cannot load the model"
    return re.sub(re.escape(tempfile.gettempdir()) + r"/[^\s'\"]*", "<temporary download>", line)
