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
# a batch of 5 million short rows; what is longer (an endless device or pipe) is refused once this much was read
MAX_INPUT_BYTES = 256 * 2**20
CHUNK_BYTES = 2**20


def read_input(path: Path, limit: int | None = None) -> str:
    """The text of a batch file, pipe or device, read in chunks: ValueError naming the problem as soon as a NUL
    byte appears (pandas would cut the cell there without a word) or more than `limit` (default MAX_INPUT_BYTES)
    bytes were read, and
    UnicodeDecodeError for text that is not UTF-8. A byte-order mark is dropped, so that it cannot hide the
    first column's name."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    chunks, size = [], 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            nul = chunk.find(b"\0")
            if nul >= 0:
                line = sum(c.count(b"\n") for c in chunks) + chunk[:nul].count(b"\n") + 1
                raise ValueError(f"holds a NUL byte (line {line}, byte {size + nul}); it is not a text CSV")
            size += len(chunk)
            if size > limit:
                raise ValueError(f"is larger than {limit // 2**20} MiB; split the batch into smaller files")
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8-sig")


# what separates the cells when the first row holds no comma: a spreadsheet saved in a locale whose decimal mark is
# the comma writes semicolons, and a tab-separated export tabs
OTHER_DELIMITERS = (";", "\t")


def delimiter(text: str) -> str:
    """The cell separator of a batch, read from its first row: a comma, unless that row holds none and holds one
    of OTHER_DELIMITERS."""
    first = text.split("\n", 1)[0]
    if "," in first:
        return ","
    return next((mark for mark in OTHER_DELIMITERS if mark in first), ",")


def header(text: str, sep: str = ",") -> list[str]:
    """The column names of a CSV's first row, as written (pandas would rename a repeated `se` to `se.1`)."""
    return next(csv.reader(io.StringIO(text), delimiter=sep), [])


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
