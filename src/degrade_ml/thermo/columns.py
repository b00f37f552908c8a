"""The thermodynamic output columns of SPEC §4 for a frame of resolved queries, read from their batch
(`thermo.batch`): every window and contact is computed once, however many interfaces share it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from degrade_ml.rows import distinct_rows, object_array
from degrade_ml.thermo.batch import InterfaceBatch
from degrade_ml.vocab import PRODUCT_CLASSES

THERMO_COLUMNS: tuple[str, ...] = (
    "potential_V", "thermo_reduction_V", "thermo_oxidation_V", "thermo_erxn_se_electrode",
    "thermo_erxn_se_coating", "thermo_erxn_coating_electrode", "thermo_se_decomposition", "thermo_coverage",
    "thermo_products",
)
THERMO_NUMERIC_COLUMNS: tuple[str, ...] = THERMO_COLUMNS[:-2]
_COVERAGE = np.array(["approximate", "complete", None], dtype=object)  # partly, wholly, not inside the table


def thermo_columns(batch: InterfaceBatch) -> tuple[pd.DataFrame, list[list[str]]]:
    """(columns, warnings per row) of a batch of interfaces (`thermo.batch.analyse_interfaces`): numbers as float64
    (NaN where a contact does not apply), `thermo_coverage` as text and `thermo_products` as lists. A material outside
    the table leaves the row's thermodynamic columns empty and says why."""
    classes = np.asarray(PRODUCT_CLASSES, dtype=object)
    products, codes = distinct_rows(batch.classes) if len(batch) else (np.zeros(0, int), np.zeros(0, int))
    frame = pd.DataFrame({
        "potential_V": batch.potential_V, "thermo_reduction_V": batch.reduction_V, "thermo_oxidation_V": batch.oxidation_V,
        "thermo_erxn_se_electrode": batch.erxn[:, 0], "thermo_erxn_se_coating": batch.erxn[:, 1],
        "thermo_erxn_coating_electrode": batch.erxn[:, 2], "thermo_se_decomposition": batch.se_decomposition_energy,
        "thermo_coverage": _COVERAGE[np.where(batch.covered, batch.complete.astype(int), 2)],  # one object per value
        "thermo_products": object_array([list(classes[batch.classes[i]]) for i in products])[codes],
    }, columns=list(THERMO_COLUMNS))
    codes, distinct = pd.factorize(batch.warnings) if len(batch) else (np.zeros(0, int), [])
    return frame, list(object_array([list(w) for w in distinct])[codes])
