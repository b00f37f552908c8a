"""The deployable whole: names → compositions → features → predictions in the columns of SPEC §4."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from degrade_ml.chemistry import concrete_phases, elements_of, parse_formula
from degrade_ml.data.load import Dataset
from degrade_ml.features.interface import CONDITION_COLUMNS
from degrade_ml.models.domain import ApplicabilityDomain
from degrade_ml.models.interface_model import InterfaceModel, record_inputs, record_targets
from degrade_ml.resolve import MaterialsTable, electrode_role
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, join_list

THRESHOLD = 0.5
QUERY_COLUMNS: tuple[str, ...] = ("se", "electrode", "coating", *CONDITION_COLUMNS)
OUTPUT_COLUMNS: tuple[str, ...] = (
    "products", *(f"p_{k}" for k in PRODUCT_CLASSES), "stability", *(f"p_{k}" for k in STABILITY_CLASSES),
    "degradation_modes", "product_phases", "in_domain", "warnings", "error",
)
_CONDITION_LIMITS = {"voltage_V": (0.0, 10.0), "temperature_C": (-273.15, 2000.0), "pressure_MPa": (0.0, 10000.0)}


class QueryError(ValueError):
    """A query that cannot be understood; the message names the bad value."""


@dataclass
class InterfacePredictor:
    model: InterfaceModel
    materials: pd.DataFrame
    domain: ApplicabilityDomain
    metadata: dict = field(default_factory=dict)

    @classmethod
    def train(cls, dataset: Dataset, **model_params) -> "InterfacePredictor":
        records = dataset.interfaces
        inputs = record_inputs(records)
        model = InterfaceModel(**model_params).fit(inputs, record_targets(records))
        elements = frozenset().union(*(
            elements_of(*(parse_formula(f) for f in row if f)) for row in
            records[["se_formula", "electrode_formula", "coating_formula"]].itertuples(index=False)
        ))
        domain = ApplicabilityDomain().fit(model.featurizer_.transform(inputs), elements)
        metadata = {"dataset_hash": dataset.content_hash, "records": int(len(records)), "params": model.get_params()}
        return cls(model=model, materials=dataset.materials, domain=domain, metadata=metadata)

    def resolve(self, queries: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """Model inputs for every row, and each row's error ("" when it can be predicted)."""
        table = MaterialsTable(self.materials)
        rows, errors = [], []
        for query in _with_query_columns(queries).itertuples(index=False):
            try:
                rows.append(_resolve_row(table, query))
                errors.append("")
            except QueryError as error:
                rows.append(None)
                errors.append(str(error))
        return pd.DataFrame([r for r in rows if r is not None], columns=_RESOLVED_COLUMNS), errors

    def predict(self, queries: pd.DataFrame) -> pd.DataFrame:
        """Every input column, then the SPEC §4 output columns; a bad row gets its `error` and the rest go on."""
        resolved, errors = self.resolve(queries)
        ok = np.array([not e for e in errors], dtype=bool)
        out = pd.DataFrame(index=range(len(errors)), columns=list(OUTPUT_COLUMNS), dtype=object)
        out["error"] = errors
        if ok.any():
            out.loc[ok, list(OUTPUT_COLUMNS[:-1])] = self._predict_resolved(resolved).to_numpy()
        result = queries.reset_index(drop=True).copy()
        for column in OUTPUT_COLUMNS:
            result[column] = out[column].to_numpy()
        return result

    def _predict_resolved(self, resolved: pd.DataFrame) -> pd.DataFrame:
        proba = self.model.predict_proba_all(resolved)
        distance = self.domain.distance_warnings(self.model.featurizer_.transform(resolved))
        products, stability = proba.products.to_numpy(), proba.stability.to_numpy()
        modes = proba.modes.to_numpy() >= THRESHOLD
        chemistry = functools.cache(self._chemistry_of)
        rows = []
        for i, query in enumerate(resolved[["se_formula", "electrode_formula", "coating_formula"]].itertuples(index=False)):
            predicted = tuple(k for k, p in zip(PRODUCT_CLASSES, products[i]) if p >= THRESHOLD)
            phases, warnings = chemistry(tuple(query), predicted)
            warnings = warnings + [distance[i]] if distance[i] else warnings
            rows.append([
                join_list(predicted), *products[i].round(4), STABILITY_CLASSES[int(np.argmax(stability[i]))],
                *stability[i].round(4), join_list([k for k, on in zip(DEGRADATION_MODES, modes[i]) if on]),
                phases, "false" if warnings else "true", "; ".join(warnings),
            ])
        return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS[:-1]))

    def _chemistry_of(self, formulas: tuple[str, str, str], predicted: tuple[str, ...]) -> tuple[str, list[str]]:
        """Concrete phases and chemistry warnings of one interface: computed once per distinct query."""
        se, electrode = parse_formula(formulas[0]), parse_formula(formulas[1])
        coating = parse_formula(formulas[2]) if formulas[2] else None
        phases = [phase for k in predicted for phase in concrete_phases(k, se, electrode, coating)]
        return join_list(phases), self.domain.chemistry_warnings(se, electrode, coating)


_RESOLVED_COLUMNS = ["se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS]


def _with_query_columns(queries: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("se", "electrode") if c not in queries.columns]
    if missing:
        raise QueryError(f"missing required column(s): {', '.join(missing)}")
    frame = queries.reset_index(drop=True).copy()
    for column in QUERY_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(QUERY_COLUMNS)]


def _resolve_row(table: MaterialsTable, query) -> list:
    materials = {}
    for column in ("se", "electrode", "coating"):
        value = getattr(query, column)
        if column == "coating" and _blank(value):
            materials[column] = None
            continue
        try:
            materials[column] = table.resolve(value)
        except ValueError as error:
            raise QueryError(f"{column}: {error}") from None
    conditions = [_condition(name, getattr(query, name)) for name in CONDITION_COLUMNS]
    coating = materials["coating"].formula if materials["coating"] else ""
    return [materials["se"].formula, materials["electrode"].formula, coating, electrode_role(materials["electrode"]), *conditions]


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _condition(name: str, value) -> float:
    if _blank(value):
        return math.nan
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name}: {value!r} is not a number") from None
    low, high = _CONDITION_LIMITS[name]
    if not low <= number <= high or math.isnan(number):
        raise QueryError(f"{name}: {value!r} is outside [{low:g}, {high:g}]")
    return number
