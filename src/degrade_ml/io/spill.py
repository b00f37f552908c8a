"""Ranked output larger than memory: rows are spilled to disk chunk by chunk and read back in rank order.

A screen ranks by p(stable) descending, then by fewest predicted products, then by input order. Probabilities
are rounded to 6 decimals, so the rank keys take few distinct values. Each added chunk is split by p(stable)
into BUCKETS files (Arrow IPC streams, zstd-compressed) in input order, and the rows per rank key are counted.
Reading back goes bucket by bucket: the keys of a bucket are grouped into passes of at most `pass_rows` rows,
each pass is read, sorted and handed on; a single key holding more rows than that is streamed as it lies on
disk, already in input order. Rows that fit in one pass (at most `pass_rows` in all; `hold`) never go to disk:
they are held and sorted at once, and cut into the same pieces. Memory is bounded by the chunk and pass sizes, not by the
number of rows (plus the distinct cells of the coded columns: text that repeats, kept as codes into one dictionary
per column).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

BUCKETS = 128
PASS_ROWS = 100_000
_ORDER = [("_p", "descending"), ("_n", "ascending"), ("_row", "ascending")]
CODED_SHARE = 8  # a column is coded when its first chunk holds at most one distinct cell per this many rows
_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


class RankedSpill:
    """Rows added in input order, read back ranked: p(stable) descending, fewest products, input order."""

    def __init__(self, folder: Path, pass_rows: int = PASS_ROWS, buckets: int = BUCKETS, hold: bool = True):
        self.folder = Path(folder)
        self.pass_rows = pass_rows
        self.hold = hold  # rows kept in memory while they fit in one pass (False: to disk at once, for a larger screen)
        self.buckets = buckets
        self.rows = 0
        self.schema: pa.Schema | None = None  # of the rows as added (text as text), without the helper columns
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self._keys: dict[int, Counter] = {}
        self._codes: dict[str, dict[str, int]] = {}  # per coded column: each cell's code, in the order first seen
        self._held: list[pa.Table] = []  # the rows added, while they are held

    def add(self, frame: pd.DataFrame, p_stable: np.ndarray, n_products: np.ndarray) -> None:
        """`frame`'s rows with their rank keys (`screening.rank.rank_keys`, computed before the rows became text).
        A categorical column of text whose first chunk repeats its cells (at most one distinct per CODED_SHARE rows:
        names, product lists, classes) is spilled as codes into one dictionary per column, kept here, and read back
        as its text; other columns (warnings, nearly one per row) are spilled as they are."""
        if frame.empty:
            return
        if self.schema is None:
            text = {c: object for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype)}
            self.schema = pa.Schema.from_pandas(frame.head(1).astype(text), preserve_index=False)
            self._codes = {c: {} for c in text if len(frame[c].cat.categories) * CODED_SHARE <= len(frame)}
        plain = frame.drop(columns=list(self._codes)).astype(
            {c: object for c, dtype in frame.dtypes.items() if isinstance(dtype, pd.CategoricalDtype) and c not in self._codes})
        table = pa.Table.from_pandas(plain, schema=pa.schema([f for f in self.schema if f.name not in self._codes]),
                                     preserve_index=False)
        for name in self._codes:
            table = table.add_column(self.schema.get_field_index(name), name, pa.array(self._coded(name, frame[name])))
        self._held.append(table.append_column("_p", pa.array(np.asarray(p_stable, dtype=np.float64)))
                          .append_column("_n", pa.array(np.asarray(n_products, dtype=np.int16)))
                          .append_column("_row", pa.array(np.arange(self.rows, self.rows + len(frame), dtype=np.int64))))
        self.rows += len(frame)
        if not self.hold or self.rows > self.pass_rows:  # more than one sorting pass: every row goes to disk
            for table in self._held:
                self._spill(table)
            self._held.clear()

    def _spill(self, table: pa.Table) -> None:
        """The rows of `table` appended to their buckets' files, and their rank keys counted."""
        p_stable, n_products = table.column("_p").to_numpy(), table.column("_n").to_numpy()
        bucket = self._bucket(p_stable)
        order = np.argsort(bucket, kind="stable")  # input order kept within a bucket
        table, bucket = table.take(order), bucket[order]
        for start, stop in _runs(bucket):
            self._writer(int(bucket[start]), table.schema).write_table(table.slice(start, stop - start))
        counts = pd.DataFrame({"b": bucket, "p": p_stable[order], "n": n_products[order]}).value_counts(sort=False)
        levels = [counts.index.get_level_values(level).tolist() for level in ("b", "p", "n")]
        for b, p, n, count in zip(*levels, counts.tolist()):
            keys = self._keys.get(b)
            if keys is None:
                keys = self._keys[b] = Counter()
            keys[(p, n)] += count

    def _coded(self, name: str, values: pd.Series) -> np.ndarray:
        """The column's codes in its dictionary, every new cell added to it (looked up once per category)."""
        codes = self._codes[name]
        of_category = np.array([codes.setdefault(cell, len(codes)) for cell in values.cat.categories], dtype=np.int32)
        return of_category[values.cat.codes.to_numpy()]

    def _bucket(self, p_stable: np.ndarray) -> np.ndarray:
        scaled = np.floor((1.0 - np.clip(p_stable, 0.0, 1.0)) * self.buckets).astype(np.int64)
        return np.where(p_stable < 0, self.buckets, np.minimum(scaled, self.buckets - 1))

    def _writer(self, bucket: int, schema: pa.Schema) -> pa.ipc.RecordBatchStreamWriter:
        if bucket not in self._writers:
            self._writers[bucket] = pa.ipc.new_stream(str(self._path(bucket)), schema, options=_IPC_OPTIONS)
        return self._writers[bucket]

    def _path(self, bucket: int) -> Path:
        return self.folder / f"bucket-{bucket:04d}.arrows"

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def ranked(self, limit: int | None = None) -> Iterator[pa.Table]:
        """The rows in rank order, as tables of at most `pass_rows` rows (helper columns dropped, coded columns as
        their text, in `schema`), stopping after `limit` rows."""
        self.close()
        cells = {name: pa.array(list(codes), type=self.schema.field(name).type) for name, codes in self._codes.items()}
        remaining = math.inf if limit is None else limit
        pieces = self._held_in_order() if self._held else (
            piece for bucket in sorted(self._keys) for piece in self._bucket_in_order(bucket))
        for piece in pieces:
            if remaining <= 0:
                return
            piece = piece.slice(0, int(min(remaining, piece.num_rows)))
            remaining -= piece.num_rows
            yield pa.Table.from_arrays([pc.take(cells[name], piece.column(name)) if name in cells else piece.column(name)
                                        for name in self.schema.names], schema=self.schema)

    def _held_in_order(self) -> Iterator[pa.Table]:
        """The rows held in memory when none went to disk (at most one pass), sorted at once and cut where spilled
        rows would be: one piece per bucket, as `_bucket_in_order` gives them (a parquet row group each)."""
        table = pa.concat_tables(self._held).sort_by(_ORDER)
        bucket = self._bucket(table.column("_p").to_numpy())
        for start, stop in _runs(bucket):
            yield table.slice(start, stop - start)

    def _bucket_in_order(self, bucket: int) -> Iterator[pa.Table]:
        keys = sorted(self._keys[bucket].items(), key=lambda item: (-item[0][0], item[0][1]))
        for first, last, rows in _passes(keys, self.pass_rows):
            if first == last and rows > self.pass_rows:  # one key, too many rows to sort: stream it, in input order
                yield from self._read(bucket, first, last)
                continue
            piece = pa.concat_tables(list(self._read(bucket, first, last)))
            yield piece.sort_by(_ORDER)

    def _read(self, bucket: int, first: tuple[float, int], last: tuple[float, int]) -> Iterator[pa.Table]:
        """Rows of `bucket` whose key lies between `first` and `last` (in rank order), in input order."""
        with pa.ipc.open_stream(str(self._path(bucket))) as reader:
            for batch in reader:
                p = batch.column("_p").to_numpy()
                n = batch.column("_n").to_numpy()
                after_first = (p < first[0]) | ((p == first[0]) & (n >= first[1]))
                before_last = (p > last[0]) | ((p == last[0]) & (n <= last[1]))
                mask = after_first & before_last
                if mask.any():
                    yield pa.Table.from_batches([batch.filter(pa.array(mask))])


def _runs(values: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, stop) of every run of equal consecutive values."""
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.zeros(0, int)
    return zip(starts.tolist(), [*starts[1:].tolist(), len(values)])


def _passes(keys: list[tuple[tuple[float, int], int]], pass_rows: int) -> Iterator[tuple[tuple, tuple, int]]:
    """Consecutive runs of rank keys holding at most `pass_rows` rows (a key alone may hold more)."""
    first, last, rows = None, None, 0
    for key, count in keys:
        if first is not None and rows + count > pass_rows:
            yield first, last, rows
            first, rows = None, 0
        if first is None:
            first = key
        last, rows = key, rows + count
    if first is not None:
        yield first, last, rows
