"""Thermodynamics calibrated on the records: how often a product class thermodynamics expects is observed, and how
often the stability the interphase's conduction gives is the stated one.

This is the answer outside the records' domain (`answer_basis` = `thermodynamics`) and the stability of every answer
while the records state too few stabilities to fit a forest. The maps are pooled over classes: per class, the records
hold a few dozen expectations at most (TM_S 13, all from cathode studies), too few to estimate one rate each.
Rates are Laplace-smoothed (one observed and one unobserved pseudo-record), so no probability is 0 or 1."""

from __future__ import annotations

import numpy as np

from degrade_ml.vocab import STABILITY_CLASSES


class ThermoCalibration:
    """A part of the heads (`InterfaceHeads`), not an estimator of its own: it learns from two targets at once.
    `fit(expected, observed, thermo_stability, stated_stability)`:
    - expected, observed: (records, product classes) 0/1, on records that state products inside the phase table;
    - thermo_stability: (records, 3) thermodynamic stability probabilities; stated_stability: each record's class.
    Learns `p_observed_if_expected_`, `p_observed_if_not_` and `stability_agreement_` (the share of stated stabilities
    thermodynamics gets right)."""

    def fit(self, expected: np.ndarray, observed: np.ndarray, thermo_stability: np.ndarray,
            stated_stability: np.ndarray) -> "ThermoCalibration":
        expected, observed = np.asarray(expected) > 0, np.asarray(observed) > 0
        self.p_observed_if_expected_ = float((observed[expected].sum() + 1) / (expected.sum() + 2))
        self.p_observed_if_not_ = float((observed[~expected].sum() + 1) / ((~expected).sum() + 2))
        predicted = np.asarray(STABILITY_CLASSES)[np.asarray(thermo_stability).argmax(axis=1)] if len(thermo_stability) else []
        hits = int(np.sum(predicted == np.asarray(stated_stability)))
        self.stability_agreement_ = (hits + 1) / (len(stated_stability) + 2)
        self.n_stability_ = int(len(stated_stability))
        return self

    def products(self, expected: np.ndarray) -> np.ndarray:
        """P(class observed) from whether thermodynamics expects it."""
        return np.where(np.asarray(expected) > 0, self.p_observed_if_expected_, self.p_observed_if_not_)

    def stability(self, thermo_stability: np.ndarray) -> np.ndarray:
        """Thermodynamic stability shrunk toward uniform by how often it agrees with what the records state."""
        a = self.stability_agreement_
        return a * np.asarray(thermo_stability) + (1 - a) / len(STABILITY_CLASSES)
