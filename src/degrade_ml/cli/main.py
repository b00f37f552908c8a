"""`degrade-ml`: data, evaluate, train, export, predict and models commands (SPEC §4).

Heavy libraries are imported inside commands so that `--help` and a single prediction start fast.
Exit codes, enforced here and nowhere else (`degrade_ml.errors`): 0 success, 2 a `UserError` (bad usage, a query
that cannot be understood, an output that cannot be written), 1 an `OutsideError` (a server, the disk, a corrupt
bundled model) or an internal failure; always one line on stderr.
"""

from __future__ import annotations

import atexit
import math
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from degrade_ml.io import strict_json
from degrade_ml.cli.groups import data_app, experiment_app, models_app
from degrade_ml.cli.options import (
    AsJson,
    DataDir,
    EscapeFormulas,
    out,
    pressure,
    say,
    temperature,
    voltage_or_open_circuit,
    voltage_or_open_circuit_value,
    voltage_or_range,
)
from degrade_ml.errors import DegradeMLError, UserError


class _OneRule(TyperGroup):
    """Every command's `UserError` ends in exit 2 and its `OutsideError` in exit 1, with one line on stderr."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DegradeMLError as error:
            typer.echo(f"degrade-ml: {error}", err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    cls=_OneRule, help="What happens at a sulfide solid-electrolyte interface: products, stability and degradation modes, "
    "learned from the literature.",
    no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False,
)
app.add_typer(data_app, name="data")
app.add_typer(models_app, name="models")
app.add_typer(experiment_app, name="experiment")


@app.command()
def evaluate(
    data_dir: DataDir = None, as_json: AsJson = False,
    report_dir: Annotated[Path, typer.Option(help="Where evaluation.md and its figures go.")] = Path("reports"),
) -> None:
    """Grouped cross-validation of the model beside the chemistry-rule, thermodynamic and majority baselines.

    Leave-one-SE-family-out, -electrode-out and -study-out, every model on the same folds.

    Writes REPORT_DIR/evaluation.md: metrics, stated trends, calibration and conformal coverage, with figures.
    """
    from degrade_ml.cli.render import evaluation_table
    from degrade_ml.data import load_dataset
    from degrade_ml.evaluation import evaluate as run_evaluation

    evaluation = run_evaluation(load_dataset(data_dir), report_dir, show_progress=not as_json)
    if as_json:
        out.print_json(strict_json.dumps({**evaluation.results, "trends": evaluation.trends}))
        return
    out.print(evaluation_table(evaluation.results))
    out.print(f"headline (product micro-F1, mean of both schemes): {evaluation.headline:.3f}; report: {evaluation.report}")


@app.command()
def train(
    data_dir: DataDir = None,
    experiment: Annotated[str, typer.Option(help="MLflow experiment name.")] = "degrade-ml",
    no_register: Annotated[bool, typer.Option("--no-register", help="Log the run but do not register a model version.")] = False,
) -> None:
    """Fit on all records, evaluate, log to MLflow and register the model.

    Tracking URI: MLFLOW_TRACKING_URI, or a local SQLite store. Registers `degrade-ml-interface` and moves
    the `champion` alias only when the new version beats it on the headline metric.
    """
    from degrade_ml.registry import connection
    from degrade_ml.registry.tracking import train_and_log

    connection.prepare_training(say=say)
    run = train_and_log(data_dir, experiment, register=not no_register, show_progress=True)
    out.print(f"run {run.run_id}: headline {run.headline:.3f}; model {run.model_uri}")
    if run.version:
        verdict = "promoted to champion" if run.promoted else f"champion kept ({run.champion_before:.3f} ≥ {run.headline:.3f})"
        out.print(f"registered degrade-ml-interface version {run.version}: {verdict}")


@app.command()
def export(
    data_dir: DataDir = None,
    bundle_dir: Annotated[Optional[Path], typer.Option(help="Where the bundled model goes (default: the project's models/).")] = None,
) -> None:
    """Train on all records and write the bundled model that `predict` uses when no --model is given."""
    from degrade_ml.data import load_dataset
    from degrade_ml.evaluation.shipping import train_shipped
    from degrade_ml.registry.bundle import export_bundle

    dataset = load_dataset(data_dir)
    path = export_bundle(train_shipped(dataset), bundle_dir)
    out.print(f"bundled model written to {path} (dataset {dataset.content_hash[:12]}, {len(dataset.interfaces)} records)")


@app.command()
def predict(
    se: Annotated[Optional[str], typer.Option(help="Solid electrolyte: formula (Li6PS5Cl) or name (LPSCl, LGPS, 75Li2S-25P2S5 glass).")] = None,
    electrode: Annotated[Optional[str], typer.Option(help=(
        "Electrode: Li, a Li alloy (Li-In), an anode (graphite, Si, LTO) or a cathode formula/name (NMC811, LiCoO2); "
        "'LiNbO3-coated NMC811' names both electrode and coating."))] = None,
    coating: Annotated[Optional[str], typer.Option(help=(
        "Cathode coating or anode interlayer (LiNbO3, LNO, Li3PO4, LZO, Li3InCl6, Li3BO3-Li2CO3, In foil)."))] = None,
    voltage: Annotated[Optional[str], typer.Option(metavar="VOLTS", help="Voltage in V vs Li/Li+, or with the electrode it is measured against (\"3.7 V vs Li-In\" is 4.32 V); a cycling window (\"2.5-4.3 V\") gives a cathode its upper cut-off, an anode its lower one; OCV the pristine contact, chemical but for Li metal and its alloys.", parser=voltage_or_range)] = None,
    temperature: Annotated[Optional[float], typer.Option(help="Temperature in °C (\"25 °C\" and \"RT\" too; a range at its upper end); checked and named in a warning, not read by the model (too few records state one).", parser=temperature)] = None,
    pressure: Annotated[Optional[float], typer.Option(help="Stack pressure in MPa (\"0.5 GPa\" too; a range at its upper end). Read where Li metal or a Li alloy is stripped: from 7 MPa creep refills the voids stripping leaves (review ref [30a]); elsewhere named in a warning, not read.", parser=pressure)] = None,
    as_json: AsJson = False,
    explain: Annotated[bool, typer.Option("--explain", help="Show the chemical facts that drove the prediction.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="MLflow model URI (models:/degrade-ml-interface@champion, runs:/…, a path) (default: the bundled model).")] = None,
    input_csv: Annotated[Optional[Path], typer.Option("--input", help="Batch CSV with columns se, electrode[, coating, voltage_V, temperature_C, pressure_MPa]; other columns pass through.")] = None,
    output_csv: Annotated[Optional[Path], typer.Option("--output", help="Where the batch predictions go (written whole or not at all).")] = None,
    escape_formulas: EscapeFormulas = False,
) -> None:
    """Predict interfacial products, stability and degradation modes for one interface or a CSV batch.

    Examples:

      degrade-ml predict --se LPSCl --electrode NMC811 --coating LiNbO3 --voltage 4.3

      degrade-ml predict --se Li10GeP2S12 --electrode Li --json --explain

      degrade-ml predict --input queries.csv --output predictions.csv
    """
    from degrade_ml.cli import predicting

    if input_csv is not None:
        if se or electrode or coating:
            raise UserError("give either --input (batch) or --se/--electrode (single query), not both")
        if output_csv is None:
            raise UserError("--input needs --output")
        predicting.run_batch(input_csv, output_csv, model, out, escape_formulas=escape_formulas)
        return
    if not se or not electrode:
        raise UserError("give --se and --electrode (or --input and --output for a batch)")
    for option, value in (("--temperature", temperature), ("--pressure", pressure)):
        if isinstance(value, float) and not math.isfinite(value):
            raise UserError(f"{option} {value}: not a finite number (leave the option out when it is unknown)")
    predicting.run_single(
        {"se": se, "electrode": electrode, "coating": coating or "", "voltage_V": voltage,
         "temperature_C": temperature, "pressure_MPa": pressure},
        model, as_json, explain, out,
    )


@app.command()
def screen(
    se: Annotated[str, typer.Option("--se", help="SEs: a comma-separated list (LPSCl,LGPS) or a text file with one per line.")],
    electrodes: Annotated[str, typer.Option(help="Electrodes: a comma-separated list or a file, one per line.")],
    output: Annotated[Path, typer.Option(help="Ranked results, .parquet or .csv (written whole or not at all).")],
    coatings: Annotated[str, typer.Option(help="Coatings: a list or a file; `none` (or an empty item) means uncoated.")] = "none",
    voltage: Annotated[Optional[float], typer.Option(metavar="VOLTS", help="Voltage in V vs Li/Li+ for every combination (or \"3.7 V vs Li-In\"); OCV screens the pristine contacts: Li metal and its alloys at their own potentials, any other electrode chemically.", parser=voltage_or_open_circuit_value)] = None,
    top: Annotated[Optional[int], typer.Option(help="Keep only the N best combinations in --output.")] = None,
    engine: Annotated[str, typer.Option(help="local, or spark (contacts and model on Spark executors; writes a Parquet folder).")] = "local",
    spark_master: Annotated[Optional[str], typer.Option(
        "--spark-master", help="With --engine spark: local[N], spark://HOST:PORT or sc://HOST (default local[2]; "
        "under spark-submit, its session).")] = None,
    model: Annotated[Optional[str], typer.Option("--model", help="MLflow model URI (default: the bundled model).")] = None,
    escape_formulas: EscapeFormulas = False,
) -> None:
    """Rank every SE × electrode × coating combination by p(stable), then by fewest predicted products.

    Example: degrade-ml screen --se LPSCl,LGPS,LPS --electrodes Li,NMC811,LCO --coatings none,LNO --voltage 4.3 --output screen.parquet
    """
    from degrade_ml.cli import predicting

    predicting.run_screen((se, electrodes, coatings), voltage, output, top, engine, model, out,
                          escape_formulas=escape_formulas, spark_master=spark_master)


@app.command("export-mlflow")
def export_mlflow(
    directory: Annotated[Path, typer.Argument(help="New folder for the MLflow model (must not exist yet).")],
    model: Annotated[Optional[str], typer.Option("--model", help="MLflow model URI to copy (default: the bundled model).")] = None,
) -> None:
    """Write the bundled model as an MLflow model folder, e.g. for `mlflow models serve -m DIRECTORY --env-manager local`."""
    from degrade_ml.cli import predicting

    if directory.exists() or directory.is_symlink():
        raise UserError(f"{str(directory)!r} already exists; give a new folder")
    if not directory.parent.is_dir():
        raise UserError(f"{str(directory)!r}: folder {str(directory.parent)!r} does not exist")
    if not os.access(directory.parent, os.W_OK):
        raise UserError(f"{str(directory)!r}: cannot write in folder {str(directory.parent)!r}")
    predictor = predicting.load_predictor(model)
    from degrade_ml.io.atomic import write_error
    from degrade_ml.registry.pyfunc import save_model_folder

    try:
        save_model_folder(predictor, directory)
    except OSError as error:
        raise write_error(directory, error) from None
    out.print(f"MLflow model written to {directory}; serve it with: mlflow models serve -m {directory} --env-manager local",
              markup=False, highlight=False)


@app.command()
def serve(
    model: Annotated[Optional[str], typer.Option("--model", help="MLflow model URI to serve (default: the bundled model).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 5000,
    workers: Annotated[int, typer.Option(help="Server worker processes.")] = 1,
) -> None:
    """Serve predictions over HTTP with MLflow's scoring server: POST a CSV or JSON batch to /invocations.

    Runs `mlflow models serve` with this environment's bin folder on PATH, so no virtual environment needs activating.
    """
    from degrade_ml.cli.serving import run_serve

    raise typer.Exit(run_serve(model, host, port, workers, say))


@app.command()
def window(
    se: Annotated[Optional[str], typer.Argument(help="Solid electrolyte: formula (Li3PS4) or name (LPSCl, LGPS).")] = None,
    se_option: Annotated[Optional[str], typer.Option("--se", help="The SE as predict and react take it (the same as the argument).")] = None,
    as_json: AsJson = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Draw the window as a bar into this .png (written whole or not at all).")] = None,
) -> None:
    """Electrochemical stability window of an SE (V vs Li/Li+) and the phases at each limit.

    From the phase-energy table in data/thermo/ (offline). Example: degrade-ml window Li3PS4 --plot li3ps4.png
    """
    from degrade_ml.cli.thermo import run_window

    if (se is None) == (se_option is None):
        raise UserError("give the SE once: degrade-ml window Li3PS4 (or --se Li3PS4)")
    run_window(se or se_option, as_json, plot, out)


@app.command()
def react(
    se: Annotated[str, typer.Option("--se", help="First material, usually the SE (formula or name).")],
    electrode: Annotated[str, typer.Option(help="Second material: Li, an alloy, a cathode, or any material (e.g. a coating).")],
    coating: Annotated[Optional[str], typer.Option(help="Coating between them: adds the SE|coating and coating|electrode contacts.")] = None,
    voltage: Annotated[Optional[str], typer.Option(metavar="VOLTS", help="Electrode potential in V vs Li/Li+ (or \"3.7 V vs Li-In\"; OCV for the pristine contact, chemical but for Li metal and its alloys; default: 0 for Li, else the materials table's nominal potential).", parser=voltage_or_open_circuit)] = None,
    as_json: AsJson = False,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Reaction energy against mixing ratio for each contact, into this .png.")] = None,
) -> None:
    """Most negative reaction energy, mixing ratio and products of every contact of an interface.

    Li is open at the electrode potential (GrandPotentialInterfacialReactivity); Li metal and SE|coating
    contacts are chemical. Example: degrade-ml react --se LPSCl --electrode NMC811 --voltage 4.3
    """
    from degrade_ml.cli.thermo import run_react

    run_react(se, electrode, coating, voltage, as_json, plot, out)


@app.command("app")
def web_app(
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps the page to this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8050,
    model: Annotated[Optional[str], typer.Option("--model", help="MLflow model URI, loaded once at start (default: the bundled model).")] = None,
) -> None:
    """A local web page: one interface with its reaction plots and window (shareable as
    /?se=Li6PS5Cl&electrode=NMC811&coating=LiNbO3&voltage=4.3), and screens with a heatmap and downloads."""
    from degrade_ml.cli import predicting

    predictor = predicting.load_predictor(model)
    from degrade_ml.app.server import PortUnavailable, serve

    try:
        serve(predictor, host, port, say=say)
    except PortUnavailable as error:
        raise UserError(f"--host/--port {error}") from None


def _report(error: Exception) -> int:
    """One line on stderr for a usage error of click (which typer uses) or an internal failure."""
    if type(error).__name__ == "NoArgsIsHelpError":
        error.show()
        return 2
    if hasattr(error, "format_message") and hasattr(error, "exit_code"):  # click.ClickException and subclasses
        context = getattr(error, "ctx", None)
        where = context.command_path if context is not None else "degrade-ml"
        hint = f" (see {where} --help)" if context is not None else ""
        typer.echo(f"{where}: {' '.join(error.format_message().split())}{hint}", err=True)
        return int(error.exit_code)
    typer.echo(f"degrade-ml: internal error: {type(error).__name__}: {' '.join(str(error).split())}", err=True)
    return 1


def main() -> None:
    """The `degrade-ml` command: every failure ends in one line on stderr and exit code 2 (usage) or 1."""
    from degrade_ml.registry.connection import bound_http_waits

    bound_http_waits()
    # pymatgen warns on stderr about elements it lacks data for (noble gases); the answer's warnings say what matters
    warnings.filterwarnings("ignore", category=UserWarning)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # partial files get removed
    try:
        code = app(prog_name="degrade-ml", standalone_mode=False)
    except typer.Abort:
        typer.echo("degrade-ml: aborted", err=True)
        code = 1
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, exit 2 (usage) or 1
        code = _report(error)
    _exit(code if isinstance(code, int) else 0)


def _exit(code: int) -> None:
    """End the `degrade-ml` process without tearing down its heap.

    Finalizing the interpreter frees every object of scikit-learn, pandas, pymatgen and the model one by one:
    about 0.4 s, as long as loading the model and predicting together. Output is flushed and atexit handlers
    run first; anything else (an in-process call from Python, other threads still running) exits normally."""
    if os.path.basename(sys.argv[0]) != "degrade-ml" or not os.path.isfile(sys.argv[0]) \
            or threading.active_count() > 1:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        code = code or 1
    atexit._run_exitfuncs()
    os._exit(code)
