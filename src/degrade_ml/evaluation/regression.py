"""Numeric quantities the records hold (conditions, interphase thickness, SE reduction potential): enough to learn?"""

from __future__ import annotations

from degrade_ml.data.load import Dataset

OBSERVED_COLUMNS = ("voltage_V", "temperature_C", "pressure_MPa", "current_mA_cm2", "cycles", "interphase_thickness_nm")
MIN_VALUES = 20


def observed_counts(dataset: Dataset) -> dict[str, int]:
    """How many records carry each numeric observed quantity (and how many there are)."""
    interfaces = dataset.interfaces
    return {"records": int(len(interfaces)), **{c: int(interfaces[c].notna().sum()) for c in OBSERVED_COLUMNS}}


def regression_readiness(dataset: Dataset) -> dict[str, str]:
    """Say plainly which numeric targets have too few values to fit and trust a regressor."""
    counts = {c: n for c, n in observed_counts(dataset).items() if c != "records"}
    counts["reduction_potential_V"] = int(dataset.electrolytes["reduction_potential_V"].notna().sum())
    distinct = {"reduction_potential_V": dataset.electrolytes["reduction_potential_V"].nunique()}
    return {
        name: (
            f"{n} values" + (f" ({distinct[name]} distinct)" if name in distinct else "")
            + (f": too little data to train or trust a regressor (need ≥ {MIN_VALUES}); not modelled." if n < MIN_VALUES else "")
        )
        for name, n in counts.items()
    }
