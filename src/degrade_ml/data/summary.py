"""Counts that tell how broad the knowledge base is (issue: records, SEs, electrodes, coatings, classes)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from degrade_ml.data.load import Dataset, formula_key
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES, split_list


def summarize(dataset: Dataset) -> dict:
    records = dataset.interfaces
    coatings = records.loc[records["coating_formula"] != "", "coating_formula"]
    product_counts = _list_counts(records["products"])
    return {
        "records": int(len(records)),
        "se": int(records["se_formula"].map(formula_key).nunique()),
        "electrodes": int(records["electrode_formula"].map(formula_key).nunique()),
        "coatings": int(coatings.map(formula_key).nunique()),
        "roles": _counts(records["electrode_role"]),
        "products": {k: product_counts.get(k, 0) for k in PRODUCT_CLASSES},
        "stability": {k: int((records["stability"] == k).sum()) for k in STABILITY_CLASSES}
        | {"unknown": int((records["stability"] == "").sum())},
        "techniques": _list_counts(records["techniques"]),
        "provenance_complete": bool(
            ((records["source_section"] != "") & (records["review_ref"] != "") & (records["evidence"] != "")).all()
        ),
        "dataset_hash": dataset.content_hash,
    }


def _counts(column: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in column.value_counts().items()}


def _list_counts(column: pd.Series) -> dict[str, int]:
    counter = Counter(key for cell in column for key in split_list(cell))
    return dict(counter.most_common())
