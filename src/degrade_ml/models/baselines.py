"""Baselines every model is reported beside (SPEC §6), with the heads' fit(features, y) / predict_proba(features)
shape, so that each runs behind the same featurizer."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from degrade_ml.features.featurizer import block
from degrade_ml.models.heads import HeadsMixin
from degrade_ml.models.targets import CLASSES, binarize, stated
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES


class MajorityBaseline(HeadsMixin, BaseEstimator):
    """Training frequencies as probabilities: the majority class, and each label's own majority. It reads no feature,
    so it takes any rows (query rows or features) and needs no featurizer."""

    def fit(self, X, y: pd.DataFrame) -> "MajorityBaseline":
        self.classes_ = [np.array(keys, dtype=object) for keys in CLASSES]
        known = stated(y)
        self.products_ = binarize(y["products"][known["products"]], PRODUCT_CLASSES).mean(axis=0)
        self.modes_ = binarize(y["degradation_modes"][known["degradation_modes"]], DEGRADATION_MODES).mean(axis=0)
        counts = y["stability"][known["stability"]].value_counts(normalize=True)
        self.stability_ = np.array([counts.get(label, 0.0) for label in STABILITY_CLASSES])
        return self

    def predict_proba(self, X) -> list[np.ndarray]:
        check_is_fitted(self, "products_")
        n = len(X)
        return [np.tile(frequencies, (n, 1)) for frequencies in (self.products_, self.stability_, self.modes_)]


class ChemistryRuleBaseline(HeadsMixin, BaseEstimator):
    """What the limit rules alone predict (features.prior); learns nothing from records."""

    blocks: tuple[str, str, str] = ("rule products", "rule stability", "rule modes")

    def fit(self, X, y: pd.DataFrame | None = None) -> "ChemistryRuleBaseline":
        self._fitted_on(X)
        return self

    def predict_proba(self, X) -> list[np.ndarray]:
        features = self._features(X)
        return [block(features, name) for name in self.blocks]


class ThermoBaseline(ChemistryRuleBaseline):
    """The thermodynamic products of the query's contacts and the stability that follows from them and the SE
    window (features.thermo); degradation modes, which thermodynamics does not give, are the rule's."""

    blocks = ("thermo products", "thermo stability", "rule modes")
