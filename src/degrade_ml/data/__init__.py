"""Records of the knowledge base: loading, validation and summaries."""

from degrade_ml.data.load import DataValidationError, Dataset, Problem, default_data_dir, load_dataset, validate_dir

__all__ = ["DataValidationError", "Dataset", "Problem", "default_data_dir", "load_dataset", "validate_dir"]
