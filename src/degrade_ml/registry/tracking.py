"""The one training entry point: fit, evaluate, log everything needed to reproduce the run, register,
and move `champion` only when the new version beats it on the headline metric (SPEC §5)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from degrade_ml.data.load import load_dataset
from degrade_ml.evaluation.run import HEADLINE, evaluate
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.registry.pyfunc import log_predictor

MODEL_NAME = "degrade-ml-interface"
CHAMPION = "champion"
DEFAULT_EXPERIMENT = "degrade-ml"


@dataclass
class TrainingRun:
    run_id: str
    model_uri: str
    version: str | None
    headline: float
    champion_before: float | None
    promoted: bool
    predictor: InterfacePredictor


def train_and_log(data_dir: Path | None = None, experiment: str = DEFAULT_EXPERIMENT, register: bool = True,
                  model_params: dict | None = None, show_progress: bool = False) -> TrainingRun:
    """Tracking URI: MLFLOW_TRACKING_URI when set, otherwise MLflow's embedded SQLite default."""
    dataset = load_dataset(data_dir)
    mlflow.set_experiment(experiment)
    with tempfile.TemporaryDirectory() as workdir, mlflow.start_run() as run:
        evaluation = evaluate(dataset, Path(workdir) / "report", model_params, show_progress=show_progress)
        predictor = InterfacePredictor.train(dataset, **(model_params or {}))
        predictor.metadata |= {"headline": {HEADLINE: evaluation.headline}, "evaluation": evaluation.results}
        mlflow.log_params({f"model.{k}": v for k, v in predictor.model.get_params().items()})
        mlflow.log_params({"dataset.hash": dataset.content_hash, "dataset.records": len(dataset.interfaces)})
        mlflow.set_tags({"dataset.hash": dataset.content_hash})
        mlflow.log_metric("dataset_records", len(dataset.interfaces))
        mlflow.log_metrics(_flatten(evaluation.results))
        mlflow.log_metric(HEADLINE, evaluation.headline)
        mlflow.log_dict(evaluation.results, "evaluation/metrics.json")
        mlflow.log_dict(evaluation.regression, "evaluation/regression.json")
        mlflow.log_artifact(str(evaluation.report), "evaluation")
        for figure in evaluation.figures:
            mlflow.log_artifact(str(figure), "evaluation")
        mlflow.log_text("\n".join(predictor.model.feature_names_), "features.txt")
        info = log_predictor(predictor, Path(workdir), MODEL_NAME if register else None)
        version = str(info.registered_model_version) if register and info.registered_model_version else None
        before, promoted = (_promote_if_better(version, evaluation.headline) if version else (None, False))
        mlflow.log_dict({"new": evaluation.headline, "champion_before": before, "promoted": promoted,
                         "metric": HEADLINE, "version": version}, "champion_decision.json")
        mlflow.set_tags({"champion.promoted": str(promoted), "champion.before": str(before)})
    return TrainingRun(run.info.run_id, info.model_uri, version, evaluation.headline, before, promoted, predictor)


def _flatten(results: dict) -> dict[str, float]:
    return {
        f"{target}/{scheme}/{model}/{metric}": float(value)
        for target, schemes in results.items() for scheme, models in schemes.items()
        for model, metrics in models.items() for metric, value in metrics.items()
    }


def _promote_if_better(version: str, headline: float) -> tuple[float | None, bool]:
    client = MlflowClient()
    try:
        champion = client.get_model_version_by_alias(MODEL_NAME, CHAMPION)
    except MlflowException:
        champion = None
    before = None
    if champion is not None:
        before = client.get_run(champion.run_id).data.metrics.get(HEADLINE)
    promoted = before is None or headline > before
    if promoted:
        client.set_registered_model_alias(MODEL_NAME, CHAMPION, version)
    return before, promoted


def registered_versions() -> list[dict]:
    """Every registered version with its aliases and headline metric, newest first."""
    client = MlflowClient()
    rows = []
    for found in client.search_model_versions(f"name='{MODEL_NAME}'"):
        mv = client.get_model_version(MODEL_NAME, found.version)  # search results omit aliases
        metrics = client.get_run(mv.run_id).data.metrics if mv.run_id else {}
        rows.append({"version": int(mv.version), "aliases": list(mv.aliases), "run_id": mv.run_id,
                     HEADLINE: metrics.get(HEADLINE), "created": mv.creation_timestamp})
    return sorted(rows, key=lambda row: -row["version"])

