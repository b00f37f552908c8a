"""Which recalibration map, if any, to ship with the product probabilities, and how well the conformal sets cover,
measured without peeking: each fold's probabilities are remapped by a map fitted on the other folds' out-of-fold
probabilities only (cross-fitting), and each fold's sets use a threshold from the other folds' scores. The map that
lowers the Brier score below the raw one is shipped, fitted on all out-of-fold probabilities; none when none does."""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss

from degrade_ml.models.uncertainty import COVERAGE, Uncertainty, conformal_threshold, nonconformity, prediction_sets

EPSILON = 1e-4
RAW = "raw"


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPSILON, 1 - EPSILON)
    return np.log(p / (1 - p))[:, None]


class PlattMap:
    """A logistic map of the logit of p (Platt scaling), fitted on (probability, outcome) pairs."""

    def __init__(self, p: np.ndarray, y: np.ndarray):
        self.model = LogisticRegression().fit(_logit(p), y)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(_logit(p))[:, 1]


def _isotonic(p: np.ndarray, y: np.ndarray):
    return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(p, y).predict


CALIBRATORS = {"sigmoid (Platt)": PlattMap, "isotonic": _isotonic}


def cross_fitted(truth: np.ndarray, proba: np.ndarray, folds: np.ndarray, name: str) -> np.ndarray:
    """`proba` (records, classes) with each fold remapped by calibrator `name` fitted on the other folds; classes the
    element gate rules out (p = 0) stay 0."""
    if name == RAW:
        return np.asarray(proba, dtype=float)
    y, p = np.asarray(truth).ravel(), np.asarray(proba, dtype=float).ravel()
    fold_of_pair = np.repeat(folds, truth.shape[1])
    calibrated = p.copy()
    for fold in np.unique(fold_of_pair):
        test = fold_of_pair == fold
        if len(set(y[~test])) == 2:
            calibrated[test] = np.clip(CALIBRATORS[name](p[~test], y[~test])(p[test]), 0, 1) * (p[test] > 0)
    return calibrated.reshape(np.shape(proba))


def cross_fitted_brier(truth: np.ndarray, proba: np.ndarray, folds: np.ndarray) -> dict[str, float]:
    """Brier score over every (record, class) pair: raw, and after each calibrator fitted on the other folds."""
    return {name: float(brier_score_loss(np.asarray(truth).ravel(), cross_fitted(truth, proba, folds, name).ravel()))
            for name in (RAW, *CALIBRATORS)}


def cross_fitted_coverage(truth: np.ndarray, proba: np.ndarray, folds: np.ndarray,
                          coverage: float = COVERAGE) -> dict[str, float]:
    """Share of records whose every reported class lies in its conformal set, each fold's threshold taken from the
    other folds' scores; and the mean set size."""
    truth, scores = np.asarray(truth) > 0, nonconformity(truth, proba)
    covered, sizes = np.zeros(len(truth), dtype=bool), np.zeros(len(truth))
    for fold in np.unique(folds):
        test = folds == fold
        sets = prediction_sets(proba[test], conformal_threshold(scores[~test], coverage))
        covered[test] = (sets | ~truth[test]).all(axis=1)
        sizes[test] = sets.sum(axis=1)
    return {"coverage": float(covered.mean()), "mean_set_size": float(sizes.mean()), "n": int(len(truth))}


def choose_uncertainty(truth: np.ndarray, proba: np.ndarray, folds: np.ndarray,
                       coverage: float = COVERAGE) -> Uncertainty:
    """The map with the lowest cross-fitted Brier score (none when the raw probabilities score lowest), fitted on all
    out-of-fold pairs, and the conformal threshold over the probabilities it gives."""
    truth, proba = np.asarray(truth), np.asarray(proba, dtype=float)
    brier = cross_fitted_brier(truth, proba, folds)
    best = min(brier, key=brier.get)
    calibrate = None if best == RAW else CALIBRATORS[best](proba.ravel(), truth.ravel())
    shipped = Uncertainty(calibrate, "none" if best == RAW else best, 1.0, coverage)
    measured = cross_fitted_coverage(truth, cross_fitted(truth, proba, folds, best), folds, coverage)
    shipped.threshold = conformal_threshold(nonconformity(truth, shipped.probabilities(proba)), coverage)
    shipped.measured = {"brier": brier, "conformal": measured}
    return shipped


def shipped_set_coverage(outcomes: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], shipping_scheme: str,
                         coverage: float = COVERAGE) -> tuple[str, dict[str, dict[str, float]]]:
    """The map the product ships (chosen on `shipping_scheme`'s out-of-fold (truth, probabilities, folds)) and the
    coverage of its conformal sets in every scheme: the sets a user gets, not those of a scheme's own best map."""
    shipped = choose_uncertainty(*outcomes[shipping_scheme], coverage).calibrator
    name = RAW if shipped == "none" else shipped
    return shipped, {scheme: cross_fitted_coverage(truth, cross_fitted(truth, proba, folds, name), folds, coverage)
                     for scheme, (truth, proba, folds) in outcomes.items()}
