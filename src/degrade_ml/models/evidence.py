"""Why a prediction can be trusted: the thermodynamic reactions behind it and the literature records nearest to the
query, each marked as supporting or contradicting the answer."""

from __future__ import annotations

import pandas as pd

from degrade_ml.chemistry.formulas import formula_elements, parse_formula
from degrade_ml.chemistry.families import ANODE_MAX_POTENTIAL_V
from degrade_ml.thermo.engine import Contact, ThermoCoverageError, default_engine
from degrade_ml.thermo.stack import analyse_interface
from degrade_ml.vocab import split_list

RECORD_COLUMNS: tuple[str, ...] = (
    "record_id", "se_formula", "electrode_formula", "coating_formula", "electrode_role", "products", "stability",
    "degradation_modes", "doi", "review_ref", "evidence",
)


def thermodynamic_reactions(se: str, electrode: str, coating: str, potential_V: float | None) -> list[dict]:
    """The reaction at the deepest point of every contact that exists at this interface, with its energy, and for the
    SE's contacts what forms next to the SE where that differs (the products the answer reads)."""
    try:
        result = analyse_interface(default_engine(), se, electrode, coating, potential_V)
    except ThermoCoverageError as error:
        return [{"contact": "-", "reaction": str(error), "energy_meV_atom": None}]
    se_contacts = (result.se_electrode, result.se_coating)
    reactions = [{"contact": f"{c.a} | {c.b}", "potential_V": c.potential_V,
                  "reaction": (c.reaction or "no reaction") + (
                      f"; next to the SE: {', '.join(c.interphase_products) or 'nothing'}"
                      if any(c is s for s in se_contacts) and c.interphase_products != c.products else ""),
                  "energy_meV_atom": c.reaction_energy_meV_atom} for c in result.contacts_present]
    at_rest = _coating_at_rest(result)
    if at_rest is not None:
        reactions.append({"contact": f"{at_rest.a} | {at_rest.b} as made", "potential_V": None,
                          "reaction": f"{at_rest.reaction} (closed to Li: every charge passes through it)",
                          "energy_meV_atom": at_rest.reaction_energy_meV_atom})
    alone = _coating_alone(result)
    if alone is not None:
        reactions.append(alone)
    window = result.window
    reactions.append({"contact": f"{se} alone", "potential_V": potential_V,
                      "reaction": f"window {window.reduction_limit_V}–{window.oxidation_limit_V} V"
                      + (f"; decomposes to {', '.join(result.se_decomposition)}" if result.se_decomposition else ""),
                      "energy_meV_atom": None})
    return reactions


def _coating_alone(result) -> dict | None:
    """The coating's own decomposition at the electrode's potential, where it has one: LiI oxidised to iodine on a
    4.3 V cathode, Li3PO4 reduced to Li3P and Li2O at a Si anode. None of its contacts need react for it, yet the
    answer counts it (`thermo.batch.driving_force`): a coating that decomposes no longer shields the SE."""
    contact = result.coating_electrode
    if contact is None or contact.potential_V is None or not contact.decomposition_energy_a_meV_atom < -0.5:
        return None
    phases = default_engine().decomposition_at(contact.a, contact.potential_V)
    return {"contact": f"{contact.a} alone", "potential_V": contact.potential_V,
            "reaction": f"decomposes to {', '.join(phases)} at {contact.potential_V:g} V",
            "energy_meV_atom": contact.decomposition_energy_a_meV_atom}


def _coating_at_rest(result) -> Contact | None:
    """The coating's chemical contact with a cathode as made, where it reacts more than at the potential: the answer
    counts it (`thermo.batch.driving_force`), so the reactions behind it show it."""
    contact, potential = result.coating_electrode, result.potential_V
    if contact is None or potential is None or potential < ANODE_MAX_POTENTIAL_V:
        return None
    rest = default_engine().at_rest(contact.a, contact.b)
    return rest if rest.reacts and rest.reaction_energy_meV_atom < contact.reaction_energy_meV_atom else None


def nearest_records(records: pd.DataFrame, se: str, electrode: str, coating: str, role: str,
                    products: list[str] | None, stability: str | None, top: int = 3) -> list[dict]:
    """The `top` records most like the query (same SE, electrode and coating first, then shared elements and
    role) that report products or stability, and whether each supports or contradicts the prediction (none to
    compare with when the model abstains, products and stability None). A record of another interface (another SE
    or electrode, bare where the query is coated, or the reverse) is a reference, not a verdict: bare NMC622 |
    Li6PS5Cl forming phosphates does not contradict a stable answer behind LiNbO3, nor Li metal reducing Li6PS5Cl an
    answer for Li4Ti5O12 at 1.55 V."""
    if records.empty:
        return []
    labelled = records[(records["products"] != "") | (records["stability"] != "")]
    scored = sorted(((_similarity(row, se, electrode, coating, role), i) for i, row in labelled.iterrows()), reverse=True)
    found = []
    for score, i in scored[:top]:
        row = labelled.loc[i]
        reported = split_list(row["products"])
        agrees = bool(set(reported) & set(products or [])) or (row["stability"] != "" and row["stability"] == stability)
        relation = ("no prediction to compare" if products is None and stability is None
                    else _other_interface(row, se, electrode, coating) or ("supports" if agrees else "contradicts"))
        found.append({
            "record_id": row["record_id"], "source": row["doi"] or f"review {row['review_ref']}",
            "interface": " | ".join(f for f in (row["se_formula"], row["coating_formula"], row["electrode_formula"]) if f),
            "reported": "; ".join(part for part in (", ".join(reported), row["stability"]) if part),
            "relation": relation,
            "evidence": row["evidence"],
        })
    return found


def _other_interface(row: pd.Series, se: str, electrode: str, coating: str) -> str:
    """How a record's interface differs from the query's, as a reference ("" when it is the same interface)."""
    differences = [f"another {part}" for part, record_formula, formula in
                   (("SE", row["se_formula"], se), ("electrode", row["electrode_formula"], electrode))
                   if not _same(record_formula, formula)]
    record_coating = row["coating_formula"]
    if record_coating and not coating:
        differences.append("coated")
    elif coating and not record_coating:
        differences.append("uncoated")
    elif coating and not _same(record_coating, coating):
        differences.append("another coating")
    return f"reference: {', '.join(differences)}" if differences else ""


def _similarity(row: pd.Series, se: str, electrode: str, coating: str, role: str) -> float:
    score = 3.0 * _same(row["se_formula"], se) + 3.0 * _same(row["electrode_formula"], electrode)
    score += 2.0 * _same(row["coating_formula"], coating) if coating else 1.0 * (row["coating_formula"] == "")
    score += 1.0 * (row["electrode_role"] == role)
    score += _overlap(row["se_formula"], se) + _overlap(row["electrode_formula"], electrode)
    return score


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and parse_formula(a).reduced_formula == parse_formula(b).reduced_formula


def _overlap(a: str, b: str) -> float:
    first, second = formula_elements(a), formula_elements(b)
    return len(first & second) / len(first | second)
