"""Phases of the elements added after the v2 table (V, Sc, Zn, Au, Cr, Bi), registered into structures.PHASES: each
element with the binaries and Li ternaries an interface reaction of its everyday materials needs (V2O5 and Li3VO4
coatings, Li3ScCl6 halide electrolytes, ZnO/Zn interlayers, Au and Bi interlayers and Li-Bi alloy anodes, Li-Cr-Mo
rock-salt cathodes).

A formula the Materials Project entries in pymatgen's wheel hold (V2O5, VO2, V2O3, VO, VF4, Cr2O3, CrO3, CrF2, CrF3, …)
is taken from the wheel (write_table.py) and not authored here. Built and dropped: VCl3 as the BiI3 type (R-3, the
right structure) came out 172 meV/atom below the experimental enthalpy (CHGNet 0.3.0 with the TM/halide shift) and
then took the Cl of Li6PS5Cl against V2O5 and LiVO2; the V-Cl system keeps only the elements. Same conventions as structures.py: AFLOW prototypes
with proto, published Wyckoff positions with from_wyckoff, or an ordered approximant whose orderings are ranked by
CHGNet energy; the note says when a structure is an approximant.
"""

from __future__ import annotations

from pymatgen.core import Structure
from structures import (
    CDI2,
    NIAS,
    ROCKSALT,
    RUTILE,
    _af,
    _elem,
    _sub,
    add,
    decorate,
    from_wyckoff,
    hexl,
    lat,
    primitive,
    proto,
    register,
)
from structures_coatings import li3mx6_c2m

ENARGITE, SULVANITE, WURTZITE, ZINCBLENDE = ("AB3C4_oP16_31_a_ab_2ab", "AB3C4_cP8_215_a_c_e", "AB_hP4_186_b_b",
                                              "AB_cF8_216_c_a")
NAFEO2, BII3, ALCL3, ALF3, REO3, ZIRCON = (
    "ABC2_hR4_166_a_b_c", "AB3_hR8_148_c_f", "AB3_mC16_12_g_ij", "AB3_hR8_155_c_de", "A3B_cP4_221_d_a",
    "A4BC_tI24_141_h_b_a")
BCC, FCC, HCP = ("A_cI2_229_a", "W"), ("A_cF4_225_a", "Cu"), ("A_hP2_194_c", "Mg")


def _li_layered_sulfide(m: str, a: float, c: float) -> Structure:
    """LiMS2 P-3m1 (LiTiS2 type: M 1a, Li 1b in the van der Waals gap, S 2d)."""
    return from_wyckoff("P -3 m 1", hexl(a, c), [m, "Li", "S"], [[0, 0, 0], [0, 0, 0.5], [1 / 3, 2 / 3, 0.25]])


def _nias_vacancies(m: str, supercell: list[int], counts: dict[str, int], vpa: float) -> Structure:
    """A NiAs-type MX supercell with metal vacancies ordered over its metal sites (all orderings ranked by energy)."""
    s = proto(NIAS, {"Ni": "He", "As": "S"})
    s.make_supercell(supercell)
    s.scale_lattice(vpa * len(s))
    return decorate(s, "He", {m if k == "M" else k: n for k, n in counts.items()})


# --------------------------------------------------------------------------------------------------
# V: the metal, Li vanadates, sulfides, halides (V2O5, VO2, V2O3, VO, VF4 come from the wheel)
# --------------------------------------------------------------------------------------------------
_elem("v-bcc", *BCC, "V", 13.9, "AFLOW prototype A2 (W, cI2); V a=3.03 A")
_sub("livo2-o3", NAFEO2, {"Na": "Li", "Cr": "V", "S": "O"}, 8.6,
     src="AFLOW prototype F5_1 (alpha-NaFeO2 type); LiVO2 R-3m (a=2.84, c=14.8 A; Goodenough et al., 1961)",
     note="the V3+ trimerisation below 460 K (a sqrt3 x sqrt3 superlattice) is not represented")
_sub("li3vo4-beta", ENARGITE, {"As": "V", "Cu": "Li", "S": "O"}, 10.7,
     src="AFLOW prototype H2_5 (enargite, Pmn21) with Cu->Li, As->V, S->O; beta-Li3VO4 is the beta-Li3PO4 type "
         "(Pmn21, a=6.33, b=5.45, c=4.95 A; Shannon & Calvo, J. Solid State Chem. 6, 538 (1973))")
_sub("vs2-1t", CDI2, {"Cd": "V", "I": "S"}, 17.2, src="AFLOW prototype C6 (CdI2); 1T-VS2 P-3m1 (a=3.22, c=5.75 A)")
add("livs2-p3m1", lambda: _li_layered_sulfide("V", 3.38, 6.13),
    "LiVS2 P-3m1 (LiTiS2 type; Murphy et al., Inorg. Chem. 16, 3027 (1977): a=3.38, c=6.13 A): V 1a, Li 1b, S 2d z=1/4",
    "the V3+ trimerisation below 305 K is not represented")
add("v3s4-cr3s4", lambda: _nias_vacancies("V", [2, 1, 1], {"M": 3, "X": 1}, 14.3),
    "V3S4 (Cr3S4 type, C2/m; a NiAs-type frame with every second metal layer half empty; Brunie & Chevreton, "
    "Bull. Soc. Fr. Mineral. Cristallogr. 87, 277 (1964)): 2x1x1 NiAs cell, all orderings of 3 V over its 4 metal "
    "sites ranked by CHGNet energy", "ordered NiAs-derived approximant (7 atoms) of the monoclinic Cr3S4-type cell")
_sub("li3vs4-sulvanite", SULVANITE, {"As": "V", "Cu": "Li", "S": "S"}, 20.0,
     src="AFLOW prototype H2_4 (sulvanite Cu3VS4, P-43m; stored with As on the V site) with Cu->Li",
     note="approximant: Li3VS4 is cubic P-43n (isolated VS4 tetrahedra in ccp S, Li tetrahedral); the sulvanite cell "
          "has the same VS4 tetrahedra and Li sites")
_sub("vf3-alf3", ALF3, {"Al": "V", "F": "F"}, 11.6,
     src="AFLOW prototype D0_14 (AlF3, R32); VF3 is the rhombohedral VF3/FeF3 type (R-3c) of corner-sharing VF6 "
         "octahedra (Jack & Gutmann, Acta Cryst. 4, 246 (1951))",
     note="approximant: the AlF3 prototype's rhombohedral frame of corner-sharing octahedra, not the exact R-3c tilt")


# --------------------------------------------------------------------------------------------------
# Sc: the metal, oxide, halides (Li3ScCl6 halide electrolyte), sulfide, LiScO2, ScPO4
# --------------------------------------------------------------------------------------------------
_elem("sc-hcp", *HCP, "Sc", 25.0, "AFLOW prototype A3 (Mg, hP2); Sc a=3.31, c=5.27 A")
add("sc2o3-bixbyite", lambda: primitive(from_wyckoff("I a -3", lat(9.845), ["Sc", "Sc", "O"],
                                                      [[0.25, 0.25, 0.25], [0.4645, 0, 0.25], [0.391, 0.152, 0.380]])),
    "C-type (bixbyite) Sc2O3 Ia-3, a=9.845 A (Norrestam, Ark. Kemi 29, 343 (1968)): Sc 8b (1/4,1/4,1/4), Sc 24d "
    "(x,0,1/4) x=0.4645, O 48e (0.391,0.152,0.380); primitive 40 atoms",
    "built from the Wyckoff positions: Sc substituted into the shipped bixbyite prototype relaxed to +27 % volume, "
    "522 meV/atom above this cell")
_sub("sccl3-bii3", BII3, {"Bi": "Sc", "I": "Cl"}, 26.1,
     src="AFLOW prototype D0_5 (BiI3, R-3); ScCl3 is BiI3/FeCl3-type (a=6.38, c=17.78 A; Klemm & Krose 1947)")
_sub("scf3-reo3", REO3, {"Re": "Sc", "O": "F"}, 16.1,
     src="AFLOW prototype D0_9 (ReO3, Pm-3m); ScF3 is cubic ReO3-type (a=4.01 A; Lösch et al. 1982)")


@register("li3sccl6-approx", "Li3ScCl6 C2/m (ccp Cl, Sc and Li in octahedral sites, the Li3InCl6 type; Liang et al., "
          "J. Am. Chem. Soc. 142, 7012 (2020): a=6.38, b=11.03, c=6.42 A, beta=109.9 deg): Li2MnO3-type (C2/m) "
          "rocksalt host with O->Cl, all Sc/Li/vacancy orderings of its 6 octahedral sites ranked by CHGNet energy",
          "ordered approximant (10 atoms) of the partially occupied C2/m structure, built as li3incl6-approx")
def _li3sccl6() -> Structure:
    return li3mx6_c2m("Sc", "Cl", 6.38, 11.03, 6.42, 109.9)


def _rocksalt_supercell(matrix: list[list[int]], vpa: float) -> Structure:
    s = proto(ROCKSALT, {"Na": "He", "Cl": "O"})
    s.make_supercell(matrix)
    s.scale_lattice(vpa * len(s))
    return s


def _sc2s3() -> Structure:
    s = _rocksalt_supercell([[1, 0, 0], [0, 1, 0], [0, 0, 6]], 17.7)
    s.replace_species({"O": "S"})
    return decorate(s, "He", {"Sc": 4, "X": 2})


add("sc2s3-approx", _sc2s3,
    "Sc2S3 Fddd (a rock-salt frame of S with one third of the cation sites vacant, ordered; Dismukes & White, "
    "Inorg. Chem. 3, 1220 (1964)): 1x1x6 primitive rock-salt cell, all orderings of 4 Sc over its 6 cation sites "
    "ranked by CHGNet energy", "ordered rock-salt-derived approximant (10 atoms) of the 80-atom Fddd cell")


def _lisco2() -> Structure:
    """Two conventional rock-salt cells stacked along c, the 8 cation sites marked 'He'."""
    anions = [[x, y, (z + k) / 2] for k in (0, 1) for x, y, z in ((0.5, 0, 0), (0, 0.5, 0), (0, 0, 0.5), (0.5, 0.5, 0.5))]
    cations = [[x, y, (z + k) / 2] for k in (0, 1) for x, y, z in ((0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5))]
    host = Structure(lat(4.18, 4.18, 8.60), ["He"] * 8 + ["O"] * 8, cations + anions)
    return decorate(host, "He", {"Li": 4, "Sc": 4})


add("lisco2-approx", _lisco2,
    "LiScO2 I41/amd (gamma-LiFeO2 type, an ordered rock salt; a=4.18, c=9.30 A): two conventional rock-salt cells "
    "stacked along c, all Li/Sc orderings of their 8 cation sites ranked by CHGNet energy (the gamma-LiFeO2 ordering "
    "is one of them)", "ordered rock-salt cell; may pick a lower CHGNet ordering than the I41/amd one")
_sub("scpo4-zircon", ZIRCON, {"Zr": "Sc", "Si": "P", "O": "O"}, 10.5,
     src="AFLOW prototype zircon (ZrSiO4, I41/amd) with Zr->Sc, Si->P; ScPO4 is zircon-type (a=6.58, c=5.80 A; "
         "Milligan et al. 1983)")


# --------------------------------------------------------------------------------------------------
# Zn: the metal, ZnO/ZnS, halides, LiZn, Zn3P2 (ZnO/Zn interlayers on Li)
# --------------------------------------------------------------------------------------------------
_elem("zn-hcp", *HCP, "Zn", 15.2, "AFLOW prototype A3 (Mg, hP2); Zn a=2.665, c=4.947 A (c/a 1.86, opens on relaxation)")
_sub("zno-wurtzite", WURTZITE, {"Zn": "Zn", "S": "O"}, 11.9,
     src="AFLOW prototype B4 (wurtzite); ZnO zincite is wurtzite-type (a=3.25, c=5.21 A)")
_sub("zns-zb", ZINCBLENDE, {"Zn": "Zn", "S": "S"}, 19.8, src="AFLOW prototype B3 (zincblende, sphalerite ZnS, a=5.41 A)")
_sub("znf2-rutile", RUTILE, {"Ti": "Zn", "O": "F"}, 11.5, src="AFLOW prototype C4 (rutile); ZnF2 is rutile-type (a=4.70, c=3.13 A)")


def _zncl2() -> Structure:
    """ccp Cl (a conventional fcc cell) with its 8 tetrahedral sites marked 'He'; 2 of them take Zn."""
    cl = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]
    tet = [[x, y, z] for x in (0.25, 0.75) for y in (0.25, 0.75) for z in (0.25, 0.75)]
    host = Structure(lat(5.38), ["Cl"] * 4 + ["He"] * 8, cl + tet)
    return decorate(host, "He", {"Zn": 2, "X": 6})


add("zncl2-approx", _zncl2,
    "delta-ZnCl2 P42/nmc (ZnCl4 tetrahedra sharing corners in ccp Cl; Brynestad & Yakel, Inorg. Chem. 17, 1376 "
    "(1978)): conventional ccp Cl cell, all placements of 2 Zn on its 8 tetrahedral sites ranked by CHGNet energy",
    "ordered approximant (6 atoms) of the tetragonal cell")
_sub("lizn-natl", "AB_cF16_227_a_b", {"Na": "Li", "Tl": "Zn"}, 15.0,
     src="AFLOW prototype B32 (NaTl); LiZn is NaTl-type (a=6.21 A; Zintl & Brauer 1933)")
_af("zn3p2-af", "P", {"Zn": 6, "X": 2}, 5.72,
    "approximant: Zn3P2 (P42/nmc, a=8.097, c=11.45 A) is an anti-fluorite with a quarter of the tetrahedral sites "
    "empty (Stackelberg & Paulu 1935); here the smallest such ordering, 10 atoms")
_af("znso4-af", "O", {"Zn": 1, "S": 1, "X": 6}, 4.8,
    "approximant: ZnSO4 (Pnma, CuSO4 type, ZnO6 octahedra and SO4 tetrahedra) as an ordered anti-fluorite cell with "
    "tetrahedral Zn, as li2so4-af")


# --------------------------------------------------------------------------------------------------
# Au interlayers: the metal and the Li-Au alloys
# --------------------------------------------------------------------------------------------------
_elem("au-fcc", *FCC, "Au", 16.95, "AFLOW prototype A1 (Cu, cF4); Au a=4.078 A")
_sub("liau-b2", "AB_cP2_221_b_a", {"Cs": "Li", "Cl": "Au"}, 14.3,
     src="AFLOW prototype B2 (CsCl); LiAu is CsCl-type (Pastorello 1930; Kienast & Verma, Z. Anorg. Allg. Chem. 310, 143 (1961))")
_sub("li3au-bif3", "AB3_cF16_225_a_bc", {"Bi": "Au", "F": "Li"}, 14.8,
     src="AFLOW prototype D0_3 (BiF3); Li3Au is cubic D0_3-type (a=6.15 A; Kienast & Verma 1961)")


# --------------------------------------------------------------------------------------------------
# Cr: the metal, CrO2, LiCrO2, Li2CrO4, sulfides, CrCl3 (Cr2O3, CrO3, CrF2, CrF3 come from the wheel)
# --------------------------------------------------------------------------------------------------
_elem("cr-bcc", *BCC, "Cr", 11.9, "AFLOW prototype A2 (W, cI2); Cr a=2.88 A")
_sub("cro2-rutile", RUTILE, {"Ti": "Cr", "O": "O"}, 9.5, src="AFLOW prototype C4 (rutile); CrO2 is rutile-type (a=4.42, c=2.92 A)")
_sub("licro2-o3", NAFEO2, {"Na": "Li", "Cr": "Cr", "S": "O"}, 8.75,
     src="AFLOW prototype F5_1 (alpha-NaFeO2 type); LiCrO2 R-3m (a=2.90, c=14.41 A)")
_af("li2cro4-af", "O", {"Li": 2, "Cr": 1, "X": 5}, 5.1,
    "approximant: Li2CrO4 (R-3, phenakite type, isolated CrO4 and LiO4 tetrahedra) as an ordered anti-fluorite cell "
    "with the same tetrahedral coordination, as li2so4-af")
_sub("crs-nias", NIAS, {"Ni": "Cr", "As": "S"}, 14.8,
     src="AFLOW prototype B8_1 (NiAs); CrS is a monoclinically distorted NiAs type (a=3.45, c=5.75 A)",
     note="NiAs-type approximant: the Jahn-Teller (C2/c) distortion of Cr2+ is allowed only within the 4-atom cell")
add("cr2s3-approx", lambda: _nias_vacancies("Cr", [3, 1, 1], {"M": 4, "X": 2}, 14.0),
    "Cr2S3 R-3 (a NiAs-type frame with one third of the metal sites empty, ordered in every second layer; Jellinek, "
    "Acta Cryst. 10, 620 (1957)): 3x1x1 NiAs cell, all orderings of 4 Cr over its 6 metal sites ranked by CHGNet energy",
    "ordered NiAs-derived approximant (10 atoms) of the 30-atom R-3 cell")
add("licrs2-p3m1", lambda: _li_layered_sulfide("Cr", 3.46, 6.08),
    "LiCrS2 P-3m1 (LiTiS2 type, Li in octahedral sites between CrS2 layers; a=3.46, c=6.08 A; Van Laar & IJdo, "
    "J. Solid State Chem. 3, 590 (1971)): Cr 1a, Li 1b, S 2d z=1/4")
_sub("crcl3-alcl3", ALCL3, {"Al": "Cr", "Cl": "Cl"}, 22.2,
     src="AFLOW prototype D0_15 (AlCl3, C2/m); CrCl3 at room temperature is AlCl3-type (Morosin & Narath, J. Chem. "
         "Phys. 40, 1958 (1964))")

# --------------------------------------------------------------------------------------------------
# Bi: the metal of Bi interlayers and Li-Bi alloy anodes, its Li alloys and its sulfide
# --------------------------------------------------------------------------------------------------
_elem("bi-a7", "A_hR2_166_c", "As", "Bi", 35.4, "AFLOW prototype A7 (alpha-As, R-3m); Bi a=4.546, c=11.862 A")
_sub("li3bi-bif3", "AB3_cF16_225_a_bc", {"Bi": "Bi", "F": "Li"}, 19.0,
     src="AFLOW prototype D0_3 (BiF3); Li3Bi is cubic BiF3-type (a=6.72 A; Sangster & Pelton, J. Phase Equilib. 12, "
         "447 (1991), the Li-Bi system)")
_sub("libi-l10", "AB_tP2_123_a_d", {"Cu": "Li", "Au": "Bi"}, 24.0,
     src="AFLOW prototype L1_0 (CuAu, P4/mmm); LiBi is tetragonal CuAu-type (a=3.36, c=4.25 A; Sangster & Pelton 1991)")
_sub("bi2s3-stibnite", "A3B2_oP20_62_3c_2c", {"Sb": "Bi", "S": "S"}, 24.9,
     src="AFLOW prototype D5_8 (stibnite Sb2S3); Bi2S3 (bismuthinite) is isostructural (a=11.27, b=3.97, c=11.13 A)")
