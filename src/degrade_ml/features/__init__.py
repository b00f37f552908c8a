"""Features of an interface: per-material composition features, pair features, conditions and chemistry priors."""

from degrade_ml.features.composition import CompositionFeatures, ElementGroups
from degrade_ml.features.featurizer import InterfaceFeaturizer
from degrade_ml.features.prior import ChemistryPrior

__all__ = ["ChemistryPrior", "CompositionFeatures", "ElementGroups", "InterfaceFeaturizer"]
