"""Er, Ho and Hf, registered into structures.PHASES after the v2 table: the metals of the halide electrolytes used as
catholytes and cathode coatings beside Li3YCl6 and Li2ZrCl6 (Li3ErCl6 and Li3HoCl6, trigonal as Li3YCl6; Li3HoBr6 and
Li3ErBr6, monoclinic as Li3YBr6; Li2HfCl6, as Li2ZrCl6), the HfO2 of ALD coatings and Li2HfO3, and what each takes
against a sulfide SE, Li metal or an oxide cathode: the metals, their trichlorides, tribromides and sesquioxides (Er,
Ho), HfCl4, HfS2 and the nitride HfN, whose measured enthalpy tests Hf's shift beside HfO2, HfCl4 and Li2HfO3.

Each is built as its Y or Zr analogue in structures_coatings.py, structures_bromides.py and structures.py (the same
structure type, the same approximant for a partially occupied cell), with a starting volume near the measured one; the
relaxation sets it. Er and Ho take MP's f-in-core treatment through CHGNet's training set (MPtrj). Their
sesquisulfides, and Y2S3, are in structures_rare_earth_sulfides.py."""

from __future__ import annotations

from structures import CDI2, P_HCP, ROCKSALT, _elem, _li2mo3, _sub, add, primitive, register
from structures_coatings import _HCP_2X2, hcp_halide, li3mx6_c2m
from structures_elements import BII3

# (metal, hcp volume, MCl3, M2O3, MOCl, MBr3 volumes per atom in A^3; measured cells: Er a=3.559, c=5.585 A; Ho
# a=3.578, c=5.618 A; Er2O3 a=10.55 A, Ho2O3 a=10.61 A)
for _metal, _hcp, _cl3, _o3, _ocl, _br3 in (("Er", 30.6, 32.5, 14.7, 16.3, 33.6), ("Ho", 31.1, 33.0, 14.9, 16.5, 34.0)):
    _m = _metal.lower()
    _elem(f"{_m}-hcp", "A_hP2_194_c", "Mg", _metal, _hcp, P_HCP)
    _sub(f"{_m}cl3-alcl3", "AB3_mC16_12_g_ij", {"Al": _metal}, _cl3,
         src=f"AFLOW prototype D0_15 (AlCl3, C2/m); {_metal}Cl3 is AlCl3-type, as YCl3")
    _sub(f"{_m}2o3-bixbyite", "AB3C6_cI80_206_a_d_e", {"Fe": _metal, "Mn": _metal}, _o3, mineral="Bixbyite",
         src=f"AFLOW prototype D5_3 bixbyite (Ia-3), {_metal} on both cation sites; C-type {_metal}2O3, as Y2O3")
    _sub(f"{_m}ocl-pbfcl", "ABC_tP6_129_c_a_c", {"Pb": _metal, "F": "O"}, _ocl,
         src=f"AFLOW prototype E0_1 (PbFCl, P4/nmm), as YOCl", note=f"{_metal}OCl built as YOCl (PbFCl type)")
    _sub(f"{_m}br3-bii3", BII3, {"Bi": _metal, "I": "Br"}, _br3,
         src=f"AFLOW prototype D0_5 (BiI3, R-3); {_metal}Br3 is BiI3/FeCl3-type, as YBr3")


for _metal, _source in (("Er", "Li3ErCl6 P-3m1, isostructural with Li3YCl6 (Bohnsack et al., Z. Anorg. Allg. Chem. 623, "
                                "1352 (1997))"),
                        ("Ho", "Li3HoCl6, a trigonal Li3YCl6-type chloride of the same family (Bohnsack et al. 1997)")):
    add(f"li3{_metal.lower()}cl6-approx", lambda metal=_metal: hcp_halide({metal: 1, "Li": 3, "X": 2}, vpa_anion=41.5),
        f"{_source}: built as li3ycl6-approx", "ordered approximant (10 atoms) of the partially occupied P-3m1 structure")
    add(f"li3{_metal.lower()}br6-approx", lambda metal=_metal: li3mx6_c2m(metal, "Br", 6.96, 12.01, 6.91, 109.9),
        f"Li3{_metal}Br6 C2/m (the Li3YBr6 and Li3InCl6 type): built as li3ybr6-approx, the Li3InCl6 cell scaled by "
        "1.08 (the Br-/Cl- radius ratio)", "ordered approximant (10 atoms) of the partially occupied C2/m structure")

_elem("hf-hcp", "A_hP2_194_c", "Mg", "Hf", 22.3, P_HCP)
_sub("hfo2-baddeleyite", "A2B_mP12_14_2e_e", {"Zr": "Hf"}, 11.5,
     src="AFLOW prototype C43 (baddeleyite ZrO2); monoclinic HfO2 is isostructural")
_sub("hfs2-c6", CDI2, {"Cd": "Hf", "I": "S"}, 22.3, src="AFLOW prototype C6 (CdI2); HfS2 is CdI2-type, as ZrS2")
_sub("hfn-b1", ROCKSALT, {"Na": "Hf", "Cl": "N"}, 11.2, src="AFLOW prototype B1 (NaCl); HfN is rocksalt, a=4.52 A")
add("li2hfo3", lambda: primitive(_li2mo3("Hf", 5.40, 9.00, 5.40, 109.5)),
    "Li2MnO3-type (C2/m) substitution Mn->Hf, as li2zro3", "approximant: Li2HfO3 is C2/c, as Li2ZrO3")


@register("li2hfcl6-approx", "Li2HfCl6 P-3m1 (hcp Cl, Hf and Li in octahedral sites, the Li2ZrCl6 type): built as "
          "li2zrcl6-approx", "ordered approximant (9 atoms) of the partially occupied P-3m1 structure")
def _li2hfcl6():
    return hcp_halide({"Hf": 1, "Li": 2, "X": 3})


@register("hfcl4-approx", "HfCl4 (isostructural with ZrCl4: zigzag chains of edge-sharing octahedra): built as "
          "zrcl4-approx", "ordered approximant (10 atoms); not the chain ordering")
def _hfcl4():
    return hcp_halide({"Hf": 2, "X": 6}, _HCP_2X2, 40.0)
