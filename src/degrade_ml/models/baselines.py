"""Baselines every model is reported beside (SPEC §6), with the same fit(X, y) / predict_proba(X) shape."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from degrade_ml.features.interface import InterfaceFeaturizer
from degrade_ml.models.interface_model import InterfaceClassifierMixin, Probabilities, binarize, stated
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES


class MajorityBaseline(InterfaceClassifierMixin, BaseEstimator):
    """Training frequencies as probabilities: the majority class, and each label's own majority."""

    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> "MajorityBaseline":
        known = stated(y)
        self.products_ = binarize(y["products"][known["products"]], PRODUCT_CLASSES).mean(axis=0)
        self.modes_ = binarize(y["degradation_modes"][known["degradation_modes"]], DEGRADATION_MODES).mean(axis=0)
        counts = y["stability"][known["stability"]].value_counts(normalize=True)
        self.stability_ = np.array([counts.get(label, 0.0) for label in STABILITY_CLASSES])
        return self

    def predict_proba(self, X: pd.DataFrame) -> Probabilities:
        check_is_fitted(self, "products_")
        n = len(X)
        return Probabilities(
            products=pd.DataFrame(np.tile(self.products_, (n, 1)), columns=list(PRODUCT_CLASSES)),
            stability=pd.DataFrame(np.tile(self.stability_, (n, 1)), columns=list(STABILITY_CLASSES)),
            modes=pd.DataFrame(np.tile(self.modes_, (n, 1)), columns=list(DEGRADATION_MODES)),
        )


class ChemistryRuleBaseline(InterfaceClassifierMixin, BaseEstimator):
    """What the limit rules alone predict (features.prior); learns nothing from records."""

    blocks: tuple[str, str, str] = ("rule products", "rule stability", "rule modes")

    def fit(self, X: pd.DataFrame, y: pd.DataFrame | None = None) -> "ChemistryRuleBaseline":
        self.featurizer_ = InterfaceFeaturizer().fit(X)
        return self

    def predict_proba(self, X: pd.DataFrame) -> Probabilities:
        check_is_fitted(self, "featurizer_")
        features = self.featurizer_.transform(X)
        products, stability, modes = (features[:, self.featurizer_.blocks_[name]] for name in self.blocks)
        return Probabilities(
            products=pd.DataFrame(products, columns=list(PRODUCT_CLASSES)),
            stability=pd.DataFrame(stability, columns=list(STABILITY_CLASSES)),
            modes=pd.DataFrame(modes, columns=list(DEGRADATION_MODES)),
        )


class ThermoBaseline(ChemistryRuleBaseline):
    """The thermodynamic products of the query's contacts and the stability that follows from them and the SE
    window (features.thermo); degradation modes, which thermodynamics does not give, are the rule's."""

    blocks = ("thermo products", "thermo stability", "rule modes")
