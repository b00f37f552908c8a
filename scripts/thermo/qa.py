"""Quality checks of data/thermo/phases.csv (prints a report; writes nothing).

(a) formation energies vs pymatgen's bundled experimental table (analysis/compatibility/exp_compounds.json.gz)
(b) energy above hull of phases known to be stable
(c) electrochemical stability window of Li3PS4 (Li-open grand-potential hull, mu_Li = E(Li bcc) - eV)
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
from pymatgen.analysis.phase_diagram import GrandPotentialPhaseDiagram, PDEntry, PhaseDiagram  # noqa: E402
from pymatgen.core import Composition, Element  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
rows = list(csv.DictReader(open(os.path.join(ROOT, "data", "thermo", "phases.csv"))))
entries = []
for r in rows:
    c = Composition(r["formula"])
    e = PDEntry(c, float(r["energy_per_atom_eV"]) * c.num_atoms, name=r["phase_id"])
    entries.append(e)
_pd_cache = {}


def pd_for(chemsys):
    """Phase diagram of one chemical system (a hull over all ~40 elements at once is intractable)."""
    key = tuple(sorted(chemsys))
    if key not in _pd_cache:
        sub = [e for e in entries if {el.symbol for el in e.composition.elements} <= set(key)]
        _pd_cache[key] = PhaseDiagram(sub)
    return _pd_cache[key]


def chemsys(e):
    return {el.symbol for el in e.composition.elements}

# (a) experimental formation enthalpies
import pymatgen.analysis.compatibility as pc  # noqa: E402

exp = json.load(gzip.open(os.path.join(os.path.dirname(pc.__file__), "exp_compounds.json.gz")))
exp_by = {}
for d in exp:
    try:
        c = Composition(d["formula"])
    except Exception:  # noqa: BLE001
        continue
    exp_by.setdefault(c.reduced_formula, d["exp energy"] / c.num_atoms)  # eV per formula unit -> per atom
best = {}
for e in entries:
    f = e.composition.reduced_formula
    ef = pd_for(chemsys(e)).get_form_energy_per_atom(e)
    if f not in best or ef < best[f][0]:
        best[f] = (ef, e.name)
cmp_ = [(f, best[f][1], best[f][0], exp_by[f]) for f in best if f in exp_by and len(Composition(f).elements) > 1]
err = np.array([c[2] - c[3] for c in cmp_])
print(f"(a) {len(cmp_)} compounds in both: MAE {1000 * np.abs(err).mean():.0f} meV/atom, "
      f"median |err| {1000 * np.median(np.abs(err)):.0f}, mean signed {1000 * err.mean():+.0f}")
for f, pid, ef, ex in sorted(cmp_, key=lambda c: -abs(c[2] - c[3]))[:12]:
    print(f"    {f:12s} {pid:22s} calc {ef:+.3f} exp {ex:+.3f}  err {1000 * (ef - ex):+5.0f} meV/atom")

# (b) hull check
print("(b) energy above hull (meV/atom), all phases > 30 meV/atom:")
ehull = {e.name: pd_for(chemsys(e)).get_e_above_hull(e) for e in entries}
for e in sorted(entries, key=lambda x: -ehull[x.name]):
    if ehull[e.name] > 0.030:
        dec = pd_for(chemsys(e)).get_decomp_and_e_above_hull(e)[0]
        print(f"    {e.name:24s} {e.composition.reduced_formula:12s} {1000 * ehull[e.name]:6.0f}  -> "
              + " + ".join(sorted(x.name for x in dec)))
known = ["li2s-c1", "li3p-na3as", "licl-b1", "libr-b1", "lii-b1", "lif-b1", "li3ps4-gamma", "li3po4-beta", "licoo2-o3",
         "li2o-c1", "linbo3-r3c", "li2zro3", "li2co3-c2c", "li2o2-p63mmc", "limn2o4-spinel", "lifepo4-olivine", "li2mno3-c2m",
         "al2o3-corundum", "zro2-baddeleyite", "tio2-rutile", "sio2-quartz", "li2sio3-cmc21", "li4ti5o12-approx",
         "litao3-r3c", "linio2-o3", "nio-b1", "coo-b1", "mno-b1", "co3o4-spinel", "fe2o3-corundum", "fes2-pyrite",
         "cos2-pyrite", "nis2-pyrite", "mns-b1", "tis2-c6", "zrs2-c6", "sns2-c6", "sb2s3-stibnite", "li3sb-bif3",
         "liin-natl", "li6ps5cl-argyrodite", "lgps-p42nmc", "li4p2s6-p31m", "p4s10-mol", "li15si4", "li15ge4"]
fails = [(k, ehull[k]) for k in known if k in ehull and ehull[k] > 0.030]
print(f"    known-stable checked: {sum(k in ehull for k in known)}, above 30 meV/atom: "
      + ", ".join(f"{k} {1000 * v:.0f}" for k, v in fails))

# (c) Li3PS4 window
sub = [e for e in entries if {el.symbol for el in e.composition.elements} <= {"Li", "P", "S"}]
mu_li0 = min(e.energy_per_atom for e in sub if e.composition.reduced_formula == "Li")
target = [e for e in sub if e.composition.reduced_formula == "Li3PS4"]
target = min(target, key=lambda e: e.energy_per_atom)
stable_v = []
for v in np.arange(0.0, 4.0001, 0.01):
    gpd = GrandPotentialPhaseDiagram(sub, {Element("Li"): mu_li0 - v})
    ge = [g for g in gpd.all_entries if g.original_entry is target][0]
    if gpd.get_e_above_hull(ge) < 1e-6:
        stable_v.append(v)
if stable_v:
    print(f"(c) Li3PS4 ({target.name}) stable for {min(stable_v):.2f}-{max(stable_v):.2f} V vs Li/Li+ "
          f"(published DFT ~1.71-2.31 V)")
    for v in (min(stable_v) - 0.01, max(stable_v) + 0.01):
        gpd = GrandPotentialPhaseDiagram(sub, {Element("Li"): mu_li0 - v})
        ge = [g for g in gpd.all_entries if g.original_entry is target][0]
        dec = gpd.get_decomposition(ge.composition)
        print(f"    at {v:.2f} V -> " + " + ".join(sorted(x.original_entry.name for x in dec)))
else:
    ehl = pd_for(chemsys(target)).get_e_above_hull(target)
    print(f"(c) Li3PS4 not stable at any potential (E_hull {1000 * ehl:.0f} meV/atom)")
sys.exit(0)
