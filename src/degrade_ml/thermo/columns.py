"""The thermodynamic output columns of SPEC §4 for a frame of resolved queries, computed once per distinct
(SE, electrode, coating, potential): a batch or a screen repeats the same interfaces many times."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from degrade_ml.rows import distinct_rows, object_array
from degrade_ml.thermo.engine import ThermoCoverageError, ThermoEngine, default_engine
from degrade_ml.thermo.stack import analyse_interface

THERMO_COLUMNS: tuple[str, ...] = (
    "potential_V", "thermo_reduction_V", "thermo_oxidation_V", "thermo_erxn_se_electrode",
    "thermo_erxn_se_coating", "thermo_erxn_coating_electrode", "thermo_se_decomposition", "thermo_coverage",
    "thermo_products",
)
THERMO_NUMERIC_COLUMNS: tuple[str, ...] = THERMO_COLUMNS[:-2]


def thermo_columns(resolved: pd.DataFrame, engine: ThermoEngine | None = None) -> tuple[pd.DataFrame, list[list[str]]]:
    """(columns, warnings per row): numbers as float64 (NaN where a contact does not apply), `thermo_coverage` as
    text and `thermo_products` as lists. Needs `se_formula`, `electrode_formula`, `coating_formula`, `potential_V`. A material outside the table
    leaves the row's thermodynamic columns empty and says why."""
    engine = engine or default_engine()
    keys = resolved[["se_formula", "electrode_formula", "coating_formula", "potential_V"]]
    first, codes = distinct_rows(keys.astype(str))
    rows, warnings = [], []
    for se, electrode, coating, potential in keys.to_numpy()[first]:
        row_values, warning = interface_row(engine, se, electrode, coating, potential)
        rows.append(row_values)
        warnings.append(warning)
    columns = list(zip(*rows)) if rows else [()] * len(THERMO_COLUMNS)
    frame = pd.DataFrame({
        name: (np.array(values, dtype="float64") if name in THERMO_NUMERIC_COLUMNS else object_array(values))[codes]
        for name, values in zip(THERMO_COLUMNS, columns)
    })
    return frame, [warnings[c] for c in codes]


def interface_row(engine: ThermoEngine, se: str, electrode: str, coating: str, potential: float) -> tuple[list, list[str]]:
    """One interface's values in THERMO_COLUMNS order and its warnings (computed once per engine)."""
    potential_V = None if potential is None or (isinstance(potential, float) and math.isnan(potential)) else float(potential)
    try:
        result = analyse_interface(engine, se, electrode, coating or "", potential_V)
    except ThermoCoverageError as error:
        return [potential_V, None, None, None, None, None, None, None, []], [str(error)]
    return [
        result.potential_V,
        result.window.reduction_limit_V,
        result.window.oxidation_limit_V,
        result.se_electrode.reaction_energy_meV_atom,
        result.se_coating.reaction_energy_meV_atom if result.se_coating else None,
        result.coating_electrode.reaction_energy_meV_atom if result.coating_electrode else None,
        result.se_decomposition_energy_meV_atom,
        result.coverage,
        list(result.product_classes),
    ], list(result.warnings)
