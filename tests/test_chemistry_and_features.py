"""Chemistry rules, concrete phases, featurizer labels and the per-composition cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from degrade_ml.chemistry.formulas import elements_of, parse_formula
from degrade_ml.chemistry.phases import concrete_phases
from degrade_ml.chemistry.rules import (free_sulfide, lithiation_products, oxidation_products, possible_modes,
                                       possible_products, rule_modes)
from degrade_ml.features import ElementGroups, InterfaceFeaturizer, composition
from degrade_ml.features.featurizer import columns, feature_layout
from degrade_ml.models.targets import Probabilities
from degrade_ml.query import model_inputs
from degrade_ml.vocab import DEGRADATION_MODES, PRODUCT_CLASSES

ROWS = pd.DataFrame({
    "se_formula": ["Li6PS5Cl", "Li10GeP2S12", "Li6PS5Cl"],
    "electrode_formula": ["LiNi0.8Mn0.1Co0.1O2", "Li", "Li"],
    "coating_formula": ["LiNbO3", "", ""],
    "electrode_role": ["cathode", "anode", "anode"],
    "voltage_V": [4.3, np.nan, np.nan], "temperature_C": [np.nan, 25.0, np.nan], "pressure_MPa": [np.nan] * 3,
    "potential_V": [4.3, 0.0, 0.0],
})


@pytest.mark.parametrize(
    ("se", "expected"),
    [
        ("Li3PS4", {"Li2S", "Li3P"}),
        ("Li6PS5Cl", {"Li2S", "Li3P", "LiX"}),
        ("Li10GeP2S12", {"Li2S", "Li3P", "Li_M_alloy"}),
        ("Li4SnS4", {"Li2S", "Li_M_alloy"}),  # P-free: no Li3P
    ],
)
def test_lithiation_limit(se, expected):
    assert lithiation_products(parse_formula(se)) == expected


def test_concrete_phases_are_named_from_the_query_elements():
    assert concrete_phases("LiX", "Li6PS5Cl", "Li") == ["LiCl"]
    assert concrete_phases("Li_M_alloy", "Li10GeP2S12", "Li") == ["Li–Ge"]
    # an alloy anode's own lithiation is the electrode, not an interphase product
    assert concrete_phases("Li_M_alloy", "Li10SiP2S12", "LiIn") == ["Li–Si"]
    assert concrete_phases("Li_M_alloy", "Li4SnS4", "Si") == ["Li–Sn"]
    assert concrete_phases("Li_M_alloy", "Li6PS5Cl", "Li", "Ag") == ["Li–Ag"]
    assert concrete_phases("LiX", "Li10GeP2S12", "Li") == []  # no halogen, no halide
    # a lithium halide coating is not a product of its own, unless the SE forms that halide too
    assert concrete_phases("LiX", "Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "LiI") == ["LiCl"]
    assert concrete_phases("LiX", "Li7P2S8I", "Li", "LiI") == ["LiI"]
    assert concrete_phases("LiX", "Li6PS5Cl", "LiCoO2", "Li3InCl6") == ["LiCl"]
    assert concrete_phases("TM_S", "Li6PS5Cl", "LiCoO2") == ["Co–S"]
    assert concrete_phases("TM_reduced", "Li3PS4", "LiNi0.8Mn0.1Co0.1O2", "LiNbO3") == ["Mn3O4", "Co3O4", "NiO (rock-salt)"]
    # the first reduction step, not the lowest oxide: Ti4+ and Nb5+ of a disordered rock salt to Ti2O3 and NbO2
    assert concrete_phases("TM_reduced", "Li6PS5Cl", "Li1.2Ni0.3Ti0.3Nb0.2O2") == ["Ti2O3", "NiO (rock-salt)", "NbO2"]
    assert concrete_phases("TM_reduced", "Li6PS5Cl", "Li", "Li2ZrO3") == []  # Zr4+ has no lower oxide


def test_formula_parsing_is_strict():
    with pytest.raises(ValueError, match="Lz6PS5Cl"):
        parse_formula("Lz6PS5Cl")


def test_featurizer_labels_and_shapes_are_stable():
    featurizer = InterfaceFeaturizer()  # stateless: it transforms without fitting
    features = featurizer.transform(ROWS)
    names = list(featurizer.get_feature_names_out())
    assert features.shape == (3, len(names)) == (3, 614)
    assert names[:2] == ["se: MagpieData minimum Number", "se: MagpieData maximum Number"]
    assert "prior: rule expects Li3P" in names and "condition: voltage_V" in names
    assert features[1, names.index("se: has alloying_metal")] == 1.0  # Ge in LGPS
    assert features[0, names.index("coating: present")] == 1.0 and features[1, names.index("coating: present")] == 0.0
    assert "condition: temperature_C" not in names and "condition: pressure_MPa" not in names  # see MODEL_CONDITIONS
    spans_by_name = feature_layout()[0]
    assert names[spans_by_name["thermo at potential"]][0] == "thermo: potential known"
    # the blocks tile the columns in order, and each holds what its name says
    spans = list(spans_by_name.values())
    assert spans[0].start == 0 and spans[-1].stop == len(names)
    assert all(a.stop == b.start for a, b in zip(spans, spans[1:]))
    assert all(names[j].startswith("se: has ") for j in columns("se groups"))
    assert [names[j] for j in columns("thermo products")] == [f"thermo: expects {k}" for k in PRODUCT_CLASSES]
    with pytest.raises(KeyError, match="no feature block"):
        columns("se magic")
    assert features[0, names.index("thermo: potential (V)")] == 4.3
    assert features[1, names.index("thermo: expects Li_M_alloy")] == 1.0  # Li-Ge from LGPS at 0 V


def test_each_composition_is_featurized_once_per_process():
    """Cross-validation clones the featurizer for every fold and model: a new featurizer featurizes no composition
    again."""
    composition._featurized.cache_clear()
    InterfaceFeaturizer().fit(ROWS).transform(ROWS)
    assert composition._featurized.cache_info().misses == 5  # Li6PS5Cl, Li10GeP2S12, NMC811, Li, LiNbO3
    InterfaceFeaturizer().transform(ROWS)
    assert composition._featurized.cache_info()[:2] == (5, 5)  # hits, misses


def test_element_groups_follow_matminer_shape():
    groups = ElementGroups()
    values = groups.featurize(parse_formula("Li6PS5Cl"))
    assert len(values) == len(groups.feature_labels())
    assert dict(zip(groups.feature_labels(), values))["frac Cl"] == pytest.approx(1 / 13)
    assert groups.citations()


ELEMENTS = ["P", "Ge", "Sn", "Si", "Cl", "Br", "I", "O", "N", "Al"]
ELECTRODES = ["Li", "LiCoO2", "LiNi0.8Mn0.1Co0.1O2", "LiMn2O4", "LiIn", "LiFePO4"]


@settings(max_examples=40, deadline=None)
@given(
    extra=st.lists(st.sampled_from(ELEMENTS), min_size=1, max_size=4, unique=True),
    amounts=st.lists(st.integers(1, 6), min_size=4, max_size=4),
    electrode=st.sampled_from(ELECTRODES),
    coating=st.sampled_from(["", "LiNbO3", "Li3PO4", "Al2O3"]),
)
def test_no_prediction_names_a_product_whose_elements_the_interface_lacks(predictor, extra, amounts, electrode, coating):
    se = "Li3S2" + "".join(f"{el}{n}" for el, n in zip(extra, amounts))  # a Li sulfide plus other elements
    row = predictor.predict(pd.DataFrame({"se": [se], "electrode": [electrode], "coating": [coating]})).iloc[0]
    assert row["error"] == ""
    elements = elements_of(parse_formula(se), parse_formula(electrode), parse_formula(coating) if coating else None)
    allowed = possible_products(elements)
    assert set(row["products"] or []) <= allowed
    assert all(row[f"p_{k}"] == 0 or pd.isna(row[f"p_{k}"]) for k in PRODUCT_CLASSES if k not in allowed)  # NaN: abstained
    for phase in row["product_phases"] or []:
        assert any(el in phase for el in elements), phase


@pytest.mark.parametrize(("electrode", "role", "ruled_out"), [
    ("Li", "anode", {"space_charge_layer", "rock_salt_transition", "oxygen_loss"}),
    ("Si", "anode", {"space_charge_layer", "rock_salt_transition", "oxygen_loss"}),
    ("LiNi0.8Mn0.1Co0.1O2", "cathode", {"dendrite", "void"}),
    ("TiS2", "cathode", {"dendrite", "void", "rock_salt_transition", "oxygen_loss"}),
])
def test_no_answer_gives_a_mode_its_electrodes_side_cannot_show(predictor, electrode, role, ruled_out):
    """The modes' gate: the label forest, reading no label identity, gave oxygen loss at Li metal the p of a crack."""
    assert set(DEGRADATION_MODES) - possible_modes(parse_formula(electrode), role) == ruled_out
    interfaces = predictor.resolver.interfaces(pd.DataFrame({"se": ["Li6PS5Cl", "Li3PS4"], "electrode": [electrode] * 2}))
    heads = predictor.model["heads"]
    features = predictor.featurize(model_inputs(interfaces))
    for answer in (heads.predict_proba, heads.thermo_proba):
        modes = Probabilities.of_outputs(answer(features), heads.classes_).modes
        assert (modes[sorted(ruled_out)] == 0).all().all()
        assert (modes.drop(columns=sorted(ruled_out)).sum(axis=1) > 0).all()  # the modes it can show keep theirs


@pytest.mark.parametrize(("se", "free", "polysulfides"), [
    ("Li6PS5Cl", 1, True), ("Li7PS6", 2, True), ("Li5.5PS4.5Cl1.5", 0.5, True), ("Li8P2S9", 1, True),
    ("Li3PS4", 0, False), ("Li7P3S11", -1, False), ("Li10GeP2S12", 0, False), ("Li4SnS4", 0, False),
])
def test_the_rule_expects_polysulfides_where_an_se_with_free_sulfide_is_oxidised(se, free, polysulfides):
    """Free S2- oxidises through Li2Sn to S, S bound in thio anions links them into P2Sx; a coating keeps both away."""
    assert free_sulfide(parse_formula(se)) == pytest.approx(free)
    assert ("Li2Sn" in oxidation_products(parse_formula(se), parse_formula("LiCoO2"))) is polysulfides
    assert oxidation_products(parse_formula(se), parse_formula("LiCoO2"), parse_formula("LiNbO3")) == frozenset()


@pytest.mark.parametrize(("electrode", "role", "expected"), [
    ("Li", "anode", {"dendrite", "void"}), ("LiIn", "anode", {"dendrite", "void"}), ("C", "anode", {"dendrite"}),
    ("LiC6", "anode", {"dendrite"}), ("Cu", "anode", {"dendrite", "void"}),
    ("Li4Ti5O12", "anode", set()), ("LiCoO2", "cathode", {"space_charge_layer"}), ("TiS2", "cathode", set()),
    ("S", "cathode", set()), ("Si", "anode", {"volume_expansion", "contact_loss"}),
    ("Li15Si4", "anode", {"volume_expansion", "contact_loss"}), ("Sn", "anode", {"volume_expansion", "contact_loss"}),
    ("LiNi0.8Mn0.1Co0.1O2", "cathode", {"space_charge_layer", "rock_salt_transition"}),
    ("LiNi0.85Co0.1Al0.05O2", "cathode", {"space_charge_layer", "rock_salt_transition"}),
    ("LiNi0.333Mn0.333Co0.333O2", "cathode", {"space_charge_layer"}), ("LiNi0.5Mn1.5O4", "cathode", {"space_charge_layer"}),
    ("Li1.2Ni0.13Mn0.54Co0.13O2", "cathode", {"space_charge_layer"}),
])
def test_rule_expects_dendrites_where_li_plates_voids_where_it_is_stripped_and_a_space_charge_layer_at_oxides(electrode, role, expected):
    assert rule_modes(parse_formula(electrode), None, role) == expected


def test_a_coated_ni_rich_oxide_keeps_its_layered_surface():
    # review Section 3.1.2, [60a]: LNTO on single-crystal NMC532 left a 1-3 nm spinel layer, not the rock-salt
    assert rule_modes(parse_formula("LiNi0.5Mn0.3Co0.2O2"), parse_formula("LiNb0.5Ta0.5O3"), "cathode") == frozenset()
