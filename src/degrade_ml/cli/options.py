"""What the commands share: the console, the wait messages, and the options several commands take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

out = Console()


def number(text: str) -> float:
    """Conditions parse as in a batch cell: `1_0` is refused, not read as 10."""
    from degrade_ml.conditions import parse_number

    return parse_number(text)


def voltage(text: str) -> float:
    """A voltage as in a batch cell: with its unit and the electrode it is measured against ("3.7 V vs Li-In")."""
    from degrade_ml.conditions import parse_condition

    return parse_condition("voltage_V", text)


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
