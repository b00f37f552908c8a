"""Rich tables for the terminal: what a person would rather read than parse."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text


def answer_title(result: dict) -> str:
    """SE | electrode | coating as typed, each with what it resolved to, and the potential used: the answer's title in
    the terminal and on the web page."""
    coating = f" | {result['coating']} ({result['coating_formula']})" if result["coating_formula"] else ""
    potential = "" if result.get("potential_V") is None else f", {result['potential_V']:g} V"
    return (f"{result['se']} ({result['se_formula']}) | {result['electrode']} ({result['electrode_formula']}, "
            f"{result['electrode_role']}{potential}){coating}")


def prediction_view(result: dict) -> Group:
    title = answer_title(result)
    thermo = [Text(thermo_line(result["thermo"]))] if result.get("thermo") else []
    if result["answer_basis"]:
        basis = ("in domain: yes (answer from the literature model, thermodynamics as its input)" if result["in_domain"]
                 else "in domain: no (answer from thermodynamics, probabilities calibrated on the records)")
        notes = [Text(f"warning: {w}", style="yellow") for w in result["warnings"]]
        lines = [_answer(result, title), Text(basis), *notes, *thermo]
    else:  # the model abstains: say why, and show what thermodynamics alone says
        lines = [Text(title), Text(f"no prediction: outside the domain — {'; '.join(result['warnings'])}", style="yellow"),
                 *thermo]
    if "explanation" in result and not result["explanation"] and result["answer_basis"] == "thermodynamics":
        lines.append(Text("what drove it: the phase-energy table alone (the reactions below); the learned model "
                          "answers only inside the records' domain"))
    elif result.get("explanation"):
        why = Table(title="what drove it", title_justify="left")
        why.add_column("fact")
        why.add_column("impact", justify="right")
        why.add_column("largest effects (probability it adds)")
        for item in result["explanation"]:
            effects = ", ".join(f"{k} {v:+.2f}" for k, v in item["largest_effects"].items())
            why.add_row(item["feature"], f"{item['impact']:.2f}", effects)
        lines.append(why)
    if result.get("thermodynamics"):
        reactions = Table(title="thermodynamics behind it", title_justify="left")
        for column in ("contact", "E (meV/atom)", "reaction"):
            reactions.add_column(column)
        for item in result["thermodynamics"]:
            energy = "" if item["energy_meV_atom"] is None else f"{item['energy_meV_atom']:.0f}"
            reactions.add_row(item["contact"], energy, item["reaction"])
        lines.append(reactions)
    if result.get("literature"):
        lines.append(Text("nearest literature records", style="italic"))
        for item in result["literature"]:  # a block per record: its evidence is a paragraph, too long for a table cell
            lines.append(Text.assemble("• ", (item["record_id"], "bold"), f" ({item['source']}): {item['interface']}; "
                                       f"reported {item['reported']} — {item['relation']}",
                                       " the answer" if item["relation"] in ("supports", "contradicts") else ""))
            lines.append(Padding(Text(item["evidence"], style="dim"), (0, 0, 0, 2)))
    return Group(*lines)


def _answer(result: dict, title: str) -> Group:
    """Product classes with their probabilities and phases, stability and degradation modes."""
    products = Table(title=title, title_justify="left")
    products.add_column("product class")
    products.add_column("p", justify="right")
    products.add_column("phases")
    for key, p in sorted(result["product_probabilities"].items(), key=lambda item: -item[1]):
        if p >= 0.05 or key in result["products"]:
            style = "bold" if key in result["products"] else "dim"
            products.add_row(Text(key, style=style), f"{p:.2f}", ", ".join(result["product_phases"].get(key, [])))
    stability = " ".join(f"{k} {v:.2f}" for k, v in result["stability_probabilities"].items())
    return Group(
        products,
        *([] if result["products"] else [Text(no_products(result["stability"]))]),
        *([] if result.get("product_set") is None else
          [Text(f"90 % conformal set: {', '.join(result['product_set']) or 'no product class'}")]),
        Text(f"stability: {result['stability']}   ({stability})"),
        Text(f"degradation modes: {', '.join(result['degradation_modes']) or 'none predicted'}"),
    )


def no_products(stability: str) -> str:
    """Why an answer lists no product class (`product_decisions`)."""
    if stability == "stable":
        return "no interfacial product expected: the interface is answered stable"
    return "no product class is as likely as not, even given that the interface reacts"


def thermo_line(thermo: dict) -> str:
    """One line of what thermodynamics says at the electrode potential."""
    def volts(value) -> str:
        return "?" if value is None else f"{value:.2f}"

    where = ("of the chemical contact (no electrode potential)" if thermo["potential_V"] is None
             else f"at {thermo['potential_V']:g} V vs Li/Li+")
    if thermo.get("coverage") is None:  # a material outside the table: nothing was computed
        return f"thermodynamics {where}: not computed, the phase-energy table does not cover this interface"
    energies = [f"{label} {thermo[key]:.0f}" for label, key in (
        ("SE|electrode", "erxn_se_electrode_meV_atom"), ("SE|coating", "erxn_se_coating_meV_atom"),
        ("coating|electrode", "erxn_coating_electrode_meV_atom")) if thermo[key] is not None]
    if thermo.get("se_decomposition_meV_atom"):
        energies.append(f"SE alone {thermo['se_decomposition_meV_atom']:.0f}")
    products = ", ".join(thermo["product_classes"]) or "none"
    coverage = " (approximate: a material is placed on the hull of simpler phases)" if thermo.get("coverage") == "approximate" else ""
    return (f"thermodynamics {where}: SE window {volts(thermo['reduction_limit_V'])}–{volts(thermo['oxidation_limit_V'])} V; "
            f"E_rxn (meV/atom) {', '.join(energies) or '–'}; products {products}{coverage}")


def summary_table(summary: dict) -> Table:
    table = Table(title="knowledge base", title_justify="left", show_header=False)
    for key in ("records", "se", "electrodes", "coatings"):
        table.add_row(key, str(summary[key]))
    for key in ("roles", "products", "stability", "techniques"):
        table.add_row(key, ", ".join(f"{k} {v}" for k, v in summary[key].items()))
    table.add_row("provenance complete", str(summary["provenance_complete"]))
    table.add_row("label basis", "; ".join(
        f"{label} " + ", ".join(f"{k} {v}" for k, v in counts.items()) for label, counts in summary["label_basis"].items()))
    table.add_row("records with a DOI", str(summary["records_with_doi"]))
    table.add_row("conditions stated", ", ".join(f"{k} {v}" for k, v in summary["conditions_stated"].items()))
    cathode = summary["cathode"]
    table.add_row("cathode records", f"{cathode['records']} over {cathode['se']} SEs, {cathode['with_voltage']} with a voltage; "
                  + ", ".join(f"{k} {v['records']} ({v['se']} SE, {v['studies']} studies)" for k, v in cathode["oxidation_products"].items()))
    table.add_row("references", ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary["references"].items()))
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
