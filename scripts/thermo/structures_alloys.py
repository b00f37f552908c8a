"""Intermediate Li-Sn, Li-Ge, Li-Si, Li-In and Li-Al phases (issue 16) as ordered bcc superstructures, registered into
structures.PHASES.

The Li-rich Li-Sn, Li-Ge and Li-Si phases are bcc-derived: LiSn is a distorted CsCl (B2) cell, and Li7Sn3, Li5Sn2,
Li13Sn5, Li7Sn2 / Li7Ge2 and Li17Sn4 / Li17Ge4 / Li17Si4 order Li and M on the sites of a bcc lattice (Frank, Mueller
& Schaefer, Z. Naturforsch. 30b, 1 and 10 (1975); Goward, Taylor, Souza & Nazar, J. Alloys Compd. 329, 82 (2001);
Zeilinger, Baran, van Wuellen, Haeussermann & Faessler, Chem. Mater. 25, 4113 (2013) for Li17Si4 and Li17Ge4).
Each is built here as the bcc supercell with as many sites as its formula has atoms, every M placement (all, or a
seeded sample when there are many) ranked by CHGNet energy, then relaxed; the published orderings (up to 416-atom
cells) are not reproduced, and Li7Si3, whose Si sits in dimers, is the bcc ordering too.  The note column says so.
Li12Si7 and Li7Ge3 (Si/Ge clusters and dumbbells) are built the same way; Li3In2, Li3Al2 and Li9Al4
are bcc superstructures in fact.  Li13Si4's bcc ordering lay 144 meV/atom above the hull and is not included.
"""

from __future__ import annotations

from pymatgen.core import Lattice, Structure
from structures import add, decorate

ATOMIC_VOLUME = {"Li": 20.3, "Sn": 27.1, "Ge": 22.6, "Si": 20.0, "In": 26.2, "Al": 16.6}  # A3/atom of the elements
SUPERCELLS = {  # number of bcc sites -> supercell of the primitive bcc cell
    2: [[1, 0, 0], [0, 1, 0], [0, 0, 2]],
    5: [[2, 1, 0], [-1, 2, 0], [0, 0, 1]],
    9: [[3, 0, 0], [0, 3, 0], [0, 0, 1]],
    10: [[5, 0, 0], [0, 2, 0], [0, 0, 1]],
    13: [[3, 2, 0], [-2, 3, 0], [0, 0, 1]],
    18: [[3, 0, 0], [0, 3, 0], [0, 0, 2]],
    19: [[4, 1, 0], [-3, 4, 0], [0, 0, 1]],
    21: [[7, 0, 0], [0, 3, 0], [0, 0, 1]],
}


def bcc_ordering(metal: str, n_li: int, n_m: int) -> Structure:
    """n_li Li and n_m `metal` over the sites of a bcc supercell at the atoms' mean elemental volume."""
    n = n_li + n_m
    volume = (n_li * ATOMIC_VOLUME["Li"] + n_m * ATOMIC_VOLUME[metal]) / n
    a = (2 * volume) ** (1 / 3)
    primitive = Lattice([[-a / 2, a / 2, a / 2], [a / 2, -a / 2, a / 2], [a / 2, a / 2, -a / 2]])
    host = Structure(primitive, ["He"], [[0, 0, 0]])
    host.make_supercell(SUPERCELLS[n])
    return decorate(host, "He", {"Li": n_li, metal: n_m})


_PHASES = (  # (metal, n_Li, n_M, what the real phase is)
    ("Sn", 1, 1, "LiSn P2/m (Mueller & Schaefer 1973), a monoclinic distortion of the CsCl (B2) ordering"),
    ("Sn", 7, 3, "Li7Sn3 P21/m (Mueller 1974)"),
    ("Sn", 13, 5, "Li13Sn5 P-3m1 (Frank et al. 1975)"),
    ("Sn", 7, 2, "Li7Sn2 Cmmm (Frank et al. 1975)"),
    ("Sn", 17, 4, "Li17Sn4 F-43m (Goward et al. 2001; Lupu, Mao, Rabin & Antonietti 2003)"),
    ("Ge", 7, 2, "Li7Ge2 Cmmm (isotypic with Li7Sn2; Hopf, Mueller & Schaefer 1972)"),
    ("Ge", 17, 4, "Li17Ge4 F-43m (Zeilinger et al. 2013)"),
    ("Si", 7, 3, "Li7Si3 R-3m (Si2 dimers; Schnering, Nesper, Tebbe & Curda 1980)"),
    ("Si", 17, 4, "Li17Si4 F-43m (Zeilinger et al. 2013)"),
    ("Si", 12, 7, "Li12Si7 Pnma (Si4 stars and Si5 rings; Nesper, von Schnering & Curda 1986)"),
    ("Ge", 7, 3, "Li7Ge3 P3221 (Ge2 dumbbells; Hopf, Mueller & Schaefer 1972)"),
    ("In", 3, 2, "Li3In2 R-3m (a bcc superstructure; Stoehr & Schaefer 1979)"),
    ("Al", 3, 2, "Li3Al2 R-3m (a bcc superstructure; Tebbe, Schnering, Rueter & Rabeneck 1973)"),
    ("Al", 9, 4, "Li9Al4 C2/m (a bcc superstructure; Hansen & Smith 1968)"),
)

for _m, _li, _n, _real in _PHASES:
    _formula = f"Li{_li if _li > 1 else ''}{_m}{_n if _n > 1 else ''}"
    add(f"{_formula.lower()}-bcc", lambda m=_m, li=_li, n=_n: bcc_ordering(m, li, n),
        f"{_real}; bcc-derived: the {_li + _n}-site bcc supercell with every {_m} placement (or a seeded sample) ranked by "
        f"CHGNet energy", f"ordered bcc approximant of {_formula}, not the published ordering")
