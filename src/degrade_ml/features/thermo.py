"""What thermodynamics says about an interface, as features: the SE window against the electrode potential,
the reaction energy of every contact, the product classes the contacts form and the stability that follows.

Stability from thermodynamics (the thermodynamic baseline of SPEC §6): what the interphase conducts decides how it
grows (`thermo.conduction`: insulators passivate, one electronic conductor keeps the reaction going); the stronger the
driving force (the most negative reaction energy of the contacts present, the SE's own decomposition at the potential
included), the less likely the interface stays stable by kinetics, p(stable) = exp(-|E|/E0) with E0 fixed a priori."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from matminer.featurizers.base import BaseFeaturizer

from degrade_ml.thermo.conduction import interphase_stability
from degrade_ml.thermo.engine import ThermoCoverageError, ThermoEngine, default_engine
from degrade_ml.thermo.stack import InterfaceThermo, analyse_interface
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

ENERGY_SCALE_MEV = 300.0  # E0: a reaction of 300 meV/atom leaves p(stable) = 1/e; not fitted to the records
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


def thermo_stability(interphase: str, driving_force_meV: float) -> dict[str, float]:
    """Probabilities of stable / passivating / continuous from the interphase's class (`interphase_stability`) and
    the driving force: a reacting interface keeps exp(-E/E0) of staying stable by kinetics."""
    stable = 1.0 if interphase == "stable" else math.exp(-max(driving_force_meV, 0.0) / ENERGY_SCALE_MEV)
    return {k: stable if k == "stable" else (1 - stable if k == interphase else 0.0) for k in STABILITY_CLASSES}


class ThermoFeatures(BaseFeaturizer):
    """Scalars of the interface thermodynamics, then `thermo expects <class>` for every product and stability class.
    A material outside the phase-energy table gives NaN scalars, no expectations and `inside the table` 0.
    The engine is this featurizer's data source (None: the shipped table's), as matminer featurizers take theirs."""

    def __init__(self, engine: ThermoEngine | None = None):
        self.engine = engine

    def featurize(self, se: str, electrode: str, coating: str, potential_V: float) -> list[float]:
        engine = self.engine or thermo_engine()
        potential = None if potential_V is None or math.isnan(potential_V) else round(float(potential_V), 4)
        key = ("thermo features", se, electrode, coating or "", potential)
        return list(engine.memoised(key, lambda: _featurize(engine, se, electrode, coating or "", potential)))

    def feature_labels(self) -> list[str]:
        return ([*SCALARS] + [f"expects {k}" for k in PRODUCT_CLASSES] + [f"expects {k}" for k in STABILITY_CLASSES])

    def citations(self) -> list[str]:
        return ["Richards et al., Chem. Mater. 2016, 28, 266 (interface reactions)",
                "Zhu, He & Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b], windows)"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]


def _featurize(engine: ThermoEngine, se: str, electrode: str, coating: str, potential_V: float | None) -> tuple[float, ...]:
    try:
        result = analyse_interface(engine, se, electrode, coating, potential_V)
    except ThermoCoverageError:
        return (0.0,) + (math.nan,) * (len(SCALARS) - 2) + (0.0,) * (1 + len(PRODUCT_CLASSES) + len(STABILITY_CLASSES))
    window = result.window
    potential = result.potential_V
    red = window.reduction_limit_V
    ox = window.oxidation_limit_V
    beyond = max(0.0, potential - ox) if potential is not None and ox is not None else math.nan
    below = max(0.0, red - potential) if potential is not None and red is not None else math.nan
    energies = [c.reaction_energy_meV_atom / 1000 if c is not None else 0.0
                for c in (result.se_electrode, result.se_coating, result.coating_electrode)]
    decomposition = result.se_decomposition_energy_meV_atom or 0.0
    reacts = bool(result.se_decomposition) or any(c.reacts for c in result.contacts_present)
    stability = thermo_stability(interphase_stability(result.phases, reacts, electrode), driving_force_meV(result))
    scalars = [float(potential is not None), _nan(potential), beyond, below, *energies, decomposition / 1000,
               _nan(red), _nan(ox), 1.0]
    return tuple(scalars + [float(k in result.product_classes) for k in PRODUCT_CLASSES]
                 + [stability[k] for k in STABILITY_CLASSES])


def driving_force_meV(result: InterfaceThermo) -> float:
    """The interface's total driving force (meV/atom, ≥ 0): every contact that exists, plus the own decomposition at
    the electrode potential of the material touching the electrode (the bare SE, or the coating, which spares the SE
    that potential). Summed as independent hazards, so that a cathode's own chemistry still counts when the SE's
    oxidation at that potential is the same for every cathode (LiCoO2, NMC, LiMn2O4 and LiFePO4 at 4.3 V)."""
    energies = [c.reaction_energy_meV_atom for c in result.contacts_present]
    if result.se_coating is None:
        energies.append(result.se_decomposition_energy_meV_atom or 0.0)
    elif result.coating_electrode is not None:
        energies.append(result.coating_electrode.decomposition_energy_a_meV_atom)
    return sum(max(-e, 0.0) for e in energies)


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)
