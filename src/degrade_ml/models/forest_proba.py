"""A fitted random forest's class probabilities, exactly as scikit-learn computes them, at less cost.

- Without scikit-learn's per-tree call overhead: `RandomForestClassifier.predict_proba` validates its input and
  enters joblib and a config context for every tree; on the few rows of one query that is about 0.1 ms per tree,
  some 60 times the trees' own work, and a cold `degrade-ml predict` asks forests of 300 trees. `forest_proba` walks
  the same trees (`tree_.apply`, the routine scikit-learn calls) and adds each tree's leaf fractions in the same order,
  then divides by the number of trees, as `predict_proba` does: the same operations, so the same floats.
- Once per group of rows the forest cannot tell apart: a tree compares a row's float32 value of a feature with each
  of its thresholds, so two rows whose values fall in the same interval between the forest's thresholds, feature by
  feature, follow the same path in every tree. A screen's interfaces differ in reaction energies the forest splits
  at a few dozen places only: 100,000 interfaces are a few thousand paths."""

from __future__ import annotations

import weakref

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from degrade_ml.rows import distinct_rows

GROUPED_ROWS = 256  # fewer rows are predicted one by one
_THRESHOLDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # forest → (its trees, their thresholds)


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


def forest_proba_once_per_path(forest: RandomForestClassifier, X: np.ndarray) -> np.ndarray:
    """`forest_proba(forest, X)`, each group of rows with the same path through every tree predicted once."""
    first, codes = distinct_paths(forest, X, np.arange(X.shape[1]))
    return forest_proba(forest, X[first])[codes]


def distinct_paths(forest: RandomForestClassifier, X: np.ndarray, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`rows.distinct_rows` of X with each value replaced by its interval among the forest's thresholds on feature
    `features[j]` (column j of X is read as that feature; NaN, which every split sends one way, is an interval of its
    own): the first row of each group the forest sends down the same paths, and every row's group. A feature no tree
    splits on sends every row the same way, NaN included, so it is left out. Below GROUPED_ROWS rows every row is its
    own group: a query or two is answered before the thresholds are gathered."""
    if len(X) < GROUPED_ROWS:
        return np.arange(len(X)), np.arange(len(X))
    thresholds = _thresholds(forest)
    split = [j for j, feature in enumerate(features) if len(thresholds[feature])]
    if not split:
        return np.zeros(1, dtype=np.int64), np.zeros(len(X), dtype=np.int64)
    values = np.asarray(X[:, split], dtype=np.float32).astype(np.float64)
    codes = np.empty(values.shape, dtype=np.int64)
    for k, j in enumerate(split):
        cuts = thresholds[features[j]]
        codes[:, k] = np.searchsorted(cuts, values[:, k], side="left")  # x ≤ cuts[i] exactly when i ≥ code
        codes[np.isnan(values[:, k]), k] = len(cuts) + 1
    return distinct_rows(codes)


def _thresholds(forest: RandomForestClassifier) -> list[np.ndarray]:
    """The sorted distinct thresholds of every feature over all trees, gathered once per fitted forest (a refit
    forest has new trees, and its thresholds are gathered again)."""
    trees, thresholds = _THRESHOLDS.get(forest, (None, None))
    if trees is not forest.estimators_:
        trees, thresholds = forest.estimators_, _gather_thresholds(forest)
        _THRESHOLDS[forest] = (trees, thresholds)
    return thresholds


def _gather_thresholds(forest: RandomForestClassifier) -> list[np.ndarray]:
    per_feature: list[list[np.ndarray]] = [[] for _ in range(forest.n_features_in_)]
    for tree in forest.estimators_:
        split = tree.tree_.feature >= 0  # leaves hold -2
        for feature in np.unique(tree.tree_.feature[split]):
            per_feature[feature].append(tree.tree_.threshold[split][tree.tree_.feature[split] == feature])
    return [np.unique(np.concatenate(t)) if t else np.empty(0) for t in per_feature]
