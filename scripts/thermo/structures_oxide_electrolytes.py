"""Oxide and oxyhalide Li-ion conductors, registered into structures.PHASES after the v2 table: the garnet
Li7La3Zr2O12 (LLZO), the NASICON phosphates LiZr2(PO4)3, LiTi2(PO4)3 and LiGe2(PO4)3 (the parents of LZP, LATP and
LAGP) with the pyrophosphates ZrP2O7, TiP2O7 and GeP2O7 they give off when Li leaves them, the pyrochlore La2Zr2O7
that LLZO leaves when it loses Li, the perovskites Li3La5Ti9O27 and Li0.5La0.5TiO3 (LLTO) and the antiperovskite
Li3OCl; the borate Li2B4O7, between LiBO2 and B2O3; and monazite LaPO4, which La of a garnet forms with the phosphate
of a thiophosphate SE. Each is used as a coating, an interlayer on Li metal or the oxide half of a hybrid electrolyte
beside a sulfide SE; without them their chemical systems held no compound of their own, and a contact with them was
answered as an approximation (Li2B4O7 was placed on the hull of LiBO2 and B2O3). Li2B4O7 and LaPO4 have measured
enthalpies and so are later formulas (sources.LATER_FORMULAS), outside the calibration.

LLZO and LLTO are ordered approximants of Li-disordered phases. LLZO takes the order of the tetragonal form (I41/acd):
Li on every octahedral site and on a third of the tetrahedral ones, no two of which share an octahedron. The NASICONs
keep Li on the M1 site of NaZr2(PO4)3 (rhombohedral LiZr2(PO4)3 displaces it; the relaxation sets it). The
pyrophosphates are the cubic subcell of their 3x3x3 superstructure, whose linear P-O-P bridge makes them upper bounds;
GeP2O7 takes that subcell too, an approximant. Starting volumes are near the measured ones (GeP2O7's is scaled from
TiP2O7's); the relaxation sets them."""

from __future__ import annotations

from pymatgen.core import Structure

from structures import add, decorate, from_wyckoff, hexl, lat, pick_sites, primitive, proto

PEROVSKITE = "AB3C_cP5_221_a_c_b"


def _llzo() -> Structure:
    """The cubic garnet framework, octahedral Li on its 48g centres and tetrahedral candidates on 24d (He), in the
    96-atom primitive cell; four of the twelve tetrahedral sites, none sharing an octahedron (the nearest pair is
    3.97 A apart, the next 6.07 A)."""
    garnet = from_wyckoff("I a -3 d", lat(12.97), ["La", "Zr", "O", "Li", "He"],
                          [[0.125, 0, 0.25], [0, 0, 0], [0.100, 0.200, 0.283], [0.125, 0.6808, 0.5692],
                           [0.375, 0, 0.25]])
    return pick_sites(primitive(garnet), "He", 4, 4.5)


add("llzo-garnet", _llzo,
    "Li7La3Zr2O12 garnet: cubic Ia-3d framework (La 24c, Zr 16a, O 96h, a=12.97 A), Geiger et al., Inorg. Chem. 50, "
    "1089 (2011); Li order of tetragonal I41/acd LLZO, Awaka et al., J. Solid State Chem. 182, 2046 (2009)",
    "ordered approximant (96 atoms): Li on all 24 octahedral (48g) sites and on 4 of the 12 tetrahedral (24d) sites, "
    "sampled >=4.5 A apart, lowest CHGNet energy")

add("la2zr2o7-pyrochlore", lambda: primitive(from_wyckoff(
        "F d -3 m :2", lat(10.80), ["La", "Zr", "O", "O"],
        [[0.5, 0.5, 0.5], [0, 0, 0], [0.332, 0.125, 0.125], [0.375, 0.375, 0.375]])),
    "pyrochlore La2Zr2O7 (Fd-3m, a=10.80 A; La 16d, Zr 16c, O 48f x=0.332, O' 8b), the A2B2O6O' type of Subramanian, "
    "Aravamudan and Subba Rao, Prog. Solid State Chem. 15, 55 (1983)",
    "as built: ZrO6 2.10 A, LaO8 2.34 (O') and 2.63 A")


def _nasicon(metal: str, a: float, c: float) -> Structure:
    return primitive(from_wyckoff("R -3 c :H", hexl(a, c), ["Li", metal, "P", "O", "O"],
                                  [[0, 0, 0], [0, 0, 0.1456], [0.2897, 0, 0.25], [0.1753, -0.0280, 0.1937],
                                   [0.1920, 0.1680, 0.0865]]))


for _metal, _a, _c, _note in (("Zr", 8.85, 22.24, "rhombohedral (alpha) LiZr2(PO4)3, the LZP coating"),
                              ("Ti", 8.51, 20.85, "the parent of LATP, Li1+xAlxTi2-x(PO4)3"),
                              ("Ge", 8.28, 20.47, "the parent of LAGP, Li1+xAlxGe2-x(PO4)3")):
    add(f"li{_metal.lower()}2p3o12-nasicon", lambda m=_metal, a=_a, c=_c: _nasicon(m, a, c),
        f"NASICON Li{_metal}2(PO4)3 (R-3c, a={_a}, c={_c} A): the NaZr2(PO4)3 type, Hagman and Kierkegaard, Acta Chem. "
        f"Scand. 22, 1822 (1968), with Na->Li on M1", _note)


def _pyrophosphate(metal: str, a: float) -> Structure:
    """The O on 24d is set by the bond lengths (M-O 2.07, P-O 1.52 A), which the subcell leaves to one position."""
    return from_wyckoff("P a -3", lat(a), [metal, "P", "O", "O"],
                        [[0, 0, 0], [0.391, 0.391, 0.391], [0.5, 0.5, 0.5], [0.281, 0.614, 0.958]])


for _metal, _a in (("Zr", 8.25), ("Ti", 7.80)):
    add(f"{_metal.lower()}p2o7-cubic", lambda m=_metal, a=_a: _pyrophosphate(m, a),
        f"{_metal}P2O7, cubic pyrophosphate subcell (Pa-3, a={_a} A; M on 4a, P on 8c, the bridging O on 4b), Levi and "
        "Peyronel, Z. Kristallogr. 92, 190 (1935)",
        "approximant: the 40-atom subcell of the 3x3x3 Pa-3 superstructure, with a linear P-O-P bridge")
add("gep2o7-cubic", lambda: _pyrophosphate("Ge", 7.70),
    "the cubic pyrophosphate subcell of ZrP2O7 and TiP2O7 (Levi and Peyronel 1935) with Ge, a=7.70 A",
    "approximant of GeP2O7, which LAGP gives off when Li leaves it (its own structure is not built)")

add("li3ocl-antiperovskite", lambda: proto(PEROVSKITE, {"Ca": "Cl", "Ti": "O", "O": "Li"}, 11.96),
    "AFLOW prototype E2_1 (cubic perovskite CaTiO3) as the antiperovskite Li3OCl: Cl on the A site, O on the B site, "
    "Li on the X sites (Pm-3m, a=3.91 A), Zhao and Daemen, JACS 134, 15042 (2012)",
    "metastable: measured as a quenched phase; computed above Li2O + LiCl")


def _llto(supercell: list[int], a_sites: dict[str, int]) -> Structure:
    cell = proto(PEROVSKITE, {"Ca": "La"}, 11.6)
    cell.make_supercell(supercell)
    return decorate(cell, "La", a_sites)


_LLTO = ("perovskite Li3xLa2/3-xTiO3 (LLTO), AFLOW prototype E2_1 (cubic perovskite CaTiO3) with Li, La and vacancies "
         "on the A sites, Inaguma et al., Solid State Commun. 86, 689 (1993)")
add("li0.5la0.5tio3-perovskite", lambda: _llto([2, 2, 2], {"Li": 4, "La": 4}), f"{_LLTO}: x=1/6, Li0.5La0.5TiO3",
    "ordered approximant (40 atoms, 2x2x2): the A-site orderings of 4 Li and 4 La enumerated, lowest CHGNet energy")
add("li0.33la0.56tio3-perovskite", lambda: _llto([3, 3, 1], {"Li": 3, "La": 5, "X": 1}),
    f"{_LLTO}: x=1/9, Li3La5Ti9O27 (Li0.33La0.56TiO3, the LLTO of data/materials.csv)",
    "ordered approximant (44 atoms, 3x3x1): A-site orderings of 3 Li, 5 La and a vacancy sampled (seeded), lowest "
    "CHGNet energy")


add("li2b4o7-i41cd", lambda: primitive(from_wyckoff(
        "I 41 c d", lat(9.475, 9.475, 10.283), ["Li", "B", "B", "O", "O", "O", "O"],
        [[0.1495, 0.1658, 0.8493], [0.1685, 0.0867, 0.2015], [0.9465, 0.1127, 0.0834], [0.2816, 0.1376, 0.2664],
         [0.0664, 0.1789, 0.1545], [0.1568, 0.9434, 0.1838], [0, 0, 0]])),
    "Li2B4O7 (I41cd, a=9.475, c=10.283 A at room temperature), Sennova et al., J. Alloys Compd. 428, 290 (2007) and "
    "Z. Anorg. Allg. Chem. 634, 2601 (2008)",
    "as built: BO3 triangles B-O 1.35-1.39 A, BO4 tetrahedra 1.45-1.52 A, LiO4 1.96-2.15 A")
add("lapo4-monazite", lambda: from_wyckoff(
        "P 1 21/n 1", lat(6.831, 7.071, 6.503, 90, 103.27, 90), ["La", "P", "O", "O", "O", "O"],
        [[0.2815, 0.1597, 0.1002], [0.3048, 0.1636, 0.6125], [0.2503, 0.0070, 0.4430], [0.3814, 0.3320, 0.4973],
         [0.4745, 0.1054, 0.8037], [0.1272, 0.2164, 0.7102]]),
    "monazite LaPO4 (P21/n), Ni, Hughes and Mariano, Am. Mineral. 80, 21 (1995)",
    "as built: LaO9 2.47-2.79 A, PO4 1.54-1.56 A")
