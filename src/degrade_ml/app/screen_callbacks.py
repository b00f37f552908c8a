"""The screen view: lists (typed, or read from an uploaded CSV's bytes) → a background screen whose progress the page
polls → a heatmap per coating, a table sorted and paged on the server, and CSV or Parquet downloads."""

from __future__ import annotations

import base64
import functools
import csv
import io
import math
import re

import pandas as pd
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from degrade_ml.app.figures import heatmap_figure
from degrade_ml.app.guard import guarded
from degrade_ml.app.jobs import ScreenJob, ScreenJobs, check_voltage
from degrade_ml.app.layout import COLOUR_COLUMNS, TABLE_COLUMNS
from degrade_ml.screening.grid import ScreenError, parse_list

NO_COATING_VALUE = "none"  # the coating dropdown's value for uncoated rows (a dropdown cannot hold "")
LIST_COLUMNS = {"se": "screen-se", "electrode": "screen-electrodes", "coating": "screen-coatings"}


def parse_names(text: str | None, coatings: bool = False) -> list[str]:
    """Names separated by commas or lines; never read as a file path (`parse_list` reads a path given as
    text, a list it takes as it is)."""
    return parse_list(re.split(r"[,\n]", text or ""), coatings=coatings)


def lists_from_csv(contents: str, filename: str | None) -> tuple[str, str, str]:
    """The distinct SEs, electrodes and coatings of an uploaded CSV (columns se, electrode, optional coating), one per
    line; ScreenError naming the file for anything that is not such a CSV."""
    shown = repr(filename or "the upload")
    try:
        data = base64.b64decode(contents.partition(",")[2], validate=True)
        table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ScreenError(f"{shown} is not UTF-8 text (byte {error.object[error.start]:#04x} at offset "
                                    f"{error.start})") from None
    except (ValueError, csv.Error) as error:  # bad base64 (binascii.Error) and pandas' parser errors are ValueErrors
        raise ScreenError(f"{shown} is not a readable CSV ({' '.join(str(error).split())})") from None
    missing = [column for column in ("se", "electrode") if column not in table.columns]
    if missing:
        raise ScreenError(f"{shown} lacks required column(s): {', '.join(missing)}")
    columns = [table[c] if c in table.columns else pd.Series(["none"]) for c in LIST_COLUMNS]
    return tuple("\n".join(dict.fromkeys(v.strip() for v in column if v.strip())) for column in columns)


def register(app: Dash, jobs: ScreenJobs) -> None:
    def finished(job_id: str | None) -> ScreenJob | None:
        job = jobs.get(job_id)
        return job if job is not None and job.results is not None else None

    def with_finished_screen(*empty):
        """A callback whose first argument is a screen's job id is given the finished job instead, and answers
        `empty` while that screen has not finished."""
        def wrap(callback):
            @functools.wraps(callback)
            def run(job_id, *args):
                job = finished(job_id)
                return empty if job is None else callback(job, *args)
            return run
        return wrap

    @app.callback(*(Output(i, "value") for i in LIST_COLUMNS.values()), Output("screen-message", "children"),
                  Input("screen-upload", "contents"), State("screen-upload", "filename"), prevent_initial_call=True)
    @guarded(4)
    def fill_from_csv(contents, filename):
        try:
            return *lists_from_csv(contents, filename), ""
        except ScreenError as error:
            return no_update, no_update, no_update, str(error)

    @app.callback(Output("screen-job", "data"), Output("screen-poll", "disabled"),
                  Output("screen-message", "children", allow_duplicate=True), Input("screen-run", "n_clicks"),
                  *(State(i, "value") for i in LIST_COLUMNS.values()), State("screen-voltage", "value"),
                  prevent_initial_call=True)
    @guarded(3)
    def run(_, ses, electrodes, coatings, voltage):
        lists = {"SE": parse_names(ses), "electrode": parse_names(electrodes),
                 "coating": parse_names(coatings, coatings=True)}
        try:
            return jobs.start(lists, check_voltage(voltage)), False, ""
        except ScreenError as error:
            return no_update, True, str(error)

    @app.callback(Output("screen-progress", "value"), Output("screen-status", "children"),
                  Output("screen-rejected", "children"), Output("screen-poll", "disabled", allow_duplicate=True),
                  Output("screen-done", "data"), Output("screen-message", "children", allow_duplicate=True),
                  Input("screen-poll", "n_intervals"), State("screen-job", "data"), prevent_initial_call=True)
    @guarded(6)
    def poll(_, job_id):
        job = jobs.get(job_id)
        if job is None:
            return 0, "", [], True, None, "this screen is no longer kept: run it again"
        rejected = [html.Li(str(item)) for item in job.rejected]
        if not job.finished:
            status = f"{job.done:,} of {job.total:,} combinations ({job.stage})"
            return job.done / max(job.total, 1), status, rejected, False, no_update, ""
        if job.error:
            return 0, "", rejected, True, None, job.error
        status = f"{len(job.results):,} combinations ranked in {job.seconds:.1f} s"
        return 1, status, rejected, True, job_id, ""

    @app.callback(Output("screen-heatmap", "figure"), Output("screen-coating", "options"),
                  Output("screen-coating", "value"), Output("screen-message", "children", allow_duplicate=True),
                  Input("screen-done", "data"), Input("screen-coating", "value"), Input("screen-colour", "value"),
                  prevent_initial_call=True)
    @guarded(4)
    @with_finished_screen(no_update, no_update, no_update, "")
    def heatmap(job, chosen, colour):
        values = [c or NO_COATING_VALUE for c in job.listed["coating"]]
        if chosen not in values or ctx.triggered_id == "screen-done":  # a new screen opens on its best row's coating
            chosen = job.results["coating"].iloc[0] or NO_COATING_VALUE
        coating = "" if chosen == NO_COATING_VALUE else chosen
        figure = heatmap_figure(job.results, job.listed, coating, colour, COLOUR_COLUMNS[colour])
        return figure, [{"label": v, "value": v} for v in values], chosen, ""

    @app.callback(Output("screen-table", "data"), Output("screen-table", "page_count"),
                  Output("screen-message", "children", allow_duplicate=True), Input("screen-done", "data"),
                  Input("screen-table", "page_current"), Input("screen-table", "page_size"),
                  Input("screen-table", "sort_by"), prevent_initial_call=True)
    @guarded(3)
    @with_finished_screen([], 1, "")
    def table_page(job, page, size, sort_by):
        results = job.results
        if sort_by:
            results = results.sort_values(sort_by[0]["column_id"], ascending=sort_by[0]["direction"] == "asc",
                                          kind="stable", na_position="last")
        page = page if (page or 0) * size < len(results) else 0
        rows = results.iloc[page * size:(page + 1) * size][list(TABLE_COLUMNS)]
        return rows.to_dict("records"), max(1, math.ceil(len(results) / size)), ""

    @app.callback(Output("screen-download", "data"), Output("screen-message", "children", allow_duplicate=True),
                  State("screen-done", "data"), Input("download-csv", "n_clicks"), Input("download-parquet", "n_clicks"),
                  prevent_initial_call=True)
    @guarded(2)
    @with_finished_screen(no_update, "run a screen first")
    def download(job, _csv, _parquet):
        results = job.results
        if ctx.triggered_id == "download-parquet":
            return dcc.send_bytes(lambda handle: results.to_parquet(handle, index=False), "screen.parquet"), ""
        return dcc.send_data_frame(results.to_csv, "screen.csv", index=False), ""
