"""The window-edge regressor: a deterministic covered series, folds that never share a chemical system, out-of-fold
predictions made only by models that did not see the system, and a model that learns something the mean does not."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from pymatgen.core import Composition

from degrade_ml.experiments import window_regression as wr
from degrade_ml.experiments import window_series

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_window_regression")]  # module fixtures built once, on one worker

# A small, varied subset: sulfide systems, oxides and halides, so the test runs in seconds.
SUBSET_SYSTEMS = {"Li-P-S", "Cl-Li-P-S", "Ge-Li-P-S", "Li-O-P-S", "Li-S-Si", "Ge-Li-S", "Li-S-Sn", "B-Li-S",
                  "Li-O-P", "Li-O-Si", "B-Li-O", "Al-Li-O", "Li-Nb-O", "Li-O-Ti", "Ge-Li-O", "Li-O-Si-P",
                  "Cl-Li", "Br-Li", "Cl-In-Li", "Al-Cl-Li", "Li-S"}


@pytest.fixture(scope="module")
def series(engine):
    return window_series.composition_series(engine)


@pytest.fixture(scope="module")
def subset(engine, series):
    formulas = [f for f in series if window_series.chemsys(f) in SUBSET_SYSTEMS]
    targets = wr.window_targets(engine, formulas, progress=False)
    features = wr.CompositionFeatures()
    X = wr.featurize(targets["formula"].tolist(), features)
    scores = {edge: wr.score_edge(X, targets[col].to_numpy(), targets["chemsys"].to_numpy(), edge, n_splits=4)
              for edge, col in wr.EDGES.items()}
    return SimpleNamespace(targets=targets, X=X, features=features, scores=scores)


def test_series_is_deterministic_covered_and_parses(engine, series):
    assert series == window_series.composition_series(engine)
    assert 200 <= len(series) <= 400
    keys = set()
    for formula in series:
        composition = Composition(formula, strict=True)
        assert "Li" in {str(el) for el in composition.elements}, formula
        assert {str(el) for el in composition.elements} <= engine.elements, formula
        keys.add(tuple(sorted((str(el), round(float(x), 5)) for el, x in composition.fractional_composition.items())))
    assert len(keys) == len(series), "a composition appears twice under two spellings"
    for se in ("Li3PS4", "Li7P3S11", "Li6PS5Cl", "Li6PS5Br", "Li6PS5I", "Li10GeP2S12", "Li10SiP2S12", "Li10SnP2S12",
               "Li4GeS4", "Li3PO4", "LiNbO3", "Li3InCl6"):
        assert se in series
    # O-for-S and halide pseudo-binaries are there, not only the parents
    assert any(window_series.chemsys(f) == "Li-O-P-S" for f in series)
    assert sum(window_series.chemsys(f) == "I-Li-P-S" for f in series) >= 10


def test_series_keeps_to_the_elements_the_table_covers(engine):
    without_ge = SimpleNamespace(elements=engine.elements - {"Ge"})
    formulas = window_series.composition_series(without_ge)
    assert formulas and not any("Ge" in Composition(f) for f in formulas)
    assert len(formulas) < len(window_series.composition_series(engine))


def test_chemsys_is_the_sorted_element_set():
    assert window_series.chemsys("Li6PS5Cl") == "Cl-Li-P-S"
    assert window_series.chemsys("Li10GeP2S12") == window_series.chemsys("Li9.5Ge0.5P2.5S12") == "Ge-Li-P-S"


def test_grouped_folds_never_share_a_chemical_system(series):
    groups = np.array([window_series.chemsys(f) for f in series])
    X = np.zeros((len(series), 1))
    seen = np.zeros(len(series), dtype=int)
    for train, test in wr.grouped_cv(groups).split(X, groups=groups):
        assert not set(groups[train]) & set(groups[test])
        seen[test] += 1
    assert (seen == 1).all()


def test_more_li2s_never_raises_the_reduction_limit(engine):
    """Along x Li2S + (1 - x) P2S5 the engine's reduction limit falls (or stays) as the SE gets Li-richer."""
    limits = [engine.window(window_series._name(window_series._mix((x, "Li2S"), (1 - x, "P2S5")))).reduction_limit_V
              for x in window_series._grid(0.5, 0.9, 0.05)]
    assert all(b <= a + 0.005 for a, b in zip(limits, limits[1:])), limits
    assert limits[0] - limits[-1] > 0.3  # the series crosses Li3PS4: P-S-rich phases reduce far earlier


def test_window_targets_are_finite_and_ordered(subset):
    targets = subset.targets
    assert len(targets) > 50 and targets["chemsys"].nunique() >= 10
    assert np.isfinite(targets[["reduction_V", "oxidation_V"]].to_numpy()).all()
    assert (targets["reduction_V"] <= targets["oxidation_V"]).all()
    assert (targets[["reduction_V", "oxidation_V"]] <= wr.MAX_PLAUSIBLE_V).all().all()


def test_out_of_fold_predictions_come_from_models_blind_to_that_system(subset):
    groups = subset.targets["chemsys"].to_numpy()
    for edge, column in wr.EDGES.items():
        score = subset.scores[edge]
        y = subset.targets[column].to_numpy()
        assert np.isfinite(score.oof).all() and len(score.oof) == len(y)
        for (train, test), estimator in zip(score.folds, score.estimators):
            assert not set(groups[train]) & set(groups[test])
            np.testing.assert_allclose(score.oof[test], estimator.predict(subset.X[test]))
            # the same seeded pipeline refit on the training rows alone gives the same predictions
            refit = wr.make_regressor().fit(subset.X[train], y[train])
            np.testing.assert_allclose(score.oof[test], refit.predict(subset.X[test]))


def test_regressor_beats_the_mean_on_the_oxidation_edge(subset):
    score = subset.scores["oxidation"]
    assert score.model["mae_pooled"] < score.baseline["mae_pooled"]
    assert score.model["r2_pooled"] > score.baseline["r2_pooled"]
    for metrics in (score.model, score.baseline):
        assert set(metrics) == {"r2_mean", "r2_std", "mae_mean", "mae_std", "r2_pooled", "mae_pooled"}
        assert all(np.isfinite(v) for v in metrics.values())


def test_oxides_are_predicted_to_oxidise_later_than_sulfides(subset):
    """Trained without Li-P-O and Li-P-S, the model still puts Li3PO4's oxidation limit above Li3PS4's."""
    targets = subset.targets
    keep = ~targets["chemsys"].isin({"Li-O-P", "Li-P-S"}).to_numpy()
    model = wr.make_regressor().fit(subset.X[keep], targets["oxidation_V"].to_numpy()[keep])
    oxide, sulfide = model.predict(wr.featurize(["Li3PO4", "Li3PS4"], subset.features))
    assert oxide > sulfide + 0.5


def test_published_ses_are_predicted_without_their_systems(engine, subset):
    rows = wr.predict_held_out_ses(engine, subset.targets, subset.X, subset.features)
    excluded = {window_series.chemsys(f) for f in wr.HELD_OUT_SES}
    assert excluded <= set(subset.targets["chemsys"])  # so the exclusion really removes rows
    assert all(r["n_train"] == int((~subset.targets["chemsys"].isin(excluded)).sum()) for r in rows)
    assert [r["formula"] for r in rows] == list(wr.HELD_OUT_SES)
    for r in rows:
        assert 0 <= r["predicted_reduction_V"] < r["predicted_oxidation_V"] < wr.MAX_PLAUSIBLE_V
        assert (r["published_reduction_V"], r["published_oxidation_V"]) == wr.PUBLISHED_WINDOWS[r["formula"]]


def test_a_quantity_is_called_too_thin_to_regress_until_enough_records_carry_it(dataset):
    from dataclasses import replace

    from degrade_ml.evaluation.regression import MIN_VALUES, regression_readiness

    assert "not modelled" in regression_readiness(dataset)["voltage_V"]
    richer = dataset.interfaces.copy()
    richer["voltage_V"] = 4.3
    readiness = regression_readiness(replace(dataset, interfaces=richer))
    assert len(richer) >= MIN_VALUES
    assert readiness["voltage_V"].startswith(f"{len(richer)} values") and "not modelled" not in readiness["voltage_V"]


def test_report_files_on_a_small_series(tmp_path, engine, series):
    formulas = [f for f in series if window_series.chemsys(f) in {"Li-P-S", "Cl-Li-P-S", "Ge-Li-P-S", "Li-O-P", "B-Li-O",
                                                        "Li-S-Si", "Cl-In-Li"}]
    summary = wr.write_report(tmp_path, engine, formulas=formulas, progress=False, n_splits=3)
    text = (tmp_path / wr.REPORT_NAME).read_text()
    payload = json.loads((tmp_path / "window_regression.json").read_text())
    assert payload == summary
    assert (tmp_path / "window_regression.png").stat().st_size > 0
    assert payload["n_compositions"] == len(payload["compositions"]) == len(formulas) - len(payload["skipped"])
    assert payload["n_folds"] == 3 and payload["n_chemsys"] == 7
    assert set(payload["edges"]) == {"reduction", "oxidation"}
    assert "GroupKFold" in text and "Honrao" in text and "Li10GeP2S12" in text
    assert {c["fold"] for c in payload["compositions"]} == {0, 1, 2}
