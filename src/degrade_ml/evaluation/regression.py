"""Numeric targets the review states (interphase thickness, SE reduction potential): enough data to learn?"""

from __future__ import annotations

from degrade_ml.data.load import Dataset

MIN_VALUES = 20


def regression_readiness(dataset: Dataset) -> dict[str, str]:
    """Say plainly which numeric targets have too few values to fit and trust a regressor."""
    counts = {
        "interphase_thickness_nm": int(dataset.interfaces["interphase_thickness_nm"].notna().sum()),
        "reduction_potential_V": int(dataset.electrolytes["reduction_potential_V"].notna().sum()),
    }
    distinct = {"reduction_potential_V": dataset.electrolytes["reduction_potential_V"].nunique()}
    return {
        name: (
            f"{n} values" + (f" ({distinct[name]} distinct)" if name in distinct else "")
            + (f": too little data to train or trust a regressor (need ≥ {MIN_VALUES}); not modelled." if n < MIN_VALUES else "")
        )
        for name, n in counts.items()
    }
