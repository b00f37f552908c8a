"""One query, typed and resolved once: what the user typed (names, condition cells) becomes an `Interface` (the
materials, the conditions, the potential the electrode holds and the role it takes), or the one line that says why
it cannot. Batches, screens, served requests and a single `predict` all go through `Resolver.interfaces`."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from degrade_ml.chemistry.formulas import same_composition
from degrade_ml.conditions import (
    CONDITION_LIMITS,
    OpenCircuit,
    UnknownReferenceError,
    VoltageRange,
    numbers_stated,
    parse_stated_condition,
    parse_voltage,
    shown,
    unreadable,
)
from degrade_ml.errors import UserError
from degrade_ml.resolve import (
    Material,
    MaterialsTable,
    contact_size_error,
    electrode_potential,
    interface_role,
    potential_warning,
    resting_potential,
    role_error,
    split_gloss,
    voltage_conflict,
)
from degrade_ml.rows import distinct_keys, first_non_empty, object_array, per_distinct_row
from degrade_ml.vocab import CONDITION_COLUMNS, MATERIAL_COLUMNS, QUERY_COLUMNS

# a coating cell that means uncoated (as in `screen --coatings none,LNO`)
NO_COATING = frozenset({"", "none", "uncoated", "bare", "no coating", "-", "\u2013", "\u2014", "n/a", "na"})
# the model's input columns (`features.featurizer.INPUT_COLUMNS`) and the warnings of what reading the query assumed
INPUT_COLUMNS: tuple[str, ...] = ("se_formula", "electrode_formula", "coating_formula", "electrode_role",
                                  *CONDITION_COLUMNS, "potential_V", "reading_warnings")


class QueryError(UserError):
    """A query that cannot be understood; the message names the bad value."""


@dataclass(frozen=True)
class Interface:
    """A query resolved: SE | coating | electrode, the conditions as given (None when unstated), the potential the
    electrode holds (None: a chemical contact) and the role it plays there."""

    se: Material
    electrode: Material
    coating: Material | None
    voltage_V: float | None
    temperature_C: float | None
    pressure_MPa: float | None
    potential_V: float | None
    electrode_role: str
    potential_warning: str  # names a potential taken from the electrode's structural family ("" otherwise)
    reading_warnings: tuple[str, ...] = ()  # the potential's warning, then what reading each material assumed

    @property
    def formulas(self) -> tuple[str, str, str]:
        """(SE, electrode, coating) formulas, the coating "" when there is none."""
        return self.se.formula, self.electrode.formula, self.coating.formula if self.coating else ""


class Resolver:
    """Query cells → Interfaces over one materials table; each distinct cell is resolved once per call, each
    electrode at each voltage once per resolver (a screen repeats them across thousands of combinations)."""

    def __init__(self, table: MaterialsTable):
        self.table = table
        self._at_potential: dict[tuple[Material, float | None], tuple[float | None, str, str]] = {}

    def one(self, query: dict) -> Interface:
        """One query (a dict of QUERY_COLUMNS cells); QueryError naming the bad value."""
        outcome = self.interfaces(pd.DataFrame([query]))[0]
        if isinstance(outcome, str):
            raise QueryError(outcome)
        return outcome

    def interfaces(self, queries: pd.DataFrame) -> list[Interface | str]:
        """Every row's Interface, or the row's error (the first bad cell in column order, then a voltage that
        contradicts the electrode, then a contact too large to compute)."""
        frame = _voltages_split(_coated_electrodes_split(with_query_columns(queries), self.table), self.table)
        cells = {column: _resolve_cells(frame[column], functools.partial(self._material, column))
                 for column in MATERIAL_COLUMNS}
        cells |= {column: _resolve_cells(frame[column], functools.partial(_condition, column, materials=self.table))
                  for column in CONDITION_COLUMNS}
        first_error = first_non_empty([cells[column][1] for column in QUERY_COLUMNS])
        outcomes = object_array(list(first_error))
        rows = np.flatnonzero(first_error == "")
        if len(rows):
            outcomes[rows] = self._interfaces({column: (values[rows], codes[rows])
                                               for column, (values, _, codes) in cells.items()})
        return list(outcomes)

    def _interfaces(self, cells: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The Interface of every row whose cells resolved (each column's values and their codes), or why its materials
        cannot meet: a voltage that contradicts the electrode, then the first contact too large to compute (in
        contact_size_error's order). Each check is asked once per distinct electrode and voltage, or pair of materials."""
        (se, se_codes), (electrode, electrode_codes), (coating, coating_codes), (given, voltage_codes) = (
            cells[column] for column in (*MATERIAL_COLUMNS, "voltage_V"))
        voltage, range_notes = (np.asarray(part, dtype=object) for part in zip(*per_distinct_row(
            lambda i: _voltage_held(electrode[i], given[i]), electrode_codes, voltage_codes)))
        error = per_distinct_row(lambda i: voltage_conflict(electrode[i], _number(voltage[i])), electrode_codes,
                                 voltage_codes)
        coated = np.flatnonzero(per_distinct_row(lambda i: coating[i] is not None, coating_codes).astype(bool))
        pairs = [(se, se_codes, electrode, electrode_codes, np.arange(len(se)))]
        pairs += [(se, se_codes, coating, coating_codes, coated), (coating, coating_codes, electrode, electrode_codes, coated)]
        for *pair, rows in pairs:  # the first contact too large is the row's error
            if len(rows):
                error[rows] = np.where(error[rows] == "", _contact_size_errors(*pair, rows), error[rows])
        at = per_distinct_row(lambda i: self._electrode_at(electrode[i], voltage[i]), electrode_codes, voltage_codes)
        others = (cells[column][0] for column in CONDITION_COLUMNS if column != "voltage_V")
        conditions = zip(map(_number, voltage), *others)
        coating, coating_notes = (np.asarray(part, dtype=object) for part in zip(*per_distinct_row(
            lambda i: _coating_other_than_se(se[i], coating[i]), se_codes, coating_codes)))
        return object_array([e or Interface(s, el, c, *stated, potential, role, note or warning,
                                            _reading_warnings(note or warning, s.note, el.note, c.note if c else "", same))
                             for e, s, el, c, stated, (potential, role, warning), note, same
                             in zip(error, se, electrode, coating, conditions, at, range_notes, coating_notes)])

    def _electrode_at(self, electrode: Material, voltage: float | OpenCircuit | None) -> tuple[float | None, str, str]:
        """The potential an electrode holds at a given voltage (or none), the role it takes there, and the warning
        that names a potential taken from its family. At open circuit only Li metal and a Li alloy hold one (their
        own); any other electrode, pristine, meets the SE chemically, in the role its nominal potential gives it."""
        key = (electrode, voltage)
        if key not in self._at_potential:
            potential = held_potential(electrode, voltage)
            if isinstance(voltage, OpenCircuit):
                answer = (potential, interface_role(electrode, electrode_potential(electrode, None)),
                          voltage.note(potential))
            else:
                answer = (potential, interface_role(electrode, potential), potential_warning(electrode, voltage))
            self._at_potential[key] = answer
        return self._at_potential[key]

    def _material(self, column: str, cell) -> tuple[Material | None, str]:
        if column == "coating" and means_uncoated(cell):
            return None, ""
        try:
            material = self.table.resolve_in(cell, column)
        except ValueError as error:
            return None, f"{column}: {error}"
        error = role_error(material, column)
        return (None, error) if error else (material, "")


def _coating_other_than_se(se: Material, coating: Material | None) -> tuple[Material | None, str]:
    """The coating, or none where it is the SE itself (an SE between SE and electrode is no layer of its own), with
    the warning that says so."""
    if coating is None or not same_composition(se.formula, coating.formula):
        return coating, ""
    return None, f"coating {coating.name} is the SE itself ({se.formula}): answered uncoated"


@functools.lru_cache(maxsize=4096)
def _reading_warnings(*warnings: str) -> tuple[str, ...]:
    """The non-empty warnings, as one tuple per distinct set that every row with that set shares (a batch's warnings
    are gathered once per distinct object)."""
    return tuple(warning for warning in warnings if warning)


def _voltage_held(electrode: Material, voltage: float | VoltageRange | OpenCircuit | None
                  ) -> tuple[float | OpenCircuit | None, str]:
    """The voltage the electrode holds, and the warning naming the end of a range it was read from ("" otherwise)."""
    if isinstance(voltage, VoltageRange):
        return voltage.end_for(interface_role(electrode, electrode.potential_V))
    return voltage, ""


def _number(voltage: float | OpenCircuit | None) -> float | None:
    """The stated voltage as a number: none at open circuit."""
    return None if isinstance(voltage, OpenCircuit) else voltage


def held_potential(electrode: Material, voltage: float | OpenCircuit | None) -> float | None:
    """The potential an electrode holds the interface at: its resting one at open circuit, else the given voltage,
    its nominal or its family's (`electrode_potential`)."""
    return resting_potential(electrode) if isinstance(voltage, OpenCircuit) else electrode_potential(electrode, voltage)


def _contact_size_errors(a: np.ndarray, a_codes: np.ndarray, b: np.ndarray, b_codes: np.ndarray,
                         rows: np.ndarray) -> np.ndarray:
    """`contact_size_error` of the contact a|b of each of `rows`, asked once per distinct pair."""
    return per_distinct_row(lambda i: contact_size_error(a[rows[i]], b[rows[i]]), a_codes[rows], b_codes[rows])


def model_inputs(interfaces: Sequence[Interface]) -> pd.DataFrame:
    """The interfaces as the model's input rows (INPUT_COLUMNS): formulas, role, conditions, potential (NaN where a
    number is unstated) and the warnings of what reading them assumed. Read in one pass over the interfaces (a
    screen's chunk holds 20,000)."""
    rows = [(*i.formulas, i.electrode_role, i.voltage_V, i.temperature_C, i.pressure_MPa, i.potential_V, i.reading_warnings)
            for i in interfaces]
    columns = list(zip(*rows)) if rows else [()] * len(INPUT_COLUMNS)
    numeric = (*CONDITION_COLUMNS, "potential_V")
    return pd.DataFrame({name: np.array(values, dtype=float) if name in numeric else list(values)  # None → NaN
                         for name, values in zip(INPUT_COLUMNS, columns)}, columns=list(INPUT_COLUMNS))


def named_query_columns(queries: pd.DataFrame) -> pd.DataFrame:
    """The query columns under their SPEC names when a spreadsheet wrote them in another case or with spaces around
    them (SE, Electrode, " coating"); a column that already has the name, and every other column, is left as it is."""
    wanted = {column.casefold(): column for column in QUERY_COLUMNS}
    spelled = {name: wanted.get(str(name).strip().casefold()) for name in queries.columns}
    renames = {name: column for name, column in spelled.items()
               if column is not None and name != column and column not in queries.columns}
    if len(set(renames.values())) < len(renames):  # two columns would take one name ("SE" and "Se"): left alone
        return queries
    return queries.rename(columns=renames)


def with_query_columns(queries: pd.DataFrame) -> pd.DataFrame:
    """The query columns of a frame (those it lacks as None); QueryError when it lacks `se` or `electrode`."""
    missing = [c for c in ("se", "electrode") if c not in queries.columns]
    if missing:
        raise QueryError(f"missing required column(s): {', '.join(missing)}")
    frame = queries.reset_index(drop=True).copy()
    for column in QUERY_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(QUERY_COLUMNS)]


# how people name a coated electrode in one cell, in the order looked for, and whether the electrode comes first:
# "NMC811 coated with LiNbO3", "NMC811 coated by LiNbO3", "NMC811 modified with LiNbO3", "NMC811 with LiNbO3 coating",
# "LiNbO3-coated NMC811", "LiNbO3-modified NMC811", "LiNbO3 coated NMC811"; None: both orders are written
# ("NMC811@LiNbO3", core@shell, and "LiNbO3@NMC811"), and the part that names an electrode material is the electrode
# (the first when neither or both do)
COATED_MARKERS = ((" coated with ", True), (" coated by ", True), (" modified with ", True), (" modified by ", True),
                  (" with ", True), (" w/ ", True), (" w/", True), ("-coated ", False), ("-modified ", False),
                  (" coated ", False), ("@", None))
# what joins an electrode material and a coating of the table in one cell, either first (NMC811/LiNbO3, LNO-NCM811,
# NCM811+LNO); each also joins a composite's parts (LiFePO4/C, Si-C, S+C) or an alloy's (Li/In, Li-In)
JOINERS = ("/", "+", "-", "\u2013")


def _coating_in_gloss(cell: str) -> tuple[str, str] | None:
    """(electrode, coating) of an electrode whose coating is said in parentheses after it: "NMC811 (LiNbO3 coated)",
    "NMC811 (coated with LiNbO3)", "NMC811 (LiNbO3 coating)". None for any other gloss ("LiCoO2 (LCO)", "NMC811
    (single crystal)", "NMC811 (uncoated)"), which resolving the electrode reads or leaves out."""
    parts = split_gloss(cell)
    if not parts or "coat" not in parts[1].casefold():
        return None
    head, name = parts
    for lead in ("coated with ", "coated by ", "with "):
        if name.casefold().startswith(lead):
            name = name[len(lead):].strip()
    for word in ("-coated", " coated", "-coating", " coating"):  # "LiNbO3 coated, 5 nm" keeps its thickness
        at = name.casefold().find(word)
        if at > 0:
            name = (name[:at] + name[at + len(word):]).strip()
    return (head, name) if name and "coat" not in name.casefold() else None


def _coated_electrodes_split(frame: pd.DataFrame, table: MaterialsTable) -> pd.DataFrame:
    """A coated electrode named in the electrode cell, with the coating cell blank, split into the two cells."""
    return _electrode_cells_split(frame, "coating", lambda cell: split_coated(cell, table), means_uncoated)


def _voltages_split(frame: pd.DataFrame, table: MaterialsTable) -> pd.DataFrame:
    """A voltage written in the electrode cell ("NCM811 (4.5 V)", "LiCoO2, 4.2 V") with the voltage cell blank,
    moved to the voltage cell: the gloss would otherwise be dropped and the electrode answered at its nominal
    potential."""
    return _electrode_cells_split(frame, "voltage_V", lambda cell: _voltage_written_after(cell, table), _blank)


def _electrode_cells_split(frame: pd.DataFrame, column: str, parts_of, is_empty) -> pd.DataFrame:
    """Electrode cells that also say what belongs in `column` ((electrode, value) from `parts_of`, None for a cell
    that does not), split where that column's cell is empty; each distinct electrode cell is looked at once (a screen
    repeats them)."""
    named = {cell: parts for cell in pd.unique(frame["electrode"]) if (parts := parts_of(cell))}
    if not named:
        return frame
    rows = frame["electrode"].isin(list(named)) & frame[column].map(is_empty)
    if not rows.any():
        return frame
    frame = frame.copy()
    frame[column] = frame[column].astype(object)
    frame.loc[rows, column] = frame.loc[rows, "electrode"].map(lambda cell: named[cell][1])
    frame.loc[rows, "electrode"] = frame.loc[rows, "electrode"].map(lambda cell: named[cell][0])
    return frame


def _voltage_written_after(cell, table: MaterialsTable) -> tuple[str, str] | None:
    """(electrode, voltage) of a cell that names an electrode and then, in parentheses, after a comma or after "at",
    a voltage or cycling window with its unit ("NCM811 (4.5 V)", "LiCoO2, 4.2 V", "LiNi0.8Co0.1Mn0.1O2 (NCM811,
    4.3 V)", "NCM811 at 4.5 V", "LiCoO2 (3.0-4.5 V)"); None otherwise."""
    if not isinstance(cell, str):
        return None
    glossed = split_gloss(cell)
    candidates = [(glossed[0], glossed[1]), (glossed[0], glossed[1].rpartition(",")[2])] if glossed else []
    for joiner in (",", " at ", " charged to "):
        head, found, tail = cell.rpartition(joiner)
        candidates += [(head, tail)] if found else []
    for electrode, voltage in candidates:
        if electrode.strip() and "V" in voltage:
            try:
                parse_voltage(voltage.strip(), table)
            except ValueError:
                continue
            return electrode.strip(), voltage.strip()
    return None


def split_coated(cell, table: MaterialsTable | None = None) -> tuple[str, str] | None:
    """(electrode, coating) of a cell that names both; None otherwise. The table tells which part names an electrode
    material, for the markers written in either order, and splits a cell at a slash, plus or hyphen only where one
    part names an electrode material and the other a coating (NMC811/LiNbO3, LiNbO3/NMC811, LNO-NCM811): these also
    join a composite's parts (LiFePO4/C, Si/graphite) and an alloy's (Li/In, Li-In), which name one electrode."""
    if not isinstance(cell, str):
        return None
    glossed = _coating_in_gloss(cell)
    if glossed:
        return glossed
    for marker, electrode_first in COATED_MARKERS:
        before, found, after = (part.strip() for part in cell.partition(marker))
        if found and before and after:
            if electrode_first is None:
                electrode_first = table is None or not table.names_electrode(after) or table.names_electrode(before)
            return (before, after) if electrode_first else (after, before)
    if table is None:
        return None
    for joiner in JOINERS:
        parts = [part.strip() for part in cell.split(joiner)]
        if len(parts) != 2 or not all(parts):
            continue
        roles = [(table.names_electrode(part), table.names_coating(part)) for part in parts]
        if roles == [(True, False), (False, True)]:
            return parts[0], parts[1]
        if roles == [(False, True), (True, False)]:
            return parts[1], parts[0]
    return None


def _resolve_cells(column: pd.Series, resolve_one) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, error, code of its distinct cell) of every cell of a column, calling `resolve_one` once per distinct cell."""
    first, codes = _distinct_cells(column.to_numpy())
    outcomes = [resolve_one(column.iloc[i]) for i in first]
    return (object_array([value for value, _ in outcomes])[codes],
            np.array([error for _, error in outcomes], dtype=object)[codes], codes)


def _distinct_cells(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`rows.distinct_keys` of the cells' keys: blank, or the type and the text (True, 1 and 1.0 are different cells).
    Numbers are told apart by their bits; text (a screen's or a batch's few names on many rows) is keyed once per
    distinct object, every cell being alive in `cells`."""
    if cells.dtype.kind == "f":
        return distinct_keys(pd.Series(cells.view(np.int64)))
    if cells.dtype.kind != "O":
        return distinct_keys(pd.Series([_cell_key(cell) for cell in cells]))
    objects, object_codes = distinct_keys(pd.Series(np.fromiter(map(id, cells), dtype=np.int64, count=len(cells))))
    first, codes = distinct_keys(pd.Series([_cell_key(cells[i]) for i in objects]))
    return objects[first], codes[object_codes]


def _cell_key(cell) -> str:
    return "" if _blank(cell) else f"{type(cell).__name__}:{cell}"


def means_uncoated(cell) -> bool:
    """Whether a coating cell says there is no coating: blank, or one of the words for it (NO_COATING)."""
    return _blank(cell) or str(cell).strip().casefold() in NO_COATING


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _condition(name: str, cell, materials: MaterialsTable | None = None
               ) -> tuple[float | VoltageRange | OpenCircuit | None, str]:
    """A condition cell's value (a voltage may be a VoltageRange, whose end the electrode decides), or why not."""
    if _blank(cell):
        return None, ""
    try:
        value = parse_voltage(cell, materials) if name == "voltage_V" else parse_stated_condition(name, cell, materials)
    except UnknownReferenceError as error:
        return None, f"{name}: {shown(cell)}: {error}"
    except ValueError:
        return None, f"{name}: {unreadable(name, cell)}"
    low, high = CONDITION_LIMITS[name]
    for number in numbers_stated(value):
        if math.isnan(number):
            return None, f"{name}: {shown(cell)} is not a number (leave the cell empty when the value is unknown)"
        if not low <= number <= high:
            return None, f"{name}: {shown(cell)} is outside [{low:g}, {high:g}]"
    return value, ""
