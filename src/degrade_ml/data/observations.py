"""One observation, counted once (SPEC §3, §6). The review restates results of the papers it cites, and records were
taken from both the review and the papers' abstracts: records holding the same observation (same interface, same
study, same conditions) share an `observation_id`, and each of its labels counts once in training and scoring."""

from __future__ import annotations

import pandas as pd

from degrade_ml.data.schema import BASIS_OF

# what records of one observation must share: the interface and the study it was seen in
SAME_INTERFACE: tuple[str, ...] = ("se_formula", "electrode_formula", "coating_formula")
# conditions that, where two records both state them, must agree
SAME_CONDITIONS: tuple[str, ...] = ("state", "voltage_V", "temperature_C", "pressure_MPa")


def count_once(records: pd.DataFrame) -> pd.DataFrame:
    """A copy in which each label of an observation is kept on one record only: the first that states it, records
    from the review's sections before those from abstracts (the review states what it takes from the paper)."""
    if "observation_id" not in records:
        return records
    records = records.copy()
    order = records.assign(_abstract=records["source_section"].eq("abstract")).sort_values("_abstract", kind="stable")
    for label, basis in BASIS_OF.items():
        labelled = order[order[label].astype(str) != ""]
        repeated = labelled.index[labelled["observation_id"].duplicated()]
        records.loc[repeated, [label, basis]] = ""
    return records


def observation_problems(interfaces: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(record, column, message) for records that share an observation_id but not an interface, a study or the
    conditions both state, or whose stated stabilities contradict each other."""
    problems = []
    for observation, group in interfaces.groupby("observation_id", sort=False):
        if len(group) < 2:
            continue
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            for column in SAME_INTERFACE:
                if row[column] != first[column]:
                    problems.append((row["record_id"], column, f"{row[column]!r} differs from {first[column]!r} of "
                                     f"{first['record_id']!r}, which shares observation_id {observation!r}"))
            if _study(row) != _study(first):
                problems.append((row["record_id"], "doi", f"study {_study(row)!r} differs from {_study(first)!r} of "
                                 f"{first['record_id']!r}, which shares observation_id {observation!r}"))
            for column in SAME_CONDITIONS:
                if row[column] and first[column] and row[column] != first[column]:
                    problems.append((row["record_id"], column, f"{row[column]!r} contradicts {first[column]!r} of "
                                     f"{first['record_id']!r} (same observation {observation!r})"))
        stabilities = set(group.loc[group["stability_basis"] == "stated", "stability"]) - {""}
        if len(stabilities) > 1:
            problems.append((group.iloc[0]["record_id"], "stability",
                             f"observation {observation!r} states contradicting stabilities {sorted(stabilities)}"))
    return problems


def _study(row: pd.Series) -> str:
    return row["doi"] or row["review_ref"]
