"""Phases that interface reactions need beyond the coatings' own systems (issue 16), registered into structures.PHASES.

* Li-B: LiB, so that a borate reduced by Li metal gives a Li boride, not elemental B.
* Current collectors and interlayers: Cu with its sulfides, halides and oxides (Cu against a sulfide SE; Cu3P as the Na3As-type
  approximant came out 388 meV/atom from experiment and is not included),
  Ag with Ag2O, its halides and LiAg (Ag-C interlayers); Ag2S, built as the beta-Ag2Se type (lower than
  anti-fluorite after 80 CHGNet steps), relaxed 11 % above acanthite's volume and is not included.
* Sulfide SEs' relatives: Li3SbS4, Li2SnS3, Li2SiS3, Li4SiS4, Li3BS3, LiInS2, LiAlS2, Li5AlS4, Li3NbS4, Li3TaS4, and
  the layered MoS2 / WS2.
* Anode alloys: the Li-rich Li-Si/Ge/In/Al phases are in structures_alloys.py (LiSi and LiGe as B32/B2 cells came
  out 13 and 10.5 % below their experimental volumes and are not included).
* Cathode and coating neighbours: the half-lithiated spinel LiNi2O4, the Li-rich anti-fluorite oxides
  Li6CoO4, Li6MnO4, Li5FeO4, Li4TiO4, Li4GeO4, A-La2O3, La2O2S and LaOCl. The spinel LiCo2O4 was built and is not
  included: CHGNet binds it so strongly that LiCoO2 would give off Li from 3.26 V (it holds to about 4 V).

Same conventions as structures.py: AFLOW prototypes with proto, published Wyckoff positions with from_wyckoff, or an
ordered approximant whose orderings are ranked by CHGNet energy; the note says when a structure is an approximant.
"""

from __future__ import annotations

import structures as S
from pymatgen.core import Structure
from structures import (
    ANTIFLUORITE, MOS2, ROCKSALT, SPINEL, _af, _li2mo3, _li2mo3_cmc21, _rank, _sub,
    add, decorate, from_wyckoff, hexl, primitive, proto, register,
)
from structures_salts import salt, triangle

ENARGITE, SULVANITE, WURTZITE = "AB3C4_oP16_31_a_ab_2ab", "AB3C4_cP8_215_a_c_e", "AB_hP4_186_b_b"


# --------------------------------------------------------------------------------------------------
# Li-B
# --------------------------------------------------------------------------------------------------
@register("lib-p63mmc", "LiB (LiB_y, y ~ 0.9-1) P63/mmc: linear B chains along c (B 2a, B-B = c/2) in a Li matrix "
          "(Li 2c), the anti-NiAs arrangement (Woerle & Nesper, J. Alloys Compd. 216, 75 (1994); Liu, Liu, Tian et al., "
          "Phys. Rev. B 68 (2003)): a=4.02, c=3.10 A", "stoichiometric LiB (the real phase is B-deficient LiB_0.9)")
def _lib():
    return from_wyckoff("P 63/m m c", hexl(4.02, 3.10), ["B", "Li"], [[0, 0, 0], [1 / 3, 2 / 3, 0.25]])


# --------------------------------------------------------------------------------------------------
# Cu current collector: element, sulfides, phosphide, chloride, oxide
# --------------------------------------------------------------------------------------------------
_sub("cu-fcc", "A_cF4_225_a", {"Cu": "Cu"}, 11.81, src="AFLOW prototype A1 (Cu, cF4); a=3.615 A")
_sub("cus-covellite", "AB_hP12_194_df_ce", {"Cu": "Cu", "S": "S"}, 16.98,
     src="AFLOW prototype B18 (covellite CuS, P63/mmc; a=3.794, c=16.341 A)")
_sub("cu2s-af", ANTIFLUORITE, {"Ca": "S", "F": "Cu"}, 15.6,
     src="AFLOW prototype C1 (CaF2), anti-fluorite: S fcc, Cu in the tetrahedral sites, the frame of high digenite / "
         "cubic Cu2S (Fm-3m), at the volume of low chalcocite (5.65 g/cm3)",
     note="approximant: ordered anti-fluorite; low chalcocite (P21/c, 144 atoms) and the disordered high forms are not "
          "reproduced")
_sub("cucl-zb", "AB_cF8_216_c_a", {"Zn": "Cu", "S": "Cl"}, 19.86,
     src="AFLOW prototype B3 (zincblende); gamma-CuCl (nantokite) is zincblende-type, a=5.416 A")
for _pid, _x, _v, _a in (("cubr-zb", "Br", 23.0, 5.69), ("cui-zb", "I", 27.7, 6.05)):
    _sub(_pid, "AB_cF8_216_c_a", {"Zn": "Cu", "S": _x}, _v,
         src=f"AFLOW prototype B3 (zincblende); gamma-Cu{_x} is zincblende-type, a={_a} A")
_sub("cu2o-cuprite", "A2B_cP6_224_b_a", {"Cu": "Cu", "O": "O"}, 12.98,
     src="AFLOW prototype C3 (cuprite Cu2O, Pn-3m; a=4.27 A)")

@register("cuo-tenorite", "CuO tenorite C2/c (Asbrink & Norrby, Acta Cryst. B26, 8 (1970): a=4.684, b=3.423, c=5.129 A, "
          "beta=99.54 deg): Cu 4c (1/4,1/4,0), O 4e (0,0.4184,1/4)")
def _cuo():
    return primitive(from_wyckoff("C 1 2/c 1", S.lat(4.684, 3.423, 5.129, 90, 99.54, 90), ["Cu", "O"],
                                  [[0.25, 0.25, 0], [0, 0.4184, 0.25]]))


# --------------------------------------------------------------------------------------------------
# Ag interlayers (Ag-C anodes)
# --------------------------------------------------------------------------------------------------
_sub("agcl-b1", ROCKSALT, {"Na": "Ag", "Cl": "Cl"}, 21.36, src="AFLOW prototype B1 (NaCl); AgCl is rocksalt, a=5.549 A")
_sub("agbr-b1", ROCKSALT, {"Na": "Ag", "Cl": "Br"}, 24.0, src="AFLOW prototype B1 (NaCl); AgBr is rocksalt, a=5.774 A")
_sub("agi-zb", "AB_cF8_216_c_a", {"Zn": "Ag", "S": "I"}, 34.3,
     src="AFLOW prototype B3 (zincblende); gamma-AgI is zincblende-type, a=6.502 A",
     note="gamma-AgI; beta-AgI (wurtzite) is nearly degenerate with it")
_sub("ag2o-cuprite", "A2B_cP6_224_b_a", {"Cu": "Ag", "O": "O"}, 17.5,
     src="AFLOW prototype C3 (cuprite Cu2O, Pn-3m); Ag2O is cuprite-type, a=4.72 A")
_sub("liag-b2", "AB_cP2_221_b_a", {"Cs": "Li", "Cl": "Ag"}, 15.93,
     src="AFLOW prototype B2 (CsCl); beta-LiAg is CsCl-type (a=3.17 A; Freeth & Raynor 1954)")

# --------------------------------------------------------------------------------------------------
# layered disulfides (MoS2 / WS2 interlayers and coatings)
# --------------------------------------------------------------------------------------------------
_sub("mos2-2h", MOS2, {"Mo": "Mo"}, 17.72, src="AFLOW prototype C7 (2H-MoS2, P63/mmc; a=3.160, c=12.294 A)",
     note="the interlayer gap is held by dispersion, which CHGNet (PBE labels) lacks")
_sub("ws2-2h", MOS2, {"Mo": "W"}, 17.68, src="AFLOW prototype C7 (2H-MoS2) with W; 2H-WS2 a=3.153, c=12.323 A",
     note="the interlayer gap is held by dispersion, which CHGNet (PBE labels) lacks")

# --------------------------------------------------------------------------------------------------
# sulfide SEs and their relatives
# --------------------------------------------------------------------------------------------------
_sub("li3sbs4-enargite", ENARGITE, {"As": "Sb", "Cu": "Li", "S": "S"}, 21.5,
     src="AFLOW prototype H2_5 (enargite Cu3AsS4, Pmn21) with Cu->Li, As->Sb: the gamma-Li3PS4 arrangement of "
         "structures.py (isolated SbS4 tetrahedra)",
     note="approximant: gamma-Li3SbS4 is reported in the Li3PS4 family; not the published coordinates")
for _pid, _m, _v in (("li3nbs4-sulvanite", "Nb", 20.0), ("li3tas4-sulvanite", "Ta", 20.0)):
    _sub(_pid, SULVANITE, {"As": _m, "Cu": "Li", "S": "S"}, _v,
         src=f"AFLOW prototype Cu3AsS4 (P-43m, sulvanite-type: S fcc, {_m} and Li in tetrahedral sites) with Cu->Li, "
             f"As->{_m}; Li3{_m}S4 has isolated {_m}S4 tetrahedra",
         note="approximant: ordered zincblende-derived cell, not the published ordering")


@register("li2sns3-approx", "Li2SnS3 C2/c (Li2SnO3-type honeycomb LiSn2 layers between hexagonal S layers; Brant et al., "
          "Chem. Mater. 27, 189 (2015): a=6.396, b=11.089, c=12.40 A, beta=99.9 deg): Li2MnO3-type (C2/m) cell of "
          "structures.py with O->S, Mn->Sn, a and b from Li2SnS3 and one layer spacing (6.11 A)",
          "approximant: one-layer C2/m stacking of the same layers, as li2sno3")
def _li2sns3():
    s = _li2mo3("Sn", 6.396, 11.09, 6.48, 109.46)
    s.replace_species({"O": "S"})
    return primitive(s)


@register("li2sis3-cmc21", "Li2SiS3 (chains of corner-sharing SiS4 tetrahedra, as in Li2SiO3): the Li2SiO3 Cmc21 "
          "arrangement of structures.py (Hesse 1977 positions) with O->S, at 19 A3/atom",
          "approximant: Li2SiO3-type chain silicate; not refined Li2SiS3 coordinates")
def _li2sis3():
    s = _li2mo3_cmc21("Si", 9.392, 5.397, 4.660)
    s.replace_species({"O": "S"})
    s.scale_lattice(19.0 * len(s))
    return s


add("li3bs3-search", lambda: salt(S.lat(5.6, 5.9, 6.2, 95.0, 95.0, 95.0).scale(17.0 * 14), [triangle("B", "S", 1.81)],
                                  3, S.SEED),
    "Li3BS3 (isolated planar BS3 triangles, B-S 1.81 A; Vinatier, Gravereau, Menetrier, Trut & Levasseur, Acta Cryst. "
    "C50, 1180 (1994)): a P-1, Z=2 cell at 17 A3/atom",
    "hypothetical ordered packing of BS3 and Li, positions searched as li7p3s11-search (structures_salts.py)")


def _wurtzite_ordering(counts: dict[str, int], vpa: float) -> Structure:
    """Cations over the 8 tetrahedral sites of two wurtzite supercells (2x2x1 and the orthohexagonal 2x1x1 of the
    beta-NaFeO2 / Pna21 cell), every ordering ranked by CHGNet energy."""
    cands = []
    for m in ([[2, 0, 0], [0, 2, 0], [0, 0, 1]], [[2, 0, 0], [1, 2, 0], [0, 0, 1]]):
        w = proto(WURTZITE, {"Zn": "He", "S": "S"}, vpa)
        w.make_supercell(m)
        cands.append(decorate(w, "He", counts))
    return _rank(cands)


for _pid, _m, _v, _ref in (("liins2-wz", "In", 22.4, "LiInS2 Pna21, a=6.874, b=8.033, c=6.462 A (Kish et al. 1980)"),
                           ("lials2-wz", "Al", 19.7, "LiAlS2 Pna21, a=6.50, b=7.84, c=6.18 A (Kim & Hughbanks 2000)")):
    add(_pid, lambda m=_m, v=_v: _wurtzite_ordering({"Li": 4, m: 4}, v),
        f"{_ref}: the beta-NaFeO2 type, Li and {_m} ordered on the tetrahedral sites of wurtzite-type S; here two "
        f"wurtzite (AFLOW B4) supercells with 8 cation sites, all Li/{_m} orderings ranked by CHGNet energy",
        "ordered wurtzite approximant (16 atoms), not necessarily the Pna21 ordering")

_af("li4sis4-af", "S", {"Li": 4, "Si": 1, "X": 3}, 5.9,
    "approximant: Li4SiS4 (isolated SiS4 tetrahedra, P21/m, Li4GeS4 family) as an ordered anti-fluorite cell")
_af("li5als4-af", "S", {"Li": 5, "Al": 1, "X": 2}, 5.8,
    "approximant: Li5AlS4 (isolated AlS4 tetrahedra, P21/m) as an ordered anti-fluorite cell")


# --------------------------------------------------------------------------------------------------
# cathode and coating neighbours
# --------------------------------------------------------------------------------------------------
_sub("lini2o4-spinel", SPINEL, {"Mg": "Li", "Al": "Ni", "O": "O"}, 9.3,
     src="AFLOW prototype H1_1 (spinel) with Li on 8a, Ni on 16d: LiNi2O4 (spinel Li0.5NiO2 from heated delithiated "
         "LiNiO2; Thomas, David & Goodenough 1985)")
_af("li6coo4-af", "O", {"Li": 6, "Co": 1, "X": 1}, 4.65,
    "approximant: Li6CoO4 is P42/nmc (Li6ZnO4 type, a=6.536, c=4.654 A), an ordered anti-fluorite superstructure")
_af("li6mno4-af", "O", {"Li": 6, "Mn": 1, "X": 1}, 4.68,
    "approximant: Li6MnO4 is P42/nmc (Li6ZnO4 type), an ordered anti-fluorite superstructure")
_af("li5feo4-af", "O", {"Li": 5, "Fe": 1, "X": 2}, 4.6,
    "approximant: Li5FeO4 is Pbca (a=9.218, b=9.213, c=9.204 A), an ordered anti-fluorite superstructure")
_af("li4tio4-af", "O", {"Li": 4, "Ti": 1, "X": 3}, 4.8,
    "approximant: Li4TiO4 is Cmcm (isolated TiO4 tetrahedra); ordered anti-fluorite cell")
_af("li4geo4-af", "O", {"Li": 4, "Ge": 1, "X": 3}, 4.75,
    "approximant: Li4GeO4 is Cmcm (isolated GeO4 tetrahedra); ordered anti-fluorite cell")


@register("la2o3-a", "A-La2O3 P-3m1 (Koehler & Wollan, Acta Cryst. 6, 741 (1953); a=3.938, c=6.136 A): La 2d "
          "(1/3,2/3,0.2454), O 1a, O 2d (1/3,2/3,0.6460)")
def _la2o3():
    return from_wyckoff("P -3 m 1", hexl(3.938, 6.136), ["La", "O", "O"],
                        [[1 / 3, 2 / 3, 0.2454], [0, 0, 0], [1 / 3, 2 / 3, 0.6460]])


@register("la2o2s-p3m1", "La2O2S P-3m1 (the A-La2O3 arrangement with S on 1a; Morosin & Newman, Acta Cryst. B29, 2647 "
          "(1973): a=4.051, c=6.943 A): La 2d (1/3,2/3,0.279), O 2d (1/3,2/3,0.629), S 1a")
def _la2o2s():
    return from_wyckoff("P -3 m 1", hexl(4.051, 6.943), ["La", "O", "S"],
                        [[1 / 3, 2 / 3, 0.279], [1 / 3, 2 / 3, 0.629], [0, 0, 0]])


_sub("laocl-pbfcl", "ABC_tP6_129_c_a_c", {"Pb": "La", "F": "O", "Cl": "Cl"}, 19.5,
     src="AFLOW prototype E0_1 (PbFCl, matlockite, P4/nmm); LaOCl is PbFCl-type (a=4.119, c=6.883 A)")
