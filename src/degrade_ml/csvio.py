"""CSV at the boundary: header checks on what users give, and spreadsheet-safe cells on what we write.

Formula injection: a cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return) is run as a
formula when a spreadsheet opens the CSV. Batch columns pass through untouched by default (SPEC §4: data
stays data); `--escape-formulas` prefixes such text cells with `'`, which spreadsheets show as text and hide.
Numbers such as `-0.03` are never escaped.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def header(source: Path | io.BytesIO) -> list[str]:
    """The column names of a CSV's first line, as written (pandas would rename a repeated `se` to `se.1`)."""
    if isinstance(source, io.BytesIO):
        first = source.getvalue().split(b"\n", 1)[0].decode("utf-8")
        return next(csv.reader([first]), [])
    with open(source, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle), [])


def duplicated(names: list[str]) -> list[str]:
    """Names that occur more than once, in first-seen order."""
    counts = Counter(names)
    return [name for name in dict.fromkeys(names) if counts[name] > 1]


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell a spreadsheet would run as a formula starts with `'`."""
    escaped = frame.copy()
    for column in escaped.columns:
        if escaped[column].dtype == object or pd.api.types.is_string_dtype(escaped[column]):
            escaped[column] = escaped[column].map(escape_cell)
    escaped.columns = [escape_cell(str(name)) for name in escaped.columns]
    return escaped


def escape_cell(cell):
    if not isinstance(cell, str) or not cell.startswith(FORMULA_STARTS) or _is_number(cell):
        return cell
    return "'" + cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and not text.startswith(("\t", "\r"))
