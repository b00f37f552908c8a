"""Single and batch prediction for the CLI: load a predictor, run it, show or write the result."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console

from degrade_ml.io import csv_files, strict_json
from degrade_ml.io.atomic import DiskError, OutputError, atomic_write, output_target
from degrade_ml.chemistry.phases import concrete_phases
from degrade_ml.conditions import OpenCircuit
from degrade_ml.errors import DegradeMLError, OutsideError, UserError
from degrade_ml.models.predictor import InterfacePredictor, predict_in_chunks
from degrade_ml.query import Interface, named_query_columns
from degrade_ml.io.spec_strings import as_spec_strings
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

REQUIRED_COLUMNS = ("se", "electrode")


def load_predictor(model_uri: str | None) -> InterfacePredictor:
    """The registry model at `model_uri`, or the bundled one in models/ when none is given. A model that cannot
    be had raises a one-line error: UserError for a --model value that leads nowhere, OutsideError for a server
    that does not answer or a corrupt bundle."""
    if model_uri is None:
        from degrade_ml.registry.bundle import load_bundle

        return load_bundle()
    from degrade_ml.registry import connection

    from degrade_ml.registry.pyfunc import ModelLoadError, load_predictor as load_from_mlflow

    try:
        if model_uri.startswith(("models:", "runs:")):
            connection.prepare_lookup(say=lambda message: typer.echo(f"degrade-ml: {message}", err=True))
        return load_from_mlflow(model_uri)
    except ModelLoadError as error:
        raise ModelLoadError(f"--model {error}") from None
    except DegradeMLError as error:
        raise type(error)(f"--model {model_uri!r}: {error}") from None


def model_files(model_uri: str | None) -> list[Path]:
    """The files of the model a command loads (the bundle, or a local MLflow model folder): never an output."""
    if model_uri is None:
        from degrade_ml.registry.bundle import BUNDLE_NAME, METADATA_NAME, checksum_path, default_bundle_dir

        bundled = default_bundle_dir() / BUNDLE_NAME
        return [bundled, checksum_path(bundled), default_bundle_dir() / METADATA_NAME]
    folder = Path(model_uri.removeprefix("file://")).expanduser()
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def run_single(query: dict, model_uri: str | None, as_json: bool, explain: bool, out: Console) -> None:
    predictor = load_predictor(model_uri)
    result = answer_query(predictor, query, explain)  # QueryError: the user's to fix, exit 2
    if as_json:
        out.print_json(strict_json.dumps(result))
    else:
        from degrade_ml.cli.render import prediction_view

        out.print(prediction_view(result))


def answer_query(predictor: InterfacePredictor, query: dict, explain: bool = False) -> dict:
    """The answer of `predict --json` (with what `--explain` adds), for the command line and the web page alike, so
    that both give the same answer; QueryError with the one-line message when the query cannot be understood."""
    interface, row = predictor.predict_one(query)
    result = _as_dict(row, interface)
    if explain:
        from degrade_ml.models.evidence import nearest_records, thermodynamic_reactions

        se, electrode, coating = interface.formulas
        result["explanation"] = predictor.explain(interface) if result["answer_basis"] == "literature" else []
        result["thermodynamics"] = thermodynamic_reactions(se, electrode, coating, interface.potential_V)
        result["literature"] = nearest_records(predictor.records, se, electrode, coating, interface.electrode_role,
                                               result["products"], result["stability"])
    return result


def _as_dict(row: pd.Series, interface: Interface) -> dict:
    """The typed prediction of one query as the JSON of `predict --json` (None where nothing is answered)."""
    formulas = interface.formulas
    products = row["products"]  # None when the model abstains
    return {
        "se": row["se"], "se_formula": formulas[0],
        "electrode": row["electrode"], "electrode_formula": formulas[1], "electrode_role": interface.electrode_role,
        "potential_V": interface.potential_V,
        # a coating named inside the electrode cell (LiNbO3-coated NMC811) is shown as the coating it became
        "coating": row["coating"] or (interface.coating.name if interface.coating else None),
        "coating_formula": formulas[2] or None,
        "products": products,
        "product_probabilities": {k: _number(row[f"p_{k}"]) for k in PRODUCT_CLASSES},
        "product_phases": {k: concrete_phases(k, *formulas) for k in products or []},
        "product_set": row["product_set"],
        "stability": row["stability"],
        "stability_probabilities": {k: _number(row[f"p_{k}"]) for k in STABILITY_CLASSES},
        "degradation_modes": row["degradation_modes"],
        "in_domain": bool(row["in_domain"]),
        "answer_basis": row["answer_basis"],
        "warnings": row["warnings"],
        "thermo": {
            "potential_V": _number(row["potential_V"]),
            "reduction_limit_V": _number(row["thermo_reduction_V"]),
            "oxidation_limit_V": _number(row["thermo_oxidation_V"]),
            "erxn_se_electrode_meV_atom": _number(row["thermo_erxn_se_electrode"]),
            "erxn_se_coating_meV_atom": _number(row["thermo_erxn_se_coating"]),
            "erxn_coating_electrode_meV_atom": _number(row["thermo_erxn_coating_electrode"]),
            "se_decomposition_meV_atom": _number(row["thermo_se_decomposition"]),
            "coverage": row["thermo_coverage"],
            "product_classes": row["thermo_products"],
        },
    }


def _number(value) -> float | None:
    """A finite float, or None for an empty thermodynamic cell (a contact that does not apply)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def run_batch(input_csv: Path, output_csv: Path, model_uri: str | None, out: Console,
              escape_formulas: bool = False) -> None:
    """`predict --input … --output …`: every input row out, in order, written whole or not at all."""
    queries = read_queries(input_csv)
    protected = [input_csv, *model_files(model_uri)]
    try:
        output_target(output_csv, inputs=protected)
    except OutputError as error:
        raise UserError(f"--output {error}") from None
    predictor = load_predictor(model_uri)
    result = as_spec_strings(predict_in_chunks(predictor, queries, show_progress=len(queries) > 5000))
    written = csv_files.escape_formulas(result) if escape_formulas else result
    try:
        atomic_write(Path(output_csv), lambda handle: written.to_csv(handle, index=False), inputs=protected)
    except (OutputError, DiskError) as error:
        raise type(error)(f"--output {error}") from None
    errors = int((result["error"] != "").sum())
    out.print(f"{len(result) - errors} predicted, {errors} row error(s) → {output_csv}")


def read_queries(input_csv: Path) -> pd.DataFrame:
    """The batch as text, every column as given; exit 2 naming the file for anything that is not a usable CSV."""
    shown = repr(str(input_csv))
    if not Path(input_csv).exists():
        raise UserError(f"--input {shown}: no such file")
    if Path(input_csv).is_dir():
        raise UserError(f"--input {shown} is a folder, not a CSV file")
    try:
        text = csv_files.read_input(input_csv)  # read once: a pipe (--input /dev/stdin) cannot be read twice
        sep = csv_files.delimiter(text)
        repeated = csv_files.duplicated(csv_files.header(text, sep))
        queries = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except UnicodeDecodeError as error:
        raise UserError(f"--input {shown} is not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as error:
        raise UserError(f"--input {shown} is not a readable CSV ({' '.join(str(error).split())})") from None
    except OSError as error:
        raise UserError(f"--input {shown}: cannot read ({error.strerror or error})") from None
    except ValueError as error:  # a NUL byte, or more than csv_files.MAX_INPUT_BYTES
        raise UserError(f"--input {shown} {error}") from None
    if repeated:
        raise UserError(f"--input {shown} has the column name(s) {', '.join(map(repr, repeated))} more than once; "
                        "rename them so that each column is read")
    queries = named_query_columns(queries)
    missing = [c for c in REQUIRED_COLUMNS if c not in queries.columns]
    if missing:
        raise UserError(f"--input {shown} lacks required column(s): {', '.join(missing)}")
    return queries



def run_screen(lists: tuple[str, str, str], voltage: float | OpenCircuit | None, output: Path, top: int | None, engine: str,
               model_uri: str | None, out: Console, escape_formulas: bool = False,
               spark_master: str | None = None) -> None:
    """`degrade-ml screen`: screen, report each skipped material once, write, print the best per SE.
    The local engine streams to the output in chunks (bounded memory); Spark ranks and writes on the cluster."""
    from degrade_ml.cli.render import screen_summary
    from degrade_ml.screening.grid import ScreenError
    from degrade_ml.screening.local import ENGINES, screen_to_file
    from degrade_ml.screening.results import check_output

    def report(item) -> None:
        out.print(str(item), markup=False, highlight=False, style="yellow")

    try:
        if engine == "local":
            if spark_master is not None:
                raise UserError(f"--spark-master {spark_master!r} needs --engine spark")
            check_output(output, inputs=model_files(model_uri))
            predictor = load_predictor(model_uri)
            result = screen_to_file(
                predictor, *lists, voltage=voltage, output=output, top=top, show_progress=True, escape=escape_formulas,
                on_rejected=report, on_estimate=lambda estimate: out.print(str(estimate), markup=False, highlight=False),
            )
        elif engine == "spark":
            from degrade_ml.screening import spark as screening_spark

            screening_spark.check_master(spark_master)
            screening_spark.check_spark_output(output)
            predictor = load_predictor(model_uri)
            try:
                result = screening_spark.screen_on_spark(
                    predictor, *lists, voltage=voltage, output=output, top=top, master=spark_master, show_progress=True,
                    on_rejected=report, on_contacts=lambda n, seconds: out.print(
                        f"{n} distinct contacts computed on the executors in {seconds:.1f} s", markup=False, highlight=False))
            except screening_spark.SparkFailure as error:
                raise OutsideError(f"Spark failed: {error}") from None
        else:
            raise UserError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    except ScreenError as error:
        raise UserError(str(error)) from None
    out.print(screen_summary(result.best_per_se))
    ses, electrodes, coatings = result.counts
    rows = result.rows_written if result.rows_written is not None else len(result.results)
    written = f"top {rows} written" if top is not None else "all written"
    out.print(f"{result.combinations} combinations ({ses} SE × {electrodes} electrode × {coatings} coating) ranked in "
              f"{result.seconds:.1f} s ({result.engine} engine); {written} → {output}", markup=False, highlight=False)
