"""Conditions as numbers, read the same way from an option and from a batch cell (SPEC §4: a value that cannot be
understood is named, never guessed)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from degrade_ml.chemistry.families import ANODE_MAX_POTENTIAL_V
from degrade_ml.resolve import MaterialsTable, materials_table

CONDITION_LIMITS = {"voltage_V": (0.0, 10.0), "temperature_C": (-273.15, 2000.0), "pressure_MPa": (0.0, 10000.0)}
# the unit a cell may carry after its number, as papers write it ("4.3 V vs Li/Li+", "25 °C", "50 MPa"), and the
# factor that turns it into the column's unit; a longer unit first (mV before V)
CONDITION_UNITS = {"voltage_V": (("mV", 1e-3), ("volts", 1.0), ("volt", 1.0), ("Volts", 1.0), ("Volt", 1.0),
                                 ("V", 1.0)),
                   "temperature_C": (("°C", 1.0), ("ºC", 1.0), ("\u2103", 1.0), ("deg C", 1.0), ("degC", 1.0),
                                     ("oC", 1.0), ("C", 1.0), ("K", 1.0)),
                   "pressure_MPa": (("MPa", 1.0), ("GPa", 1e3), ("kPa", 1e-3), ("bar", 0.1), ("psi", 0.00689476),
                                    # a tonne-force per cm², as pellet presses are read (98.0665 MPa)
                                    ("t cm-2", 98.0665), ("t/cm2", 98.0665), ("t/cm²", 98.0665), ("ton/cm2", 98.0665),
                                    ("tons/cm2", 98.0665))}
# how a cell gives the uncertainty of its value ("25 ± 1 °C"): the value is read, the uncertainty dropped
UNCERTAINTY_SIGNS = ("±", "+/-")
# what a cell says instead of a voltage when the cell rested at open circuit
OPEN_CIRCUIT = frozenset({"ocv", "open circuit", "open-circuit", "open circuit voltage", "at ocv", "pristine",
                          "uncycled", "as assembled", "as-assembled", "before cycling"})
KELVIN_OFFSET_C = -273.15  # a temperature in K, in °C
# words after a pressure that say which pressure it is ("5 MPa stack pressure")
PRESSURE_WORDS = (" stack pressure", " stacking pressure", " pressure", " stack")
# how a voltage names the electrode it is measured against: "3.7 V vs Li-In", "3.7 V vs. In/InLi"
REFERENCE_WORDS = (" vs. ", " vs ", " versus ", "(vs. ", "(vs ")  # "4.3 V (vs Li/Li+)" too
# words around a voltage that say it is the charge cut-off, which the column already means ("up to 4.3 V", "4.3 V
# cut-off"); longer first, so that "upper cut-off" goes whole
CUT_OFF_BEFORE = ("charged up to ", "charged to ", "charging to ", "upper cut-off voltage of ", "cut-off voltage of ",
                  "upper cut-off voltage ", "cut-off voltage ", "upper cut-off of ", "upper cut-off ",
                  "upper cutoff ", "charge cut-off ", "cut-off of ", "cutoff of ", "cut-off ", "cutoff ", "up to ",
                  "≤", "<=", "<")
# words before a value that say it is approximate ("~4.3 V", "ca. 60 °C"): the value written is what is read
APPROXIMATE_BEFORE = ("approximately ", "approx. ", "about ", "ca. ", "ca ", "~", "≈", "∼")
CUT_OFF_AFTER = (" upper cut-off", " upper cutoff", " charge cut-off", " cut-off", " cutoff", " cut off")
ROOM_TEMPERATURE = frozenset({"rt", "r.t.", "room temperature", "room-temperature", "room temp.", "room temp",
                              "ambient"})
ROOM_TEMPERATURE_C = 25.0
# what joins a range's two ends ("2.5-4.3 V", "2.5–4.3 V", "2.5 to 4.3 V", "between 2.5 and 4.3 V"), the dashes
# after the words, and the words that may open it ("from 2.5 to 4.3 V")
RANGE_JOINERS = (" to ", " and ", "\u2013", "\u2014", "-")
RANGE_OPENERS = ("between ", "from ")
# units of a force, which a pressure cell may carry as a press writes it ("3 t", "10 kN"): without the pellet's area
# it is no pressure, so it is named in the error rather than read
FORCE_UNITS = ("t", "ton", "tons", "tonne", "tonnes", "kN", "N", "kgf", "lbf")
# how a voltage cell may carry the cycling rate or current beside the voltage ("4.3 V, 0.1C", "4.3 V at 0.1 mA cm-2")
RATE_MARKS = ("C/", "mA", "µA", "uA")
# a decimal comma has one or two digits after it ("4,3", "4,35"); three would read as a thousands separator (4,300)
DECIMAL_COMMA_DIGITS = (1, 2)


@dataclass(frozen=True)
class VoltageRange:
    """A voltage cell written as the cycling window ("2.5-4.3 V"): which end the electrode holds depends on what it
    is, so the range is kept until the electrode is known (`Resolver`)."""

    low: float
    high: float

    def end_for(self, role: str) -> tuple[float, str]:
        """The end an electrode of `role` holds where it reacts with the SE (a cathode its upper cut-off, an anode its
        lower one), and the warning that says so."""
        value, which = (self.low, "lower") if role == "anode" else (self.high, "upper")
        return value, (f"voltage_V {self.low:g}–{self.high:g} V is a range: the {role}'s {which} cut-off, "
                       f"{value:g} V, is used")


@dataclass(frozen=True)
class OpenCircuit:
    """A voltage cell that says the cell rests at open circuit ("OCV"): the pristine contact, never charged. Only an
    electrode that fixes its own potential (Li metal, a Li alloy) states one; any other meets the SE chemically
    (`Resolver`)."""

    def note(self, potential_V: float | None) -> str:
        if potential_V is not None:
            return f"voltage_V OCV: the electrode rests at its own potential, {potential_V:g} V"
        return ("voltage_V OCV: the pristine contact, never charged, answered as a chemical contact (no electrode "
                "potential)")


AT_OPEN_CIRCUIT = OpenCircuit()


def numbers_stated(value: float | VoltageRange | OpenCircuit) -> tuple[float, ...]:
    """The numbers a voltage value states, to check: a range's two ends, none at open circuit."""
    if isinstance(value, VoltageRange):
        return value.low, value.high
    return () if isinstance(value, OpenCircuit) else (value,)


class UnknownReferenceError(ValueError):
    """A voltage measured against an electrode whose potential vs Li/Li+ is not known."""


def parse_number(cell) -> float:
    """A number as people write it in a table. Python alone reads `1_0` as 10 and `True` as 1: ValueError for both."""
    if isinstance(cell, bool) or (isinstance(cell, str) and "_" in cell):
        raise ValueError(f"{cell!r} is not a number")
    return float(cell)


def parse_condition(column: str, cell, materials: MaterialsTable | None = None) -> float:
    """A condition cell, with the column's own unit after the number if the writer added it ("4.3 V", "4300 mV",
    "25 °C", "50 MPa"), and "RT" for room temperature (25 °C); a voltage may say it is the cut-off ("up to 4.3 V",
    "4.3 V cut-off", "≤4.3 V") or approximate ("~4.3 V"). Another unit stays an error. A voltage may name the
    electrode it is measured against: it is then given vs Li/Li+ ("3.7 V vs Li-In" is 4.32 V; `reference_potential`
    over `materials`, by default the project's table)."""
    if not isinstance(cell, str):
        return parse_number(cell)
    text = _without_uncertainty(_without_words_before(_without_gloss(cell.strip().replace("\u2212", "-")),
                                                      APPROXIMATE_BEFORE))
    if column == "temperature_C" and text.casefold() in ROOM_TEMPERATURE:
        return ROOM_TEMPERATURE_C
    offset = 0.0
    if column == "pressure_MPa":
        text = next((text[:-len(w)] for w in PRESSURE_WORDS if text.casefold().endswith(w) and text[:-len(w)].strip()),
                    text).strip()
    if column == "voltage_V":
        text = _without_cut_off_words(text)
        for word in REFERENCE_WORDS:
            text, found, reference = text.partition(word)
            if found:
                offset = reference_potential(reference, materials)
                break
        text = text.strip()
    factor = 1.0
    for unit, unit_factor in CONDITION_UNITS[column]:
        if text.endswith(unit) and text[:-len(unit)].strip():
            text, factor = text[:-len(unit)].strip(), unit_factor
            offset += KELVIN_OFFSET_C if unit == "K" else 0.0
            break
    value = parse_number(_with_decimal_point(text))
    # a converted value drops the float noise of the sum (3.2 V vs Li-In is 3.82, not 3.8200000000000003)
    return value if (factor, offset) == (1.0, 0.0) else round(value * factor + offset, 9)


# conditions the answer echoes and names but does not read: a range of one is taken at its harsher, upper end
RANGES_AT_UPPER_END = ("temperature_C", "pressure_MPa")


def parse_stated_condition(column: str, cell, materials: MaterialsTable | None = None) -> float:
    """`parse_condition`, where a temperature or stack pressure may also be a range: its upper end (25-60 °C is
    60 °C, 50-70 MPa is 70 MPa), the harsher condition, since neither is read by the model (`RANGES_AT_UPPER_END`)."""
    try:
        return parse_condition(column, cell, materials)
    except UnknownReferenceError:
        raise
    except ValueError:
        ends = _range_ends(column, cell, materials) if column in RANGES_AT_UPPER_END else None
        if ends is None:
            raise
        return max(ends)


def is_open_circuit(cell) -> bool:
    """Whether a voltage cell says the cell rests at open circuit ("OCV", "open circuit", "OCV (pristine)")."""
    return isinstance(cell, str) and _without_gloss(cell.strip()).casefold() in OPEN_CIRCUIT


def parse_voltage(cell, materials: MaterialsTable | None = None) -> float | VoltageRange | OpenCircuit:
    """A voltage cell as `parse_condition` reads it, the VoltageRange of a cell that gives a cycling window
    ("2.5-4.3 V", "2.5 to 4.3 V vs Li-In": a unit or reference written once after the second value holds for both),
    or AT_OPEN_CIRCUIT ("OCV", "open circuit")."""
    if is_open_circuit(cell):
        return AT_OPEN_CIRCUIT
    try:
        return parse_condition("voltage_V", cell, materials)
    except UnknownReferenceError:
        raise
    except ValueError:
        ends = _range_ends("voltage_V", cell, materials)
        if ends is None:
            raise
        return VoltageRange(*sorted(ends))


def _range_ends(column: str, cell, materials: MaterialsTable | None = None) -> tuple[float, float] | None:
    """The two values of a cell written as a range of its column (2.5-4.3, 2.5–4.3 V, 25-60 °C), None otherwise."""
    if not isinstance(cell, str):
        return None
    cell = _without_words_before(cell.strip(), RANGE_OPENERS)
    for joiner in RANGE_JOINERS:
        first, found, second = (part.strip() for part in cell.partition(joiner))
        if not (found and first and second):
            continue
        shared = second.partition(" ")[2]  # the unit and reference after the second value
        low_text = f"{first} {shared}" if shared and _is_bare_number(first) else first
        try:
            return parse_condition(column, low_text, materials), parse_condition(column, second, materials)
        except ValueError:
            continue
    return None


def _is_bare_number(text: str) -> bool:
    try:
        parse_number(_with_decimal_point(text))
    except ValueError:
        return False
    return True


def _with_decimal_point(text: str) -> str:
    """A number written with a decimal comma ("4,3", "4,35") with a point; any other text as it is."""
    whole, comma, fraction = text.partition(",")
    if comma and whole.lstrip("+-").isdigit() and fraction.isdigit() and len(fraction) in DECIMAL_COMMA_DIGITS:
        return f"{whole}.{fraction}"
    return text


def _without_uncertainty(text: str) -> str:
    """A cell without the uncertainty written after its value ("25 ± 1 °C" is "25 °C")."""
    for sign in UNCERTAINTY_SIGNS:
        value, found, rest = text.partition(sign)
        if found and value.strip():
            unit = rest.strip().lstrip("0123456789.").strip()
            return f"{value.strip()} {unit}".strip()
    return text


def _without_gloss(text: str) -> str:
    """A cell without what it says in parentheses after its value ("25 °C (RT)", "50 MPa (stack)", "RT (25 °C)"),
    unless that names the reference electrode ("4.3 V (vs Li/Li+)")."""
    head, opening, gloss = text.partition("(")
    if opening and head.strip() and text.endswith(")") and not gloss.casefold().startswith("vs"):
        return head.strip()
    return text


def _without_words_before(text: str, words: tuple[str, ...]) -> str:
    folded = text.casefold()
    for word in words:
        if folded.startswith(word):
            return _without_words_before(text[len(word):].strip(), words)
    return text


def _without_cut_off_words(text: str) -> str:
    text = _without_words_before(text, (*CUT_OFF_BEFORE, *APPROXIMATE_BEFORE))
    folded = text.casefold()
    for word in CUT_OFF_AFTER:
        at = folded.find(word)
        if at > 0:
            return (text[:at] + text[at + len(word):]).strip()
    return text


def unreadable(column: str, cell) -> str:
    """Why `parse_condition` refuses a cell, named as the user wrote it: a range where one value is needed (25-60 °C;
    a voltage range only where no electrode decides its end), or no number at all."""
    if _range_ends(column, cell) is not None:
        which = " (a cycled cathode's upper cut-off, an anode's lower one)" if column == "voltage_V" else ""
        return f"{shown(cell)} is a range; give one value{which}"
    text = str(cell).strip()
    if column == "pressure_MPa" and _number_then_unit(text, FORCE_UNITS):
        return f"{shown(cell)} is a force, not a pressure: give the stack pressure in MPa (force over the pellet's area)"
    if column == "voltage_V" and _carries_rate(text):
        return f"{shown(cell)} carries a rate or current, which is not read: give the voltage alone (4.3 V)"
    if column == "voltage_V" and not any(character.isdigit() for character in text):
        return (f"{shown(cell)} is not a number: give the voltage (4.3), none for the electrode's nominal potential "
                "(a cathode's charge cut-off), or OCV for the pristine contact")
    comma = "; write the decimal with a point (4.3)" if "," in text else ""
    return f"{shown(cell)} is not a number{comma}"


def _number_then_unit(text: str, units: tuple[str, ...]) -> bool:
    """Whether a text is a number followed by one of `units` ("3 t", "10kN")."""
    return any(text.endswith(unit) and _is_bare_number(text[:-len(unit)].strip()) for unit in units)


def _carries_rate(text: str) -> bool:
    """Whether a voltage cell also gives a C-rate or a current ("4.3 V, 0.1C", "0.1 C; 4.3 V", "4.3 V at 0.5 mA")."""
    parts = [part.strip() for joiner in (",", ";", " at ") for part in text.split(joiner)] if text else []
    return any(mark in part for part in parts for mark in RATE_MARKS) or any(_number_then_unit(part, ("C",))
                                                                               for part in parts)


def shown(cell) -> str:
    """A cell as the user wrote it: text quoted, numbers plain (never `np.float64(…)`), every digit kept."""
    if isinstance(cell, (int, float, np.number)) and not isinstance(cell, bool):
        return f"{float(cell):.15g}"
    return repr(str(cell))


def reference_potential(reference: str, materials: MaterialsTable | None = None) -> float:
    """The potential vs Li/Li+ (V) of the electrode a voltage is measured against, as cells name it: Li/Li+, Li+/Li
    and Li are 0; a Li alloy or another anode of the materials table is its nominal potential (Li–In, In/InLi: 0.62;
    Li4Ti5O12: 1.55). UnknownReferenceError naming it for anything else, and for a couple whose two sides differ."""
    materials = materials_table() if materials is None else materials
    couple = reference.strip().removesuffix(")").strip().replace("\u207a", "+")  # Li⁺ as pasted from a paper
    sides = [side.strip() for side in couple.split("/") if side.strip() not in ("", "Li+")]
    potentials = set()
    for side in sides:
        try:
            material = materials.resolve(side)
        except ValueError:
            potentials.add(None)
            continue
        potentials.add(material.potential_V if material.potential_V is not None
                       and material.potential_V <= ANODE_MAX_POTENTIAL_V else None)
    if len(potentials) != 1 or None in potentials:
        raise UnknownReferenceError(f"unknown reference electrode {reference.strip()!r}: give the voltage vs Li/Li+, "
                                    f"or against Li–In or another anode of the materials table")
    return float(potentials.pop())
