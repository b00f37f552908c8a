"""scikit-learn's own estimator checks on every estimator of the model, each departure named with its reason.

Two kinds of estimator, two kinds of check:
- estimators of numeric arrays (the label forest that learns the product and mode heads, the applicability domain)
  run scikit-learn's whole suite on the data it generates (the checks `parametrize_with_checks` runs, taken from the
  same generator so that the two that do not apply are named instead of skipped);
- estimators whose input is named (the featurizer reads a table of formulas; the heads and baselines read the
  featurizer's columns by name and learn from typed targets) cannot take that generated data: they run the checks
  that need none, and the same contract on the records themselves.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import (
    check_do_not_raise_errors_in_init_or_set_params, check_estimator_cloneable, check_estimator_repr,
    check_estimator_tags_renamed, check_get_params_invariance, check_mixin_order, check_no_attributes_set_in_init,
    check_parameters_default_constructible, check_set_params, check_valid_tag_types, estimator_checks_generator,
)

from degrade_ml.features.featurizer import InterfaceFeaturizer
from degrade_ml.models import ChemistryRuleBaseline, InterfaceHeads, MajorityBaseline, ThermoBaseline, interface_model
from degrade_ml.models.domain import ApplicabilityDomain
from degrade_ml.models.heads import LabelForest
from degrade_ml.models.targets import record_inputs, record_targets

# a head configured as the product head is: two expectation columns (the rule's, thermodynamics') per label
PRODUCT_HEAD = LabelForest(n_estimators=5, channels=2)
TOO_FEW_COLUMNS = ("the multi-label checks give 5 labels over 2 columns; this head reads 2 expectation columns per "
                   "label after its context, so it refuses X (n_features=2) as too narrow")


def expected_failed_checks(estimator) -> dict[str, str]:
    """Each deliberate departure from scikit-learn's checks, and why."""
    if estimator is PRODUCT_HEAD:
        return {check: TOO_FEW_COLUMNS for check in (
            "check_classifiers_multilabel_representation_invariance",
            "check_classifiers_multilabel_output_format_predict",
            "check_classifiers_multilabel_output_format_predict_proba",
        )}
    return {}


# Checks that do not apply, which scikit-learn would skip while running them: left out here, each with its reason.
NOT_APPLICABLE = {
    "check_array_api_input": "array-API inputs (CuPy, torch tensors) are not an input of these estimators; the check "
                             "runs only with SCIPY_ARRAY_API set and array_api_strict installed",
    "check_classifiers_multilabel_output_format_decision_function": "the heads give probabilities and have no "
                                                                    "decision_function",
}


def check_name(check) -> str:
    while hasattr(check, "func"):  # functools.partial, possibly nested
        check = check.func
    return check.__name__


def applicable_checks(estimators) -> list:
    """scikit-learn's checks of each estimator (expected failures marked xfail), without the ones that do not apply."""
    checks = []
    for estimator in estimators:
        for entry in estimator_checks_generator(estimator, expected_failed_checks=expected_failed_checks(estimator),
                                                mark="xfail"):
            if check_name(getattr(entry, "values", entry)[1]) not in NOT_APPLICABLE:
                checks.append(entry)
    return checks


def _check_id(value) -> str:
    return repr(value) if hasattr(value, "get_params") else check_name(value)


@pytest.mark.parametrize("estimator, check", applicable_checks([LabelForest(n_estimators=5), PRODUCT_HEAD,
                                                                ApplicabilityDomain()]), ids=_check_id)
def test_array_estimators_pass_scikit_learns_checks(estimator, check):
    check(estimator)


NAMED_INPUT = [InterfaceFeaturizer(), InterfaceHeads(n_estimators=5), MajorityBaseline(), ChemistryRuleBaseline(),
               ThermoBaseline(), interface_model(n_estimators=5)]
DATA_FREE_CHECKS = [check_estimator_cloneable, check_estimator_tags_renamed, check_valid_tag_types, check_estimator_repr,
                    check_no_attributes_set_in_init, check_mixin_order, check_parameters_default_constructible,
                    check_get_params_invariance, check_set_params, check_do_not_raise_errors_in_init_or_set_params]


@pytest.mark.parametrize("check", DATA_FREE_CHECKS, ids=lambda check: check.__name__)
@pytest.mark.parametrize("estimator", NAMED_INPUT, ids=lambda estimator: type(estimator).__name__)
def test_named_input_estimators_pass_the_checks_that_need_no_data(estimator, check):
    check(type(estimator).__name__, estimator)


def test_the_featurizer_declares_its_input_and_needs_no_fit():
    tags = InterfaceFeaturizer().__sklearn_tags__()
    assert not tags.requires_fit and tags.input_tags.string and not tags.input_tags.two_d_array


@pytest.fixture(scope="module")
def records(dataset):
    """The stated records as the featurizer's matrix and typed targets, featurized once for this module."""
    rows = dataset.labelled("stated").reset_index(drop=True)
    return InterfaceFeaturizer().transform(record_inputs(rows)), record_targets(rows)


@pytest.mark.parametrize("estimator", NAMED_INPUT[1:5], ids=lambda estimator: type(estimator).__name__)
def test_heads_and_baselines_keep_the_contract_on_the_records(estimator, records):
    """What scikit-learn's checks ask, on the data these estimators are made for."""
    features, targets = records
    with pytest.raises(NotFittedError):
        clone(estimator).predict_proba(features)
    fitted = clone(estimator)
    assert fitted.fit(features, targets) is fitted
    proba = fitted.predict_proba(features)
    assert [p.shape for p in proba] == [(len(features), len(keys)) for keys in fitted.classes_]
    assert np.allclose(proba[1].sum(axis=1), 1.0)
    again = pickle.loads(pickle.dumps(fitted)).predict_proba(features)
    refit = clone(estimator).fit(features, targets).predict_proba(features)
    order = np.random.default_rng(0).permutation(len(features))
    shuffled = fitted.predict_proba(features[order])
    for head in range(3):
        assert np.array_equal(again[head], proba[head]) and np.array_equal(refit[head], proba[head])
        assert np.allclose(shuffled[head], proba[head][order])  # each row answered alone
    if not isinstance(fitted, MajorityBaseline):  # the majority reads no feature, so it takes any rows
        with pytest.raises(ValueError, match="606 features"):
            fitted.predict_proba(features[:, :10])
