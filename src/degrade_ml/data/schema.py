"""pandera schemas of the four tables in data/ (SPEC §3), checked on the raw text of each CSV cell
so that every error can name the file, the record and the column."""

from __future__ import annotations

import pandera.pandas as pa

from degrade_ml.chemistry.formulas import is_formula
from degrade_ml.vocab import (
    DEGRADATION_MODES, MATERIAL_FAMILIES, PRODUCT_CLASSES, ROLES, SE_FAMILIES, SE_FORMS,
    STABILITY_CLASSES, STATES, TECHNIQUES, split_list,
)

INTERFACE_NUMERIC = ("voltage_V", "temperature_C", "pressure_MPa", "current_mA_cm2", "cycles", "interphase_thickness_nm")
TREND_QUANTITIES = ("reactivity", "degradation")
# voltage may be negative: Li plating is reported at e.g. -0.03 V vs Li/Li+
NON_NEGATIVE = ("pressure_MPa", "current_mA_cm2", "cycles", "interphase_thickness_nm")


def _formula(required: bool) -> pa.Check:
    return pa.Check(
        lambda text: (not required and text == "") or is_formula(text),
        element_wise=True, error="not a formula pymatgen parses",
    )


def _one_of(keys: tuple[str, ...], optional: bool = False) -> pa.Check:
    allowed = set(keys) | ({""} if optional else set())
    return pa.Check(lambda text: text in allowed, element_wise=True, error=f"not one of {sorted(allowed)}")


def _list_of(keys: tuple[str, ...]) -> pa.Check:
    allowed = set(keys)
    return pa.Check(
        lambda text: all(key in allowed for key in split_list(text)),
        element_wise=True, error=f"has a key outside {list(keys)}",
    )


def _number(non_negative: bool) -> pa.Check:
    def ok(text: str) -> bool:
        if text == "":
            return True
        try:
            value = float(text)
        except ValueError:
            return False
        return value == value and (value >= 0 or not non_negative)

    return pa.Check(ok, element_wise=True, error="not a " + ("non-negative " if non_negative else "") + "number")


_REQUIRED_TEXT = pa.Check(lambda text: text.strip() != "", element_wise=True, error="is empty (provenance is required)")
_DOI = pa.Check.str_matches(r"^(10\.\d{4,9}/\S+)?$", error="not a DOI (10.xxxx/…)")
_REVIEW_REF = r"\[\d+[a-z]?\]"
LABEL_BASES: tuple[str, ...] = ("stated", "inferred")


def _text(*checks: pa.Check) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=False)


INTERFACES = pa.DataFrameSchema(
    {
        "record_id": _text(pa.Check.str_matches(r"^[a-z0-9][a-z0-9\-_.]*$", error="not a lowercase slug")),
        "observation_id": _text(pa.Check.str_matches(r"^[a-z0-9][a-z0-9\-_.]*$", error="not a lowercase slug")),
        "se": _text(_REQUIRED_TEXT),
        "se_formula": _text(_formula(required=True)),
        "se_form": _text(_one_of(SE_FORMS)),
        "electrode": _text(_REQUIRED_TEXT),
        "electrode_formula": _text(_formula(required=True)),
        "electrode_role": _text(_one_of(ROLES)),
        "coating": _text(),
        "coating_formula": _text(_formula(required=False)),
        "state": _text(_one_of(STATES, optional=True)),
        **{col: _text(_number(col in NON_NEGATIVE)) for col in INTERFACE_NUMERIC},
        "products": _text(_list_of(PRODUCT_CLASSES)),
        "product_phases": _text(),
        "degradation_modes": _text(_list_of(DEGRADATION_MODES)),
        "stability": _text(_one_of(STABILITY_CLASSES, optional=True)),
        "techniques": _text(_list_of(TECHNIQUES)),
        "in_situ": _text(_one_of(("true", "false"), optional=True)),
        "source_section": _text(_REQUIRED_TEXT),
        "source_figure": _text(),
        "review_ref": _text(pa.Check.str_matches(rf"^{_REVIEW_REF}(;{_REVIEW_REF})*$", error="not review references like [18a] or [54];[55]")),
        "evidence": _text(_REQUIRED_TEXT),
        "doi": _text(_DOI),
        "products_basis": _text(_one_of(LABEL_BASES, optional=True)),
        "stability_basis": _text(_one_of(LABEL_BASES, optional=True)),
        "modes_basis": _text(_one_of(LABEL_BASES, optional=True)),
    },
    strict=True, ordered=False, name="interfaces",
)

MATERIALS = pa.DataFrameSchema(
    {
        "name": _text(_REQUIRED_TEXT),
        "formula": _text(_formula(required=True)),
        "family": _text(_one_of(MATERIAL_FAMILIES)),
        "potential_V": _text(_number(non_negative=True)),
        "note": _text(),
    },
    strict=True, name="materials",
)

ELECTROLYTES = pa.DataFrameSchema(
    {
        "se_formula": _text(_formula(required=True)),
        "name": _text(_REQUIRED_TEXT),
        "family": _text(_one_of(SE_FAMILIES)),
        "reduction_potential_V": _text(_number(non_negative=True)),
        "source_section": _text(_REQUIRED_TEXT),
        "source_figure": _text(),
        "review_ref": _text(_REQUIRED_TEXT),
        "note": _text(),
    },
    strict=True, name="electrolytes",
)

TRENDS = pa.DataFrameSchema(
    {
        "trend_id": _text(_REQUIRED_TEXT),
        "quantity": _text(_one_of(TREND_QUANTITIES)),
        "lower_record": _text(_REQUIRED_TEXT),
        "higher_record": _text(_REQUIRED_TEXT),
        "relation": _text(_one_of(("<", "<<"))),
        "source_section": _text(_REQUIRED_TEXT),
        "source_figure": _text(),
        "review_ref": _text(_REQUIRED_TEXT),
        "evidence": _text(_REQUIRED_TEXT),
    },
    strict=True, name="trends",
)

REFERENCES = pa.DataFrameSchema(
    {
        "review_ref": _text(pa.Check.str_matches(rf"^{_REVIEW_REF}$", error="not a review reference like [18a]")),
        "citation": _text(_REQUIRED_TEXT),
        "doi": _text(_DOI),
        "reports_interface": _text(_one_of(("true", "false"))),
        "text_found": _text(_one_of(("true", "false"), optional=True)),
        "records": _text(pa.Check.str_matches(r"^\d+$", error="not a count")),
        "note": _text(),
    },
    strict=True, name="references",
)

TABLES: dict[str, tuple[pa.DataFrameSchema, str]] = {
    "interfaces.csv": (INTERFACES, "record_id"),
    "materials.csv": (MATERIALS, "name"),
    "electrolytes.csv": (ELECTROLYTES, "se_formula"),
    "trends.csv": (TRENDS, "trend_id"),
    "references.csv": (REFERENCES, "review_ref"),
}
# which basis column says where each label comes from (SPEC §3, knowledge base v2)
BASIS_OF: dict[str, str] = {"products": "products_basis", "stability": "stability_basis", "degradation_modes": "modes_basis"}
