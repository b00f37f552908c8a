"""A fitted random forest's class probabilities without scikit-learn's per-tree call overhead.

`RandomForestClassifier.predict_proba` validates its input and enters joblib and a config context for every tree:
on the few rows of one query that overhead is about 0.1 ms per tree, some 60 times the trees' own work, and a cold
`degrade-ml predict` asks three forests of 300 trees. This walks the same trees (`tree_.apply`, the routine
scikit-learn calls) and adds each tree's leaf fractions in the same order, then divides by the number of trees, as
`predict_proba` does: the same operations, so the same floats."""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def forest_proba(forest: RandomForestClassifier, X: np.ndarray) -> np.ndarray:
    """(rows, classes) as `forest.predict_proba(X)` gives them, for a fitted single-output forest."""
    if forest.n_outputs_ != 1:
        return forest.predict_proba(X)
    rows = np.asarray(X, dtype=np.float32)  # the trees' own dtype, as scikit-learn converts it
    proba = np.zeros((len(rows), forest.n_classes_), dtype=np.float64)
    for tree in forest.estimators_:
        leaves = tree.tree_.apply(rows)
        proba += tree.tree_.value[:, 0, :forest.n_classes_][leaves]
    proba /= len(forest.estimators_)
    return proba
