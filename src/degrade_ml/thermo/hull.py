"""Convex-hull quantities as linear programs over the phases of a chemical system (scipy's HiGHS).

Each answer is the optimum of one small LP, so no phase diagram is built:
- the hull energy of a composition: min Σ nᵢEᵢ subject to Σ nᵢcᵢ = c, n ≥ 0 (cᵢ atomic fractions, nᵢ atoms);
- the most negative reaction energy of two materials (what pymatgen's InterfacialReactivity reports as its
  minimum): the mixing fraction x joins the variables, min Σ nᵢEᵢ − x·E₁ − (1−x)·E₂ subject to
  Σ nᵢcᵢ = x·c₁ + (1−x)·c₂. The hull is convex along the mixing line, so the optimum is its deepest kink;
- an edge of a material's Li window: the best ratio of reaction energy to Li exchanged, made linear by the
  Charnes–Cooper substitution (amounts per Li atom exchanged).
With Li open at a potential the same programs run on grand-potential energies per non-Li atom."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
SUPPORT = 1e-9  # an amount above this is a product


@dataclass(frozen=True)
class Solution:
    value: float  # eV per atom of the mixture (per non-Li atom when Li is open), or V for a window edge
    amounts: np.ndarray  # atoms of each candidate phase, per atom of the mixture
    mixing_fraction: float = 1.0  # x, the atomic fraction of the first material

    def support(self) -> np.ndarray:
        return np.flatnonzero(self.amounts > SUPPORT)


def _solve(cost: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray, bounds) -> np.ndarray:
    result = linprog(cost, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs", options=HIGHS_OPTIONS)
    if result.status != 0:
        raise ArithmeticError(f"hull linear program failed: {result.message}")
    return result.x


def hull_energy(fractions: np.ndarray, energies: np.ndarray, target: np.ndarray) -> Solution:
    """Lowest energy per atom of `target` from the phases (rows of `fractions`, which must span its elements)."""
    amounts = _solve(energies, fractions.T, target, (0, None))
    return Solution(float(energies @ amounts), amounts)


def mixing_minimum(fractions: np.ndarray, energies: np.ndarray, first: np.ndarray, second: np.ndarray,
                   first_energy: float, second_energy: float) -> Solution:
    """Most negative energy of x·first + (1−x)·second forming the phases, relative to the unreacted line."""
    cost = np.append(energies, -(first_energy - second_energy))
    a_eq = np.hstack([fractions.T, -(first - second)[:, None]])
    solution = _solve(cost, a_eq, second, [(0, None)] * len(energies) + [(0, 1)])
    x = float(np.clip(solution[-1], 0.0, 1.0))
    value = float(energies @ solution[:-1]) - x * first_energy - (1 - x) * second_energy
    return Solution(value, solution[:-1], x)


def window_edge(fractions: np.ndarray, energies: np.ndarray, li_column: int, material: np.ndarray,
                material_energy: float, li_metal_energy: float, side: str) -> Solution:
    """The potential (V vs Li/Li+) below which ('reduction') or above which ('oxidation') the material reacts
    with the Li reservoir, and the phases it turns into there. Variables: phase amounts y and the material's
    amount t, both per Li atom taken up (reduction) or given off (oxidation); the non-Li elements balance."""
    li = fractions[:, li_column]
    sign = 1.0 if side == "reduction" else -1.0
    non_li = [j for j in range(fractions.shape[1]) if j != li_column]
    a_eq = np.vstack([
        np.hstack([fractions[:, non_li].T, -material[non_li][:, None]]),
        np.append(sign * li, -sign * material[li_column])[None, :],
    ])
    b_eq = np.append(np.zeros(len(non_li)), 1.0)
    cost = np.append(energies, -material_energy)
    solution = _solve(cost, a_eq, b_eq, (0, None))
    energy = float(cost @ solution)
    potential = li_metal_energy - energy if side == "reduction" else li_metal_energy + energy
    return Solution(potential, solution[:-1])


def grand_arrays(fractions: np.ndarray, energies: np.ndarray, li_column: int, li_potential_eV: float):
    """Phases open to Li at chemical potential mu: non-Li atomic fractions and grand energies per non-Li atom
    (Li metal itself is the reservoir and drops out). Returns (kept row indices, fractions, energies)."""
    li = fractions[:, li_column]
    kept = np.flatnonzero(li < 1 - 1e-12)
    share = 1 - li[kept]
    grand_fractions = fractions[kept].copy()
    grand_fractions[:, li_column] = 0.0
    grand_fractions /= share[:, None]
    grand_energies = (energies[kept] - li_potential_eV * li[kept]) / share
    return kept, grand_fractions, grand_energies
