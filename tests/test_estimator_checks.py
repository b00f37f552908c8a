"""scikit-learn's own estimator checks on every estimator of the model, each departure named with its reason.

- Every estimator runs the checks scikit-learn's generator gives it (those of `parametrize_with_checks`, taken from the
  same generator so that the two that do not apply are named instead of skipped), on the data the checks generate:
  the label forest that learns the product and mode heads, the applicability domain, the heads and the three
  baselines (multi-output classifiers, `models.outputs`). The heads and the rule and thermodynamic baselines read
  expectation columns at the positions of their `columns`; generated data has none, so they run with `columns=None`:
  the heads as one plain forest per output, a baseline that reads nothing and so expects every class equally.
- The featurizer declares what it reads (a table of formula strings, not a numeric 2-D array), so scikit-learn's
  generator gives it only the cloning check: it runs the checks that need no data, and the contract on real rows.
- On the records, with the featurizer's columns, the heads and baselines keep the same contract.
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

from degrade_ml.features.featurizer import InterfaceFeaturizer, block
from degrade_ml.models import ChemistryRuleBaseline, InterfaceHeads, MajorityBaseline, ThermoBaseline, interface_model
from degrade_ml.models.domain import ApplicabilityDomain
from degrade_ml.models.heads import LabelForest
from degrade_ml.models.targets import Probabilities, record_inputs, record_targets, target_array
from degrade_ml.vocab import PRODUCT_CLASSES

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


# each as constructed by default (no column layout: a generic multi-output classifier over any X)
CHECKED = [LabelForest(n_estimators=5), PRODUCT_HEAD, ApplicabilityDomain(), InterfaceHeads(n_estimators=5),
           MajorityBaseline(), ChemistryRuleBaseline(), ThermoBaseline(), InterfaceFeaturizer()]


@pytest.mark.parametrize("estimator, check", applicable_checks(CHECKED), ids=_check_id)
def test_estimators_pass_scikit_learns_checks(estimator, check):
    check(estimator)


def test_every_multi_output_estimator_runs_the_classifier_checks():
    """The generator gives each of them scikit-learn's whole classifier suite, multi-output and multi-label checks
    included (not only the checks that need no data)."""
    for estimator in CHECKED[3:7]:
        names = {check_name(check) for _, check in estimator_checks_generator(estimator)}
        assert {"check_classifiers_train", "check_classifier_multioutput", "check_classifiers_classes",
                "check_classifiers_multilabel_output_format_predict_proba", "check_estimators_pickle"} <= names
        assert len(names) >= 45, type(estimator).__name__


# ... and as the product configures them, reading the featurizer's columns
NAMED_INPUT = [InterfaceFeaturizer(), InterfaceHeads(n_estimators=5, columns="interface"), MajorityBaseline(),
               ChemistryRuleBaseline(columns="interface"), ThermoBaseline(columns="interface"), interface_model(n_estimators=5)]
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


def test_the_featurizer_checks_its_rows_and_takes_an_array_in_column_order(dataset):
    rows = record_inputs(dataset.labelled("stated")).head(3)
    featurizer = InterfaceFeaturizer()
    assert np.array_equal(featurizer.transform(rows.to_numpy()), featurizer.transform(rows), equal_nan=True)
    for column, value, message in (("electrode_role", "catode", "electrode_role 'catode' must be one of"),
                                   ("voltage_V", "4.3V", "voltage_V '4.3V' must be a number"),
                                   ("se_formula", "", "se_formula '' needs a formula")):
        bad = rows.copy().astype({column: object})
        bad.loc[bad.index[1], column] = value
        with pytest.raises(ValueError, match=f"interface row 1: {message}"):
            featurizer.fit(bad)
    with pytest.raises(ValueError, match="takes a DataFrame or a 2-D array of the 8 columns"):
        featurizer.transform(rows.to_numpy()[:, :7])


@pytest.fixture(scope="module")
def records(dataset):
    """The stated records as the featurizer's matrix and the estimators' y, featurized once for this module."""
    rows = dataset.labelled("stated").reset_index(drop=True)
    return InterfaceFeaturizer().transform(record_inputs(rows)), target_array(record_targets(rows))


@pytest.mark.parametrize("estimator", NAMED_INPUT[1:5], ids=lambda estimator: type(estimator).__name__)
def test_heads_and_baselines_keep_the_contract_on_the_records(estimator, records):
    """What scikit-learn's checks ask, on the data and with the columns these estimators are made for."""
    features, y = records
    assert any(value is None for value in y[:, len(PRODUCT_CLASSES)])  # records that state no stability
    with pytest.raises(NotFittedError):
        clone(estimator).predict_proba(features)
    fitted = clone(estimator)
    assert fitted.fit(features, y) is fitted
    proba = fitted.predict_proba(features)
    assert len(proba) == len(fitted.classes_) == y.shape[1]
    assert [p.shape for p in proba] == [(len(features), len(classes)) for classes in fitted.classes_]
    assert all(np.allclose(p.sum(axis=1), 1.0) for p in proba)
    assert fitted.predict(features).shape == y.shape
    again = pickle.loads(pickle.dumps(fitted)).predict_proba(features)
    refit = clone(estimator).fit(features, y).predict_proba(features)
    order = np.random.default_rng(0).permutation(len(features))
    shuffled = fitted.predict_proba(features[order])
    for j in range(y.shape[1]):
        assert np.array_equal(again[j], proba[j]) and np.array_equal(refit[j], proba[j])
        assert np.allclose(shuffled[j], proba[j][order])  # each row answered alone
    if not isinstance(fitted, MajorityBaseline):  # the majority reads no feature, so it takes any rows
        with pytest.raises(ValueError, match="X has 10 features"):
            clone(estimator).fit(features[:, :10], y)
        with pytest.raises(ValueError, match="y has 2 output"):
            clone(estimator).fit(features, y[:, :2])
        unknown = y.copy()
        unknown[0, len(PRODUCT_CLASSES)] = "unstable"
        with pytest.raises(ValueError, match=r"output 12 holds \['unstable'\]"):
            clone(estimator).fit(features, unknown)


def test_the_rule_baseline_answers_what_its_columns_hold(records):
    features, y = records
    proba = Probabilities.of_outputs(*_answer(ChemistryRuleBaseline(columns="interface"), features, y))
    assert np.array_equal(proba.products.to_numpy(), block(features, "rule products"))
    assert np.array_equal(proba.stability.to_numpy(), block(features, "rule stability"))
    thermo = Probabilities.of_outputs(*_answer(ThermoBaseline(columns="interface"), features, y))
    assert np.array_equal(thermo.products.to_numpy(), block(features, "thermo products"))
    assert np.array_equal(thermo.modes.to_numpy(), block(features, "rule modes"))


def _answer(estimator, features, y):
    fitted = estimator.fit(features, y)
    return fitted.predict_proba(features), fitted.classes_


def test_an_unlabelled_entry_is_left_out_of_its_output_only():
    """None marks an entry a record does not state: that output learns without the row, the others with it."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = np.column_stack([(X[:, 0] > 0).astype(int), np.where(X[:, 1] > 0, "high", "low")]).astype(object)
    y[:, 0] = y[:, 0].astype(int)
    unlabelled = y.copy()
    unlabelled[:10, 1] = None
    for estimator in (InterfaceHeads(n_estimators=5), MajorityBaseline()):
        with_gaps = clone(estimator).fit(X, unlabelled)
        first = clone(estimator).fit(X, y[:, 0])
        second = clone(estimator).fit(X[10:], y[10:, 1])
        assert [list(c) for c in with_gaps.classes_] == [[0, 1], ["high", "low"]]
        proba = with_gaps.predict_proba(X)
        assert np.array_equal(proba[0], first.predict_proba(X))
        assert np.array_equal(proba[1], second.predict_proba(X))
    with pytest.raises(ValueError, match="NaN"):
        MajorityBaseline().fit(X, np.where(X[:, 0] > 0, 1.0, np.nan))
