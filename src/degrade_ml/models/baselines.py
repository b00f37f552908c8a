"""Baselines every model is reported beside (SPEC §6), multi-output classifiers with the heads' outputs
(`outputs.OutputsMixin`), so that each runs behind the same featurizer and is scored the same way."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import _num_samples, check_array, check_consistent_length, check_is_fitted, validate_data

from degrade_ml.models.layout import Columns
from degrade_ml.models.outputs import OutputsMixin, binary_outputs, labelled_values


class MajorityBaseline(OutputsMixin, BaseEstimator):
    """Training frequencies as probabilities: each output's share of every class among the rows that label it. It
    reads no feature, so it takes any rows (query rows or features) and needs no featurizer, as scikit-learn's
    `DummyClassifier(strategy="prior")` does."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.input_tags.sparse = True  # X is never read: any rows, sparse ones too
        tags.no_validation = True
        return tags

    def fit(self, X, y) -> "MajorityBaseline":
        validate_data(self, X, y, skip_check_array=True)
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        check_consistent_length(X, y)
        self.one_output_, self.columns_ = y.ndim == 1, None
        y = y.reshape(len(y), -1)
        self.n_outputs_ = y.shape[1]
        classes, self.frequencies_ = [], []
        for j in range(self.n_outputs_):
            labels, counts = np.unique(labelled_values(y[:, j])[1], return_counts=True)
            classes.append(labels)
            self.frequencies_.append(counts / counts.sum())
        self.classes_ = self._as_outputs(classes)
        return self

    def predict_proba(self, X) -> list[np.ndarray] | np.ndarray:
        check_is_fitted(self, "frequencies_")
        n = _num_samples(X)
        return self._as_outputs([np.tile(frequencies, (n, 1)) for frequencies in self.frequencies_])


class ChemistryRuleBaseline(OutputsMixin, BaseEstimator):
    """What the limit rules alone predict (features.prior), read from X at `columns` (layout.Columns); it learns only
    y's outputs. With `columns=None`, the default, it reads nothing and so expects nothing: every class of an output is equally
    likely."""

    sources: tuple[str, str, str] = ("rule_products", "rule_stability", "rule_modes")

    def __init__(self, columns: str | Columns | None = None):
        self.columns = columns

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True  # it learns nothing from the records
        return tags

    def fit(self, X, y) -> "ChemistryRuleBaseline":
        self._fit_outputs(X, y, self.columns)
        return self

    def predict_proba(self, X) -> list[np.ndarray] | np.ndarray:
        features = self._features(X)
        if self.columns_ is None:
            return self._as_outputs([np.full((len(features), len(c)), 1 / len(c)) for c in self._classes()])
        products, stability, modes = (features[:, list(getattr(self.columns_, name))] for name in self.sources)
        return [*binary_outputs(products), stability, *binary_outputs(modes)]


class ThermoBaseline(ChemistryRuleBaseline):
    """The thermodynamic products of the query's contacts and the stability that follows from them and the SE
    window (features.thermo); degradation modes, which thermodynamics does not give, are the rule's."""

    sources = ("thermo_products", "thermo_stability", "rule_modes")
