"""Work done once per distinct row: a batch or a screen repeats the same chemistry many times."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def distinct_rows(rows: np.ndarray | pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct row, and every row's code into them."""
    return distinct_keys(pd.util.hash_pandas_object(pd.DataFrame(rows), index=False))


def distinct_text_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """`distinct_rows(frame.astype(str))` of a frame with columns: rows whose cells read the same as text, each
    column's distinct cells (by bits for floats, by object otherwise) made text once (a screen's 20,000 rows hold a
    few dozen names)."""
    columns = []
    for j in range(frame.shape[1]):
        column = frame.iloc[:, j]
        values = column.to_numpy()
        keys = (values.view(f"i{values.dtype.itemsize}") if values.dtype.kind == "f" else
                np.fromiter(map(id, values), dtype=np.int64, count=len(values)) if values.dtype.kind == "O" else values)
        codes, _ = pd.factorize(keys, use_na_sentinel=False)  # objects are all alive: their ids differ
        first = np.unique(codes, return_index=True)[1]
        columns.append(pd.factorize(column.iloc[first].astype(str).to_numpy())[0][codes])
    return distinct_columns(columns)


def distinct_columns(columns: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """`distinct_rows` of the rows that one or more columns of any hashable values form, exactly (NaN equal to NaN):
    each column is factorized and its codes folded into the row's, which never exceed the number of rows."""
    codes = np.zeros(len(columns[0]), np.int64)
    for column in columns:
        values, uniques = pd.factorize(np.asarray(column), use_na_sentinel=False)
        codes = pd.factorize(codes * len(uniques) + values)[0]
    return np.unique(codes, return_index=True)[1], codes


def distinct_keys(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct key (any hashable value), and every key's code into them."""
    codes, _ = pd.factorize(keys)
    return np.unique(codes, return_index=True)[1], codes


def per_distinct_objects(function, *columns: Sequence) -> np.ndarray:
    """`function(*row)` for every row, called once per distinct row of the very same objects: a batch's rows share
    the lists of their distinct answers (every object is alive here, so no two share an id)."""
    ids = np.column_stack([np.fromiter(map(id, column), dtype=np.int64, count=len(column)) for column in columns])
    first, codes = distinct_rows(ids)
    return shared_objects([function(*(column[i] for column in columns)) for i in first])[codes]


def per_distinct_row(function, *codes: np.ndarray) -> np.ndarray:
    """`function(i)` for every row, called with the first row i of each distinct row of `codes` (columns of codes, or
    of any hashable values)."""
    first, groups = distinct_columns(codes)
    return object_array([function(i) for i in first])[groups]


def distinct_results(function, *columns: Sequence) -> tuple[list, np.ndarray]:
    """`function(*row)` of each distinct row of `columns` (values hashable, NaN equal to NaN), and every row's index
    into those results."""
    first, codes = distinct_columns(columns)
    return [function(*row) for row in zip(*(np.asarray(column)[first] for column in columns))], codes


def per_distinct_values(function, *columns: Sequence) -> np.ndarray:
    """`function(*row)` for every row, called once per distinct row of `columns` (`distinct_results`)."""
    results, codes = distinct_results(function, *columns)
    return object_array(results)[codes]


def first_non_empty(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Per row, the first non-empty text across the columns ("" where all are empty): the first error of a row."""
    first = columns[0]
    for later in columns[1:]:
        first = np.where(first == "", later, first)
    return np.asarray(first, dtype=object)


def object_array(values: Sequence) -> np.ndarray:
    """A 1-D object array of any values, lists included (np.array would stack equal-length lists into 2-D)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def flagged_keys(flags: np.ndarray, keys: Sequence) -> list[list]:
    """Each row's keys where its boolean flags are set: listed once per distinct pattern (a batch repeats a few),
    and that one list given to every row that shows it (read, never changed in place)."""
    keys = np.asarray(keys, dtype=object)
    first, codes = distinct_rows(flags)
    return list(object_array([list(keys[row]) for row in flags[first]])[codes])


def shared_objects(values: Sequence) -> np.ndarray:
    """`object_array(values)` with equal values (of one type; lists compared by their items) as one object: answers
    equal in value but made apart (one list per distinct key) become one, so that the steps keyed by object afterwards
    (`per_distinct_objects`, the SPEC strings) meet each value once."""
    index: dict = {}
    codes = [index.setdefault((type(v), tuple(v) if isinstance(v, list) else v), i) for i, v in enumerate(values)]
    return object_array([values[i] for i in codes])
