"""Stability from what the interphase conducts (SPEC §2), and the conformal sets of product classes (SPEC §6)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from degrade_ml.evaluation.calibration import choose_uncertainty, cross_fitted, cross_fitted_coverage, shipped_set_coverage
from degrade_ml.models.uncertainty import conformal_threshold, nonconformity, prediction_sets
from degrade_ml.thermo.conduction import CONDUCTOR, INSULATOR, conduction_rule, interphase_stability, passes_potential


@pytest.mark.parametrize("phase, conduction", [
    ("Li2S", INSULATOR), ("Li3P", INSULATOR), ("LiCl", INSULATOR), ("Li3PO4", INSULATOR), ("Li2SO4", INSULATOR),
    ("P2S5", INSULATOR), ("LiNbO3", INSULATOR), ("Li15Ge4", CONDUCTOR), ("Ge", CONDUCTOR), ("LiIn", CONDUCTOR),
    ("Co9S8", CONDUCTOR), ("NiS2", CONDUCTOR), ("CoP", CONDUCTOR), ("Co3O4", CONDUCTOR), ("C", CONDUCTOR),
    ("LiNiPO4", INSULATOR), ("NiCO3", INSULATOR), ("Ni2SiO4", INSULATOR), ("NiCl2", INSULATOR), ("YClO", INSULATOR),
    ("CoSO4", INSULATOR), ("Li2Mn3NiO8", CONDUCTOR), ("ZnS", INSULATOR), ("ZrS2", INSULATOR), ("Sc2S3", INSULATOR),
    ("TiS2", CONDUCTOR), ("LiZn", CONDUCTOR),
    # an oxide conducts once its metal is reduced below the valence that empties (or fills) its d shell
    ("Li2MoO4", INSULATOR), ("MoO3", INSULATOR), ("MoO2", CONDUCTOR), ("Li4Ti5O12", INSULATOR),
    ("Li7Ti5O12", CONDUCTOR), ("V2O5", INSULATOR), ("VO2", CONDUCTOR), ("Nb2O5", INSULATOR), ("NbO", CONDUCTOR),
    ("ZnO", INSULATOR), ("SrTiO3", INSULATOR), ("Li7La3Zr2O12", INSULATOR),
])
def test_each_phase_has_a_conduction_class_with_a_source(phase, conduction):
    rule = conduction_rule(phase)
    assert rule.conduction == conduction and rule.source


def test_interphase_stability_follows_the_review():
    assert interphase_stability(["Li2S", "Li3P", "LiCl"], True, "Li") == "passivating"  # argyrodite | Li
    assert interphase_stability(["Li2S", "Li3P", "Li15Ge4"], True, "Li") == "continuous"  # LGPS | Li
    assert interphase_stability([], False, "Li") == "stable"
    assert interphase_stability(["Li2S"], False, "Li") == "stable"  # nothing reacts at the potential


def test_the_electrode_itself_is_not_the_interphase_unless_reduced():
    # a delithiated cathode phase is the electrode; Co3O4 from LiCoO2 is a reduced oxide in the interphase
    assert interphase_stability(["CoO2", "S", "P2S5"], True, "LiCoO2") == "passivating"
    assert interphase_stability(["Co3O4", "S"], True, "LiCoO2") == "continuous"
    assert interphase_stability(["LiSi", "Li2S"], True, "Si") == "passivating"  # the lithiated Si anode
    # a Si interlayer on Li: its lithiation is the interlayer, not a conducting interphase
    assert interphase_stability(["LiSi", "Li2S"], True, "Li", "Si") == "passivating"
    assert interphase_stability(["LiSi", "Li2S"], True, "Li") == "continuous"


def test_the_ses_own_metal_reduced_on_an_anode_of_that_metal_is_interphase():
    """Li10SnP2S12 on Sn reduces to Li2S, Li3P and Li–Sn as on Li metal: that Li–Sn conducts through the interphase,
    whatever the anode is made of; Li6PS5Cl, which holds no Sn, leaves the lithiated Sn anode the electrode."""
    assert interphase_stability(["Li2S", "Li3P", "Li17Sn4"], True, "Sn", se="Li10SnP2S12") == "continuous"
    assert interphase_stability(["Li2S", "Li3P", "Li17Sn4"], True, "Sn", se="Li6PS5Cl") == "passivating"
    assert interphase_stability(["CoO2", "S", "P2S5"], True, "LiCoO2", se="Li6PS5Cl") == "passivating"


def test_a_conductor_from_the_ses_dopant_alone_is_too_dilute_to_make_it_continuous():
    """Mo metal from Li7P2.9S10.85Mo0.01 at Li (0.3 % of the cations) leaves the Li2S/Li3P interphase passivating;
    Ge from Li10GeP2S12 (a third of them) makes it continuous, with or without an Sb dopant beside it."""
    assert interphase_stability(["Li2S", "Li3P", "Mo"], True, "Li", se="Li7P2.9S10.85Mo0.01") == "passivating"
    assert interphase_stability(["Li2S", "Li3P", "Li15Ge4"], True, "Li", se="Li10GeP2S12") == "continuous"
    assert interphase_stability(["Li2S", "Li3P", "Li15Ge4", "Li3Sb"], True, "Li",
                                se="Li10Ge(P0.925Sb0.075)2S12") == "continuous"
    assert interphase_stability(["Li2S", "Li3P", "Mo"], True, "Li") == "continuous"  # no SE named: no dopant known


def test_an_se_holding_the_anodes_metal_keeps_reacting_there_as_at_li(predictor):
    result = predictor.predict(pd.DataFrame({"se": ["Li10SnP2S12", "Li10SnP2S12", "Li6PS5Cl", "Li7P2.9S10.85Mo0.01"],
                                             "electrode": ["Sn", "Li", "Sn", "Li"]}))
    assert list(result["stability"]) == ["continuous", "continuous", "passivating", "passivating"]


def test_conformal_threshold_is_the_finite_sample_quantile():
    scores = np.arange(1, 20) / 20  # 19 scores: rank ceil(20 * 0.9) = 18
    assert conformal_threshold(scores, 0.9) == pytest.approx(0.9)
    assert conformal_threshold(scores[:5], 0.9) == 1.0  # too few scores for 90 %: every class
    assert list(nonconformity([[1, 0], [0, 0]], [[0.3, 0.9], [0.2, 0.1]])) == pytest.approx([0.7, 0.0])
    assert prediction_sets([[0.3, 0.0, 0.05]], 0.8).tolist() == [[True, False, False]]


def test_conformal_sets_cover_as_promised_out_of_fold():
    rng = np.random.default_rng(1)
    truth = (rng.random((600, 4)) < 0.3).astype(int)
    proba = np.clip(truth * 0.5 + rng.random((600, 4)) * 0.5, 0.01, 0.99)  # informative, noisy
    folds = np.arange(600) % 6
    measured = cross_fitted_coverage(truth, proba, folds, 0.9)
    assert abs(measured["coverage"] - 0.9) < 0.04
    assert measured["mean_set_size"] < 4  # informative scores give sets smaller than every class
    shipped = choose_uncertainty(truth, proba, folds)
    assert shipped.calibrator == "isotonic"  # the scores separate the classes: isotonic lowers the Brier score most
    assert shipped.sets(proba).shape == proba.shape and 0 <= shipped.threshold < 1
    assert shipped.measured["brier"]["raw"] > 0


def test_set_coverage_is_that_of_the_map_the_product_ships_in_every_scheme():
    """A scheme whose own best map is isotonic is still measured with the map chosen on the shipping scheme."""
    rng = np.random.default_rng(2)
    calibrated = rng.uniform(0.02, 0.98, (300, 4))
    truth = (rng.random(calibrated.shape) < calibrated).astype(int)  # outcomes drawn at p: no map beats raw
    overconfident = np.clip(truth * 0.5 + rng.random(truth.shape) * 0.5, 0.01, 0.99)  # isotonic would help here
    folds = np.arange(300) % 5
    outcomes = {"ship": (truth, calibrated, folds), "other": (truth, overconfident, folds)}
    assert choose_uncertainty(*outcomes["other"]).calibrator == "isotonic"
    shipped, coverage = shipped_set_coverage(outcomes, "ship")
    assert shipped == "none"
    assert coverage["other"] == cross_fitted_coverage(truth, overconfident, folds)
    assert coverage["other"] != cross_fitted_coverage(truth, cross_fitted(truth, overconfident, folds, "isotonic"), folds)


@pytest.mark.parametrize(("coating", "metallic"), [
    ("C", True), ("Si", True), ("In", True), ("Ag0.1C0.9", True),
    ("LiNbO3", False), ("Li2CoTi3O8", False), ("Li3InCl6", False), ("LiF", False),
])
def test_only_a_metallic_interlayer_passes_the_potential_on(coating, metallic):
    assert passes_potential(coating) is metallic
