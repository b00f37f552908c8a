"""Rich tables for the terminal: what a person would rather read than parse."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text


def prediction_view(result: dict) -> Group:
    coating = f" | {result['coating']} ({result['coating_formula']})" if result["coating"] else ""
    title = f"{result['se']} ({result['se_formula']}) | {result['electrode']} ({result['electrode_formula']}, {result['electrode_role']}){coating}"
    products = Table(title=title, title_justify="left")
    products.add_column("product class")
    products.add_column("p", justify="right")
    products.add_column("phases")
    for key, p in sorted(result["product_probabilities"].items(), key=lambda item: -item[1]):
        if p >= 0.05 or key in result["products"]:
            style = "bold" if key in result["products"] else "dim"
            products.add_row(Text(key, style=style), f"{p:.2f}", ", ".join(result["product_phases"].get(key, [])))
    stability = " ".join(f"{k} {v:.2f}" for k, v in result["stability_probabilities"].items())
    lines = [
        products,
        *([] if result["products"] else [Text("no product class reaches p ≥ 0.5")]),
        Text(f"stability: {result['stability']}   ({stability})"),
        Text(f"degradation modes: {', '.join(result['degradation_modes']) or 'none predicted'}"),
        Text(f"in domain: {'yes' if result['in_domain'] else 'NO — ' + '; '.join(result['warnings'])}",
             style=None if result["in_domain"] else "yellow"),
    ]
    if "explanation" in result:
        why = Table(title="what drove it", title_justify="left")
        why.add_column("fact")
        why.add_column("impact", justify="right")
        why.add_column("largest effects (probability it adds)")
        for item in result["explanation"]:
            effects = ", ".join(f"{k} {v:+.2f}" for k, v in item["largest_effects"].items())
            why.add_row(item["feature"], f"{item['impact']:.2f}", effects)
        lines.append(why)
    return Group(*lines)


def summary_table(summary: dict) -> Table:
    table = Table(title="knowledge base", title_justify="left", show_header=False)
    for key in ("records", "se", "electrodes", "coatings"):
        table.add_row(key, str(summary[key]))
    for key in ("roles", "products", "stability", "techniques"):
        table.add_row(key, ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    table.add_row("provenance complete", str(summary["provenance_complete"]))
    table.add_row("dataset hash", summary["dataset_hash"][:12])
    return table


def evaluation_table(results: dict) -> Table:
    table = Table(title="grouped cross-validation (out of fold)", title_justify="left")
    for column in ("target", "scheme", "model", "metric", "value", "n"):
        table.add_column(column, justify="right" if column in ("value", "n") else "left")
    for target, schemes in results.items():
        for scheme, models in schemes.items():
            for model, metrics in models.items():
                for metric, value in metrics.items():
                    if metric != "n":
                        table.add_row(target, scheme, model, metric, f"{value:.3f}", str(metrics["n"]))
    return table


def versions_table(versions: list[dict]) -> Table:
    table = Table(title="degrade-ml-interface", title_justify="left")
    for column in ("version", "aliases", "headline", "run"):
        table.add_column(column)
    for row in versions:
        headline = row.get("headline_products_micro_f1")
        table.add_row(str(row["version"]), ", ".join(row["aliases"]), "" if headline is None else f"{headline:.3f}", row["run_id"] or "")
    return table


def screen_summary(best_per_se) -> Table:
    """The best combination of every SE, best first."""
    table = Table(title="best combination per SE", title_justify="left")
    for column, justify in (("SE", "left"), ("electrode", "left"), ("coating", "left"), ("stability", "left"),
                            ("p(stable)", "right"), ("products", "left")):
        table.add_column(column, justify=justify)
    for row in best_per_se.itertuples(index=False):
        table.add_row(row.se, row.electrode, row.coating or "none", row.stability, f"{float(row.p_stable):.3f}",
                      row.products.replace(";", ", ") or "none")
    return table
