"""One typed front door: scikit-learn's estimator contract for the model and baselines, Python values out of the
predictor, and SPEC §4 strings only at the edges (CSV, pyfunc, Spark)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import cross_validate

from degrade_ml.evaluation.cv import PurgedGroupOut, product_micro_f1, scheme_split
from degrade_ml.models import (
    ChemistryRuleBaseline, MajorityBaseline, ThermoBaseline, interface_model, record_inputs, record_targets, target_array,
    with_featurizer,
)
from degrade_ml.io.spec_strings import as_spec_strings
from degrade_ml.models.targets import Probabilities, product_decisions
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES, STABILITY_CLASSES

QUERIES = pd.DataFrame({"se_formula": ["Li6PS5Cl", "Li10GeP2S12"], "electrode_formula": ["LiNi0.8Mn0.1Co0.1O2", "Li"],
                        "coating_formula": ["LiNbO3", ""], "electrode_role": ["cathode", "anode"],
                        "voltage_V": [4.3, np.nan], "temperature_C": [np.nan, np.nan], "pressure_MPa": [np.nan, np.nan],
                        "potential_V": [4.3, 0.0]})


@pytest.mark.parametrize("pipeline", [interface_model(n_estimators=10), with_featurizer(ChemistryRuleBaseline(columns="interface")),
                                      with_featurizer(ThermoBaseline(columns="interface")), MajorityBaseline()])
def test_pipelines_answer_query_rows_with_one_array_per_output(pipeline, dataset):
    """scikit-learn's multi-output contract: y one column per product class, stability and mode; one probability array
    per output; the typed probabilities built from them outside the estimator."""
    assert is_classifier(pipeline)
    with pytest.raises(NotFittedError):
        pipeline.predict_proba(QUERIES)
    records = dataset.labelled("stated")
    y = target_array(record_targets(records))
    assert y.shape == (len(records), len(PRODUCT_CLASSES) + 1 + len(DEGRADATION_MODES))
    fitted = clone(pipeline).fit(record_inputs(records), y)
    arrays = fitted.predict_proba(QUERIES)
    assert [a.shape for a in arrays] == [(2, len(classes)) for classes in fitted.classes_]
    stability_classes = fitted.classes_[len(PRODUCT_CLASSES)]
    assert sorted(stability_classes) == sorted(STABILITY_CLASSES)  # every class stated in the records
    proba = Probabilities.of_outputs(arrays, fitted.classes_)
    products, stability = proba.products.to_numpy(), proba.stability.to_numpy()
    assert np.allclose(stability.sum(axis=1), 1.0) and proba.modes.shape == (2, len(DEGRADATION_MODES))
    labels = fitted.predict(QUERIES)
    assert labels.shape == (2, y.shape[1])
    assert list(labels[:, len(PRODUCT_CLASSES)]) == [STABILITY_CLASSES[i] for i in stability.argmax(axis=1)]
    if not isinstance(pipeline, MajorityBaseline):  # products told in one story with stability
        assert np.array_equal(labels[:, :len(PRODUCT_CLASSES)].astype(int), product_decisions(products, stability))


def test_products_tell_the_same_story_as_stability():
    """Stable: nothing forms, however likely a class; reacting: every class with P(class | reaction) ≥ 0.5."""
    stable, passivating, continuous = (STABILITY_CLASSES.index(k) for k in ("stable", "passivating", "continuous"))
    stability = np.zeros((3, 3))
    stability[0, [stable, passivating, continuous]] = (0.6, 0.3, 0.1)  # answered stable
    stability[1, [stable, passivating, continuous]] = (0.2, 0.3, 0.5)  # reacts: a class is listed from p = 0.4
    stability[2, [stable, passivating, continuous]] = (0.0, 0.0, 1.0)  # certainly reacts: from p = 0.5
    products = np.zeros((3, len(PRODUCT_CLASSES)))
    products[:, :3] = [[0.9, 0.0, 0.0], [0.41, 0.39, 0.0], [0.5, 0.49, 0.0]]
    expected = np.zeros(products.shape, dtype=bool)
    expected[1, 0] = expected[2, 0] = True
    assert np.array_equal(product_decisions(products, stability), expected)
    listed = Probabilities.of([products, stability, np.zeros((3, len(DEGRADATION_MODES)))]).labels()["products"]
    assert list(listed) == [[], [PRODUCT_CLASSES[0]], [PRODUCT_CLASSES[0]]]


def test_what_reacts_lists_its_most_probable_classes_when_none_is_likely():
    """Spread over several classes (Li3PS4 | LiCoO2 at 4.2 V: each 0.36 of a 0.83 reaction), no class reaches 0.5
    given the reaction: the tied most probable ones are listed, never "nothing" beside `continuous`."""
    stable, continuous = STABILITY_CLASSES.index("stable"), STABILITY_CLASSES.index("continuous")
    stability = np.zeros((2, len(STABILITY_CLASSES)))
    stability[:, [stable, continuous]] = [(0.17, 0.83), (0.8, 0.2)]
    products = np.zeros((2, len(PRODUCT_CLASSES)))
    products[:, 4:10] = [0.36, 0.36, 0.36, 0.36, 0.36, 0.19]
    expected = np.zeros(products.shape, dtype=bool)
    # the tied classes thermodynamics names (not the 0.19 one, and nothing where the answer is stable); the tied
    # polysulfides, which only the rule names, are listed by their own probability, not as the most probable
    expected[0, [PRODUCT_CLASSES.index(k) for k in ("S", "P2Sx", "POx", "SOx")]] = True
    assert np.array_equal(product_decisions(products, stability), expected)


def test_polysulfides_the_rule_expects_are_listed_beside_what_the_oxidation_forms():
    """Li6PS5Cl | NMC811: p(Li2Sn) blended with the rule reaches the threshold; S, P2Sx and POx, at 0.33 each of a
    0.8 reaction, are still listed as its most probable classes, where a listed Li2Sn had taken their place."""
    stable, passivating = STABILITY_CLASSES.index("stable"), STABILITY_CLASSES.index("passivating")
    stability = np.zeros((1, len(STABILITY_CLASSES)))
    stability[0, [stable, passivating]] = (0.2, 0.8)
    products = np.zeros((1, len(PRODUCT_CLASSES)))
    for key, p in (("Li2Sn", 0.55), ("S", 0.33), ("P2Sx", 0.33), ("POx", 0.33), ("LiX", 0.2)):
        products[0, PRODUCT_CLASSES.index(key)] = p
    listed = Probabilities.of([products, stability, np.zeros((1, len(DEGRADATION_MODES)))]).labels()["products"]
    assert list(listed) == [["S", "Li2Sn", "P2Sx", "POx"]]


def test_the_model_reads_thermodynamics_from_its_query_rows(dataset):
    records = dataset.labelled("stated")
    model = interface_model(n_estimators=20).fit(record_inputs(records), target_array(record_targets(records)))
    products = dict(zip(PRODUCT_CLASSES, model.predict(QUERIES)[:, :len(PRODUCT_CLASSES)].T))
    assert products["Li_M_alloy"][1] and products["Li2S"][1]  # LGPS | Li
    assert not products["Li_M_alloy"][0]  # a coated cathode holds no reducible metal contact


def test_sklearn_cross_validate_runs_the_purged_folds(dataset):
    records = dataset.labelled("stated").reset_index(drop=True)
    splitter, groups = scheme_split(dataset, "leave_one_se_family_out")
    run = cross_validate(with_featurizer(ChemistryRuleBaseline(columns="interface")), record_inputs(records), target_array(record_targets(records)),
                         groups=groups, cv=splitter, scoring=product_micro_f1, return_indices=True)
    se = records["se_formula"].to_numpy()
    for train, test in zip(run["indices"]["train"], run["indices"]["test"]):
        assert len(set(groups[test])) == 1 and not set(se[train]) & set(se[test])
    assert len(run["test_score"]) == splitter.get_n_splits(groups=groups) >= 4
    assert np.nanmax(run["test_score"]) > 0  # product micro-F1 of the rule on some held-out family


def test_purged_group_out_drops_training_rows_that_share_a_purge_key():
    groups = np.array(["a", "a", "b", "b", "c", "c"])
    study = np.array(["s1", "s2", "s1", "s3", "s4", "s4"])
    folds = list(PurgedGroupOut(purge=(study,), min_train=1).split(None, groups=groups))
    first_train, first_test = folds[0]
    assert list(first_test) == [0, 1] and list(first_train) == [3, 4, 5]  # row 2 shares study s1 with the test rows
    stricter = PurgedGroupOut(purge=(study,), min_train=4)
    assert stricter.skipped(groups) == [("a", 2, 3), ("b", 2, 3)]  # named in the report, not silently dropped
    assert stricter.get_n_splits(groups=groups) == 1
    with pytest.raises(ValueError, match="groups"):
        next(PurgedGroupOut().split(None))


def test_predictions_are_python_values_and_strings_only_at_the_edge(predictor):
    queries = pd.DataFrame({"se": ["LPSCl", "Li7La3Zr2O12", "LPSCl"], "electrode": ["NMC811", "Li", "Unobtainium"],
                            "voltage_V": [4.3, None, None]})
    typed = predictor.predict(queries)
    answered, abstained, failed = (typed.iloc[i] for i in range(3))
    assert isinstance(answered["products"], list) and isinstance(answered["warnings"], list)
    assert answered["in_domain"] is True and isinstance(answered["p_stable"], float)
    assert answered["stability"] in STABILITY_CLASSES and isinstance(answered["thermo_products"], list)
    assert abstained["in_domain"] is False and abstained["products"] is None and np.isnan(abstained["p_stable"])
    assert failed["error"] and failed["products"] is None and failed["in_domain"] is None
    cells = as_spec_strings(typed)
    assert cells.loc[0, "products"] == ";".join(answered["products"]) and cells.loc[0, "in_domain"] == "true"
    assert cells.loc[1, "in_domain"] == "false" and cells.loc[1, "products"] == "" and cells.loc[2, "in_domain"] == ""
    assert cells.loc[0, "warnings"] == "; ".join(answered["warnings"])
    assert as_spec_strings(cells).equals(cells)  # already SPEC cells (the pyfunc's output) stay as they are
    assert queries.equals(typed[queries.columns])  # input columns pass through untouched
