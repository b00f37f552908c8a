"""The interface view: the URL's query string fills the form, the form writes the URL, and the URL is answered, so a
shared link (`/?se=Li6PS5Cl&electrode=NMC811&coating=LiNbO3&voltage=4.3`) opens its answer directly."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import Dash, Input, Output, State

from degrade_ml.app.answer_view import answer_view
from degrade_ml.app.guard import guarded
from degrade_ml.app.layout import hint
from degrade_ml.cli.predicting import answer_query
from degrade_ml.models.predictor import InterfacePredictor
from degrade_ml.query import QueryError
from degrade_ml.thermo.engine import ThermoCoverageError, default_engine
from degrade_ml.thermo.stack import InterfaceThermo, analyse_interface

FIELDS = ("se", "electrode", "coating", "voltage")
# the predictor's messages begin with the column they are about; each goes next to its field
_MESSAGE_FIELDS = {"se": "se", "electrode": "electrode", "coating": "coating", "voltage_V": "voltage"}


def query_from_search(search: str | None) -> dict[str, str]:
    """The interface query in a URL's query string; a field that is not there is ""."""
    values = parse_qs((search or "").lstrip("?"))
    return {field: values.get(field, [""])[0].strip() for field in FIELDS}


def search_from_form(values: tuple[str | None, ...]) -> str:
    filled = {field: str(value).strip() for field, value in zip(FIELDS, values) if value and str(value).strip()}
    return "?" + urlencode(filled)


def interface_answer(predictor: InterfacePredictor, query: dict[str, str]) -> tuple[dict, InterfaceThermo | None, str]:
    """The answer of `degrade-ml predict --json --explain` for the query (QueryError with its one-line message),
    and the thermodynamics its plots draw (None, with the reason, outside the phase-energy table)."""
    result = answer_query(predictor, {
        "se": query["se"], "electrode": query["electrode"], "coating": query["coating"],
        "voltage_V": query["voltage"] or None, "temperature_C": None, "pressure_MPa": None,
    }, explain=True)
    try:
        thermo = analyse_interface(default_engine(), result["se_formula"], result["electrode_formula"],
                                   result["coating_formula"] or "", result["potential_V"])
    except ThermoCoverageError as error:
        return result, None, f"no reaction plots: {error}"
    return result, thermo, ""


def field_of(message: str) -> str | None:
    """The form field a predictor message is about (None for a message about the whole query)."""
    column = message.partition(":")[0]
    return _MESSAGE_FIELDS.get(column)


def register(app: Dash, predictor: InterfacePredictor) -> None:
    @app.callback(*(Output(field, "value") for field in FIELDS), Input("url", "search"))
    def fill_form(search):
        query = query_from_search(search)
        return tuple(query[field] for field in FIELDS)

    @app.callback(Output("url", "search"), Input("predict", "n_clicks"),
                  *(Input(field, "n_submit") for field in FIELDS), *(State(field, "value") for field in FIELDS),
                  prevent_initial_call=True)
    def submit(*arguments):
        return search_from_form(arguments[-len(FIELDS):])

    @app.callback(Output("answer", "children"), *(Output(f"{field}-error", "children") for field in FIELDS),
                  Output("interface-message", "children"), Input("url", "search"))
    @guarded(len(FIELDS) + 2, clear=True)
    def show_answer(search):
        query = query_from_search(search)
        errors = dict.fromkeys(FIELDS, "")
        if not query["se"] and not query["electrode"]:
            return hint(), *errors.values(), ""
        missing = {"se": "give a solid electrolyte", "electrode": "give an electrode"}
        errors.update({field: text for field, text in missing.items() if not query[field]})
        if any(errors.values()):
            return None, *errors.values(), ""
        try:
            result, thermo, note = interface_answer(predictor, query)
        except QueryError as error:
            message = str(error)
            field = field_of(message)
            if field is None:
                return None, *errors.values(), message
            errors[field] = message
            return None, *errors.values(), ""
        return answer_view(result, thermo, note), *errors.values(), ""
