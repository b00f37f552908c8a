"""The bromides of Mn, Fe, Co and Ni, registered into structures.PHASES after the v2 table: the phases Li6PS5Br needs
against a transition-metal oxide cathode. Without them its Br had nowhere to go but Br2 and the cathode's metals went
to sulfides, where Li6PS5Cl forms the chlorides.

All four are layered MBr2 of edge-sharing MBr6 octahedra (Wyckoff, Crystal Structures, Vol. 1, 2nd ed., 1963): FeBr2,
CoBr2 and MnBr2 are CdI2-type (P-3m1), NiBr2 CdCl2-type (R-3m), built as the CdI2-type (1T) approximant of the same
layers, as NiCl2 is in structures.py. Starting volumes are near the measured ones; the relaxation sets them. Magnetic
order is not represented (CHGNet infers magnetic moments).

Built and dropped: the iodides MnI2, FeI2, CoI2 and NiI2 the same way. NiI2 came out 207 meV/atom below the
experimental enthalpy (FeI2 96, CoI2 80), and with FeI2, CoI2 and NiI2 at their experimental enthalpies Li6PS5I
against NMC811 and LiCoO2 forms the same products as without them (the TM sulfides and I2): they would only have added
an error."""

from __future__ import annotations

from structures import CDI2, _sub

# (metal, starting volume per atom in A^3, structure type)
for _metal, _volume, _type in (("Mn", 27.1, "CdI2"), ("Fe", 25.6, "CdI2"), ("Co", 23.9, "CdI2"), ("Ni", 24.2, "CdCl2")):
    _sub(f"{_metal.lower()}br2-c6", CDI2, {"Cd": _metal, "I": "Br"}, _volume,
         "" if _type == "CdI2" else f"CdI2-type (1T) approximant of the CdCl2-type (R-3m) {_metal}Br2 layers",
         src=f"AFLOW prototype C6 (CdI2); {_metal}Br2 is {_type}-type (Wyckoff, Crystal Structures, Vol. 1, 1963)")
