"""Work done once per distinct row (`degrade_ml.rows`): the shortcuts a batch or a screen takes give what the plain
per-row definitions give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from degrade_ml.rows import distinct_rows, distinct_text_rows, per_distinct_row, per_distinct_values, shared_objects


def test_rows_that_read_the_same_as_text_are_one_row_whatever_their_cells_are():
    frame = pd.DataFrame({
        "name": ["LPSCl", "LGPS", "LPSCl", None, np.nan, 1, 1.0, True, "1"],
        "voltage": [np.nan, 4.3, np.nan, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0],
        "float32": np.array([np.nan, 1, np.nan, 2, 2, 2, 2, 2, 2], dtype=np.float32),
        "blank": [None] * 9,
    })
    for rows in (frame, frame.iloc[[2, 0, 1, 2]], frame.iloc[[]]):
        first, codes = distinct_text_rows(rows)
        expected_first, expected_codes = distinct_rows(rows.astype(str))
        np.testing.assert_array_equal(first, expected_first)
        np.testing.assert_array_equal(codes, expected_codes)
    first, codes = distinct_text_rows(frame)
    assert list(codes) == [0, 1, 0, 2, 3, 4, 5, 6, 4]  # None, NaN, 1, 1.0 and True read apart; 1 and "1" alike


def test_equal_answers_become_one_object_and_unequal_ones_stay_apart():
    answers = [["S", "P2Sx"], ["S", "P2Sx"], ("S", "P2Sx"), 1, True, None, "", ["S", "P2Sx"]]
    shared = shared_objects(answers)
    assert list(shared) == answers
    assert shared[0] is shared[1] is shared[7] and shared[2] is not shared[0]  # a tuple is not a list
    assert shared[3] is not shared[4]  # 1 == True, but not of one type


def test_a_function_of_distinct_rows_is_asked_once_per_distinct_row():
    asked = []
    electrode, voltage = np.array(["Li", "NMC811", "Li", "NMC811"]), np.array([0.0, 4.3, 0.0, 3.0])
    answers = per_distinct_row(lambda i: asked.append(i) or f"{electrode[i]}@{voltage[i]}", electrode, voltage)
    assert list(answers) == ["Li@0.0", "NMC811@4.3", "Li@0.0", "NMC811@3.0"] and asked == [0, 1, 3]


def test_a_function_of_distinct_values_is_asked_once_per_distinct_row_with_nan_equal_to_nan():
    asked = []
    se, voltage = np.array(["LPSCl", "LPSCl", "LGPS", "LPSCl"]), np.array([np.nan, np.nan, 4.3, 4.3])
    answers = per_distinct_values(lambda s, v: asked.append((s, v)) or f"{s}@{v}", se, voltage)
    assert list(answers) == ["LPSCl@nan", "LPSCl@nan", "LGPS@4.3", "LPSCl@4.3"] and len(asked) == 3
