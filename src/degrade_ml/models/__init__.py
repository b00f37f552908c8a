"""Estimators: the heads of the interface model, its baselines and its applicability domain, behind one featurizer."""

from degrade_ml.models.baselines import ChemistryRuleBaseline, MajorityBaseline, ThermoBaseline
from degrade_ml.models.heads import InterfaceHeads
from degrade_ml.models.pipeline import interface_model, with_featurizer
from degrade_ml.models.targets import Probabilities, record_inputs, record_targets, target_array

__all__ = ["ChemistryRuleBaseline", "InterfaceHeads", "MajorityBaseline", "Probabilities", "ThermoBaseline",
           "interface_model", "record_inputs", "record_targets", "target_array", "with_featurizer"]
