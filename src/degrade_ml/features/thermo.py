"""What thermodynamics says about an interface, as features: the SE window against the electrode potential,
the reaction energy of every contact, the product classes the contacts form and the stability that follows.

Stability from thermodynamics (the thermodynamic baseline of SPEC §6): what the interphase conducts decides how it
grows (`thermo.conduction`: insulators passivate, one electronic conductor keeps the reaction going); the stronger the
driving force (the most negative reaction energy of the contacts present, the SE's own decomposition at the potential
included), the less likely the interface stays stable by kinetics, p(stable) = exp(-|E|/E0) with E0 set by the spread of driving forces (`thermo.batch.kinetic_survival`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
from matminer.featurizers.base import BaseFeaturizer

from degrade_ml.thermo.batch import InterfaceBatch, analyse_interfaces, kinetic_survival
from degrade_ml.thermo.engine import ThermoEngine, default_engine
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

# what happens at the electrode potential (the model's context), then the SE's own window and table coverage
AT_POTENTIAL: tuple[str, ...] = (
    "potential known", "potential (V)", "beyond oxidation limit (V)", "below reduction limit (V)",
    "E_rxn SE|electrode (eV/atom)", "E_rxn SE|coating (eV/atom)", "E_rxn coating|electrode (eV/atom)",
    "SE decomposition at potential (eV/atom)",
)
SCALARS: tuple[str, ...] = (*AT_POTENTIAL, "SE window reduction (V)", "SE window oxidation (V)", "inside the table")
_ENGINE: ContextVar = ContextVar("thermo_engine", default=None)


def thermo_engine():
    """The engine the thermodynamic features and columns use: the one `using_engine` set (e.g. one answering the
    contacts a Spark screen computed on its executors), else the default engine of the shipped table."""
    return _ENGINE.get() or default_engine()


@contextmanager
def using_engine(engine) -> Iterator[None]:
    """Within the block, `thermo_engine()` is `engine`; it must answer exactly as the default engine does."""
    token = _ENGINE.set(engine)
    try:
        yield
    finally:
        _ENGINE.reset(token)


def thermo_stability(batch: InterfaceBatch) -> np.ndarray:
    """(n, 3) probabilities of stable / passivating / continuous from the interphase's class (`interphase_stability`)
    and the driving force: a reacting interface keeps exp(-E/E0) of staying stable by kinetics. A coating that holds
    still leaves gaps where the SE meets a reacting electrode: the share its leak of driving force takes from stable
    goes to the interphase the bare interface forms."""
    forces, of_row = np.unique(batch.driving_force_meV, return_inverse=True)  # a batch repeats few driving forces
    kinetic = kinetic_survival(forces)[of_row.reshape(-1)]
    holds = batch.interphase == "stable"
    stable = np.where(holds & (batch.bare_interphase == "stable"), 1.0, kinetic)
    degrades_to = np.where(holds, batch.bare_interphase, batch.interphase)
    return np.column_stack([stable if k == "stable" else np.where(degrades_to == k, 1 - stable, 0.0)
                            for k in STABILITY_CLASSES])


def thermo_features(batch: InterfaceBatch) -> np.ndarray:
    """The features of every interface of the batch, in `ThermoFeatures.feature_labels` order."""
    potential, reduction, oxidation = batch.potential_V, batch.reduction_V, batch.oxidation_V
    beyond, below = potential - oxidation, reduction - potential
    own = batch.se_decomposition_energy
    scalars = [(~np.isnan(potential)).astype(float), potential,
               np.where(np.isnan(beyond), np.nan, np.where(beyond > 0.0, beyond, 0.0)),
               np.where(np.isnan(below), np.nan, np.where(below > 0.0, below, 0.0)),
               *(np.where(np.isnan(e), 0.0, e / 1000) for e in batch.erxn.T),
               np.where(np.isnan(own) | (own == 0), 0.0, own) / 1000, reduction, oxidation, np.ones(len(batch))]
    features = np.hstack([np.column_stack(scalars), batch.classes.astype(float), thermo_stability(batch)])
    outside = ~batch.covered  # no thermodynamics: the potential known or not, nothing else
    features[outside] = 0.0
    features[outside, 1:len(SCALARS) - 1] = np.nan
    return features


class ThermoFeatures(BaseFeaturizer):
    """Scalars of the interface thermodynamics, then `thermo expects <class>` for every product and stability class.
    A material outside the phase-energy table gives NaN scalars, no expectations and `inside the table` 0.
    The engine is this featurizer's data source (None: the shipped table's), as matminer featurizers take theirs."""

    def __init__(self, engine: ThermoEngine | None = None):
        self.engine = engine

    def featurize(self, se: str, electrode: str, coating: str, potential_V: float) -> list[float]:
        engine = self.engine or thermo_engine()
        potential = np.nan if potential_V is None else float(potential_V)
        return list(thermo_features(analyse_interfaces(engine, [se], [electrode], [coating or ""], [potential]))[0])

    def feature_labels(self) -> list[str]:
        return ([*SCALARS] + [f"expects {k}" for k in PRODUCT_CLASSES] + [f"expects {k}" for k in STABILITY_CLASSES])

    def citations(self) -> list[str]:
        return ["Richards et al., Chem. Mater. 2016, 28, 266 (interface reactions)",
                "Zhu, He & Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b], windows)"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]
