"""The interface model as one scikit-learn object: query rows → features → the heads' probability arrays."""

from __future__ import annotations

from sklearn.pipeline import Pipeline

from degrade_ml.features.featurizer import InterfaceFeaturizer
from degrade_ml.models.heads import InterfaceHeads


def with_featurizer(heads) -> Pipeline:
    """`Pipeline(featurizer, heads)`: fit on query rows (`record_inputs`) and the multi-output y of
    `targets.target_array`, predict one probability array per output from query rows."""
    return Pipeline([("featurizer", InterfaceFeaturizer()), ("heads", heads)])


def interface_model(**params) -> Pipeline:
    """The shipped model: the featurizer, then `InterfaceHeads(**params)` reading the featurizer's column layout."""
    return with_featurizer(InterfaceHeads(**{"columns": "interface", **params}))
