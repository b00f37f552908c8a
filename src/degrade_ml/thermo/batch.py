"""The thermodynamics of many interfaces at once, assembled with numpy from their parts.

A screen's interfaces are nearly all distinct (50 SEs × 100 electrodes × 20 coatings), but they are made of few
parts: the SE's window, the SE|electrode, SE|coating and coating|electrode contacts, the SE's own decomposition at
the potential. Each part is computed once (the engine keeps it) and the interfaces are combined from the parts' arrays,
by the rules of `thermo.stack` (which gives one interface as an object, for --explain, `react` and the app): Li metal
holds 0 V, an insulating coating keeps the potential away from the SE (a metallic interlayer does not), the SE
decomposes on its own only when it faces the potential and is outside its window. The features (`features.thermo`)
and the output columns (`thermo.columns`) are both read from this batch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from degrade_ml.chemistry.families import ANODE_MAX_POTENTIAL_V
from degrade_ml.rows import distinct_columns, distinct_results, first_non_empty, object_array, per_distinct_values
from degrade_ml.thermo.conduction import (breach_warning, breaching_conductors, interlayer_warning, interphase_class,
                                         interphase_conduction, passes_potential)
from degrade_ml.thermo.engine import Contact, ThermoCoverageError, ThermoEngine
from degrade_ml.thermo.stack import coating_reduction, se_decomposition, se_decomposition_energy
from degrade_ml.vocab import PRODUCT_CLASSES


@dataclass(frozen=True)
class InterfaceBatch:
    """One entry per interface. Rows whose materials lie outside the table (`covered` False) hold their `error`, the
    potential as given and NaN elsewhere. Energies are meV/atom (per non-Li atom when Li is open), NaN where a contact
    does not exist or the potential is unknown."""

    covered: np.ndarray  # bool
    error: np.ndarray  # str, "" when covered
    potential_V: np.ndarray  # the potential the interface holds (0 V against Li metal), NaN when unknown
    reduction_V: np.ndarray
    oxidation_V: np.ndarray
    erxn: np.ndarray  # (n, 3): SE|electrode, SE|coating, coating|electrode
    se_decomposition_energy: np.ndarray  # the SE's own decomposition energy at the potential
    complete: np.ndarray  # bool: every contact's materials are in the table (or beside an approximant)
    classes: np.ndarray  # (n, len(PRODUCT_CLASSES)) bool: the product classes of the contacts present
    interphase: np.ndarray  # "stable", "passivating" or "continuous" (`conduction.interphase_stability`)
    # the interphase the SE and electrode form where they meet through the coating's gaps (`interphase` uncoated),
    # and its product classes (`classes` uncoated)
    bare_interphase: np.ndarray
    bare_classes: np.ndarray
    driving_force_meV: np.ndarray  # ≥ 0 (`driving_force`)
    warnings: np.ndarray  # tuples of text

    def __len__(self) -> int:
        return len(self.covered)


def analyse_interfaces(engine: ThermoEngine, se, electrode, coating, potential_V) -> InterfaceBatch:
    """The batch of interfaces SE | coating ("" for none) | electrode at `potential_V` (NaN for none), each a 1-D
    sequence of the same length."""
    se, electrode, coating = (np.asarray(v, dtype=object) for v in (se, electrode, coating))
    potential = np.asarray(potential_V, dtype=float)
    n = len(se)
    error = _coverage_errors(engine, se, electrode, coating)
    covered = error == ""
    nan = np.full(n, np.nan)
    fields = {"potential_V": potential.copy(), "reduction_V": nan.copy(), "oxidation_V": nan.copy(),
              "erxn": np.full((n, 3), np.nan), "se_decomposition_energy": nan.copy(), "complete": np.zeros(n, bool),
              "classes": np.zeros((n, len(PRODUCT_CLASSES)), bool), "interphase": np.full(n, None, dtype=object),
              "bare_interphase": np.full(n, None, dtype=object), "bare_classes": np.zeros((n, len(PRODUCT_CLASSES)), bool),
              "driving_force_meV": nan.copy(), "warnings": object_array([(e,) for e in error])}
    rows = np.flatnonzero(covered)
    if len(rows):
        for name, values in _covered(engine, se[rows], electrode[rows], coating[rows], potential[rows]).items():
            fields[name][rows] = values
    return InterfaceBatch(covered=covered, error=error, **fields)


def parts_first_needed(engine: ThermoEngine, se, electrode, coating, potential_V) -> np.ndarray:
    """True for the rows that are the first to need one of their parts (the SE's window and decomposition, a contact)
    and for rows with a material outside the table: only those rows cost anything, the others find every part
    computed."""
    keys = pd.DataFrame({"se": se, "electrode": electrode, "coating": coating, "potential": potential_V})
    covered = _coverage_errors(engine, *(keys[c].to_numpy(dtype=object) for c in ("se", "electrode", "coating"))) == ""
    first = ~covered
    rows = np.flatnonzero(covered)
    keys["coating potential"] = np.where(_conducting(keys["coating"].to_numpy(dtype=object)), potential_V, np.nan)
    for columns in (["se", "potential"], ["se", "electrode", "potential"], ["se", "coating", "coating potential"],
                    ["coating", "electrode", "potential"]):
        first[rows[distinct_columns([keys[c].to_numpy()[rows] for c in columns])[0]]] = True
    return first


def _covered(engine: ThermoEngine, se, electrode, coating, potential) -> dict[str, np.ndarray]:
    """The fields of interfaces whose materials are all inside the table."""
    n = len(se)
    li = per_distinct_values(lambda e: engine.material(e).composition.reduced_formula == "Li", electrode).astype(bool)
    at = np.where(li, 0.0, potential)  # what the coating and the bare SE face
    known, coated = ~np.isnan(at), coating != ""
    conducting = _conducting(coating)  # an interlayer that passes the potential on to the SE
    windows, window_of = distinct_results(engine.window, se)
    reduction = np.array([_nan(w.reduction_limit_V) for w in windows])[window_of]
    oxidation = np.array([_nan(w.oxidation_limit_V) for w in windows])[window_of]
    se_electrode = _contacts(engine, se, electrode, potential, np.ones(n, bool), electrode_side=True, se_side=True)
    se_coating = _contacts(engine, se, coating, np.where(conducting, at, np.nan), coated, se_side=True)
    coating_electrode = _contacts(engine, coating, electrode, at, coated, electrode_side=True)
    # the coating and the cathode as made: what they do chemically, every charge passes through on its way up
    on_cathode = coated & known & (at >= ANODE_MAX_POTENTIAL_V)
    pristine = np.full(n, np.nan)
    if on_cathode.any():
        pristine[on_cathode] = per_distinct_values(lambda c, e: engine.at_rest(c, e).reaction_energy_meV_atom,
                                                   coating[on_cathode], electrode[on_cathode]).astype(float)
    shielding = coated & ~conducting & known  # an insulating coating facing the potential: its metals' conductors
    reduced = _phase_sets(lambda c, v: coating_reduction(engine, c, v), coating, at, shielding)
    exposed = ~coated | conducting  # the SE faces the electrode potential
    beyond = known & ((at < reduction) | (at > oxidation))
    # below the SE's window, the electronic conductors the electrode reduces a coating to (LiNbO3 on Li: Nb;
    # Li3InCl6: LiIn); none where the electrode oxidises it, whose products stay on the cathode's side of the coating
    reducing = shielding & (at < reduction)
    breach = per_distinct_values(
        lambda below, formed, own_metals, c, e, s: breaching_conductors(formed + own_metals, c, e, s) if below else (),
        reducing, coating_electrode["products"], reduced["products"], coating, electrode, se)
    breached = np.array([bool(phases) for phases in breach], dtype=bool)
    # the SE alone where the potential lies beyond its window
    decomposed = _phase_sets(lambda s, v: se_decomposition(engine, s, v), se, at, beyond)
    meets = exposed | breached  # ... where it faces that potential, also through a breached coating
    alone = {"products": decomposed["products"].copy(), "classes": decomposed["classes"] & meets[:, None],
             "reacts": decomposed["reacts"] & meets}
    alone["products"][~meets] = object_array([()] * int((~meets).sum()))
    own = np.full(n, np.nan)
    if known.any():
        own[known] = per_distinct_values(lambda s, v: se_decomposition_energy(engine, s, v), se[known],
                                         at[known]).astype(float)
    # the parts that meet at the interface: the SE's own decomposition where it faces the potential, and its contact
    # with the electrode, or the coating's two (each part is empty where it does not exist)
    second = {k: np.where(coated if k != "classes" else coated[:, None], coating_electrode[k], se_electrode[k])
              for k in ("products", "classes")}
    reacts = np.where(coated, se_coating["reacts"] | coating_electrode["reacts"], se_electrode["reacts"])
    reacts |= alone["reacts"] | reduced["reacts"]
    no_interlayer = np.full(n, "", dtype=object)
    interlayer = np.where(conducting, coating, no_interlayer)
    formed, conducts = (_conduction(alone["products"], electrode, interlayer, se)
                        | _conduction(se_coating["products"], electrode, interlayer, se)
                        | _conduction(second["products"], electrode, interlayer, se)
                        | _conduction(reduced["products"], electrode, interlayer, se))
    bare_formed, bare_conducts = (_conduction(decomposed["products"], electrode, no_interlayer, se)
                                  | _conduction(se_electrode["products"], electrode, no_interlayer, se))
    return {
        "potential_V": at, "reduction_V": reduction, "oxidation_V": oxidation,
        "erxn": np.column_stack([se_electrode["energy"], se_coating["energy"], coating_electrode["energy"]]),
        "se_decomposition_energy": own,
        "complete": se_electrode["complete"] & se_coating["complete"] & coating_electrode["complete"],
        "classes": alone["classes"] | se_coating["classes"] | second["classes"] | reduced["classes"],
        "interphase": _interphase(reacts, formed, conducts),
        "bare_interphase": _interphase(se_electrode["reacts"] | decomposed["reacts"], bare_formed, bare_conducts),
        "bare_classes": decomposed["classes"] | se_electrode["classes"],
        "driving_force_meV": driving_force(coated, exposed, breached, se_electrode, se_coating, coating_electrode,
                                           pristine, own),
        "warnings": _warnings([w.warnings for w in windows], window_of, se_electrode, se_coating, coating_electrode,
                              {"warnings": per_distinct_values(lambda c, m: (interlayer_warning(c),) if m else (),
                                                               coating, conducting)},
                              {"warnings": per_distinct_values(
                                  lambda c, p, e: (breach_warning(c, p, e),) if c and p else (),
                                  coating, breach, coating_electrode["energy"])}),
    }


# the share of the bare interface's driving force a coating leaves: no coating covers every particle, crack and
# grain boundary, so a coated interface still degrades more at a higher potential or against a more reactive cathode.
# The review's records span from nothing measurable left (ALD LiNbO3 on NMC811, [19b]) to half the interface (ALD
# Al2O3 on LiCoO2, [39]); 5 %, not the 0.2 % that only broke ties, lets a coated cathode's cut-off tell (README)
COATING_LEAK = 0.05
# E0: a driving force of 1 eV/atom leaves p(stable) = 1/e; set by the spread of driving forces, not fitted to the
# records. The SE|electrode interfaces of the materials table at their nominal potentials have 1.3-2.3 eV/atom
# (interquartile, median 1.83): with E0 = 300 meV every one kept p(stable) < 0.013, and cathodes, potentials and
# anodes differed only in the fourth decimal of the calibrated p(stable).
ENERGY_SCALE_MEV = 1000.0


def kinetic_survival(force_meV: np.ndarray) -> np.ndarray:
    """The chance a reaction with this driving force (meV/atom, ≥ 0) has not run, exp(-E/E0)."""
    return np.exp(-np.asarray(force_meV, dtype=float) / ENERGY_SCALE_MEV)


def driving_force(coated: np.ndarray, exposed: np.ndarray, breached: np.ndarray, se_electrode: dict,
                  se_coating: dict, coating_electrode: dict, pristine: np.ndarray, own: np.ndarray) -> np.ndarray:
    """The interface's total driving force (meV/atom, ≥ 0): every contact that exists, plus the own decomposition at
    the electrode potential of the material touching the electrode (the bare SE, or the coating, which spares the SE
    that potential unless it conducts: `exposed`). Summed as independent hazards, so that a cathode's own chemistry
    still counts when the SE's oxidation at that potential is the same for every cathode (LiCoO2, NMC, LiMn2O4 and
    LiFePO4 at 4.3 V). A coating the electrode turns into an electronic conductor (`breached`) passes the potential on
    once that reaction has run: the SE's own decomposition counts by the chance it has (1 - exp(-E/E0) of the
    coating's contact), so LLZO, barely reduced by Li, still shields, and LiNbO3, reduced to Nb, mostly does not.
    A coating on a cathode counts at least what it does chemically with the cathode as made (`pristine`, NaN
    elsewhere; `ThermoEngine.at_rest`): a cell charged to any cut-off has passed through that rest state, so what
    the coating did there is not lost as the cut-off rises (Al2O3 reacts with LiCoO2 at rest, -30 meV/atom, and not
    with it delithiated above 4.2 V)."""
    def hazard(energy: np.ndarray) -> np.ndarray:
        return np.where(0.0 > -energy, 0.0, -energy)  # max(-E, 0)

    se_alone = hazard(np.where(np.isnan(own) | (own == 0), 0.0, own))
    bare = 0.0 + hazard(se_electrode["energy"]) + se_alone
    coating_side = (np.fmax(hazard(coating_electrode["energy"]), hazard(pristine))
                    + hazard(coating_electrode["decomposition_a"]))
    passed_on = np.where(exposed, 1.0, np.where(breached, 1.0 - kinetic_survival(coating_side), 0.0))
    with_coating = (0.0 + hazard(se_coating["energy"]) + coating_side + passed_on * se_alone + COATING_LEAK * bare)
    return np.where(coated, with_coating, bare)


def _phase_sets(compute, materials: np.ndarray, potential: np.ndarray, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Per row, the (phases, classes) `compute` gives for its material at its potential, once per distinct pair, and
    whether any phase forms; rows outside `rows` form nothing."""
    n = len(materials)
    out = {"products": object_array([()] * n), "classes": np.zeros((n, len(PRODUCT_CLASSES)), bool),
           "reacts": np.zeros(n, bool)}
    if rows.any():
        found, codes = distinct_results(compute, materials[rows], potential[rows])
        out["products"][rows] = object_array([phases for phases, _ in found])[codes]
        out["reacts"][rows] = np.array([bool(phases) for phases, _ in found], dtype=bool)[codes]
        out["classes"][rows] = np.array([[k in classes for k in PRODUCT_CLASSES] for _, classes in found])[codes]
    return out


def _contacts(engine: ThermoEngine, a, b, potential, rows: np.ndarray, electrode_side: bool = False,
              se_side: bool = False) -> dict[str, np.ndarray]:
    """Per row, what the interface reads of the contact a|b at `potential` (NaN: chemical), as the electrode meets it
    when b is the electrode (`ThermoEngine.at_electrode`); rows outside `rows` have no such contact (NaN energy,
    nothing formed, complete). Where a is the SE (`se_side`), what forms is read on its side of the mixing line
    (`Contact.interphase_products`); a coating's contact with the electrode, two thin layers, keeps the minimum."""
    n = len(a)
    out = {"energy": np.full(n, np.nan), "decomposition_a": np.full(n, np.nan), "reacts": np.zeros(n, bool),
           "complete": np.ones(n, bool), "classes": np.zeros((n, len(PRODUCT_CLASSES)), bool),
           "products": object_array([()] * n), "warnings": object_array([()] * n)}
    if not rows.any():
        return out

    def contact(x: str, y: str, v: float) -> Contact:
        found = engine.contact(x, y, None if np.isnan(v) else float(v))
        return engine.at_electrode(found) if electrode_side else found

    found, codes = distinct_results(contact, a[rows], b[rows], potential[rows])
    out["energy"][rows] = np.array([c.reaction_energy_meV_atom for c in found], dtype=float)[codes]
    out["decomposition_a"][rows] = np.array([c.decomposition_energy_a_meV_atom for c in found], dtype=float)[codes]
    out["reacts"][rows] = np.array([c.reacts for c in found], dtype=bool)[codes]
    out["complete"][rows] = np.array([c.coverage == "complete" for c in found], dtype=bool)[codes]
    classes = [c.interphase_classes if se_side else c.product_classes for c in found]
    out["classes"][rows] = np.array([[k in named for k in PRODUCT_CLASSES] for named in classes], dtype=bool)[codes]
    out["products"][rows] = object_array([c.interphase_products if se_side else c.products for c in found])[codes]
    out["warnings"][rows] = object_array([c.warnings for c in found])[codes]
    return out


def _conduction(phases: np.ndarray, electrode: np.ndarray, interlayer: np.ndarray, se: np.ndarray) -> np.ndarray:
    """(2, n): whether each row's phases form an interphase on its electrode, and whether one of them conducts
    (`interphase_conduction`), once per distinct phases, electrode, interlayer and SE; a union of phases gives the OR
    of its parts'."""
    found, codes = distinct_results(interphase_conduction, phases, electrode, interlayer, se)
    return np.array(found, dtype=bool).reshape(-1, 2)[codes].T


def _interphase(reacts: np.ndarray, formed: np.ndarray, conducts: np.ndarray) -> np.ndarray:
    """`interphase_class` of every row, asked once for each of its eight outcomes."""
    outcomes = np.array([interphase_class(r, f, c) for r in (False, True) for f in (False, True)
                         for c in (False, True)], dtype=object)
    return outcomes[4 * reacts + 2 * formed + conducts]


def _warnings(window_warnings: list, window_of: np.ndarray, *contacts: dict) -> np.ndarray:
    """The window's warnings, then those of every contact (and the metallic interlayer's), each once, in that order."""
    sources = [object_array(window_warnings)[window_of], *(c["warnings"] for c in contacts)]
    found, codes = distinct_results(lambda *parts: tuple(dict.fromkeys(w for part in parts for w in part)), *sources)
    return object_array(found)[codes]


def _conducting(coating: np.ndarray) -> np.ndarray:
    """Whether each coating ("" for none) is a metallic interlayer (`passes_potential`), once per distinct coating."""
    return per_distinct_values(lambda c: bool(c) and passes_potential(c), coating).astype(bool)


def _coverage_errors(engine: ThermoEngine, se, electrode, coating) -> np.ndarray:
    """Each row's error when a material lies outside the table: the SE's, else the electrode's, else the coating's."""
    def error(formula: str) -> str:
        try:
            engine.material(formula)
        except ThermoCoverageError as outside:
            return str(outside)
        return ""

    errors = [per_distinct_values(lambda f: error(f) if f else "", v) for v in (se, electrode, coating)]
    return first_non_empty(errors) if len(se) else np.zeros(0, dtype=object)


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)
