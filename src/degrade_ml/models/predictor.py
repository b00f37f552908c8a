"""The deployable whole: names → compositions → features → predictions in the columns of SPEC §4."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from degrade_ml.budget import OverBudget, Watchdog
from degrade_ml.chemistry.formulas import formula_elements
from degrade_ml.chemistry.phases import concrete_phases
from degrade_ml.conditions import CONDITION_LIMITS, parse_number
from degrade_ml.errors import UserError
from degrade_ml.features.featurizer import columns
from degrade_ml.features.thermo import thermo_engine
from degrade_ml.models.domain import THERMODYNAMICS, ApplicabilityDomain, answer_basis
from degrade_ml.models.evidence import RECORD_COLUMNS
from degrade_ml.models.heads import CHEMISTRY_BLOCKS
from degrade_ml.models.pipeline import interface_model
from degrade_ml.models.targets import Probabilities, record_inputs, record_targets
from degrade_ml.models.uncertainty import Uncertainty
from degrade_ml.resolve import (
    KnownFormulas, Material, MaterialsTable, contact_size_error, electrode_potential, interface_role, known_formulas,
    potential_warning, role_error, typo_warning, voltage_conflict,
)
from degrade_ml.rows import distinct_keys, distinct_rows
from degrade_ml.thermo.columns import THERMO_COLUMNS, THERMO_NUMERIC_COLUMNS, interface_row, thermo_columns
from degrade_ml.thermo.table import load_phase_table, table_hash
from degrade_ml.vocab import CONDITION_COLUMNS, MATERIAL_COLUMNS, PRODUCT_CLASSES, QUERY_COLUMNS, STABILITY_CLASSES

if TYPE_CHECKING:  # validation (pandera) is not needed to predict, only to train
    from degrade_ml.data.load import Dataset

# what each name resolved to, so that a reader sees which material and role were predicted
ECHO_COLUMNS: tuple[str, ...] = ("resolved_se_formula", "resolved_electrode_formula", "resolved_coating_formula", "electrode_role")
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{k}" for k in (*PRODUCT_CLASSES, *STABILITY_CLASSES))
OUTPUT_COLUMNS: tuple[str, ...] = (
    "products", *(f"p_{k}" for k in PRODUCT_CLASSES), "stability", *(f"p_{k}" for k in STABILITY_CLASSES),
    "degradation_modes", "product_phases", "in_domain", "answer_basis", "warnings", "error", *THERMO_COLUMNS,
    *ECHO_COLUMNS, "product_set",
)
# floats; the other output columns hold lists (products, modes, phases, warnings, thermo_products), a bool
# (in_domain) or text (answer_basis: "" when the answer abstains), and None where nothing is answered
NUMERIC_OUTPUT_COLUMNS: tuple[str, ...] = (*PROBABILITY_COLUMNS, *THERMO_NUMERIC_COLUMNS)
NO_COATING = frozenset({"", "none"})  # a coating cell that means uncoated (as in `screen --coatings none,LNO`)


class QueryError(UserError):
    """A query that cannot be understood; the message names the bad value."""


@dataclass
class InterfacePredictor:
    model: Pipeline  # the featurizer, then the heads (`models.pipeline.interface_model`)
    materials: pd.DataFrame
    domain: ApplicabilityDomain
    metadata: dict = field(default_factory=dict)
    records: pd.DataFrame = field(default_factory=pd.DataFrame)  # what the sources state, cited by --explain
    uncertainty: Uncertainty | None = None  # the shipped probability map and conformal sets (evaluation.shipping)

    @classmethod
    def train(cls, dataset: Dataset, **model_params) -> "InterfacePredictor":
        records = dataset.labelled("stated")
        inputs = record_inputs(records)
        model = interface_model(**model_params).fit(inputs, record_targets(records))
        formulas = pd.concat([records[c] for c in ("se_formula", "electrode_formula", "coating_formula")])
        elements = frozenset().union(*(formula_elements(f) for f in formulas.unique() if f))
        domain = ApplicabilityDomain().fit(chemistry_flags(model["featurizer"].transform(inputs)), elements=elements)
        metadata = {"dataset_hash": dataset.content_hash, "phase_table_hash": table_hash(), "records": int(len(records)),
                    "params": model["heads"].get_params()}
        return cls(model=model, materials=dataset.materials, domain=domain, metadata=metadata,
                   records=records[list(RECORD_COLUMNS)].reset_index(drop=True))

    def featurize(self, resolved: pd.DataFrame) -> np.ndarray:
        """The feature matrix of resolved query rows (`resolve`'s first result)."""
        return self.model["featurizer"].transform(resolved)

    def composition_features(self, formula: str) -> np.ndarray:
        """One material's composition features, featurized once per predictor (a screen resolves each material once)."""
        return self.model["featurizer"].composition_features(formula)

    def probabilities(self, features: np.ndarray) -> Probabilities:
        """The heads' probability arrays for featurized rows, labelled by class."""
        return Probabilities.of(self.model["heads"].predict_proba(features))

    def explain(self, resolved: pd.DataFrame) -> list[dict]:
        """The facts about one resolved query whose removal moves its probabilities most (`models.explain`)."""
        from degrade_ml.models.explain import explain

        return explain(self.model["heads"], self.featurize(resolved))

    def resolve(self, queries: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """Model inputs for every row that can be predicted, and each row's error ("" when none).
        Every distinct cell is resolved once: a batch repeats the same materials many times."""
        frame = _with_query_columns(queries)
        table = MaterialsTable(self.materials)
        cells = {
            column: _resolve_cells(frame[column], functools.partial(_material, table, column))
            for column in MATERIAL_COLUMNS
        } | {column: _resolve_cells(frame[column], functools.partial(_condition, column)) for column in CONDITION_COLUMNS}
        errors = [next((e for e in row_errors if e), "") for row_errors in zip(*(errs for _, errs in cells.values()))]
        se, electrode, coating = (cells[c][0] for c in MATERIAL_COLUMNS)
        errors = [error or voltage_conflict(electrode[i], cells["voltage_V"][0][i])
                  or contact_size_error(se[i], electrode[i], coating[i]) for i, error in enumerate(errors)]
        ok = [i for i, error in enumerate(errors) if not error]
        resolved = pd.DataFrame({
            "se_formula": [se[i].formula for i in ok],
            "electrode_formula": [electrode[i].formula for i in ok],
            "coating_formula": [coating[i].formula if coating[i] else "" for i in ok],
            **{column: np.array([cells[column][0][i] for i in ok], dtype=float) for column in CONDITION_COLUMNS},
            "potential_V": np.array(
                [_nan_if_none(electrode_potential(electrode[i], cells["voltage_V"][0][i])) for i in ok], dtype=float),
        })
        resolved["electrode_role"] = [interface_role(electrode[i], p) for i, p in zip(ok, resolved["potential_V"])]
        resolved["potential_warning"] = [potential_warning(electrode[i], cells["voltage_V"][0][i]) for i in ok]
        return resolved[_RESOLVED_COLUMNS], errors

    def predict(self, queries: pd.DataFrame) -> pd.DataFrame:
        """Every input column, then the SPEC §4 output columns as Python values: lists of keys, floats, `in_domain`
        a bool, None where nothing is answered (a row error, or an abstention out of the domain, whose warnings say
        why). A bad row gets its `error` and the rest go on. Each distinct query is resolved and predicted once,
        then copied to every row that repeats it. `spec_strings.as_spec_strings` turns the result into SPEC cells."""
        frame = _with_query_columns(queries)
        first, codes = distinct_rows(frame.astype(str))
        resolved, errors = self._within_budget(*self.resolve(frame.iloc[first]))
        ok = np.flatnonzero([not e for e in errors])
        answered = self._predict_resolved(resolved) if len(ok) else None
        result = queries.reset_index(drop=True).copy()
        for column in OUTPUT_COLUMNS:
            if column == "error":
                values = np.array(errors, dtype=object)
            else:
                values = np.full(len(errors), np.nan if column in NUMERIC_OUTPUT_COLUMNS else None,
                                 dtype=float if column in NUMERIC_OUTPUT_COLUMNS else object)
                if answered is not None:
                    values[ok] = answered[column].to_numpy()
            result[column] = values[codes]
        return result

    def _within_budget(self, resolved: pd.DataFrame, errors: list[str]) -> tuple[pd.DataFrame, list[str]]:
        """The costly part of every row (its thermodynamics, the typo check of its formulas) run once under the
        row's time budget, which leaves the results cached for the prediction; a row over budget gets an error
        and is left out, and the others go on."""
        known, engine = self._known_compositions(), thermo_engine()
        rows = [i for i, error in enumerate(errors) if not error]
        columns = ["se_formula", "electrode_formula", "coating_formula", "potential_V"]
        kept = []
        with Watchdog() as watchdog:
            for position, (i, (se, electrode, coating, potential)) in enumerate(zip(rows, resolved[columns].to_numpy())):
                try:
                    with watchdog.row():
                        interface_row(engine, se, electrode, coating, potential)
                        for formula in (se, electrode, coating):
                            if formula:
                                typo_warning(formula, known)
                except OverBudget as error:
                    errors[i] = f"this query {error}; it was left out"
                    continue
                kept.append(position)
        return resolved.iloc[kept].reset_index(drop=True), errors

    def _predict_resolved(self, resolved: pd.DataFrame) -> pd.DataFrame:
        features = self.featurize(resolved)
        formulas = resolved[["se_formula", "electrode_formula", "coating_formula"]]
        # phases depend only on which elements each material holds; warnings also on the SE's own formula
        patterns = formulas.apply(lambda column: column.map(_element_key))
        chemistry = _per_distinct(
            pd.concat([formulas["se_formula"], patterns[["electrode_formula", "coating_formula"]]], axis=1),
            lambda se, electrode, coating: self.domain.chemistry_warnings(se, electrode, coating),
            arguments=formulas,
        )
        distance = self.domain.distance_warnings(chemistry_flags(features))
        thermo, thermo_warnings = thermo_columns(resolved, thermo_engine())
        outside = [[w for w in notes if "outside the phase-energy table" in w] for notes in thermo_warnings]
        basis = np.array([answer_basis(self.domain.electrolyte_warnings(se), bool(o), bool(c or d))
                          for se, c, d, o in zip(formulas["se_formula"], chemistry, distance, outside)], dtype=object)
        from_thermo = basis == THERMODYNAMICS
        proba = self.probabilities(features)
        if from_thermo.any():
            thermo_answer = Probabilities.of(self.model["heads"].thermo_proba(features))
            proba = _choose(from_thermo, thermo_answer, proba)
        if self.uncertainty is not None:
            proba.products[:] = self.uncertainty.probabilities(proba.products.to_numpy())
        labels = proba.labels()
        if from_thermo.any():  # outside the records the products are thermodynamics' own, whatever their calibrated p
            expected = thermo_answer.products.to_numpy() >= self.model["heads"].thermo_calibration_.p_observed_if_expected_ - 1e-12
            keys = np.asarray(PRODUCT_CLASSES, dtype=object)
            labels["products"] = [list(keys[e]) if t else p for e, t, p in zip(expected, from_thermo, labels["products"])]
        phases = _per_distinct(
            pd.concat([patterns, labels["products"].map(tuple)], axis=1),
            lambda se, electrode, coating, keys: [phase for k in keys for phase in concrete_phases(k, se, electrode, coating)],
            arguments=pd.concat([formulas, labels["products"]], axis=1),
        )
        known = self._known_compositions()
        typos = _per_distinct(formulas, lambda *cells: [w for w in (typo_warning(f, known) for f in cells if f) if w],
                              arguments=formulas)
        answer = {
            "products": labels["products"].to_numpy(),
            **{f"p_{k}": proba.products[k].round(4).to_numpy() for k in PRODUCT_CLASSES},
            "stability": labels["stability"].to_numpy(),
            **{f"p_{k}": proba.stability[k].round(4).to_numpy() for k in STABILITY_CLASSES},
            "degradation_modes": labels["degradation_modes"].to_numpy(),
            "product_phases": phases,
            "product_set": _object_array(self._product_sets(proba.products)),
        }
        for column, values in answer.items():  # abstained: no answer, and the warnings say why
            values[basis == ""] = np.nan if column in PROBABILITY_COLUMNS else None
        basis_notes = [THERMO_BASIS_WARNING if b == THERMODYNAMICS else "" for b in basis]
        return pd.DataFrame({
            **answer,
            "in_domain": (basis == "literature").astype(object),
            "answer_basis": basis,
            "warnings": _object_array([list(dict.fromkeys(w for w in (b, *c, d, p, *t, *y) if w)) for b, c, d, p, t, y in
                                       zip(basis_notes, chemistry, distance, resolved["potential_warning"], thermo_warnings, typos)]),
            **{column: thermo[column].to_numpy() for column in THERMO_COLUMNS},
            "resolved_se_formula": formulas["se_formula"].to_numpy(),
            "resolved_electrode_formula": formulas["electrode_formula"].to_numpy(),
            "resolved_coating_formula": formulas["coating_formula"].to_numpy(),
            "electrode_role": resolved["electrode_role"].to_numpy(),
        })

    def _product_sets(self, products: pd.DataFrame) -> list[list[str] | None]:
        """The conformal prediction set of product classes of every row (None without a shipped threshold)."""
        if self.uncertainty is None:
            return [None] * len(products)
        keys = np.asarray(products.columns, dtype=object)
        return [list(keys[row]) for row in self.uncertainty.sets(products.to_numpy())]

    def _known_compositions(self) -> KnownFormulas:
        """Formulas of the materials table and the phase-energy table: a typed formula far from all of them is suspect."""
        entries = load_phase_table().compositions
        return known_formulas(MaterialsTable(self.materials).known_compositions() + entries)


def chemistry_flags(features: np.ndarray) -> np.ndarray:
    """The columns the applicability domain compares: the chemistry the heads see."""
    return features[:, columns(*CHEMISTRY_BLOCKS)]


THERMO_BASIS_WARNING = ("outside the records' domain: products and stability from thermodynamics (the phase-energy "
                        "table), probabilities calibrated on the records")


def _choose(rows: np.ndarray, where_true: Probabilities, otherwise: Probabilities) -> Probabilities:
    """Row by row, one of two answers (the thermodynamic one outside the records' domain)."""
    pick = lambda a, b: a.where(pd.Series(rows, index=a.index), b)  # noqa: E731
    return Probabilities(pick(where_true.products, otherwise.products), pick(where_true.stability, otherwise.stability),
                         pick(where_true.modes, otherwise.modes))


def _per_distinct(keys: pd.DataFrame, function, arguments: pd.DataFrame) -> np.ndarray:
    """`function(*arguments_row)` for every row, called once per distinct row of `keys`
    (rows with equal keys must give equal answers)."""
    first, codes = distinct_rows(keys.astype(str))
    rows = arguments.to_numpy()
    return _object_array([function(*rows[i]) for i in first])[codes]


def _object_array(values: list) -> np.ndarray:
    """A 1-D object array of any values, lists included (np.array would stack equal-length lists into 2-D)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


@functools.lru_cache(maxsize=8192)
def _element_key(formula: str) -> str:
    return " ".join(sorted(formula_elements(formula))) if formula else ""


_RESOLVED_COLUMNS = ["se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS, "potential_V",
                     "potential_warning"]


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else value


def _with_query_columns(queries: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("se", "electrode") if c not in queries.columns]
    if missing:
        raise QueryError(f"missing required column(s): {', '.join(missing)}")
    frame = queries.reset_index(drop=True).copy()
    for column in QUERY_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(QUERY_COLUMNS)]


def _resolve_cells(column: pd.Series, resolve_one) -> tuple[list, list[str]]:
    """(value, error) of every cell of a column, calling `resolve_one` once per distinct cell."""
    keys = column.map(lambda cell: "" if _blank(cell) else f"{type(cell).__name__}:{cell}")
    first, codes = distinct_keys(keys)
    outcomes = [resolve_one(column.iloc[i]) for i in first]
    return [outcomes[c][0] for c in codes], [outcomes[c][1] for c in codes]


def _material(table: MaterialsTable, column: str, cell) -> tuple[Material | None, str]:
    if column == "coating" and (_blank(cell) or str(cell).strip().casefold() in NO_COATING):
        return None, ""
    try:
        material = table.resolve(cell)
    except ValueError as error:
        return None, f"{column}: {error}"
    error = role_error(material, column)
    return (None, error) if error else (material, "")


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _condition(name: str, cell) -> tuple[float, str]:
    if _blank(cell):
        return math.nan, ""
    try:
        number = parse_number(cell)
    except ValueError:
        return math.nan, f"{name}: {_shown(cell)} is not a number"
    low, high = CONDITION_LIMITS[name]
    if not low <= number <= high or math.isnan(number):
        return math.nan, f"{name}: {_shown(cell)} is outside [{low:g}, {high:g}]"
    return number, ""


def _shown(cell) -> str:
    """A cell as the user wrote it: text quoted, numbers plain (never `np.float64(…)`), every digit kept."""
    if isinstance(cell, (int, float, np.number)) and not isinstance(cell, bool):
        return f"{float(cell):.15g}"
    return repr(str(cell))


def predict_in_chunks(predictor: InterfacePredictor, queries: pd.DataFrame, show_progress: bool = False,
                      chunk_rows: int = 10_000) -> pd.DataFrame:
    """Predict in chunks so that a progress bar can move and memory stays flat on large batches."""
    from rich.progress import Progress

    parts = []
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("predicting", total=len(queries))
        for start in range(0, len(queries), chunk_rows):
            parts.append(predictor.predict(queries.iloc[start:start + chunk_rows]))
            progress.advance(task, len(parts[-1]))
    if not parts:
        return predictor.predict(queries)
    return pd.concat(parts, ignore_index=True)
