"""Conditions as numbers, read the same way from an option and from a batch cell (SPEC §4: a value that cannot be
understood is named, never guessed)."""

from __future__ import annotations

CONDITION_LIMITS = {"voltage_V": (0.0, 10.0), "temperature_C": (-273.15, 2000.0), "pressure_MPa": (0.0, 10000.0)}


def parse_number(cell) -> float:
    """A number as people write it in a table. Python alone reads `1_0` as 10 and `True` as 1: ValueError for both."""
    if isinstance(cell, bool) or (isinstance(cell, str) and "_" in cell):
        raise ValueError(f"{cell!r} is not a number")
    return float(cell)
