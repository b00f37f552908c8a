"""One evaluation entry point shared by `degrade-ml evaluate`, training runs and notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from degrade_ml.data.load import Dataset
from degrade_ml.evaluation.calibration import choose_uncertainty
from degrade_ml.evaluation.cv import HEADLINE_SCHEMES, SCHEMES, cross_validate_models, scheme_split
from degrade_ml.evaluation.regression import regression_readiness
from degrade_ml.evaluation.report import markdown_report, write_figures
from degrade_ml.evaluation.shipping import SHIPPING_SCHEME, product_outcomes
from degrade_ml.evaluation.trends import reproduce_trends
from degrade_ml.models import ChemistryRuleBaseline, MajorityBaseline, ThermoBaseline, interface_model, with_featurizer
from degrade_ml.models.targets import record_targets
from degrade_ml.models.uncertainty import Uncertainty

HEADLINE = "headline_products_micro_f1"


@dataclass
class Evaluation:
    results: dict
    all_labels: dict  # the same evaluation trained and scored on stated and inferred labels
    trends: dict  # stated trends reproduced out of fold, per scheme and model
    figures: list[Path]
    report: Path
    regression: dict[str, str]
    # the product probability map and conformal sets chosen on the model's out-of-fold predictions across SE families
    uncertainty: Uncertainty | None = None

    @property
    def headline(self) -> float:
        """Product micro-F1 of the model, averaged over both grouped schemes: the champion criterion."""
        scores = [self.results["products"][scheme]["model"]["micro_f1"] for scheme in HEADLINE_SCHEMES]
        return float(sum(scores) / len(scores))


def evaluate(dataset: Dataset, report_dir: Path, model_params: dict | None = None, show_progress: bool = False) -> Evaluation:
    params = model_params or {}
    factories = {
        "model": lambda: interface_model(**params),
        "rule_baseline": lambda: with_featurizer(ChemistryRuleBaseline(columns="interface")),
        "thermo_baseline": lambda: with_featurizer(ThermoBaseline(columns="interface")),
        "majority": MajorityBaseline,
    }
    results, predictions = cross_validate_models(dataset, factories, show_progress=show_progress)
    all_labels, _ = cross_validate_models(dataset, factories, schemes=HEADLINE_SCHEMES, show_progress=show_progress,
                                          labels="all")
    records = dataset.labelled("stated").reset_index(drop=True)
    figures = write_figures(records, predictions, Path(report_dir), scheme=SCHEMES[0])
    trends = reproduce_trends(records, dataset.trends, predictions)
    regression = regression_readiness(dataset)
    report = Path(report_dir) / "evaluation.md"
    skipped = {scheme: splitter.skipped(groups) for scheme, (splitter, groups) in
               ((scheme, scheme_split(dataset, scheme)) for scheme in SCHEMES)}
    report.write_text(markdown_report(results, all_labels, trends, predictions, records, figures, dataset.content_hash,
                                      regression, skipped), encoding="utf-8")
    uncertainty = choose_uncertainty(*product_outcomes(record_targets(records), predictions[(SHIPPING_SCHEME, "model")]))
    return Evaluation(results=results, all_labels=all_labels, trends=trends, figures=figures, report=report,
                      regression=regression, uncertainty=uncertainty)
