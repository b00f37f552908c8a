"""The ranking of a screen, defined once: p(stable) descending (missing last), then fewest predicted product
classes, then input order. Keys are computed on typed values (products as lists), before any conversion to
SPEC strings; `spark_order` states the same order for Spark columns, where the pyfunc has already answered
in strings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from degrade_ml.rows import per_distinct_objects


def product_counts(products: pd.Series) -> np.ndarray:
    """How many product classes each row predicts (a list, or a `;`-joined cell read back from a file), counted once
    per distinct object (a screen's rows share the lists of their distinct answers)."""
    return per_distinct_objects(_count, products.to_numpy(dtype=object)).astype(np.int16)


def _count(cell) -> int:
    if isinstance(cell, (list, tuple)):
        return len(cell)
    text = "" if cell is None or cell != cell else str(cell).strip()
    return text.count(";") + 1 if text else 0


def rank_keys(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """p(stable) (-1 where missing, ranked last) and the number of predicted products of every row."""
    p_stable = pd.to_numeric(frame["p_stable"], errors="coerce").fillna(-1.0).to_numpy(dtype=np.float64)
    return p_stable, product_counts(frame["products"])


def rank_order(p_stable: np.ndarray, n_products: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions in rank order; `rows` (input positions) breaks ties."""
    return np.lexsort((rows, n_products, -p_stable))


def rank(predicted: pd.DataFrame) -> pd.DataFrame:
    """The rows in rank order; ties keep the input (Cartesian) order."""
    order = rank_order(*rank_keys(predicted), np.arange(len(predicted)))
    return predicted.iloc[order].reset_index(drop=True)


def best_per_se(ranked: pd.DataFrame, per_se: int = 1) -> pd.DataFrame:
    """The best `per_se` combinations of every SE, SEs ordered by their best combination."""
    return ranked.groupby("se", sort=False, group_keys=False).head(per_se).reset_index(drop=True)


class BestPerSe:
    """The best row of every SE seen so far, kept with its input row for ties."""

    def __init__(self) -> None:
        self.best: pd.DataFrame | None = None

    def add(self, predicted: pd.DataFrame, first_row: int) -> None:
        chunk = predicted.assign(_row=np.arange(first_row, first_row + len(predicted)))
        pool = chunk if self.best is None else pd.concat([self.best, chunk], ignore_index=True)
        order = rank_order(*rank_keys(pool), pool["_row"].to_numpy())
        self.best = pool.iloc[order].groupby("se", sort=False).head(1).reset_index(drop=True)

    def frame(self) -> pd.DataFrame:
        return self.best.drop(columns="_row").reset_index(drop=True)


def spark_order() -> list:
    """The same order as Spark sort keys over the pyfunc's columns and the input position `_row`."""
    from pyspark.sql import functions as F

    p_stable = F.col("p_stable")
    products = F.trim(F.coalesce(F.col("products"), F.lit("")))
    n_products = F.when(products == "", 0).otherwise(F.size(F.split(products, ";")))
    return [F.when(p_stable.isNull() | F.isnan(p_stable), -1.0).otherwise(p_stable).desc(), n_products.asc(),
            F.col("_row").asc()]
