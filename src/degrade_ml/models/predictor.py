"""The deployable whole: names → compositions → features → predictions in the columns of SPEC §4."""

from __future__ import annotations

import contextlib
import functools
import gc
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from degrade_ml.budget import OverBudget, Watchdog
from degrade_ml.chemistry.formulas import formula_elements, parse_formula
from degrade_ml.chemistry.phases import concrete_phases
from degrade_ml.chemistry.rules import strips_li, void_pressure_note
from degrade_ml.features.featurizer import columns, feature_layout_hash
from degrade_ml.features.thermo import thermo_engine
from degrade_ml.models.domain import LITERATURE, THERMODYNAMICS, ApplicabilityDomain, answer_basis
from degrade_ml.models.evidence import RECORD_COLUMNS
from degrade_ml.models.heads import within_reaction
from degrade_ml.models.layout import CHEMISTRY_BLOCKS
from degrade_ml.models.pipeline import interface_model
from degrade_ml.models.targets import CLASSES, Probabilities, record_inputs, record_targets, target_array
from degrade_ml.models.uncertainty import Uncertainty
from degrade_ml.query import Interface, QueryError, Resolver, model_inputs, with_query_columns
from degrade_ml.resolve import KnownFormulas, MaterialsTable, typo_warning
from degrade_ml.rows import (
    distinct_results, distinct_text_rows, flagged_keys, object_array, per_distinct_objects, shared_objects,
)
from degrade_ml.thermo.columns import THERMO_COLUMNS, THERMO_NUMERIC_COLUMNS, thermo_columns
from degrade_ml.thermo.batch import parts_first_needed
from degrade_ml.thermo.engine import ThermoCoverageError
from degrade_ml.thermo.stack import interface_parts
from degrade_ml.thermo.table import load_phase_table, table_hash
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

if TYPE_CHECKING:  # validation (pandera) is not needed to predict, only to train
    from degrade_ml.data.load import Dataset

# what each name resolved to, so that a reader sees which material and role were predicted
ECHO_COLUMNS: tuple[str, ...] = ("resolved_se_formula", "resolved_electrode_formula", "resolved_coating_formula", "electrode_role")
# enough places that two interfaces the model ranks apart (LiCoO2 and NMC111 at 4.3 V differ in the 5th) do not
# print as a tie
PROBABILITY_DECIMALS = 6
PROBABILITY_COLUMNS: tuple[str, ...] = tuple(f"p_{k}" for k in (*PRODUCT_CLASSES, *STABILITY_CLASSES))
OUTPUT_COLUMNS: tuple[str, ...] = (
    "products", *(f"p_{k}" for k in PRODUCT_CLASSES), "stability", *(f"p_{k}" for k in STABILITY_CLASSES),
    "degradation_modes", "product_phases", "in_domain", "answer_basis", "warnings", "error", *THERMO_COLUMNS,
    *ECHO_COLUMNS, "product_set",
)
# floats; the other output columns hold lists (products, modes, phases, warnings, thermo_products), a bool
# (in_domain) or text (answer_basis: "" when the answer abstains), and None where nothing is answered
NUMERIC_OUTPUT_COLUMNS: tuple[str, ...] = (*PROBABILITY_COLUMNS, *THERMO_NUMERIC_COLUMNS)


@dataclass
class InterfacePredictor:
    model: Pipeline  # the featurizer, then the heads (`models.pipeline.interface_model`)
    materials: pd.DataFrame
    domain: ApplicabilityDomain
    metadata: dict = field(default_factory=dict)
    records: pd.DataFrame = field(default_factory=pd.DataFrame)  # what the sources state, cited by --explain
    uncertainty: Uncertainty | None = None  # the shipped probability map and conformal sets (evaluation.shipping)

    @classmethod
    def train(cls, dataset: Dataset, **model_params) -> "InterfacePredictor":
        records = dataset.labelled("stated")
        inputs = record_inputs(records)
        model = interface_model(**model_params).fit(inputs, target_array(record_targets(records)))
        formulas = pd.concat([records[c] for c in ("se_formula", "electrode_formula", "coating_formula")])
        elements = frozenset().union(*(formula_elements(f) for f in formulas.unique() if f))
        domain = ApplicabilityDomain().fit(chemistry_flags(model["featurizer"].transform(inputs)), elements=elements)
        metadata = {"dataset_hash": dataset.content_hash, "phase_table_hash": table_hash(),
                    "feature_layout_hash": feature_layout_hash(), "records": int(len(records)),
                    "params": model["heads"].get_params()}
        return cls(model=model, materials=dataset.materials, domain=domain, metadata=metadata,
                   records=records[list(RECORD_COLUMNS)].reset_index(drop=True))

    def incompatibility(self) -> str:
        """Why this fitted predictor cannot answer with this install ("" when it can): trained on another phase-energy
        table (its thermodynamic features would not mean what they meant) or on another feature layout (its heads
        would read the wrong columns, silently)."""
        trained_on, shipped = self.metadata.get("phase_table_hash"), table_hash()
        if trained_on != shipped:
            return f"was trained on phase-energy table {str(trained_on)[:12]}, but this install ships {shipped[:12]}"
        if self.metadata.get("feature_layout_hash") != feature_layout_hash():
            return "was trained on other features than this install computes"
        return ""

    def featurize(self, resolved: pd.DataFrame) -> np.ndarray:
        """The feature matrix of resolved query rows (`query.model_inputs`)."""
        return self.model["featurizer"].transform(resolved)

    def composition_features(self, formula: str) -> np.ndarray:
        """One material's composition features, featurized once per predictor (a screen resolves each material once)."""
        return self.model["featurizer"].composition_features(formula)

    def explain(self, interface: Interface) -> list[dict]:
        """The facts about one resolved query whose removal moves its probabilities most (`models.explain`)."""
        from degrade_ml.models.explain import explain

        return explain(self.model["heads"], self.featurize(model_inputs([interface])))

    @cached_property
    def resolver(self) -> Resolver:
        """The one resolver over this predictor's materials table, built on first use and kept (never pickled)."""
        return Resolver(MaterialsTable(self.materials))

    @cached_property
    def known(self) -> KnownFormulas:
        """Formulas of the materials table and the phase-energy table, that a typed formula is read against
        (`resolve.typo_warning`)."""
        phases = load_phase_table()
        return KnownFormulas([*self.resolver.table.known_compositions().items(), *zip(phases.names, phases.compositions)])

    def __getstate__(self) -> dict:
        """The fitted state only: the resolver and the known formulas are rebuilt from it where it is loaded."""
        return {key: value for key, value in self.__dict__.items() if key not in ("resolver", "known")}

    def resolve(self, queries: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        """Model inputs (`query.model_inputs`) of every row that can be predicted, and each row's error ("" when none)."""
        outcomes = self.resolver.interfaces(queries)
        return (model_inputs([o for o in outcomes if isinstance(o, Interface)]),
                [o if isinstance(o, str) else "" for o in outcomes])

    def predict(self, queries: pd.DataFrame) -> pd.DataFrame:
        """Every input column, then the SPEC §4 output columns as Python values: lists of keys, floats, `in_domain`
        a bool, None where nothing is answered (a row error, or an abstention out of the domain, whose warnings say
        why). A bad row gets its `error` and the rest go on. Each distinct query is resolved and predicted once,
        then copied to every row that repeats it. `spec_strings.as_spec_strings` turns the result into SPEC cells."""
        return self._predict(queries)[1]

    def predict_one(self, query: dict) -> tuple[Interface, pd.Series]:
        """One query (a dict of query cells) in one call: what its names resolved to and its prediction row;
        QueryError with the row's one-line error when it cannot be predicted."""
        outcomes, result = self._predict(pd.DataFrame([query]))
        if isinstance(outcomes[0], str):
            raise QueryError(outcomes[0])
        return outcomes[0], result.iloc[0]

    def _predict(self, queries: pd.DataFrame) -> tuple[list[Interface | str], pd.DataFrame]:
        """The distinct queries resolved (an Interface, or the row's error) and the prediction of every row."""
        with _collector_paused():
            return self._predict_rows(queries)

    def _predict_rows(self, queries: pd.DataFrame) -> tuple[list[Interface | str], pd.DataFrame]:
        frame = with_query_columns(queries)
        first, codes = distinct_text_rows(frame)
        outcomes = self._within_budget(self.resolver.interfaces(frame.iloc[first]))
        ok = [i for i, outcome in enumerate(outcomes) if isinstance(outcome, Interface)]
        answered = self._predict_resolved(model_inputs([outcomes[i] for i in ok])) if ok else None
        errors = [o if isinstance(o, str) else "" for o in outcomes]
        result = queries.reset_index(drop=True).copy()
        for column in OUTPUT_COLUMNS:
            if column == "error":
                values = np.array(errors, dtype=object)
            else:
                values = np.full(len(errors), np.nan if column in NUMERIC_OUTPUT_COLUMNS else None,
                                 dtype=float if column in NUMERIC_OUTPUT_COLUMNS else object)
                if answered is not None:
                    values[ok] = answered[column].to_numpy()
            result[column] = values[codes]
        return outcomes, result

    def _within_budget(self, outcomes: list[Interface | str]) -> list[Interface | str]:
        """The costly part of every row (its thermodynamics, the typo check of its formulas) run once under the
        row's time budget, which leaves the results cached for the prediction; a row over budget, or whose
        thermodynamics fails, becomes its error, and the others go on. Only the rows that first need a window,
        contact or decomposition cost anything: the others (nearly all of a screen's) are not run again."""
        engine = thermo_engine()
        kept = list(outcomes)
        formulas = [o.formulas if isinstance(o, Interface) else ("", "", "") for o in outcomes]
        potentials = [o.potential_V if isinstance(o, Interface) else None for o in outcomes]
        costly = parts_first_needed(engine, *zip(*formulas), np.array(potentials, dtype=float)) if outcomes else []
        over = False  # once a row is over budget, its parts were not kept: every later row is checked again
        with Watchdog() as watchdog:
            for i, interface in enumerate(outcomes):
                if isinstance(interface, str) or not (costly[i] or over):
                    continue
                se, electrode, coating = interface.formulas
                try:
                    with watchdog.row():
                        with contextlib.suppress(ThermoCoverageError):  # the row's thermodynamic columns say why
                            interface_parts(engine, se, electrode, coating, interface.potential_V)
                        for formula in (se, electrode, coating):
                            if formula:
                                typo_warning(formula, self.known)
                except OverBudget as error:
                    kept[i], over = f"this query {error}; it was left out", True
                except ArithmeticError as error:  # a linear program the solver could not solve: this row alone
                    kept[i] = f"the thermodynamics of this query failed ({error}); it was left out"
        return kept

    def _predict_resolved(self, resolved: pd.DataFrame) -> pd.DataFrame:
        features, thermo_batch = self.model["featurizer"].transform_with_thermo(resolved)
        formulas = resolved[["se_formula", "electrode_formula", "coating_formula"]]
        # phases depend only on which elements each material holds; warnings also on the SE's own formula
        patterns = formulas.apply(lambda column: column.map(_element_key))
        chemistry = _per_distinct(
            pd.concat([formulas["se_formula"], patterns[["electrode_formula", "coating_formula"]]], axis=1),
            lambda se, electrode, coating: self.domain.chemistry_warnings(se, electrode, coating),
            arguments=formulas,
        )
        distance = self.domain.distance_warnings(chemistry_flags(features))
        thermo, thermo_warnings = thermo_columns(thermo_batch)
        basis = per_distinct_objects(
            lambda se, c, d, outside: answer_basis(self.domain.electrolyte_warnings(se), outside, bool(c or d)),
            formulas["se_formula"].to_numpy(), chemistry, distance, (~thermo_batch.covered).tolist())
        from_thermo = basis == THERMODYNAMICS
        heads = self.model["heads"]
        proba = _answer_by_basis(basis, features, {LITERATURE: heads.predict_proba, THERMODYNAMICS: heads.thermo_proba},
                                 heads.classes_)
        # outside the records the products are thermodynamics' own, whatever their calibrated p, where the answer is
        # that the interface reacts (one answered stable forms nothing, as `product_decisions` has it)
        expected = proba.products.to_numpy() >= heads.thermo_calibration_.p_observed_if_expected_ - 1e-12
        products = proba.products.to_numpy()
        if self.uncertainty is not None:
            products = self.uncertainty.probabilities(products)
        # after the map, which may lift a class again, and the thermodynamic answer's calibrated expectation
        proba.products[:] = within_reaction(products, proba.stability.to_numpy(), heads.columns_)
        labels = proba.labels()
        gaps = np.zeros(len(basis), dtype=bool)
        if from_thermo.any():
            reacts = labels["stability"].to_numpy() != "stable"
            named = expected & reacts[:, None]
            # a coated interface whose contacts form nothing reacts only where the SE meets the electrode through the
            # coating's gaps (`features.thermo.thermo_stability`): its products are the bare interface's, each as
            # likely as the reaction there, 1 − p(stable), times thermodynamics' calibrated expectation
            gaps = from_thermo & reacts & ~named.any(axis=1)
            if gaps.any():
                bare = thermo_batch.bare_classes & gaps[:, None]
                leak = (1 - proba.stability["stable"].to_numpy())[:, None] * heads.thermo_calibration_.p_observed_if_expected_
                current = proba.products.to_numpy()
                proba.products[:] = np.where(bare, np.maximum(current, leak), current)
                named |= bare
            products = labels["products"].to_numpy(dtype=object, copy=True)
            products[from_thermo] = object_array(flagged_keys(named[from_thermo], PRODUCT_CLASSES))
            labels["products"] = products
        phases = _per_distinct(
            pd.concat([patterns, labels["products"].map(tuple)], axis=1),
            lambda se, electrode, coating, keys: [phase for k in keys for phase in concrete_phases(k, se, electrode, coating)],
            arguments=pd.concat([formulas, labels["products"]], axis=1),
        )
        typo = {f: typo_warning(f, self.known) for f in pd.unique(formulas.to_numpy().ravel()) if f}  # once per formula
        found = formulas.apply(lambda column: column.map(typo).fillna(""))  # each cell's warning, "" for none
        typos = _per_distinct(found, lambda *row: [warning for warning in row if warning], arguments=found)
        answer = {
            "products": labels["products"].to_numpy(),
            **{f"p_{k}": proba.products[k].round(PROBABILITY_DECIMALS).to_numpy() for k in PRODUCT_CLASSES},
            "stability": labels["stability"].to_numpy(),
            **{f"p_{k}": proba.stability[k].round(PROBABILITY_DECIMALS).to_numpy() for k in STABILITY_CLASSES},
            "degradation_modes": labels["degradation_modes"].to_numpy(),
            "product_phases": phases,
            "product_set": object_array(self._product_sets(proba.products)),
        }
        for column, values in answer.items():  # abstained: no answer, and the warnings say why
            values[basis == ""] = np.nan if column in PROBABILITY_COLUMNS else None
        basis_notes = [THERMO_BASIS_WARNING if b == THERMODYNAMICS else "" for b in basis]
        gap_notes = np.where(gaps, GAPS_WARNING, "")
        return pd.DataFrame({
            **answer,
            "in_domain": (basis == "literature").astype(object),
            "answer_basis": basis,
            "warnings": per_distinct_objects(
                lambda b, g, c, d, r, k, t, y: list(dict.fromkeys(w for w in (b, g, *c, d, *r, *k, *t, *y) if w)),
                basis_notes, gap_notes, chemistry, distance, resolved["reading_warnings"].to_numpy(),
                condition_warnings(resolved), thermo_warnings, typos),
            **{column: thermo[column].to_numpy() for column in THERMO_COLUMNS},
            "resolved_se_formula": formulas["se_formula"].to_numpy(),
            "resolved_electrode_formula": formulas["electrode_formula"].to_numpy(),
            "resolved_coating_formula": formulas["coating_formula"].to_numpy(),
            "electrode_role": resolved["electrode_role"].to_numpy(),
        })

    def _product_sets(self, products: pd.DataFrame) -> list[list[str] | None]:
        """The conformal prediction set of product classes of every row (None without a shipped threshold)."""
        if self.uncertainty is None:
            return [None] * len(products)
        return flagged_keys(self.uncertainty.sets(products.to_numpy()), products.columns)


@contextlib.contextmanager
def _collector_paused():
    """The cyclic garbage collector off while a batch is predicted. A screen's chunk makes some 10^5 objects that live
    until it is answered (an Interface per row, lists, frames); each 700 new ones started a collection that walked
    them again, and a full one ran per chunk (0.55 s of GC in a 100,000 screen). Reference counting frees them all the
    same, and the collector, running again, finds whatever cycles a chunk left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def chemistry_flags(features: np.ndarray) -> np.ndarray:
    """The columns the applicability domain compares: the chemistry the heads see."""
    return features[:, columns(*CHEMISTRY_BLOCKS)]


# stated conditions the answer does not read (`features.featurizer.MODEL_CONDITIONS`), and their words and units;
# the stack pressure is read only where it decides whether a stripped anode voids (`chemistry.rules.strips_li`)
UNREAD_CONDITIONS = {"temperature_C": ("temperature", "°C"), "pressure_MPa": ("stack pressure", "MPa")}


def condition_warnings(resolved: pd.DataFrame) -> np.ndarray:
    """Every row's notes on its stated temperature and stack pressure (a tuple, empty where it states neither): the
    ones its answer does not depend on, and how a stack pressure decided voids where the mode rule reads it."""
    def notes(electrode: str, role: str, *values: float) -> tuple[str, ...]:
        read = {"pressure_MPa"} if electrode and strips_li(parse_formula(electrode), role) else set()
        stated = [f"{name} {value:g} {unit}" for column, (name, unit), value
                  in zip(UNREAD_CONDITIONS, UNREAD_CONDITIONS.values(), values)
                  if not math.isnan(value) and column not in read]
        unread = (f"{' and '.join(stated)}: not used; the phase energies are at 0 K and too few records state "
                  f"{'it' if len(stated) == 1 else 'them'} to learn from") if stated else ""
        pressure = values[list(UNREAD_CONDITIONS).index("pressure_MPa")]
        decided = void_pressure_note(pressure) if read and not math.isnan(pressure) else ""
        return tuple(note for note in (unread, decided) if note)

    values = [pd.to_numeric(resolved[column], errors="coerce").to_numpy(dtype=float) for column in UNREAD_CONDITIONS]
    electrodes = resolved["electrode_formula"].fillna("").astype(str).to_numpy(dtype=object)
    results, codes = distinct_results(notes, electrodes, resolved["electrode_role"].fillna("").to_numpy(dtype=object),
                                      *values)
    return object_array(results)[codes]


THERMO_BASIS_WARNING = ("outside the records' domain: products and stability from thermodynamics (the phase-energy "
                        "table), probabilities calibrated on the records")
GAPS_WARNING = ("the coating's contacts form nothing at this potential, yet the interface reacts where the SE meets the "
                "electrode through the coating's gaps (the coating itself degrades there, on its own or against the "
                "electrode as made): the products are those of the uncoated interface, each at the chance it reacts")


def _answer_by_basis(basis: np.ndarray, features: np.ndarray, answers: dict, classes: list) -> Probabilities:
    """Every row's probabilities from the heads' answer of its basis alone (`predict_proba` inside the records'
    domain, `thermo_proba` outside it; one array per output of `classes`), typed; an abstained row gets none (zeros,
    blanked by the caller). Each row's answer depends on that row only, so each head runs once: on the rows that need
    it, or on the whole matrix when they are most of it (copying most of a chunk's 20,000 × 614 features into new
    memory took longer than answering the other rows too, whose answers are then left unread)."""
    arrays = [np.zeros((len(features), len(keys))) for keys in CLASSES]
    for name, answer in answers.items():
        rows = basis == name
        whole = 2 * np.count_nonzero(rows) > len(rows)
        if rows.any():
            part = Probabilities.of_outputs(answer(features if whole else features[rows]), classes)
            for array, frame in zip(arrays, (part.products, part.stability, part.modes)):
                array[rows] = frame.to_numpy()[rows] if whole else frame.to_numpy()
    return Probabilities.of(arrays)


def _per_distinct(keys: pd.DataFrame, function, arguments: pd.DataFrame) -> np.ndarray:
    """`function(*arguments_row)` for every row, called once per distinct row of `keys`
    (rows with equal keys must give equal answers)."""
    first, codes = distinct_text_rows(keys)
    rows = arguments.to_numpy()
    return shared_objects([function(*rows[i]) for i in first])[codes]


@functools.lru_cache(maxsize=8192)
def _element_key(formula: str) -> str:
    return " ".join(sorted(formula_elements(formula))) if formula else ""


def predict_in_chunks(predictor: InterfacePredictor, queries: pd.DataFrame, show_progress: bool = False,
                      chunk_rows: int = 10_000) -> pd.DataFrame:
    """Predict in chunks so that a progress bar can move and memory stays flat on large batches."""
    from rich.progress import Progress

    parts = []
    with Progress(disable=not show_progress, transient=True) as progress:
        task = progress.add_task("predicting", total=len(queries))
        for start in range(0, len(queries), chunk_rows):
            parts.append(predictor.predict(queries.iloc[start:start + chunk_rows]))
            progress.advance(task, len(parts[-1]))
    if not parts:
        return predictor.predict(queries)
    return pd.concat(parts, ignore_index=True)
