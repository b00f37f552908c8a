"""Which chemistry drove a prediction: remove one fact about the interface at a time (an element group,
the rule's expectation, the coating, a condition) and see how the probabilities move."""

from __future__ import annotations

import numpy as np
import pandas as pd

from degrade_ml.features.featurizer import columns, feature_names
from degrade_ml.models.heads import InterfaceHeads
from degrade_ml.models.layout import CHEMISTRY_BLOCKS
from degrade_ml.models.targets import Probabilities

_GROUP_NAMES = {
    "alloying_metal": "a reducible (alloying) metal", "transition_metal": "a transition metal", "halogen": "a halogen",
    "Na_K": "Na or K", "Li": "Li", "S": "sulfur", "P": "phosphorus", "O": "oxygen", "N": "nitrogen",
    "F": "fluorine", "Cl": "chlorine", "Br": "bromine", "I": "iodine",
}
_MATERIAL_NAMES = {"se": "SE", "electrode": "electrode", "coating": "coating"}
_CONDITION_NAMES = {"voltage_V": "voltage (V)", "temperature_C": "temperature (°C)", "pressure_MPa": "pressure (MPa)"}


def describe_feature(name: str) -> str:
    """A feature name in the words of a battery scientist."""
    prefix, _, rest = name.partition(": ")
    if prefix in _MATERIAL_NAMES and rest.startswith("has "):
        return f"{_MATERIAL_NAMES[prefix]} contains {_GROUP_NAMES.get(rest[4:], rest[4:])}"
    if name == "coating: present":
        return "a coating separates SE and electrode"
    if name == "role: anode":
        return "the electrode is a Li metal or alloy anode"
    if prefix == "prior" and rest.startswith("rule expects "):
        return f"the lithiation/oxidation limit expects {rest.removeprefix('rule expects ')}"
    if prefix == "condition":
        return f"the stated {_CONDITION_NAMES.get(rest, rest)}"
    if prefix == "thermo" and rest.startswith("expects "):
        return f"thermodynamics expects {rest.removeprefix('expects ')}"
    if prefix == "thermo":
        return f"thermodynamics: {rest}"
    return name


# facts a scientist can name: element groups, role, coating, conditions, the thermodynamics at the potential and what
# the rule and thermodynamics expect (not magpie statistics, which only stand in for them)
EXPLAINED_BLOCKS: tuple[str, ...] = (*CHEMISTRY_BLOCKS, "conditions", "thermo at potential", "rule products",
                                     "rule stability", "rule modes", "thermo products", "thermo stability")


def _neutral(name: str) -> float:
    """The value a fact is replaced by to see what it did: unknown for conditions and the potential, zero otherwise."""
    return np.nan if name.startswith("condition: ") or name == "thermo: potential (V)" else 0.0


def explain(heads: InterfaceHeads, features: np.ndarray, top: int = 5) -> list[dict]:
    """The `top` facts of one featurized interface whose removal moves its probabilities most."""
    names = feature_names()
    at_potential = set(columns("thermo at potential"))
    candidates = [j for j in columns(*EXPLAINED_BLOCKS)
                  if features[0, j] != 0.0 and not np.isnan(features[0, j])]
    if not candidates:
        return []
    perturbed = np.repeat(features, len(candidates), axis=0)
    for row, j in enumerate(candidates):
        perturbed[row, j] = _neutral(names[j])
    base = _flat(Probabilities.of_outputs(heads.predict_proba(features), heads.classes_))
    moved = _flat(Probabilities.of_outputs(heads.predict_proba(perturbed), heads.classes_)) - base.to_numpy()
    impact = moved.abs().sum(axis=1).to_numpy()
    ranked = np.argsort(-impact)[:top]
    return [
        {
            "feature": describe_feature(names[candidates[r]])
            + (_value(names[candidates[r]], features[0, candidates[r]]) if candidates[r] in at_potential else ""),
            "impact": round(float(impact[r]), 3),
            "largest_effects": {
                k: round(-float(v), 3) for k, v in moved.iloc[r].sort_values(key=abs, ascending=False).head(3).items() if abs(v) >= 0.005
            },
        }
        for r in ranked if impact[r] > 0
    ]


def _value(name: str, value: float) -> str:
    return "" if name == "thermo: potential known" else f" ({value:.2f})"


def _flat(proba: Probabilities) -> pd.DataFrame:
    return pd.concat(
        [proba.products.add_prefix("p_"), proba.stability.add_prefix("p_"), proba.modes.add_prefix("p_mode_")], axis=1
    )
