"""Screening at scale: rank every SE × electrode × coating combination by predicted stability.

`screen()` resolves each material once (a bad one is reported once and left out), builds the Cartesian
product, predicts it in chunks and ranks it by p(stable), then by fewest predicted products. The columns
are exactly those of `InterfacePredictor.predict` on the same queries (se, electrode, coating, voltage_V,
then SPEC §4's outputs).

Two engines:

* `local` — `InterfacePredictor.predict` in chunks, which featurizes each material once and runs the
  forests once per distinct model input.
* `spark` — the distinct contacts computed on the executors and the MLflow pyfunc model applied with
  `mlflow.pyfunc.spark_udf` (`screening_spark`); results equal the local engine's.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from degrade_ml.io.atomic import OutputError, atomic_write, output_target
from degrade_ml.io.csv_files import escape_formulas
from degrade_ml.errors import UserError
from degrade_ml.models.predictor import (
    CONDITION_LIMITS, NO_COATING, NUMERIC_OUTPUT_COLUMNS, InterfacePredictor, predict_in_chunks,
)
from degrade_ml.resolve import Material, MaterialsTable, electrode_role, role_error, voltage_conflict
from degrade_ml.io.spill import PASS_ROWS
from degrade_ml.io.spec_strings import as_spec_strings

CHUNK_ROWS = 20_000
QUERY_COLUMNS: tuple[str, ...] = ("se", "electrode", "coating", "voltage_V")
OUTPUT_SUFFIXES = (".parquet", ".csv")
ENGINES = ("local", "spark")


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


@dataclass
class ScreenResult:
    results: pd.DataFrame  # ranked; top N only when asked (`screen_to_file`: the first PREVIEW_ROWS written)
    best_per_se: pd.DataFrame  # the best combination of every SE, from the full ranking
    rejected: list[Rejected]
    counts: tuple[int, int, int]  # usable SEs, electrodes, coatings
    combinations: int
    seconds: float
    engine: str
    rows_written: int | None = None  # `screen_to_file`: rows in the output file


# ---------------------------------------------------------------------------------------------- input


def parse_list(value: str | Path | Sequence[str], *, coatings: bool = False) -> list[str]:
    """A comma-separated list, or a path to a text file with one material per line (blank lines and
    `#` comments skipped). For coatings, `none` or an empty item means no coating and becomes "".
    Duplicates are kept once, in first-seen order."""
    if isinstance(value, (list, tuple)):
        items = [str(v).strip() for v in value]
    else:
        text = str(value)
        path = Path(text).expanduser()
        if _is_file(path):
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
        items = ["" if item.casefold() in NO_COATING else item for item in items]
    else:
        items = [item for item in items if item]
    return list(dict.fromkeys(items))


def _is_file(path: Path) -> bool:
    """Path.is_file, False for text that cannot be a path at all (a long list, a NUL byte)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(text: str) -> bool:
    return "," not in text and (os.sep in text or Path(text).suffix.lower() in (".txt", ".lst", ".list", ".csv"))


def resolve_candidates(predictor: InterfacePredictor, names: Sequence[str], kind: str,
                       table: MaterialsTable | None = None, voltage: float | None = None
                       ) -> tuple[list[Candidate], list[Rejected]]:
    """Each name resolved (and featurized) once; a name that cannot be used (unknown, in the wrong role, Li metal
    at a voltage) is rejected once, with the reason."""
    table = table or MaterialsTable(predictor.materials)
    featurize = predictor.model.featurizer_.composition_features_
    accepted, rejected = [], []
    for name in names:
        if kind == "coating" and name == "":
            accepted.append(Candidate("", None))
            continue
        try:
            material = table.resolve(name)
            wrong = role_error(material, kind.lower()) or (voltage_conflict(material, voltage) if kind == "electrode" else "")
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


def combinations(ses: Sequence[Candidate], electrodes: Sequence[Candidate], coatings: Sequence[Candidate],
                 voltage: float | None) -> pd.DataFrame:
    """The Cartesian product as queries, SE outermost and coating innermost."""
    grid = np.indices((len(ses), len(electrodes), len(coatings))).reshape(3, -1).T
    names = [np.array([c.name for c in group], dtype=object) for group in (ses, electrodes, coatings)]
    queries = pd.DataFrame({
        "se": names[0][grid[:, 0]], "electrode": names[1][grid[:, 1]], "coating": names[2][grid[:, 2]],
        "voltage_V": np.full(len(grid), math.nan if voltage is None else float(voltage)),
    })
    return queries


# ------------------------------------------------------------------------------------------- screen


def screen(
    predictor: InterfacePredictor,
    se: str | Sequence[str],
    electrodes: str | Sequence[str],
    coatings: str | Sequence[str] | None = None,
    voltage: float | None = None,
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
        from degrade_ml import screening_spark

        screening_spark.check_master(master)
        screening_spark.check_spark()
    check_top(top)
    check_voltage(voltage)
    started = time.perf_counter()
    usable, rejected = usable_materials(predictor, se, electrodes, coatings, on_rejected, voltage)
    check_memory(math.prod(len(v) for v in usable.values()))
    queries = combinations(usable["SE"], usable["electrode"], usable["coating"], voltage)
    if engine == "spark":
        predicted = _predict_spark(predictor, usable, voltage, model_uri, spark, master, show_progress)
    else:
        predicted = predict_local(predictor, queries, show_progress=show_progress, chunk_rows=chunk_rows)
    ranked = rank(predicted)
    return ScreenResult(
        results=ranked if top is None else ranked.head(top).reset_index(drop=True),
        best_per_se=best_per_se(ranked),
        rejected=rejected,
        counts=(len(usable["SE"]), len(usable["electrode"]), len(usable["coating"])),
        combinations=len(queries),
        seconds=time.perf_counter() - started,
        engine=engine,
    )


def check_top(top: int | None) -> None:
    if top is not None and top < 1:
        raise ScreenError(f"--top {top}: must be at least 1")


def usable_materials(predictor: InterfacePredictor, se, electrodes, coatings, on_rejected=None, voltage=None
                     ) -> tuple[dict[str, list[Candidate]], list[Rejected]]:
    """Each list parsed, resolved and featurized once; ScreenError when a list has no usable material."""
    lists = {
        "SE": parse_list(se),
        "electrode": parse_list(electrodes),
        "coating": parse_list(coatings if coatings is not None else [""], coatings=True),
    }
    table = MaterialsTable(predictor.materials)
    usable, rejected = {}, []
    for kind, names in lists.items():
        usable[kind], bad = resolve_candidates(predictor, names, kind, table, voltage)
        rejected += bad
        for item in bad if on_rejected else ():
            on_rejected(item)
        if not usable[kind]:
            given = ", ".join(repr(n) for n in names) or "nothing"
            raise ScreenError(f"no usable {kind} (given: {given})")
    return usable, rejected


def check_voltage(voltage: float | None) -> None:
    if voltage is None:
        return
    low, high = CONDITION_LIMITS["voltage_V"]
    if not (isinstance(voltage, (int, float)) and low <= float(voltage) <= high):
        raise ScreenError(f"--voltage {voltage!r}: must be between {low:g} and {high:g} V vs Li/Li+")


def rank(predicted: pd.DataFrame) -> pd.DataFrame:
    """p(stable) descending, then fewest predicted products; ties keep the input (Cartesian) order."""
    products = predicted["products"].fillna("").astype(str)
    n_products = (products.str.count(";") + (products.str.strip() != "")).to_numpy()
    p_stable = pd.to_numeric(predicted["p_stable"], errors="coerce").fillna(-1.0).to_numpy()
    order = np.lexsort((np.arange(len(predicted)), n_products, -p_stable))
    return predicted.iloc[order].reset_index(drop=True)


def best_per_se(ranked: pd.DataFrame, per_se: int = 1) -> pd.DataFrame:
    """The best `per_se` combinations of every SE, SEs ordered by their best combination."""
    return ranked.groupby("se", sort=False, group_keys=False).head(per_se).reset_index(drop=True)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """SPEC §4 cells with one dtype per column whatever produced the frame (the typed predictor or the pyfunc on
    Spark): probabilities, voltage and energies as float64, text as str."""
    frame = as_spec_strings(frame)  # output numbers are float64 from here on
    for column in frame.columns:
        if column == "voltage_V":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column not in NUMERIC_OUTPUT_COLUMNS:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def write_results(results: pd.DataFrame, output: Path, escape: bool = False) -> None:
    """Parquet or CSV by suffix, written whole or not at all (`escape`: CSV cells safe from formula injection)."""
    output = Path(output)
    check_output(output)
    try:
        if output.suffix.lower() == ".parquet":
            atomic_write(output, lambda handle: results.to_parquet(handle, index=False))
        else:
            written = escape_formulas(results) if escape else results
            atomic_write(output, lambda handle: written.to_csv(handle, index=False))
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None


def check_output(output: Path, inputs: Sequence[Path] = ()) -> None:
    """ScreenError unless `output` is a .parquet or .csv path that can be written safely (see `atomic`)."""
    output = Path(output)
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ScreenError(f"--output {str(output)!r}: must end in .parquet or .csv")
    try:
        output_target(output, inputs)
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None


# ------------------------------------------------------------------------------------- large screens

PREVIEW_ROWS = 100
# Measured with benchmarks/screen.py (bundled model, 2 CPUs): a screen held whole in memory costs about
# 1.7 kB per combination (1,000,000 took 1.56 GiB); streamed, memory stays near the model's footprint plus
# the chunk being predicted and the pass being sorted (1,000,000: 516 MiB peak). On disk the spill takes about
# 25 bytes per row (zstd), the output 4 (parquet) or 200 (CSV); the estimate doubles them.
BYTES_PER_ROW_IN_MEMORY = 1_700
# with the thermodynamic columns an outside check measured 691 MiB at peak for 1,000,000 streamed: 300 MiB of
# model and phase data (299 MiB measured for an 8-row screen), the sorting pass, and about 14.5 kB per chunk row
BYTES_PER_ROW_PREDICTED = 14_500
BYTES_PER_ROW_SORTED = 1_200
BYTES_PER_ROW_SPILLED = 50
BYTES_PER_ROW_WRITTEN = {".parquet": 10, ".csv": 400}
BASE_BYTES = 300 * 2**20


@dataclass(frozen=True)
class MemoryEstimate:
    combinations: int
    in_memory_bytes: int  # the whole ranking held at once (`screen`, the Spark engine)
    streamed_bytes: int  # `screen_to_file`: the model, one chunk and one sorting pass
    disk_bytes: int  # temporary spill beside the output, plus the output itself

    def __str__(self) -> str:
        return (f"{self.combinations:,} combinations: about {_mib(self.streamed_bytes)} of memory streamed in chunks "
                f"(held whole it would be {_mib(self.in_memory_bytes)}), up to {_mib(self.disk_bytes)} of disk "
                "beside the output")


def _mib(size: float) -> str:
    return f"{size / 2**30:.1f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


def estimate_memory(combinations: int, chunk_rows: int = CHUNK_ROWS, pass_rows: int = PASS_ROWS,
                    suffix: str = ".csv") -> MemoryEstimate:
    """What a screen of `combinations` will take, before it starts (`suffix`: the output's format)."""
    streamed = BASE_BYTES + min(combinations, chunk_rows) * BYTES_PER_ROW_PREDICTED \
        + min(combinations, pass_rows) * BYTES_PER_ROW_SORTED
    on_disk = combinations * (BYTES_PER_ROW_SPILLED + BYTES_PER_ROW_WRITTEN.get(suffix.lower(), 400))
    # held whole, the ranking sits beside the chunk being predicted: never less than streaming it
    whole = BASE_BYTES + min(combinations, chunk_rows) * BYTES_PER_ROW_PREDICTED + combinations * BYTES_PER_ROW_IN_MEMORY
    return MemoryEstimate(combinations, whole, streamed, on_disk)


def available_memory() -> int | None:
    """MemAvailable of /proc/meminfo in bytes (None where there is no such file)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def check_memory(combinations: int) -> None:
    """ScreenError, before anything is predicted, when a screen held in memory would not fit."""
    estimate, available = estimate_memory(combinations), available_memory()
    if available is not None and estimate.in_memory_bytes > available:
        raise ScreenError(
            f"{combinations:,} combinations held in memory need about {_mib(estimate.in_memory_bytes)}, "
            f"{_mib(available)} is available; screen them into a file with the local engine "
            "(`degrade-ml screen --output …`, or `screening_stream.screen_to_file`), which streams"
        )


# ------------------------------------------------------------------------------------- local engine


def predict_local(predictor: InterfacePredictor, queries: pd.DataFrame, *, show_progress: bool = False,
                  chunk_rows: int = CHUNK_ROWS) -> pd.DataFrame:
    """`InterfacePredictor.predict` in chunks; it works once per distinct chemistry, and every material was
    featurized when its list was resolved."""
    return tidy(predict_in_chunks(predictor, queries, show_progress=show_progress, chunk_rows=chunk_rows))


def _predict_spark(predictor: InterfacePredictor, usable: dict[str, list[Candidate]], voltage: float | None,
                   model_uri: str | None, spark, master: str | None, show_progress: bool) -> pd.DataFrame:
    """The Spark engine's rows collected to the driver in input order (`screen_to_file`'s Spark twin,
    `screening_spark.screen_on_spark`, writes them on the cluster instead)."""
    from degrade_ml.screening_spark import ranked_on_spark

    with ranked_on_spark(predictor, usable, voltage, master=master, spark=spark, model_uri=model_uri,
                         show_progress=show_progress) as (_, scored):
        frame = scored.toPandas()
    return tidy(frame.sort_values("_row").drop(columns="_row").reset_index(drop=True))
