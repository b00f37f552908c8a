"""reports/evaluation.md with its figures: what a reader needs to judge the model against its baselines."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import ConfusionMatrixDisplay, f1_score

from degrade_ml.evaluation.calibration import (
    CALIBRATORS, RAW, cross_fitted_brier, shipped_set_coverage,
)
from degrade_ml.evaluation.metrics import per_class_f1
from degrade_ml.evaluation.shipping import SHIPPING_SCHEME, product_outcomes
from degrade_ml.models.targets import THRESHOLD, binarize, product_decisions, record_targets, stated
from degrade_ml.vocab import PRODUCT_CLASSES, STABILITY_CLASSES

TARGET_METRICS = {"products": "micro_f1", "stability": "macro_f1", "degradation_modes": "micro_f1"}
LISTING_THRESHOLDS: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7)


def write_figures(records: pd.DataFrame, predictions: dict, out_dir: Path, scheme: str) -> list[Path]:
    """Per-class F1 of every model, the stability confusion matrix and product calibration, for one scheme."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        _per_class_f1(records, predictions, out_dir / "per_class_f1.png", scheme),
        _confusion(records, predictions[(scheme, "model")], out_dir / "stability_confusion.png"),
        _calibration(records, predictions[(scheme, "model")], out_dir / "products_calibration.png"),
    ]


def _truth(records: pd.DataFrame, oof, target: str):
    rows = record_targets(records.iloc[oof.index])
    mask = stated(rows)[target]
    return rows[mask], mask


def _decisions(oof, mask: np.ndarray, threshold: float = THRESHOLD) -> np.ndarray:
    """The product classes the model answers on the masked out-of-fold rows."""
    return product_decisions(oof.proba.products[mask].to_numpy(), oof.proba.stability[mask].to_numpy(), threshold)


def _per_class_f1(records, predictions, path: Path, scheme: str) -> Path:
    fig, ax = plt.subplots(figsize=(9, 3.5))
    names = [name for (s, name) in predictions if s == scheme]
    width = 0.8 / len(names)
    for j, name in enumerate(names):
        oof = predictions[(scheme, name)]
        rows, mask = _truth(records, oof, "products")
        scores = per_class_f1(binarize(rows["products"], PRODUCT_CLASSES), _decisions(oof, mask))
        ax.bar(np.arange(len(PRODUCT_CLASSES)) + j * width, scores, width, label=name)
    ax.set_xticks(np.arange(len(PRODUCT_CLASSES)) + 0.4 - width / 2, PRODUCT_CLASSES, rotation=30)
    ax.set_ylabel("F1 (out of fold)")
    ax.legend(fontsize=8)
    return _save(fig, ax, f"Product classes, {scheme.replace('_', ' ')}", path)


def _confusion(records, oof, path: Path) -> Path:
    rows, mask = _truth(records, oof, "stability")
    predicted = np.asarray(STABILITY_CLASSES)[oof.proba.stability[mask].to_numpy().argmax(axis=1)]
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ConfusionMatrixDisplay.from_predictions(rows["stability"], predicted, labels=list(STABILITY_CLASSES), ax=ax, colorbar=False)
    return _save(fig, ax, "Stability (model, out of fold)", path)


def _calibration(records, oof, path: Path) -> Path:
    rows, mask = _truth(records, oof, "products")
    truth = binarize(rows["products"], PRODUCT_CLASSES).ravel()
    proba = oof.proba.products[mask].to_numpy().ravel()
    observed, predicted = calibration_curve(truth, proba, n_bins=5, strategy="quantile")
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.plot([0, 1], [0, 1], "k:", label="perfect")
    ax.plot(predicted, observed, "o-", label="model")
    ax.set_xlabel("predicted probability")
    ax.set_ylabel("observed frequency")
    ax.legend()
    return _save(fig, ax, "Product probabilities (out of fold)", path)


def _save(fig, ax, title: str, path: Path) -> Path:
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def markdown_report(results: dict, all_labels: dict, trends: dict, predictions: dict, records: pd.DataFrame,
                    figures: list[Path], dataset_hash: str, regression: dict, skipped: dict) -> str:
    lines = [
        "# degrade-ml evaluation",
        "",
        f"Dataset `{dataset_hash[:12]}` ({len(records)} records). Grouped cross-validation: each fold holds out one SE family",
        "(or one electrode) and drops from training every record that shares an SE formula or a study (DOI) with the test fold.",
        "Models are trained and scored on the labels the sources state; inferred labels count as unknown. A label of one",
        "observation stated in several places (the review and its paper's abstract, one `observation_id`) counts once.",
        "Metrics are pooled over out-of-fold predictions, on the records that state the target. Products are scored as",
        "each model answers them: none where it answers stable, else every class with p / (1 − p(stable)) ≥ 0.5.",
        "",
        *[f"- Not scored under {scheme}: "
          + "; ".join(f"{group} ({n_test} records: purging its SEs and studies leaves {n_train} to train on)"
                      for group, n_test, n_train in groups) for scheme, groups in skipped.items() if groups],
        "",
    ]
    lines += _tables(results)
    lines += _per_class_table(records, predictions)
    lines += _threshold_lines(records, predictions, results)
    lines += _trend_lines(trends)
    lines += _calibration_lines(records, predictions)
    lines += ["## With inferred labels too", "",
              "The same folds, trained and scored on stated and inferred labels (headline metric per target):", "",
              "| target | scheme | n | model | " + " | ".join(BASELINES) + " |", "|---" * (4 + len(BASELINES)) + "|"]
    for target, by_scheme in all_labels.items():
        metric = TARGET_METRICS[target]
        for scheme, by_model in by_scheme.items():
            n = next(iter(by_model.values()))["n"]
            lines.append(f"| {target} ({metric}) | {scheme} | {n} | "
                         + " | ".join(f"{by_model[k][metric]:.3f}" for k in ("model", *BASELINES)) + " |")
    lines += [""]
    lines += ["## Regression targets", ""]
    for target, info in regression.items():
        lines.append(f"- **{target}**: {info}")
    lines += ["", "## Figures", ""] + [f"![{p.stem}]({p.name})" for p in figures]
    return "\n".join(lines) + "\n"


def _per_class_table(records: pd.DataFrame, predictions: dict) -> list[str]:
    """Per-class product F1 of every model under every scheme, on the records that state products."""
    lines = ["## Product F1 per class", "", "| scheme | model | " + " | ".join(PRODUCT_CLASSES) + " |",
             "|---" * (2 + len(PRODUCT_CLASSES)) + "|"]
    for (scheme, name), oof in predictions.items():
        rows, mask = _truth(records, oof, "products")
        scores = per_class_f1(binarize(rows["products"], PRODUCT_CLASSES), _decisions(oof, mask))
        lines.append(f"| {scheme} | {name} | " + " | ".join(f"{s:.2f}" for s in scores) + " |")
    return lines + [""]


def _threshold_lines(records: pd.DataFrame, predictions: dict, results: dict) -> list[str]:
    """The model's product micro-F1 had it listed classes at other thresholds of P(class | reaction): a diagnostic
    chosen in hindsight on the test folds, so its best is a ceiling for what a threshold could give, not a score."""
    header = " | ".join(f"{t:.1f}" for t in LISTING_THRESHOLDS)
    lines = ["## Product micro-F1 at other listing thresholds", "",
             f"The model lists a class where P(class | reaction) ≥ {THRESHOLD:g}. The same out-of-fold probabilities "
             "listed at other thresholds, read in hindsight on the test folds: the best of a row is the most one of "
             "these thresholds gives, not a generalisation score.", "",
             f"| scheme | {header} | best | better baseline |", "|---" * (3 + len(LISTING_THRESHOLDS)) + "|"]
    for (scheme, name), oof in predictions.items():
        if name != "model":
            continue
        rows, mask = _truth(records, oof, "products")
        truth = binarize(rows["products"], PRODUCT_CLASSES)
        scores = [f1_score(truth, _decisions(oof, mask, t), average="micro", zero_division=0) for t in LISTING_THRESHOLDS]
        by_model = results["products"][scheme]
        baseline = by_model[_better_baseline(by_model, "micro_f1")]["micro_f1"]
        cells = [*(f"{v:.3f}" for v in scores), f"{max(scores):.3f}", f"{baseline:.3f}"]
        lines.append(f"| {scheme} | " + " | ".join(cells) + " |")
    return lines + [""]


def _calibration_lines(records: pd.DataFrame, predictions: dict) -> list[str]:
    """Brier score of the model's product probabilities, raw and cross-fitted recalibrated, per scheme; and the
    out-of-fold coverage of the 90 % conformal sets the product ships: the map chosen under SHIPPING_SCHEME, applied
    in every scheme (a scheme's own best map is shown, not used, since it does not ship)."""
    outcomes = {scheme: product_outcomes(record_targets(records), oof)
                for (scheme, name), oof in predictions.items() if name == "model"}
    shipped, coverage = shipped_set_coverage(outcomes, SHIPPING_SCHEME)
    lines = ["## Calibration and conformal sets of product probabilities", "",
             "Brier score over every (record, class) pair, out of fold. Each recalibrated column maps one fold's "
             "probabilities with a calibrator fitted on the other folds only. Conformal sets (90 % target) take each "
             f"fold's threshold from the other folds' scores, over the probabilities of the map that ships ({shipped}, "
             f"chosen under {SHIPPING_SCHEME}); coverage is the share of records whose every reported class is in "
             "its set.", "",
             "| scheme | raw | " + " | ".join(CALIBRATORS) + " | scheme's best map | set coverage | mean set size | n |",
             "|---" * (6 + len(CALIBRATORS)) + "|"]
    for scheme, (truth, proba, folds) in outcomes.items():
        brier = cross_fitted_brier(truth, proba, folds)
        sets, best = coverage[scheme], min(brier, key=brier.get)
        lines.append(f"| {scheme} | " + " | ".join(f"{brier[k]:.4f}" for k in (RAW, *CALIBRATORS))
                     + f" | {'none' if best == RAW else best} | {sets['coverage']:.1%} | {sets['mean_set_size']:.1f} "
                       f"| {sets['n']} |")
    return lines + ["", f"The shipped model takes the map (or none) and the conformal threshold chosen under "
                    f"{SHIPPING_SCHEME}, fitted on all its out-of-fold predictions. The reliability diagram of the first "
                    "scheme is products_calibration.png.", ""]


def _trend_lines(trends: dict) -> list[str]:
    from degrade_ml.evaluation.trends import TIE_MARGIN, TREND_TARGET

    lines = ["## Stated trends reproduced out of fold", "",
             "A trend of data/trends.csv holds when the lower record is predicted less reactive (the expected rank of "
             "its stability, stable 0 < passivating 1 < continuous 2) or less degraded (summed mode probabilities) than "
             f"the higher one by at least {TIE_MARGIN}: a closer pair is a tie, which is not held. Target ≥ "
             f"{TREND_TARGET:.0%} of the trends.", "",
             "| scheme | model | held | of | share |", "|---|---|---|---|---|"]
    for scheme, by_model in trends.items():
        for name, count in by_model.items():
            share = count["held"] / count["of"] if count["of"] else float("nan")
            mark = "" if name != "model" else (" (met)" if share >= TREND_TARGET else " (**MISSED**)")
            lines.append(f"| {scheme} | {name} | {count['held']} | {count['of']} | {share:.0%}{mark} |")
    return lines + [""]


def _tables(results: dict) -> list[str]:
    lines = []
    for target, by_scheme in results.items():
        lines += [f"## {target}", ""]
        for scheme, by_model in by_scheme.items():
            metrics = [m for m in next(iter(by_model.values())) if m != "n"]
            lines += [f"**{scheme}** (n = {next(iter(by_model.values()))['n']})", "",
                      "| model | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 1) + "|"]
            for name, values in by_model.items():
                lines.append(f"| {name} | " + " | ".join(f"{values[m]:.3f}" for m in metrics) + " |")
            lines += ["", _verdict(target, scheme, by_model), ""]
    return lines


BASELINES: tuple[str, ...] = ("rule_baseline", "thermo_baseline", "majority")
# issue targets: products must beat the better baseline by this margin across SE families and studies and match it
# across electrodes; stability must match it everywhere
TARGET_MARGIN = {("products", "leave_one_se_family_out"): 0.05, ("products", "leave_one_study_out"): 0.05,
                 ("products", "leave_one_electrode_out"): 0.0, ("stability", None): 0.0}


def _margin(target: str, scheme: str) -> float | None:
    """The margin over the better baseline the target asks of this scheme (None: no target)."""
    return TARGET_MARGIN.get((target, scheme), TARGET_MARGIN.get((target, None)))


def _better_baseline(by_model: dict, metric: str) -> str:
    """The name of the baseline that scores best on `metric` among those evaluated."""
    return max((b for b in BASELINES if b in by_model), key=lambda b: by_model[b][metric])


def _verdict(target: str, scheme: str, by_model: dict) -> str:
    metric = TARGET_METRICS[target]
    model = by_model["model"][metric]
    best_name = _better_baseline(by_model, metric)
    best = by_model[best_name][metric]
    others = "; ".join(f"{b.replace('_', ' ')} {by_model[b][metric]:.3f}" for b in BASELINES if b in by_model)
    verdict = f"Model {metric} {model:.3f} against the better baseline ({best_name.replace('_', ' ')}, {best:.3f})"
    if (margin := _margin(target, scheme)) is not None:
        goal = best + margin
        verdict += f": target ≥ {goal:.3f} {'met' if model >= goal else '**MISSED** by ' + format(goal - model, '.3f')}"
    return f"{verdict}. Baselines: {others}."
