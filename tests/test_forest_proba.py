"""The forests' probabilities without scikit-learn's per-tree overhead are scikit-learn's own, to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from degrade_ml.models.forest_proba import forest_proba


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
