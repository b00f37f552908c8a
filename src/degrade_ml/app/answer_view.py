"""The interface view's answer as page components: what `degrade-ml predict --explain` prints, plus one reaction
energy plot per contact and the SE window against the electrode potential."""

from __future__ import annotations

import json

from dash import dcc, html

from degrade_ml.app.figures import contact_figure, window_figure
from degrade_ml.cli.render import answer_title, no_products, thermo_line
from degrade_ml.thermo.engine import default_engine
from degrade_ml.thermo.stack import InterfaceThermo
from degrade_ml.thermo.kinks import contact_kinks

_PLOT_CONFIG = {"displayModeBar": False}  # zoom by dragging, reset by double click; no toolbar over the titles
SHOWN_PROBABILITY = 0.05  # classes below this are left out of the table unless predicted (as on the command line)


def answer_view(result: dict, thermo: InterfaceThermo | None, thermo_message: str = "") -> html.Div:
    """Everything the page shows for one answered query; `thermo` None when the table does not cover the query
    (`thermo_message` says why)."""
    return html.Div([
        html.H3(answer_title(result), id="answer-title"),
        html.Div(_prediction(result) if result["in_domain"] else _abstention(result), className="cards"),
        _basis(result),
        html.P(thermo_line(result["thermo"]), id="thermo-line", className="thermo"),
        *(_plots(result, thermo) if thermo is not None else [html.P(thermo_message, className="warning")]),
        _table("What drove it", ("fact", "impact", "largest effects"), [
            (item["feature"], f"{item['impact']:.2f}",
             ", ".join(f"{k} {v:+.2f}" for k, v in item["largest_effects"].items()))
            for item in result.get("explanation", [])], "explanation"),
        _table("Thermodynamics behind it", ("contact", "E (meV/atom)", "reaction"), [
            (item["contact"], "" if item["energy_meV_atom"] is None else f"{item['energy_meV_atom']:.0f}", item["reaction"])
            for item in result.get("thermodynamics", [])], "reactions"),
        _literature(result.get("literature", [])),
        html.Details([html.Summary("JSON (as degrade-ml predict --json --explain)"),
                      html.Pre(json.dumps(result, indent=2), id="answer-json")]),
    ])


def _prediction(result: dict) -> list:
    shown = sorted(((k, p) for k, p in result["product_probabilities"].items()
                    if p >= SHOWN_PROBABILITY or k in result["products"]), key=lambda item: -item[1])
    products = html.Table([
        html.Thead(html.Tr([html.Th("product class"), html.Th("p"), html.Th("phases")])),
        html.Tbody([html.Tr([html.Td(key), html.Td(f"{p:.2f}"), html.Td(", ".join(result["product_phases"].get(key, [])))],
                            className="predicted" if key in result["products"] else "unlikely")
                    for key, p in shown]),
    ])
    verdict = ", ".join(result["products"]) or no_products(result["stability"])
    stability = html.Table(html.Tbody([html.Tr([html.Td(k), html.Td(f"{v:.2f}")], className="predicted" if k == result["stability"] else "")
                                       for k, v in result["stability_probabilities"].items()]))
    return [
        html.Div([html.H4("Products"), html.P(verdict, id="products-verdict"), products], id="products", className="card"),
        html.Div([html.H4("Stability"), html.P(result["stability"], id="stability-class", className="verdict"), stability],
                 id="stability", className="card"),
        html.Div([html.H4("Degradation modes"), html.P(", ".join(result["degradation_modes"]) or "none predicted")],
                 id="modes", className="card"),
    ]


def _abstention(result: dict) -> list:
    return [html.Div([html.H4("No prediction"), html.P("outside the domain: " + "; ".join(result["warnings"]))],
                     id="stability", className="card warning")]


def _basis(result: dict) -> html.Div:
    """Whether the query is inside the trained chemistry, what the answer rests on, the potential and the warnings."""
    potential = ("no electrode potential: a chemical contact" if result["potential_V"] is None
                 else f"potential used: {result['potential_V']:g} V vs Li/Li+")
    facts = [f"in domain: {'yes' if result['in_domain'] else 'no'}", potential]
    if result.get("answer_basis") is not None:
        facts.insert(1, f"answer basis: {result['answer_basis'] or 'none (abstains)'}")
    return html.Div([html.P(" · ".join(facts), id="basis"),
                     html.Ul([html.Li(w) for w in result["warnings"]], id="warnings", className="warning")])


def _plots(result: dict, thermo: InterfaceThermo) -> list:
    names = {result["se_formula"]: result["se"], result["electrode_formula"]: result["electrode"]}
    if result["coating_formula"]:
        names[result["coating_formula"]] = result["coating"]
    window = dcc.Graph(figure=window_figure(thermo.window, thermo.potential_V, result["se"]), id="window-plot",
                       config=_PLOT_CONFIG)
    figures = []
    for contact in thermo.contacts:
        title = f"{names.get(contact.a, contact.a)} | {names.get(contact.b, contact.b)}"
        if contact not in thermo.contacts_present:
            title += " if uncoated"
        figure = contact_figure(contact, contact_kinks(default_engine(), contact), title)
        figures.append(dcc.Graph(figure=figure, className="contact-plot", config=_PLOT_CONFIG))
    return [window, html.H4("Interface reactions (hover a kink for its reaction)"), html.Div(figures, id="plots")]


def _table(title: str, columns: tuple[str, ...], rows: list[tuple], table_id: str) -> html.Div:
    if not rows:
        return html.Div(id=table_id)
    return html.Div([
        html.H4(title),
        html.Table([html.Thead(html.Tr([html.Th(c) for c in columns])),
                    html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])]),
    ], id=table_id)


def _verdict_class(relation: str) -> str:
    """The cell's colour: a verdict on the answer, or a record of another stack read as a reference."""
    return relation if relation in ("supports", "contradicts") else "reference"


def _literature(records: list[dict]) -> html.Div:
    """The nearest records with a DOI link (the review's reference where the record has no DOI)."""
    if not records:
        return html.Div(id="literature")
    rows = []
    for item in records:
        source = item["source"]
        link = source if source.startswith("review") else html.A(source, href=f"https://doi.org/{source}", target="_blank")
        rows.append(html.Tr([html.Td(item["record_id"]), html.Td(link), html.Td(item["interface"]),
                             html.Td(item["reported"]), html.Td(item["relation"], className=_verdict_class(item["relation"])),
                             html.Td(item["evidence"])]))
    header = html.Thead(html.Tr([html.Th(c) for c in ("record", "source", "interface", "reported", "", "evidence")]))
    return html.Div([html.H4("Nearest literature records"), html.Table([header, html.Tbody(rows)])], id="literature")
