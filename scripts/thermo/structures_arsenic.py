"""Arsenic, registered into structures.PHASES after the v2 table: the phases an As-substituted SE needs (Li4SnS4 with
As on the Sn site, Li3.833Sn0.833As0.166S4, Sahu et al., Energy Environ. Sci. 7, 1053 (2014)) at Li metal (Li3As), at
an In anode (InAs), beside Sn (SnAs) and at an oxide cathode (As2S3, As2O3, Li3AsO4, the arsenides of Ni and Mn), and
the binaries pymatgen's experimental table holds enthalpies for, which fit and test As's species shift (AlAs, InAs,
NiAs, MnAs, As2S3, As2O3, Li3AsO4).

Two are approximants, for want of their prototypes among pymatgen's: As2S3 in the stibnite type (orpiment, the stable
form, is a layered P21/n structure) and As2O3 in the valentinite type (the stable forms are cubic arsenolite, a
molecular As4O6 crystal, and layered claudetite); As2O5 and the Li arsenides other than Li3As are not built. Starting
volumes are near the measured ones; the relaxation sets them."""

from __future__ import annotations

from structures import NIAS, ROCKSALT, _elem, _sub
from structures_elements import ENARGITE, ZINCBLENDE

_elem("as-a7", "A_hR2_166_c", "As", "As", 21.5, "AFLOW prototype A7 (alpha-As, R-3m; grey As, a=3.76, c=10.55 A)")
_sub("li3as-na3as", "AB3_hP8_194_c_bf", {"Na": "Li"}, 16.2,
     src="AFLOW prototype D0_18 (Na3As); Li3As is isostructural (a=4.38, c=7.80 A)")
_sub("li3ass4-enargite", ENARGITE, {"Cu": "Li"}, 20.5,
     "gamma-Li3PS4-type Li3AsS4 (Pmn21, AsS4 tetrahedra and Li on a wurtzite-like S frame), as li3ps4-gamma",
     src="AFLOW prototype H2_5 (enargite Cu3AsS4, Pmn21) with Cu->Li")
_sub("li3aso4-beta", ENARGITE, {"Cu": "Li", "S": "O"}, 10.8,
     "beta-Li3PO4-type Li3AsO4 (Pmn21), as li3po4-beta",
     src="AFLOW prototype H2_5 (enargite Cu3AsS4, Pmn21) with Cu->Li, S->O; Li3AsO4 is the beta-Li3PO4 type")
_sub("as2s3-stibnite", "A3B2_oP20_62_3c_2c", {"Sb": "As"}, 23.4,
     "stibnite-type approximant of As2S3 (orpiment, P21/n, is the stable form)",
     src="AFLOW prototype D5_8 (stibnite Sb2S3) with Sb->As")
_sub("as2o3-valentinite", "A3B2_oP20_56_ce_e", {"Sb": "As"}, 17.0,
     "valentinite-type approximant of As2O3 (arsenolite, cubic As4O6, and claudetite are the stable forms)",
     src="AFLOW prototype D5_11 (valentinite Sb2O3) with Sb->As")
for _metal, _volume, _a in (("In", 27.8, 6.058), ("Al", 22.7, 5.661)):
    _sub(f"{_metal.lower()}as-b3", ZINCBLENDE, {"Zn": _metal, "S": "As"}, _volume,
         src=f"AFLOW prototype B3 (zincblende); {_metal}As is zincblende-type, a={_a} A")
for _metal, _volume in (("Ni", 14.3), ("Mn", 17.1)):
    _sub(f"{_metal.lower()}as-b81", NIAS, {"Ni": _metal}, _volume,
         "" if _metal == "Ni" else "MnAs (NiAs type, hexagonal alpha-MnAs); ferromagnetic order inferred by CHGNet",
         src=f"AFLOW prototype B8_1 (NiAs){'' if _metal == 'Ni' else '; alpha-MnAs is isostructural'}")
_sub("snas-b1", ROCKSALT, {"Na": "Sn", "Cl": "As"}, 23.4, src="AFLOW prototype B1 (NaCl); SnAs is rocksalt, a=5.72 A")
