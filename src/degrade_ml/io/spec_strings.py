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
    frame = predictions.copy()
    for column in OUTPUT_COLUMNS:
        if column not in frame:
            continue
        if column in NUMERIC_OUTPUT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = _cells(frame[column], WARNING_SEPARATOR if column == "warnings" else None)
    return frame


def _cells(values: pd.Series, separator: str | None) -> np.ndarray:
    """Each value's cell, converted once per distinct object and then once per distinct value: a screen's rows share
    the lists of their distinct answers, and repeat the same lists on most rows."""
    array = values.to_numpy(dtype=object)
    if not len(array):
        return np.array([], dtype=object)
    first, codes = distinct_keys(np.fromiter(map(id, array), dtype=np.int64, count=len(array)))  # all alive: ids differ
    done: dict = {}
    cells = []
    for value in array[first]:
        # the type is part of the key: True == 1, and a list converts like a tuple of the same items
        key = tuple(value) if isinstance(value, (list, tuple, np.ndarray)) else (type(value), value)
        cell = done.get(key)
        if cell is None:
            cell = done[key] = _cell(value, separator)
        cells.append(cell)
    return np.array(cells, dtype=object)[codes]


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

