"""Grouped cross-validation (SPEC §6): no SE formula and no study appears in both train and test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rich.progress import Progress

from degrade_ml.data.load import Dataset, formula_key
from degrade_ml.evaluation.metrics import multilabel_metrics, stability_metrics
from degrade_ml.models.interface_model import Probabilities, binarize, record_inputs, record_targets, stated
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, split_list

SCHEMES: tuple[str, ...] = ("leave_one_se_family_out", "leave_one_electrode_out", "leave_one_study_out")
HEADLINE_SCHEMES: tuple[str, ...] = SCHEMES[:2]
MIN_TRAIN = 10


@dataclass(frozen=True)
class Fold:
    held_out: str
    train: np.ndarray
    test: np.ndarray


def study_of(records: pd.DataFrame) -> pd.Series:
    """The study behind each record: its paper's DOI, else the first review reference it came through."""
    return records["doi"].where(records["doi"] != "", records["review_ref"].map(lambda ref: split_list(ref)[0]))


def grouped_folds(dataset: Dataset, scheme: str) -> list[Fold]:
    """Hold out one SE family (or one electrode) at a time, then purge from training every record that
    shares an SE formula or a study with the test fold."""
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
    folds = []
    for group in sorted(held.unique()):
        test = held == group
        leaking = se.isin(set(se[test])) | study.isin(set(study[test]))
        train = ~test & ~leaking
        if train.sum() >= MIN_TRAIN:
            folds.append(Fold(str(group), np.flatnonzero(train), np.flatnonzero(test)))
    return folds


@dataclass
class OutOfFold:
    """Pooled out-of-fold probabilities of one model under one scheme (rows in record order)."""

    index: np.ndarray
    proba: Probabilities


def cross_validate_models(
    dataset: Dataset, factories: dict[str, Callable[[], object]], schemes: tuple[str, ...] = SCHEMES,
    show_progress: bool = False, labels: str = "stated",
) -> tuple[dict, dict]:
    """`{target: {scheme: {model: {metric: value}}}}` and the pooled out-of-fold predictions behind it.
    Every model sees the same folds; `labels` picks the label basis trained on and scored (SPEC §6)."""
    records = dataset.labelled(labels).reset_index(drop=True)
    inputs, targets = record_inputs(records), record_targets(records)
    fold_lists = {scheme: grouped_folds(dataset, scheme) for scheme in schemes}
    total = sum(len(f) for f in fold_lists.values()) * len(factories)
    results: dict = {"products": {}, "stability": {}, "degradation_modes": {}}
    predictions: dict = {}
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("grouped cross-validation", total=total)
        for scheme, folds in fold_lists.items():
            for name, make in factories.items():
                oof = _out_of_fold(make, folds, inputs, targets, lambda: progress.advance(task))
                predictions[(scheme, name)] = oof
                for target, value in score(records.iloc[oof.index], oof.proba).items():
                    results[target].setdefault(scheme, {})[name] = value
    return results, predictions


def _out_of_fold(make, folds: list[Fold], inputs: pd.DataFrame, targets: pd.DataFrame, tick) -> OutOfFold:
    parts, index = [], []
    for fold in folds:
        model = make().fit(inputs.iloc[fold.train].reset_index(drop=True), targets.iloc[fold.train].reset_index(drop=True))
        parts.append(model.predict_proba_all(inputs.iloc[fold.test].reset_index(drop=True)))
        index.append(fold.test)
        tick()
    return OutOfFold(
        index=np.concatenate(index),
        proba=Probabilities(*(pd.concat([getattr(p, f) for p in parts], ignore_index=True) for f in ("products", "stability", "modes"))),
    )


def score(records: pd.DataFrame, proba: Probabilities) -> dict[str, dict[str, float]]:
    """Each target scored on the records that state it: products where products are reported or the
    interface is stable (nothing forms), stability where given, modes where any is reported."""
    records = records.reset_index(drop=True)
    known = stated(records)
    has_products, has_stability, has_modes = known["products"], known["stability"], known["degradation_modes"]
    return {
        "products": multilabel_metrics(
            binarize(records["products"][has_products], PRODUCT_CLASSES), proba.products[has_products].to_numpy()
        ),
        "stability": stability_metrics(records["stability"][has_stability], proba.stability[has_stability]),
        "degradation_modes": multilabel_metrics(
            binarize(records["degradation_modes"][has_modes], DEGRADATION_MODES), proba.modes[has_modes].to_numpy()
        ),
    }
