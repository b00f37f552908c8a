"""What the heads learn and answer, in the project's types: the records as query rows and typed targets, the
multi-output y the estimators take (`target_array`), and the typed probabilities the predictor and the evaluation
build from the estimators' per-output arrays (`Probabilities.of_outputs`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.preprocessing import MultiLabelBinarizer

from degrade_ml.features.featurizer import INPUT_COLUMNS
from degrade_ml.rows import flagged_keys
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES, split_list

THRESHOLD = 0.5
# product classes only the chemistry rule names: polysulfides lie above the Li2S–S tie line, so thermodynamics never
# forms them, and every record that reports them is an argyrodite's, so no fold that holds the argyrodites out learns
# them (`models.heads.with_rule_only`)
RULE_ONLY_PRODUCTS: tuple[str, ...] = ("Li2Sn",)
HEADS: tuple[str, ...] = ("products", "stability", "modes")  # the order of the heads' arrays
# the outputs of the estimators' y (`target_array`), in order: one per product class, stability, one per mode
OUTPUTS: tuple[str, ...] = (*PRODUCT_CLASSES, "stability", *DEGRADATION_MODES)
CLASSES: tuple[tuple[str, ...], ...] = (PRODUCT_CLASSES, STABILITY_CLASSES, DEGRADATION_MODES)


@dataclass
class Probabilities:
    """Per-row probabilities of every product class, stability class and degradation mode."""

    products: pd.DataFrame
    stability: pd.DataFrame
    modes: pd.DataFrame

    @classmethod
    def of(cls, arrays: Sequence[np.ndarray]) -> "Probabilities":
        """The heads' arrays (products, stability, modes; columns in vocabulary order) as labelled frames."""
        return cls(*(pd.DataFrame(np.asarray(a, dtype=float), columns=list(keys)) for a, keys in zip(arrays, CLASSES)))

    @classmethod
    def of_outputs(cls, arrays: Sequence[np.ndarray], classes: Sequence[np.ndarray]) -> "Probabilities":
        """An estimator's `predict_proba` (one array per output of `target_array`) and `classes_` as labelled frames:
        P(present) of every product class and mode, P of every stability class; 0 for a class the output lacks
        (one no training record showed)."""
        arrays, classes = list(arrays), [np.asarray(c, dtype=object) for c in classes]
        if len(arrays) != len(OUTPUTS):
            raise ValueError(f"expected {len(OUTPUTS)} outputs (products, stability, modes), got {len(arrays)}")
        k = len(PRODUCT_CLASSES)
        present = [_column(a, c, 1) for a, c in zip(arrays, classes)]
        stability = np.column_stack([_column(arrays[k], classes[k], label) for label in STABILITY_CLASSES])
        return cls.of([np.column_stack(present[:k]), stability, np.column_stack(present[k + 1:])])

    def labels(self) -> pd.DataFrame:
        """The typed answer: the most probable stability, the product classes `product_decisions` lists, and the
        modes at p ≥ 0.5."""
        return pd.DataFrame({
            "products": _flagged(self.products, product_decisions(self.products.to_numpy(), self.stability.to_numpy())),
            "stability": self.stability.idxmax(axis=1).astype(object).to_numpy(),
            "degradation_modes": _flagged(self.modes, self.modes.to_numpy() >= THRESHOLD),
        })


def product_decisions(products: np.ndarray, stability: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """(rows, classes) bool: the product classes of the answer, told in one story with its stability. An interface
    answered `stable` forms nothing; one answered to react lists every class at least as likely as not given that it
    reacts, P(class | reaction) = p / (1 − p_stable) ≥ `threshold`, 0.5 (a product forms only where the interface
    reacts).
    Against p ≥ 0.5 alone, out of fold: product micro-F1 0.58 both across SE families, 0.30 against 0.17 across
    electrodes, 0.62 against 0.49 across studies. An interface answered to react with no class that likely lists its
    most probable classes: it forms something, and "nothing" beside `continuous` would tell two stories. Those are
    read among the classes thermodynamics names: the polysulfides the rule expects (`RULE_ONLY_PRODUCTS`) are an
    intermediate on the way to sulfur, listed beside the sulfur, P2Sx and phosphates the oxidation forms, never
    instead of them."""
    stability = np.asarray(stability, dtype=float)
    products = np.asarray(products, dtype=float)
    stable = STABILITY_CLASSES.index("stable")
    reacts = stability.argmax(axis=1) != stable
    decided = reacts[:, None] & (products >= threshold * (1 - stability[:, [stable]]))
    named = ([j for j, key in enumerate(PRODUCT_CLASSES) if key not in RULE_ONLY_PRODUCTS]
             if products.shape[1] == len(PRODUCT_CLASSES) else list(range(products.shape[1])))
    # what reacts forms something: where the probability is spread over several classes and none reaches the
    # threshold, the most probable ones (ties together) are the answer
    undecided = np.flatnonzero(reacts & ~decided[:, named].any(axis=1))
    if len(undecided) and named:
        spread = products[np.ix_(undecided, named)]
        top = spread.max(axis=1, keepdims=True)
        decided[np.ix_(undecided, named)] = (spread > 0) & np.isclose(spread, top, rtol=0, atol=1e-9)
    return decided


def _column(proba: np.ndarray, classes: np.ndarray, label) -> np.ndarray:
    """The probability column of one class of an output, zeros when the output lacks it."""
    where = np.flatnonzero(classes == label)
    return proba[:, where[0]] if len(where) else np.zeros(len(proba))


def _flagged(proba: pd.DataFrame, flagged: np.ndarray) -> list[list[str]]:
    return flagged_keys(flagged, proba.columns)


def record_inputs(interfaces: pd.DataFrame) -> pd.DataFrame:
    """The query view of records: only what a user can state about an interface."""
    return interfaces[list(INPUT_COLUMNS)].copy().reset_index(drop=True)


def record_targets(interfaces: pd.DataFrame) -> pd.DataFrame:
    """Typed targets: product classes and modes as lists, stability as its class or None where not stated."""
    return pd.DataFrame({
        "products": [split_list(cell) for cell in interfaces["products"]],
        "stability": [cell or None for cell in interfaces["stability"]],
        "degradation_modes": [split_list(cell) for cell in interfaces["degradation_modes"]],
    })


def stated(targets: pd.DataFrame) -> dict[str, np.ndarray]:
    """Where the source states each target; an empty list is unknown, not "none".
    Products are stated where any is reported or the interface is stable (nothing forms)."""
    products = targets["products"].map(len).gt(0) | (targets["stability"] == "stable")
    return {
        "products": products.to_numpy(),
        "stability": targets["stability"].notna().to_numpy(),
        "degradation_modes": targets["degradation_modes"].map(len).gt(0).to_numpy(),
    }


def target_array(targets: pd.DataFrame) -> np.ndarray:
    """Typed targets as the estimators' y: (records, OUTPUTS) of object, each product class and mode 0/1, stability
    its class name, and None where the record states nothing (its products, stability or modes: `stated`)."""
    known = stated(targets)
    products = binarize(targets["products"], PRODUCT_CLASSES).astype(object)
    products[~known["products"]] = None
    modes = binarize(targets["degradation_modes"], DEGRADATION_MODES).astype(object)
    modes[~known["degradation_modes"]] = None
    stability = np.where(known["stability"], targets["stability"].to_numpy(dtype=object), None)
    return np.column_stack([products, stability, modes])


def binarize(lists: pd.Series, keys: tuple[str, ...]) -> np.ndarray:
    """Lists of vocabulary keys as a 0/1 matrix, columns in vocabulary order."""
    return MultiLabelBinarizer(classes=list(keys)).fit_transform(list(lists))
