"""Which columns of X the heads and baselines read, and what each holds.

The heads learn where the literature departs from what the chemistry rule and thermodynamics expect of each label,
so they read those expectations at known positions of X. The positions are a constructor parameter (`columns`) of
every estimator that reads them: "interface" is the layout `InterfaceFeaturizer` produces (the product's, set by
`pipeline.interface_model`); a `Columns` names any other; None, the default, names none (then a head is a plain
forest over X, and a baseline has nothing to read).

With columns named, y has one output per product class (0/1), then one of stability classes, then one per
degradation mode (0/1), in the order of the columns (`targets.target_array` builds it from typed targets)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from degrade_ml.features.featurizer import columns as block_columns, feature_names
from degrade_ml.vocab import STABILITY_CLASSES

# Which element groups each material holds, not how much: coarse enough to generalise from a few dozen
# interfaces (product micro-F1 across SE families 0.571 against 0.528 with atomic fractions added).
CHEMISTRY_BLOCKS: tuple[str, ...] = ("se groups", "electrode groups", "coating groups", "coating present", "role")
# ... with the stated conditions and the interface's thermodynamics at the electrode potential (window edges against
# the potential, reaction energies), not its expectations, which enter per label
CONTEXT_BLOCKS: tuple[str, ...] = (*CHEMISTRY_BLOCKS, "conditions", "thermo at potential")


@dataclass(frozen=True)
class Columns:
    """Column indices of X by what they hold. One product output per `rule_products` column (its thermodynamic
    expectation and element gate at the same position of `thermo_products` and `allowed_products`), one stability
    output with a class per `stability_classes` entry, one mode output per `rule_modes` column (its gate at the same
    position of `allowed_modes`); `inside_table` is the
    0/1 column saying that thermodynamics (not only the rule) answers the row."""

    context: tuple[int, ...]
    rule_products: tuple[int, ...]
    thermo_products: tuple[int, ...]
    allowed_products: tuple[int, ...]
    stability_classes: tuple[str, ...]
    rule_stability: tuple[int, ...]
    thermo_stability: tuple[int, ...]
    rule_modes: tuple[int, ...]
    allowed_modes: tuple[int, ...]
    inside_table: int

    def __post_init__(self):
        sizes = {len(self.rule_products), len(self.thermo_products), len(self.allowed_products)}
        classes = {len(self.stability_classes), len(self.rule_stability), len(self.thermo_stability)}
        modes = {len(self.rule_modes), len(self.allowed_modes)}
        if len(sizes) > 1 or len(classes) > 1 or len(modes) > 1:
            raise ValueError(f"Columns: products name {sorted(sizes)} columns, stability {sorted(classes)} and modes "
                             f"{sorted(modes)}; each needs the same number in every part")

    @property
    def n_products(self) -> int:
        return len(self.rule_products)

    @property
    def n_outputs(self) -> int:
        return self.n_products + 1 + len(self.rule_modes)

    @property
    def width(self) -> int:
        """The fewest columns X must have for every named index to exist."""
        named = (*self.context, *self.rule_products, *self.thermo_products, *self.allowed_products,
                 *self.rule_stability, *self.thermo_stability, *self.rule_modes, *self.allowed_modes, self.inside_table)
        return max(named) + 1


@functools.cache
def interface_columns() -> Columns:
    """The layout of `InterfaceFeaturizer`'s matrix."""
    return Columns(
        context=tuple(block_columns(*CONTEXT_BLOCKS)),
        rule_products=tuple(block_columns("rule products")),
        thermo_products=tuple(block_columns("thermo products")),
        allowed_products=tuple(block_columns("allowed products")),
        stability_classes=STABILITY_CLASSES,
        rule_stability=tuple(block_columns("rule stability")),
        thermo_stability=tuple(block_columns("thermo stability")),
        rule_modes=tuple(block_columns("rule modes")),
        allowed_modes=tuple(block_columns("allowed modes")),
        inside_table=feature_names().index("thermo: inside the table"),
    )


def resolve(columns: str | Columns | None, n_features: int, owner: str) -> Columns | None:
    """The `columns` parameter as a layout checked against X's width (None: no columns named)."""
    if columns is None:
        return None
    if isinstance(columns, str) and columns == "interface":
        columns = interface_columns()
    if not isinstance(columns, Columns):
        raise ValueError(f"{owner}: columns must be 'interface', a Columns or None, got {columns!r}")
    if n_features < columns.width:
        raise ValueError(f"{owner} reads X's columns by position (up to column {columns.width - 1}); "
                         f"X has {n_features} features")
    return columns
