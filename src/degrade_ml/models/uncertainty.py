"""What the shipped product probabilities carry beyond the model: the recalibration map chosen out of fold (or none)
and the conformal prediction sets (SPEC §6).

The sets are split-conformal over out-of-fold probabilities: a record's nonconformity is 1 − p of its least probable
reported class (0 for an interface that forms nothing), and a set holds every class whose 1 − p stays within the
(1 − α) quantile of those scores, so that it holds all reported classes of a new interface with probability ≥ 1 − α.
MAPIE was considered: its multi-label classifier controls expected recall (a risk), not the chance that the whole
product set is covered, and it refits or splits the estimator itself, where ours must be scored over purged, grouped
folds; on precomputed out-of-fold scores the method is one quantile."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

COVERAGE = 0.9


def nonconformity(truth: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Per record: 1 − p of its least probable reported class; 0 when it reports none."""
    truth = np.asarray(truth) > 0
    return np.where(truth, 1 - np.asarray(proba, dtype=float), 0.0).max(axis=1)


def conformal_threshold(scores: np.ndarray, coverage: float = COVERAGE) -> float:
    """The finite-sample conformal quantile: the ⌈(n+1)(1−α)⌉-th smallest score (1.0, every class, when n is too
    small for the coverage asked)."""
    scores = np.sort(np.asarray(scores, dtype=float))
    rank = math.ceil((len(scores) + 1) * coverage)
    return 1.0 if rank > len(scores) else float(scores[rank - 1])


def prediction_sets(proba: np.ndarray, threshold: float) -> np.ndarray:
    """(records, classes) bool: the classes within the threshold; a class the element gate rules out (p = 0) never."""
    proba = np.asarray(proba, dtype=float)
    return (1 - proba <= threshold + 1e-12) & (proba > 0)


@dataclass
class Uncertainty:
    """The product-probability map shipped with a predictor (`calibrate` None: the model's own probabilities) and
    the conformal threshold, with what was measured out of fold to choose them."""

    calibrate: Callable[[np.ndarray], np.ndarray] | None
    calibrator: str  # the map's name, or "none"
    threshold: float
    coverage: float = COVERAGE
    measured: dict = field(default_factory=dict)

    def probabilities(self, proba: np.ndarray) -> np.ndarray:
        proba = np.asarray(proba, dtype=float)
        if self.calibrate is None:
            return proba
        return np.clip(self.calibrate(proba.ravel()).reshape(proba.shape), 0.0, 1.0) * (proba > 0)

    def sets(self, proba: np.ndarray) -> np.ndarray:
        return prediction_sets(proba, self.threshold)
