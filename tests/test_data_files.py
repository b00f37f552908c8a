"""`data validate` on files that are not clean CSV: a byte that is not UTF-8 or a quote that never closes is
named by file and line, and problems between tables are listed together with the schema problems."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from degrade_ml.cli.main import app
from degrade_ml.data import validate_dir

runner = CliRunner()


def _insert_line(path, number: int, text: bytes) -> None:
    """Put `text` as line `number` (1-based) of the file."""
    lines = path.read_bytes().splitlines(keepends=True)
    lines.insert(number - 1, text)
    path.write_bytes(b"".join(lines))


def test_a_byte_that_is_not_utf8_is_named_by_file_and_line(data_copy):
    path = data_copy / "materials.csv"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[4] = lines[4].replace(b",", b"\xe9,", 1)
    path.write_bytes(b"".join(lines))
    result = runner.invoke(app, ["data", "validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 1
    assert "materials.csv: line 5: byte 0xe9 is not UTF-8" in result.stdout, result.output
    assert "internal error" not in result.output


def test_an_unterminated_quote_is_named_by_file_and_line(data_copy):
    path = data_copy / "trends.csv"
    first_record = path.read_bytes().splitlines(keepends=True)[1]
    _insert_line(path, 3, b'"' + first_record)  # a quote opened before the row's own quoted evidence
    problems = validate_dir(data_copy)
    assert [(p.file, p.line) for p in problems if p.line] == [("trends.csv", 3)]
    assert "quote" in problems[0].message


def test_a_quote_left_open_at_the_end_is_named_by_file_and_line(data_copy):
    path = data_copy / "electrolytes.csv"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines) + b'Li3PS4,"LPS,glass-ceramic\n')
    problems = validate_dir(data_copy)
    assert [(p.file, p.line) for p in problems if p.line] == [("electrolytes.csv", len(lines) + 1)]
    assert "never closed" in problems[0].message


def test_cross_table_problems_are_reported_with_schema_problems(data_copy):
    interfaces = pd.read_csv(data_copy / "interfaces.csv", dtype=str, keep_default_na=False)
    interfaces.loc[0, "stability"] = "Stable"  # a schema problem
    interfaces.to_csv(data_copy / "interfaces.csv", index=False)
    trends = pd.read_csv(data_copy / "trends.csv", dtype=str, keep_default_na=False)
    trends.loc[0, "higher_record"] = "no-such-record"  # a problem between tables
    trends.to_csv(data_copy / "trends.csv", index=False)
    problems = validate_dir(data_copy)
    assert any(p.file == "interfaces.csv" and p.column == "stability" for p in problems)
    assert any(p.file == "trends.csv" and "no-such-record" in p.message for p in problems), problems


def test_a_bad_formula_is_one_schema_problem_not_a_crash_of_the_cross_checks(data_copy):
    interfaces = pd.read_csv(data_copy / "interfaces.csv", dtype=str, keep_default_na=False)
    interfaces.loc[0, "se_formula"] = "Lz6PS5Cl"
    interfaces.loc[1, "products"] = "Li2S;LiPolysulfide"
    interfaces.to_csv(data_copy / "interfaces.csv", index=False)
    problems = validate_dir(data_copy)
    assert [(p.record, p.column) for p in problems] == [
        (interfaces.loc[0, "record_id"], "se_formula"), (interfaces.loc[1, "record_id"], "products")]
