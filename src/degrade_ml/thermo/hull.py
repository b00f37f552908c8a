"""Convex-hull quantities as linear programs over the phases of a chemical system (scipy's HiGHS).

Each answer is the optimum of one small LP, so no phase diagram is built:
- the hull energy of a composition: min Σ nᵢEᵢ subject to Σ nᵢcᵢ = c, n ≥ 0 (cᵢ atomic fractions, nᵢ atoms);
- the most negative reaction energy of two materials (thermo/mixing.py, one kept program per chemical system);
- an edge of a material's Li window: the best ratio of reaction energy to Li exchanged, made linear by the
  Charnes–Cooper substitution (amounts per Li atom exchanged).
With Li open at a potential the same programs run on grand-potential energies per non-Li atom.

The programs are solved by HiGHS through its own Python interface (highspy), one reusable solver per thread:
scipy's `linprog` wraps the same solver but its input checks cost about four times the solve on LPs this small."""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

HIGHS_OPTIONS = {"presolve": "off", "solver": "simplex", "primal_feasibility_tolerance": 1e-10,
                 "dual_feasibility_tolerance": 1e-10, "random_seed": 0,
                 "threads": 1}  # its thread pool doubled the cost of a run on LPs this small (0.19 against 0.09 ms empty)
SUPPORT = 1e-9  # an amount above this is a product


@dataclass(frozen=True)
class Solution:
    value: float  # eV per atom of the mixture (per non-Li atom when Li is open), or V for a window edge
    amounts: np.ndarray  # atoms of each candidate phase, per atom of the mixture
    mixing_fraction: float = 1.0  # x, the atomic fraction of the first material

    def support(self) -> np.ndarray:
        return np.flatnonzero(self.amounts > SUPPORT)


_solvers = threading.local()


@contextmanager
def _quiet_stdout():
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_solver() -> highspy.Highs:
    """A silent HiGHS instance with HIGHS_OPTIONS."""
    with _quiet_stdout():  # HiGHS prints its banner from C++ as it is built, before any option can be set
        highs = highspy.Highs()
    highs.silent()
    for name, value in HIGHS_OPTIONS.items():
        highs.setOptionValue(name, value)
    return highs


def _solver() -> highspy.Highs:
    if not hasattr(_solvers, "highs"):
        _solvers.highs = new_solver()
    return _solvers.highs


def _solve(cost: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """argmin cost·v subject to a_eq·v = b_eq and 0 ≤ v ≤ upper."""
    used = np.any(a_eq != 0, axis=1)  # an element absent from every phase and the target: nothing to balance
    a_eq, b_eq = a_eq[used], b_eq[used]
    rows, columns = np.nonzero(a_eq)
    starts = np.searchsorted(rows, np.arange(len(b_eq))).astype(np.int32)
    highs = _solver()
    highs.clearModel()
    highs.addVars(len(cost), np.zeros(len(cost)), upper)
    highs.changeColsCost(len(cost), np.arange(len(cost), dtype=np.int32), cost)
    highs.addRows(len(b_eq), b_eq, b_eq, len(rows), starts, columns.astype(np.int32), a_eq[rows, columns])
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise ArithmeticError(f"hull linear program failed: {highs.modelStatusToString(highs.getModelStatus())}")
    return np.array(highs.getSolution().col_value)


def hull_energy(fractions: np.ndarray, energies: np.ndarray, target: np.ndarray) -> Solution:
    """Lowest energy per atom of `target` from the phases (rows of `fractions`, which must span its elements)."""
    amounts = _solve(energies, fractions.T, target, np.full(len(energies), highspy.kHighsInf))
    return Solution(float(energies @ amounts), amounts)


def is_mixture(fractions: np.ndarray, target: np.ndarray) -> bool:
    """Whether `target` (atomic fractions) is a non-negative mixture of the rows of `fractions`."""
    if np.any((target != 0) & ~np.any(fractions != 0, axis=0)):
        return False  # an element no row holds (`_solve` drops the balance of an element absent from every row)
    try:
        _solve(np.zeros(len(fractions)), fractions.T, target, np.full(len(fractions), highspy.kHighsInf))
    except ArithmeticError:
        return False
    return True


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
    solution = _solve(cost, a_eq, b_eq, np.full(len(cost), highspy.kHighsInf))
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
