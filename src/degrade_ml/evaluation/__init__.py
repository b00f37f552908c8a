"""Honest evaluation: grouped splits, the model beside its baselines on the same folds, and the report."""

from degrade_ml.evaluation.cv import SCHEMES, Fold, cross_validate_models, grouped_folds
from degrade_ml.evaluation.run import HEADLINE, Evaluation, evaluate

__all__ = ["HEADLINE", "SCHEMES", "Evaluation", "Fold", "cross_validate_models", "evaluate", "grouped_folds"]
