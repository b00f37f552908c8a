"""Ga, Sr and Ba, registered into structures.PHASES after the v2 table: the metal of Ga interlayers on Li metal (which
Li alloys to LiGa) and of Ga2O3 coatings, and the metals of the dielectric perovskite coatings SrTiO3 and BaTiO3 put
on LiCoO2 beside LiNbO3; with what each takes against a sulfide SE, Li metal or an oxide cathode (the oxides,
sulfides, chlorides and fluorides), and the binaries whose measured enthalpies fit and test the three species' shifts
(GaN, GaP, GaAs, SrF2, BaF2).

Three are approximants, for want of their prototypes among pymatgen's: Ga2O3 in the corundum type (alpha-Ga2O3; the
stable beta form is monoclinic C2/m), BaCl2 in the fluorite type (its high-temperature form; cotunnite, PbCl2-type,
is the stable one) and BaTiO3 as the cubic perovskite (the tetragonal room-temperature form is a slight distortion of
it). Where pymatgen's wheel holds a formula (Ga2O3, GaN, the Sr and Ba oxides, sulfides and halides) the table takes
the wheel's entry, as for every formula; the wheel also brings those no prototype gives (GaS, Ga2S3, GaCl3, SrSO4,
BaSO4, the carbonates). Not built: LiGaO2 (beta-NaFeO2 type) and the Li–Ga phases other than LiGa.

Li2MoO4, the molybdate coating, is an approximant too: the spinel type of Na2MoO4 and Ag2MoO4 (Mo on the tetrahedral
site), for want of a prototype of its own phenakite type (R-3, 42 atoms per primitive cell); without it an Li2MoO4
coating was placed on the hull of Li2O and MoO3."""

from __future__ import annotations

from structures import ANTIFLUORITE, CORUNDUM, P_BCC, P_FCC, ROCKSALT, SPINEL, _elem, _sub
from structures_elements import WURTZITE, ZINCBLENDE

_elem("ga-a11", "A_oC8_64_f", "Ga", "Ga", 19.6, "AFLOW prototype A11 (alpha-Ga, Cmce)")
_sub("liga-natl", "AB_cF16_227_a_b", {"Na": "Li", "Tl": "Ga"}, 15.0,
     src="AFLOW prototype B32 (NaTl); LiGa is isostructural (a=6.207 A), as LiIn")
_sub("ga2o3-corundum", CORUNDUM, {"Al": "Ga"}, 9.6,
     "corundum-type alpha-Ga2O3, which stands in for the stable monoclinic beta-Ga2O3 (C2/m)",
     src="AFLOW prototype D5_1 (corundum Al2O3); alpha-Ga2O3 is corundum-type (a=4.98, c=13.43 A)")
_sub("gan-wurtzite", WURTZITE, {"Zn": "Ga", "S": "N"}, 11.4, src="AFLOW prototype B4 (wurtzite); GaN is wurtzite-type")
for _anion, _volume, _a in (("P", 20.2, 5.451), ("As", 22.6, 5.653)):
    _sub(f"ga{_anion.lower()}-b3", ZINCBLENDE, {"Zn": "Ga", "S": _anion}, _volume,
         src=f"AFLOW prototype B3 (zincblende); Ga{_anion} is zincblende-type, a={_a} A")

_elem("sr-fcc", "A_cF4_225_a", "Cu", "Sr", 56.2, P_FCC)
_elem("ba-bcc", "A_cI2_229_a", "W", "Ba", 63.3, P_BCC)
# (metal, rocksalt MO and MS, fluorite MF2 and MCl2 volumes per atom in A^3, and the MCl2 note)
for _metal, _o, _s, _f2, _cl2, _note in (
        ("Sr", 17.2, 27.6, 16.4, 29.7, ""),
        ("Ba", 21.0, 32.3, 19.8, 34.5, "fluorite-type (high-temperature) BaCl2, which stands in for the stable "
                                       "cotunnite (PbCl2-type) form")):
    _m = _metal.lower()
    _sub(f"{_m}o-b1", ROCKSALT, {"Na": _metal, "Cl": "O"}, _o, src=f"AFLOW prototype B1 (NaCl); {_metal}O is rocksalt")
    _sub(f"{_m}s-b1", ROCKSALT, {"Na": _metal, "Cl": "S"}, _s, src=f"AFLOW prototype B1 (NaCl); {_metal}S is rocksalt")
    _sub(f"{_m}f2-c1", ANTIFLUORITE, {"Ca": _metal}, _f2, src=f"AFLOW prototype C1 (CaF2); {_metal}F2 is fluorite-type")
    _sub(f"{_m}cl2-c1", ANTIFLUORITE, {"Ca": _metal, "F": "Cl"}, _cl2, _note,
         src=f"AFLOW prototype C1 (CaF2) with F->Cl{'; SrCl2 is fluorite-type' if _metal == 'Sr' else ''}")
    _sub(f"{_m}tio3-perovskite", "AB3C_cP5_221_a_c_b", {"Ca": _metal}, 11.9 if _metal == "Sr" else 12.9,
         "" if _metal == "Sr" else "cubic perovskite, which stands in for the tetragonal (P4mm) room-temperature form",
         src=f"AFLOW prototype E2_1 (cubic perovskite CaTiO3); {_metal}TiO3")

_sub("li2moo4-spinel", SPINEL, {"Mg": "Mo", "Al": "Li"}, 12.0,
     "spinel-type approximant of Li2MoO4 (phenakite type, R-3, is the stable form)",
     src="AFLOW prototype H1_1 (spinel MgAl2O4) with Mg->Mo (tetrahedral), Al->Li (octahedral): the Na2MoO4 type")
