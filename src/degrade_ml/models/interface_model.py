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

from degrade_ml.features.interface import CONDITION_COLUMNS, InterfaceFeaturizer
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, split_list

# Which element groups each material holds, not how much: coarse enough to generalise from a few dozen
# interfaces (product micro-F1 across SE families 0.571 against 0.528 with atomic fractions added).
CHEMISTRY_FLAG_PREFIXES: tuple[str, ...] = ("se: has ", "electrode: has ", "coating: has ", "coating: present",
                                            "role: anode")
# the interface's thermodynamics at the electrode potential (window edges, reaction energies), not its expectations
THERMO_SCALARS: tuple[str, ...] = tuple(f"thermo: {s}" for s in (
    "potential known", "potential (V)", "beyond oxidation limit (V)", "below reduction limit (V)",
    "E_rxn SE|electrode (eV/atom)", "E_rxn SE|coating (eV/atom)", "E_rxn coating|electrode (eV/atom)"))
CONTEXT_PREFIXES: tuple[str, ...] = (*CHEMISTRY_FLAG_PREFIXES, "condition: ", *THERMO_SCALARS)
# below this many stated stability labels no forest is fitted: stability is what thermodynamics expects
MIN_STABILITY_LABELS = 20


@dataclass
class Probabilities:
    """Per-row probabilities of every product class, stability class and degradation mode."""

    products: pd.DataFrame
    stability: pd.DataFrame
    modes: pd.DataFrame


def record_inputs(interfaces: pd.DataFrame) -> pd.DataFrame:
    """The query view of records: only what a user can state about an interface."""
    inputs = interfaces[["se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS,
                         "potential_V"]].copy()
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


def prior_block(features: np.ndarray, names: list[str], kind: str, keys: tuple[str, ...], source: str = "prior") -> np.ndarray:
    """The features `<source>: <kind> <key>` for every key, in vocabulary order (`prior: rule expects Li2S`,
    `thermo: expects Li2S`)."""
    return features[:, [names.index(f"{source}: {kind} {k}") for k in keys]]


def backbone(features: np.ndarray, names: list[str], keys: tuple[str, ...]) -> np.ndarray:
    """What thermodynamics expects for each key, or the chemistry rule's expectation where the interface lies
    outside the phase-energy table: the prediction the model departs from."""
    thermo = prior_block(features, names, "expects", keys, source="thermo")
    rule = prior_block(features, names, "rule expects", keys)
    inside = features[:, [names.index("thermo: inside the table")]] > 0
    return np.where(inside, thermo, rule)


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

    def __init__(self, n_estimators: int = 300, min_samples_leaf: int = 2, random_state: int = 0,
                 label_identity: bool = True):
        self.n_estimators = n_estimators
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state
        self.label_identity = label_identity

    def fit(self, context: np.ndarray, prior: np.ndarray, Y: np.ndarray) -> "ClassConditionalForest":
        """`prior` is (interfaces, labels) or (interfaces, labels, channels): what each source expects per label."""
        self.n_labels_ = prior.shape[1]
        self.forest_ = _forest(self.n_estimators, self.min_samples_leaf, self.random_state).fit(
            _stack(context, prior, self.label_identity), Y.ravel()
        )
        return self

    def predict_proba(self, context: np.ndarray, prior: np.ndarray) -> np.ndarray:
        classes = list(self.forest_.classes_)
        if 1 not in classes:
            return np.zeros(prior.shape)
        first, codes = distinct_rows(np.hstack([context, prior.reshape(len(prior), -1)]))
        positive = self.forest_.predict_proba(_stack(context[first], prior[first], self.label_identity))[:, classes.index(1)]
        return positive.reshape(len(first), prior.shape[1])[codes]


def _stack(context: np.ndarray, prior: np.ndarray, label_identity: bool = True) -> np.ndarray:
    n, k = prior.shape[:2]
    channels = prior.reshape(n * k, -1)
    identity = [np.tile(np.eye(k), (n, 1))] if label_identity else []
    return np.hstack([np.repeat(context, k, axis=0), channels, *identity])


class InterfaceModel(BaseEstimator):
    """Products and modes from class-conditional forests whose per-label inputs are what thermodynamics and the
    chemistry rule expect; stability from a forest over the same context plus both stabilities. The context
    carries the interface's thermodynamics at the electrode potential (window edges against the potential,
    reaction energies), so voltage, cathode and coating move the answer where the physics does. `prior_weight`
    blends the thermodynamic expectation (the rule's, outside the phase-energy table) into products and
    stability, and the rule into modes; with fewer than MIN_STABILITY_LABELS stated stability labels the
    stability head is the thermodynamic expectation alone. Product probabilities are multiplied by the
    element-conservation gate."""

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
        self.context_columns_ = [i for i, name in enumerate(self.feature_names_) if name.startswith(CONTEXT_PREFIXES)]
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
            context[rows], self._prior(features[rows], "rule expects", DEGRADATION_MODES),
            binarize(y["degradation_modes"][rows], DEGRADATION_MODES),
        )
        rows = known["stability"]
        self.stability_ = None
        if rows.sum() >= MIN_STABILITY_LABELS and y["stability"][rows].nunique() > 1:
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
        expected = backbone(features, self.feature_names_, PRODUCT_CLASSES)
        products = ((1 - w) * self.products_.predict_proba(context, self._product_priors(features)) + w * expected)
        products *= self._prior(features, "allowed", PRODUCT_CLASSES)
        expected_modes = self._prior(features, "rule expects", DEGRADATION_MODES)
        modes = (1 - w) * self.modes_.predict_proba(context, expected_modes) + w * expected_modes
        stability = backbone(features, self.feature_names_, STABILITY_CLASSES)
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

    def _prior(self, features: np.ndarray, kind: str, keys: tuple[str, ...]) -> np.ndarray:
        return prior_block(features, self.feature_names_, kind, keys)

    def _product_priors(self, features: np.ndarray) -> np.ndarray:
        """(interfaces, product classes, 2): the rule's and thermodynamics' expectation of every class."""
        return np.stack([self._prior(features, "rule expects", PRODUCT_CLASSES),
                         prior_block(features, self.feature_names_, "expects", PRODUCT_CLASSES, source="thermo")], axis=2)

    def _stability_inputs(self, features: np.ndarray) -> np.ndarray:
        return np.hstack([features[:, self.context_columns_], self._prior(features, "rule expects", STABILITY_CLASSES),
                          prior_block(features, self.feature_names_, "expects", STABILITY_CLASSES, source="thermo")])
