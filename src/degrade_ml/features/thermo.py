"""What thermodynamics says about an interface, as features: the SE window against the electrode potential,
the reaction energy of every contact, the product classes the contacts form and the stability that follows.

Stability from thermodynamics (the thermodynamic baseline of SPEC §6): what the interphase conducts decides how it
grows (`thermo.conduction`: insulators passivate, one electronic conductor keeps the reaction going); the stronger the
driving force (the most negative reaction energy of the contacts present, the SE's own decomposition at the potential
included), the less likely the interface stays stable by kinetics, p(stable) = exp(-|E|/E0) with E0 fixed a priori."""

from __future__ import annotations

import math
from functools import lru_cache

from matminer.featurizers.base import BaseFeaturizer

from degrade_ml.thermo.conduction import interphase_stability
from degrade_ml.thermo.engine import ThermoCoverageError, default_engine
from degrade_ml.thermo.interface import analyse_interface
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

ENERGY_SCALE_MEV = 300.0  # E0: a reaction of 300 meV/atom leaves p(stable) = 1/e; not fitted to the records
# what happens at the electrode potential (the model's context), then the SE's own window and table coverage
AT_POTENTIAL: tuple[str, ...] = (
    "potential known", "potential (V)", "beyond oxidation limit (V)", "below reduction limit (V)",
    "E_rxn SE|electrode (eV/atom)", "E_rxn SE|coating (eV/atom)", "E_rxn coating|electrode (eV/atom)",
)
SCALARS: tuple[str, ...] = (*AT_POTENTIAL, "SE window reduction (V)", "SE window oxidation (V)", "inside the table")


def thermo_stability(interphase: str, driving_force_meV: float) -> dict[str, float]:
    """Probabilities of stable / passivating / continuous from the interphase's class (`interphase_stability`) and
    the driving force: a reacting interface keeps exp(-|E|/E0) of staying stable by kinetics."""
    stable = 1.0 if interphase == "stable" else math.exp(-max(driving_force_meV, 0.0) / ENERGY_SCALE_MEV)
    return {k: stable if k == "stable" else (1 - stable if k == interphase else 0.0) for k in STABILITY_CLASSES}


class ThermoFeatures(BaseFeaturizer):
    """Scalars of the interface thermodynamics, then `thermo expects <class>` for every product and stability class.
    A material outside the phase-energy table gives NaN scalars, no expectations and `inside the table` 0."""

    def featurize(self, se: str, electrode: str, coating: str, potential_V: float) -> list[float]:
        return list(_featurize(se, electrode, coating or "", None if potential_V is None or math.isnan(potential_V) else float(potential_V)))

    def feature_labels(self) -> list[str]:
        return ([*SCALARS] + [f"expects {k}" for k in PRODUCT_CLASSES] + [f"expects {k}" for k in STABILITY_CLASSES])

    def citations(self) -> list[str]:
        return ["Richards et al., Chem. Mater. 2016, 28, 266 (interface reactions)",
                "Zhu, He & Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b], windows)"]

    def implementors(self) -> list[str]:
        return ["degrade-ml"]


@lru_cache(maxsize=65536)
def _featurize(se: str, electrode: str, coating: str, potential_V: float | None) -> tuple[float, ...]:
    try:
        result = analyse_interface(default_engine(), se, electrode, coating, potential_V)
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
    driving_force = max((-c.reaction_energy_meV_atom for c in result.contacts_present), default=0.0)
    reacts = bool(result.se_decomposition) or any(c.reacts for c in result.contacts_present)
    stability = thermo_stability(interphase_stability(result.phases, reacts, electrode), driving_force)
    scalars = [float(potential is not None), _nan(potential), beyond, below, *energies, _nan(red), _nan(ox), 1.0]
    return tuple(scalars + [float(k in result.product_classes) for k in PRODUCT_CLASSES]
                 + [stability[k] for k in STABILITY_CLASSES])


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)

