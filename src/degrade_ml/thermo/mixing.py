"""The most negative reaction energy of two materials (what pymatgen's InterfacialReactivity reports as its minimum)
as a linear program kept per chemical system and Li potential.

The mixing fraction x joins the phase amounts n: min Σ nᵢEᵢ − x·E₁ − (1−x)·E₂ subject to Σ nᵢcᵢ = x·c₁ + (1−x)·c₂,
n ≥ 0, 0 ≤ x ≤ 1. The hull is convex along the mixing line, so the optimum is its deepest kink.

Every contact of one system shares the phase columns and their element balance; only x's column, x's cost and the
right-hand side depend on the pair. So each system's program is kept, and a contact is answered in two ways:
- from an optimal basis of an earlier contact of the system, when it is optimal here too: the basic amounts solve
  the square balance with those columns, and the basis is optimal when they are feasible and no other column has a
  negative reduced cost (the simplex method's own optimality test, with HiGHS's tolerances). Contacts of one
  system mostly form the same products (an SE against a series of NMC compositions), so this answers most of them
  with two 10×10 solves;
- otherwise by HiGHS on the kept model, starting from the previous contact's basis, whose optimal basis is then
  remembered. A fresh program per contact took 0.67 ms, mostly building the model and starting HiGHS.
The optimum is the same whichever way it is found; only where a minimum is not unique (a flat stretch of the curve,
or two product sets of equal energy) may another of the equally deep points be reported."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import highspy
import numpy as np

from degrade_ml.thermo.hull import HIGHS_OPTIONS, Solution, new_solver

PROGRAM_ENTRIES = 64  # programs kept loaded (about 0.3 MiB each); a screen visits its systems in runs
BASES_KEPT = 16  # optimal bases remembered per program, the most recently useful first
PRIMAL_TOLERANCE = HIGHS_OPTIONS["primal_feasibility_tolerance"]
DUAL_TOLERANCE = HIGHS_OPTIONS["dual_feasibility_tolerance"]

Basis = tuple[np.ndarray, int]  # the basic phase columns, and x: 0 basic, 1 nonbasic at 0, 2 nonbasic at 1


class MixingProgram:
    """The mixing linear program of one chemical system (rows of `fractions`, energies per atom), kept loaded."""

    def __init__(self, fractions: np.ndarray, energies: np.ndarray):
        self.energies = energies
        elements = np.any(fractions != 0, axis=0)  # the rows to balance
        self._outside = ~elements
        self._elements = np.flatnonzero(elements)
        self._balance = balance = fractions[:, self._elements].T
        rows, columns = np.nonzero(balance)
        self._phases, self._size = len(energies), len(self._elements)
        self._highs = highs = new_solver()
        highs.addVars(self._phases + 1, np.zeros(self._phases + 1), np.append(np.full(self._phases, highspy.kHighsInf), 1.0))
        highs.changeColsCost(self._phases, np.arange(self._phases, dtype=np.int32), energies)
        starts = np.searchsorted(rows, np.arange(self._size)).astype(np.int32)
        zeros = np.zeros(self._size)
        highs.addRows(self._size, zeros, zeros, len(rows), starts, columns.astype(np.int32), balance[rows, columns])
        self._indices = np.arange(self._size, dtype=np.int32)
        self._bases: list[Basis] = []

    def minimum(self, first: np.ndarray, second: np.ndarray, first_energy: float, second_energy: float) -> Solution:
        """Most negative energy of x·first + (1−x)·second forming the phases, relative to the unreacted line.
        `first` and `second` are atomic fractions over the table's elements (the system's elements only)."""
        if first[self._outside].any() or second[self._outside].any():
            raise ArithmeticError("mixing linear program: a reactant holds an element no phase of the system holds")
        column, right = (second - first)[self._elements], second[self._elements]
        x_cost = second_energy - first_energy
        for i, basis in enumerate(self._bases):
            found = self._at_basis(basis, column, right, x_cost)
            if found is not None:
                self._bases.insert(0, self._bases.pop(i))
                break
        else:
            found = self._simplex(column, right, x_cost)
        amounts, fraction = found
        value = float(self.energies @ amounts) - fraction * first_energy - (1 - fraction) * second_energy
        return Solution(value, amounts, fraction)

    def _at_basis(self, basis: Basis, column: np.ndarray, right: np.ndarray,
                  x_cost: float) -> tuple[np.ndarray, float] | None:
        """(amounts, x) at this basis when it is optimal for the contact, else None."""
        phases, x_state = basis
        matrix = self._balance[:, phases]
        costs = self.energies[phases]
        if x_state == 0:
            matrix, costs = np.column_stack([matrix, column]), np.append(costs, x_cost)
        elif x_state == 2:
            right = right - column
        try:
            basic = np.linalg.solve(matrix, right)
            duals = np.linalg.solve(matrix.T, costs)
        except np.linalg.LinAlgError:
            return None
        feasible = (np.abs(matrix @ basic - right).max() <= PRIMAL_TOLERANCE and basic.min() >= -PRIMAL_TOLERANCE
                    and (x_state != 0 or basic[-1] <= 1 + PRIMAL_TOLERANCE))
        x_reduced = x_cost - duals @ column  # x's reduced cost: ≥ 0 at its lower bound, ≤ 0 at its upper one
        optimal = ((self.energies - duals @ self._balance).min() >= -DUAL_TOLERANCE
                   and (x_state != 1 or x_reduced >= -DUAL_TOLERANCE) and (x_state != 2 or x_reduced <= DUAL_TOLERANCE))
        if not (feasible and optimal):
            return None
        amounts = np.zeros(self._phases)
        amounts[phases] = basic[:len(phases)]
        return amounts, (float(min(basic[-1], 1.0)) if x_state == 0 else float(x_state == 2))

    def _simplex(self, column: np.ndarray, right: np.ndarray, x_cost: float) -> tuple[np.ndarray, float]:
        """HiGHS on the kept model from the previous basis; its optimal basis is remembered for later contacts."""
        highs, x = self._highs, self._phases
        highs.changeColCost(x, x_cost)
        for row, value in zip(self._indices.tolist(), column.tolist()):
            highs.changeCoeff(row, x, value)
        highs.changeRowsBounds(self._size, self._indices, right, right)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:  # from scratch before giving up
            highs.clearSolver()
            highs.run()
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                raise ArithmeticError(f"mixing linear program failed: {highs.modelStatusToString(highs.getModelStatus())}")
        status = highs.getBasis().col_status
        phases = np.array([i for i in range(x) if status[i] == highspy.HighsBasisStatus.kBasic], dtype=np.intp)
        x_state = 0 if status[x] == highspy.HighsBasisStatus.kBasic else (2 if status[x] == highspy.HighsBasisStatus.kUpper else 1)
        if len(phases) + (x_state == 0) == self._size:  # every row has its basic column (no basic slack)
            basis = (phases, x_state)
            found = self._at_basis(basis, column, right, x_cost)
            if found is not None:
                self._bases.insert(0, basis)
                del self._bases[BASES_KEPT:]
                return found
        solution = np.array(highs.getSolution().col_value)
        return solution[:-1], float(np.clip(solution[-1], 0.0, 1.0))


class MixingPrograms:
    """The programs of the PROGRAM_ENTRIES most recently used (system, potential) keys, one per thread (a HiGHS model
    is not shared between threads). `arrays(system)` gives the (fractions, energies) of a system's key (its
    elements, the Li potential and whatever else the engine tells systems apart by)."""

    def __init__(self, arrays: Callable[[tuple], tuple[np.ndarray, np.ndarray]]):
        self._arrays = arrays
        self._programs: OrderedDict[tuple, MixingProgram] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, system: tuple) -> MixingProgram:
        key = (threading.get_ident(), system)
        with self._lock:
            program = self._programs.get(key)
            if program is not None:
                self._programs.move_to_end(key)
                return program
        program = MixingProgram(*self._arrays(system))
        with self._lock:
            self._programs[key] = program
            while len(self._programs) > PROGRAM_ENTRIES:
                self._programs.popitem(last=False)
        return program
