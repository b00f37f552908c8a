"""The combinations of a screen: material lists read and resolved once, and their Cartesian product."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from degrade_ml.conditions import CONDITION_LIMITS, OpenCircuit
from degrade_ml.errors import UserError
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.query import means_uncoated
from degrade_ml.resolve import Material, electrode_role, role_error, voltage_conflict
from degrade_ml.vocab import SCREEN_COLUMNS

CHUNK_ROWS = 20_000
OPEN_CIRCUIT_CELL = "OCV"  # how a screen at open circuit states its voltage to the predictor, as a batch row would


class ScreenError(UserError):
    """Bad usage: an unreadable list, no usable material of a kind, a bad voltage or output path."""

@dataclass(frozen=True)
class Rejected:
    kind: str  # "SE", "electrode" or "coating"
    name: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.kind} {self.name!r}: {self.reason}"

@dataclass(frozen=True)
class Candidate:
    name: str  # as the user wrote it; "" for no coating
    material: Material | None  # None for no coating

def parse_list(value: str | Path | Sequence[str], *, coatings: bool = False) -> list[str]:
    """A comma-separated list, or a path to a text file with one material per line (blank lines and
    `#` comments skipped). For coatings, `none` or an empty item means no coating and becomes "".
    Duplicates are kept once, in first-seen order."""
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        text = str(value)
        path = Path(text).expanduser()
        if is_file(path):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise ScreenError(f"{text!r}: cannot read ({error})") from None
            items = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
        elif _looks_like_path(text):
            raise ScreenError(f"{text!r}: no such file")
        else:
            items = [item.strip() for item in text.split(",")]
    if coatings:
        items = ["" if means_uncoated(item) else item for item in items]
    else:
        items = [item for item in items if item]
    return list(dict.fromkeys(items))


def is_file(path: Path) -> bool:
    """Path.is_file, False for text that cannot be a path at all (a long list, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(text: str) -> bool:
    return "," not in text and (os.sep in text or Path(text).suffix.lower() in (".txt", ".lst", ".list", ".csv"))

def resolve_candidates(predictor: InterfacePredictor, names: Sequence[str], kind: str,
                       voltage: float | OpenCircuit | None = None
                       ) -> tuple[list[Candidate], list[Rejected]]:
    """Each name resolved (and featurized) once; a name that cannot be used (unknown, in the wrong role, Li metal
    at a voltage) is rejected once, with the reason."""
    table = predictor.resolver.table
    featurize = predictor.composition_features
    accepted, rejected = [], []
    for name in names:
        if kind == "coating" and name == "":
            accepted.append(Candidate("", None))
            continue
        try:
            material = table.resolve_in(name, kind.lower())
            stated = None if isinstance(voltage, OpenCircuit) else voltage  # Li metal rests at 0 V
            wrong = role_error(material, kind.lower()) or (voltage_conflict(material, stated) if kind == "electrode" else "")
            if wrong:
                raise ValueError(wrong)
            featurize(material.formula)
            if kind == "electrode":
                electrode_role(material)
        except Exception as error:  # noqa: BLE001 - any material that cannot be used is reported, not fatal
            rejected.append(Rejected(kind, name, str(error) or type(error).__name__))
            continue
        accepted.append(Candidate(name, material))
    return accepted, rejected

def usable_materials(predictor: InterfacePredictor, se, electrodes, coatings, on_rejected=None, voltage=None
                     ) -> tuple[dict[str, list[Candidate]], list[Rejected]]:
    """Each list parsed, resolved and featurized once; ScreenError when a list has no usable material."""
    lists = {
        "SE": parse_list(se),
        "electrode": parse_list(electrodes),
        "coating": parse_list(coatings if coatings is not None else [""], coatings=True),
    }
    usable, rejected = {}, []
    for kind, names in lists.items():
        usable[kind], bad = resolve_candidates(predictor, names, kind, voltage)
        rejected += bad
        for item in bad if on_rejected else ():
            on_rejected(item)
        if not usable[kind]:
            given = ", ".join(repr(n) for n in names) or "nothing"
            raise ScreenError(f"no usable {kind} (given: {given})")
    return usable, rejected

def check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise ScreenError(f"--top {top}: must be at least 1")

def check_voltage(voltage: float | OpenCircuit | None) -> None:
    if voltage is None or isinstance(voltage, OpenCircuit):
        return
    low, high = CONDITION_LIMITS["voltage_V"]
    if not (isinstance(voltage, (int, float)) and low <= float(voltage) <= high):
        raise ScreenError(f"--voltage {voltage!r}: must be between {low:g} and {high:g} V vs Li/Li+")


def _voltage_cell(voltage: float | OpenCircuit | None) -> float | str:
    """The voltage_V cell of every combination: the number, NaN for each electrode's own potential, or OCV, which
    the resolver reads per row as a batch cell (the pristine contact)."""
    if isinstance(voltage, OpenCircuit):
        return OPEN_CIRCUIT_CELL
    return math.nan if voltage is None else float(voltage)


def combinations(ses: Sequence[Candidate], electrodes: Sequence[Candidate], coatings: Sequence[Candidate],
                 voltage: float | OpenCircuit | None) -> pd.DataFrame:
    """The Cartesian product as queries, SE outermost and coating innermost."""
    total = len(ses) * len(electrodes) * len(coatings)
    return next(combination_chunks(ses, electrodes, coatings, voltage, chunk_rows=max(total, 1)))[1]


def combination_chunks(ses: Sequence[Candidate], electrodes: Sequence[Candidate], coatings: Sequence[Candidate],
                       voltage: float | OpenCircuit | None, chunk_rows: int = CHUNK_ROWS
                       ) -> Iterator[tuple[int, pd.DataFrame]]:
    """(first row, queries) for consecutive slices of the Cartesian product, in the order of `combinations`."""
    names = [np.array([c.name for c in group], dtype=object) for group in (ses, electrodes, coatings)]
    per_se, per_electrode = len(electrodes) * len(coatings), len(coatings)
    cell = _voltage_cell(voltage)
    total = len(ses) * per_se
    for start in range(0, max(total, 1), chunk_rows):
        index = np.arange(start, min(total, start + chunk_rows))
        se, rest = np.divmod(index, max(per_se, 1))
        electrode, coating = np.divmod(rest, max(per_electrode, 1))
        voltages = np.full(len(index), cell, dtype=object if isinstance(cell, str) else float)
        yield start, pd.DataFrame(dict(zip(SCREEN_COLUMNS, (names[0][se], names[1][electrode], names[2][coating], voltages))))
