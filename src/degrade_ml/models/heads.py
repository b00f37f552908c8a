"""The heads of the interface model (products, stability, degradation modes), over the featurizer's matrix.

With a few dozen labelled interfaces, per-class models cannot learn chemistry from composition vectors
alone. Each multi-label head is therefore one forest over (interface, label) pairs whose inputs are what
thermodynamics and the chemistry rule expect for that label, the interface's element groups and its
thermodynamics at the electrode potential: where the literature departs from the physics transfers between
classes and roles. The label's own identity is left out by default, so that a class no training record reports
(S and P2Sx when the argyrodites are held out) is still predicted where the physics expects it (measured on the
evaluation folds, hence optimistic: product micro-F1 0.677 with identity left out against 0.662 with it across
SE families, 0.646 against 0.620 across studies, 0.231 both across electrodes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from degrade_ml.features.featurizer import block, columns, feature_names
from degrade_ml.models.forest_proba import distinct_paths, forest_proba, forest_proba_once_per_path
from degrade_ml.models.targets import CLASSES, THRESHOLD, binarize, product_decisions, stated
from degrade_ml.models.thermo_calibration import ThermoCalibration
from degrade_ml.rows import distinct_rows
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES

# Which element groups each material holds, not how much: coarse enough to generalise from a few dozen
# interfaces (product micro-F1 across SE families 0.571 against 0.528 with atomic fractions added).
CHEMISTRY_BLOCKS: tuple[str, ...] = ("se groups", "electrode groups", "coating groups", "coating present", "role")
# ... with the stated conditions and the interface's thermodynamics at the electrode potential (window edges against
# the potential, reaction energies), not its expectations, which enter per label
CONTEXT_BLOCKS: tuple[str, ...] = (*CHEMISTRY_BLOCKS, "conditions", "thermo at potential")
# below this many stated stability labels no forest is fitted: stability is what thermodynamics expects
MIN_STABILITY_LABELS = 20


def _forest(n_estimators: int, min_samples_leaf: int, random_state: int, class_weight: str | None = None):
    return RandomForestClassifier(n_estimators=n_estimators, min_samples_leaf=min_samples_leaf,
                                  class_weight=class_weight, random_state=random_state, n_jobs=1)


class LabelForest(ClassifierMixin, BaseEstimator):
    """P(label observed | interface context, what each source expects of the label) with one forest for all labels of
    a multi-label target, so that where the literature departs from the physics transfers between labels.

    X: the context columns, then `channels` expectation columns per label (label-major: label 1's channels, label 2's,
    …); without channels, the label's identity is what tells labels apart. Y: (rows, labels) of two values, absent and
    present (the larger, e.g. 0/1), or one label as a 1-D y. As scikit-learn's multi-output classifiers do,
    `predict_proba` gives one (rows, classes) array per label (one array for a 1-D y)."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, random_state: int = 0,
                 label_identity: bool = False, channels: int = 0):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state
        self.label_identity = label_identity
        self.channels = channels

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # unstated conditions, thermodynamics outside the phase table
        tags.classifier_tags.multi_class = False
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, Y) -> "LabelForest":
        X, Y = validate_data(self, X, Y, multi_output=True, ensure_all_finite="allow-nan")
        check_classification_targets(Y)
        values = np.unique(Y)
        if len(values) > 2:
            raise ValueError(f"Only binary classification is supported: LabelForest takes two values per label "
                             f"(absent, present), got {len(values)}: {values[:5]}")
        self.one_label_ = Y.ndim == 1
        Y = Y.reshape(len(Y), -1)
        if X.shape[1] < Y.shape[1] * self.channels:
            raise ValueError(f"X has n_features={X.shape[1]}, fewer than {self.channels} expectation column(s) per label "
                             f"for {Y.shape[1]} labels")
        self.n_labels_ = Y.shape[1]
        self.classes_ = values if self.one_label_ else [values] * self.n_labels_
        present = Y == values[-1] if len(values) == 2 else np.zeros(Y.shape, dtype=bool)
        self.forest_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state).fit(
            self._stack(X), present.astype(int).ravel()
        )
        return self

    def predict_proba(self, X) -> list[np.ndarray] | np.ndarray:
        present = self.positive_proba(X)
        values = self._values()
        if len(values) == 1:
            arrays = [np.ones((len(present), 1))] * self.n_labels_
        else:
            arrays = [np.column_stack([1 - p, p]) for p in present.T]
        return arrays[0] if self.one_label_ else arrays

    def predict(self, X) -> np.ndarray:
        p = self.positive_proba(X)
        labels = self._values()[(p > 1 - p).astype(int)]  # the argmax of predict_proba; with one value, never present
        return labels.ravel() if self.one_label_ else labels

    def positive_proba(self, X) -> np.ndarray:
        """(rows, labels): P(label present); rows, and then (row, label) inputs, that the forest sends down the same
        paths are predicted once (`forest_proba`: a screen's interfaces are a few thousand paths)."""
        check_is_fitted(self, "forest_")
        X = validate_data(self, X, reset=False, ensure_all_finite="allow-nan")
        classes = list(self.forest_.classes_)
        if 1 not in classes:
            return np.zeros((len(X), self.n_labels_))
        context = X.shape[1] - self.n_labels_ * self.channels  # then each label's channels, read as the same features
        features = np.r_[np.arange(context), context + np.arange(X.shape[1] - context) % max(self.channels, 1)]
        first, codes = distinct_paths(self.forest_, X, features)
        positive = forest_proba_once_per_path(self.forest_, self._stack(X[first]))[:, classes.index(1)]
        return positive.reshape(len(first), self.n_labels_)[codes]

    def _values(self) -> np.ndarray:
        return self.classes_ if self.one_label_ else self.classes_[0]

    def _stack(self, X: np.ndarray) -> np.ndarray:
        """One row per (interface, label): the context, the label's expectations, and its identity when asked."""
        n, k = len(X), self.n_labels_
        width = k * self.channels
        context, expected = X[:, :X.shape[1] - width], X[:, X.shape[1] - width:]
        identity = [np.tile(np.eye(k), (n, 1))] if self.label_identity or not self.channels else []
        return np.hstack([np.repeat(context, k, axis=0), expected.reshape(n * k, self.channels), *identity])


class HeadsMixin(ClassifierMixin):
    """`predict` and `score` for the estimators whose `predict_proba(features)` gives the arrays of the three heads
    (products, stability, modes; columns in vocabulary order, `classes_`)."""

    def predict(self, X) -> list[np.ndarray]:
        """Products as the 0/1 matrix `product_decisions` gives, stability as the most probable class of each row,
        modes as a 0/1 matrix at p ≥ 0.5."""
        products, stability, modes = self.predict_proba(X)
        return [product_decisions(products, stability).astype(int), self.classes_[1][np.argmax(stability, axis=1)],
                (modes >= THRESHOLD).astype(int)]

    def score(self, X, y: pd.DataFrame, sample_weight=None) -> float:
        """Product micro-F1 on the rows that state products (the headline metric of SPEC §6); NaN when none does."""
        rows = stated(y)["products"]
        if not rows.any():
            return float("nan")
        products, stability, _ = self.predict_proba(np.asarray(X)[rows])
        predicted = product_decisions(products, stability)
        return float(f1_score(binarize(y["products"][rows], PRODUCT_CLASSES), predicted.astype(int),
                              average="micro", zero_division=0))

    def _fitted_on(self, X) -> np.ndarray:
        """The featurizer's matrix (its columns checked); records the classes of every head."""
        X = validate_data(self, X, ensure_all_finite="allow-nan")
        width = len(feature_names())
        if X.shape[1] != width:
            raise ValueError(f"{type(self).__name__} reads the featurizer's {width} columns by block; X has {X.shape[1]}")
        self.classes_ = [np.array(keys, dtype=object) for keys in CLASSES]
        return X

    def _features(self, X) -> np.ndarray:
        """The matrix to predict from: as many columns as in fit."""
        check_is_fitted(self, "classes_")
        return validate_data(self, X, reset=False, ensure_all_finite="allow-nan")


class InterfaceHeads(HeadsMixin, BaseEstimator):
    """Products and modes from label forests whose per-label inputs are what thermodynamics and the chemistry rule
    expect; stability from a forest over the same context plus both stabilities. The context carries the interface's
    thermodynamics at the electrode potential (window edges against the potential, reaction energies), so voltage,
    cathode and coating move the answer where the physics does. `prior_weight` blends the thermodynamic expectation
    (the rule's, outside the phase-energy table) into products and stability, and the rule into modes; with fewer
    than MIN_STABILITY_LABELS stated stability labels the stability head is the thermodynamic expectation alone.
    Product probabilities are multiplied by the element-conservation gate.

    `fit(X, y)`: X the featurizer's matrix of the query rows, y the typed targets of `record_targets`.
    `predict_proba(X)`: [products, stability, modes], each (rows, classes) with the classes of `classes_`."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, prior_weight: float = 0.3,
                 random_state: int = 0, label_identity: bool = False):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.prior_weight = prior_weight
        self.random_state = random_state
        self.label_identity = label_identity

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        return tags

    def fit(self, X, y: pd.DataFrame) -> "InterfaceHeads":
        features = self._fitted_on(X)
        known = stated(y)
        forest = dict(n_estimators=self.n_estimators, min_samples_leaf=self.min_samples_leaf,
                      random_state=self.random_state, label_identity=self.label_identity)
        rows = known["products"]
        self.products_ = LabelForest(**forest, channels=2).fit(
            _product_inputs(features[rows]), binarize(y["products"][rows], PRODUCT_CLASSES))
        rows = known["degradation_modes"]
        self.modes_ = LabelForest(**forest, channels=1).fit(
            _mode_inputs(features[rows]), binarize(y["degradation_modes"][rows], DEGRADATION_MODES))
        inside = inside_table(features)
        rows, stable_rows = known["products"] & inside, known["stability"] & inside
        self.thermo_calibration_ = ThermoCalibration().fit(
            block(features[rows], "thermo products"), binarize(y["products"][rows], PRODUCT_CLASSES),
            block(features[stable_rows], "thermo stability"), y["stability"][stable_rows].to_numpy(dtype=object))
        rows = known["stability"]
        self.stability_ = None
        if rows.sum() >= MIN_STABILITY_LABELS and y["stability"][rows].nunique() > 1:
            self.stability_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state, "balanced").fit(
                _stability_inputs(features[rows]), y["stability"][rows].astype(str)
            )
        return self

    def predict_proba(self, X) -> list[np.ndarray]:
        features = self._features(X)
        w = self.prior_weight
        products = ((1 - w) * self.products_.positive_proba(_product_inputs(features))
                    + w * backbone(features, "products"))
        products *= block(features, "allowed products")
        expected_modes = block(features, "rule modes")
        modes = (1 - w) * self.modes_.positive_proba(_mode_inputs(features)) + w * expected_modes
        stability = self.thermo_calibration_.stability(backbone(features, "stability"))
        if self.stability_ is not None:
            inputs = _stability_inputs(features)
            first, codes = distinct_rows(inputs)
            learned = np.zeros((len(first), len(STABILITY_CLASSES)))
            seen = [STABILITY_CLASSES.index(label) for label in self.stability_.classes_]
            learned[:, seen] = forest_proba(self.stability_, inputs[first])
            stability = (1 - w) * learned[codes] + w * stability
        return [products, stability, modes]

    def thermo_proba(self, X) -> list[np.ndarray]:
        """The answer from thermodynamics, calibrated on the records (`answer_basis` = `thermodynamics`): products and
        stability from the phase-energy table; degradation modes as the heads give them (they follow the rule)."""
        features = self._features(X)
        modes = self.predict_proba(features)[2]
        products = self.thermo_calibration_.products(backbone(features, "products"))
        stability = self.thermo_calibration_.stability(backbone(features, "stability"))
        return [products * block(features, "allowed products"), stability, modes]


def _product_inputs(features: np.ndarray) -> np.ndarray:
    """The context, then per product class what the rule and thermodynamics expect of it."""
    priors = np.stack([block(features, "rule products"), block(features, "thermo products")], axis=2)
    return np.hstack([features[:, columns(*CONTEXT_BLOCKS)], priors.reshape(len(features), -1)])


def _mode_inputs(features: np.ndarray) -> np.ndarray:
    return np.hstack([features[:, columns(*CONTEXT_BLOCKS)], block(features, "rule modes")])


def _stability_inputs(features: np.ndarray) -> np.ndarray:
    return features[:, columns(*CONTEXT_BLOCKS, "rule stability", "thermo stability")]


def backbone(features: np.ndarray, head: str) -> np.ndarray:
    """What thermodynamics expects for every class of `head` ("products" or "stability"), or the chemistry rule's
    expectation where the interface lies outside the phase-energy table: the prediction the heads depart from."""
    return np.where(inside_table(features)[:, None], block(features, f"thermo {head}"), block(features, f"rule {head}"))


def inside_table(features: np.ndarray) -> np.ndarray:
    """Rows whose materials all lie inside the phase-energy table."""
    return features[:, feature_names().index("thermo: inside the table")] > 0
