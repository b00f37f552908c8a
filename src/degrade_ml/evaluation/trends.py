"""Do out-of-fold predictions reproduce the comparisons the review states (data/trends.csv)?

A reactivity trend holds when the lower record's predicted reactivity is below the higher one's: the expected rank of
its stability, stable 0 < passivating 1 < continuous 2, the order in which the records' own test reads a trend (a
self-limiting interphase reacts less than an endless one). A degradation trend holds when the lower record's summed
degradation-mode probabilities are below the higher one's. A difference under TIE_MARGIN is a tie, and a tie is not
held: 0.8561 against 0.8564 is a coin toss, not a reproduced trend."""

from __future__ import annotations

import numpy as np
import pandas as pd

TREND_TARGET = 0.8  # issue target: at least 80 % of the stated trends reproduced out of fold
TIE_MARGIN = 0.01  # one point of probability, the least difference the two-decimal output shows


def _scores(oof, quantity: str) -> np.ndarray:
    if quantity == "reactivity":
        stability = oof.proba.stability
        return (stability["passivating"] + 2 * stability["continuous"]).to_numpy()
    return oof.proba.modes.to_numpy().sum(axis=1)


def reproduce_trends(records: pd.DataFrame, trends: pd.DataFrame, predictions: dict) -> dict:
    """`{scheme: {model: {"held": k, "of": n}}}` over the trends whose two records were both predicted out of fold."""
    position = {record_id: i for i, record_id in enumerate(records["record_id"])}
    results: dict = {}
    for (scheme, model), oof in predictions.items():
        row_of = {index: j for j, index in enumerate(oof.index)}
        held = total = 0
        for trend in trends.itertuples(index=False):
            lower, higher = (row_of.get(position.get(r, -1)) for r in (trend.lower_record, trend.higher_record))
            if lower is None or higher is None:
                continue
            scores = _scores(oof, trend.quantity)
            total += 1
            held += int(scores[higher] - scores[lower] >= TIE_MARGIN)
        results.setdefault(scheme, {})[model] = {"held": held, "of": total}
    return results
