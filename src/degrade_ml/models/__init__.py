"""Estimators: the interface model, its baselines and its applicability domain."""

from degrade_ml.models.baselines import ChemistryRuleBaseline, MajorityBaseline, ThermoBaseline
from degrade_ml.models.interface_model import InterfaceModel, Probabilities, record_inputs, record_targets

__all__ = ["ChemistryRuleBaseline", "InterfaceModel", "MajorityBaseline", "Probabilities", "ThermoBaseline", "record_inputs", "record_targets"]
