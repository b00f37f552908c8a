"""Ranked output larger than memory: rows are spilled to disk chunk by chunk and read back in rank order.

A screen ranks by p(stable) descending, then by fewest predicted products, then by input order. Probabilities
are rounded to 4 decimals, so the rank keys take few distinct values. Each added chunk is split by p(stable)
into BUCKETS files (Arrow IPC streams, zstd-compressed) in input order, and the rows per rank key are counted.
Reading back goes bucket by bucket: the keys of a bucket are grouped into passes of at most `pass_rows` rows,
each pass is read, sorted and handed on; a single key holding more rows than that is streamed as it lies on
disk, already in input order. Memory is bounded by the chunk and pass sizes, not by the number of rows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

BUCKETS = 128
PASS_ROWS = 100_000
_HELPERS = ("_p", "_n", "_row")
_IPC_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


class RankedSpill:
    """Rows added in input order, read back ranked: p(stable) descending, fewest products, input order."""

    def __init__(self, folder: Path, pass_rows: int = PASS_ROWS, buckets: int = BUCKETS):
        self.folder = Path(folder)
        self.pass_rows = pass_rows
        self.buckets = buckets
        self.rows = 0
        self.schema: pa.Schema | None = None  # of the rows as added, without the helper columns
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self._keys: dict[int, Counter] = {}

    def add(self, frame: pd.DataFrame, p_stable: np.ndarray, n_products: np.ndarray) -> None:
        """`frame`'s rows with their rank keys (`screening.rank.rank_keys`, computed before the rows became text)."""
        if frame.empty:
            return
        if self.schema is None:
            self.schema = pa.Schema.from_pandas(frame, preserve_index=False)
        p_stable, n_products = np.asarray(p_stable, dtype=np.float64), np.asarray(n_products, dtype=np.int16)
        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        table = (table.append_column("_p", pa.array(p_stable))
                 .append_column("_n", pa.array(n_products))
                 .append_column("_row", pa.array(np.arange(self.rows, self.rows + len(frame), dtype=np.int64))))
        bucket = self._bucket(p_stable)
        order = np.argsort(bucket, kind="stable")  # input order kept within a bucket
        table, bucket = table.take(order), bucket[order]
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        for start, stop in zip(starts, [*starts[1:], len(bucket)]):
            self._writer(int(bucket[start])).write_table(table.slice(start, stop - start))
        counts = pd.DataFrame({"b": bucket, "p": p_stable[order], "n": n_products[order]}).value_counts(sort=False)
        for (b, p, n), count in counts.items():
            self._keys.setdefault(int(b), Counter())[(float(p), int(n))] += int(count)
        self.rows += len(frame)

    def _bucket(self, p_stable: np.ndarray) -> np.ndarray:
        scaled = np.floor((1.0 - np.clip(p_stable, 0.0, 1.0)) * self.buckets).astype(np.int64)
        return np.where(p_stable < 0, self.buckets, np.minimum(scaled, self.buckets - 1))

    def _writer(self, bucket: int) -> pa.ipc.RecordBatchStreamWriter:
        if bucket not in self._writers:
            full_schema = self.schema.append(pa.field("_p", pa.float64())).append(pa.field("_n", pa.int16())) \
                .append(pa.field("_row", pa.int64()))
            self._writers[bucket] = pa.ipc.new_stream(str(self._path(bucket)), full_schema, options=_IPC_OPTIONS)
        return self._writers[bucket]

    def _path(self, bucket: int) -> Path:
        return self.folder / f"bucket-{bucket:04d}.arrows"

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def ranked(self, limit: int | None = None) -> Iterator[pa.Table]:
        """The rows in rank order, as tables of at most `pass_rows` rows (helper columns dropped), stopping
        after `limit` rows."""
        self.close()
        remaining = math.inf if limit is None else limit
        for bucket in sorted(self._keys):
            for piece in self._bucket_in_order(bucket):
                if remaining <= 0:
                    return
                piece = piece.slice(0, int(min(remaining, piece.num_rows)))
                remaining -= piece.num_rows
                yield piece.drop_columns(list(_HELPERS))

    def _bucket_in_order(self, bucket: int) -> Iterator[pa.Table]:
        keys = sorted(self._keys[bucket].items(), key=lambda item: (-item[0][0], item[0][1]))
        for first, last, rows in _passes(keys, self.pass_rows):
            if first == last and rows > self.pass_rows:  # one key, too many rows to sort: stream it, in input order
                yield from self._read(bucket, first, last)
                continue
            piece = pa.concat_tables(list(self._read(bucket, first, last)))
            yield piece.sort_by([("_p", "descending"), ("_n", "ascending"), ("_row", "ascending")])

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
