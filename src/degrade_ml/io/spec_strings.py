"""Typed predictions as the strings of SPEC §4: the one conversion the CSV writer, the MLflow pyfunc and the Spark
schema share. Inside, lists stay lists, booleans booleans and a missing answer None."""

from __future__ import annotations

import numpy as np
import pandas as pd

from degrade_ml.models.predictor import NUMERIC_OUTPUT_COLUMNS, OUTPUT_COLUMNS
from degrade_ml.rows import distinct_keys
from degrade_ml.vocab import join_list

WARNING_SEPARATOR = "; "


def as_spec_strings(predictions: pd.DataFrame) -> pd.DataFrame:
    """A copy whose output columns are SPEC §4 cells: `;`-joined lists, `true`/`false`, "" for no answer, numbers as
    float64 (NaN where empty). Input columns pass through untouched; cells that are already strings stay as they are,
    so frames that went through the pyfunc convert to the same thing."""
    return _converted(predictions, lambda codes, cells: np.array(cells, dtype=object)[codes])


def as_spec_categories(predictions: pd.DataFrame) -> pd.DataFrame:
    """`as_spec_strings` with every text output column categorical (the same cells, each distinct one made once): a
    screen's rows repeat few cells, and a spill stores them as codes."""
    def categorical(codes: np.ndarray, cells: list[str]) -> pd.Categorical:
        distinct, uniques = pd.factorize(np.array(cells, dtype=object))  # two values may give the same cell
        return pd.Categorical.from_codes(distinct[codes], categories=uniques)

    return _converted(predictions, categorical)


def _converted(predictions: pd.DataFrame, text) -> pd.DataFrame:
    """A copy with numeric output columns as float64 and every text output column as `text(codes, cells)`."""
    frame = predictions.copy()
    for column in OUTPUT_COLUMNS:
        if column not in frame:
            continue
        if column in NUMERIC_OUTPUT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = text(*_coded_cells(frame[column], WARNING_SEPARATOR if column == "warnings" else None))
    return frame


def _coded_cells(values: pd.Series, separator: str | None) -> tuple[np.ndarray, list[str]]:
    """Each value's cell as a code into a list of cells, converted once per distinct object and then once per distinct
    value: a screen's rows share the lists of their distinct answers, and repeat the same lists on most rows."""
    array = values.to_numpy(dtype=object)
    if not len(array):
        return np.zeros(0, dtype=np.intp), []
    first, codes = distinct_keys(np.fromiter(map(id, array), dtype=np.int64, count=len(array)))  # all alive: ids differ
    positions: dict = {}
    cells, of_first = [], []
    for value in array[first]:
        # the type is part of the key: True == 1, and a list converts like a tuple of the same items
        key = tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else (type(value), value)
        position = positions.get(key)
        if position is None:
            position = positions[key] = len(cells)
            cells.append(_cell(value, separator))
        of_first.append(position)
    return np.asarray(of_first, dtype=np.intp)[codes], cells


def _cell(value, separator: str | None) -> str:
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, np.ndarray)):
        keys = [str(v) for v in value]
        return separator.join(keys) if separator else join_list(keys)
    return str(value)

