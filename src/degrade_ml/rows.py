"""Work done once per distinct row: a batch or a screen repeats the same chemistry many times."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def distinct_rows(rows: np.ndarray | pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct row, and every row's code into them."""
    return distinct_keys(pd.util.hash_pandas_object(pd.DataFrame(rows), index=False))


def distinct_keys(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct key (any hashable value), and every key's code into them."""
    codes, _ = pd.factorize(keys)
    return np.unique(codes, return_index=True)[1], codes


def object_array(values: Sequence) -> np.ndarray:
    """A 1-D object array of any values, lists included (np.array would stack equal-length lists into 2-D)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def flagged_keys(flags: np.ndarray, keys: Sequence) -> list[list]:
    """Each row's keys where its boolean flags are set: listed once per distinct pattern (a batch repeats a few),
    then copied to every row that shows it."""
    keys = np.asarray(keys, dtype=object)
    first, codes = distinct_rows(flags)
    distinct = [list(keys[row]) for row in flags[first]]
    return [list(distinct[c]) for c in codes]
