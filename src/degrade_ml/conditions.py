"""Conditions as numbers, read the same way from an option and from a batch cell (SPEC §4: a value that cannot be
understood is named, never guessed)."""

from __future__ import annotations

CONDITION_LIMITS = {"voltage_V": (0.0, 10.0), "temperature_C": (-273.15, 2000.0), "pressure_MPa": (0.0, 10000.0)}
# the unit a cell may carry after its number, as papers write it ("4.3 V vs Li/Li+", "25 °C", "50 MPa")
CONDITION_UNITS = {"voltage_V": ("V",), "temperature_C": ("°C", "ºC", "degC", "C"), "pressure_MPa": ("MPa",)}
ROOM_TEMPERATURE = frozenset({"rt", "r.t.", "room temperature"})
ROOM_TEMPERATURE_C = 25.0


def parse_number(cell) -> float:
    """A number as people write it in a table. Python alone reads `1_0` as 10 and `True` as 1: ValueError for both."""
    if isinstance(cell, bool) or (isinstance(cell, str) and "_" in cell):
        raise ValueError(f"{cell!r} is not a number")
    return float(cell)


def parse_condition(column: str, cell) -> float:
    """A condition cell, with the column's own unit after the number if the writer added it ("4.3 V", "25 °C",
    "50 MPa", "4.3 V vs Li/Li+"), and "RT" for room temperature (25 °C). Another unit stays an error."""
    if not isinstance(cell, str):
        return parse_number(cell)
    text = cell.strip()
    if column == "temperature_C" and text.casefold() in ROOM_TEMPERATURE:
        return ROOM_TEMPERATURE_C
    if column == "voltage_V":
        text = text.split(" vs")[0].strip()
    for unit in CONDITION_UNITS[column]:
        if text.endswith(unit) and text[:-len(unit)].strip():
            text = text[:-len(unit)].strip()
            break
    return parse_number(text)
