"""Screening at scale: rank every SE × electrode × coating combination by predicted stability.

`screen()` resolves each material once (a bad one is reported once and left out), builds the Cartesian
product, predicts it in chunks and ranks it by p(stable), then by fewest predicted products. The columns
are exactly those of `InterfacePredictor.predict` on the same queries (se, electrode, coating, voltage_V,
then SPEC §4's outputs).

Two engines:

* `local` — `InterfacePredictor.predict` in chunks, which featurizes each material once and runs the
  forests once per distinct model input.
* `spark` — the MLflow pyfunc model applied with `mlflow.pyfunc.spark_udf` to a Spark DataFrame of the
  combinations (a local[2] session unless one is given); results equal the local engine's.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from degrade_ml.atomic import atomic_write
from degrade_ml.models.predictor import CONDITION_LIMITS, OUTPUT_COLUMNS, InterfacePredictor, predict_in_chunks
from degrade_ml.resolve import Material, MaterialsTable, electrode_role
from degrade_ml.thermo.columns import THERMO_NUMERIC_COLUMNS
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

CHUNK_ROWS = 20_000
QUERY_COLUMNS: tuple[str, ...] = ("se", "electrode", "coating", "voltage_V")
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{k}" for k in (*PRODUCT_CLASSES, *STABILITY_CLASSES))
NUMERIC_COLUMNS: tuple[str, ...] = (*PROBABILITY_COLUMNS, *THERMO_NUMERIC_COLUMNS)
NO_COATING = frozenset({"", "none"})
OUTPUT_SUFFIXES = (".parquet", ".csv")
ENGINES = ("local", "spark")


class ScreenError(ValueError):
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
    results: pd.DataFrame  # ranked; top N only when asked
    best_per_se: pd.DataFrame  # the best combination of every SE, from the full ranking
    rejected: list[Rejected]
    counts: tuple[int, int, int]  # usable SEs, electrodes, coatings
    combinations: int
    seconds: float
    engine: str


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
        if path.is_file():
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


def _looks_like_path(text: str) -> bool:
    return "," not in text and (os.sep in text or Path(text).suffix.lower() in (".txt", ".lst", ".list", ".csv"))


def resolve_candidates(predictor: InterfacePredictor, names: Sequence[str], kind: str,
                       table: MaterialsTable | None = None) -> tuple[list[Candidate], list[Rejected]]:
    """Each name resolved (and featurized) once; a name that cannot be is rejected once, with the reason."""
    table = table or MaterialsTable(predictor.materials)
    featurize = predictor.model.featurizer_.composition_features_
    accepted, rejected = [], []
    for name in names:
        if kind == "coating" and name == "":
            accepted.append(Candidate("", None))
            continue
        try:
            material = table.resolve(name)
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
        check_spark()
    if top is not None and top < 1:
        raise ScreenError(f"--top {top}: must be at least 1")
    _check_voltage(voltage)
    lists = {
        "SE": parse_list(se),
        "electrode": parse_list(electrodes),
        "coating": parse_list(coatings if coatings is not None else [""], coatings=True),
    }
    started = time.perf_counter()
    table = MaterialsTable(predictor.materials)
    usable, rejected = {}, []
    for kind, names in lists.items():
        usable[kind], bad = resolve_candidates(predictor, names, kind, table)
        rejected += bad
        for item in bad if on_rejected else ():
            on_rejected(item)
        if not usable[kind]:
            given = ", ".join(repr(n) for n in names) or "nothing"
            raise ScreenError(f"no usable {kind} (given: {given})")
    queries = combinations(usable["SE"], usable["electrode"], usable["coating"], voltage)
    if engine == "spark":
        predicted = predict_spark(queries, model_uri, predictor=predictor, spark=spark)
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


def _check_voltage(voltage: float | None) -> None:
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
    """One dtype per column whatever produced the frame: probabilities, voltage and energies as float64, text as str."""
    frame = frame.copy()
    for column in frame.columns:
        if column in NUMERIC_COLUMNS or column == "voltage_V":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def write_results(results: pd.DataFrame, output: Path) -> None:
    """Parquet or CSV by suffix, written whole or not at all."""
    output = Path(output)
    check_output(output)
    if output.suffix.lower() == ".parquet":
        atomic_write(output, lambda handle: results.to_parquet(handle, index=False))
    else:
        atomic_write(output, lambda handle: results.to_csv(handle, index=False))


def check_output(output: Path) -> None:
    output = Path(output)
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ScreenError(f"--output {str(output)!r}: must end in .parquet or .csv")
    if not output.parent.exists():
        raise ScreenError(f"--output {str(output)!r}: folder {str(output.parent)!r} does not exist")


# ------------------------------------------------------------------------------------- local engine


def predict_local(predictor: InterfacePredictor, queries: pd.DataFrame, *, show_progress: bool = False,
                  chunk_rows: int = CHUNK_ROWS) -> pd.DataFrame:
    """`InterfacePredictor.predict` in chunks; it works once per distinct chemistry, and every material was
    featurized when its list was resolved."""
    return tidy(predict_in_chunks(predictor, queries, show_progress=show_progress, chunk_rows=chunk_rows))


# ------------------------------------------------------------------------------------- spark engine


def check_spark() -> None:
    """ScreenError unless PySpark and a Java runtime are there."""
    import importlib.util
    import shutil

    if importlib.util.find_spec("pyspark") is None:
        raise ScreenError("--engine spark needs PySpark: pip install 'degrade-ml[dev]' (or pyspark)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ScreenError("--engine spark needs a Java runtime (no `java` on PATH and no JAVA_HOME)")


def spark_result_type() -> str:
    """The struct the pyfunc's DataFrame is read into: SPEC §4's output columns."""
    fields = [f"`{c}` double" if c in NUMERIC_COLUMNS else f"`{c}` string" for c in OUTPUT_COLUMNS]
    return ", ".join(fields)


def local_spark_session(master: str = "local[2]"):
    """A local Spark session whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master).appName("degrade-ml-screen")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )


def predict_spark(queries: pd.DataFrame, model_uri: str | None, predictor: InterfacePredictor, spark=None) -> pd.DataFrame:
    """`mlflow.pyfunc.spark_udf` over a Spark DataFrame of the queries; the same columns as `predict_local`.
    With no `model_uri`, `predictor` is saved as an MLflow model in a temporary folder and used from there."""
    if model_uri is None:
        from degrade_ml.registry.pyfunc import save_predictor

        with tempfile.TemporaryDirectory(prefix="degrade-ml-pyfunc-") as folder:
            return predict_spark(queries, save_predictor(predictor, Path(folder)), predictor, spark=spark)

    from pyspark.sql import SparkSession

    own_session = spark is None and SparkSession.getActiveSession() is None
    spark = spark or local_spark_session()
    try:
        return _score_on_spark(spark, queries, model_uri)
    finally:
        if own_session:
            spark.stop()


def _score_on_spark(spark, queries: pd.DataFrame, model_uri: str) -> pd.DataFrame:
    import mlflow.pyfunc
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    inputs = ("se", "electrode", "coating", "voltage_V", "temperature_C", "pressure_MPa")
    frame = pd.DataFrame({
        "_row": np.arange(len(queries), dtype=np.int64),
        **{c: queries[c].astype(str).to_numpy() for c in ("se", "electrode", "coating")},
        **{c: (pd.to_numeric(queries[c], errors="coerce") if c in queries else pd.Series(math.nan, index=queries.index))
           .astype("float64").to_numpy() for c in inputs[3:]},
    })
    schema = StructType([StructField("_row", LongType(), False)]
                        + [StructField(c, StringType() if c in inputs[:3] else DoubleType(), True) for c in inputs])
    sdf = spark.createDataFrame(frame, schema=schema)
    udf = mlflow.pyfunc.spark_udf(spark, model_uri, result_type=spark_result_type(), env_manager="local")
    scored = (
        sdf.withColumn("prediction", udf(*[F.col(c) for c in inputs]))
        .select("_row", *queries.columns, "prediction.*")
        .toPandas()
        .sort_values("_row").drop(columns="_row").reset_index(drop=True)
    )
    return tidy(scored[[*queries.columns, *OUTPUT_COLUMNS]])
