"""Fluorides of Zr, Ti and Y, registered into structures.PHASES after the v2 table: the fluoride coatings Li2ZrF6 and
Li2TiF6 with ZrF4 and TiF4, and YF3 with LiYF4. Without them the Zr, Ti and Y systems held no fluoride, so a Li2ZrF6
coating sat on the hull of LiF, Zr and F2 and the phase table had to refuse it.

Li2ZrF6 (its own type, P-31m: hcp F with Zr and Li in alternate layers of octahedral sites) and Li2TiF6 are built as
Li2ZrCl6 is (structures_coatings.py): the sqrt3 x sqrt3 NiAs-type hcp host with F, every metal/Li/vacancy ordering of
its 6 octahedral sites ranked by CHGNet energy. ZrF4 (beta-ZrF4: ZrF8 square antiprisms in a 60-atom monoclinic cell
that no prototype shipped with pymatgen holds) is fluorite with half its cation sites empty, which keeps its
coordination (8 F around Zr, every F bridging two Zr); TiF4 (columns of TiF6 octahedra) is built on the hcp-F host as
ZrCl4 is. YF3 (beta-YF3, Pnma) and LiYF4 (scheelite) come from their Wyckoff positions. YF3, ZrF4 and TiF4 have
measured enthalpies and are kept out of the calibration (sources.LATER_FORMULAS).

Built and dropped: TiF3 in the AlF3 prototype, as VF3 (structures_elements.py); it relaxed to the right type (R-3c)
but 328 meV/atom above the experimental enthalpy, and Li2TiF6 needs no Ti(III) fluoride to be placed. Starting
volumes are near the measured ones; the relaxation sets them."""

from __future__ import annotations

from structures import add, decorate, from_wyckoff, lat
from structures_coatings import _HCP_2X2, _SQRT3, hcp_halide


def _half_vacant_fluorite(metal: str, a: float):
    """MF4 as fluorite with half its cation sites empty, every ordering of 4 metals over the 8 sites of a 2x1x1 cubic
    cell ranked by CHGNet energy: the metal keeps 8 F neighbours and each F bridges two metals, as in ZrF4."""
    host = from_wyckoff("F m -3 m", lat(a), ["He", "F"], [[0, 0, 0], [0.25, 0.25, 0.25]])
    host.make_supercell([2, 1, 1])
    return decorate(host, "He", {metal: 4, "X": 4})


add("li2zrf6-approx", lambda: hcp_halide({"Zr": 1, "Li": 2, "X": 3}, _SQRT3, 16.6, "F"),
    "Li2ZrF6, its own type (P-31m, a about 4.97, c about 4.66 A: hcp F, Zr and Li in alternate layers of octahedral "
    "sites): sqrt3 x sqrt3 NiAs-type hcp-F host, all Zr/Li/vacancy orderings of its 6 octahedral sites ranked by "
    "CHGNet energy", "ordered hcp-F cell (9 atoms) holding the Li2ZrF6-type ordering among its candidates")
add("li2tif6-approx", lambda: hcp_halide({"Ti": 1, "Li": 2, "X": 3}, _SQRT3, 15.6, "F"),
    "Li2TiF6 (hcp F, Ti and Li in octahedral sites; reported as the Li2ZrF6 type, P-31m, and as trirutile, P42/mnm): "
    "sqrt3 x sqrt3 NiAs-type hcp-F host, all Ti/Li/vacancy orderings of its 6 octahedral sites ranked by CHGNet energy",
    "ordered hcp-F approximant (9 atoms)")
add("yf3-pnma", lambda: from_wyckoff("P n m a", lat(6.3537, 6.8545, 4.3953), ["Y", "F", "F"],
                                     [[0.3673, 0.25, 0.0591], [0.5227, 0.25, 0.5910], [0.1652, 0.0643, 0.3755]]),
    "beta-YF3, Pnma (a=6.354, b=6.855, c=4.395 A; Y 4c, F 4c and 8d, 9-coordinated Y; Cheetham & Norman, Acta Chem. "
    "Scand. A28, 55 (1974))")
add("liyf4-scheelite", lambda: from_wyckoff("I 41/a :1", lat(5.167, 5.167, 10.733), ["Y", "Li", "F"],
                                            [[0, 0, 0.5], [0, 0, 0], [0.2413, 0.1511, 0.0861]]),
    "LiYF4, scheelite type (I41/a origin choice 1, a=5.167, c=10.733 A; Y 4b, Li 4a, F 16f): F started at the O position of "
    "scheelite CaWO4 (Kay, Frazer & Almodovar, J. Chem. Phys. 40, 504 (1964)) and set by the relaxation")
add("zrf4-fluorite-approx", lambda: _half_vacant_fluorite("Zr", 5.0),
    "ZrF4 (beta-ZrF4, C2/c: ZrF8 square antiprisms sharing corners, every F bridging two Zr): fluorite with half its "
    "cation sites empty, all orderings of 4 Zr over the 8 cation sites of a 2x1x1 cubic cell ranked by CHGNet energy",
    "ordered approximant (20 atoms) with the coordination of beta-ZrF4 (8 F around Zr, 2 Zr around F), not its cell")
add("tif4-approx", lambda: hcp_halide({"Ti": 2, "X": 6}, _HCP_2X2, 16.0, "F"),
    "TiF4 (Pnma: columns of TiF6 octahedra, each sharing three corners): 2x2x1 NiAs-type hcp-F host, all placements "
    "of 2 Ti on its 8 octahedral sites ranked by CHGNet energy, as zrcl4-approx",
    "ordered approximant (10 atoms) with octahedral Ti, not the Pnma columns")
