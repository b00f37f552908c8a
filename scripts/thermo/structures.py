"""Authored crystal structures for the degrade-ml phase-energy table.

Every phase is one registry entry: ``phase_id`` -> (builder, source, note).  Structures are built either

* from published crystallographic facts (space group, lattice constants, Wyckoff positions) with
  :func:`from_wyckoff`, citing the paper in ``source``; or
* by substituting elements into one of the AFLOW prototypes that pymatgen ships
  (``pymatgen/analysis/prototypes/aflow_prototypes.json.gz``) with :func:`proto`; or
* as an ordered approximant of a partially occupied / disordered / glassy phase: the candidate
  orderings are enumerated deterministically (seeded) and ranked with the single-point energy
  function that the build script installs in :data:`ENERGY_FN` (CHGNet); the lowest is returned.

No structure file is read from anywhere else.  All cells are relaxed afterwards (positions + cell), so
lattice constants only need to be approximately right.
"""

from __future__ import annotations

import gzip
import itertools
import json
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pymatgen.core import Lattice, Structure

# Installed by build_phase_table.py: Structure -> energy per atom (eV), used only to rank orderings.
ENERGY_FN: Callable[[Structure], float] | None = None
# Installed by build_phase_table.py: (Structure, max steps) -> (relaxed Structure, energy per atom), a short CHGNet
# relaxation that ranks packings whose unrelaxed energies say little (structures_thiophosphates.py).
RELAX_FN: Callable[[Structure, int], tuple[Structure, float]] | None = None
SEED = 20240611


@dataclass
class Phase:
    phase_id: str
    build: Callable[[], Structure]
    source: str
    note: str = ""


PHASES: dict[str, Phase] = {}


def register(phase_id: str, source: str, note: str = ""):
    def deco(fn):
        if phase_id in PHASES:
            raise ValueError(f"duplicate phase_id {phase_id}")
        PHASES[phase_id] = Phase(phase_id, fn, source, note)
        return fn

    return deco


def add(phase_id: str, build: Callable[[], Structure], source: str, note: str = "") -> None:
    if phase_id in PHASES:
        raise ValueError(f"duplicate phase_id {phase_id}")
    PHASES[phase_id] = Phase(phase_id, build, source, note)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------
_SYMM = None


def _symops(universal_hm: str):
    global _SYMM
    if _SYMM is None:
        import pymatgen.symmetry as psym

        with open(os.path.join(os.path.dirname(psym.__file__), "symm_ops.json")) as f:
            _SYMM = {d["universal_h_m"]: d["symops"] for d in json.load(f)}
    ops = []
    for s in _SYMM[universal_hm]:
        rows = []
        for expr in s.split(","):
            rows.append(expr)
        ops.append(rows)
    return ops


def _apply(expr: str, x: float, y: float, z: float) -> float:
    return eval(expr, {"__builtins__": {}}, {"x": x, "y": y, "z": z})  # noqa: S307 (trusted table)


def from_wyckoff(hm: str, lattice: Lattice, species: list[str], coords: list[list[float]]) -> Structure:
    """Expand asymmetric-unit sites with the symmetry operators of setting ``hm`` (pymatgen's
    symm_ops.json ``universal_h_m`` label, e.g. 'P 42/n m c :2' for origin choice 2)."""
    ops = _symops(hm)
    sp_out, fc_out = [], []
    for sp, (x, y, z) in zip(species, coords):
        for op in ops:
            p = np.array([_apply(e, x, y, z) for e in op]) % 1.0
            dup = False
            for q, s2 in zip(fc_out, sp_out):
                d = p - q
                d -= np.round(d)
                if np.linalg.norm(lattice.get_cartesian_coords(d)) < 0.3:
                    dup = True
                    break
            if not dup:
                sp_out.append(sp)
                fc_out.append(p)
    return Structure(lattice, sp_out, fc_out)


_PROTOS = None


def proto(aflow: str, mapping: dict[str, str], vpa: float | None = None, mineral: str | None = None) -> Structure:
    """Element substitution into a pymatgen-shipped AFLOW prototype; optional volume/atom rescale."""
    global _PROTOS
    if _PROTOS is None:
        import pymatgen.analysis.prototypes as pp

        with gzip.open(os.path.join(os.path.dirname(pp.__file__), "aflow_prototypes.json.gz"), "rt") as f:
            _PROTOS = json.load(f)
    hits = [e for e in _PROTOS if e["tags"].get("aflow") == aflow
            and set(mapping) <= {sp.symbol for sp in Structure.from_dict(e["snl"]).species}]
    if mineral is not None:
        hits = [e for e in hits if mineral.lower() in (e["tags"].get("mineral") or "").lower()]
    if len(hits) != 1:
        raise KeyError(f"prototype {aflow} ({mineral}) matched {len(hits)}")
    s = Structure.from_dict(hits[0]["snl"])
    s = Structure(s.lattice, [sp.symbol for sp in s.species], s.frac_coords)  # drop labels/oxidation
    s.replace_species({k: v for k, v in mapping.items()})
    if vpa:
        s.scale_lattice(vpa * len(s))
    return s


def lat(a, b=None, c=None, alpha=90, beta=90, gamma=90):
    b = a if b is None else b
    c = a if c is None else c
    return Lattice.from_parameters(a, b, c, alpha, beta, gamma)


def hexl(a, c):
    return Lattice.hexagonal(a, c)


def primitive(s: Structure) -> Structure:
    from pymatgen.symmetry.analyzer import SpacegroupAnalyzer

    try:
        p = SpacegroupAnalyzer(s, symprec=0.05).get_primitive_standard_structure()
        if len(p) <= len(s) and abs(p.composition.reduced_composition == s.composition.reduced_composition):
            return p
    except Exception:  # noqa: BLE001
        pass
    return s


def _rank(cands: list[Structure]) -> Structure:
    """Lowest single-point energy per atom (ENERGY_FN); first candidate if no energy function."""
    if not cands:
        raise ValueError("no candidate ordering")
    if ENERGY_FN is None or len(cands) == 1:
        return cands[0]
    es = [ENERGY_FN(c) for c in cands]
    return cands[int(np.argmin(es))]


def _min_dist_ok(s: Structure, dmin: float) -> bool:
    dm = s.distance_matrix
    np.fill_diagonal(dm, 99)
    return dm.min() >= dmin


def decorate(host: Structure, site_species: str, counts: dict[str, int], dmin: float = 0.0,
             max_cands: int = 60, exhaustive_limit: int = 400) -> Structure:
    """Order ``counts`` (species -> n, 'X' for vacancy) over the sites of ``host`` whose species is
    ``site_species``; enumerate all orderings if few, else a seeded random sample; rank by energy."""
    idx = [i for i, sp in enumerate(host.species) if sp.symbol == site_species]
    labels = []
    for sp, n in counts.items():
        labels += [sp] * n
    if len(labels) != len(idx):
        raise ValueError(f"{len(labels)} labels for {len(idx)} sites")
    rng = random.Random(SEED)
    uniq = sorted(set(itertools.permutations(labels))) if math.factorial(len(labels)) < 5e5 else None
    if uniq is not None and len(uniq) <= exhaustive_limit:
        arrangements = uniq
    else:
        arrangements = []
        seen = set()
        for _ in range(20 * max_cands):
            lab = labels[:]
            rng.shuffle(lab)
            t = tuple(lab)
            if t not in seen:
                seen.add(t)
                arrangements.append(t)
            if len(arrangements) >= max_cands * 4:
                break
    cands = []
    for arr in arrangements:
        s = host.copy()
        rm = []
        for i, lab in zip(idx, arr):
            if lab == "X":
                rm.append(i)
            else:
                s.replace(i, lab)
        s.remove_sites(rm)
        if dmin and not _min_dist_ok(s, dmin):
            continue
        cands.append(s)
    cands = _dedupe(cands)[:max_cands]
    return _rank(cands)


def _dedupe(cands: list[Structure]) -> list[Structure]:
    from pymatgen.analysis.structure_matcher import StructureMatcher

    if len(cands) > 400:
        return cands
    sm = StructureMatcher(primitive_cell=False, attempt_supercell=False, scale=False)
    groups = sm.group_structures(cands)
    return [g[0] for g in groups]


def pick_sites(host: Structure, site_species: str, n_keep: int, dmin: float, n_samples: int = 40,
               keep_label: str = "Li") -> Structure:
    """Keep ``n_keep`` of the (partially occupied) ``site_species`` sites, pairwise >= dmin apart,
    by seeded random greedy sampling; rank the samples by energy."""
    idx = [i for i, sp in enumerate(host.species) if sp.symbol == site_species]
    rng = random.Random(SEED)
    cart = host.cart_coords
    lattice = host.lattice
    cands, seen = [], set()
    for _ in range(4000):
        order = idx[:]
        rng.shuffle(order)
        chosen = []
        for i in order:
            ok = True
            for j in chosen:
                d = lattice.get_distance_and_image(host.frac_coords[i], host.frac_coords[j])[0]
                if d < dmin:
                    ok = False
                    break
            if ok:
                chosen.append(i)
            if len(chosen) == n_keep:
                break
        if len(chosen) != n_keep:
            continue
        key = tuple(sorted(chosen))
        if key in seen:
            continue
        seen.add(key)
        s = host.copy()
        rm = [i for i in idx if i not in chosen]
        for i in chosen:
            s.replace(i, keep_label)
        s.remove_sites(rm)
        cands.append(s)
        if len(cands) >= n_samples:
            break
    del cart
    if not cands:
        raise ValueError(f"could not place {n_keep} sites with dmin={dmin}")
    return _rank(cands)


# --------------------------------------------------------------------------------------------------
# elements
# --------------------------------------------------------------------------------------------------
def _elem(pid, aflow, proto_el, el, vpa, src, note=""):
    add(pid, lambda: proto(aflow, {proto_el: el}, vpa), src, note)


P_BCC = "AFLOW prototype A2 (W, cI2)"
P_FCC = "AFLOW prototype A1 (Cu, cF4)"
P_HCP = "AFLOW prototype A3 (Mg, hP2)"
P_DIA = "AFLOW prototype A4 (diamond, cF8)"

_elem("li-bcc", "A_cI2_229_a", "W", "Li", 20.3, P_BCC + "; Li a=3.51 A")
_elem("p-black", "A_oC8_64_f", "P", "P", 19.0, "AFLOW prototype A17 (black P, Cmce)")
_elem("s-alpha", "A_oF128_70_4h", "S", "S", 25.8, "AFLOW prototype A16 (alpha-S8, Fddd; primitive cell 32 atoms)")
_elem("cl2-mol", "A_oC8_64_f", "I", "Cl", 35.0, "AFLOW prototype A14 (solid I2, Cmce) with Cl; solid Cl2 is isostructural (Cmca)")
_elem("br2-mol", "A_oC8_64_f", "I", "Br", 44.0, "AFLOW prototype A14 (solid I2, Cmce) with Br; solid Br2 is isostructural")
_elem("i2-mol", "A_oC8_64_f", "I", "I", 53.0, "AFLOW prototype A14 (solid I2, Cmce)")
_elem("ge-diamond", "A_cF8_227_a", "C", "Ge", 22.6, P_DIA)
_elem("si-diamond", "A_cF8_227_a", "C", "Si", 20.0, P_DIA)
_elem("sn-alpha", "A_cF8_227_a", "C", "Sn", 34.2, P_DIA + "; grey tin")
_elem("sn-beta", "A_tI4_141_a", "Sn", "Sn", 27.1, "AFLOW prototype A5 (beta-Sn, I41/amd)")
_elem("sb-a7", "A_hR2_166_c", "As", "Sb", 30.2, "AFLOW prototype A7 (alpha-As, R-3m); Sb is isostructural")
_elem("co-hcp", "A_hP2_194_c", "Mg", "Co", 11.1, P_HCP)
_elem("ni-fcc", "A_cF4_225_a", "Cu", "Ni", 10.9, P_FCC)
_elem("mn-alpha", "A_cI58_217_ac2g", "Mn", "Mn", 12.2, "AFLOW prototype A12 (alpha-Mn, I-43m, primitive 29 atoms)")
_elem("fe-bcc", "A_cI2_229_a", "W", "Fe", 11.8, P_BCC)
_elem("al-fcc", "A_cF4_225_a", "Cu", "Al", 16.6, P_FCC)
_elem("nb-bcc", "A_cI2_229_a", "W", "Nb", 18.0, P_BCC)
_elem("ta-bcc", "A_cI2_229_a", "W", "Ta", 18.0, P_BCC)
_elem("zr-hcp", "A_hP2_194_c", "Mg", "Zr", 23.3, P_HCP)
_elem("ti-hcp", "A_hP2_194_c", "Mg", "Ti", 17.6, P_HCP)
_elem("b-alpha", "A_hR12_166_2h", "B", "B", 7.3, "AFLOW prototype alpha-B12 (R-3m)")
_elem("in-tet", "A_tI2_139_a", "In", "In", 26.2, "AFLOW prototype A6 (In, I4/mmm)")
_elem("c-graphite", "A_hP4_194_bc", "C", "C", 8.8, "AFLOW prototype A9 (graphite, P63/mmc)")
_elem("o2-alpha", "A_mC4_12_i", "O", "O", 17.4, "AFLOW prototype alpha-O2 (C2/m molecular crystal)",
      "MP's O2 reference (mp-12957) is also a molecular crystal; MP2020 applies no correction to O2 itself")
_elem("f2-mol", "A_mC4_12_i", "O", "F", 18.0, "alpha-O2 (C2/m) prototype with F",
      "approximant: molecular F2 crystal in the alpha-O2 packing (real alpha-F2 is C2/c)")


# --------------------------------------------------------------------------------------------------
# simple binaries by prototype substitution
# --------------------------------------------------------------------------------------------------
ROCKSALT, ANTIFLUORITE, CDI2, MOS2, PYRITE, NIAS, RUTILE, CORUNDUM, SPINEL = (
    "AB_cF8_225_a_b", "AB2_cF12_225_a_c", "AB2_hP3_164_a_d", "AB2_hP6_194_c_f", "AB2_cP12_205_a_c",
    "AB_hP4_194_c_a", "A2B_tP6_136_f_a", "A2B3_hR10_167_c_e", "A2BC4_cF56_227_d_a_e")
_P = {ROCKSALT: "AFLOW prototype B1 (NaCl)", ANTIFLUORITE: "AFLOW prototype C1 (CaF2), anti-fluorite",
      CDI2: "AFLOW prototype C6 (CdI2)", MOS2: "AFLOW prototype C7 (2H-MoS2)", PYRITE: "AFLOW prototype C2 (pyrite FeS2)",
      NIAS: "AFLOW prototype B8_1 (NiAs)", RUTILE: "AFLOW prototype C4 (rutile TiO2)",
      CORUNDUM: "AFLOW prototype D5_1 (corundum Al2O3)", SPINEL: "AFLOW prototype H1_1 (spinel MgAl2O4)"}


def _sub(pid, aflow, mapping, vpa, note="", src=None, mineral=None):
    add(pid, lambda: proto(aflow, mapping, vpa, mineral), src or _P.get(aflow, f"AFLOW prototype {aflow}"), note)


# rocksalt: proto Na(a) Cl(b)
for pid, a, b, v in (("lif-b1", "Li", "F", 8.2), ("licl-b1", "Li", "Cl", 16.9), ("libr-b1", "Li", "Br", 20.9),
                     ("lii-b1", "Li", "I", 27.0), ("mns-b1", "Mn", "S", 17.8), ("coo-b1", "Co", "O", 9.7),
                     ("nio-b1", "Ni", "O", 9.1), ("mno-b1", "Mn", "O", 11.0), ("feo-b1", "Fe", "O", 10.2)):
    _sub(pid, ROCKSALT, {"Na": a, "Cl": b}, v,
         "AFM/paramagnetic order not represented (CHGNet infers magnetic moments)" if a in "MnCoNiFe" else "")
# anti-fluorite: proto Ca F2 -> O/S on Ca, Li on F
_sub("li2o-c1", ANTIFLUORITE, {"Ca": "O", "F": "Li"}, 8.2)
_sub("li2s-c1", ANTIFLUORITE, {"Ca": "S", "F": "Li"}, 15.5)
# CdI2 type (Cd=M, I=X)
for pid, m, x, v, note in (("tis2-c6", "Ti", "S", 18.0, ""), ("zrs2-c6", "Zr", "S", 22.0, ""),
                           ("sns2-c6", "Sn", "S", 23.0, ""), ("tas2-1t", "Ta", "S", 19.5, "1T polytype"),
                           ("coo2-o1", "Co", "O", 9.6, "O1-CoO2, fully delithiated LiCoO2 (CdI2 type)"),
                           ("nio2-o1", "Ni", "O", 9.6, "O1-NiO2, fully delithiated LiNiO2 (CdI2 type)")):
    _sub(pid, CDI2, {"Cd": m, "I": x}, v, note)
for pid, m, v, note in (("nbs2-2h", "Nb", 19.0, "2H polytype"), ("tas2-2h", "Ta", 19.0, "2H polytype")):
    _sub(pid, MOS2, {"Mo": m}, v, note)
for pid, m, x, v in (("fes2-pyrite", "Fe", "S", 13.3), ("cos2-pyrite", "Co", "S", 14.1), ("nis2-pyrite", "Ni", "S", 15.2),
                     ("mns2-pyrite", "Mn", "S", 18.9)):
    _sub(pid, PYRITE, {"Fe": m, "S": x}, v)
_sub("nip2-pyrite", PYRITE, {"Fe": "Ni", "S": "P"}, 13.6, "cubic (pyrite-type) NiP2 polymorph; ambient NiP2 is monoclinic C2/c")
_sub("fes2-marcasite", "AB2_oP6_58_a_g", {"Fe": "Fe"}, 13.5, src="AFLOW prototype C18 (marcasite FeS2)", mineral="Marcasite")
_sub("fes-nias", NIAS, {"Ni": "Fe", "As": "S"}, 15.0, "NiAs-type approximant of troilite FeS (P-62c, sqrt3 x sqrt3 x 2 distortion)")
_sub("nis-nias", NIAS, {"Ni": "Ni", "As": "S"}, 14.7, "alpha-NiS (NiAs type, high-T form)")
_sub("nis-millerite", "AB_hR6_160_b_b", {"Ni": "Ni", "S": "S"}, 14.5, src="AFLOW prototype B13 (millerite NiS)")
_sub("ni3s2", "A3B2_hR5_155_e_c", {"Ni": "Ni", "S": "S"}, 13.0, src="AFLOW prototype D5_e (heazlewoodite Ni3S2)")
_sub("co3s4-spinel", SPINEL, {"Mg": "Co", "Al": "Co", "O": "S"}, 14.9, "Co3S4 (linnaeite, normal spinel)")
_sub("mnp-b31", "AB_oP8_62_c_c", {"Mn": "Mn", "P": "P"}, 12.8, src="AFLOW prototype B31 (MnP)", mineral=None)
# rutile M O2
for pid, m, x, v, note in (("tio2-rutile", "Ti", "O", 10.4, ""), ("sno2-rutile", "Sn", "O", 12.0, ""),
                           ("geo2-rutile", "Ge", "O", 9.2, "argutite (rutile-type) GeO2"),
                           ("mno2-beta", "Mn", "O", 9.3, "beta-MnO2 (pyrolusite)"),
                           ("nbo2-rutile", "Nb", "O", 10.9, "rutile approximant of NbO2 (real: distorted rutile I41/a, Nb-Nb dimers)")):
    _sub(pid, RUTILE, {"Ti": m, "O": x}, v, note)
_sub("tio2-anatase", "A2B_tI12_141_e_a", {"Ti": "Ti", "O": "O"}, 11.4, src="AFLOW prototype C5 (anatase)")
for pid, m, v in (("al2o3-corundum", "Al", 8.5), ("fe2o3-corundum", "Fe", 10.1)):
    _sub(pid, CORUNDUM, {"Al": m}, v)
# spinels: proto Mg(8a, tet) Al(16d, oct) O
_sub("co3o4-spinel", SPINEL, {"Mg": "Co", "Al": "Co"}, 9.2, "normal spinel Co2+[Co3+]2O4")
_sub("fe3o4-spinel", SPINEL, {"Mg": "Fe", "Al": "Fe"}, 10.6, "cubic inverse spinel; Fe2+/Fe3+ not distinguished (CHGNet infers moments)")
_sub("limn2o4-spinel", SPINEL, {"Mg": "Li", "Al": "Mn", "O": "O"}, 9.8, "cubic LiMn2O4 (Fd-3m), charge ordering not imposed")
_sub("mn3o4-hausmannite", "A3B4_tI28_141_ad_h", {"Mn": "Mn", "O": "O"}, 10.0, src="AFLOW prototype hausmannite Mn3O4 (I41/amd)")
_sub("mn2o3-bixbyite", "AB3C6_cI80_206_a_d_e", {"Fe": "Mn", "Mn": "Mn", "O": "O"}, 10.5,
     src="AFLOW prototype D5_3 bixbyite (Mn,Fe)2O3 (Ia-3), primitive 40 atoms", mineral="Bixbyite")
_sub("in2o3-bixbyite", "AB3C6_cI80_206_a_d_e", {"Fe": "In", "Mn": "In", "O": "O"}, 13.0,
     src="AFLOW prototype D5_3 bixbyite (Ia-3), In on both cation sites", mineral="Bixbyite")
_sub("zro2-baddeleyite", "A2B_mP12_14_2e_e", {"Zr": "Zr", "O": "O"}, 11.8, src="AFLOW prototype C43 (baddeleyite ZrO2)")
_sub("sio2-quartz", "A2B_hP9_152_c_a", {"Si": "Si", "O": "O"}, 12.6, src="AFLOW prototype alpha-quartz (P3121)")
_sub("geo2-quartz", "A2B_hP9_152_c_a", {"Si": "Ge", "O": "O"}, 13.5, "alpha-quartz GeO2 polymorph",
     src="AFLOW prototype alpha-quartz (P3121) with Ge")
_sub("li3p-na3as", "AB3_hP8_194_c_bf", {"As": "P", "Na": "Li"}, 15.1, src="AFLOW prototype D0_18 (Na3As); Li3P is isostructural")
_sub("li3sb-bif3", "AB3_cF16_225_a_bc", {"Bi": "Sb", "F": "Li"}, 17.7, src="AFLOW prototype D0_3 (BiF3); Li3Sb is isostructural")
_sub("li2sb-fe2p", "A2B_hP9_189_fg_bc", {"Fe": "Li", "P": "Sb"}, 20.5,
     src="AFLOW prototype C22 (Fe2P, P-62m); Li2Sb is hexagonal P-62m", note="Fe2P-type approximant of Li2Sb")
_sub("ni2p-fe2p", "A2B_hP9_189_fg_bc", {"Fe": "Ni", "P": "P"}, 11.3, src="AFLOW prototype C22 (Fe2P); Ni2P is isostructural")
_sub("liin-natl", "AB_cF16_227_a_b", {"Na": "Li", "Tl": "In"}, 19.6, src="AFLOW prototype B32 (NaTl); LiIn is isostructural")
_sub("ges-b16", "AB_oP8_62_c_c", {"Ge": "Ge", "S": "S"}, 20.5, src="AFLOW prototype B16 (GeS, Pnma)", mineral=None)
_sub("sns-b29", "AB_oP8_62_c_c", {"Sn": "Sn", "S": "S"}, 24.2, src="AFLOW prototype B29 (SnS, Pnma)")
# (the shipped C44 HT-GeS2 prototype has a 1.27 A S-S contact, so it is not used)
_sub("ges2-sis2type", "A2B_oI12_72_j_a", {"Si": "Ge", "S": "S"}, 22.0, src="AFLOW prototype C42 (SiS2, Ibam) with Ge",
     note="approximant: edge-sharing GeS4 chains; real LT/HT-GeS2 are corner+edge-sharing 3D frameworks")
_sub("ges2-cristobalite", "A2B_tP12_92_b_a", {"Si": "Ge", "O": "S"}, 24.0, src="AFLOW prototype low-cristobalite (P41212) with Ge, S",
     note="approximant: corner-sharing GeS4 framework")
_sub("sis2-c42", "A2B_oI12_72_j_a", {"Si": "Si", "S": "S"}, 20.0, src="AFLOW prototype C42 (SiS2, Ibam)")
_sub("sb2s3-stibnite", "A3B2_oP20_62_3c_2c", {"Sb": "Sb", "S": "S"}, 25.0, src="AFLOW prototype D5_8 (stibnite Sb2S3)")
_sub("in2s3-beta", "A2B3_tI80_141_ceh_3h", {"In": "In", "S": "S"}, 22.5, src="AFLOW prototype beta-In2S3 (I41/amd), primitive 40 atoms")
_sub("lialo2-alpha", "ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Al", "S": "O"}, 8.5,
     "alpha-LiAlO2 (R-3m); the ambient gamma (P41212) polymorph is not included",
     src="AFLOW prototype F5_1 (NaCrS2, alpha-NaFeO2 type)")
_sub("licoo2-o3", "ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Co", "S": "O"}, 8.1,
     src="AFLOW prototype F5_1 (NaCrS2 = alpha-NaFeO2 type); LiCoO2 R-3m (a=2.816, c=14.05 A)")
_sub("linio2-o3", "ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Ni", "S": "O"}, 8.5,
     "R-3m; the Jahn-Teller distortion of Ni3+ is allowed only within the 4-atom cell",
     src="AFLOW prototype F5_1 (alpha-NaFeO2 type); LiNiO2 R-3m")
_sub("linbo3-r3c", "ABC3_hR10_161_a_a_b", {"Li": "Li", "Nb": "Nb", "O": "O"}, 10.6,
     src="AFLOW prototype LiNbO3 (R3c, ferroelectric)")
_sub("litao3-r3c", "ABC3_hR10_161_a_a_b", {"Li": "Li", "Nb": "Ta", "O": "O"}, 10.5,
     src="AFLOW prototype LiNbO3 (R3c) with Ta; LiTaO3 is isostructural")
_sub("alpo4-bpo4", "AB4C_tI12_82_c_g_a", {"B": "Al", "P": "P", "O": "O"}, 13.0,
     "BPO4 (cristobalite-like, I-4) approximant for AlPO4 (berlinite is quartz-like)",
     src="AFLOW prototype H0_7 (BPO4) with Al")
_sub("li3ps4-gamma", "AB3C4_oP16_31_a_ab_2ab", {"As": "P", "Cu": "Li", "S": "S"}, 20.0,
     "gamma-Li3PS4 (Pmn21, enargite-type ordering of PS4 and Li on a wurtzite-like S frame, Homma et al. "
     "Solid State Ionics 182, 53 (2011)); stands in for beta-Li3PS4 (Pnma, partially occupied Li) and glassy Li3PS4",
     src="AFLOW prototype H2_5 (enargite Cu3AsS4, Pmn21) with Cu->Li, As->P")
_sub("li3po4-beta", "AB3C4_oP16_31_a_ab_2ab", {"As": "P", "Cu": "Li", "S": "O"}, 9.7,
     "beta-Li3PO4 (Pmn21, enargite/wurtzite-derived ordering)",
     src="AFLOW prototype H2_5 (enargite Cu3AsS4, Pmn21) with Cu->Li, As->P, S->O")
_sub("cop-mnp", "AB_oP8_62_c_c", {"Mn": "Co", "P": "P"}, 11.0, src="AFLOW prototype B31 (MnP); CoP is isostructural")
_sub("fep-mnp", "AB_oP8_62_c_c", {"Mn": "Fe", "P": "P"}, 11.4, src="AFLOW prototype B31 (MnP); FeP is isostructural")
_sub("co2p-c23", "A2B_oP12_62_2c_c", {"Pb": "P", "Cl": "Co"}, 11.0,
     src="AFLOW prototype C23 (PbCl2, cotunnite); Co2P is Pnma of this (anti-PbCl2) type", mineral="Cotunnite")
_sub("co2p-c37", "A2B_oP12_62_2c_c", {"Co": "Co", "Si": "P"}, 11.0,
     src="AFLOW prototype C37 (Co2Si, Pnma) with P", note="alternative Co2P polymorph candidate")


# ---- further neighbours (prototype substitutions) ----------------------------------------------
_sub("sno-litharge", "AB_tP4_129_a_c", {"Pb": "Sn", "O": "O"}, 17.5, src="AFLOW prototype B10 (PbO litharge); SnO is isostructural")
_sub("sb2o3-valentinite", "A3B2_oP20_56_ce_e", {"Sb": "Sb", "O": "O"}, 18.0, src="AFLOW prototype D5_11 (valentinite Sb2O3)")
_sub("tio-b1", ROCKSALT, {"Na": "Ti", "Cl": "O"}, 9.0, "ordered (vacancy-free) rocksalt TiO")
_sub("nbo-nbo", "AB_cP6_221_c_d", {"Nb": "Nb", "O": "O"}, 11.5, src="AFLOW prototype NbO (Pm-3m)")
_sub("ti2o3-corundum", CORUNDUM, {"Al": "Ti"}, 10.4)
_sub("tis-nias", NIAS, {"Ni": "Ti", "As": "S"}, 16.0, "NiAs-type TiS")
_sub("cos-nias", NIAS, {"Ni": "Co", "As": "S"}, 14.0, "NiAs-type CoS (jaipurite; Co1-xS)")
_sub("fe3s4-spinel", SPINEL, {"Mg": "Fe", "Al": "Fe", "O": "S"}, 15.3, "greigite Fe3S4 (inverse spinel; Fe2+/Fe3+ not distinguished)")
_sub("ni3s4-spinel", SPINEL, {"Mg": "Ni", "Al": "Ni", "O": "S"}, 14.4, "polydymite Ni3S4 (spinel)")
_sub("cop3-skutterudite", "A3B_cI32_204_g_c", {"Co": "Co", "As": "P"}, 12.0, src="AFLOW prototype D0_2 (skutterudite CoAs3); CoP3 is isostructural")
_sub("nip3-skutterudite", "A3B_cI32_204_g_c", {"Co": "Ni", "As": "P"}, 12.5, src="AFLOW prototype D0_2 (skutterudite CoAs3); NiP3 is isostructural")
_sub("fep2-marcasite", "AB2_oP6_58_a_g", {"Fe": "Fe", "S": "P"}, 12.2, src="AFLOW prototype C18 (marcasite FeS2); FeP2 is isostructural",
     mineral="Marcasite")
_sub("fe2p-c22", "A2B_hP9_189_fg_bc", {"Fe": "Fe", "P": "P"}, 11.3, src="AFLOW prototype C22 (Fe2P)")
_sub("mn2p-fe2p", "A2B_hP9_189_fg_bc", {"Fe": "Mn", "P": "P"}, 11.8, src="AFLOW prototype C22 (Fe2P); Mn2P is isostructural")
_sub("alp-b3", "AB_cF8_216_c_a", {"Zn": "Al", "S": "P"}, 20.4, src="AFLOW prototype B3 (zincblende); AlP is isostructural")
_sub("lial-natl", "AB_cF16_227_a_b", {"Na": "Li", "Tl": "Al"}, 16.0, src="AFLOW prototype B32 (NaTl); LiAl is isostructural")
_sub("nbp-tI8", "AB_tI8_141_a_b", {"Nb": "Nb", "P": "P"}, 13.7, src="AFLOW prototype alpha-NbP (I41/md)")
_sub("tap-tI8", "AB_tI8_141_a_b", {"Nb": "Ta", "P": "P"}, 13.7, src="AFLOW prototype alpha-NbP (I41/md); TaP is isostructural")
for _m, _v in (("Co", 11.0), ("Ni", 10.7), ("Mn", 12.9), ("Fe", 12.1)):
    _sub(f"{_m.lower()}f2-rutile", RUTILE, {"Ti": _m, "O": "F"}, _v, src=f"AFLOW prototype C4 (rutile); {_m}F2 is rutile-type")
    _sub(f"{_m.lower()}cl2-c6", CDI2, {"Cd": _m, "I": "Cl"}, {"Co": 23.0, "Ni": 22.0, "Mn": 25.0, "Fe": 24.0}[_m],
         f"CdI2-type (1T) approximant of the CdCl2-type (R-3m) {_m}Cl2 layers")
_sub("alf3-d014", "AB3_hR8_155_c_de", {"Al": "Al", "F": "F"}, 11.5, src="AFLOW prototype D0_14 (AlF3)")
_sub("alcl3-d015", "AB3_mC16_12_g_ij", {"Al": "Al", "Cl": "Cl"}, 27.0, src="AFLOW prototype D0_15 (AlCl3, C2/m)")
_sub("incl3-alcl3", "AB3_mC16_12_g_ij", {"Al": "In", "Cl": "Cl"}, 29.0, src="AFLOW prototype D0_15 (AlCl3, C2/m); InCl3 is isostructural")
_sub("litio2-o3", "ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Ti", "S": "O"}, 9.0, "layered alpha-NaFeO2-type LiTiO2 (rocksalt ordering)",
     src="AFLOW prototype F5_1 (alpha-NaFeO2 type) with Ti")


@register("litis2-p3m1", "LiTiS2 P-3m1 (Li in the octahedral van der Waals gap of 1T-TiS2), Whittingham, Science 192, 1126 (1976)")
def _litis2():
    return from_wyckoff("P -3 m 1", hexl(3.46, 6.19), ["Ti", "S", "Li"], [[0, 0, 0], [1 / 3, 2 / 3, 0.25], [0, 0, 0.5]])


def _olivine_m(m):
    def b():
        s = _olivine(True)
        s.replace_species({"Fe": m})
        return s
    return b


for _m in ("Co", "Ni", "Mn"):
    add(f"li{_m.lower()}po4-olivine", _olivine_m(_m), f"olivine LiFePO4 (Streltsov 1993) with Fe->{_m}; Li{_m}PO4 is isostructural (Pnma)")


# --------------------------------------------------------------------------------------------------
# phases written from published Wyckoff positions
# --------------------------------------------------------------------------------------------------
@register("li2o2-p63mmc", "Li2O2 P63/mmc, Foppl, Z. Anorg. Allg. Chem. 291, 12 (1957); Cota et al., Acta Cryst. E61, i133 (2005)")
def _li2o2():
    return from_wyckoff("P 63/m m c", hexl(3.142, 7.650), ["Li", "Li", "O"],
                        [[0, 0, 0], [1 / 3, 2 / 3, 0.25], [1 / 3, 2 / 3, 0.8513]])


@register("li2s2-p63mmc", "Li2O2-type (P63/mmc) substitution O->S; Li2S2 structure as computed in the Li-S literature",
          "hypothetical/metastable Li2S2 in the Li2O2 structure (no experimentally refined structure)")
def _li2s2():
    return from_wyckoff("P 63/m m c", hexl(3.90, 9.70), ["Li", "Li", "S"],
                        [[0, 0, 0], [1 / 3, 2 / 3, 0.25], [1 / 3, 2 / 3, 0.858]])


def _cu15si4(m, a):
    return from_wyckoff("I -4 3 d", lat(a), [m, "Li", "Li"],
                        [[0.4583, 0.4583, 0.4583], [0.375, 0, 0.25], [0.1206, 0.1579, 0.9595]])


add("li15si4", lambda: primitive(_cu15si4("Si", 10.685)),
    "Li15Si4 I-43d (Cu15Si4 type), Obrovac & Christensen, Electrochem. Solid-State Lett. 7, A93 (2004); primitive cell 38 atoms")
add("li15ge4", lambda: primitive(_cu15si4("Ge", 10.78)),
    "Li15Ge4 I-43d (Cu15Si4 type), Johnson, Smith & Wood, Acta Cryst. 18, 131 (1965); primitive cell 38 atoms")
add("li15sn4", lambda: primitive(_cu15si4("Sn", 11.40)),
    "Cu15Si4-type Li15Sn4 (substitution of Li15Si4 structure)",
    "approximant for the Li-rich Li-Sn phases (Li17Sn4/Li22Sn5 have 400+ atom cells)")


@register("co9s8-pentlandite", "Co9S8 Fm-3m (pentlandite type), Geller, Acta Cryst. 15, 1195 (1962); primitive 17 atoms")
def _co9s8():
    return primitive(from_wyckoff("F m -3 m", lat(9.927), ["Co", "Co", "S", "S"],
                                  [[0.5, 0.5, 0.5], [0.1261, 0.1261, 0.1261], [0.25, 0.25, 0.25], [0.2594, 0, 0]]))


@register("li2mno3-c2m", "Li2MnO3 C2/m, Strobel & Lambert-Andron, J. Solid State Chem. 75, 90 (1988); primitive 12 atoms")
def _li2mno3():
    return primitive(_li2mo3("Mn", 4.937, 8.532, 5.030, 109.46))


def _li2mo3(m, a, b, c, beta):
    return from_wyckoff("C 1 2/m 1", lat(a, b, c, 90, beta, 90), ["Li", "Li", "Li", m, "O", "O"],
                        [[0, 0.5, 0], [0, 0, 0.5], [0, 0.6606, 0.5], [0, 0.1668, 0],
                         [0.2189, 0, 0.2273], [0.2540, 0.3217, 0.2233]])


add("li2tio3", lambda: primitive(_li2mo3("Ti", 5.06, 8.79, 5.15, 109.4)),
    "Li2MnO3-type (C2/m) substitution Mn->Ti", "ordered approximant: beta-Li2TiO3 is C2/c with the same honeycomb layers")
add("li2sno3", lambda: primitive(_li2mo3("Sn", 5.30, 9.19, 5.30, 109.5)),
    "Li2MnO3-type (C2/m) substitution Mn->Sn", "approximant: Li2SnO3 is C2/c with the same honeycomb layers")
add("li2zro3", lambda: primitive(_li2mo3("Zr", 5.42, 9.03, 5.42, 109.5)),
    "Li2MnO3-type (C2/m) substitution Mn->Zr", "approximant: Li2ZrO3 is C2/c (Hodeau et al. 1982), edge-sharing ZrO6 chains")


@register("limno2-layered", "layered m-LiMnO2 C2/m, Armstrong & Bruce, Nature 381, 499 (1996)",
          "monoclinic layered polymorph; orthorhombic Pmmn o-LiMnO2 not included")
def _limno2():
    return primitive(from_wyckoff("C 1 2/m 1", lat(5.4387, 2.80857, 5.3878, 90, 115.9, 90), ["Li", "Mn", "O"],
                                  [[0, 0.5, 0.5], [0, 0, 0], [0.2723, 0, 0.7706]]))


def _olivine(with_li=True):
    if with_li:
        la, sp, co = lat(10.332, 6.010, 4.692), ["Li", "Fe", "P", "O", "O", "O"], [
            [0, 0, 0], [0.28222, 0.25, 0.97472], [0.09486, 0.25, 0.41820], [0.09678, 0.25, 0.74279],
            [0.45710, 0.25, 0.20602], [0.16558, 0.04646, 0.28478]]
    else:
        la, sp, co = lat(9.821, 5.792, 4.788), ["Fe", "P", "O", "O", "O"], [
            [0.28222, 0.25, 0.97472], [0.09486, 0.25, 0.41820], [0.09678, 0.25, 0.74279],
            [0.45710, 0.25, 0.20602], [0.16558, 0.04646, 0.28478]]
    return from_wyckoff("P n m a", la, sp, co)


add("lifepo4-olivine", lambda: _olivine(True), "LiFePO4 Pnma, Streltsov et al., Acta Cryst. B49, 147 (1993)")
add("fepo4-heterosite", lambda: _olivine(False), "FePO4 heterosite Pnma (a=9.821, b=5.792, c=4.788 A, Andersson et al. 2000); "
    "positions started from LiFePO4 (Streltsov 1993) with Li removed", "delithiated olivine")


@register("li2co3-c2c", "Li2CO3 C2/c, Effenberger & Zemann, Z. Kristallogr. 150, 133 (1979); Idemoto et al. 1998")
def _li2co3():
    return primitive(from_wyckoff("C 1 2/c 1", lat(8.359, 4.973, 6.194, 90, 114.83, 90), ["Li", "C", "O", "O"],
                                  [[0.1965, 0.4469, 0.8365], [0, 0.0657, 0.25], [0, 0.3228, 0.25], [0.1463, 0.9373, 0.3143]]))


def _li2mo3_cmc21(m, a, b, c):
    return primitive(from_wyckoff("C m c 21", lat(a, b, c), ["Li", m, "O", "O"],
                                  [[0.1737, 0.3449, 0.0], [0, 0.1703, 0.4923], [0.1444, 0.3077, 0.4108], [0, 0.1159, 0.8461]]))


add("li2sio3-cmc21", lambda: _li2mo3_cmc21("Si", 9.392, 5.397, 4.660), "Li2SiO3 Cmc21, Hesse, Acta Cryst. B33, 901 (1977)")
add("li2geo3-cmc21", lambda: _li2mo3_cmc21("Ge", 9.63, 5.46, 4.84), "Li2GeO3 Cmc21 (isostructural with Li2SiO3; Voellenkle et al. 1969)")


@register("li2nio2-1t", "1T-Li2NiO2 P-3m1, Dahn et al., Solid State Ionics 44, 87 (1990) (a=3.09, c=5.08 A)")
def _li2nio2():
    return from_wyckoff("P -3 m 1", hexl(3.09, 5.08), ["Ni", "O", "Li"], [[0, 0, 0], [1 / 3, 2 / 3, 0.23], [1 / 3, 2 / 3, 0.62]])


@register("li2coo2-1t", "1T-Li2CoO2 P-3m1 (isostructural with 1T-Li2NiO2; Johnston et al. 1988)")
def _li2coo2():
    return from_wyckoff("P -3 m 1", hexl(3.06, 5.09), ["Co", "O", "Li"], [[0, 0, 0], [1 / 3, 2 / 3, 0.23], [1 / 3, 2 / 3, 0.62]])


@register("li4p2s6-p31m", "Li4P2S6 P-31m, Mercier et al., Acta Cryst. B38, 1887 (1982) (a=6.07, c=6.57 A)")
def _li4p2s6():
    return from_wyckoff("P -3 1 m", hexl(6.07, 6.57), ["P", "S", "Li", "Li"],
                        [[0, 0, 0.172], [0.320, 0, 0.245], [1 / 3, 2 / 3, 0], [1 / 3, 2 / 3, 0.5]])


@register("coo2-o3", "O3-CoO2: LiCoO2 (alpha-NaFeO2 prototype) with Li removed", "delithiated O3 stacking")
def _coo2_o3():
    s = proto("ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Co", "S": "O"}, 8.1)
    s.remove_species(["Li"])
    return s


@register("nio2-o3", "O3-NiO2: LiNiO2 (alpha-NaFeO2 prototype) with Li removed", "delithiated O3 stacking")
def _nio2_o3():
    s = proto("ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "Ni", "S": "O"}, 8.5)
    s.remove_species(["Li"])
    return s


# --------------------------------------------------------------------------------------------------
# molecular crystals built from molecular geometry (one molecule per fcc primitive cell)
# --------------------------------------------------------------------------------------------------
def _pack_molecule(sp, pos, a_fcc):
    """One molecule per fcc primitive cell; the molecule orientation (rotations about z then x, 5 deg
    grid) is chosen to maximise the shortest intermolecular contact (deterministic)."""
    latt = Lattice([[0, a_fcc / 2, a_fcc / 2], [a_fcc / 2, 0, a_fcc / 2], [a_fcc / 2, a_fcc / 2, 0]])
    pos = np.array(pos) - np.mean(pos, axis=0)
    best = None
    for tz in range(0, 90, 5):
        for tx in range(0, 90, 5):
            a, b = math.radians(tz), math.radians(tx)
            rz = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
            rx = np.array([[1, 0, 0], [0, math.cos(b), -math.sin(b)], [0, math.sin(b), math.cos(b)]])
            p = pos @ (rx @ rz).T
            s = Structure(latt, sp, p, coords_are_cartesian=True)
            dm = s.distance_matrix
            np.fill_diagonal(dm, 99)
            d = dm.min()
            if best is None or d > best[0] + 1e-6:
                best = (d, s)
    return best[1]


def p4x10_molecule(x, p, b, t):
    """Atoms of the Td P4X10 cage: P at the tetrahedron corners (+-p), each with a terminal X outward, and a bridging X
    on each +-axis (+-b); order: (P, terminal X) per corner (1,1,1), (1,-1,-1), (-1,1,-1), (-1,-1,1), then the bridges
    along +x, -x, +y, -y, +z, -z."""
    sgn = [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]
    pos, sp = [], []
    for s in sgn:
        pos.append(np.array(s) * p)
        sp.append("P")
        pos.append(np.array(s) * (p + t / math.sqrt(3)))
        sp.append(x)
    for ax in range(3):
        for sg in (1, -1):
            v = np.zeros(3)
            v[ax] = sg * b
            pos.append(v)
            sp.append(x)
    return sp, pos


def _p4x10(x, p, b, t, a_fcc):
    return _pack_molecule(*p4x10_molecule(x, p, b, t), a_fcc)


add("p4s10-mol", lambda: _p4x10("S", 1.21, 2.41, 1.91, 11.2),
    "P4S10 molecule (Td, adamantane-like P4S6 cage + 4 terminal S; P-S(br) 2.09, P=S 1.91 A, Vos & Wiebenga, "
    "Acta Cryst. 8, 217 (1955)) packed one per fcc primitive cell at the experimental density (2.09 g/cm3)",
    "molecular-crystal approximant of triclinic P4S10 (= 'P2S5')")
add("p4o10-mol", lambda: _p4x10("O", 1.00, 1.75, 1.43, 9.24),
    "P4O10 molecule (Td; P-O(br) 1.60, P=O 1.43 A) packed one per fcc primitive cell at 2.39 g/cm3",
    "molecular-crystal approximant of hexagonal H-P4O10 (R3c)")


@register("p4s3-mol", "P4S3 molecule (C3v: basal P3 ring P-P 2.24, P-S 2.09 A; Leung et al., Acta Cryst. 10, 574 (1957)) "
          "packed one per fcc primitive cell at 2.03 g/cm3", "molecular-crystal approximant of orthorhombic P4S3 (Pnma)")
def _p4s3():
    pos, sp = [], []
    r = 2.24 / math.sqrt(3)
    for k in range(3):
        ang = 2 * math.pi * k / 3
        pos.append([r * math.cos(ang), r * math.sin(ang), 0.0])
        sp.append("P")
        ang2 = ang + math.pi / 3
        pos.append([1.85 * math.cos(ang2), 1.85 * math.sin(ang2), 1.29])
        sp.append("S")
    pos.append([0, 0, 2.26])
    sp.append("P")
    return _pack_molecule(sp, pos, 8.95)


# --------------------------------------------------------------------------------------------------
# ordered approximants (enumerated / sampled orderings ranked by ENERGY_FN)
# --------------------------------------------------------------------------------------------------
def _antifluorite_host(a):
    """Conventional anti-fluorite cell: 4 anions (label 'O'), 8 tetrahedral sites (label 'He')."""
    return from_wyckoff("F m -3 m", lat(a), ["O", "He"], [[0, 0, 0], [0.25, 0.25, 0.25]])


def _af(pid, anion, counts, a, src_note):
    def b():
        h = _antifluorite_host(a)
        h.replace_species({"O": anion})
        return decorate(h, "He", counts)
    add(pid, b, "anti-fluorite (AFLOW C1 prototype, conventional cell) cation/vacancy ordering enumerated "
        "exhaustively and ranked by CHGNet energy", src_note)


_af("li5alo4-af", "O", {"Li": 5, "Al": 1, "X": 2}, 4.65, "ordered anti-fluorite-derived approximant (Li5AlO4 is an "
    "anti-fluorite superstructure, Pbca)")
_af("li4sio4-af", "O", {"Li": 4, "Si": 1, "X": 3}, 4.75, "approximant: real Li4SiO4 is P21/m (isolated SiO4, mixed Li coordination)")
_af("li2so4-af", "O", {"Li": 2, "S": 1, "X": 5}, 4.95, "approximant: beta-Li2SO4 is P21/c (isolated SO4, tetrahedral Li)")
_af("li4ges4-af", "S", {"Li": 4, "Ge": 1, "X": 3}, 6.0, "approximant: Li4GeS4 is Pnma (isolated GeS4 in hcp S)")
_af("li4sns4-af", "S", {"Li": 4, "Sn": 1, "X": 3}, 6.15, "approximant: Li4SnS4 is Pnma (isolated SnS4 in hcp S)")


@register("al2s3-wurtzite", "wurtzite (AFLOW B4 prototype) sqrt3 x sqrt3 supercell, 2 of 6 cation sites vacant, all "
          "15 orderings ranked by CHGNet energy", "ordered defect-wurtzite approximant of alpha-Al2S3 (P61, 30 atoms)")
def _al2s3():
    w = proto("AB_hP4_186_b_b", {"Zn": "He", "S": "S"}, 17.0)
    w.make_supercell([[1, -1, 0], [1, 2, 0], [0, 0, 1]])
    return decorate(w, "He", {"Al": 4, "X": 2})


@register("li5sn2-bcc", "bcc [111] superstructure, R-3m Li5Tl2-type (Li5Sn2: Frank et al., Z. Naturforsch. 30b, 10 (1975)); "
          "the 3 decorations of the 7-layer rhombohedral cell ranked by CHGNet energy", "ordered bcc-derived approximant")
def _li5sn2():
    cands = []
    for k in (1, 2, 3):
        zs = {1: 1 / 7, 2: 2 / 7, 3: 3 / 7}
        sn = zs[k]
        li = [zs[j] for j in (1, 2, 3) if j != k]
        cands.append(primitive(from_wyckoff("R -3 m :H", hexl(4.74, 19.83), ["Li", "Li", "Li", "Sn"],
                                            [[0, 0, 0], [0, 0, li[0]], [0, 0, li[1]], [0, 0, sn]])))
    return _rank(cands)


def _layered_supercell(counts: dict[str, int], m, extra_note=""):
    def b():
        s = proto("ABC2_hR4_166_a_b_c", {"Na": "Li", "Cr": "He", "S": "O"}, 8.3)
        s.make_supercell(m)
        return decorate(s, "He", counts, max_cands=40)
    return b


add("nmc111-approx", _layered_supercell({"Ni": 1, "Mn": 1, "Co": 1}, [[1, 0, 0], [0, 1, 0], [0, 0, 3]]),
    "alpha-NaFeO2 (AFLOW F5_1) 3x rhombohedral supercell, Ni/Mn/Co orderings ranked by CHGNet energy",
    "ordered approximant of LiNi1/3Mn1/3Co1/3O2 (12 atoms)")
add("nmc811-approx", _layered_supercell({"Ni": 8, "Mn": 1, "Co": 1}, [[2, 0, 0], [0, 5, 0], [0, 0, 1]]),
    "alpha-NaFeO2 (AFLOW F5_1) 2x5x1 rhombohedral supercell, Mn/Co placements ranked by CHGNet energy",
    "ordered approximant of LiNi0.8Mn0.1Co0.1O2 (40 atoms)")
add("nca-approx", _layered_supercell({"Ni": 8, "Co": 1, "Al": 1}, [[2, 0, 0], [0, 5, 0], [0, 0, 1]]),
    "alpha-NaFeO2 (AFLOW F5_1) 2x5x1 rhombohedral supercell, Co/Al placements ranked by CHGNet energy",
    "ordered approximant of NCA with composition LiNi0.8Co0.1Al0.1O2 (real NCA: Ni0.8Co0.15Al0.05) (40 atoms)")


@register("lnmo-approx", "spinel (AFLOW H1_1) primitive cell Li2Mn4O8 with one Mn->Ni",
          "ordered approximant of LiNi0.5Mn1.5O4 (14 atoms; not the P4332 ordering)")
def _lnmo():
    s = proto(SPINEL, {"Mg": "Li", "Al": "Mn"}, 9.7)
    return decorate(s, "Mn", {"Ni": 1, "Mn": 3})


@register("li4ti5o12-approx", "spinel (AFLOW H1_1) 3x primitive supercell Li6[Li2Ti10]O24, placements of the 2 octahedral "
          "Li ranked by CHGNet energy", "ordered approximant of Li4Ti5O12 = Li3[LiTi5]O12 (42 atoms)")
def _lto():
    s = proto(SPINEL, {"Mg": "Li", "Al": "Ti"}, 10.9)
    s.make_supercell([[3, 0, 0], [0, 1, 0], [0, 0, 1]])
    return decorate(s, "Ti", {"Li": 2, "Ti": 10}, max_cands=30)


def _rocksalt_l12(m, a):
    # Li3MO4 as rocksalt with an L1_2 (Cu3Au) ordering of the cation fcc sublattice
    return from_wyckoff("P m -3 m", lat(a), [m, "Li", "O", "O"], [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0, 0]])


add("li3nbo4-rs", lambda: _rocksalt_l12("Nb", 4.21), "cation-ordered rocksalt (L1_2 cation order) substitution",
    "poor approximant of Li3NbO4 (I-43m, Nb4O16 clusters in an ordered rocksalt): ~150 meV/atom above the "
    "hull, carries no hull information")
add("li3tao4-rs", lambda: _rocksalt_l12("Ta", 4.21), "cation-ordered rocksalt (L1_2 cation order) substitution",
    "poor approximant of Li3TaO4 (C2/c ordered rocksalt): ~180 meV/atom above the hull, carries no hull information")


# ---- argyrodites ---------------------------------------------------------------------------------
def _argyrodite(x4a: str, a: float, n_li: int, dmin: float):
    h = from_wyckoff("F -4 3 m", lat(a), [x4a, "S", "P", "S", "He"],
                     [[0, 0, 0], [0.75, 0.75, 0.75], [0.5, 0.5, 0.5], [0.6190, 0.6190, 0.6190],
                      [0.3137, 0.3137, 0.9808]])
    return pick_sites(h, "He", n_li, dmin)


add("li6ps5cl-argyrodite", lambda: _argyrodite("Cl", 9.86, 24, 2.0),
    "Li6PS5Cl F-43m (a=9.86 A), Deiseroth et al., Angew. Chem. Int. Ed. 47, 755 (2008); Kraft et al., JACS 139, 10909 (2017)",
    "ordered approximant: conventional cell (52 atoms), 24 of the 48h Li sites chosen (seeded sampling, >=2.0 A apart, "
    "lowest CHGNet energy), Cl on 4a and S2- on 4d (no site exchange)")
add("li6ps5br-argyrodite", lambda: _argyrodite("Br", 9.98, 24, 2.0),
    "Li6PS5Br F-43m (a=9.98 A), Deiseroth et al. 2008", "ordered approximant as li6ps5cl-argyrodite")
add("li6ps5i-argyrodite", lambda: _argyrodite("I", 10.14, 24, 2.0),
    "Li6PS5I F-43m (a=10.14 A), Deiseroth et al. 2008", "ordered approximant as li6ps5cl-argyrodite")
add("li7ps6-argyrodite", lambda: _argyrodite("S", 9.99, 28, 1.6),
    "HT-Li7PS6 F-43m argyrodite (Kong et al., Chem. Eur. J. 16, 2198 (2010)), S on 4a and 4d",
    "ordered approximant: 28 of 48 48h Li sites sampled (>=1.6 A apart); LT-Li7PS6 (Pna21) not included")


# ---- LGPS family ---------------------------------------------------------------------------------
def _lgps(m: str, a: float, c: float):
    h = from_wyckoff("P 42/n m c :1", lat(a, a, c), ["Ge", "P", "S", "S", "S", "Li", "He", "He"],
                     [[0, 0.5, 0.6942], [0, 0, 0.5], [0, 0.1893, 0.4096], [0, 0.2918, 0.0965], [0, 0.6985, 0.7893],
                      [0, 0.5, 0.9424], [0.2466, 0.2636, 0.1916], [0.25, 0.25, 0.0]])
    # 4d tetrahedral site: half M, half P; choose the ordering with the lowest energy
    s = decorate(h, "Ge", {m: 2, "P": 2})
    # 16 of the 16h + extra candidate sites for the remaining 16 Li (20 Li per 50-atom cell)
    return pick_sites(s, "He", 16, 1.9, n_samples=30)


add("lgps-p42nmc", lambda: _lgps("Ge", 8.72, 12.64),
    "Li10GeP2S12 P42/nmc, Kamaya et al., Nature Mater. 10, 682 (2011)",
    "ordered approximant (50 atoms): Ge/P on 4d ordered, 16 Li sampled on 16h/8f sites (>=1.9 A), lowest CHGNet energy")
add("lsnps-p42nmc", lambda: _lgps("Sn", 8.74, 12.79),
    "Li10SnP2S12 P42/nmc (LGPS type), Bron et al., JACS 135, 15694 (2013)", "ordered approximant as lgps-p42nmc")
add("lsips-p42nmc", lambda: _lgps("Si", 8.68, 12.59),
    "Li10SiP2S12 (LGPS type), Kuhn et al., PCCP 15, 11620 (2013)", "ordered approximant as lgps-p42nmc")


def all_phase_ids() -> list[str]:
    return list(PHASES)


import structures_coatings  # noqa: E402,F401  (registers the phases coating/cathode/anode reactions need)
import structures_salts  # noqa: E402,F401  (Li-poor thiophosphates, P-S molecules, Li borate and pyrophosphate)
import structures_alloys  # noqa: E402,F401  (intermediate Li-Sn, Li-Ge and Li-Si phases as bcc orderings)
import structures_interfaces  # noqa: E402,F401  (current collectors, interlayers, SE relatives, Li-B, Li-rich oxides)
import structures_elements  # noqa: E402,F401  (V, Sc, Zn, Au, Cr, Bi: the elements added after the v2 table)
import structures_bromides  # noqa: E402,F401  (Mn, Fe, Co and Ni bromides, for Li6PS5Br at TM-oxide cathodes)
import structures_arsenic  # noqa: E402,F401  (As: the phases an As-substituted SE needs, and As's binaries to validate)
import structures_halide_metals  # noqa: E402,F401  (Er, Ho, Hf: the metals of Li3ErCl6, Li3HoCl6, Li3HoBr6, Li2HfCl6 and HfO2)
import structures_coating_metals  # noqa: E402,F401  (Ga, Sr, Ba: Ga interlayers and Ga2O3, the SrTiO3 and BaTiO3 coatings)
import structures_oxide_electrolytes  # noqa: E402,F401  (LLZO, the NASICONs of LZP/LATP/LAGP, LLTO and Li3OCl)
import structures_rare_earth_sulfides  # noqa: E402,F401  (Y, Er, Ho and La sulfides and LaCl3: halide coatings and La oxides at a sulfide SE)
import structures_fluorides  # noqa: E402,F401  (Zr, Ti and Y fluorides: the Li2ZrF6 and Li2TiF6 coatings)
