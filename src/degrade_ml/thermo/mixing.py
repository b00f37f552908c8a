"""The most negative reaction energy of two materials (what pymatgen's InterfacialReactivity reports as its minimum)
as a linear program kept per chemical system and Li potential.

The mixing fraction x joins the phase amounts n: min Σ nᵢEᵢ − x·E₁ − (1−x)·E₂ subject to Σ nᵢcᵢ = x·c₁ + (1−x)·c₂,
n ≥ 0, 0 ≤ x ≤ 1. The hull is convex along the mixing line, so the optimum is its deepest kink.

Every contact of one system shares the phase columns and their element balance; only x's column, x's cost and the
right-hand side depend on the pair. So the model is loaded into HiGHS once per system and each contact changes
those few numbers and starts the simplex from the previous contact's optimal basis: a screen's contacts took
0.67 ms each as fresh programs, most of it building the model and HiGHS's start-up, not pivoting. The optimum is
the same whichever basis the simplex starts from; only where a minimum is not unique (a flat stretch of the
curve, or two product sets of equal energy) may another of the equally deep points be reported."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import highspy
import numpy as np

from degrade_ml.thermo.hull import Solution, new_solver

PROGRAM_ENTRIES = 64  # programs kept loaded (about 0.3 MiB each); a screen visits its systems in runs


class MixingProgram:
    """The mixing linear program of one chemical system (rows of `fractions`, energies per atom), kept loaded."""

    def __init__(self, fractions: np.ndarray, energies: np.ndarray):
        self.energies = energies
        self._elements = np.flatnonzero(np.any(fractions != 0, axis=0))  # the rows to balance
        balance = fractions[:, self._elements].T
        rows, columns = np.nonzero(balance)
        self._phases, self._size = len(energies), len(self._elements)
        self._highs = highs = new_solver()
        highs.addVars(self._phases + 1, np.zeros(self._phases + 1), np.append(np.full(self._phases, highspy.kHighsInf), 1.0))
        highs.changeColsCost(self._phases, np.arange(self._phases, dtype=np.int32), energies)
        starts = np.searchsorted(rows, np.arange(self._size)).astype(np.int32)
        zeros = np.zeros(self._size)
        highs.addRows(self._size, zeros, zeros, len(rows), starts, columns.astype(np.int32), balance[rows, columns])
        self._indices = np.arange(self._size, dtype=np.int32)

    def minimum(self, first: np.ndarray, second: np.ndarray, first_energy: float, second_energy: float) -> Solution:
        """Most negative energy of x·first + (1−x)·second forming the phases, relative to the unreacted line.
        `first` and `second` are atomic fractions over the table's elements (the system's elements only)."""
        outside = np.ones(len(first), dtype=bool)
        outside[self._elements] = False
        if np.any(first[outside] != 0) or np.any(second[outside] != 0):
            raise ArithmeticError("mixing linear program: a reactant holds an element no phase of the system holds")
        highs, x = self._highs, self._phases
        highs.changeColCost(x, second_energy - first_energy)
        for row, value in zip(self._indices.tolist(), (second - first)[self._elements].tolist()):
            highs.changeCoeff(row, x, value)
        right = second[self._elements]
        highs.changeRowsBounds(self._size, self._indices, right, right)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:  # from scratch before giving up
            highs.clearSolver()
            highs.run()
            if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                raise ArithmeticError(f"mixing linear program failed: {highs.modelStatusToString(highs.getModelStatus())}")
        solution = np.array(highs.getSolution().col_value)
        fraction = float(np.clip(solution[-1], 0.0, 1.0))
        value = float(self.energies @ solution[:-1]) - fraction * first_energy - (1 - fraction) * second_energy
        return Solution(value, solution[:-1], fraction)


class MixingPrograms:
    """The programs of the PROGRAM_ENTRIES most recently used (system, potential) keys, one per thread (a HiGHS model
    is not shared between threads). `arrays(symbols, potential_V)` gives a system's (fractions, energies)."""

    def __init__(self, arrays: Callable[[frozenset[str], float | None], tuple[np.ndarray, np.ndarray]]):
        self._arrays = arrays
        self._programs: OrderedDict[tuple, MixingProgram] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, symbols: frozenset[str], potential_V: float | None) -> MixingProgram:
        key = (threading.get_ident(), symbols, potential_V)
        with self._lock:
            program = self._programs.get(key)
            if program is not None:
                self._programs.move_to_end(key)
                return program
        program = MixingProgram(*self._arrays(symbols, potential_V))
        with self._lock:
            self._programs[key] = program
            while len(self._programs) > PROGRAM_ENTRIES:
                self._programs.popitem(last=False)
        return program
