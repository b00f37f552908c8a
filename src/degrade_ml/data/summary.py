"""Counts that tell how broad the knowledge base is (issue: records, SEs, electrodes, coatings, classes)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from degrade_ml.data.load import Dataset, formula_key
from degrade_ml.data.schema import BASIS_OF, INTERFACE_NUMERIC
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES, split_list

OXIDATION_PRODUCTS: tuple[str, ...] = ("S", "Li2Sn", "P2Sx", "POx", "SOx")


def summarize(dataset: Dataset) -> dict:
    records = dataset.interfaces
    coatings = records.loc[records["coating_formula"] != "", "coating_formula"]
    product_counts = _list_counts(records["products"])
    return {
        "records": int(len(records)),
        "observations": int(records["observation_id"].nunique()),
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
        "label_basis": {
            label: {basis: int((records[column] == basis).sum()) for basis in ("stated", "inferred")}
            for label, column in BASIS_OF.items()
        },
        "records_with_doi": int((records["doi"] != "").sum()),
        "records_per_source": _counts(_source(records)),
        "conditions_stated": {column: int(records[column].notna().sum()) for column in INTERFACE_NUMERIC},
        "cathode": _cathode_coverage(records),
        "references": _reference_counts(dataset.references),
        "dataset_hash": dataset.content_hash,
    }


def _source(records: pd.DataFrame) -> pd.Series:
    """The paper behind each record: its DOI, else the review reference it came through."""
    return records["doi"].where(records["doi"] != "", "review " + records["review_ref"])


def _cathode_coverage(records: pd.DataFrame) -> dict:
    """How broadly oxidation is observed: per class, the distinct SEs and studies that report it."""
    cathode = records[records["electrode_role"] == "cathode"]
    sources = _source(cathode)
    coverage = {}
    for key in OXIDATION_PRODUCTS:
        has = cathode["products"].map(lambda cell: key in split_list(cell))
        coverage[key] = {"records": int(has.sum()), "se": int(cathode.loc[has, "se_formula"].map(formula_key).nunique()),
                         "studies": int(sources[has].nunique())}
    return {"records": int(len(cathode)), "se": int(cathode["se_formula"].map(formula_key).nunique()),
            "with_voltage": int(cathode["voltage_V"].notna().sum()), "oxidation_products": coverage}


def _reference_counts(references: pd.DataFrame) -> dict[str, int]:
    reports = references["reports_interface"] == "true"
    return {
        "listed": int(len(references)),
        "report_an_interface": int(reports.sum()),
        "text_found": int((reports & (references["text_found"] == "true")).sum()),
        "text_not_found": int((reports & (references["text_found"] == "false")).sum()),
        "gave_records": int((references["records"].astype(int) > 0).sum()),
    }


def _counts(column: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in column.value_counts().items()}


def _list_counts(column: pd.Series) -> dict[str, int]:
    counter = Counter(key for cell in column for key in split_list(cell))
    return dict(counter.most_common())
