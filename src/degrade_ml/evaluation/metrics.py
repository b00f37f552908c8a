"""Metrics of SPEC §6, each computed only on records where the review states the target."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import balanced_accuracy_score, brier_score_loss, f1_score, jaccard_score

from degrade_ml.vocab import STABILITY_CLASSES


def multilabel_metrics(truth: np.ndarray, proba: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """micro/macro F1 and Jaccard of the decisions the model makes (`predicted`), and the Brier score of the
    probabilities. Macro averages over the classes that occur in the truth, so absent classes neither help nor hurt."""
    predicted = np.asarray(predicted).astype(int)
    present = np.flatnonzero(truth.sum(axis=0) > 0)
    return {
        "micro_f1": float(f1_score(truth, predicted, average="micro", zero_division=0)),
        "macro_f1": float(f1_score(truth[:, present], predicted[:, present], average="macro", zero_division=0)),
        "jaccard": float(jaccard_score(truth, predicted, average="samples", zero_division=1)),
        "brier": float(brier_score_loss(truth.ravel(), proba.ravel())),  # over every (record, class) pair
        "n": int(len(truth)),
    }


def per_class_f1(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    return f1_score(truth, np.asarray(predicted).astype(int), average=None, zero_division=0)


def stability_metrics(truth: pd.Series, proba: pd.DataFrame) -> dict[str, float]:
    predicted = np.asarray(STABILITY_CLASSES)[proba.to_numpy().argmax(axis=1)]
    return {
        "macro_f1": float(f1_score(truth, predicted, labels=list(STABILITY_CLASSES), average="macro", zero_division=0)),
        "balanced_accuracy": float(balanced_accuracy_score(truth, predicted)),
        # scikit-learn reads the probability columns in the lexicographic order of the labels
        "brier": float(brier_score_loss(truth, proba[sorted(STABILITY_CLASSES)].to_numpy(), labels=sorted(STABILITY_CLASSES))),
        "n": int(len(truth)),
    }
