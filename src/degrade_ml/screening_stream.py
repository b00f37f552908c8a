"""The local engine for a screen of any size: combinations generated and predicted in chunks, spilled beside the
output and written back in rank order (see `spill`), in bounded memory; what `degrade-ml screen` runs."""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from rich.progress import Progress

from degrade_ml.io.atomic import PARTIAL_MARK, OutputError, atomic_output, output_target, remove_stale_partials
from degrade_ml.io.csv_files import escape_formulas
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.screening import (
    CHUNK_ROWS, PREVIEW_ROWS, Candidate, MemoryEstimate, Rejected, ScreenError, ScreenResult, _is_file, _mib,
    check_output, check_top, check_voltage, estimate_memory, tidy, usable_materials,
)
from degrade_ml.io.spill import PASS_ROWS, RankedSpill, rank_keys


def combination_chunks(ses: Sequence[Candidate], electrodes: Sequence[Candidate], coatings: Sequence[Candidate],
                       voltage: float | None, chunk_rows: int = CHUNK_ROWS):
    """(first row, queries) for consecutive slices of the Cartesian product, in the order of `combinations`."""
    names = [np.array([c.name for c in group], dtype=object) for group in (ses, electrodes, coatings)]
    per_se, per_electrode = len(electrodes) * len(coatings), len(coatings)
    total = len(ses) * per_se
    for start in range(0, total, chunk_rows):
        index = np.arange(start, min(total, start + chunk_rows))
        se, rest = np.divmod(index, per_se)
        electrode, coating = np.divmod(rest, per_electrode)
        yield start, pd.DataFrame({
            "se": names[0][se], "electrode": names[1][electrode], "coating": names[2][coating],
            "voltage_V": np.full(len(index), math.nan if voltage is None else float(voltage)),
        })


class _BestPerSe:
    """The best row of every SE seen so far, kept with its input row for ties."""

    def __init__(self) -> None:
        self.best: pd.DataFrame | None = None

    def add(self, predicted: pd.DataFrame, first_row: int) -> None:
        chunk = predicted.assign(_row=np.arange(first_row, first_row + len(predicted)))
        pool = chunk if self.best is None else pd.concat([self.best, chunk], ignore_index=True)
        p_stable, n_products = rank_keys(pool)
        order = np.lexsort((pool["_row"].to_numpy(), n_products, -p_stable))
        self.best = pool.iloc[order].groupby("se", sort=False).head(1).reset_index(drop=True)

    def frame(self) -> pd.DataFrame:
        return self.best.drop(columns="_row").reset_index(drop=True)


def screen_to_file(
    predictor: InterfacePredictor,
    se: str | Sequence[str],
    electrodes: str | Sequence[str],
    coatings: str | Sequence[str] | None = None,
    voltage: float | None = None,
    *,
    output: Path,
    top: int | None = None,
    show_progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    pass_rows: int = PASS_ROWS,
    escape: bool = False,
    on_rejected: Callable[[Rejected], object] | None = None,
    on_estimate: Callable[[MemoryEstimate], object] | None = None,
) -> ScreenResult:
    """The local engine for a screen of any size, written to `output` in bounded memory.

    Combinations are generated and predicted `chunk_rows` at a time, spilled to a partial folder beside the
    output, and written back in rank order (see `spill`), whole or not at all; the same rows as `screen`.
    The memory and disk it will take are estimated first (`on_estimate`), and a screen that would not fit on
    the output's disk is refused before anything is predicted."""
    check_top(top)
    check_voltage(voltage)
    inputs = [Path(v).expanduser() for v in (se, electrodes, coatings)
              if isinstance(v, (str, Path)) and _is_file(Path(v).expanduser())]
    check_output(output, inputs)
    started = time.perf_counter()
    usable, rejected = usable_materials(predictor, se, electrodes, coatings, on_rejected, voltage)
    total = math.prod(len(v) for v in usable.values())
    estimate = estimate_memory(total, chunk_rows, pass_rows, Path(output).suffix)
    target = output_target(output, inputs)
    remove_stale_partials(target)  # spill folders of killed screens count against the free space
    free = shutil.disk_usage(target.parent).free
    if estimate.disk_bytes > free:
        raise ScreenError(f"--output {str(output)!r}: {total:,} combinations need about {_mib(estimate.disk_bytes)} "
                          f"of disk in {str(target.parent)!r}, {_mib(free)} is free")
    if on_estimate:
        on_estimate(estimate)
    best = _BestPerSe()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f"{target.name}{PARTIAL_MARK}{os.getpid()}-") as folder:
        spill = RankedSpill(Path(folder), pass_rows=pass_rows)
        with Progress(disable=not show_progress, transient=True) as progress:
            task = progress.add_task("screening", total=total)
            for first_row, queries in combination_chunks(usable["SE"], usable["electrode"], usable["coating"],
                                                         voltage, chunk_rows):
                predicted = tidy(predictor.predict(queries))
                spill.add(predicted)
                best.add(predicted, first_row)
                progress.advance(task, len(queries))
        written, preview = _write_ranked(spill, output, inputs, top, escape)
    return ScreenResult(
        results=preview, best_per_se=best.frame(), rejected=rejected,
        counts=(len(usable["SE"]), len(usable["electrode"]), len(usable["coating"])),
        combinations=total, seconds=time.perf_counter() - started, engine="local", rows_written=written,
    )


def _write_ranked(spill: RankedSpill, output: Path, inputs: Sequence[Path], top: int | None,
                  escape: bool) -> tuple[int, pd.DataFrame]:
    """The spilled rows, ranked, into `output` (parquet or CSV) piece by piece; rows written and the first ones."""
    import pyarrow.parquet as pq

    parquet = Path(output).suffix.lower() == ".parquet"
    written, preview = 0, []
    try:
        with atomic_output(output, inputs) as handle:
            writer = pq.ParquetWriter(handle, spill.schema) if parquet else None
            try:
                for table in spill.ranked(limit=top):
                    if writer is not None:
                        writer.write_table(table)
                        frame = table.slice(0, max(PREVIEW_ROWS - written, 0)).to_pandas()
                    else:
                        frame = table.to_pandas()
                        (escape_formulas(frame) if escape else frame).to_csv(handle, header=written == 0, index=False)
                    if written < PREVIEW_ROWS:
                        preview.append(frame.head(PREVIEW_ROWS - written))
                    written += table.num_rows
            finally:
                if writer is not None:
                    writer.close()
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None
    return written, pd.concat(preview, ignore_index=True)
