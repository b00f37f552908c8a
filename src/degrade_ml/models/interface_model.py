"""The interface model: one featurization, three heads (products, stability, degradation modes).

With a few dozen labelled interfaces, per-class models cannot learn chemistry from composition vectors
alone. Each multi-label head is therefore one forest over (interface, label) pairs whose inputs are the
chemistry rule's expectation for that label, the label's identity and the interface's element groups:
what the rule predicts, and where the literature departs from it, transfers between classes and roles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier

from degrade_ml.features.interface import CONDITION_COLUMNS, InterfaceFeaturizer
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, split_list

# Which element groups each material holds, not how much: coarse enough to generalise from a few dozen
# interfaces (product micro-F1 across SE families 0.571 against 0.528 with atomic fractions added).
CHEMISTRY_FLAG_PREFIXES: tuple[str, ...] = ("se: has ", "electrode: has ", "coating: has ", "coating: present",
                                            "role: anode")
CONTEXT_PREFIXES: tuple[str, ...] = (*CHEMISTRY_FLAG_PREFIXES, "condition: ")


@dataclass
class Probabilities:
    """Per-row probabilities of every product class, stability class and degradation mode."""

    products: pd.DataFrame
    stability: pd.DataFrame
    modes: pd.DataFrame


def record_inputs(interfaces: pd.DataFrame) -> pd.DataFrame:
    """The query view of records: only what a user can state about an interface."""
    inputs = interfaces[["se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS]].copy()
    return inputs.reset_index(drop=True)


def record_targets(interfaces: pd.DataFrame) -> pd.DataFrame:
    return interfaces[["products", "stability", "degradation_modes"]].reset_index(drop=True)


def stated(targets: pd.DataFrame) -> dict[str, np.ndarray]:
    """Where the review states each target; an empty cell is unknown, not "none".
    Products are stated where any is reported or the interface is stable (nothing forms)."""
    products = (targets["products"] != "") | (targets["stability"] == "stable")
    return {
        "products": products.to_numpy(),
        "stability": (targets["stability"] != "").to_numpy(),
        "degradation_modes": (targets["degradation_modes"] != "").to_numpy(),
    }


def binarize(cells: pd.Series, keys: tuple[str, ...]) -> np.ndarray:
    """`;`-joined key lists as a 0/1 matrix over the vocabulary."""
    rows = [set(split_list(cell)) for cell in cells]
    return np.array([[int(k in row) for k in keys] for row in rows], dtype=int).reshape(len(rows), len(keys))


def prior_block(features: np.ndarray, names: list[str], kind: str, keys: tuple[str, ...]) -> np.ndarray:
    """The prior features `prior: <kind> <key>` for every key, in vocabulary order."""
    return features[:, [names.index(f"prior: {kind} {k}") for k in keys]]


def distinct_rows(rows: np.ndarray | pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Index of the first occurrence of each distinct row, and every row's code into them, so that
    work is done once per distinct input (a screen repeats the same chemistry many times)."""
    codes, _ = pd.factorize(pd.util.hash_pandas_object(pd.DataFrame(rows), index=False))
    return np.unique(codes, return_index=True)[1], codes


def _forest(n_estimators: int, min_samples_leaf: int, random_state: int, class_weight: str | None = None):
    return RandomForestClassifier(n_estimators=n_estimators, min_samples_leaf=min_samples_leaf,
                                  class_weight=class_weight, random_state=random_state, n_jobs=1)


class ClassConditionalForest(BaseEstimator, ClassifierMixin):
    """P(label observed | interface context, rule expects label, which label) with one forest for all labels."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, random_state: int = 0):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state

    def fit(self, context: np.ndarray, prior: np.ndarray, Y: np.ndarray) -> "ClassConditionalForest":
        self.n_labels_ = prior.shape[1]
        self.forest_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state).fit(
            _stack(context, prior), Y.ravel()
        )
        return self

    def predict_proba(self, context: np.ndarray, prior: np.ndarray) -> np.ndarray:
        classes = list(self.forest_.classes_)
        if 1 not in classes:
            return np.zeros(prior.shape)
        first, codes = distinct_rows(np.hstack([context, prior]))
        positive = self.forest_.predict_proba(_stack(context[first], prior[first]))[:, classes.index(1)]
        return positive.reshape(len(first), prior.shape[1])[codes]


def _stack(context: np.ndarray, prior: np.ndarray) -> np.ndarray:
    n, k = prior.shape
    return np.hstack([np.repeat(context, k, axis=0), prior.reshape(-1, 1), np.tile(np.eye(k), (n, 1))])


class InterfaceModel(BaseEstimator):
    """Products and modes from class-conditional forests, stability from a forest over the same context
    plus the rule's stability; `prior_weight` blends the rule into every probability. Product
    probabilities are multiplied by the element-conservation gate: nothing is predicted whose
    elements the interface lacks."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, prior_weight: float = 0.3,
                 random_state: int = 0):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.prior_weight = prior_weight
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> "InterfaceModel":
        self.featurizer_ = InterfaceFeaturizer().fit(X)
        self.feature_names_ = list(self.featurizer_.get_feature_names_out())
        self.context_columns_ = [i for i, name in enumerate(self.feature_names_) if name.startswith(CONTEXT_PREFIXES)]
        features = self.featurizer_.transform(X)
        context = features[:, self.context_columns_]
        known = stated(y)
        heads = dict(n_estimators=self.n_estimators, min_samples_leaf=self.min_samples_leaf, random_state=self.random_state)
        rows = known["products"]
        self.products_ = ClassConditionalForest(**heads).fit(
            context[rows], self._prior(features[rows], "rule expects", PRODUCT_CLASSES), binarize(y["products"][rows], PRODUCT_CLASSES)
        )
        rows = known["degradation_modes"]
        self.modes_ = ClassConditionalForest(**heads).fit(
            context[rows], self._prior(features[rows], "rule expects", DEGRADATION_MODES),
            binarize(y["degradation_modes"][rows], DEGRADATION_MODES),
        )
        rows = known["stability"]
        self.stability_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state, "balanced").fit(
            self._stability_inputs(features[rows]), y["stability"][rows]
        )
        return self

    def predict_proba_all(self, X: pd.DataFrame) -> Probabilities:
        features = self.featurizer_.transform(X)
        return self.predict_proba_features(features)

    def predict_proba_features(self, features: np.ndarray) -> Probabilities:
        """Probabilities from an already featurized matrix (explanations perturb features directly)."""
        context = features[:, self.context_columns_]
        w = self.prior_weight
        expected = self._prior(features, "rule expects", PRODUCT_CLASSES)
        products = ((1 - w) * self.products_.predict_proba(context, expected) + w * expected)
        products *= self._prior(features, "allowed", PRODUCT_CLASSES)
        expected_modes = self._prior(features, "rule expects", DEGRADATION_MODES)
        modes = (1 - w) * self.modes_.predict_proba(context, expected_modes) + w * expected_modes
        inputs = self._stability_inputs(features)
        first, codes = distinct_rows(inputs)
        stability = np.zeros((len(first), len(STABILITY_CLASSES)))
        seen = [STABILITY_CLASSES.index(label) for label in self.stability_.classes_]
        stability[:, seen] = self.stability_.predict_proba(inputs[first])
        stability = stability[codes]
        stability = (1 - w) * stability + w * self._prior(features, "rule expects", STABILITY_CLASSES)
        return Probabilities(
            products=pd.DataFrame(products, columns=list(PRODUCT_CLASSES)),
            stability=pd.DataFrame(stability, columns=list(STABILITY_CLASSES)),
            modes=pd.DataFrame(modes, columns=list(DEGRADATION_MODES)),
        )

    def _prior(self, features: np.ndarray, kind: str, keys: tuple[str, ...]) -> np.ndarray:
        return prior_block(features, self.feature_names_, kind, keys)

    def _stability_inputs(self, features: np.ndarray) -> np.ndarray:
        return np.hstack([features[:, self.context_columns_], self._prior(features, "rule expects", STABILITY_CLASSES)])
