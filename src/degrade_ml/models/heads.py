"""The interface model: one featurization, three heads (products, stability, degradation modes).

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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.validation import check_is_fitted

from degrade_ml.features.interface import CONDITION_COLUMNS, InterfaceFeaturizer
from degrade_ml.models.thermo_calibration import ThermoCalibration
from degrade_ml.rows import distinct_rows
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, split_list

# Which element groups each material holds, not how much: coarse enough to generalise from a few dozen
# interfaces (product micro-F1 across SE families 0.571 against 0.528 with atomic fractions added).
CHEMISTRY_BLOCKS: tuple[str, ...] = ("se groups", "electrode groups", "coating groups", "coating present", "role")
# ... with the stated conditions and the interface's thermodynamics at the electrode potential (window edges against
# the potential, reaction energies), not its expectations, which enter per label
CONTEXT_BLOCKS: tuple[str, ...] = (*CHEMISTRY_BLOCKS, "conditions", "thermo at potential")
# below this many stated stability labels no forest is fitted: stability is what thermodynamics expects
MIN_STABILITY_LABELS = 20
THRESHOLD = 0.5


@dataclass
class Probabilities:
    """Per-row probabilities of every product class, stability class and degradation mode."""

    products: pd.DataFrame
    stability: pd.DataFrame
    modes: pd.DataFrame

    def labels(self) -> pd.DataFrame:
        """The typed answer: product classes and modes at p ≥ 0.5 as lists, the most probable stability."""
        return pd.DataFrame({
            "products": _flagged(self.products),
            "stability": self.stability.idxmax(axis=1).astype(object).to_numpy(),
            "degradation_modes": _flagged(self.modes),
        })


def _flagged(proba: pd.DataFrame) -> list[list[str]]:
    keys = np.asarray(proba.columns, dtype=object)
    return [list(keys[row]) for row in proba.to_numpy() >= THRESHOLD]


def record_inputs(interfaces: pd.DataFrame) -> pd.DataFrame:
    """The query view of records: only what a user can state about an interface."""
    inputs = interfaces[["se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS,
                         "potential_V"]].copy()
    return inputs.reset_index(drop=True)


def record_targets(interfaces: pd.DataFrame) -> pd.DataFrame:
    """Typed targets: product classes and modes as lists, stability as its class or None where not stated."""
    return pd.DataFrame({
        "products": [split_list(cell) for cell in interfaces["products"]],
        "stability": [cell or None for cell in interfaces["stability"]],
        "degradation_modes": [split_list(cell) for cell in interfaces["degradation_modes"]],
    })


def stated(targets: pd.DataFrame) -> dict[str, np.ndarray]:
    """Where the source states each target; an empty list is unknown, not "none".
    Products are stated where any is reported or the interface is stable (nothing forms)."""
    products = targets["products"].map(len).gt(0) | (targets["stability"] == "stable")
    return {
        "products": products.to_numpy(),
        "stability": targets["stability"].notna().to_numpy(),
        "degradation_modes": targets["degradation_modes"].map(len).gt(0).to_numpy(),
    }


def binarize(lists: pd.Series, keys: tuple[str, ...]) -> np.ndarray:
    """Lists of vocabulary keys as a 0/1 matrix, columns in vocabulary order."""
    return MultiLabelBinarizer(classes=list(keys)).fit_transform(list(lists))


def _forest(n_estimators: int, min_samples_leaf: int, random_state: int, class_weight: str | None = None):
    return RandomForestClassifier(n_estimators=n_estimators, min_samples_leaf=min_samples_leaf,
                                  class_weight=class_weight, random_state=random_state, n_jobs=1)


class ClassConditionalForest:
    """P(label observed | interface context, what each source expects of the label) with one forest for all labels:
    a part of InterfaceModel (whose parameters it takes), not an estimator of its own."""

    def __init__(self, n_estimators: int, min_samples_leaf: int, random_state: int, label_identity: bool):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state
        self.label_identity = label_identity

    def fit(self, context: np.ndarray, prior: np.ndarray, Y: np.ndarray) -> "ClassConditionalForest":
        """`prior` is (interfaces, labels) or (interfaces, labels, channels): what each source expects per label."""
        self.forest_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state).fit(
            _stack(context, prior, self.label_identity), Y.ravel()
        )
        return self

    def predict_proba(self, context: np.ndarray, prior: np.ndarray) -> np.ndarray:
        classes = list(self.forest_.classes_)
        if 1 not in classes:
            return np.zeros(prior.shape[:2])
        first, codes = distinct_rows(np.hstack([context, prior.reshape(len(prior), -1)]))
        positive = self.forest_.predict_proba(_stack(context[first], prior[first], self.label_identity))[:, classes.index(1)]
        return positive.reshape(len(first), prior.shape[1])[codes]


def _stack(context: np.ndarray, prior: np.ndarray, label_identity: bool = True) -> np.ndarray:
    n, k = prior.shape[:2]
    channels = prior.reshape(n * k, -1)
    identity = [np.tile(np.eye(k), (n, 1))] if label_identity else []
    return np.hstack([np.repeat(context, k, axis=0), channels, *identity])


class InterfaceClassifierMixin(ClassifierMixin):
    """`predict` and `score` for the estimators of this package, whose `predict_proba(X)` gives Probabilities."""

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:
        """Typed labels per row: `products` and `degradation_modes` lists, `stability` a class."""
        return self.predict_proba(X).labels()

    def score(self, X: pd.DataFrame, y: pd.DataFrame, sample_weight=None) -> float:
        """Product micro-F1 on the rows that state products (the headline metric of SPEC §6); NaN when none does."""
        rows = stated(y)["products"]
        if not rows.any():
            return float("nan")
        predicted = self.predict_proba(X.iloc[np.flatnonzero(rows)]).products.to_numpy() >= THRESHOLD
        return float(f1_score(binarize(y["products"][rows], PRODUCT_CLASSES), predicted.astype(int),
                              average="micro", zero_division=0))


class InterfaceModel(InterfaceClassifierMixin, BaseEstimator):
    """Products and modes from class-conditional forests whose per-label inputs are what thermodynamics and the
    chemistry rule expect; stability from a forest over the same context plus both stabilities. The context
    carries the interface's thermodynamics at the electrode potential (window edges against the potential,
    reaction energies), so voltage, cathode and coating move the answer where the physics does. `prior_weight`
    blends the thermodynamic expectation (the rule's, outside the phase-energy table) into products and
    stability, and the rule into modes; with fewer than MIN_STABILITY_LABELS stated stability labels the
    stability head is the thermodynamic expectation alone. Product probabilities are multiplied by the
    element-conservation gate.

    `fit(X, y)`: X the query rows of `record_inputs`, y the typed targets of `record_targets`.
    `predict_proba(X)`: Probabilities of every class of every head; `predict(X)`: typed labels."""

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, prior_weight: float = 0.3,
                 random_state: int = 0, label_identity: bool = False):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.prior_weight = prior_weight
        self.random_state = random_state
        self.label_identity = label_identity

    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> "InterfaceModel":
        self.featurizer_ = InterfaceFeaturizer().fit(X)
        self.feature_names_ = list(self.featurizer_.get_feature_names_out())
        self.context_columns_ = self.featurizer_.columns(*CONTEXT_BLOCKS)
        features = self.featurizer_.transform(X)
        context = features[:, self.context_columns_]
        known = stated(y)
        heads = dict(n_estimators=self.n_estimators, min_samples_leaf=self.min_samples_leaf, random_state=self.random_state,
                     label_identity=self.label_identity)
        rows = known["products"]
        self.products_ = ClassConditionalForest(**heads).fit(
            context[rows], self._product_priors(features[rows]), binarize(y["products"][rows], PRODUCT_CLASSES)
        )
        rows = known["degradation_modes"]
        self.modes_ = ClassConditionalForest(**heads).fit(
            context[rows], self._block(features[rows], "rule modes"),
            binarize(y["degradation_modes"][rows], DEGRADATION_MODES),
        )
        inside = _inside_table(self.featurizer_, features)
        rows, stable_rows = known["products"] & inside, known["stability"] & inside
        self.thermo_calibration_ = ThermoCalibration().fit(
            self._block(features[rows], "thermo products"), binarize(y["products"][rows], PRODUCT_CLASSES),
            self._block(features[stable_rows], "thermo stability"), y["stability"][stable_rows].to_numpy(dtype=object))
        rows = known["stability"]
        self.stability_ = None
        if rows.sum() >= MIN_STABILITY_LABELS and y["stability"][rows].nunique() > 1:
            self.stability_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state, "balanced").fit(
                self._stability_inputs(features[rows]), y["stability"][rows].astype(str)
            )
        return self

    def predict_proba(self, X: pd.DataFrame) -> Probabilities:
        check_is_fitted(self, "featurizer_")
        return self.predict_proba_features(self.featurizer_.transform(X))

    def predict_proba_features(self, features: np.ndarray) -> Probabilities:
        """Probabilities from an already featurized matrix (explanations perturb features directly)."""
        check_is_fitted(self, "featurizer_")
        context = features[:, self.context_columns_]
        w = self.prior_weight
        expected = backbone(self.featurizer_, features, "products")
        products = ((1 - w) * self.products_.predict_proba(context, self._product_priors(features)) + w * expected)
        products *= self._block(features, "allowed products")
        expected_modes = self._block(features, "rule modes")
        modes = (1 - w) * self.modes_.predict_proba(context, expected_modes) + w * expected_modes
        stability = self.thermo_calibration_.stability(backbone(self.featurizer_, features, "stability"))
        if self.stability_ is not None:
            inputs = self._stability_inputs(features)
            first, codes = distinct_rows(inputs)
            learned = np.zeros((len(first), len(STABILITY_CLASSES)))
            seen = [STABILITY_CLASSES.index(label) for label in self.stability_.classes_]
            learned[:, seen] = self.stability_.predict_proba(inputs[first])
            stability = (1 - w) * learned[codes] + w * stability
        return Probabilities(
            products=pd.DataFrame(products, columns=list(PRODUCT_CLASSES)),
            stability=pd.DataFrame(stability, columns=list(STABILITY_CLASSES)),
            modes=pd.DataFrame(modes, columns=list(DEGRADATION_MODES)),
        )

    def thermo_proba_features(self, features: np.ndarray) -> Probabilities:
        """The answer from thermodynamics, calibrated on the records (`answer_basis` = `thermodynamics`): products and
        stability from the phase-energy table; degradation modes as the model gives them (they follow the rule)."""
        learned = self.predict_proba_features(features)
        products = self.thermo_calibration_.products(backbone(self.featurizer_, features, "products"))
        return Probabilities(
            products=pd.DataFrame(products * self._block(features, "allowed products"), columns=list(PRODUCT_CLASSES)),
            stability=pd.DataFrame(self.thermo_calibration_.stability(backbone(self.featurizer_, features, "stability")),
                                   columns=list(STABILITY_CLASSES)),
            modes=learned.modes,
        )

    def _block(self, features: np.ndarray, name: str) -> np.ndarray:
        return features[:, self.featurizer_.blocks_[name]]

    def _product_priors(self, features: np.ndarray) -> np.ndarray:
        """(interfaces, product classes, 2): the rule's and thermodynamics' expectation of every class."""
        return np.stack([self._block(features, "rule products"), self._block(features, "thermo products")], axis=2)

    def _stability_inputs(self, features: np.ndarray) -> np.ndarray:
        return features[:, self.featurizer_.columns(*CONTEXT_BLOCKS, "rule stability", "thermo stability")]


def backbone(featurizer: InterfaceFeaturizer, features: np.ndarray, head: str) -> np.ndarray:
    """What thermodynamics expects for every class of `head` ("products" or "stability"), or the chemistry rule's
    expectation where the interface lies outside the phase-energy table: the prediction the model departs from."""
    thermo = features[:, featurizer.blocks_[f"thermo {head}"]]
    rule = features[:, featurizer.blocks_[f"rule {head}"]]
    return np.where(_inside_table(featurizer, features)[:, None], thermo, rule)


def _inside_table(featurizer: InterfaceFeaturizer, features: np.ndarray) -> np.ndarray:
    """Rows whose materials all lie inside the phase-energy table."""
    return features[:, featurizer.feature_names_out_ == "thermo: inside the table"].ravel() > 0
