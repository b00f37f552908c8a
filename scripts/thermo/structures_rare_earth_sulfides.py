"""Sulfides of Y, Er, Ho and La and the chloride LaCl3, registered into structures.PHASES after the v2 table: what the
metal of a halide coating or catholyte (Li3YCl6, Li3ErCl6, Li3HoCl6) or of a La-bearing oxide (LLZO, LLTO, LaPO4)
forms against a sulfide SE. Without them the Y, Er and Ho systems held no sulfide and La none but La2O2S, so a
contact such as Li3YCl6 | Li6PS5Cl could not form the sesquisulfide that swaps chloride for sulfide.

The sesquisulfides are built in the stibnite (U2S3) type, 7-coordinated metal in Pnma, for want of their own types
among pymatgen's prototypes: Y2S3, Er2S3 and Ho2S3 are monoclinic (the Ho2S3 type, 30-atom cells with 6- and
7-coordinated metal), La2S3 orthorhombic (alpha-La2S3, 7- and 8-coordinated). Two other approximants relaxed higher
with CHGNet 0.3.0: the rock-salt frame Sc2S3 is built on (structures_elements.py) with a third of its cation sites
vacant, ordered, by 47-54 meV/atom for Y, Er and Ho (its vacancy layers open by 17 %), and the Th3P4 type of
gamma-La2S3 with two of 18 La sites vacant by 9 meV/atom. LaCl3 is the UCl3 type. La2S3 and LaCl3 have measured
enthalpies in pymatgen's experimental table; like LaPO4 they are kept out of the calibration (sources.LATER_FORMULAS)
and score CHGNet 0.3.0 on La beside La2O3 (-24 meV/atom): La2S3 +86, LaCl3 +161 (underbound, so each forms less
readily than it should). The metallic monosulfide LaS was built (rock salt, +180) and left out: no interface forms
a reduced La sulfide. Starting volumes are near the measured ones; the relaxation sets them."""

from __future__ import annotations

from structures import _sub, add, from_wyckoff, hexl

STIBNITE = "A3B2_oP20_62_3c_2c"

# volume per atom (A^3) of the measured cells
for _metal, _vpa in (("Y", 23.4), ("Er", 22.8), ("Ho", 23.1), ("La", 25.0)):
    _sub(f"{_metal.lower()}2s3-stibnite", STIBNITE, {"Sb": _metal}, _vpa,
         f"stibnite-type approximant of {_metal}2S3 (its own type, "
         + ("alpha-La2S3, Pnma" if _metal == "La" else "Ho2S3, P21/m") + ", is not among pymatgen's prototypes)",
         src=f"AFLOW prototype D5_8 (stibnite Sb2S3, the U2S3 type) with Sb->{_metal}")

add("lacl3-ucl3", lambda: from_wyckoff("P 63/m", hexl(7.48, 4.37), ["La", "Cl"],
                                       [[1 / 3, 2 / 3, 1 / 4], [0.3866, 0.3011, 1 / 4]]),
    "LaCl3, UCl3 type (P63/m, a=7.48, c=4.37 A; La 2c, Cl 6h; Zachariasen, Acta Cryst. 1, 265 (1948))")
