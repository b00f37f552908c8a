"""Grouped cross-validation (SPEC §6): no SE formula and no study appears in both train and test.

scikit-learn's `cross_validate` runs the folds; `PurgedGroupOut` is the splitter that holds one group out and purges
from training every record sharing an SE formula or a study with it, which no stock splitter does."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rich.progress import Progress
from sklearn.metrics import f1_score
from sklearn.model_selection import BaseCrossValidator, cross_validate
from sklearn.utils import _safe_indexing

from degrade_ml.data.load import Dataset, formula_key
from degrade_ml.evaluation.metrics import multilabel_metrics, stability_metrics
from degrade_ml.models.targets import (
    HEADS, THRESHOLD, Probabilities, binarize, product_decisions, record_inputs, record_targets, stated, target_array,
)
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, split_list

SCHEMES: tuple[str, ...] = ("leave_one_se_family_out", "leave_one_electrode_out", "leave_one_study_out")
HEADLINE_SCHEMES: tuple[str, ...] = SCHEMES[:2]
MIN_TRAIN = 10


class PurgedGroupOut(BaseCrossValidator):
    """Leave one group out at a time (`groups` of `split`), then drop from training every row that shares any
    `purge` key (e.g. SE formula, study) with the test rows; folds left with fewer than `min_train` rows are skipped."""

    def __init__(self, purge: Sequence[np.ndarray] = (), min_train: int = MIN_TRAIN):
        self.purge = purge
        self.min_train = min_train

    def split(self, X, y=None, groups=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for _, train, test in self._candidates(groups):
            if len(train) >= self.min_train:
                yield train, test

    def skipped(self, groups) -> list[tuple[str, int, int]]:
        """(group, test rows, training rows left) of every group too small a training set leaves out."""
        return [(str(group), len(test), len(train)) for group, train, test in self._candidates(groups)
                if len(train) < self.min_train]

    def _candidates(self, groups) -> Iterator[tuple[object, np.ndarray, np.ndarray]]:
        if groups is None:
            raise ValueError("PurgedGroupOut needs `groups`: the group each row is held out with")
        groups = np.asarray(groups)
        keys = [np.asarray(key) for key in self.purge]
        for group in sorted(set(groups)):
            test = groups == group
            leaking = np.zeros(len(groups), dtype=bool)
            for key in keys:
                leaking |= np.isin(key, key[test])
            yield group, np.flatnonzero(~test & ~leaking), np.flatnonzero(test)

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return sum(1 for _ in self.split(X, y, groups))


@dataclass(frozen=True)
class Fold:
    held_out: str
    train: np.ndarray
    test: np.ndarray


def study_of(records: pd.DataFrame) -> pd.Series:
    """The study behind each record: its paper's DOI, else the first review reference it came through."""
    return records["doi"].where(records["doi"] != "", records["review_ref"].map(lambda ref: split_list(ref)[0]))


def scheme_split(dataset: Dataset, scheme: str) -> tuple[PurgedGroupOut, np.ndarray]:
    """The splitter and groups of a scheme: one SE family (electrode, study) held out at a time, purged of every
    training record that shares an SE formula or a study with the test fold."""
    records = dataset.interfaces.reset_index(drop=True)
    se = records["se_formula"].map(formula_key)
    study = study_of(records)
    if scheme == "leave_one_se_family_out":
        held = se.map(dataset.se_family)
    elif scheme == "leave_one_electrode_out":
        held = records["electrode_formula"].map(formula_key)
    elif scheme == "leave_one_study_out":
        held = study
    else:
        raise ValueError(f"{scheme!r} is not a scheme; choose from {SCHEMES}")
    return PurgedGroupOut(purge=(se.to_numpy(), study.to_numpy())), held.astype(str).to_numpy()


def grouped_folds(dataset: Dataset, scheme: str) -> list[Fold]:
    """The folds of a scheme, each named by the group it holds out."""
    splitter, groups = scheme_split(dataset, scheme)
    return [Fold(str(groups[test[0]]), train, test) for train, test in splitter.split(None, groups=groups)]


@dataclass
class OutOfFold:
    """Pooled out-of-fold probabilities of one model under one scheme (rows in record order), and the product
    micro-F1 of each fold as cross_validate scored it."""

    index: np.ndarray
    proba: Probabilities
    fold_scores: np.ndarray
    folds: np.ndarray  # the fold number of each pooled row


def cross_validate_models(
    dataset: Dataset, factories: dict[str, Callable[[], object]], schemes: tuple[str, ...] = SCHEMES,
    show_progress: bool = False, labels: str = "stated",
) -> tuple[dict, dict]:
    """`{target: {scheme: {model: {metric: value}}}}` and the pooled out-of-fold predictions behind it.
    Every model sees the same folds; `labels` picks the label basis trained on and scored (SPEC §6)."""
    records = dataset.labelled(labels).reset_index(drop=True)
    inputs, targets = record_inputs(records), record_targets(records)
    results: dict = {"products": {}, "stability": {}, "degradation_modes": {}}
    predictions: dict = {}
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("grouped cross-validation", total=len(schemes) * len(factories))
        for scheme in schemes:
            splitter, groups = scheme_split(dataset, scheme)
            for name, make in factories.items():
                oof = out_of_fold(make(), inputs, targets, splitter, groups)
                predictions[(scheme, name)] = oof
                for target, value in score(targets.iloc[oof.index], oof.proba).items():
                    results[target].setdefault(scheme, {})[name] = value
                fold_scores = oof.fold_scores[~np.isnan(oof.fold_scores)]
                results["products"][scheme][name] |= {"fold_micro_f1_mean": float(fold_scores.mean()),
                                                      "fold_micro_f1_sd": float(fold_scores.std())}
                progress.advance(task)
    return results, predictions


def out_of_fold(estimator, inputs: pd.DataFrame, targets: pd.DataFrame, splitter: PurgedGroupOut,
                groups: np.ndarray) -> OutOfFold:
    """scikit-learn's cross_validate over the purged folds on the typed targets as the estimators' y (`target_array`),
    each fold scored by `product_micro_f1`, then every fold's estimator predicting its own test rows, pooled."""
    run = cross_validate(estimator, inputs, target_array(targets), groups=groups, cv=splitter, scoring=product_micro_f1,
                         return_estimator=True, return_indices=True, error_score="raise")
    tests = run["indices"]["test"]
    parts = [Probabilities.of_outputs(fitted.predict_proba(inputs.iloc[test].reset_index(drop=True)), fitted.classes_)
             for fitted, test in zip(run["estimator"], tests)]
    return OutOfFold(
        index=np.concatenate(tests),
        proba=Probabilities.of([np.vstack([getattr(p, head).to_numpy() for p in parts]) for head in HEADS]),
        fold_scores=np.asarray(run["test_score"], dtype=float),
        folds=np.concatenate([np.full(len(test), i) for i, test in enumerate(tests)]),
    )


def product_micro_f1(estimator, X, y) -> float:
    """The headline metric (SPEC §6) as a scorer: product micro-F1 on the rows of y (`target_array`) that state
    products; NaN when none does."""
    k = len(PRODUCT_CLASSES)
    y = np.asarray(y, dtype=object)
    rows = ~pd.isna(y[:, :k]).any(axis=1)
    if not rows.any():
        return float("nan")
    proba = Probabilities.of_outputs(estimator.predict_proba(_safe_indexing(X, rows)), estimator.classes_)
    predicted = product_decisions(proba.products.to_numpy(), proba.stability.to_numpy())
    return float(f1_score(y[rows, :k].astype(int), predicted.astype(int), average="micro", zero_division=0))


def score(targets: pd.DataFrame, proba: Probabilities) -> dict[str, dict[str, float]]:
    """Each target scored on the records that state it: products where products are reported or the
    interface is stable (nothing forms), stability where given, modes where any is reported."""
    targets = targets.reset_index(drop=True)
    known = stated(targets)
    has_products, has_stability, has_modes = known["products"], known["stability"], known["degradation_modes"]
    products, modes = proba.products[has_products].to_numpy(), proba.modes[has_modes].to_numpy()
    return {
        "products": multilabel_metrics(binarize(targets["products"][has_products], PRODUCT_CLASSES), products,
                                       product_decisions(products, proba.stability[has_products].to_numpy())),
        "stability": stability_metrics(targets["stability"][has_stability], proba.stability[has_stability]),
        "degradation_modes": multilabel_metrics(binarize(targets["degradation_modes"][has_modes], DEGRADATION_MODES),
                                                modes, modes >= THRESHOLD),
    }
