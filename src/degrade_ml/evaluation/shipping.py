"""The predictor as shipped (`degrade-ml export`, training runs): trained on every stated label, with the product
probability map and conformal threshold chosen on its own out-of-fold predictions across SE families."""

from __future__ import annotations

import numpy as np

from degrade_ml.data.load import Dataset
from degrade_ml.evaluation.calibration import choose_uncertainty
from degrade_ml.evaluation.cv import OutOfFold, out_of_fold, scheme_split
from degrade_ml.models.pipeline import interface_model
from degrade_ml.models.targets import binarize, record_inputs, record_targets, stated
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.models.uncertainty import Uncertainty
from degrade_ml.vocab import PRODUCT_CLASSES

SHIPPING_SCHEME = "leave_one_se_family_out"  # new chemistry is what a user asks about


def product_outcomes(targets, oof: OutOfFold) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(truth, probabilities, fold) of the out-of-fold rows that state products."""
    rows = targets.iloc[oof.index].reset_index(drop=True)
    mask = stated(rows)["products"]
    return (binarize(rows["products"][mask], PRODUCT_CLASSES), oof.proba.products[mask].to_numpy(),
            oof.folds[mask])


def shipped_uncertainty(dataset: Dataset, model_params: dict | None = None) -> Uncertainty:
    """Out-of-fold predictions across SE families of a model with these parameters, and the map and sets they give."""
    records = dataset.labelled("stated").reset_index(drop=True)
    targets = record_targets(records)
    splitter, groups = scheme_split(dataset, SHIPPING_SCHEME)
    oof = out_of_fold(interface_model(**(model_params or {})), record_inputs(records), targets, splitter, groups)
    return choose_uncertainty(*product_outcomes(targets, oof))


def with_uncertainty(predictor: InterfacePredictor, uncertainty: Uncertainty | None) -> InterfacePredictor:
    """The predictor carrying the map and sets, and what was measured to choose them in its metadata (unchanged when
    no out-of-fold predictions chose any)."""
    if uncertainty is None:
        return predictor
    predictor.uncertainty = uncertainty
    predictor.metadata["uncertainty"] = {"scheme": SHIPPING_SCHEME, "calibrator": uncertainty.calibrator,
                                         "conformal_threshold": uncertainty.threshold,
                                         "coverage_target": uncertainty.coverage, **uncertainty.measured}
    return predictor


def train_shipped(dataset: Dataset, **model_params) -> InterfacePredictor:
    """InterfacePredictor.train, then its product probability map and conformal sets (SPEC §6)."""
    return with_uncertainty(InterfacePredictor.train(dataset, **model_params), shipped_uncertainty(dataset, model_params))
