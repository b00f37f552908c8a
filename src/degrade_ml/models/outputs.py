"""scikit-learn's multi-output classifier contract, shared by the heads and the baselines.

As `MultiOutputClassifier`: `fit(X, y)` with y of shape (rows, outputs), one column per output (a 1-D y is one
output); `predict` gives (rows, outputs) labels (1-D for a 1-D y); `predict_proba` one (rows, classes) array per
output (one array for a 1-D y), its columns in the order of that output's `classes_`.

Unlabelled entries are None (a record that states no stability, or no products): each output learns from the rows
that label it. NaN is refused, as scikit-learn refuses it in y."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from degrade_ml.models.layout import Columns, resolve
from degrade_ml.models.targets import product_decisions


def labelled_values(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of one output that hold a label, and their labels as a plain (numeric or text) array."""
    rows = ~pd.isna(column)
    values = column[rows]
    if values.dtype == object:
        values = np.asarray(values.tolist())
    check_classification_targets(values)
    return rows, values


def binary_outputs(present: np.ndarray) -> list[np.ndarray]:
    """(rows, labels) P(present) as one (rows, 2) array per label, classes (0, 1)."""
    return [np.column_stack([1 - p, p]) for p in np.asarray(present).T]


class OutputsMixin(ClassifierMixin):
    """`predict` and `score` from `predict_proba`, the validation of y, and the classes of outputs whose classes the
    layout fixes (`columns_`): with columns named, each product and mode output has classes (0, 1) and the stability
    output those of `Columns.stability_classes`, whichever of them the training rows hold."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # unstated conditions, thermodynamics outside the phase table
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags

    def _fit_outputs(self, X, y, columns: str | Columns | None) -> tuple[np.ndarray, np.ndarray]:
        """X and y validated, y as (rows, outputs); records `columns_`, `n_outputs_`, `classes_`."""
        X, y = validate_data(self, X, y, multi_output=True, ensure_all_finite="allow-nan", y_numeric=False)
        self.one_output_ = y.ndim == 1
        y = y.reshape(len(y), -1)
        self.columns_ = resolve(columns, X.shape[1], type(self).__name__)
        self.n_outputs_ = y.shape[1]
        if self.columns_ is None:
            classes = [np.unique(labelled_values(y[:, j])[1]) for j in range(self.n_outputs_)]
        else:
            if self.n_outputs_ != self.columns_.n_outputs:
                raise ValueError(f"{type(self).__name__}: y has {self.n_outputs_} output(s); its columns name "
                                 f"{self.columns_.n_outputs} (products, stability, modes)")
            binary = np.array([0, 1])
            classes = [binary] * self.columns_.n_products + [np.array(self.columns_.stability_classes, dtype=object)]
            classes += [binary] * (self.n_outputs_ - len(classes))
            for j, known in enumerate(classes):
                unknown = set(labelled_values(y[:, j])[1].tolist()) - set(known.tolist())
                if unknown:
                    raise ValueError(f"{type(self).__name__}: output {j} holds {sorted(map(str, unknown))[:3]}; "
                                     f"its classes are {known.tolist()}")
        self.classes_ = classes[0] if self.one_output_ else classes
        return X, y

    def _features(self, X) -> np.ndarray:
        """The matrix to predict from: as many columns as in fit."""
        check_is_fitted(self, "n_outputs_")
        return validate_data(self, X, reset=False, ensure_all_finite="allow-nan")

    def _as_outputs(self, arrays: list[np.ndarray]) -> list[np.ndarray] | np.ndarray:
        return arrays[0] if self.one_output_ else arrays

    def _classes(self) -> list[np.ndarray]:
        return [self.classes_] if self.one_output_ else self.classes_

    def predict(self, X) -> np.ndarray:
        """Each output's most probable class; with columns named, the product classes `product_decisions` lists
        (told in one story with the stability) and the modes at p ≥ 0.5."""
        proba = self.predict_proba(X)
        arrays = [proba] if self.one_output_ else proba
        labels = [classes[np.argmax(p, axis=1)] for p, classes in zip(arrays, self._classes())]
        if self.columns_ is not None:
            k = self.columns_.n_products
            stability = arrays[k]
            decided = product_decisions(np.column_stack([p[:, 1] for p in arrays[:k]]), stability).astype(int)
            labels[:k] = list(decided.T)
        if self.one_output_:
            return labels[0]
        if len({np.asarray(label).dtype.kind for label in labels}) == 1:
            return np.column_stack(labels)
        mixed = np.empty((len(labels[0]), len(labels)), dtype=object)  # 0/1 products and modes beside class names
        for j, label in enumerate(labels):
            mixed[:, j] = label
        return mixed

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy over the labelled entries of every output (each output weighs the same)."""
        y = np.asarray(y)
        y = y.reshape(len(y), -1)
        predicted = np.asarray(self.predict(X)).reshape(len(y), -1)
        weights = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        scores = []
        for j in range(y.shape[1]):
            rows, values = labelled_values(y[:, j])
            hits = np.asarray(predicted[rows, j] == values, dtype=float)
            scores.append(np.average(hits, weights=weights[rows]))
        return float(np.mean(scores))
