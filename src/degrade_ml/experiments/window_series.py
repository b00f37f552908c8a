"""A fixed series of Li compositions around the sulfide SEs (substitution, doping, pseudo-binaries, O-for-S) plus
oxide and halide coatings and cathodes: the inputs of the window-regression experiment."""

from __future__ import annotations

from pymatgen.core import Composition, Element

from degrade_ml.thermo.engine import ThermoEngine


def chemsys(formula: str) -> str:
    """Grouping key: the sorted elements joined by '-' (pymatgen's own chemical-system spelling)."""
    return Composition(formula).chemical_system


def _name(composition: Composition) -> str:
    """A formula per nominal formula unit, elements by electronegativity (Li3PS4, Li6PS4.5ClO0.5): the way
    the series is written in papers, unlike reduced_formula's polyanion grouping (Li10Ge(PS6)2)."""
    parts = []
    for element, amount in sorted(composition.items(), key=lambda kv: (kv[0].X, kv[0].Z)):
        amount = round(float(amount), 4)
        text = "" if abs(amount - 1) < 1e-9 else (f"{amount:.0f}" if amount == int(amount) else f"{amount:g}")
        parts.append(f"{element}{text}")
    return "".join(parts)


def _mix(*terms: tuple[float, str]) -> Composition:
    """sum(fraction * Composition(formula)): pseudo-binary and substitution series as composition arithmetic."""
    total = Composition()
    for fraction, formula in terms:
        if fraction:
            total += Composition(formula) * fraction
    return total


def _sub(formula: str, old: str, new: str, amount: float) -> Composition:
    """`formula` with `amount` of element `old` replaced by `new` (O-for-S, Sn-for-Ge, ...)."""
    composition = Composition(formula)
    return composition - Composition({old: amount}) + Composition({new: amount})


def _grid(start: float, stop: float, step: float) -> list[float]:
    return [round(start + i * step, 4) for i in range(int(round((stop - start) / step)) + 1)]


SULFIDE_PARENTS = ("Li3PS4", "Li7PS6", "Li7P3S11", "Li4P2S6", "Li4P2S7", "Li6PS5Cl", "Li6PS5Br", "Li6PS5I",
                   "Li10GeP2S12", "Li10SiP2S12", "Li10SnP2S12", "Li4GeS4", "Li4SiS4", "Li4SnS4", "Li2GeS3", "Li2SiS3",
                   "Li2SnS3", "Li7P2S8I", "Li3SbS4", "Li3BS3", "LiAlS2", "Li2S")
OXIDE_HALIDE_PARENTS = ("Li3PO4", "Li4SiO4", "Li2SiO3", "Li4GeO4", "Li2GeO3", "Li3BO3", "LiBO2", "Li2B4O7", "LiAlO2",
                        "Li5AlO4", "LiNbO3", "LiTaO3", "Li3NbO4", "Li3TaO4", "Li2ZrO3", "Li4Ti5O12", "Li2TiO3",
                        "Li2SnO3", "Li2CO3", "Li2O", "LiAlCl4", "Li3InCl6", "Li3InBr6", "Li2ZrCl6", "Li3OCl", "Li3OBr",
                        "LiF", "LiCl", "LiBr", "LiI", "Li2ZrF6", "Li3AlF6", "LiCoO2", "LiNiO2", "LiMn2O4", "LiFePO4",
                        "LiCoPO4", "LiMnPO4", "LiNi0.5Mn1.5O4", "LiNi0.333Mn0.333Co0.333O2", "LiNi0.8Mn0.1Co0.1O2",
                        "LiNi0.8Co0.15Al0.05O2")


def _series() -> list[Composition]:
    """The nominal series, in a fixed order (duplicates removed later)."""
    out: list[Composition] = [Composition(f) for f in SULFIDE_PARENTS + OXIDE_HALIDE_PARENTS]
    # pseudo-binaries x Li2S + (1 - x) MSy
    for x in _grid(0.50, 0.90, 0.025):
        out.append(_mix((x, "Li2S"), (1 - x, "P2S5")))
    for other in ("SiS2", "GeS2", "SnS2", "B2S3"):
        for x in _grid(0.50, 0.85, 0.05):
            out.append(_mix((x, "Li2S"), (1 - x, other)))
    # Li3PS4-LiX and mixed-halide argyrodites
    for halide in ("LiCl", "LiBr", "LiI"):
        for y in _grid(0.05, 0.75, 0.05):
            out.append(_mix((1 - y, "Li3PS4"), (y, halide)))
        x = halide[2:]
        for y in (0.25, 0.5, 0.75):  # halogen-rich argyrodite Li(6-y)PS(5-y)X(1+y)
            out.append(Composition({"Li": 6 - y, "P": 1, "S": 5 - y, x: 1 + y}))
    for a, b in (("Cl", "Br"), ("Cl", "I"), ("Br", "I")):
        for z in (0.25, 0.5, 0.75):
            out.append(_sub(f"Li6PS5{a}", a, b, z))
    # O for S
    for z in (0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5):
        out.append(_sub("Li3PS4", "S", "O", z))
    for z in (0.5, 1.0, 2.0, 4.0, 6.0):
        out.append(_sub("Li7P3S11", "S", "O", z))
    for x in ("Cl", "Br", "I"):
        for z in (0.25, 0.5, 1.0, 2.0):
            out.append(_sub(f"Li6PS5{x}", "S", "O", z))
    for z in (0.3, 0.6, 1.2, 2.4):
        out.append(_sub("Li10GeP2S12", "S", "O", z))
    for m in ("Ge", "Si", "Sn"):
        for z in (1.0, 2.0, 3.0):
            out.append(_sub(f"Li4{m}S4", "S", "O", z))
    for z in (0.25, 0.5, 0.75):
        out.append(_mix((1 - z, "Li2S"), (z, "Li2O")))
    # LGPS family: isovalent M mixing and the thio-LISICON line Li(4-x)M(1-x)P(x)S4 (aliovalent P5+ for M4+)
    for a, b in (("Ge", "Sn"), ("Ge", "Si"), ("Si", "Sn")):
        for z in (0.25, 0.5, 0.75):
            out.append(_sub(f"Li10{a}P2S12", a, b, z))
    for m in ("Ge", "Si", "Sn"):
        for x in (0.2, 0.4, 0.5, 0.6, 0.75, 0.85):
            out.append(Composition({"Li": 4 - x, m: 1 - x, "P": x, "S": 4}))
    # aliovalent and isovalent doping of Li3PS4, argyrodites and Li4SnS4
    for x in (0.1, 0.25, 0.5):
        out.append(_sub("Li3PS4", "P", "Sb", x))
    for dopant in ("B", "Al", "In"):  # M3+ on the Li site, two vacancies per dopant
        for x in (0.05, 0.1, 0.2):
            out.append(Composition({"Li": 3 - 3 * x, dopant: x, "P": 1, "S": 4}))
    for m in ("Si", "Ge", "Sn"):  # Li(6+x)P(1-x)M(x)S5X
        for x in (0.25, 0.5):
            out.append(Composition({"Li": 6 + x, "P": 1 - x, m: x, "S": 5, "I": 1}))
            out.append(Composition({"Li": 6 + x, "P": 1 - x, m: x, "S": 5, "Cl": 1}))
    for x in (0.25, 0.5, 0.75):  # Li4SnS4 - Li3SbS4
        out.append(Composition({"Li": 4 - x, "Sn": 1 - x, "Sb": x, "S": 4}))
    for dopant in ("Ti", "Zr", "Nb", "Ta"):  # high-valent cations on P sites of Li7P3S11 (charge kept by Li)
        valence = {"Ti": 4, "Zr": 4, "Nb": 5, "Ta": 5}[dopant]
        for x in (0.1, 0.3):
            out.append(Composition({"Li": 7 + (5 - valence) * x, "P": 3 - x, dopant: x, "S": 11}))
    # oxides and halides: LISICON, LBCO, LATP, LiNbO3-LiTaO3, halide SEs
    for m in ("Si", "Ge"):
        for x in (0.25, 0.5, 0.75):
            out.append(Composition({"Li": 3 + x, "P": 1 - x, m: x, "O": 4}))
    for x in (0.2, 0.4, 0.6, 0.8):
        out.append(Composition({"Li": 3 - x, "B": 1 - x, "C": x, "O": 3}))
    for x in (0.3, 0.5):
        out.append(Composition({"Li": 1 + x, "Al": x, "Ti": 2 - x, "P": 3, "O": 12}))
        out.append(Composition({"Li": 1 + x, "Al": x, "Ge": 2 - x, "P": 3, "O": 12}))
    for x in (0.25, 0.5, 0.75):
        out.append(_sub("LiNbO3", "Nb", "Ta", x))
        out.append(Composition({"Li": 3 - x, "In": 1 - x, "Zr": x, "Cl": 6}))
        out.append(_sub("Li3InCl6", "Cl", "Br", 6 * x))
        out.append(_sub("Li3OCl", "Cl", "Br", x))
        out.append(_mix((1 - x, "LiCl"), (x, "AlCl3")))
        out.append(_mix((1 - x, "Li3PO4"), (x, "Li3BO3")))
    return out


def composition_series(engine: ThermoEngine) -> list[str]:
    """A deterministic few hundred Li compositions around the sulfide SEs, plus oxide/halide coatings and
    cathodes, each once (by fractional composition) and only over elements the phase-energy table covers."""
    covered = set(engine.elements)
    seen: set[tuple[tuple[str, float], ...]] = set()
    formulas: list[str] = []
    for composition in _series():
        elements = {str(el) for el in composition.elements}
        if Element("Li") not in composition or not elements <= covered:
            continue
        key = tuple(sorted((str(el), round(float(f), 5)) for el, f in composition.fractional_composition.items()))
        if key in seen:
            continue
        seen.add(key)
        formulas.append(_name(composition))
    return formulas
