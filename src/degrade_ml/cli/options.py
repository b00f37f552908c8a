"""What the commands share: the console, the wait messages, and the options several commands take."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

out = Console()


def _condition_option(column: str):
    """An option read as a batch cell of its column is: with its unit ("4.3 V", "25 °C", "RT", "50 MPa"), a voltage
    with the electrode it is measured against ("3.7 V vs Li-In"), and refused with the batch's words ("'2.5-4.3' is
    a range; give one value …", "'1_0' is not a number")."""

    def parse(text: str) -> float:
        from degrade_ml.conditions import UnknownReferenceError, parse_stated_condition, unreadable

        try:
            return parse_stated_condition(column, text)
        except UnknownReferenceError as error:
            raise typer.BadParameter(str(error)) from None
        except ValueError:
            raise typer.BadParameter(unreadable(column, text)) from None

    parse.__name__ = column
    return parse


voltage = _condition_option("voltage_V")
temperature = _condition_option("temperature_C")
pressure = _condition_option("pressure_MPa")


def voltage_or_range(text: str) -> str:
    """`--voltage` of a query, which may also be a cycling window ("2.5-4.3 V") or OCV: checked here, and kept as
    written for the resolver, which reads it as a batch cell (a window gives the end the electrode holds: a cathode's
    upper cut-off, an anode's lower one; OCV the pristine contact)."""
    from degrade_ml.conditions import numbers_stated, parse_voltage

    try:
        value = parse_voltage(text)
    except ValueError:
        value = voltage(text)  # refused in the words of a batch cell
    if not all(math.isfinite(number) for number in numbers_stated(value)):
        raise typer.BadParameter(f"{text}: not a finite number (leave the option out when it is unknown)")
    return text


def voltage_or_open_circuit(text: str) -> str:
    """`--voltage` of `react`: one value, or OCV (the pristine contact); kept as written for `run_react` to read."""
    from degrade_ml.conditions import OpenCircuit, parse_voltage

    try:
        value = parse_voltage(text)
    except ValueError:
        value = None
    if not isinstance(value, OpenCircuit):
        voltage(text)  # one value, else refused in the words of a batch cell ("'2.5-4.3' is a range; …")
    return text


def voltage_or_open_circuit_value(text: str):
    """`--voltage` of `screen`: one value for every combination ("3.7 V vs Li-In" too), or OCV (AT_OPEN_CIRCUIT):
    every pristine contact, Li metal and its alloys at their own potentials, any other electrode chemically."""
    from degrade_ml.conditions import AT_OPEN_CIRCUIT, is_open_circuit

    return AT_OPEN_CIRCUIT if is_open_circuit(text) else voltage(text)


DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="Folder with interfaces.csv, materials.csv, electrolytes.csv, trends.csv (default: the project's data/).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
EscapeFormulas = Annotated[bool, typer.Option(
    "--escape-formulas",
    help="In CSV output, prefix text cells that begin with = + - @ with ' so that spreadsheets do not run them "
    "(default: cells pass through untouched).")]
ReportDir = Annotated[Path, typer.Option("--report-dir", help="Where the report and its figures go.")]
Track = Annotated[bool, typer.Option("--track/--no-track", help="Log the run to MLflow (MLFLOW_TRACKING_URI, else the local store).")]


def say(message: str) -> None:
    """What the command waits for, on stderr (so that --json output stays clean)."""
    typer.echo(f"degrade-ml: {message}", err=True)
