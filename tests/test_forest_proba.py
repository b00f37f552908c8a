"""The forests' probabilities without scikit-learn's per-tree overhead are scikit-learn's own, to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from degrade_ml.models.forest_proba import distinct_paths, forest_proba, forest_proba_once_per_path


@pytest.mark.parametrize("classes", [2, 3])
def test_forest_proba_equals_predict_proba_exactly_with_missing_values(classes):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 6))
    X[rng.random(X.shape) < 0.1] = np.nan  # unstated conditions, thermodynamics outside the table
    y = rng.integers(0, classes, size=len(X))
    forest = RandomForestClassifier(n_estimators=40, min_samples_leaf=2, random_state=0).fit(X, y)
    queries = rng.normal(size=(500, 6)) * 1.7
    queries[rng.random(queries.shape) < 0.2] = np.nan
    expected = forest.predict_proba(queries)
    assert np.array_equal(forest_proba(forest, queries), expected)
    assert np.array_equal(forest_proba(forest, queries[:1]), expected[:1])  # one query, as a cold `predict` asks


def test_rows_on_the_same_paths_are_predicted_once_and_exactly():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 4))
    X[:, 2] = rng.integers(0, 4, size=len(X))  # thresholds 0.5, 1.5, 2.5
    y = (X[:, 0] + X[:, 2] + rng.normal(scale=0.5, size=len(X)) > 1.5).astype(int)
    forest = RandomForestClassifier(n_estimators=30, min_samples_leaf=5, random_state=0).fit(X, y)
    queries = rng.normal(size=(5000, 4))
    queries[rng.random(queries.shape) < 0.05] = np.nan
    queries[::7] = queries[3]  # repeated rows, and rows beyond every threshold
    queries[::11, 1] = 1e6
    queries[:, 2] = rng.integers(0, 8, size=len(queries)) / 2  # on the thresholds of an integer feature (x ≤ t: left)
    first, codes = distinct_paths(forest, queries, np.arange(4))
    assert len(first) < len(queries)  # grouped ...
    assert np.array_equal(forest_proba_once_per_path(forest, queries), forest.predict_proba(queries))  # ... exactly
    nudged = np.nextafter(queries[first].astype(np.float32), np.float32(np.inf))  # one float32 step: may cross a split
    assert np.array_equal(forest_proba_once_per_path(forest, nudged), forest.predict_proba(nudged))


def test_a_refit_forest_is_grouped_by_its_new_thresholds():
    rng = np.random.default_rng(2)
    X, queries = rng.normal(size=(200, 3)), rng.normal(size=(2000, 3))
    forest = RandomForestClassifier(n_estimators=10, random_state=0)
    for shift in (0.0, 1.0):
        forest.fit(X, (X[:, 0] > shift).astype(int))
        assert np.array_equal(forest_proba_once_per_path(forest, queries), forest.predict_proba(queries))
