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
from degrade_ml.errors import OutsideError, UserError
from degrade_ml.evaluation.run import HEADLINE, evaluate
from degrade_ml.evaluation.shipping import with_uncertainty
from degrade_ml.features.featurizer import feature_names
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.registry import connection, owner
from degrade_ml.registry.pyfunc import log_predictor

MODEL_NAME = "degrade-ml-interface"
CHAMPION = "champion"
DEFAULT_EXPERIMENT = "degrade-ml"
PENDING = "pending"  # registered, alias not yet decided: what a kill in the middle leaves


@dataclass
class TrainingRun:
    run_id: str
    model_uri: str
    version: str | None
    headline: float
    champion_before: float | None
    promoted: bool
    predictor: InterfacePredictor


class TrainingFailed(OutsideError):
    """Training stopped part-way (e.g. the tracking server was lost); the message says what was left behind."""


def train_and_log(data_dir: Path | None = None, experiment: str = DEFAULT_EXPERIMENT, register: bool = True,
                  model_params: dict | None = None, show_progress: bool = False) -> TrainingRun:
    """Tracking URI: MLFLOW_TRACKING_URI when set, otherwise MLflow's embedded SQLite default.

    The store is reached (or created) before any training starts; runs that dead trainings left RUNNING are
    marked FAILED and decisions they left pending are settled. A failure after the run started marks it FAILED;
    a version's champion decision is written after the alias moves, and the version is removed again if moving
    `champion` fails."""
    uri = connection.prepare_training()
    with connection.server_failures_reported():
        client = MlflowClient()
        experiment_id = ensure_experiment(client, experiment)
        fail_dead_runs(client, experiment_id)
        if register:
            settle_pending_decisions(client)
    dataset = load_dataset(data_dir)
    run_id = None
    try:
        with tempfile.TemporaryDirectory() as workdir, \
                mlflow.start_run(experiment_id=experiment_id, tags=owner.tags()) as run:
            run_id = run.info.run_id
            return _train_in_run(run_id, dataset, Path(workdir), register, model_params, show_progress)
    except (MlflowException, OSError) as error:
        raise TrainingFailed(_what_was_left(uri, run_id, error)) from error


def _train_in_run(run_id: str, dataset, workdir: Path, register: bool, model_params: dict | None,
                  show_progress: bool) -> TrainingRun:
    evaluation = evaluate(dataset, workdir / "report", model_params, show_progress=show_progress)
    predictor = with_uncertainty(InterfacePredictor.train(dataset, **(model_params or {})), evaluation.uncertainty)
    predictor.metadata |= {"headline": {HEADLINE: evaluation.headline}, "evaluation": evaluation.results}
    mlflow.log_params({f"model.{k}": v for k, v in predictor.model["heads"].get_params().items()})
    mlflow.log_params({"dataset.hash": dataset.content_hash, "dataset.records": len(dataset.interfaces),
                       "thermo.phase_table_hash": predictor.metadata["phase_table_hash"],
                       "features.layout_hash": predictor.metadata["feature_layout_hash"]})
    mlflow.set_tags({"dataset.hash": dataset.content_hash})
    mlflow.log_metric("dataset_records", len(dataset.interfaces))
    mlflow.log_metrics(_flatten(evaluation.results))
    mlflow.log_metric(HEADLINE, evaluation.headline)
    mlflow.log_dict(evaluation.results, "evaluation/metrics.json")
    mlflow.log_dict(evaluation.regression, "evaluation/regression.json")
    mlflow.log_dict(evaluation.all_labels, "evaluation/metrics_all_labels.json")
    mlflow.log_dict(evaluation.trends, "evaluation/trends.json")
    mlflow.log_artifact(str(evaluation.report), "evaluation")
    for figure in evaluation.figures:
        mlflow.log_artifact(str(figure), "evaluation")
    mlflow.log_text("\n".join(feature_names()), "features.txt")
    info = log_predictor(predictor, workdir)
    version, before, promoted = (register_with_decision(info.model_uri, run_id, evaluation.headline)
                                 if register else (None, None, False))
    mlflow.log_dict({"new": evaluation.headline, "champion_before": before, "promoted": promoted,
                     "metric": HEADLINE, "version": version}, "champion_decision.json")
    mlflow.set_tags({"champion.promoted": str(promoted), "champion.before": str(before)})
    return TrainingRun(run_id, info.model_uri, version, evaluation.headline, before, promoted, predictor)


def ensure_experiment(client: MlflowClient, name: str) -> str:
    """The experiment's id, created when missing; free of races: when another training creates it first, the
    creation clashes and the experiment is fetched by name (mlflow.set_experiment can fall back to "Default")."""
    found = client.get_experiment_by_name(name)
    if found is None:
        try:
            return client.create_experiment(name)
        except MlflowException as error:
            if error.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        found = client.get_experiment_by_name(name)
    if found.lifecycle_stage == "deleted":
        raise UserError(f"--experiment {name!r} is deleted; restore it or choose another name")
    return found.experiment_id


def fail_dead_runs(client: MlflowClient, experiment_id: str) -> list[str]:
    """Mark FAILED the runs left RUNNING by a training process of this machine that no longer runs (killed)."""
    failed = []
    for run in client.search_runs([experiment_id], filter_string="attributes.status = 'RUNNING'", max_results=1000):
        if owner.is_dead(run.data.tags):
            client.set_terminated(run.info.run_id, "FAILED")
            failed.append(run.info.run_id)
    return failed


def _what_was_left(uri: str, run_id: str | None, error: Exception) -> str:
    """One line: what failed, and the run's state when it could not be marked FAILED."""
    reason = " ".join(str(getattr(error, "message", error)).split())[:300]
    if run_id is None:
        return f"training against {uri} failed before a run started: {reason}"
    try:
        status = MlflowClient().get_run(run_id).info.status
    except Exception:  # noqa: BLE001 - the store is gone: say so instead
        status = None
    if status == "FAILED":
        return f"training run {run_id} failed and is marked FAILED in {uri}: {reason}"
    return (f"training run {run_id} failed and could not be marked FAILED in {uri} (the store does not answer); "
            f"mark it with MlflowClient().set_terminated({run_id!r}, 'FAILED') once it is back: {reason}")


def _flatten(results: dict) -> dict[str, float]:
    return {
        f"{target}/{scheme}/{model}/{metric}": float(value)
        for target, schemes in results.items() for scheme, models in schemes.items()
        for model, metrics in models.items() for metric, value in metrics.items()
    }


@dataclass(frozen=True)
class Champion:
    version: str
    headline: float | None


def current_champion(client: MlflowClient) -> Champion | None:
    try:
        found = client.get_model_version_by_alias(MODEL_NAME, CHAMPION)
    except MlflowException as error:
        if error.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND", "INVALID_PARAMETER_VALUE"):
            return None
        raise
    return Champion(str(found.version), client.get_run(found.run_id).data.metrics.get(HEADLINE) if found.run_id else None)


def _decision_tags(headline: float, champion: Champion | None, promoted: bool) -> dict[str, str]:
    return {
        "champion.decision": "promoted" if promoted else "kept",
        HEADLINE: repr(headline),
        "champion.before": "" if champion is None or champion.headline is None else repr(champion.headline),
        "champion.before_version": "" if champion is None else champion.version,
    }


def _beats(headline: float, champion: Champion | None) -> bool:
    return champion is None or champion.headline is None or headline > champion.headline


def register_with_decision(model_uri: str, run_id: str, headline: float) -> tuple[str, float | None, bool]:
    """Register `model_uri` as `pending`, move `champion` by compare-and-set, then write the decision.

    The decision is made against the champion read just before the alias moves; if another training moved it
    meanwhile, it is made again against the new one (on a local SQLite store the whole step also holds the
    store's lock). The decision tags are written only after the alias has moved, so a kill at any point leaves
    no `promoted` version without the alias: at worst a `pending` one, which the next training settles. If the
    alias or the tags cannot be written, the new version is deleted."""
    client = MlflowClient()
    with connection.store_lock(mlflow.get_registry_uri()):
        version = str(mlflow.register_model(model_uri, MODEL_NAME, tags={"champion.decision": PENDING}).version)
        try:
            read, promoted = _compare_and_set_champion(client, version, headline)
            for key, value in _decision_tags(headline, read, promoted).items():
                client.set_model_version_tag(MODEL_NAME, version, key, value)
        except Exception:
            _delete_version(client, version)
            raise
    return version, (read.headline if read else None), promoted


def _compare_and_set_champion(client: MlflowClient, version: str, headline: float) -> tuple[Champion | None, bool]:
    read = current_champion(client)
    for _ in range(5):
        promoted = _beats(headline, read)
        now = current_champion(client)
        if now != read:  # another training moved champion since it was read: decide again
            read = now
            continue
        if promoted:
            client.set_registered_model_alias(MODEL_NAME, CHAMPION, version)
        return read, promoted
    raise MlflowException(f"champion of {MODEL_NAME} kept moving while version {version} was being decided")


def settle_pending_decisions(client: MlflowClient) -> list[str]:
    """Versions a killed training left `pending`: `promoted` when the alias reached them, else `interrupted`."""
    settled = []
    champion = current_champion(client)
    for found in client.search_model_versions(f"name='{MODEL_NAME}'"):
        if found.tags.get("champion.decision") == PENDING:
            won = champion is not None and champion.version == str(found.version)
            client.set_model_version_tag(MODEL_NAME, str(found.version), "champion.decision",
                                         "promoted" if won else "interrupted")
            settled.append(str(found.version))
    return settled


def _delete_version(client: MlflowClient, version: str) -> None:
    try:
        client.delete_model_version(MODEL_NAME, version)
    except Exception:  # noqa: BLE001 - the store is gone; the version keeps the decision tags it was created with
        pass


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

