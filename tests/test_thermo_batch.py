"""Many interfaces at once (`thermo.batch`) answer what one interface at a time (`thermo.stack`) answers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from degrade_ml.thermo.batch import COATING_LEAK, ENERGY_SCALE_MEV, analyse_interfaces, parts_first_needed
from degrade_ml.thermo.conduction import interphase_stability, passes_potential
from degrade_ml.thermo.engine import ThermoCoverageError
from degrade_ml.thermo.stack import analyse_interface
from degrade_ml.vocab import PRODUCT_CLASSES

# bare and coated, anode and cathodes, Li metal at a stated voltage (it holds 0 V), no potential, a SE outside its
# window, an approximate (hull-placed) SE, conducting interlayers (C, Si) and materials outside the table (Ce)
INTERFACES = [
    ("Li6PS5Cl", "Li", "", 0.0), ("Li10GeP2S12", "Li", "", math.nan), ("Li6PS5Cl", "LiCoO2", "", 4.3),
    ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "LiNbO3", 4.3), ("Li3PS4", "LiCoO2", "Li3BO3", 3.0),
    ("Li3PS4", "Li4Ti5O12", "LiNbO3", 2.2), ("Li6PS5Cl", "FeS2", "", 2.5), ("Li3PS4", "LiMn2O4", "", 4.3),
    ("Li6PS5Cl0.5Br0.5", "LiCoO2", "", 4.2), ("Li6PS5Cl", "Li", "Li3PO4", math.nan), ("Li2S", "Li", "", math.nan),
    ("Li3CeS3", "Li", "", math.nan), ("Li6PS5Cl", "LiCeO2", "", 4.0), ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "Li3CeO3", 4.3),
    ("Li6PS5Cl", "Li", "C", math.nan), ("Li3PS4", "Li", "Si", 0.0), ("Li6PS5Cl", "LiFePO4", "C", 3.8),
]


def _one(engine, se, electrode, coating, potential):
    return analyse_interface(engine, se, electrode, coating, None if math.isnan(potential) else potential)


def _nan(value):
    return math.nan if value is None else value


def test_a_batch_answers_what_each_interface_answers(engine):
    batch = analyse_interfaces(engine, *(list(column) for column in zip(*INTERFACES)))
    assert len(batch) == len(INTERFACES)
    for i, interface in enumerate(INTERFACES):
        try:
            one = _one(engine, *interface)
        except ThermoCoverageError as error:
            assert not batch.covered[i] and batch.error[i] == str(error) and batch.warnings[i] == (str(error),)
            continue
        assert batch.covered[i] and batch.error[i] == ""
        expected = [_nan(one.potential_V), _nan(one.window.reduction_limit_V), _nan(one.window.oxidation_limit_V),
                    *(_nan(c and c.reaction_energy_meV_atom) for c in (one.se_electrode, one.se_coating, one.coating_electrode)),
                    _nan(one.se_decomposition_energy_meV_atom)]
        got = [batch.potential_V[i], batch.reduction_V[i], batch.oxidation_V[i], *batch.erxn[i], batch.se_decomposition_energy[i]]
        np.testing.assert_array_equal(got, expected, err_msg=str(interface))
        assert batch.complete[i] == (one.coverage == "complete")
        assert [k for k, flag in zip(PRODUCT_CLASSES, batch.classes[i]) if flag] == list(one.product_classes)
        reacts = bool(one.se_decomposition) or any(c.reacts for c in one.contacts_present)
        interlayer = interface[2] if interface[2] and passes_potential(interface[2]) else ""
        assert batch.interphase[i] == interphase_stability(one.phases, reacts, interface[1], interlayer), interface
        assert batch.warnings[i] == one.warnings


def test_the_driving_force_adds_what_touches_the_electrode(engine):
    """Bare: the SE|electrode contact and the SE's own decomposition at the potential; coated: both coating contacts,
    the coating's own decomposition at the potential (the SE is spared it) and COATING_LEAK of the bare force."""
    rows = [INTERFACES[3], ("Li6PS5Cl", "LiNi0.8Mn0.1Co0.1O2", "", 4.3)]
    batch = analyse_interfaces(engine, *(list(column) for column in zip(*rows)))
    coated, bare = (_one(engine, *interface) for interface in rows)
    bare_force = max(-bare.se_electrode.reaction_energy_meV_atom, 0) + max(-bare.se_decomposition_energy_meV_atom, 0)
    assert batch.driving_force_meV[1] == pytest.approx(bare_force)
    assert batch.driving_force_meV[0] == pytest.approx(sum(max(-e, 0) for e in (
        coated.se_coating.reaction_energy_meV_atom, coated.coating_electrode.reaction_energy_meV_atom,
        coated.coating_electrode.decomposition_energy_a_meV_atom)) + COATING_LEAK * bare_force)
    assert batch.driving_force_meV[0] > 0 and batch.driving_force_meV[1] > 0


def test_a_coating_li_reduces_to_a_conductor_passes_on_the_se_decomposition_by_its_own_chance(engine):
    """Li6PS5Cl on Li behind LiNbO3 (reduced to Nb): the coated force plus the SE's own decomposition at 0 V times
    1 - exp(-E/E0) of the coating's contact with Li; behind LiF (stable against Li) the SE is spared it. The single
    interface names the conductor in its warnings as the batch does."""
    rows = [("Li6PS5Cl", "Li", "LiNbO3", 0.0), ("Li6PS5Cl", "Li", "LiF", 0.0), ("Li6PS5Cl", "Li", "", 0.0)]
    batch = analyse_interfaces(engine, *(list(column) for column in zip(*rows)))
    niobate, fluoride, bare = (_one(engine, *row) for row in rows)
    bare_force = max(-bare.se_electrode.reaction_energy_meV_atom, 0) + max(-bare.se_decomposition_energy_meV_atom, 0)
    for i, coated in ((0, niobate), (1, fluoride)):
        contact = coated.coating_electrode
        coating_side = max(-contact.reaction_energy_meV_atom, 0) + max(-contact.decomposition_energy_a_meV_atom, 0)
        passed_on = (1 - math.exp(-coating_side / ENERGY_SCALE_MEV)) if i == 0 else 0.0
        expected = (max(-coated.se_coating.reaction_energy_meV_atom, 0) + coating_side
                    + passed_on * -bare.se_decomposition_energy_meV_atom + COATING_LEAK * bare_force)
        assert batch.driving_force_meV[i] == pytest.approx(expected)
    assert batch.driving_force_meV[0] > 2 * batch.driving_force_meV[1]
    assert any("LiNbO3 is reduced at the electrode" in w for w in niobate.warnings) and batch.warnings[0] == niobate.warnings
    assert not any("reduced at the electrode" in w for w in fluoride.warnings)


def test_a_coated_cathodes_driving_force_never_falls_as_its_cut_off_rises(engine):
    """Al2O3 reacts with LiCoO2 as made (-30 meV/atom, closed below the cathode's onset) and not with it delithiated
    above 4.2 V: counted at least at its rest value, the force no longer falls by that much as the cut-off rises (it
    fell from 52 to 24 meV/atom between 3.5 and 4.2 V). What is left is the open contact just above its rest value
    (Al2O3 | NMC811 -32 at 3.8 V against -31.5 as made), under 1 meV/atom."""
    volts = [3.0, 3.5, 3.8, 4.0, 4.2, 4.3, 4.5, 4.7]
    for electrode in ("LiCoO2", "LiNi0.8Mn0.1Co0.1O2"):
        for coating in ("Al2O3", "Li3InCl6", "LiNbO3"):
            n = len(volts)
            force = analyse_interfaces(engine, ["Li10GeP2S12"] * n, [electrode] * n, [coating] * n, volts).driving_force_meV
            assert np.all(np.diff(force) > -1.0) and force[-1] > force[0], (electrode, coating, force.round(1))
    rest = engine.contact("Al2O3", "LiCoO2", None).reaction_energy_meV_atom
    at_4_3 = analyse_interfaces(engine, ["Li10GeP2S12"], ["LiCoO2"], ["Al2O3"], [4.3]).driving_force_meV[0]
    assert rest < -10 and at_4_3 >= -rest


def test_a_conducting_interlayer_passes_the_potential_on_to_the_se(engine):
    """Behind LiNbO3 the SE is spared the cathode's 4.3 V; behind carbon (Ag–C, a carbon coating) it is not: the SE
    decomposes as if bare and its contact with the carbon is open to Li. The carbon's own lithiation (LiC6) is the
    interlayer, not an interphase, so Li6PS5Cl behind Ag–C at 0 V passivates as it does on bare Li."""
    rows = [("Li6PS5Cl", "LiFePO4", "LiNbO3", 3.8), ("Li6PS5Cl", "LiFePO4", "C", 3.8), ("Li6PS5Cl", "LiFePO4", "", 3.8),
            ("Li6PS5Cl", "Li", "C", 0.0), ("Li6PS5Cl", "Li", "", 0.0)]
    batch = analyse_interfaces(engine, *(list(column) for column in zip(*rows)))
    insulated, carbon, bare, interlayer, on_li = (_one(engine, *row) for row in rows)
    assert insulated.se_decomposition == () and insulated.se_coating.potential_V is None
    assert carbon.se_decomposition == bare.se_decomposition != () and carbon.se_coating.potential_V == 3.8
    assert batch.driving_force_meV[1] > batch.driving_force_meV[0]
    assert batch.driving_force_meV[1] >= max(-bare.se_decomposition_energy_meV_atom, 0)
    assert set(on_li.se_decomposition) <= set(interlayer.phases)
    assert batch.interphase[3] == batch.interphase[4] == "passivating"


def test_only_rows_that_first_need_a_part_are_costly(engine):
    """A screen's row budget runs only these: every other row finds its window, contacts and decomposition done."""
    rows = [("Li3PS4", "LiCoO2", "", 4.3),          # first: everything
            ("Li3PS4", "LiCoO2", "LiNbO3", 4.3),    # new SE|coating and coating|electrode
            ("Li3PS4", "LiMn2O4", "", 4.3),         # new SE|electrode
            ("Li3PS4", "LiMn2O4", "LiNbO3", 4.3),   # new coating|electrode
            ("Li3PS4", "LiCoO2", "LiNbO3", 4.3),    # nothing new
            ("Li3CeS3", "LiCoO2", "", 4.3)]         # outside the table: always run (it costs nothing)
    needed = parts_first_needed(engine, *(np.array(column, dtype=object) for column in list(zip(*rows))[:3]),
                                np.array([r[3] for r in rows], dtype=float))
    assert needed.tolist() == [True, True, True, True, False, True]


@pytest.mark.parametrize("potential", [0.0, 2.0, 4.3])
def test_li_metal_holds_0_V_whatever_the_stated_voltage(engine, potential):
    batch = analyse_interfaces(engine, ["Li3PS4"], ["Li"], ["LiNbO3"], [potential])
    assert batch.potential_V[0] == 0.0 and batch.erxn[0, 2] == engine.contact("LiNbO3", "Li", 0.0).reaction_energy_meV_atom


def test_the_bare_interphase_is_what_the_interface_forms_without_its_coating(engine):
    """Where a coating has gaps the SE meets the electrode as if bare: each row's `bare_interphase` is the
    `interphase` of the same row uncoated (and, uncoated, its own)."""
    covered = [row for row in INTERFACES if row[0] not in ("Li3CeS3",) and "Ce" not in row[1] and "Ce" not in row[2]]
    batch = analyse_interfaces(engine, *(list(column) for column in zip(*covered)))
    uncoated = analyse_interfaces(engine, *(list(column) for column in zip(*[(s, e, "", v) for s, e, _, v in covered])))
    assert batch.covered.all()
    assert list(batch.bare_interphase) == list(uncoated.interphase) == list(uncoated.bare_interphase)
    coated = [i for i, row in enumerate(covered) if row[2]]
    assert any(batch.interphase[i] != batch.bare_interphase[i] for i in coated)


def test_a_coating_whose_transition_metal_li_reduces_adds_that_conductor_to_the_interphase(engine):
    """At Li metal the minimum of LiZr2(PO4)3 | Li keeps Zr4+ (Li2ZrO3, Li3P, Li2O); Li in excess reduces it to Zr
    metal, a conductor, so an LZP interlayer makes a mixed-conducting interphase (it was passivating). Main-group
    coatings, lithiated part way, stay insulators and add nothing."""
    from degrade_ml.thermo.stack import coating_reduction

    assert coating_reduction(engine, "LiZr2(PO4)3", 0.0)[0] == ("Zr",)
    assert "Ti" in coating_reduction(engine, "LiTi2(PO4)3", 0.0)[0]
    assert "Nb" in coating_reduction(engine, "LiNbO3", 0.0)[0]
    for coating in ("Al2O3", "Li2PO2N", "Li3PO4", "LiF", "Li3BO3"):
        assert coating_reduction(engine, coating, 0.0) == ((), ()), coating
    assert analyse_interfaces(engine, ["Li3PS4"], ["Li"], ["LiZr2(PO4)3"], [0.0]).interphase[0] == "continuous"
    result = analyse_interface(engine, "Li3PS4", "Li", "LiZr2(PO4)3")
    assert "TM_reduced" in result.product_classes and "Zr" in result.phases
