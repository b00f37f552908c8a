"""The command groups beside the product's commands: `data` (the knowledge base), `models` (the registry) and
`experiment` (studies never run by train or evaluate)."""

from __future__ import annotations

from pathlib import Path

import typer

from degrade_ml.cli.options import AsJson, DataDir, ReportDir, Track, out, say
from degrade_ml.errors import OutsideError
from degrade_ml.io import strict_json

data_app = typer.Typer(help="Validate and summarise the knowledge base in data/.", no_args_is_help=True)
models_app = typer.Typer(help="Registered model versions in the MLflow registry.", no_args_is_help=True)
experiment_app = typer.Typer(help="Studies beside the product (never run by train or evaluate), each logged as its own MLflow run.",
                             no_args_is_help=True)


@data_app.command("validate")
def data_validate(data_dir: DataDir = None) -> None:
    """Check every record: vocabulary keys, formulas, provenance, unique ids, element conservation. Exit 1 lists every problem."""
    from degrade_ml.data import validate_dir

    problems = validate_dir(data_dir)
    for problem in problems:
        out.print(str(problem), markup=False, highlight=False)
    if problems:
        raise OutsideError(f"{len(problems)} problem(s) in the data")
    out.print("data valid")


@data_app.command("summary")
def data_summary(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Counts of records, SEs, electrodes, coatings, roles, product classes, stability and techniques."""
    from degrade_ml.cli.render import summary_table
    from degrade_ml.data import DataValidationError, load_dataset
    from degrade_ml.data.summary import summarize

    try:
        summary = summarize(load_dataset(data_dir))
    except DataValidationError as error:
        raise OutsideError(f"data invalid, run `degrade-ml data validate`: {error.problems[0]}") from None
    out.print_json(strict_json.dumps(summary)) if as_json else out.print(summary_table(summary))


def _experiment(name: str, report_dir: Path, track: bool) -> None:
    from degrade_ml.experiments.tracking import EXPERIMENTS, log_experiment

    report_dir.mkdir(parents=True, exist_ok=True)
    metrics, files = EXPERIMENTS[name](report_dir, progress=True)
    for key, value in metrics.items():
        out.print(f"{key}: {value:.3f}", markup=False, highlight=False)
    if track:
        out.print(f"MLflow run {log_experiment(name, metrics, files)}", markup=False, highlight=False)


@experiment_app.command("window-regression")
def experiment_window_regression(report_dir: ReportDir = Path("reports"), track: Track = True) -> None:
    """A composition regressor for the SE window edges, labelled by the phase-energy table, scored by chemical system."""
    _experiment("window-regression", report_dir, track)


@experiment_app.command("thermo-validation")
def experiment_thermo_validation(report_dir: ReportDir = Path("reports"), track: Track = True) -> None:
    """The phase-energy table against pymatgen's experimental enthalpies and published SE windows (reports/thermo.md)."""
    _experiment("thermo-validation", report_dir, track)


@models_app.command("list")
def models_list(as_json: AsJson = False) -> None:
    """Registered versions of degrade-ml-interface with aliases and the headline metric."""
    from degrade_ml.cli.render import versions_table
    from degrade_ml.registry import connection
    from degrade_ml.registry.tracking import registered_versions

    connection.prepare_lookup(say=say)
    with connection.server_failures_reported():
        versions = registered_versions()
    out.print_json(strict_json.dumps(versions)) if as_json else out.print(versions_table(versions))
