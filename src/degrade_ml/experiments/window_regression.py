"""Can a composition-only regressor learn the SE window edges that the phase-energy table gives?

The review's records hold too few numbers to regress anything observed (counted in the report), but the offline
thermodynamic engine gives a reduction and an oxidation limit for any covered Li composition. This module builds a
fixed series of compositions around the sulfide SEs (substitution, doping, pseudo-binaries, O-for-S) plus oxide and
halide coatings, labels them with the engine, and scores a magpie-feature random forest per edge with folds grouped
by chemical system, so that a test composition never shares its chemical system with the training set: that is the
question that matters for a new SE, and random splits would mostly measure interpolation inside one phase diagram.

Run: `degrade-ml experiment window-regression [--report-dir DIR]` (writes window_regression.md/.json/.png)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rich.progress import track
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.metrics import mean_absolute_error, r2_score
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import Pipeline

from degrade_ml.io.atomic import atomic_write
from degrade_ml.data.load import load_dataset
from degrade_ml.evaluation.regression import MIN_VALUES, OBSERVED_COLUMNS, observed_counts
from degrade_ml.features.composition import CompositionFeatures
from degrade_ml.thermo.engine import ThermoEngine, default_engine
from degrade_ml.experiments.thermo_validation import PUBLISHED_WINDOWS, WINDOW_SOURCE
from degrade_ml.experiments.window_series import chemsys, composition_series

SEED = 0
N_SPLITS = 5
EDGES: dict[str, str] = {"reduction": "reduction_V", "oxidation": "oxidation_V"}
# Published SEs whose chemical systems are held out entirely before predicting their windows.
HELD_OUT_SES: tuple[str, ...] = tuple(PUBLISHED_WINDOWS)
# Honrao et al. 2021's reported scores, quoted as the model issue gives them (not re-derived here).
HONRAO_2021 = {"oxidation": 0.95, "reduction": 0.92}
HONRAO_SOURCE = "Honrao et al. 2021 (ML of electrochemical windows of Li-containing compounds trained on DFT)"
REPORT_NAME = "window_regression.md"
MAX_PLAUSIBLE_V = 8.0  # above every DFT window edge of a Li compound (LiF oxidises near 6.4 V)


# --------------------------------------------------------------------------------------------- targets
def window_targets(engine: ThermoEngine, formulas: list[str], progress: bool = True) -> pd.DataFrame:
    """Engine window edges per composition. Skipped, and listed in `attrs['skipped']` with the reason: a window
    without a limit on one side (nothing to regress there), and an edge above MAX_PLAUSIBLE_V, which no Li
    compound's DFT window reaches and which therefore points at a phase missing from the table (one such value
    would dominate every squared-error score)."""
    rows, skipped, placed = [], [], 0
    for formula in track(formulas, description="SE windows", disable=not progress, transient=True):
        window = engine.window(formula)
        red, ox = window.reduction_limit_V, window.oxidation_limit_V
        if red is None or ox is None:
            skipped.append({"formula": formula, "reason": "no limit on one side"})
            continue
        if max(red, ox) > MAX_PLAUSIBLE_V:
            skipped.append({"formula": formula, "reason": f"edge {max(red, ox):.1f} V > {MAX_PLAUSIBLE_V:g} V"})
            continue
        placed += any("not in the phase-energy table" in w for w in window.warnings)
        rows.append({"formula": formula, "chemsys": chemsys(formula), "reduction_V": float(red), "oxidation_V": float(ox)})
    frame = pd.DataFrame(rows, columns=["formula", "chemsys", "reduction_V", "oxidation_V"])
    frame.attrs["skipped"] = skipped
    frame.attrs["hull_placed"] = placed
    if progress:
        print(f"windows: {len(frame)} compositions kept, {len(skipped)} skipped: "
              + (", ".join(f"{s['formula']} ({s['reason']})" for s in skipped) or "none"), file=sys.stderr)
    return frame


# --------------------------------------------------------------------------------------------- model
def featurize(formulas: list[str], features: CompositionFeatures | None = None) -> np.ndarray:
    """The project's composition features (magpie ElementProperty + Stoichiometry + ValenceOrbital + element
    groups), one composition at a time so matminer never starts a process pool."""
    features = features or CompositionFeatures()
    return np.vstack([features(f) for f in formulas])


def make_regressor() -> Pipeline:
    """Median imputation then a seeded random forest: few hundred rows, no scaling needed, n_jobs=1."""
    return Pipeline([
        ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
        ("forest", RandomForestRegressor(n_estimators=300, min_samples_leaf=2, max_features=0.33,
                                         random_state=SEED, n_jobs=1)),
    ])


def make_baseline() -> Pipeline:
    return Pipeline([("mean", DummyRegressor(strategy="mean"))])


@dataclass
class EdgeScore:
    """Cross-validated scores of one edge: per-fold means, pooled out-of-fold metrics, and the fold indices and
    fitted estimators that made each out-of-fold prediction (so a test can check who predicted what)."""

    edge: str
    model: dict[str, float]
    baseline: dict[str, float]
    oof: np.ndarray
    baseline_oof: np.ndarray
    folds: list[tuple[np.ndarray, np.ndarray]]
    estimators: list[Pipeline]


def grouped_cv(groups: np.ndarray | list[str], n_splits: int = N_SPLITS) -> GroupKFold:
    """GroupKFold over chemical systems (deterministic; no system is in both train and test of a fold)."""
    n_groups = len(set(groups))
    if n_groups < 2:
        raise ValueError("grouped CV needs at least two chemical systems")
    return GroupKFold(n_splits=min(n_splits, n_groups))


def score_edge(X: np.ndarray, y: np.ndarray, groups: np.ndarray | list[str], edge: str,
               n_splits: int = N_SPLITS) -> EdgeScore:
    """R² and MAE (V) of the regressor and the mean baseline on the same grouped folds."""
    groups = np.asarray(groups)
    cv = grouped_cv(groups, n_splits)
    scoring = {"r2": "r2", "mae": "neg_mean_absolute_error"}
    results = {}
    for name, make in (("model", make_regressor), ("baseline", make_baseline)):
        results[name] = cross_validate(make(), X, y, groups=groups, cv=cv, scoring=scoring, n_jobs=1,
                                       return_estimator=True, return_indices=True)
    folds = list(zip(results["model"]["indices"]["train"], results["model"]["indices"]["test"]))

    def out_of_fold(result) -> np.ndarray:
        oof = np.full(len(y), np.nan)
        for estimator, test in zip(result["estimator"], result["indices"]["test"]):
            oof[test] = estimator.predict(X[test])
        return oof

    def summary(result, oof) -> dict[str, float]:
        return {"r2_mean": float(np.mean(result["test_r2"])), "r2_std": float(np.std(result["test_r2"])),
                "mae_mean": float(-np.mean(result["test_mae"])), "mae_std": float(np.std(result["test_mae"])),
                "r2_pooled": float(r2_score(y, oof)), "mae_pooled": float(mean_absolute_error(y, oof))}

    oof, base_oof = out_of_fold(results["model"]), out_of_fold(results["baseline"])
    return EdgeScore(edge, summary(results["model"], oof), summary(results["baseline"], base_oof), oof, base_oof,
                     folds, list(results["model"]["estimator"]))


def predict_held_out_ses(engine: ThermoEngine, targets: pd.DataFrame, X: np.ndarray,
                         features: CompositionFeatures) -> list[dict]:
    """Fit on the series without the chemical systems of the published SEs, then predict those SEs."""
    excluded = {chemsys(f) for f in HELD_OUT_SES}
    keep = ~targets["chemsys"].isin(excluded).to_numpy()
    X_se = featurize(list(HELD_OUT_SES), features)
    rows = [{"formula": f, "chemsys": chemsys(f)} for f in HELD_OUT_SES]
    for edge, column in EDGES.items():
        model = make_regressor().fit(X[keep], targets[column].to_numpy()[keep])
        for row, value in zip(rows, model.predict(X_se)):
            row[f"predicted_{edge}_V"] = round(float(value), 3)
    for row in rows:
        window = engine.window(row["formula"])
        published = PUBLISHED_WINDOWS[row["formula"]]
        row |= {"engine_reduction_V": window.reduction_limit_V, "engine_oxidation_V": window.oxidation_limit_V,
                "published_reduction_V": published[0], "published_oxidation_V": published[1],
                "n_train": int(keep.sum())}
    return rows


# --------------------------------------------------------------------------------------------- report
def run(engine: ThermoEngine | None = None, formulas: list[str] | None = None, progress: bool = True,
        n_splits: int = N_SPLITS) -> dict:
    """Everything the report states, as plain data (also written as JSON)."""
    engine = engine or default_engine()
    formulas = composition_series(engine) if formulas is None else formulas
    targets = window_targets(engine, formulas, progress=progress)
    features = CompositionFeatures()
    X = featurize(targets["formula"].tolist(), features)
    groups = targets["chemsys"].to_numpy()
    scores = {edge: score_edge(X, targets[column].to_numpy(), groups, edge, n_splits) for edge, column in EDGES.items()}
    for edge in EDGES:
        targets[f"predicted_{edge}_V"] = scores[edge].oof
    fold_of = np.empty(len(targets), dtype=int)
    for i, (_, test) in enumerate(scores["oxidation"].folds):
        fold_of[test] = i
    targets["fold"] = fold_of
    return {
        "targets": targets,
        "scores": scores,
        "n_series": len(formulas),
        "n_compositions": int(len(targets)),
        "n_chemsys": int(targets["chemsys"].nunique()),
        "n_folds": len(scores["oxidation"].folds),
        "skipped": list(targets.attrs["skipped"]),
        "hull_placed": int(targets.attrs["hull_placed"]),
        "n_features": int(X.shape[1]),
        "held_out_ses": predict_held_out_ses(engine, targets, X, features),
        "observed": observed_counts(load_dataset()),
    }


def _json(result: dict) -> dict:
    targets = result["targets"]
    return {
        "seed": SEED,
        "n_series": result["n_series"], "n_compositions": result["n_compositions"], "n_chemsys": result["n_chemsys"],
        "n_folds": result["n_folds"], "n_features": result["n_features"], "hull_placed": result["hull_placed"],
        "skipped": result["skipped"],
        "cv": "GroupKFold by chemical system",
        "edges": {edge: {"model": s.model, "baseline_mean": s.baseline} for edge, s in result["scores"].items()},
        "honrao_2021_r2": HONRAO_2021,
        "held_out_ses": result["held_out_ses"],
        "observed_counts": result["observed"],
        "compositions": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                         for row in targets.to_dict(orient="records")],
    }


def _f(value: float | None, digits: int = 2) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


def _markdown(result: dict, plot_name: str) -> str:
    scores, targets, observed = result["scores"], result["targets"], result["observed"]
    by_system = targets.groupby("chemsys").size().sort_values(ascending=False)
    lines = [
        "# SE window edges: a composition regressor against the phase-energy table",
        "",
        "Generated by `degrade-ml experiment window-regression`. Targets are the reduction and oxidation "
        "limits (V vs Li/Li+) that `ThermoEngine.window` gives over `data/thermo/phases.csv`; a composition without "
        "its own entry is placed on the convex hull, as the engine does. Features: matminer magpie ElementProperty, "
        "Stoichiometry, ValenceOrbital and the project's element groups "
        f"({result['n_features']} columns). Model: median imputation + random forest (300 trees, seed {SEED}).",
        "",
        f"- series: {result['n_series']} compositions (Li2S–MSx pseudo-binaries, Li3PS4–LiX, argyrodites, LGPS and "
        "thio-LISICON lines, O-for-S, aliovalent doping, oxide/halide coatings and cathodes)",
        f"- kept: **{result['n_compositions']}** compositions in **{result['n_chemsys']}** chemical systems; "
        f"{len(result['skipped'])} skipped"
        + (" (" + "; ".join(f"{s['formula']}: {s['reason']}" for s in result["skipped"]) + ")" if result["skipped"] else "")
        + f"; an edge above {MAX_PLAUSIBLE_V:g} V is taken as a phase missing from the table, not a window",
        f"- {result['hull_placed']} of the kept compositions have no table entry and are placed on the hull",
        f"- folds: GroupKFold, {result['n_folds']} folds by chemical system (no system in both train and test)",
        "- largest systems: " + ", ".join(f"{k} {v}" for k, v in by_system.head(6).items()),
        "",
        "## Grouped cross-validation",
        "",
        "Per-fold mean ± sd, and pooled over all out-of-fold predictions. Baseline: the training-fold mean "
        "(`DummyRegressor`) on the same folds.",
        "",
        "| edge | model R² (folds) | model MAE V (folds) | model R² pooled | model MAE V pooled | baseline R² pooled | baseline MAE V pooled |",
        "|---|---|---|---|---|---|---|",
    ]
    for edge, s in scores.items():
        m, b = s.model, s.baseline
        lines.append(f"| {edge} | {m['r2_mean']:.2f} ± {m['r2_std']:.2f} | {m['mae_mean']:.3f} ± {m['mae_std']:.3f} | "
                     f"{m['r2_pooled']:.2f} | {m['mae_pooled']:.3f} | {b['r2_pooled']:.2f} | {b['mae_pooled']:.3f} |")
    lines += [
        "",
        f"Target spread: reduction {targets['reduction_V'].min():.2f}–{targets['reduction_V'].max():.2f} V "
        f"(sd {targets['reduction_V'].std():.2f}), oxidation {targets['oxidation_V'].min():.2f}–"
        f"{targets['oxidation_V'].max():.2f} V (sd {targets['oxidation_V'].std():.2f}).",
        "",
        f"![parity]({plot_name})",
        "",
        "### Against Honrao et al. 2021",
        "",
        f"{HONRAO_SOURCE} report R² {HONRAO_2021['oxidation']:.2f} (oxidation) and {HONRAO_2021['reduction']:.2f} "
        "(reduction) (as quoted in the model issue, not re-derived here). Their data set is larger and different (DFT "
        "windows of Li compounds, not a few hundred substitution series labelled by this project's CHGNet-relaxed "
        "phase table, with folds grouped by chemical system here), so the comparison is indicative only: here R² is "
        + ", ".join(f"{scores[e].model['r2_pooled']:.2f} ({e}, pooled)" for e in ("oxidation", "reduction")) + ".",
        "",
        "### Largest out-of-fold errors",
        "",
        "| edge | composition | engine V | predicted V |",
        "|---|---|---|---|",
        *[f"| {edge} | {targets['formula'].iat[i]} | {targets[column].iat[i]:.2f} | {scores[edge].oof[i]:.2f} |"
          for edge, column in EDGES.items()
          for i in np.argsort(-np.abs(scores[edge].oof - targets[column].to_numpy()), kind="stable")[:5]],
        "",
        "## Published SEs, their chemical systems held out",
        "",
        "Model fit on the series without the chemical systems " + ", ".join(sorted({r['chemsys'] for r in result['held_out_ses']}))
        + f" ({result['held_out_ses'][0]['n_train']} compositions), then asked for the published SEs. Published: {WINDOW_SOURCE}.",
        "",
        "| SE | reduction: predicted / engine / published | oxidation: predicted / engine / published |",
        "|---|---|---|",
    ]
    for r in result["held_out_ses"]:
        lines.append(f"| {r['formula']} | {_f(r['predicted_reduction_V'])} / {_f(r['engine_reduction_V'])} / "
                     f"{_f(r['published_reduction_V'])} | {_f(r['predicted_oxidation_V'])} / "
                     f"{_f(r['engine_oxidation_V'])} / {_f(r['published_oxidation_V'])} |")
    lines += [
        "",
        "## Observed quantities: too little data to regress",
        "",
        f"Of the {observed['records']} records in `data/interfaces.csv`, the number carrying each numeric column:",
        "",
        "| column | records with a value |",
        "|---|---|",
    ]
    for column in OBSERVED_COLUMNS:
        lines.append(f"| {column} | {observed[column]} |")
    thin = [c for c in OBSERVED_COLUMNS if observed[c] < MIN_VALUES]
    lines += [
        "",
        f"Each of {', '.join(thin)} has fewer than {MIN_VALUES} values: too little data to train or trust a "
        "regressor, so none is fitted. The records have no interfacial-resistance column.",
        "",
    ]
    return "\n".join(lines)


def _parity_plot(result: dict, path: Path) -> Path:
    from degrade_ml.thermo.plots import pyplot, save_figure

    plt = pyplot()
    targets = result["targets"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.4))
    for ax, (edge, column) in zip(axes, EDGES.items()):
        s = result["scores"][edge]
        truth = targets[column].to_numpy()
        ax.scatter(truth, s.oof, s=12, alpha=0.6, c=targets["fold"], cmap="tab10")
        low, high = min(truth.min(), s.oof.min()) - 0.1, max(truth.max(), s.oof.max()) + 0.1
        ax.plot([low, high], [low, high], "k:")
        ax.set_xlabel(f"engine {edge} limit (V vs Li/Li+)")
        ax.set_ylabel("out-of-fold prediction (V)")
        ax.set_title(f"{edge}: R² {s.model['r2_pooled']:.2f}, MAE {s.model['mae_pooled']:.2f} V")
    fig.suptitle(f"{result['n_compositions']} compositions, {result['n_chemsys']} chemical systems, "
                 f"{result['n_folds']} grouped folds (colour = fold)", fontsize=9)
    return save_figure(fig, path)


def write_report(report_dir: Path, engine: ThermoEngine | None = None, formulas: list[str] | None = None,
                 progress: bool = True, n_splits: int = N_SPLITS) -> dict:
    """reports/window_regression.md, .json and .png, each written whole or not at all; the JSON's content."""
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    result = run(engine, formulas=formulas, progress=progress, n_splits=n_splits)
    plot = _parity_plot(result, report_dir / "window_regression.png")
    summary = _json(result)
    payload = json.dumps(summary, indent=1, sort_keys=True).encode()
    atomic_write(report_dir / "window_regression.json", lambda handle: handle.write(payload))
    text = _markdown(result, plot.name).encode()
    atomic_write(report_dir / REPORT_NAME, lambda handle: handle.write(text))
    return summary
