"""The local engine of `screen`: every SE × electrode × coating combination predicted on this machine and
ranked (`screening.rank`), held in memory (`screen`) or streamed to a file in bounded memory (`screen_to_file`).

The columns are exactly those of `InterfacePredictor.predict` on the same queries (se, electrode, coating,
voltage_V, then SPEC §4's outputs). `screen(engine="spark")` hands the same lists to `screening.spark`, whose
rows equal these.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from rich.progress import Progress

from degrade_ml.conditions import OpenCircuit
from degrade_ml.io.atomic import PARTIAL_MARK, OutputError, atomic_output, output_target, remove_stale_partials
from degrade_ml.io.csv_files import escape_formulas
from degrade_ml.io.spill import PASS_ROWS, RankedSpill
from degrade_ml.models.predictor import InterfacePredictor, predict_in_chunks
from degrade_ml.screening.estimate import MemoryEstimate, check_memory, estimate_memory, mib
from degrade_ml.screening.grid import (
    CHUNK_ROWS, Candidate, Rejected, ScreenError, check_top, check_voltage, combination_chunks, combinations, is_file,
    usable_materials,
)
from degrade_ml.screening.rank import BestPerSe, best_per_se, rank, rank_keys, spark_order
from degrade_ml.screening.results import PREVIEW_ROWS, ScreenResult, check_output, tidy

ENGINES = ("local", "spark")


def screen(
    predictor: InterfacePredictor,
    se: str | Sequence[str],
    electrodes: str | Sequence[str],
    coatings: str | Sequence[str] | None = None,
    voltage: float | OpenCircuit | None = None,
    top: int | None = None,
    engine: str = "local",
    model_uri: str | None = None,
    spark=None,
    master: str | None = None,
    show_progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
    on_rejected: Callable[[Rejected], object] | None = None,
) -> ScreenResult:
    """Rank every usable SE × electrode × coating combination. `predictor` resolves and featurizes the
    materials and, on the local engine, predicts. With `engine="spark"` the model at `model_uri` (`predictor`
    saved as an MLflow model when None) is applied through `mlflow.pyfunc.spark_udf`. Each rejected
    material is passed to `on_rejected` as soon as it is found, and listed in the result."""
    if engine not in ENGINES:
        raise ScreenError(f"--engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "spark":
        from degrade_ml.screening import spark as spark_engine

        spark_engine.check_master(master)
        spark_engine.check_spark()
    check_top(top)
    check_voltage(voltage)
    started = time.perf_counter()
    usable, rejected = usable_materials(predictor, se, electrodes, coatings, on_rejected, voltage)
    check_memory(math.prod(len(v) for v in usable.values()))
    queries = combinations(usable["SE"], usable["electrode"], usable["coating"], voltage)
    if engine == "spark":
        ranked = _ranked_on_spark(predictor, usable, voltage, model_uri, spark, master, show_progress)
    else:
        # typed predictions in chunks: the work is done once per distinct chemistry, and every material was
        # featurized when its list was resolved
        ranked = tidy(rank(predict_in_chunks(predictor, queries, show_progress=show_progress, chunk_rows=chunk_rows)))
    return ScreenResult(
        results=ranked if top is None else ranked.head(top).reset_index(drop=True),
        best_per_se=best_per_se(ranked),
        rejected=rejected,
        counts=(len(usable["SE"]), len(usable["electrode"]), len(usable["coating"])),
        combinations=len(queries),
        seconds=time.perf_counter() - started,
        engine=engine,
    )


def _ranked_on_spark(predictor: InterfacePredictor, usable: dict[str, list[Candidate]], voltage: float | OpenCircuit | None,
                     model_uri: str | None, spark, master: str | None, show_progress: bool) -> pd.DataFrame:
    """The Spark engine's rows ranked on Spark and collected to the driver (`screen_to_file`'s Spark twin,
    `screening.spark.screen_on_spark`, writes them on the cluster instead)."""
    from degrade_ml.screening.spark import ranked_on_spark

    with ranked_on_spark(predictor, usable, voltage, master=master, spark=spark, model_uri=model_uri,
                         show_progress=show_progress) as (_, scored):
        frame = scored.orderBy(*spark_order()).toPandas()
    return tidy(frame.drop(columns="_row").reset_index(drop=True))


def screen_to_file(
    predictor: InterfacePredictor,
    se: str | Sequence[str],
    electrodes: str | Sequence[str],
    coatings: str | Sequence[str] | None = None,
    *,
    output: Path,
    voltage: float | OpenCircuit | None = None,
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
              if isinstance(v, (str, Path)) and is_file(Path(v).expanduser())]
    check_output(output, inputs)
    started = time.perf_counter()
    usable, rejected = usable_materials(predictor, se, electrodes, coatings, on_rejected, voltage)
    total = math.prod(len(v) for v in usable.values())
    estimate = estimate_memory(total, chunk_rows, pass_rows, Path(output).suffix)
    target = output_target(output, inputs)
    remove_stale_partials(target)  # spill folders of killed screens count against the free space
    free = shutil.disk_usage(target.parent).free
    if estimate.disk_bytes > free:
        raise ScreenError(f"--output {str(output)!r}: {total:,} combinations need about {mib(estimate.disk_bytes)} "
                          f"of disk in {str(target.parent)!r}, {mib(free)} is free")
    if on_estimate:
        on_estimate(estimate)
    best = BestPerSe()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f"{target.name}{PARTIAL_MARK}{os.getpid()}-") as folder:
        spill = RankedSpill(Path(folder), pass_rows=pass_rows, hold=total <= pass_rows)
        with Progress(disable=not show_progress, transient=True) as progress:
            task = progress.add_task("screening", total=total)
            for first_row, queries in combination_chunks(usable["SE"], usable["electrode"], usable["coating"],
                                                         voltage, chunk_rows):
                predicted = predictor.predict(queries)
                spill.add(tidy(predicted, categorical=True), *rank_keys(predicted))
                best.add(predicted, first_row)
                progress.advance(task, len(queries))
        written, preview = _write_ranked(spill, output, inputs, top, escape)
    return ScreenResult(
        results=preview, best_per_se=tidy(best.frame()), rejected=rejected,
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
                    if written < PREVIEW_ROWS:
                        preview.append(table.slice(0, PREVIEW_ROWS - written).to_pandas())
                    if writer is not None:
                        writer.write_table(table)
                    else:
                        frame = table.to_pandas()
                        (escape_formulas(frame) if escape else frame).to_csv(handle, header=written == 0, index=False)
                    written += table.num_rows
            finally:
                if writer is not None:
                    writer.close()
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None
    return written, pd.concat(preview, ignore_index=True)
