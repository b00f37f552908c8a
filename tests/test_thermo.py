"""Offline thermodynamics: the phase-energy table, SE windows, contacts, their product classes, the commands."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from pymatgen.core import Composition
from typer.testing import CliRunner

from degrade_ml.cli.main import app
from degrade_ml.data.load import default_data_dir
from degrade_ml.thermo.product_classes import classes_of_phases
from degrade_ml.thermo.engine import ThermoCoverageError
from degrade_ml.thermo.sources import CHGNET, MP_WHEEL, R2SCAN
from degrade_ml.thermo.stack import analyse_interface
from degrade_ml.thermo.table import default_table_path
from degrade_ml.experiments.thermo_validation import (PUBLISHED_WINDOWS, compare_formation_energies, compare_windows,
                                                      dft_engine)

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def test_table_is_the_output_of_the_committed_build_script():
    info = json.loads((ROOT / "data" / "thermo" / "build_info.json").read_text())
    structures = (ROOT / "scripts" / "thermo" / "structures.py").read_bytes()
    assert info["structures_sha256"] == hashlib.sha256(structures).hexdigest(), "rebuild data/thermo after editing structures.py"
    table = pd.read_csv(default_table_path())
    assert len(table) >= 150 and table["phase_id"].is_unique
    assert info["n_phases"] == len(table)
    assert info["phases_sha256"] == hashlib.sha256(default_table_path().read_bytes()).hexdigest()
    checkpoint = ROOT / "data" / "thermo" / "relaxed_structures.jsonl"
    assert info["inputs_sha256"]["relaxed_structures.jsonl"] == hashlib.sha256(checkpoint.read_bytes()).hexdigest()


def test_table_holds_exactly_the_authored_phases():
    """A phase added, renamed or dropped in structures.py or the modules it imports (structures_coatings.py) without
    a rebuild fails here; the sha256 above covers the text of structures.py only."""
    sys.path.insert(0, str(ROOT / "scripts" / "thermo"))
    try:
        import structures
    finally:
        sys.path.pop(0)
    table = pd.read_csv(default_table_path(), dtype=str, keep_default_na=False)
    chgnet = table[table["source"].isin([CHGNET, R2SCAN])]  # the authored phases, from either CHGNet checkpoint
    assert set(chgnet["phase_id"]) <= set(structures.PHASES)
    # an authored phase missing from the table is one whose formula the table takes from the wheel's MP entries
    from_wheel = set(table.loc[table["source"] == MP_WHEEL, "formula"])
    checkpoint = {r["phase_id"]: r for r in map(json.loads, (ROOT / "data" / "thermo" / "relaxed_structures.jsonl")
                                               .read_text().splitlines()) if r}
    for phase_id in set(structures.PHASES) - set(chgnet["phase_id"]):
        assert Composition(checkpoint[phase_id]["formula"]).reduced_formula in from_wheel, phase_id


def test_niobate_and_tantalate_coatings_oxidise_below_5_V(engine):
    """With Nb2O5, LiNb3O8 and Ta2O5 in the table LiNbO3 and LiTaO3 give off Li at a finite potential (issue 16)."""
    for coating, metal in (("LiNbO3", "Nb"), ("LiTaO3", "Ta")):
        window = engine.window(coating)
        assert window.oxidation_limit_V <= 5.0, window
        assert any({metal, "O"} <= {str(el) for el in Composition(p).elements} for p in window.oxidation_products), window


def test_thiophosphates_oxidise_to_p2s5_and_sulfur(engine):
    """The molecular P-S solids keep CHGNet 0.3.0 + shifts (r2SCAN without dispersion underbinds them, P4S3 +232
    meV/atom): taken from r2SCAN, Li3PS4 and Li7P3S11 gave off Li to P2S3 instead (source_choice.chemistry_subclass)."""
    for se in ("Li3PS4", "Li7P3S11"):
        assert engine.window(se).oxidation_products == ("P2S5", "S"), se


def test_a_niobate_coating_reacts_mildly_with_the_argyrodite(engine):
    """The d0 oxides keep CHGNet 0.3.0 + shifts: with LiNbO3 from r2SCAN (+98 meV/atom from experiment) Li6PS5Cl
    reacted at -162 meV/atom, with CHGNet 0.3.0 + shifts everywhere at -122."""
    contact = engine.contact("Li6PS5Cl", "LiNbO3", None)
    assert -130 < contact.reaction_energy_meV_atom < -50, contact


@pytest.mark.parametrize("potential", [None, 4.3])
def test_a_borate_coating_never_reacts_to_elemental_boron_or_oxygen(engine, potential):
    """B ends in a borate or B2O3, not as the element with O2 given off (the table held no B-O compound before)."""
    contact = engine.contact("Li6PS5Cl", "Li3BO3", potential)
    assert contact.reacts and not {"B", "O2"} & set(contact.products), contact
    assert any({"B", "O"} <= {str(el) for el in Composition(p).elements} for p in contact.products), contact


def test_no_coating_gives_off_oxygen_or_boron_against_any_cathode_of_the_materials_table(engine):
    """Lattice oxygen stays in the solids at an electrode contact: with O2 among the products, Li3PO4, Li2CO3,
    Li2SiO3 and the halides against charged layered oxides "reacted" to M(II) salts + O2 (76 of these contacts)."""
    materials = pd.read_csv(default_data_dir() / "materials.csv")
    coatings = sorted(formula for formula in set(materials.loc[materials.family == "coating", "formula"])
                      if {el.symbol for el in Composition(formula).elements} <= engine.elements)  # PEO's H is not
    cathodes = materials[materials.family.str.endswith("cathode")].drop_duplicates("formula")
    contacts = [engine.contact(coating, row.formula, potential) for coating in coatings for row in cathodes.itertuples()
                for potential in {row.potential_V, 4.3}]
    assert len(contacts) > 350
    assert not [c for c in contacts if {"B", "O2"} & set(c.products)]
    charged = engine.contact("Li3PO4", "LiNi0.8Mn0.1Co0.1O2", 4.3)
    assert charged.decomposition_energy_b_meV_atom < -100  # the charged cathode's own O2 loss is still reported beside


def test_table_covers_the_chemistry_of_the_issue(engine):
    needed = "Li P S Cl Br I Ge Si Sn Sb O Co Ni Mn Fe Al Nb Ta Zr Ti B In Y N C".split()
    assert set(needed) <= engine.elements
    assert {"N", "Y", "Mo", "W", "Mg", "Ag", "La", "Se"} <= engine.elements  # issue 16, from the wheel's MP entries
    assert engine.material("Li3N").coverage == "complete" and engine.material("CoSO4").coverage == "complete"


@pytest.mark.parametrize("formula", sorted(PUBLISHED_WINDOWS))
def test_windows_match_published_dft_within_0_2_V(formula):
    # on the DFT level the published windows were computed at (plain GGA/GGA+U, Zhu, He & Mo 2015), Li7P3S11 included
    row = next(r for r in compare_windows(dft_engine()) if r.formula == formula)
    assert row.within(0.2), row
    assert abs(row.reduction_V - row.published_reduction_V) <= 0.05, row
    assert not dft_engine().placement_warning(formula), formula  # the SE itself is in the table, not hull-placed


def test_the_energy_level_moves_the_limits_where_sulfur_is_given_off():
    """Li2S -> S + 2Li: MP2020's sulfide correction sits on Li2S only, so the limit rises with it (on the GGA level it
    is Zhu et al.'s 2.01 V Li6PS5Cl limit); Li3PS4 + 5Li -> 4Li2S + P keeps S a sulfide on both sides: no move."""
    gga, mp2020 = dft_engine("gga"), dft_engine("mp2020")
    lithium_sulfide = gga.window("Li2S")
    assert lithium_sulfide.oxidation_limit_V == pytest.approx(2.01, abs=0.02) and lithium_sulfide.oxidation_products == ("S",)
    assert mp2020.window("Li2S").oxidation_limit_V > lithium_sulfide.oxidation_limit_V + 0.15
    assert mp2020.window("Li3PS4").reduction_limit_V == pytest.approx(gga.window("Li3PS4").reduction_limit_V, abs=0.01)
    with pytest.raises(ValueError, match="'dft'"):
        dft_engine("dft")


def test_li7p3s11_reduces_at_a_higher_potential_than_li3ps4_as_recorded(dataset, engine):
    """The order data/electrolytes.csv records from Zhu et al. [11b] (2.28 V against 1.71 V), computed from the table."""
    recorded = dataset.electrolytes.set_index("se_formula")["reduction_potential_V"]
    assert recorded["Li7P3S11"] > recorded["Li3PS4"]
    computed = {formula: engine.window(formula).reduction_limit_V for formula in ("Li7P3S11", "Li3PS4")}
    assert computed["Li7P3S11"] > computed["Li3PS4"] + 0.3, computed


def test_li3ps4_reduces_to_li2s_and_oxidises_to_s_and_p_s_phases(engine):
    window = engine.window("Li3PS4")
    assert "Li2S" in window.reduction_classes
    assert {"S", "P2Sx"} <= set(window.oxidation_classes)
    lithiated = engine.contact("Li3PS4", "Li", None)
    assert {"Li2S", "Li3P"} <= set(lithiated.product_classes) and lithiated.reaction_energy_meV_atom < -100


def test_formation_energies_track_experiment(engine):
    comparison = compare_formation_energies(engine)
    assert len(comparison) >= 40
    errors = sorted(abs(c.error_meV_atom) for c in comparison)
    assert errors[len(errors) // 2] < 150  # median error, meV/atom


def test_products_are_named_from_the_querys_own_elements(engine):
    lpscl = analyse_interface(engine, "Li6PS5Cl", "Li")
    assert "LiCl" in lpscl.phases and "LiX" in lpscl.product_classes
    lgps = analyse_interface(engine, "Li10GeP2S12", "Li")
    assert "LiX" not in lgps.product_classes
    allowed = {"Li", "Ge", "P", "S"}
    assert all({str(el) for el in Composition(p).elements} <= allowed for p in lgps.phases)


def test_composition_absent_from_the_table_is_placed_on_the_hull_with_a_warning(engine):
    window = engine.window("Li8P2S9")  # between Li3PS4 and Li2S: its system holds compounds
    assert any("placed on the convex hull" in w for w in window.warnings)
    assert window.reduction_limit_V is not None and window.oxidation_limit_V is not None
    assert engine.material("Li8P2S9").coverage == "approximate"


def test_a_system_without_compounds_of_its_own_is_flagged_approximate(engine):
    # no Li–P–S–Cl–Br compound: the mixed argyrodite gets its energy from Li6PS5Cl, Li6PS5Br and simpler phases
    material = engine.material("Li6PS5Cl0.5Br0.5")
    assert material.coverage == "approximate" and "holds no compound of its own" in material.warning
    result = analyse_interface(engine, "Li6PS5Cl0.5Br0.5", "LiCoO2", "", 4.2)
    assert result.coverage == "approximate"
    assert analyse_interface(engine, "Li6PS5Cl", "LiCoO2", "", 4.2).coverage == "complete"


@pytest.mark.parametrize("coating, reason", [
    # C–F holds no compound: on its elements PTFE would be C + F2 and "react" with Li6PS5Cl as fluorine gas
    ("C2F4", "C–F system holds no compound"),
    ("BN", "B–N system holds no compound"),
    # Li–Hf–F holds LiF but no Hf fluoride: Li2HfF6 would sit on LiF, Hf and F2 and "react" as fluorine gas (so did
    # Li2ZrF6, by -1187 meV/atom, before the table held the Zr fluorides)
    ("Li2HfF6", "no compound of Hf with F"),
    ("LiNbF6", "no compound of Nb with F"),
    # Nb and Ta are bound to O, but no Nb or Ta chloride holds the Cl: LiNbOCl4 sat on LiCl, NbO and Cl2 and "reacted"
    # with Li6PS5Cl by -480 meV/atom, with a window of 4.13-4.14 V
    ("LiNbOCl4", "beside free Cl2 gas"),
    ("LiTaOCl4", "beside free Cl2 gas"),
])
def test_a_compound_the_table_cannot_place_is_outside_it(engine, coating, reason):
    with pytest.raises(ThermoCoverageError, match=reason):
        engine.material(coating)
    with pytest.raises(ThermoCoverageError, match=reason):
        analyse_interface(engine, "Li6PS5Cl", "LiCoO2", coating, 4.2)


def test_a_compound_the_table_places_approximately_stays(engine):
    # metals mix with little energy: an alloy of a system without compounds stays, approximately
    assert engine.material("LiMg").coverage == "approximate"
    assert engine.material("CuAg").coverage == "approximate"
    # an element bound to one of several anions is placed: Si and Sb hold sulfides, if no iodides
    assert engine.material("Li6.6Si0.6Sb0.4S5I").coverage == "approximate"
    assert engine.material("Li3AlF6").coverage == "complete"

def test_fractional_compositions_match_their_approximants(engine):
    nca = engine.material("LiNi0.8Co0.15Al0.05O2")  # the table's NCA cell is LiNi0.8Co0.1Al0.1O2
    assert nca.coverage == "complete" and "approximant" in nca.warning
    assert engine.material("LiNi0.8Mn0.1Co0.1O2").warning == ""  # the NMC811 cell has exactly this composition
    for nmc in ("LiNi0.5Mn0.3Co0.2O2", "LiNi0.6Mn0.2Co0.2O2"):  # NMC532 and NMC622 have cells of their own
        assert engine.material(nmc).coverage == "complete" and engine.material(nmc).warning == "", nmc
    assert engine.material("LiNi0.5Mn1.5O4").coverage == "complete"


@pytest.mark.parametrize("formula, approximant", [("Li0.33La0.56TiO3", "Li3La5Ti9O27"),
                                                  ("LiNi0.8Co0.15Al0.05O2", "Li10AlCo(Ni2O5)4")])
def test_a_composition_standing_in_for_its_approximant_takes_its_window(engine, formula, approximant):
    """LLTO written Li0.33La0.56TiO3 is a hair off its Li3La5Ti9O27 cell; placed on the hull beside it, it gave up its
    La excess at 2.90 V instead of oxidising as the cell does (4.42 V)."""
    window, cell = engine.window(formula), engine.window(approximant)
    assert (window.reduction_limit_V, window.oxidation_limit_V) == (cell.reduction_limit_V, cell.oxidation_limit_V)
    assert window.oxidation_products == cell.oxidation_products
    assert any(approximant in warning for warning in window.warnings)


def test_element_outside_the_table_is_named(engine):
    with pytest.raises(ThermoCoverageError, match="Ce"):
        engine.window("LiCeS2")
    result = runner.invoke(app, ["window", "LiCeS2"])
    assert result.exit_code == 2 and "Ce" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_se_decomposes_more_the_further_the_potential_lies_beyond_its_window(engine):
    window = engine.window("Li6PS5Cl")
    inside = (window.reduction_limit_V + window.oxidation_limit_V) / 2
    assert engine.decomposition_energy("Li6PS5Cl", inside) == pytest.approx(0.0, abs=1e-6)
    energies = [engine.decomposition_energy("Li6PS5Cl", v) for v in (3.0, 4.0, 5.0)]
    assert energies[0] > energies[1] > energies[2]  # strictly: each volt beyond the window costs more
    classes = [set(analyse_interface(engine, "Li6PS5Cl", "LiCoO2", "", v).product_classes) for v in (inside, 4.3)]
    assert "S" not in classes[0] and "S" in classes[1]


def test_a_coating_screens_the_se_from_the_electrode_potential(engine):
    bare = analyse_interface(engine, "Li6PS5Cl", "LiCoO2", "", 4.3)
    coated = analyse_interface(engine, "Li6PS5Cl", "LiCoO2", "LiNbO3", 4.3)
    assert coated.se_coating.potential_V is None  # chemical contact through an electronic insulator
    assert coated.coating_electrode.potential_V == 4.3
    driving_force = [max(-c.reaction_energy_meV_atom for c in r.contacts_present) for r in (bare, coated)]
    assert driving_force[1] < driving_force[0] / 3
    # the cathode potential oxidises the bare SE to S and P2S5; through the coating the SE only meets LiNbO3 chemically
    assert {"S", "P2Sx"} <= set(bare.product_classes) and not {"S", "P2Sx"} & set(coated.product_classes)


@pytest.mark.parametrize(("phases", "reactants", "expected"), [
    (["Co3O4"], ["LiCoO2"], {"TM_reduced"}),
    (["CoO2"], ["LiCoO2"], set()),
    (["Li4P2S6", "P2S5"], ["Li3PS4"], {"P2Sx"}),
    (["Li3PS4", "LiNbO3"], ["Li6PS5Cl"], set()),
    (["Li2S2"], ["Li3PS4"], {"Li2Sn"}),
    (["Li2S", "LiCl", "Li3P"], ["Li6PS5Cl"], {"Li2S", "LiX", "Li3P"}),
    (["Li15Ge4"], ["Li10GeP2S12"], {"Li_M_alloy"}),
    (["LiAg", "Li3Au"], ["Ag", "Au"], {"Li_M_alloy"}),  # an interlayer's Li alloy, though Ag and Au are d-block
    (["Co", "Li2O"], ["LiCoO2"], {"TM_reduced"}),  # a bare transition metal is not an alloy
    (["Li3PO4", "Li2SO4", "CoP"], ["LiCoO2"], {"POx", "SOx", "TM_P"}),
    # a sulfide or chloride holding the metal below its valence in the cathode is a reduced valence too: CoS2 is the
    # pyrite Co2+(S2)2-, not Co4+; Fe stays Fe2+ from LiFePO4 to FeS2, Ti4+ from Li4Ti5O12 to TiS2
    (["CoS2"], ["LiCoO2"], {"TM_S", "TM_reduced"}),
    (["CoCl2"], ["LiCoO2"], {"TM_reduced"}),
    (["Co3S4"], ["LiCoO2"], {"TM_S", "TM_reduced"}),
    (["FeS2"], ["LiFePO4"], {"TM_S"}),
    (["TiS2"], ["Li4Ti5O12"], {"TM_S"}),
    # a sulfate's S is S6+: CoSO4 holds Co2+, Fe2(SO4)3 Fe3+ (oxidised from LiFePO4), not the M1.5+ a persulfide
    # reading of its S would give
    (["CoSO4"], ["LiCoO2"], {"SOx", "TM_reduced"}),
    (["Fe2(SO4)3"], ["LiFePO4"], {"SOx"}),
])
def test_phases_map_to_the_product_classes_of_the_contract(phases, reactants, expected):
    assert set(classes_of_phases([Composition(p) for p in phases], [Composition(r) for r in reactants])) == expected


def test_window_json_follows_the_contract():
    result = runner.invoke(app, ["window", "LPS", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"se", "formula", "reduction_limit_V", "oxidation_limit_V", "reduction_products", "oxidation_products",
            "warnings"} <= set(payload)
    assert payload["formula"] == "Li3PS4" and payload["reduction_limit_V"] < payload["oxidation_limit_V"]


def test_window_takes_the_se_as_predict_and_react_do_and_once():
    """`window --se LPSCl` was "No such option: --se" to a user who had just typed `predict --se LPSCl`."""
    by_option, by_argument = (runner.invoke(app, ["window", *se, "--json"]) for se in (["--se", "LPS"], ["LPS"]))
    assert by_option.exit_code == 0, by_option.output
    assert json.loads(by_option.output) == json.loads(by_argument.output)
    for twice_or_never in (["window", "LPS", "--se", "LPSCl"], ["window"]):
        result = runner.invoke(app, twice_or_never)
        assert result.exit_code == 2 and "give the SE once" in result.output


def test_react_meets_a_metallic_interlayer_at_the_electrode_potential():
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "Li", "--coating", "Ag-C", "--json"])
    assert result.exit_code == 0, result.output
    assert [c["potential_V"] for c in json.loads(result.output)["contacts"]] == [0.0, 0.0, 0.0]


def test_react_says_what_decomposes_on_its_own_where_the_contact_does_not_react(engine):
    """Li6PS5Cl | Si at 0.1 V: no contact reaction, but the SE is reduced beside it; Li metal is a closed contact."""
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "Si"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "LPSCl | Si: no reaction" in lines
    energy = engine.decomposition_energy("Li6PS5Cl", 0.1)
    assert f"LPSCl on its own at 0.1 V: {energy:.0f} meV/atom, to Li2S, Li3P, LiCl" in lines
    at_li = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "Li"])
    assert at_li.exit_code == 0 and "on its own" not in at_li.output
    # behind an insulating coating the SE is not at the cathode's potential: only the coating and the cathode are
    coated = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LNO", "--voltage", "4.3"],
                           terminal_width=200)
    assert coated.exit_code == 0, coated.output
    own = [line.split(" on its own")[0] for line in coated.output.splitlines() if " on its own at 4.3 V" in line]
    assert own == ["LNO", "NMC811"] and "LPSCl | NMC811 (if uncoated):" in coated.output


def test_react_splits_a_coated_electrode_named_in_one_option_as_predict_does():
    split = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811 coated with LNO", "--voltage", "4.3",
                                "--json"])
    apart = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LNO", "--voltage",
                                "4.3", "--json"])
    assert split.exit_code == 0 and apart.exit_code == 0, split.output
    contacts = json.loads(split.stdout)["contacts"]
    assert [(c["a"], c["b"]) for c in contacts] == [("LPSCl", "NMC811"), ("LPSCl", "LNO"), ("LNO", "NMC811")]
    assert contacts == json.loads(apart.stdout)["contacts"]


def test_react_json_has_one_contact_per_pair_with_the_numbers_of_the_engine(engine):
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "NMC811", "--coating", "LNO", "--voltage", "4.3", "--json"])
    assert result.exit_code == 0, result.output
    contacts = json.loads(result.output)["contacts"]
    assert [(c["a"], c["b"]) for c in contacts] == [("LPSCl", "NMC811"), ("LPSCl", "LNO"), ("LNO", "NMC811")]
    assert [c["potential_V"] for c in contacts] == [4.3, None, 4.3]  # the coating spares the SE the cathode potential
    expected = [engine.contact("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", 4.3), engine.contact("Li6PS5Cl", "LiNbO3", None),
                engine.contact("LiNbO3", "LiNi0.8Mn0.1Co0.1O2", 4.3)]
    for contact, reference in zip(contacts, expected):
        assert contact["reaction_energy_meV_atom"] == pytest.approx(reference.reaction_energy_meV_atom)
        assert contact["mixing_ratio"] == pytest.approx(reference.mixing_ratio)
        assert contact["products"] == list(reference.products)
        assert contact["decomposition_energy_a_meV_atom"] == pytest.approx(reference.decomposition_energy_a_meV_atom)
        assert contact["decomposition_energy_b_meV_atom"] == pytest.approx(reference.decomposition_energy_b_meV_atom)
        assert contact["coverage"] == "complete"
        # the curve drawn for the contact reaches the reported minimum at the reported ratio
        deepest = min(contact["kinks"], key=lambda k: k["energy_meV_atom"])
        assert deepest["energy_meV_atom"] == pytest.approx(min(contact["reaction_energy_meV_atom"], 0.0), abs=0.01)
        assert deepest["mixing_ratio"] == pytest.approx(contact["mixing_ratio"], abs=1e-3)
    assert contacts[0]["reaction_energy_meV_atom"] < -100 and contacts[0]["products"]


def test_plots_are_written_and_bad_plot_paths_refused(tmp_path):
    png = tmp_path / "window.png"
    assert runner.invoke(app, ["window", "Li3PS4", "--plot", str(png)]).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    react_png = tmp_path / "react.png"
    assert runner.invoke(app, ["react", "--se", "LGPS", "--electrode", "Li", "--plot", str(react_png)]).exit_code == 0
    assert react_png.stat().st_size > 1000
    refused = runner.invoke(app, ["window", "Li3PS4", "--plot", str(tmp_path)])
    assert refused.exit_code == 2 and not any(tmp_path.glob(".*png*"))


def test_a_long_reaction_written_on_its_plot_stays_inside_the_panel(engine, tmp_path, monkeypatch):
    from degrade_ml.thermo import plots

    drawn = []
    monkeypatch.setattr(plots, "save_figure", lambda fig, path: drawn.append(fig) or path)
    contact = engine.contact("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", 4.3)  # seven products, its deepest point at x = 0.36
    assert len(contact.reaction) > 2 * plots.REACTION_LABEL_WIDTH
    plots.plot_contacts(engine, [contact], tmp_path / "contact.png")
    figure = drawn[0]
    figure.canvas.draw()
    panel = figure.axes[0]
    label = panel.texts[0].get_window_extent(figure.canvas.get_renderer())
    inside = panel.get_window_extent(figure.canvas.get_renderer())
    assert inside.x0 <= label.x0 and label.x1 <= inside.x1, (label, inside)


@pytest.mark.parametrize(("args", "named"), [
    (["react", "--se", "LPSCl", "--electrode", "NMC9000"], "--electrode: 'NMC9000'"),
    (["react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "nan"], "--voltage nan is outside"),
    (["react", "--se", "LPSCl", "--electrode", "NMC811", "--voltage", "-1"], "--voltage -1"),
    (["window", "Lz3PS4"], "SE: 'Lz3PS4'"),
])
def test_bad_input_exits_2_naming_the_value(args, named):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert named in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_predict_output_carries_the_thermodynamic_columns(predictor):
    queries = pd.DataFrame({"se": ["LGPS", "LPSCl", "LPSCl"], "electrode": ["Li", "NMC811", "LiIn"],
                            "voltage_V": [None, 4.3, None]})
    result = predictor.predict(queries)
    assert list(result["potential_V"]) == [0.0, 4.3, 0.62]
    assert "Li_M_alloy" in result.loc[0, "thermo_products"]
    assert result.loc[1, "thermo_oxidation_V"] < 4.3 and "S" in result.loc[1, "thermo_products"]
    assert pd.isna(result.loc[0, "thermo_erxn_se_coating"])


def test_the_thermo_validation_experiment_is_its_own_mlflow_run(tracking_uri, tmp_path):
    from mlflow import MlflowClient

    from degrade_ml.experiments.tracking import EXPERIMENT_NAME

    result = runner.invoke(app, ["experiment", "thermo-validation", "--report-dir", str(tmp_path / "reports")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "thermo.md").is_file()
    client = MlflowClient(tracking_uri)
    runs = client.search_runs([client.get_experiment_by_name(EXPERIMENT_NAME).experiment_id])
    assert len(runs) == 1 and runs[0].info.run_name == "thermo-validation"
    assert runs[0].data.metrics["formation_compounds"] >= 80
    assert {a.path for a in client.list_artifacts(runs[0].info.run_id, "thermo-validation")} >= {"thermo-validation/thermo.md"}


def test_react_says_what_the_se_forms_on_its_side_beside_the_minimum(engine):
    """Li6PS5Cl | LiCoO2 at 4.2 V: the minimum (cathode in excess) forms Co sulfide and sulfate; the SE's interphase
    holds its own oxidation products. Both are shown, and the JSON carries both."""
    result = runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "LCO", "--voltage", "4.2"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert ("LPSCl | LCO, next to LPSCl (what its interphase holds): CoCl2, LiCl, P2O5, P2S5, S (LiX, S, P2Sx, POx, TM_reduced)"
            in " ".join(result.output.split()))  # however the console wraps it
    payload = json.loads(runner.invoke(app, ["react", "--se", "LPSCl", "--electrode", "LCO", "--voltage", "4.2",
                                             "--json"]).stdout)
    contact = payload["contacts"][0]
    expected = engine.contact("Li6PS5Cl", "LiCoO2", 4.2)
    assert contact["interphase_products"] == list(expected.interphase_products) != contact["products"]
    assert contact["interphase_classes"] == ["LiX", "S", "P2Sx", "POx", "TM_reduced"]


def test_the_explained_reaction_of_an_se_contact_names_what_forms_next_to_the_se():
    from degrade_ml.models.evidence import thermodynamic_reactions

    reactions = thermodynamic_reactions("Li6PS5Cl", "LiCoO2", "", 4.2)
    assert reactions[0]["reaction"].endswith("; next to the SE: CoCl2, LiCl, P2O5, P2S5, S")
    at_li = thermodynamic_reactions("Li6PS5Cl", "Li", "", 0.0)  # Li metal is in excess wherever it meets
    assert "next to the SE" not in at_li[0]["reaction"]
    inert = thermodynamic_reactions("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "Li3PO4", 4.3)  # the SE's own 6 meV/atom only
    assert inert[0]["reaction"].endswith("; next to the SE: nothing")


def test_the_explained_reactions_show_a_coatings_reaction_with_the_cathode_as_made():
    """The answer counts Al2O3's chemical reaction with LiCoO2 as made (every charge passes through it), which the
    contact at 4.3 V no longer has: the reactions behind the answer show it, and only where it reacts more."""
    from degrade_ml.models.evidence import thermodynamic_reactions

    rows = {row["contact"]: row for row in thermodynamic_reactions("Li10GeP2S12", "LiCoO2", "Al2O3", 4.3)}
    assert rows["Al2O3 | LiCoO2"]["energy_meV_atom"] == 0
    rest = rows["Al2O3 | LiCoO2 as made"]
    assert rest["energy_meV_atom"] < -10 and "Al2CoO4" in rest["reaction"]
    on_li = thermodynamic_reactions("Li6PS5Cl", "Li", "LiNbO3", 0.0)
    assert not any(row["contact"].endswith("as made") for row in on_li)


def test_the_explained_reactions_show_a_coating_that_decomposes_on_its_own():
    """LiI on a 4.3 V cathode and Li3PO4 at a Si anode react with neither neighbour, yet each decomposes at the
    electrode's potential, which the answer counts: the reactions behind it say so, and for a coating that holds
    (Li3PO4 on NMC811 at 4.3 V) nothing is added."""
    from degrade_ml.models.evidence import thermodynamic_reactions

    def alone(*interface):
        return {row["contact"]: row for row in thermodynamic_reactions(*interface)}

    iodide = alone("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "LiI", 4.3)
    assert iodide["LiI | LiNi0.8Mn0.1Co0.1O2"]["energy_meV_atom"] == 0
    assert iodide["LiI alone"]["energy_meV_atom"] < -1000 and iodide["LiI alone"]["reaction"].startswith("decomposes to I ")
    phosphate = alone("Li6PS5Cl", "Si", "Li3PO4", 0.1)
    assert "Li3P" in phosphate["Li3PO4 alone"]["reaction"]
    assert "Li3PO4 alone" not in alone("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "Li3PO4", 4.3)
    assert "LiNbO3 alone" not in alone("Li6PS5Cl", "Li", "LiNbO3", 0.0)  # Li metal is met chemically
