"""The bromides of Mn, Fe, Co and Ni, registered into structures.PHASES after the v2 table: the phases Li6PS5Br needs
against a transition-metal oxide cathode. Without them its Br had nowhere to go but Br2 and the cathode's metals went
to sulfides, where Li6PS5Cl forms the chlorides. Beside them YBr3 and InBr3 and the halide electrolytes Li3YBr6 and
Li3InBr6, coatings and catholytes like Li3YCl6 and Li3InCl6, which the table otherwise placed on the hull of LiBr, the
metal and Br2.

All four are layered MBr2 of edge-sharing MBr6 octahedra (Wyckoff, Crystal Structures, Vol. 1, 2nd ed., 1963): FeBr2,
CoBr2 and MnBr2 are CdI2-type (P-3m1), NiBr2 CdCl2-type (R-3m), built as the CdI2-type (1T) approximant of the same
layers, as NiCl2 is in structures.py. Starting volumes are near the measured ones; the relaxation sets them. Magnetic
order is not represented (CHGNet infers magnetic moments).

Built and dropped: the iodides MnI2, FeI2, CoI2 and NiI2 the same way. NiI2 came out 207 meV/atom below the
experimental enthalpy (FeI2 96, CoI2 80), and with FeI2, CoI2 and NiI2 at their experimental enthalpies Li6PS5I
against NMC811 and LiCoO2 forms the same products as without them (the TM sulfides and I2): they would only have added
an error."""

from __future__ import annotations

from structures import CDI2, _sub, register
from structures_coatings import li3mx6_c2m
from structures_elements import BII3

# (metal, starting volume per atom in A^3, structure type)
for _metal, _volume, _type in (("Mn", 27.1, "CdI2"), ("Fe", 25.6, "CdI2"), ("Co", 23.9, "CdI2"), ("Ni", 24.2, "CdCl2")):
    _sub(f"{_metal.lower()}br2-c6", CDI2, {"Cd": _metal, "I": "Br"}, _volume,
         "" if _type == "CdI2" else f"CdI2-type (1T) approximant of the CdCl2-type (R-3m) {_metal}Br2 layers",
         src=f"AFLOW prototype C6 (CdI2); {_metal}Br2 is {_type}-type (Wyckoff, Crystal Structures, Vol. 1, 1963)")

_sub("ybr3-bii3", BII3, {"Bi": "Y", "I": "Br"}, 34.6,
     src="AFLOW prototype D0_5 (BiI3, R-3); YBr3 is BiI3/FeCl3-type (Wyckoff, Crystal Structures, Vol. 2, 1964)")
_sub("inbr3-alcl3", "AB3_mC16_12_g_ij", {"Al": "In", "Cl": "Br"}, 36.5,
     src="AFLOW prototype D0_15 (AlCl3, C2/m); InBr3 is isostructural, as InCl3 is (structures.py)")


@register("li3ybr6-approx", "Li3YBr6 C2/m (ccp Br, Y and Li in octahedral sites, the Li3InCl6 type; Asano et al., Adv. "
          "Mater. 30, 1803075 (2018)): Li2MnO3-type (C2/m) rocksalt host with O->Br, the Li3InCl6 cell of "
          "structures_coatings.py scaled by 1.08 (the Br-/Cl- radius ratio, 1.96/1.81), all Y/Li/vacancy orderings of its "
          "6 octahedral sites ranked by CHGNet energy",
          "ordered approximant (10 atoms) of the partially occupied C2/m structure, built as li3incl6-approx")
def _li3ybr6():
    return li3mx6_c2m("Y", "Br", 6.96, 12.01, 6.91, 109.9)


@register("li3inbr6-approx", "Li3InBr6 (a Li+ conductor, Tomita et al., Solid State Ionics 179, 867 (2008)), built as "
          "Li3InCl6's C2/m type (ccp halide, In and Li in octahedral sites; structures_coatings.py) with Cl->Br: the "
          "Li3InCl6 cell scaled by 1.08 (the Br-/Cl- radius ratio, 1.96/1.81), all In/Li/vacancy orderings of its 6 "
          "octahedral sites ranked by CHGNet energy",
          "ordered approximant (10 atoms) of the partially occupied C2/m structure, built as li3incl6-approx")
def _li3inbr6():
    return li3mx6_c2m("In", "Br", 6.96, 12.01, 6.91, 109.9)
