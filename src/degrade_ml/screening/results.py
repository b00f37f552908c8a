"""What a screen returns and writes: the result, its SPEC cells, and the output file checked and written whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from degrade_ml.io.atomic import OutputError, atomic_write, output_target
from degrade_ml.io.csv_files import escape_formulas
from degrade_ml.io.spec_strings import as_spec_categories, as_spec_strings
from degrade_ml.models.predictor import NUMERIC_OUTPUT_COLUMNS
from degrade_ml.screening.grid import Rejected, ScreenError

OUTPUT_SUFFIXES = (".parquet", ".csv")
PREVIEW_ROWS = 100


@dataclass
class ScreenResult:
    results: pd.DataFrame  # ranked; top N only when asked (`screen_to_file`: the first PREVIEW_ROWS written)
    best_per_se: pd.DataFrame  # the best combination of every SE, from the full ranking
    rejected: list[Rejected]
    counts: tuple[int, int, int]  # usable SEs, electrodes, coatings
    combinations: int
    seconds: float
    engine: str
    rows_written: int | None = None  # `screen_to_file`: rows in the output file

def tidy(frame: pd.DataFrame, categorical: bool = False) -> pd.DataFrame:
    """SPEC §4 cells with one dtype per column whatever produced the frame (the typed predictor or the pyfunc on
    Spark): probabilities, voltage and energies as float64, text as str (`categorical`: the same text as categoricals,
    which a streamed screen spills as codes)."""
    frame = (as_spec_categories if categorical else as_spec_strings)(frame)  # output numbers are float64 from here on
    for column in frame.columns:
        if column == "voltage_V":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column not in NUMERIC_OUTPUT_COLUMNS and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            text = frame[column].fillna("").astype(str)
            frame[column] = text.astype("category") if categorical else text
    return frame

def write_results(results: pd.DataFrame, output: Path, escape: bool = False) -> None:
    """Parquet or CSV by suffix, written whole or not at all (`escape`: CSV cells safe from formula injection)."""
    output = Path(output)
    check_output(output)
    try:
        if output.suffix.lower() == ".parquet":
            atomic_write(output, lambda handle: results.to_parquet(handle, index=False))
        else:
            written = escape_formulas(results) if escape else results
            atomic_write(output, lambda handle: written.to_csv(handle, index=False))
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None

def check_output(output: Path, inputs: Sequence[Path] = ()) -> None:
    """ScreenError unless `output` is a .parquet or .csv path that can be written safely (see `atomic`)."""
    output = Path(output)
    if output.suffix.lower() not in OUTPUT_SUFFIXES:
        raise ScreenError(f"--output {str(output)!r}: must end in .parquet or .csv")
    try:
        output_target(output, inputs)
    except OutputError as error:
        raise ScreenError(f"--output {error}") from None
