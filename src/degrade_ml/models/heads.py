"""The heads of the interface model (products, stability, degradation modes), over the featurizer's matrix.

With a few dozen labelled interfaces, per-class models cannot learn chemistry from composition vectors
alone. Each multi-label head is therefore one forest over (interface, label) pairs whose inputs are what
thermodynamics and the chemistry rule expect for that label, the interface's element groups and its
thermodynamics at the electrode potential: where the literature departs from the physics transfers between
classes and roles. The label's own identity is left out by default, so that a class no training record reports
(S and P2Sx when the argyrodites are held out) is still predicted where the physics expects it. Measured on the
evaluation folds (dataset 45929f28592e, 300 trees, products listed as the model answers them), product micro-F1 is
0.646 / 0.491 / 0.660 with identity left out and 0.571 / 0.509 / 0.660 with it (SE family / electrode / study):
with it the model falls behind thermodynamics (0.639) across SE families.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from degrade_ml.models.forest_proba import distinct_paths, forest_proba, forest_proba_once_per_path
from degrade_ml.models.layout import Columns
from degrade_ml.models.outputs import OutputsMixin, binary_outputs, labelled_values
from degrade_ml.models.targets import RULE_ONLY_PRODUCTS
from degrade_ml.models.thermo_calibration import ThermoCalibration
from degrade_ml.vocab import PRODUCT_CLASSES
# below this many stated stability labels no forest is fitted: stability is what thermodynamics expects
MIN_STABILITY_LABELS = 20
RULE_ONLY_WEIGHT = 0.5  # the rule's weight in the classes only it names, the modes' weight: what it expects is listed


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


class InterfaceHeads(OutputsMixin, BaseEstimator):
    """Products and modes from label forests whose per-label inputs are what thermodynamics and the chemistry rule
    expect; stability from a forest over the same context plus both stabilities. The context carries the interface's
    thermodynamics at the electrode potential (window edges against the potential, reaction energies), so voltage,
    cathode and coating move the answer where the physics does. `prior_weight` blends the thermodynamic expectation
    (the rule's, outside the phase-energy table) into products and stability, and `mode_prior_weight` the rule into
    modes (the product classes only the rule names, polysulfides, take it at 0.5, its default: `with_rule_only`); with fewer than MIN_STABILITY_LABELS stated stability labels the stability head is the thermodynamic
    expectation alone. At a mode weight of 0.5 a mode the rule expects is always listed (p ≥ 0.5) and the forest
    neither drops it nor adds another unless certain: it ranks and calibrates the rule's modes. Out of fold (SE family
    / electrode / study, dataset 45929f28592e) the forest at the products' 0.3 listed fewer of the modes the records
    state than the rule (micro-F1 0.507 / 0.429 / 0.507 against 0.550 / 0.526 / 0.550); at 0.5 it lists the rule's
    (0.550 / 0.526 / 0.550) with a lower Brier score than the rule's (0.103 / 0.080 / 0.103 against 0.144 / 0.113 /
    0.144).
    Product probabilities are multiplied by the element-conservation gate, mode probabilities by the modes' gate.

    A multi-output classifier (`outputs.OutputsMixin`): `fit(X, y)` with X the featurizer's matrix (or any matrix
    `columns` describes) and y one output per product class, stability and mode (`targets.target_array`; None where
    a record states nothing); `predict_proba(X)` one array per output. With `columns=None`, the default (any X, as
    scikit-learn's checks give it; the product passes "interface", `pipeline.interface_model`), it reads no expectation:
    one plain forest per output over X."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, prior_weight: float = 0.3,
                 mode_prior_weight: float = 0.5, random_state: int = 0, label_identity: bool = False,
                 columns: str | Columns | None = None):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.prior_weight = prior_weight
        self.mode_prior_weight = mode_prior_weight
        self.random_state = random_state
        self.label_identity = label_identity
        self.columns = columns

    def fit(self, X, y) -> "InterfaceHeads":
        X, y = self._fit_outputs(X, y, self.columns)
        if self.columns_ is None:
            self.forests_ = []
            for j in range(self.n_outputs_):
                rows, values = labelled_values(y[:, j])
                self.forests_.append(_forest(self.n_estimators, self.min_samples_leaf, self.random_state).fit(X[rows], values))
            return self
        c = self.columns_
        products, stability, modes = y[:, :c.n_products], y[:, c.n_products], y[:, c.n_products + 1:]
        forest = dict(n_estimators=self.n_estimators, min_samples_leaf=self.min_samples_leaf,
                      random_state=self.random_state, label_identity=self.label_identity)
        rows = _all_labelled(products)
        self.products_ = LabelForest(**forest, channels=2).fit(_product_inputs(X[rows], c), products[rows].astype(int))
        mode_rows = _all_labelled(modes)
        self.modes_ = LabelForest(**forest, channels=1).fit(_mode_inputs(X[mode_rows], c), modes[mode_rows].astype(int))
        inside, stated_stability = inside_table(X, c), ~pd.isna(stability)
        rows, stable_rows = rows & inside, stated_stability & inside
        self.thermo_calibration_ = ThermoCalibration().fit(
            X[rows][:, list(c.thermo_products)], products[rows].astype(int),
            X[stable_rows][:, list(c.thermo_stability)], stability[stable_rows])
        labels = stability[stated_stability].astype(str)
        self.stability_ = None
        if len(labels) >= MIN_STABILITY_LABELS and len(set(labels)) > 1:
            self.stability_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state, "balanced").fit(
                _stability_inputs(X[stated_stability], c), labels
            )
        return self

    def predict_proba(self, X) -> list[np.ndarray] | np.ndarray:
        features = self._features(X)
        if self.columns_ is None:
            return self._as_outputs([forest_proba(forest, features) for forest in self.forests_])
        c, w = self.columns_, self.prior_weight
        products = (1 - w) * self.products_.positive_proba(_product_inputs(features, c)) + w * backbone(features, c, "products")
        products = with_rule_only(products, features, c) * features[:, list(c.allowed_products)]
        modes = self._modes(features)
        stability = self.thermo_calibration_.stability(backbone(features, c, "stability"))
        if self.stability_ is not None:
            learned = np.zeros((len(features), len(c.stability_classes)))
            seen = [c.stability_classes.index(label) for label in self.stability_.classes_]
            learned[:, seen] = forest_proba_once_per_path(self.stability_, _stability_inputs(features, c))
            stability = (1 - w) * learned + w * stability
        return [*binary_outputs(within_reaction(products, stability, c)), stability, *binary_outputs(modes)]

    def thermo_proba(self, X) -> list[np.ndarray]:
        """The answer from thermodynamics, calibrated on the records (`answer_basis` = `thermodynamics`), in the
        outputs of `predict_proba`: products and stability from the phase-energy table; degradation modes as the heads
        give them (they follow the rule). Needs the expectation columns."""
        features = self._features(X)
        c = self.columns_
        if c is None:
            raise ValueError("InterfaceHeads(columns=None) reads no thermodynamic expectation: it has no thermo_proba")
        products = self.thermo_calibration_.products(backbone(features, c, "products"))
        stability = self.thermo_calibration_.stability(backbone(features, c, "stability"))
        return [*binary_outputs(products * features[:, list(c.allowed_products)]), stability,
                *binary_outputs(self._modes(features))]

    def _modes(self, features: np.ndarray) -> np.ndarray:
        """(rows, modes): P(mode), the label forest blended with the chemistry rule, times the modes' gate (a mode the
        electrode's side cannot show: `chemistry.rules.possible_modes`). The forest, which reads no label identity,
        gave every mode the rule does not expect the same p: oxygen loss at Li metal as likely as cracks."""
        c, w = self.columns_, self.mode_prior_weight
        learned = (1 - w) * self.modes_.positive_proba(_mode_inputs(features, c)) + w * features[:, list(c.rule_modes)]
        return learned * features[:, list(c.allowed_modes)]


def with_rule_only(products: np.ndarray, features: np.ndarray, c: Columns) -> np.ndarray:
    """The product classes only the chemistry rule names (`targets.RULE_ONLY_PRODUCTS`: polysulfides, which lie
    above the Li2S–S tie line) blended with the rule at RULE_ONLY_WEIGHT, as the modes are: where the rule expects
    one it is listed whenever the interface reacts, and the forest ranks it. Blended like thermodynamics' classes
    (at 0.3) they sat at p 0.1–0.2 out of fold, since every record that reports them is an argyrodite's. An answer
    from thermodynamics (`thermo_proba`) stays thermodynamics' own: it names no polysulfide."""
    if products.shape[1] != len(PRODUCT_CLASSES):
        return products
    out = np.array(products, dtype=float)
    for key in RULE_ONLY_PRODUCTS:
        j = PRODUCT_CLASSES.index(key)
        out[:, j] = (1 - RULE_ONLY_WEIGHT) * out[:, j] + RULE_ONLY_WEIGHT * features[:, c.rule_products[j]]
    return out


def within_reaction(products: np.ndarray, stability: np.ndarray, c: Columns) -> np.ndarray:
    """Product probabilities no larger than the chance the interface reacts, 1 − p(stable): a product forms only where
    it reacts. The heads estimate each apart (a calibrated P(observed | expected) beside a stable answer gave
    p(POx) 0.66 at p(stable) 0.59); which classes an answer lists (`targets.product_decisions`) does not change."""
    return np.minimum(products, 1 - stability[:, [c.stability_classes.index("stable")]])


def _all_labelled(outputs: np.ndarray) -> np.ndarray:
    """Rows that label every one of these outputs (a record states its products, or its modes, as a whole)."""
    return ~pd.isna(outputs).any(axis=1)


def _product_inputs(features: np.ndarray, c: Columns) -> np.ndarray:
    """The context, then per product class what the rule and thermodynamics expect of it."""
    priors = np.stack([features[:, list(c.rule_products)], features[:, list(c.thermo_products)]], axis=2)
    return np.hstack([features[:, list(c.context)], priors.reshape(len(features), -1)])


def _mode_inputs(features: np.ndarray, c: Columns) -> np.ndarray:
    return np.hstack([features[:, list(c.context)], features[:, list(c.rule_modes)]])


def _stability_inputs(features: np.ndarray, c: Columns) -> np.ndarray:
    return features[:, [*c.context, *c.rule_stability, *c.thermo_stability]]


def backbone(features: np.ndarray, c: Columns, head: str) -> np.ndarray:
    """What thermodynamics expects for every class of `head` ("products" or "stability"), or the chemistry rule's
    expectation where the interface lies outside the phase-energy table: the prediction the heads depart from."""
    thermo, rule = getattr(c, f"thermo_{head}"), getattr(c, f"rule_{head}")
    return np.where(inside_table(features, c)[:, None], features[:, list(thermo)], features[:, list(rule)])


def inside_table(features: np.ndarray, c: Columns) -> np.ndarray:
    """Rows whose materials all lie inside the phase-energy table."""
    return features[:, c.inside_table] > 0
