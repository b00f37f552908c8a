"""One MLflow run per experiment, in the experiment `degrade-ml-experiments`: its headline numbers as metrics and
its report files as artifacts, so a study can be compared across phase tables and code versions."""

from __future__ import annotations

from pathlib import Path

EXPERIMENT_NAME = "degrade-ml-experiments"


def log_experiment(name: str, metrics: dict[str, float], files: list[Path]) -> str:
    """The run id of a finished run named `name` holding `metrics` and `files`."""
    import mlflow

    from degrade_ml.registry import connection
    from degrade_ml.thermo.table import table_hash

    connection.prepare_training()
    mlflow.set_experiment(EXPERIMENT_NAME)
    with mlflow.start_run(run_name=name) as run:
        mlflow.set_tags({"experiment.kind": name, "thermo.phase_table_hash": table_hash()})
        mlflow.log_metrics({key: float(value) for key, value in metrics.items()})
        for path in files:
            mlflow.log_artifact(str(path), name)
        return run.info.run_id


def window_regression(report_dir: Path, progress: bool) -> tuple[dict[str, float], list[Path]]:
    from degrade_ml.experiments.window_regression import REPORT_NAME, write_report

    summary = write_report(report_dir, progress=progress)
    metrics = {f"window_{edge}_{name}": scores["model"][key] for edge, scores in summary["edges"].items()
               for name, key in (("r2", "r2_pooled"), ("mae_V", "mae_pooled"))}
    names = (REPORT_NAME, "window_regression.json", "window_regression.png")
    return metrics, [report_dir / n for n in names]


def thermo_validation(report_dir: Path, progress: bool) -> tuple[dict[str, float], list[Path]]:
    from degrade_ml.experiments.thermo_candidates import candidates
    from degrade_ml.experiments.thermo_validation import (
        compare_formation_energies,
        compare_windows,
        dft_engine,
        write_report,
    )
    from degrade_ml.thermo.engine import default_engine
    from degrade_ml.thermo.sources import experimental_formation_energies

    engine = default_engine()
    report = write_report(report_dir, engine)
    errors = [abs(c.error_meV_atom) for c in compare_formation_energies(engine)]
    held_out = candidates()[-1].summary(experimental_formation_energies())
    windows = compare_windows(dft_engine())
    metrics = {"formation_mae_meV_atom": sum(errors) / len(errors), "formation_compounds": len(errors),
               "formation_mae_held_out_meV_atom": held_out["mae"], "formation_held_out_compounds": held_out["n"],
               "windows_within_tolerance": sum(w.within() for w in windows), "windows_compared": len(windows)}
    return metrics, [report, *sorted(report_dir.glob("thermo_*.png"))]


EXPERIMENTS = {"window-regression": window_regression, "thermo-validation": thermo_validation}
