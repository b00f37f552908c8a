"""The page: an interface view at `/` (a form whose fields suggest names from the materials table) and a screen view
at `/screen`. The URL's query string holds the interface query, so a link opens its answer."""

from __future__ import annotations

import pandas as pd
from dash import dash_table, dcc, html

from degrade_ml.app.jobs import MAX_COMBINATIONS

SE_FAMILIES = ("sulfide_electrolyte",)
ELECTRODE_FAMILIES = ("li_metal", "li_alloy", "layered_oxide_cathode", "spinel_oxide_cathode", "olivine_cathode", "other")
COATING_FAMILIES = ("coating", "interlayer")
COLOUR_COLUMNS = {
    "p_stable": "p(stable)",
    "thermo_erxn_se_electrode": "E_rxn SE|electrode (meV/atom)",
    "thermo_erxn_se_coating": "E_rxn SE|coating (meV/atom)",
    "thermo_erxn_coating_electrode": "E_rxn coating|electrode (meV/atom)",
}
TABLE_COLUMNS = ("se", "electrode", "coating", "voltage_V", "stability", "p_stable", "products", "degradation_modes",
                 "in_domain", "thermo_erxn_se_electrode", "thermo_erxn_se_coating", "thermo_erxn_coating_electrode",
                 "warnings", "error")
EXAMPLE_LISTS = ("LPSCl, LGPS, LPS", "NMC811, LCO, NCA", "none, LNO, LZO")


def page(materials: pd.DataFrame) -> html.Div:
    return html.Div([
        dcc.Location(id="url", refresh=False),
        html.Header([
            html.H1("degrade-ml"),
            html.Nav([dcc.Link("Interface", href="/"), dcc.Link("Screen", href="/screen")]),
        ]),
        *_suggestions(materials),
        html.Div(interface_view(), id="interface-view"),
        html.Div(screen_view(), id="screen-view", style={"display": "none"}),
    ])


def _suggestions(materials: pd.DataFrame) -> list[html.Datalist]:
    """One list of names per field: SEs, electrodes, coatings and interlayers (any formula is accepted too)."""
    def names(families: tuple[str, ...]) -> list[html.Option]:
        chosen = materials[materials["family"].isin(families)]
        return [html.Option(value=name) for name in sorted(chosen["name"].unique(), key=str.casefold)]

    return [html.Datalist(names(SE_FAMILIES), id="se-names"), html.Datalist(names(ELECTRODE_FAMILIES), id="electrode-names"),
            html.Datalist(names(COATING_FAMILIES), id="coating-names")]


def _field(label: str, field_id: str, placeholder: str, datalist: str | None = None) -> html.Div:
    extra = {"list": datalist} if datalist else {}
    return html.Div([
        html.Label(label, htmlFor=field_id),
        dcc.Input(id=field_id, type="text", placeholder=placeholder, debounce=True, **extra),
        html.Div(id=f"{field_id}-error", className="field-error"),
    ], className="field")


def interface_view() -> list:
    return [
        html.Div([
            _field("Solid electrolyte", "se", "Li6PS5Cl or LPSCl", "se-names"),
            _field("Electrode", "electrode", "NMC811, Li, LiCoO2", "electrode-names"),
            _field("Coating (optional)", "coating", "LiNbO3, LNO", "coating-names"),
            _field("Voltage, V vs Li/Li+ (optional)", "voltage", "4.3"),
            html.Button("Predict", id="predict", n_clicks=0),
        ], className="form"),
        html.Div(id="interface-message", className="field-error"),
        dcc.Loading(html.Div(id="answer", children=hint())),
    ]


def hint() -> html.P:
    """What the interface view shows before a query."""
    return html.P("Name an interface, or open a link such as "
                  "/?se=Li6PS5Cl&electrode=NMC811&coating=LiNbO3&voltage=4.3")


def screen_view() -> list:
    lists = [
        html.Div([html.Label(label, htmlFor=list_id), dcc.Textarea(id=list_id, value=value)], className="field")
        for label, list_id, value in zip(("SEs", "Electrodes", "Coatings (none = uncoated)"),
                                         ("screen-se", "screen-electrodes", "screen-coatings"), EXAMPLE_LISTS)
    ]
    return [
        html.P(f"Every SE × electrode × coating, ranked by p(stable); names or formulas separated by commas or lines, "
               f"at most {MAX_COMBINATIONS:,} combinations (beyond that, `degrade-ml screen`)."),
        html.Div([
            *lists,
            html.Div([html.Label("Voltage, V or OCV (optional)", htmlFor="screen-voltage"),
                      dcc.Input(id="screen-voltage", type="text", value="4.3")], className="field"),
        ], className="form"),
        html.Div([
            dcc.Upload(html.Button("Fill the lists from a CSV (columns se, electrode, coating)"), id="screen-upload",
                       accept=".csv,text/csv", max_size=5_000_000),
            html.Button("Screen", id="screen-run", n_clicks=0),
        ], className="form"),
        html.Div([html.Progress(id="screen-progress", value="0", max="1"), html.Span(id="screen-status")],
                 className="progress"),
        html.Div(id="screen-message", className="field-error"),
        html.Ul(id="screen-rejected", className="warning"),
        dcc.Store(id="screen-job"),
        dcc.Store(id="screen-done"),
        dcc.Interval(id="screen-poll", interval=400, disabled=True),
        html.Div([
            html.Div([html.Label("Coating"), dcc.Dropdown(id="screen-coating", clearable=False)], className="field"),
            html.Div([html.Label("Colour"), dcc.Dropdown(
                id="screen-colour", clearable=False, value="p_stable",
                options=[{"label": label, "value": column} for column, label in COLOUR_COLUMNS.items()])],
                className="field"),
            html.Button("Download CSV", id="download-csv"),
            html.Button("Download Parquet", id="download-parquet"),
            dcc.Download(id="screen-download"),
        ], className="form"),
        dcc.Graph(id="screen-heatmap", config={"displaylogo": False}),
        dash_table.DataTable(
            id="screen-table", columns=[{"name": c, "id": c} for c in TABLE_COLUMNS], page_current=0, page_size=20,
            page_action="custom", sort_action="custom", sort_mode="single", sort_by=[],
            style_table={"overflowX": "auto"}, style_cell={"fontSize": 12, "textAlign": "left", "maxWidth": 320,
                                                         "overflow": "hidden", "textOverflow": "ellipsis"},
        ),
    ]
