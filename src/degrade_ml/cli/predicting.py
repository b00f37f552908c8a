"""Single and batch prediction for the CLI: load a predictor, run it, show or write the result."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from rich.console import Console

from degrade_ml.atomic import atomic_write
from degrade_ml.chemistry import concrete_phases
from degrade_ml.models.predictor import InterfacePredictor, predict_in_chunks
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, split_list

REQUIRED_COLUMNS = ("se", "electrode")


def load_predictor(model_uri: str | None) -> InterfacePredictor:
    """The registry model at `model_uri`, or the bundled one in models/ when none is given."""
    if model_uri is None:
        from degrade_ml.registry.bundle import load_bundle

        return load_bundle()
    from degrade_ml.registry.pyfunc import load_predictor as load_from_mlflow

    return load_from_mlflow(model_uri)


def run_single(query: dict, model_uri: str | None, as_json: bool, explain: bool, out: Console, fail: Callable) -> None:
    predictor = load_predictor(model_uri)
    frame = pd.DataFrame([query])
    resolved, errors = predictor.resolve(frame)
    if errors[0]:
        fail(errors[0])
    row = predictor.predict(frame).iloc[0]
    result = _as_dict(row, resolved.iloc[0])
    if explain:
        from degrade_ml.models.evidence import nearest_records, thermodynamic_reactions
        from degrade_ml.models.explain import explain as explain_features

        query = resolved.iloc[0]
        result["explanation"] = explain_features(predictor.model, predictor.model.featurizer_.transform(resolved))
        potential = None if pd.isna(query["potential_V"]) else float(query["potential_V"])
        result["thermodynamics"] = thermodynamic_reactions(query["se_formula"], query["electrode_formula"],
                                                          query["coating_formula"], potential)
        result["literature"] = nearest_records(predictor.records, query["se_formula"], query["electrode_formula"],
                                               query["coating_formula"], query["electrode_role"], result["products"],
                                               result["stability"])
    if as_json:
        out.print_json(json.dumps(result))
    else:
        from degrade_ml.cli.render import prediction_view

        out.print(prediction_view(result))


def _as_dict(row: pd.Series, resolved: pd.Series) -> dict:
    formulas = resolved["se_formula"], resolved["electrode_formula"], resolved["coating_formula"]
    products = split_list(row["products"])
    return {
        "se": row["se"], "se_formula": resolved["se_formula"],
        "electrode": row["electrode"], "electrode_formula": resolved["electrode_formula"], "electrode_role": resolved["electrode_role"],
        "potential_V": _number(resolved["potential_V"]),
        "coating": row["coating"] or None, "coating_formula": resolved["coating_formula"] or None,
        "products": products,
        "product_probabilities": {k: float(row[f"p_{k}"]) for k in PRODUCT_CLASSES},
        "product_phases": {k: concrete_phases(k, *formulas) for k in products},
        "stability": row["stability"],
        "stability_probabilities": {k: float(row[f"p_{k}"]) for k in STABILITY_CLASSES},
        "degradation_modes": [m for m in split_list(row["degradation_modes"]) if m in DEGRADATION_MODES],
        "in_domain": row["in_domain"] == "true",
        "warnings": [w for w in str(row["warnings"]).split("; ") if w],
        "thermo": {
            "potential_V": _number(row["potential_V"]),
            "reduction_limit_V": _number(row["thermo_reduction_V"]),
            "oxidation_limit_V": _number(row["thermo_oxidation_V"]),
            "erxn_se_electrode_meV_atom": _number(row["thermo_erxn_se_electrode"]),
            "erxn_se_coating_meV_atom": _number(row["thermo_erxn_se_coating"]),
            "erxn_coating_electrode_meV_atom": _number(row["thermo_erxn_coating_electrode"]),
            "product_classes": split_list(row["thermo_products"]),
        },
    }


def _number(value) -> float | None:
    """A finite float, or None for an empty thermodynamic cell (a contact that does not apply)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def run_batch(input_csv: Path, output_csv: Path, model_uri: str | None, out: Console, fail: Callable) -> None:
    try:
        queries = pd.read_csv(input_csv, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        fail(f"--input {str(input_csv)!r}: no such file")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        fail(f"--input {str(input_csv)!r} is not a readable CSV ({error})")
    missing = [c for c in REQUIRED_COLUMNS if c not in queries.columns]
    if missing:
        fail(f"--input {str(input_csv)!r} lacks required column(s): {', '.join(missing)}")
    if not Path(output_csv).parent.exists():
        fail(f"--output {str(output_csv)!r}: folder {str(Path(output_csv).parent)!r} does not exist")
    predictor = load_predictor(model_uri)
    result = predict_in_chunks(predictor, queries, show_progress=len(queries) > 5000)
    atomic_write(Path(output_csv), lambda handle: result.to_csv(handle, index=False))
    errors = int((result["error"] != "").sum())
    out.print(f"{len(result) - errors} predicted, {errors} row error(s) → {output_csv}")


def run_screen(lists: tuple[str, str, str], voltage: float | None, output: Path, top: int | None, engine: str,
               model_uri: str | None, out: Console, fail: Callable) -> None:
    """`degrade-ml screen`: screen, report each skipped material once, write, print the best per SE."""
    from degrade_ml import screening
    from degrade_ml.cli.render import screen_summary

    try:
        screening.check_output(output)
        result = screening.screen(
            load_predictor(model_uri), *lists, voltage=voltage, top=top, engine=engine, model_uri=model_uri,
            show_progress=True, on_rejected=lambda item: out.print(str(item), markup=False, highlight=False, style="yellow"),
        )
    except screening.ScreenError as error:
        fail(str(error))
    screening.write_results(result.results, output)
    out.print(screen_summary(result.best_per_se))
    ses, electrodes, coatings = result.counts
    written = f"top {len(result.results)} written" if top is not None else "all written"
    out.print(f"{result.combinations} combinations ({ses} SE × {electrodes} electrode × {coatings} coating) ranked in "
              f"{result.seconds:.1f} s ({result.engine} engine); {written} → {output}", markup=False, highlight=False)
