"""Per-material composition features: matminer's published sets plus the element groups that decide products."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from matminer.featurizers.base import BaseFeaturizer, MultipleFeaturizer
from matminer.featurizers.composition import ElementProperty, Stoichiometry, ValenceOrbital
from pymatgen.core import Composition

from degrade_ml.chemistry.elements import HALOGENS, is_alloying, is_transition_metal


class ElementGroups(BaseFeaturizer):
    """Atomic fractions of the element groups that decide interfacial products (SPEC §2): S, P, O, N,
    each halogen, reducible (alloying) metals, transition metals, Li and Na/K (non-Li chemistry)."""

    _GROUPS: dict[str, object] = {
        "Li": lambda el: el == "Li",
        "S": lambda el: el == "S",
        "P": lambda el: el == "P",
        "O": lambda el: el == "O",
        "N": lambda el: el == "N",
        **{x: (lambda el, x=x: el == x) for x in HALOGENS},
        "halogen": lambda el: el in HALOGENS,
        "alloying_metal": lambda el: is_alloying(el) and not is_transition_metal(el),
        "transition_metal": is_transition_metal,
        "Na_K": lambda el: el in ("Na", "K"),
    }

    def featurize(self, composition: Composition) -> list[float]:
        fractions = {str(el): amt for el, amt in composition.fractional_composition.items()}
        values = [sum(f for el, f in fractions.items() if member(el)) for member in self._GROUPS.values()]
        return values + [float(v > 0) for v in values]

    def feature_labels(self) -> list[str]:
        return [f"frac {g}" for g in self._GROUPS] + [f"has {g}" for g in self._GROUPS]

    def citations(self) -> list[str]:
        return ["Zhao et al., Small Struct. 2021, 2100146 (sulfide interface review, Sections 2.2-2.3)"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]


_SHARED: dict[str, MultipleFeaturizer] = {}  # the process's one matminer featurizer (`_matminer_featurizer`)


def _matminer_featurizer() -> MultipleFeaturizer:
    """Built once per process, or taken from the first model unpickled (which carries one): loading matminer's element
    tables takes 0.3-0.6 s, a third of a cold `predict` beyond its imports, and cross-validation fits a featurizer per
    fold and model (hundreds per evaluation). Featurizing is stateless, so the instance is shared."""
    if "magpie" not in _SHARED:
        _SHARED["magpie"] = _build_matminer_featurizer()
    return _SHARED["magpie"]


def _build_matminer_featurizer() -> MultipleFeaturizer:
    featurizer = MultipleFeaturizer([
        ElementProperty.from_preset("magpie", impute_nan=True),
        Stoichiometry(),
        ValenceOrbital(),
        ElementGroups(),
    ])
    featurizer.set_n_jobs(1)  # a pool costs more than featurizing a handful of compositions
    return featurizer


@lru_cache(maxsize=8192)
def _featurized(formula: str) -> np.ndarray:
    """One composition's features, kept for the process: cross-validation clones the featurizer for every fold and
    model, and the same few dozen materials would otherwise be featurized again each time (45 % of an evaluation's
    time). Read-only, since every caller shares the array."""
    vector = np.asarray(_matminer_featurizer().featurize(Composition(formula)), dtype=float)
    vector.setflags(write=False)
    return vector


class CompositionFeatures:
    """magpie ElementProperty + Stoichiometry + ValenceOrbital + ElementGroups of one material, memoised per
    composition for the whole process, so that no material is featurized twice."""

    def __init__(self) -> None:
        self._featurizer = _matminer_featurizer()

    def feature_labels(self) -> list[str]:
        return self._featurizer.feature_labels()

    def citations(self) -> list[str]:
        return self._featurizer.citations()

    def __call__(self, formula: str) -> np.ndarray:
        return _featurized(formula)

    def __setstate__(self, state: dict) -> None:
        """An unpickled model brings matminer's element tables with it: the process need not load them again."""
        self.__dict__.update(state)
        _SHARED.setdefault("magpie", self._featurizer)
