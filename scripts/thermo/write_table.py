"""The output stage of the table build: data/thermo/phases.csv and build_info.json from the CHGNet relaxation
checkpoint and the Materials Project entries that ship in pymatgen's wheel. Needs pymatgen only (no CHGNet, no torch).

How the two sources are combined (the choice is justified in reports/thermo.md, candidates scored on held-out error):
* every phase's energy = Σ x_el E_ref(el) + its formation energy per atom from its own source, so each source is
  aligned on its own elemental references: E_ref(el) is the lowest CHGNet elemental phase, or, for an element the
  CHGNet build lacks, the wheel's MP elemental entry (added as a phase; CHGNet predicts energies on the Materials
  Project's absolute scale, so a CHGNet compound of such an element is referenced to it too);
* a compound the wheel holds comes from the wheel (MP2020-corrected GGA/GGA+U energy); its CHGNet rows are dropped
  (the formula has one source); every other compound is CHGNet 0.3.0 as relaxed (MP2020-compatible energy), or, in
  the sub-classes where CHGNet's r2SCAN checkpoint has the lower held-out error (degrade_ml.thermo.source_choice),
  that checkpoint's formation energy on its own elemental references, unshifted;
* the rest then get the same per-species shifts (degrade_ml.thermo.fitted_references), fitted to every wheel
  compound and every CHGNet compound the wheel does not hold outside those sub-classes that has an experimental
  enthalpy, except the compounds added after the v2 table (LATER_ELEMENTS: V, Sc, Zn, Au, Cr, Bi, As, Er, Ho, Hf, Ga, Sr, Ba;
  LATER_FORMULAS: the Mn, Fe, Co and Ni bromides, Li2B4O7, LaPO4), which
  neither enter the fit nor choose the r2SCAN classes, so that adding them moves no earlier energy; they give only
  a species the fit has not seen (Sc) its shift, with the others held fixed (FittedReferences.extend).

Run from the repository root: python scripts/thermo/build_phase_table.py --outputs-only"""

from __future__ import annotations

import csv
import json
import os
import warnings
from pathlib import Path

from pymatgen.core import Composition, Structure
from pymatgen.entries.compatibility import MaterialsProject2020Compatibility
from pymatgen.entries.computed_entries import ComputedStructureEntry

from degrade_ml.thermo.fitted_references import FittedReferences
from degrade_ml.thermo.source_choice import (
    chemistry_subclass,
    comparison_errors,
    later_fit_set,
    r2scan_classes,
    shift_fit_set,
)
from degrade_ml.thermo.sources import (
    CHGNET,
    EXPERIMENT_FILE,
    LATER_ELEMENTS,
    LATER_FORMULAS,
    MP_FILE,
    MP_WHEEL,
    R2SCAN,
    WHEEL_ONLY_ELEMENTS,
    SourceCompound,
    chgnet_compounds,
    experimental_formation_energies,
    file_sha256,
    mp_hubbard_elements,
    mp_wheel_compounds,
    phase_formation_energies,
    r2scan_compounds,
    r2scan_phases,
    wheel_path,
)

HERE = Path(__file__).resolve().parent
R2SCAN_FILE = "r2scan_energies.json"  # scripts/thermo/r2scan_energies.py
CARRIED_OVER = ("chgnet_version", "model_name", "torch_version", "relaxation", "torch_num_threads", "seed")


def load_ckpt(path: Path) -> dict[str, dict]:
    rows = {}
    if path.exists():
        with path.open() as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    rows[r["phase_id"]] = r  # last one wins (a --redo appends a new line)
    return rows


def mp_parameters(structure: Structure) -> dict:
    """MP run parameters: GGA+U (MP U values) iff a U element co-occurs with O or F."""
    u_elements = mp_hubbard_elements(structure.composition)
    if not u_elements:
        return {"run_type": "GGA", "is_hubbard": False, "hubbards": {}}
    u_table = MaterialsProject2020Compatibility(check_potcar=False).u_settings["O"]
    return {"run_type": "GGA+U", "is_hubbard": True,
            "hubbards": {el.symbol: u_table.get(el.symbol, 0.0) for el in structure.composition.elements}}


def corrected(structure: Structure, e_chgnet_total: float, compat) -> ComputedStructureEntry:
    """CHGNet 0.3.0 is trained on MPtrj *MP2020-corrected* energies (the chgnet fine-tuning example corrects raw
    VASP energies with MaterialsProject2020Compatibility before using them as labels), so the CHGNet energy *is*
    the corrected energy; the MP2020 correction is computed for the record and the implied raw GGA(+U) energy =
    CHGNet - correction is stored as the entry's uncorrected energy."""
    params = mp_parameters(structure)
    probe = compat.process_entry(ComputedStructureEntry(structure, e_chgnet_total, parameters=params), clean=True)
    if probe is None:
        raise RuntimeError(f"MP2020 rejected {structure.composition.reduced_formula} with {params}")
    return compat.process_entry(ComputedStructureEntry(structure, e_chgnet_total - probe.correction, parameters=params),
                                clean=True)


def _chgnet_entries(ckpt: dict[str, dict], phases: dict) -> tuple[dict, dict[str, float]]:
    """Each checkpointed phase as an MP2020-compatible entry (build order), and the lowest elemental energies."""
    compat = MaterialsProject2020Compatibility(check_potcar=False)
    order = [p for p in phases if p in ckpt] + [p for p in ckpt if p not in phases]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        entries = {pid: corrected(Structure.from_dict(ckpt[pid]["structure"]), ckpt[pid]["energy_total_eV"], compat)
                   for pid in order}
    references: dict[str, float] = {}
    for e in entries.values():
        if e.composition.is_element:
            el = e.composition.elements[0].symbol
            references[el] = min(references.get(el, 1e9), e.energy_per_atom)
    return entries, references


def _chgnet_rows(ckpt: dict[str, dict], phases: dict, entries: dict, references: dict[str, float],
                 wheel_formulas: set[str], shifts: FittedReferences, r2scan: dict[str, float]) -> list[dict]:
    """The CHGNet phases the wheel lacks: CHGNet 0.3.0 + shifts, or, for a phase in `r2scan` (phase_id -> its r2SCAN
    formation energy), the r2SCAN checkpoint's formation energy, unshifted; fitted_correction_per_atom_eV is then what
    moves the 0.3.0 MP2020-level energy to it, so the table's MP2020 and GGA levels stay CHGNet 0.3.0's."""
    out = []
    for pid, e in entries.items():
        r, comp = ckpt[pid], e.composition
        if comp.reduced_formula in wheel_formulas:
            continue
        formation, fitted = "", 0.0
        if all(el.symbol in references for el in comp.elements):
            reference = sum(references[el.symbol] * comp.get_atomic_fraction(el) for el in comp.elements)
            fitted = shifts.correction(SourceCompound(comp.reduced_formula, e.energy_per_atom - reference,
                                                      e.energy_per_atom, CHGNET, pid, mp_hubbard_elements(comp)))
            if pid in r2scan:
                fitted = reference + r2scan[pid] - e.energy_per_atom
            formation = f"{e.energy_per_atom + fitted - reference:.5f}"
        ph = phases.get(pid)
        gga_u = " (GGA+U)" if e.parameters["run_type"] == "GGA+U" else ""
        method = (f"CHGNet r2SCAN checkpoint (the lower of a single point and a relaxation from the authored structure), formation energy unshifted (class {chemistry_subclass(comp.reduced_formula)})"
                  if pid in r2scan else f"CHGNet 0.3.0 relax (MP2020-compatible energies){gga_u} + fitted species shifts")
        out.append({
            "phase_id": pid, "formula": comp.reduced_formula, "energy_per_atom_eV": f"{e.energy_per_atom + fitted:.5f}",
            "uncorrected_energy_per_atom_eV": f"{e.uncorrected_energy_per_atom:.5f}",
            "correction_per_atom_eV": f"{e.correction_per_atom:.5f}", "fitted_correction_per_atom_eV": f"{fitted:.5f}",
            "formation_energy_per_atom_eV": formation, "space_group": r["space_group"], "nsites": len(e.structure),
            "source": R2SCAN if pid in r2scan else CHGNET, "mp_id": "", "method": method,
            "structure_source": ph.source if ph else r.get("source", ""),
            "note": (ph.note if ph else r.get("note", "")) + ("" if r.get("converged", True) else
                                                              f"; relaxation stopped at max steps (fmax {r['final_fmax']:.3f})"),
        })
    return out


def r2scan_formation_energies(path: Path, classes: frozenset[str]) -> dict[str, float]:
    """phase_id -> r2SCAN formation energy per atom of every compound phase in one of `classes`."""
    phases = r2scan_phases(path)
    return {pid: formation for pid, formation in phase_formation_energies(phases).items()
            if not Composition(phases[pid]["formula"]).is_element
            and chemistry_subclass(Composition(phases[pid]["formula"]).reduced_formula) in classes}


def wheel_phases(elements: set[str], chgnet_references: set[str]) -> dict:
    """The wheel's MP compounds made only of the build's elements and WHEEL_ONLY_ELEMENTS, except the elemental
    entries of the elements whose reference is a CHGNet phase."""
    allowed = elements | WHEEL_ONLY_ELEMENTS
    return {f: c for f, c in mp_wheel_compounds(True).items()
            if {el.symbol for el in c.composition.elements} <= allowed
            and not (c.composition.is_element and c.composition.elements[0].symbol in chgnet_references)}


def _mp_rows(wheel: dict, references: dict[str, float], shifts: FittedReferences) -> list[dict]:
    raw = mp_wheel_compounds(False)
    out = []
    for formula, c in sorted(wheel.items(), key=lambda kv: (len(kv[1].composition.elements), kv[0])):
        comp = c.composition
        fitted = shifts.correction(c)
        formation = c.formation_energy_eV_atom + fitted
        energy = formation + sum(references[el.symbol] * comp.get_atomic_fraction(el) for el in comp.elements)
        mp2020 = c.energy_per_atom_eV - raw[formula].energy_per_atom_eV
        gga_u = " (GGA+U)" if c.hubbard else ""
        out.append({
            "phase_id": c.ident, "formula": formula, "energy_per_atom_eV": f"{energy:.5f}",
            "uncorrected_energy_per_atom_eV": f"{energy - mp2020 - fitted:.5f}",
            "correction_per_atom_eV": f"{mp2020:.5f}", "fitted_correction_per_atom_eV": f"{fitted:.5f}",
            "formation_energy_per_atom_eV": f"{formation:.5f}", "space_group": "", "nsites": "",
            "source": MP_WHEEL, "mp_id": c.ident,
            "method": f"Materials Project GGA/GGA+U{gga_u}, MP2020 correction + fitted species shifts",
            "structure_source": f"Materials Project {c.ident} (pymatgen wheel, {MP_FILE})",
            "note": "energy aligned on the table's elemental references through its MP formation energy",
        })
    return out


def write_outputs(ckpt_path: Path, csv_path: Path, info_path: Path, phases: dict, structures_sha256: str) -> None:
    """Write phases.csv and build_info.json (relaxation provenance carried over from the existing build_info.json,
    which describes the checkpoint; the relax stage rewrites it)."""
    import pymatgen.core

    ckpt = load_ckpt(ckpt_path)
    entries, references = _chgnet_entries(ckpt, phases)
    chgnet_elements = {el.symbol for r in ckpt.values() for el in Composition(r["formula"]).elements}
    wheel = wheel_phases(chgnet_elements, set(references))
    for c in wheel.values():  # an element without a CHGNet phase takes the wheel's (both on MP's absolute scale)
        if c.composition.is_element:
            references[c.composition.elements[0].symbol] = c.energy_per_atom_eV
    experiment, full_wheel, chgnet = experimental_formation_energies(), mp_wheel_compounds(True), chgnet_compounds(ckpt_path)
    r2scan_path = ckpt_path.with_name(R2SCAN_FILE)
    classes = r2scan_classes(*comparison_errors(full_wheel, chgnet, r2scan_compounds(r2scan_path), experiment),
                             classify=chemistry_subclass)
    shifts = FittedReferences().fit(shift_fit_set(full_wheel, chgnet, classes, chemistry_subclass), experiment).extend(
        later_fit_set(full_wheel, chgnet, classes, chemistry_subclass), experiment)
    rows = _chgnet_rows(ckpt, phases, entries, references, {f for f in wheel if len(wheel[f].composition.elements) > 1},
                        shifts, r2scan_formation_energies(r2scan_path, classes))
    rows += _mp_rows(wheel, references, shifts)
    tmp = csv_path.with_name(csv_path.name + ".tmp")
    with tmp.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    os.replace(tmp, csv_path)
    previous = json.loads(info_path.read_text()) if info_path.exists() else {}
    info = {key: previous[key] for key in CARRIED_OVER if key in previous}
    info |= {
        "pymatgen_version": pymatgen.core.__version__,
        "sources": {
            CHGNET: "relaxations of the authored structures (scripts/thermo/structures.py), checkpoint "
                            "data/thermo/relaxed_structures.jsonl; every compound the wheel does not hold outside the "
                            "r2SCAN classes",
            R2SCAN: f"CHGNet's r2SCAN checkpoint, the lower of a single point on those structures and a relaxation from "
                    f"the authored one (data/thermo/{R2SCAN_FILE}); the "
                    "compounds the wheel does not hold in the sub-classes where it beats CHGNet 0.3.0 + shifts on "
                    "held-out error (degrade_ml.thermo.source_choice.chemistry_subclass): " + ", ".join(sorted(classes)),
            MP_WHEEL: f"Materials Project GGA/GGA+U ComputedEntries in pymatgen's wheel ({MP_FILE}, mp-id in mp_id), "
                      "MaterialsProject2020Compatibility(check_potcar=False), S with a positive oxidation state marked "
                      "as sulfate; every compound of the build's elements and " + " ".join(sorted(WHEEL_ONLY_ELEMENTS)),
        },
        "energy_correction": "CHGNet rows: CHGNet 0.3.0 predicts MP2020-corrected energies (MPtrj labels), "
                             "correction_per_atom_eV = the MP2020 correction of the same entry, for the record (included "
                             "in the CHGNet energy). MP rows: correction_per_atom_eV = MP2020. Both: "
                             "fitted_correction_per_atom_eV = per-species shifts "
                             "(degrade_ml.thermo.fitted_references, ridge alpha "
                             f"{shifts.alpha}) fitted to {len(shifts.formulas_)} compounds in {EXPERIMENT_FILE} (every wheel compound, "
                             "and every CHGNet compound the wheel does not hold, with an experimental enthalpy; "
                             "compounds without an anion former neither fitted nor shifted). r2SCAN rows: unshifted "
                             "r2SCAN formation energy, neither fitted nor shifted; their fitted_correction_per_atom_eV "
                             "is the step from the CHGNet 0.3.0 MP2020-level energy to it (the MP2020 and GGA levels "
                             "stay CHGNet 0.3.0's)",
        "later_elements": "the CHGNet compounds of " + ", ".join(sorted(LATER_ELEMENTS)) + " (added after the v2 table, "
                          "scripts/thermo/structures_elements.py, structures_arsenic.py, structures_halide_metals.py "
                          "and structures_coating_metals.py) and " + ", ".join(sorted(LATER_FORMULAS)) +
                          " (scripts/thermo/structures_bromides.py; Li2B4O7 and LaPO4, structures_oxide_electrolytes.py; "
                          "La2S3 and LaCl3, structures_rare_earth_sulfides.py; TiF4, YF3 and ZrF4, "
                          "structures_fluorides.py) are "
                          "left out of the shift fit and of the r2SCAN class "
                          "choice, so the fit population and every earlier energy stay the v2 table's; they are "
                          "shifted with those shifts, and a species the fit never saw (Sc) takes a shift fitted to "
                          "them with every other shift held fixed (FittedReferences.extend)",
        "r2scan_classes": sorted(classes),
        "fitted_shifts_eV": {k: round(v, 5) for k, v in sorted(shifts.shifts_.items())},
        "formation_energy_reference": "each source on its own elemental references: energy_per_atom_eV = Σ x_el E_ref + "
                                      "formation energy from the source; E_ref = lowest CHGNet elemental phase, else the "
                                      "wheel's MP elemental entry",
        "source_choice": "a formula the wheel holds comes from the wheel only, then the fitted shifts on every compound "
                         "(lowest held-out error of the candidates, reports/thermo.md)",
        "polymorphs": "kept with distinct phase_ids (PhaseDiagram uses the lowest)",
        "inputs_sha256": {"structures.py": structures_sha256, "relaxed_structures.jsonl": file_sha256(ckpt_path),
                          R2SCAN_FILE: file_sha256(r2scan_path), MP_FILE: file_sha256(wheel_path(MP_FILE)), EXPERIMENT_FILE: file_sha256(wheel_path(EXPERIMENT_FILE))},
        "structures_sha256": structures_sha256,
        "phases_sha256": file_sha256(csv_path),
        "n_phases": len(rows),
        "n_phases_by_source": {s: sum(r["source"] == s for r in rows) for s in (CHGNET, R2SCAN, MP_WHEEL)},
    }
    with info_path.open("w") as f:
        json.dump(info, f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
