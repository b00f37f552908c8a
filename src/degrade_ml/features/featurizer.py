"""Featurization of a whole interface (SE + electrode + optional coating + conditions) as one
scikit-learn transformer, so that a fitted pipeline carries its features with it."""

from __future__ import annotations

import functools
import hashlib

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from degrade_ml.chemistry.formulas import formula_elements, parse_formula
from degrade_ml.chemistry.rules import VOID_FREE_PRESSURE_MPA
from degrade_ml.features.composition import CompositionFeatures, ElementGroups
from degrade_ml.features.prior import ChemistryPrior
from degrade_ml.features.thermo import AT_POTENTIAL, SCALARS, ThermoFeatures, thermo_engine, thermo_features
from degrade_ml.rows import distinct_columns, object_array
from degrade_ml.thermo.batch import InterfaceBatch, analyse_interfaces
from degrade_ml.vocab import (
    CONDITION_COLUMNS, DEGRADATION_MODES, MATERIAL_COLUMNS, PRODUCT_CLASSES, ROLES, STABILITY_CLASSES,
)

INPUT_COLUMNS: tuple[str, ...] = (
    "se_formula", "electrode_formula", "coating_formula", "electrode_role", *CONDITION_COLUMNS, "potential_V",
)
# Of the stated conditions only the voltage is a feature (the potential acts through the thermodynamics as well).
# Temperature and stack pressure are not: 7 and 8 of the 108 records state one, and a forest given them learned only
# whether a study stated them (stating 25 °C moved p(LiX) at Li metal by 0.09), not what they do.
MODEL_CONDITIONS: tuple[str, ...] = ("voltage_V",)
_PRIOR = ChemistryPrior()  # rules, no state


@functools.cache
def feature_layout() -> tuple[dict[str, slice], np.ndarray]:
    """The column range of every named block and the name of every column: fixed by the featurizers, not by data."""
    labels = CompositionFeatures().feature_labels()
    groups = len(ElementGroups().feature_labels()) // 2  # the `has <group>` flags close each material's labels
    prior = ChemistryPrior().feature_labels()
    thermo = ThermoFeatures().feature_labels()
    blocks = {
        **{block: [f"{material}: {label}" for label in part]
           for material in MATERIAL_COLUMNS
           for block, part in ((f"{material} composition", labels[:-groups]), (f"{material} groups", labels[-groups:]))},
        "coating present": ["coating: present"],
        "pair": [f"SE−electrode: {labels[i].removeprefix('MagpieData ')}" for i in _mean_positions()],
        **_split("prior", prior, {"allowed products": len(PRODUCT_CLASSES), "rule products": len(PRODUCT_CLASSES),
                                  "rule stability": len(STABILITY_CLASSES), "rule modes": len(DEGRADATION_MODES),
                                  "allowed modes": len(DEGRADATION_MODES)}),
        "role": ["role: anode"],
        "conditions": [f"condition: {c}" for c in MODEL_CONDITIONS],
        **_split("thermo", thermo, {"thermo at potential": len(AT_POTENTIAL), "thermo window": len(SCALARS) - len(AT_POTENTIAL),
                                    "thermo products": len(PRODUCT_CLASSES), "thermo stability": len(STABILITY_CLASSES)}),
    }
    spans, start = {}, 0
    for name, names in blocks.items():
        spans[name] = slice(start, start + len(names))
        start += len(names)
    return spans, np.array([name for names in blocks.values() for name in names])


@functools.cache
def feature_layout_hash() -> str:
    """A digest of every feature's name in order: heads fitted on another layout would read the wrong columns."""
    return hashlib.sha256("\n".join(feature_layout()[1]).encode()).hexdigest()


def feature_names() -> list[str]:
    return list(feature_layout()[1])


def block(features: np.ndarray, name: str) -> np.ndarray:
    """The columns of one named block of a feature matrix."""
    return features[:, feature_layout()[0][name]]


def columns(*blocks: str) -> list[int]:
    """Column indices of the named blocks, in the order given (KeyError naming an unknown block)."""
    spans = feature_layout()[0]
    unknown = [b for b in blocks if b not in spans]
    if unknown:
        raise KeyError(f"no feature block(s) {unknown}; blocks are {list(spans)}")
    return [i for b in blocks for i in range(spans[b].start, spans[b].stop)]


@functools.cache
def _mean_positions() -> list[int]:
    return [i for i, label in enumerate(CompositionFeatures().feature_labels()) if label.startswith("MagpieData mean")]


class InterfaceFeaturizer(TransformerMixin, BaseEstimator):
    """Rows of (se_formula, electrode_formula, coating_formula, electrode_role, conditions, potential_V) → features:
    a DataFrame with those columns (INPUT_COLUMNS; others are ignored), or a 2-D array of them in that order. Each
    row is checked first: formulas of the SE and electrode given, the role an anode or a cathode, numbers numeric.

    Per material: magpie, stoichiometry, valence orbitals and element groups (coating zeros when absent).
    Pair: SE minus electrode for every magpie mean (driving force across the interface).
    Prior: element-allowed and rule-expected product classes. Conditions stay NaN when unstated.
    Thermo: the SE window against the electrode potential, contact reaction energies, thermodynamic products.
    Stateless: it learns nothing, so its columns (`feature_layout`, `columns`) are known before any data. Each
    distinct composition (and interface, for thermo) is featurized once per process, then rows are gathered by index.
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        # a table of named text columns (formulas, the electrode role) and numbers, not a numeric matrix
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: pd.DataFrame | np.ndarray, y=None) -> "InterfaceFeaturizer":
        """Checks the rows; nothing is learned."""
        interface_rows(X)
        return self

    @property
    def composition_features(self) -> CompositionFeatures:
        """The per-material featurizer (created on first use; its features are kept for the process)."""
        if "_composition" not in self.__dict__:
            self._composition = CompositionFeatures()
        return self._composition

    def transform(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        return self.transform_with_thermo(X)[0]

    def transform_with_thermo(self, X: pd.DataFrame | np.ndarray) -> tuple[np.ndarray, InterfaceBatch]:
        """The features, and the interfaces' thermodynamics they were read from (the output columns read it too).
        The blocks are written into one matrix allocated once (stacking them copied 20,000 × 614 values again)."""
        frame = interface_rows(X)
        coatings = frame["coating_formula"].fillna("").astype(str)
        spans, names = feature_layout()
        features = np.empty((len(frame), len(names)))
        materials = zip(MATERIAL_COLUMNS, (frame["se_formula"].astype(str), frame["electrode_formula"].astype(str),
                                           coatings.where(coatings != "", None)))
        for material, formulas in materials:
            features[:, spans[f"{material} composition"].start:spans[f"{material} groups"].stop] = self._material_block(formulas)
        means = _mean_positions()
        se, electrode = (features[:, spans[f"{m} composition"].start:][:, means] for m in MATERIAL_COLUMNS[:2])
        features[:, spans["pair"]] = se - electrode
        features[:, spans["coating present"]] = (coatings != "").to_numpy(dtype=float)[:, None]
        features[:, spans["allowed products"].start:spans["allowed modes"].stop] = self._prior_block(frame, coatings)
        features[:, spans["role"]] = (frame["electrode_role"] == "anode").to_numpy(dtype=float)[:, None]
        features[:, spans["conditions"]] = frame[list(MODEL_CONDITIONS)].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        thermo = analyse_interfaces(thermo_engine(), frame["se_formula"], frame["electrode_formula"], coatings,
                                    pd.to_numeric(frame["potential_V"], errors="coerce"))
        features[:, spans["thermo at potential"].start:spans["thermo stability"].stop] = thermo_features(thermo)
        return features, thermo

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return feature_layout()[1].copy()

    def _material_block(self, formulas: pd.Series) -> np.ndarray:
        width = len(self.composition_features.feature_labels())
        codes, uniques = pd.factorize(formulas, use_na_sentinel=True)
        table = np.vstack([self.composition_features(f) for f in uniques] + [np.zeros(width)])
        return table[codes]  # code -1 (no coating) picks the zero row

    def _prior_block(self, frame: pd.DataFrame, coatings: pd.Series) -> np.ndarray:
        """The prior depends on the SE and the electrode (their amounts too: an SE's free sulfide, a Ni-rich layered
        oxide), on which elements the coating holds, on the role and on whether a stated stack pressure refills voids,
        so it is computed once per distinct pattern of these, from the first interface showing it."""
        pressure = pd.to_numeric(frame["pressure_MPa"], errors="coerce")
        refilled = (pressure >= VOID_FREE_PRESSURE_MPA).to_numpy()
        first, codes = distinct_columns([*(pd.factorize(frame[c].to_numpy(dtype=object))[0]
                                           for c in ("se_formula", "electrode_formula")),
                                         _element_pattern_codes(coatings), frame["electrode_role"].to_numpy(), refilled])
        rows = [
            _PRIOR.featurize(parse_formula(se), parse_formula(el), parse_formula(co) if co else None, role,
                             None if np.isnan(stated) else float(stated))
            for se, el, co, role, stated in zip(*(series.iloc[first] for series in (
                frame["se_formula"], frame["electrode_formula"], coatings, frame["electrode_role"], pressure)))
        ]
        return np.asarray(rows, dtype=float)[codes]


def _element_pattern_codes(formulas: pd.Series) -> np.ndarray:
    """Each formula's set of elements as a code (equal sets, equal codes; none for ""), read once per distinct formula."""
    codes, uniques = pd.factorize(formulas.to_numpy(dtype=object))
    patterns = pd.factorize(object_array([formula_elements(f) if f else frozenset() for f in uniques]))[0]
    return patterns[codes]


def _split(source: str, labels: list[str], sizes: dict[str, int]) -> dict[str, list[str]]:
    """Consecutive runs of a featurizer's labels as named blocks, `<source>: <label>` each."""
    if sum(sizes.values()) != len(labels):
        raise ValueError(f"{source} blocks {sizes} do not cover its {len(labels)} labels")
    blocks, start = {}, 0
    for name, size in sizes.items():
        blocks[name] = [f"{source}: {label}" for label in labels[start:start + size]]
        start += size
    return blocks


def interface_rows(X: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    """X as a frame of the INPUT_COLUMNS (index reset), or ValueError naming the first bad column or value."""
    if isinstance(X, np.ndarray) and X.ndim == 2 and X.shape[1] == len(INPUT_COLUMNS):
        X = pd.DataFrame(X, columns=list(INPUT_COLUMNS))
    if not isinstance(X, pd.DataFrame):
        shape = getattr(X, "shape", None)
        raise ValueError(f"InterfaceFeaturizer takes a DataFrame or a 2-D array of the {len(INPUT_COLUMNS)} columns "
                         f"{list(INPUT_COLUMNS)}, got {type(X).__name__}" + (f" of shape {shape}" if shape else ""))
    missing = [c for c in INPUT_COLUMNS if c not in X.columns]
    if missing:
        raise ValueError(f"interface rows lack column(s) {missing}")
    frame = X.reset_index(drop=True)
    for column in ("se_formula", "electrode_formula"):
        _first_bad(frame[column], frame[column].isna() | frame[column].eq(""), "needs a formula")
    _first_bad(frame["electrode_role"], ~frame["electrode_role"].isin(ROLES), f"must be one of {list(ROLES)}")
    for column in (*CONDITION_COLUMNS, "potential_V"):
        values = frame[column]
        if values.dtype.kind not in "fiub":  # text cells: empty is unstated, anything else must read as a number
            given = values.notna() & values.ne("")
            _first_bad(values, given & pd.to_numeric(values, errors="coerce").isna(), "must be a number")
    return frame


def _first_bad(values: pd.Series, bad: pd.Series, rule: str) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"interface row {row}: {values.name} {values.iloc[row]!r} {rule}")
