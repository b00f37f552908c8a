"""Phases that coating, cathode and anode reactions need (issue 16), registered into structures.PHASES.

Same conventions as structures.py: published space group + Wyckoff positions with from_wyckoff, substitution
into pymatgen's AFLOW prototypes with proto, or an ordered approximant whose orderings are ranked by CHGNet
(decorate).  Where only the space group, cell and connectivity of a phase are published in a form we could
check, the positions are built from that description and the note says so; every cell is relaxed afterwards.
Imported at the end of structures.py, so the phase order of the table stays: old phases first, these after.
"""

from __future__ import annotations

from pymatgen.core import Structure
from structures import (
    _elem,
    _layered_supercell,
    _min_dist_ok,
    _rank,
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

NIAS = "AB_hP4_194_c_a"


def _scaled(s: Structure, vpa: float) -> Structure:
    s.scale_lattice(vpa * len(s))
    return s


# --------------------------------------------------------------------------------------------------
# elements
# --------------------------------------------------------------------------------------------------
_elem("y-hcp", "A_hP2_194_c", "Mg", "Y", 33.0, "AFLOW prototype A3 (Mg, hP2); Y is hcp (a=3.647, c=5.731 A)")
_elem("n2-alpha", "A_cP8_205_c", "N", "N", 22.6, "AFLOW prototype alpha-N2 (Pa-3, cP8)",
      "molecular crystal, as the table's O2 and halogens; MP's N2 reference (mp-25) is also a molecular solid")


# --------------------------------------------------------------------------------------------------
# borates
# --------------------------------------------------------------------------------------------------
@register("b2o3-i", "B2O3-I P3_121 (Gurr, Montgomery, Knutson & Gorres, Acta Cryst. B26, 906 (1970)); B 6c and O 6c "
          "from the PBE-relaxed structure of that phase (Materials Project mp-306 as listed in phonondb, Togo 2018), "
          "O 3b x fixed by three B-O bonds of 1.37 A per B",
          "BO3 triangles sharing all corners (ribbons linked into a 3D net)")
def _b2o3():
    return from_wyckoff("P 31 2 1", hexl(4.3506, 8.3398), ["B", "O", "O"],
                        [[0.39775, 0.23400, 0.72540], [0.44880, 0.85102, 0.03998], [0.155, 0.0, 5 / 6]])


_sub("libo2-gamma", "ABC2_tI16_122_a_b_d", {"Cu": "Li", "Fe": "B", "S": "O"}, 7.16,
     src="gamma-LiBO2 I-42d (Marezio & Remeika, J. Chem. Phys. 44, 3348 (1966): a=4.196, c=6.511 A; Li 4a, B 4b, O 8d, "
         "the chalcopyrite arrangement) from AFLOW prototype E1_1 (chalcopyrite CuFeS2) with Cu->Li, Fe->B, S->O",
     note="tetrahedral high-pressure polymorph; stands in for alpha-LiBO2 (P21/c, BO3 chains), which is not included")


# --------------------------------------------------------------------------------------------------
# halide coatings / solid electrolytes: ordered approximants on close-packed Cl
# --------------------------------------------------------------------------------------------------
_sub("ycl3-alcl3", "AB3_mC16_12_g_ij", {"Al": "Y", "Cl": "Cl"}, 34.0,
     src="AFLOW prototype D0_15 (AlCl3, C2/m); YCl3 is AlCl3-type (Templeton & Carter, J. Phys. Chem. 58, 940 (1954))")

_sub("y2o3-bixbyite", "AB3C6_cI80_206_a_d_e", {"Fe": "Y", "Mn": "Y", "O": "O"}, 14.9, mineral="Bixbyite",
     src="AFLOW prototype D5_3 bixbyite (Ia-3), Y on both cation sites; C-type Y2O3 (a=10.604 A), primitive 40 atoms",
     note="relaxes to a slightly distorted (Cc) bixbyite cell")
_sub("yocl-pbfcl", "ABC_tP6_129_c_a_c", {"Pb": "Y", "F": "O", "Cl": "Cl"}, 16.7,
     src="AFLOW prototype E0_1 (PbFCl, matlockite, P4/nmm); YOCl is PbFCl-type (a=3.90, c=6.60 A)",
     note="c opens from 6.60 to 8.58 A on relaxation (+25 % volume): CHGNet, like PBE, has no dispersion to hold the "
          "Cl-Cl van der Waals gap, so YOCl is underbound by that binding")


def _hcp_host(supercell, vpa_anion: float, anion: str = "Cl") -> Structure:
    """hcp `anion` with every octahedral site marked 'He' (NiAs arrangement), as a supercell."""
    s = proto(NIAS, {"Ni": "He", "As": anion})
    s.make_supercell(supercell)
    s.scale_lattice(vpa_anion * sum(1 for sp in s.species if sp.symbol == anion))
    return s


_SQRT3 = [[1, -1, 0], [1, 2, 0], [0, 0, 1]]
_HCP_2X2 = [[2, 0, 0], [0, 2, 0], [0, 0, 1]]


def hcp_halide(counts: dict[str, int], supercell=_SQRT3, vpa_anion: float = 42.0, anion: str = "Cl") -> Structure:
    """The ordered approximant of a halide on hcp `anion`: `counts` of metals, Li and vacancies ('X') over the host's
    octahedral sites, every ordering ranked by CHGNet energy (Li3YCl6, Li2ZrCl6, ZrCl4 and their Er, Ho and Hf
    analogues in structures_halide_metals.py; Li2ZrF6, Li2TiF6 and TiF4 in structures_fluorides.py)."""
    return decorate(_hcp_host(supercell, vpa_anion, anion), "He", counts)


@register("li3ycl6-approx", "Li3YCl6 P-3m1 (hcp Cl, Y and Li in octahedral sites; Bohnsack et al., Z. Anorg. Allg. Chem. "
          "623, 1067 (1997); Asano et al., Adv. Mater. 30, 1803075 (2018)): sqrt3 x sqrt3 NiAs-type hcp-Cl host, all 60 "
          "Y/Li/vacancy orderings of its 6 octahedral sites ranked by CHGNet energy",
          "ordered approximant (10 atoms) of the partially occupied P-3m1 structure")
def _li3ycl6():
    return hcp_halide({"Y": 1, "Li": 3, "X": 2})


@register("li2zrcl6-approx", "Li2ZrCl6 P-3m1 (hcp Cl, Zr and Li in octahedral sites; Wang et al., Nat. Commun. 12, 4410 "
          "(2021)): sqrt3 x sqrt3 NiAs-type hcp-Cl host, all Zr/Li/vacancy orderings of its 6 octahedral sites ranked by "
          "CHGNet energy", "ordered approximant (9 atoms) of the partially occupied P-3m1 structure")
def _li2zrcl6():
    return hcp_halide({"Zr": 1, "Li": 2, "X": 3})


@register("zrcl4-approx", "ZrCl4 (Pca21, zigzag chains of edge-sharing ZrCl6 octahedra in close-packed Cl; Krebs, "
          "Z. Anorg. Allg. Chem. 378, 263 (1970)): 2x2x1 NiAs-type hcp-Cl host, all Zr placements on 2 of its 8 "
          "octahedral sites ranked by CHGNet energy", "ordered approximant (10 atoms); not the Pca21 chain ordering")
def _zrcl4():
    return hcp_halide({"Zr": 2, "X": 6}, _HCP_2X2, 40.0)


@register("li3incl6-approx", "Li3InCl6 C2/m (ccp Cl, In and Li in octahedral sites, Li2MnO3-like layer sequence; "
          "Li et al., Energy Environ. Sci. 12, 2665 (2019)): Li2MnO3-type (C2/m) rocksalt host with O->Cl, all In/Li/"
          "vacancy orderings of its 6 octahedral sites ranked by CHGNet energy",
          "ordered approximant (10 atoms) of the partially occupied C2/m structure")
def _li3incl6():
    return li3mx6_c2m("In", "Cl", 6.44, 11.12, 6.40, 109.9)


def li3mx6_c2m(metal: str, halide: str, a: float, b: float, c: float, beta: float) -> Structure:
    """The Li3InCl6-type (C2/m) approximant of a halide electrolyte Li3MX6: the Li2MnO3-type rocksalt host with O->X,
    every M/Li/vacancy ordering of its 6 octahedral sites ranked by CHGNet energy (Li3InCl6, Li3ScCl6, Li3YBr6)."""
    from structures import _li2mo3

    s = primitive(_li2mo3("Mn", a, b, c, beta))
    s.replace_species({"O": halide, "Li": "He", "Mn": "He"})
    return decorate(s, "He", {metal: 1, "Li": 3, "X": 2})


# --------------------------------------------------------------------------------------------------
# nitrogen: LiPON approximant
# --------------------------------------------------------------------------------------------------
_sub("li3n-p6mmm", "A3B_hP4_191_bc_a", {"Li": "Li", "N": "N"}, 11.0,
     src="AFLOW prototype alpha-Li3N (P6/mmm; Rabenau & Schulz, J. Less-Common Met. 50, 155 (1976))")


@register("li2po2n-cmc21", "Li2PO2N Cmc21 (Senevirathne, Day, Gross, Lachgar & Holzwarth, Solid State Ionics 233, 95 "
          "(2013): a=9.069, b=5.393, c=4.686 A; Li 8b, P 4a, O 8b, N 4a): P-N-P chains of PO2N2 tetrahedra, the "
          "Li2SiO3 arrangement (Hesse 1977 positions) with Si->P and the bridging O(4a)->N",
          "crystalline LiPON approximant")
def _li2po2n():
    return primitive(from_wyckoff("C m c 21", lat(9.069, 5.393, 4.686), ["Li", "P", "O", "N"],
                                  [[0.1737, 0.3449, 0.0], [0, 0.1703, 0.4923], [0.1444, 0.3077, 0.4108],
                                   [0, 0.1159, 0.8461]]))


# --------------------------------------------------------------------------------------------------
# Nb and Ta pentoxides
# --------------------------------------------------------------------------------------------------
for _pid, _m, _v in (("nb2o5-b", "Nb", 11.5), ("ta2o5-b", "Ta", 11.5)):
    _sub(_pid, "A2B5_mC28_15_f_e2f", {"B": _m, "Pd": "O"}, _v,
         src=f"B-{_m}2O5 C2/c (M 8f, O 4e + 2x8f; B-Nb2O5: Laves, Petter & Wulf 1964; B-Ta2O5: Zibrov et al., "
             f"Acta Cryst. B56, 659 (2000)) started from the AFLOW prototype with the same Wyckoff sequence "
             f"(Pd5B2, mC28) with B->{_m}, Pd->O",
         note="approximant: the published site set, not the published coordinates; relaxed")


def _octahedral_approximant(counts: dict[str, int], vpa_o: float) -> Structure:
    """Cations and vacancies over the 8 octahedral sites of 8 close-packed O, hcp (NiAs 2x2x1) and ccp (rocksalt
    conventional 2x1x1) stacking alike, every ordering ranked by CHGNet energy; the lower of the two hosts wins."""
    hcp = _hcp_host(_HCP_2X2, vpa_o)
    ccp = proto("AB_cF8_225_a_b", {"Na": "He", "Cl": "Cl"})
    ccp = Structure.from_spacegroup("Fm-3m", lat(ccp.lattice.abc[0] * 2 ** 0.5), ["He", "Cl"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    ccp.make_supercell([2, 1, 1])
    ccp.scale_lattice(vpa_o * 8)
    hosts = [decorate(h, "He", counts) for h in (hcp, ccp)]
    for h in hosts:
        h.replace_species({"Cl": "O"})
    return _rank(hosts)


for _pid, _m in (("linb3o8-approx", "Nb"), ("lita3o8-approx", "Ta")):
    add(_pid, lambda m=_m: _octahedral_approximant({"Li": 1, m: 3, "X": 4}, 17.1),
        f"Li{_m}3O8 (LiNb3O8: P21/c, Lundberg, Acta Chem. Scand. 25, 3337 (1971); close-packed O with Li and {_m} in "
        f"half of the octahedral sites): 8 close-packed O (hcp and ccp hosts), all Li/{_m}/vacancy orderings of the 8 "
        f"octahedral sites ranked by CHGNet energy", "ordered approximant (12 atoms), not the published 48-atom ordering")


# --------------------------------------------------------------------------------------------------
# Li-C (graphite intercalation and the carbide)
# --------------------------------------------------------------------------------------------------
@register("lic6-p6mmm", "LiC6 P6/mmm (AA-stacked graphene, Li in every third hexagon; Guerard & Herold, Carbon 13, 337 "
          "(1975): a=4.305, c=3.706 A); Li 1a, C 6k (1/3,0,1/2)")
def _lic6():
    return from_wyckoff("P 6/m m m", hexl(4.305, 3.706), ["Li", "C"], [[0, 0, 0], [1 / 3, 0, 0.5]])


@register("lic12-p6mmm", "LiC12 (stage 2) P6/mmm (Billaud et al., Mater. Res. Bull. 14, 857 (1979): a=4.288, c=7.025 A); "
          "Li 1a, C 12n (1/3,0,z) with the Li-filled gallery 3.70 A and the empty one 3.33 A")
def _lic12():
    return from_wyckoff("P 6/m m m", hexl(4.288, 7.025), ["Li", "C"], [[0, 0, 0], [1 / 3, 0, 0.2633]])


@register("li2c2-immm", "Li2C2 Immm (Ruschewitz & Poettgen, Z. Anorg. Allg. Chem. 625, 1599 (1999): a=3.652, b=4.831, "
          "c=5.434 A; C2 dumbbells, C-C 1.23 A, on the body-centred sites; C and Li each on one 4-fold site): the 9 "
          "choices of dumbbell axis (C 4e/4g/4i) and Li site (4f/4h/4j at 1/4) ranked by CHGNet energy",
          "positions chosen among the site sets the space group allows, not the published coordinates; relaxed")
def _li2c2():
    a, b, c = 3.652, 4.831, 5.434
    half = 0.615  # half the C-C bond, A
    carbon = [[half / a, 0, 0], [0, half / b, 0], [0, 0, half / c]]
    lithium = [[0.25, 0.5, 0], [0, 0.25, 0.5], [0.5, 0, 0.25]]
    cands = []
    for cc in carbon:
        for li in lithium:
            s = from_wyckoff("I m m m", lat(a, b, c), ["C", "Li"], [cc, li])
            if s.composition.reduced_formula == "LiC" and len(s) == 8 and _min_dist_ok(s, 1.2):
                cands.append(primitive(s))
    return _rank(cands)


# --------------------------------------------------------------------------------------------------
# MnS polymorphs (the rocksalt alpha-MnS of the table is 408 meV/atom above experiment)
# --------------------------------------------------------------------------------------------------
_sub("mns-zb", "AB_cF8_216_c_a", {"Zn": "Mn", "S": "S"}, 22.0,
     src="AFLOW prototype B3 (zincblende); beta-MnS is zincblende-type (a=5.600 A)",
     note="metastable polymorph in experiment; CHGNet puts it 22 meV/atom below rocksalt alpha-MnS")
_sub("mns-wz", "AB_hP4_186_b_b", {"Zn": "Mn", "S": "S"}, 22.0,
     src="AFLOW prototype B4 (wurtzite); gamma-MnS is wurtzite-type (a=3.976, c=6.432 A)",
     note="metastable polymorph in experiment; CHGNet puts it 26 meV/atom below rocksalt alpha-MnS")


# --------------------------------------------------------------------------------------------------
# Li-rich neighbours of LiNbO3 / LiTaO3 as cation-ordered rocksalt (the L1_2 ordering of structures.py lies
# 150-180 meV/atom above the hull)
# --------------------------------------------------------------------------------------------------
def _ordered_rocksalt(counts: dict[str, int], a: float) -> Structure:
    """Every ordering of `counts` over the 8 cation sites of two conventional rocksalt cells, ranked by CHGNet."""
    host = Structure.from_spacegroup("Fm-3m", lat(a), ["He", "O"], [[0, 0, 0], [0.5, 0.5, 0.5]])
    host.make_supercell([2, 1, 1])
    return decorate(host, "He", counts)


for _pid, _m, _ref in (("li3nbo4-ordered", "Nb", "Li3NbO4: cubic I-43m, Nb4O16 clusters"),
                       ("li3tao4-ordered", "Ta", "Li3TaO4: C2/c, Zocchi et al., J. Solid State Chem. 48, 420 (1983)")):
    add(_pid, lambda m=_m: _ordered_rocksalt({"Li": 6, m: 2}, 4.21),
        f"cation-ordered rocksalt ({_ref}; both are ordered rocksalt superstructures): all Li/{_m} orderings over "
        f"the cation sites of 2 conventional rocksalt cells ranked by CHGNet energy",
        "ordered approximant (16 atoms), not the published ordering")


# --------------------------------------------------------------------------------------------------
# nitrides beside Li2PO2N (so that a LiPON reaction has Li-P-N products besides N2), LiAlO2's Al-rich neighbour,
# and the NMC532 / NMC622 cathodes
# --------------------------------------------------------------------------------------------------
_sub("lipn2-i42d", "ABC2_tI16_122_a_b_d", {"Cu": "Li", "Fe": "P", "S": "N"}, 9.3,
     src="LiPN2 I-42d (filled beta-cristobalite: PN4 tetrahedra sharing all corners, Li in the voids; Schnick & Luecke "
         "1990: a=4.569, c=7.124 A) from AFLOW prototype E1_1 (chalcopyrite CuFeS2), the same Wyckoff set, with "
         "Cu->Li, Fe->P, S->N")
def _nitride_antifluorite(a: float) -> Structure:
    return from_wyckoff("F m -3 m", lat(a), ["N", "He"], [[0, 0, 0], [0.25, 0.25, 0.25]])


add("li7pn4-af", lambda: decorate(_nitride_antifluorite(4.68), "He", {"Li": 7, "P": 1}),
    "Li7PN4 (isolated PN4 tetrahedra in a 2x2x2 anti-fluorite superstructure, P-43n, a=9.37 A; Schnick & Luecke 1990): "
    "one conventional anti-fluorite cell of N with 7 Li and 1 P on its 8 tetrahedral sites",
    "ordered approximant (12 atoms) of the 96-atom cell")


@register("lial5o8-spinel", "LiAl5O8 (inverse spinel, Li and Al on the octahedral sites, P4_332; Famery, Queyroux, "
          "Gilles & Herpin 1979): 2x spinel primitive cell (AFLOW H1_1), Al on the tetrahedral sites, all Li/Al orderings "
          "of the 8 octahedral sites ranked by CHGNet energy", "ordered approximant (28 atoms) of the 56-atom P4_332 cell")
def _lial5o8():
    s = proto("A2BC4_cF56_227_d_a_e", {"Mg": "Al", "Al": "He"}, 8.6)
    s.make_supercell([[2, 0, 0], [0, 1, 0], [0, 0, 1]])
    return decorate(s, "He", {"Li": 2, "Al": 6})


for _pid, _ni, _mn in (("nmc532-approx", 5, 3), ("nmc622-approx", 6, 2)):
    add(_pid, _layered_supercell({"Ni": _ni, "Mn": _mn, "Co": 2}, [[2, 0, 0], [0, 5, 0], [0, 0, 1]]),
        "alpha-NaFeO2 (AFLOW F5_1) 2x5x1 rhombohedral supercell, Ni/Mn/Co orderings ranked by CHGNet energy",
        f"ordered approximant of LiNi0.{_ni}Mn0.{_mn}Co0.2O2 (40 atoms)")
