"""Reading and validating data/: the boundary where every record is checked before anything learns from it."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from degrade_ml.chemistry.formulas import elements_of, parse_formula
from degrade_ml.chemistry.rules import possible_products
from degrade_ml.data.observations import count_once, observation_problems
from degrade_ml.data.schema import BASIS_OF, INTERFACE_NUMERIC, TABLES
from degrade_ml.errors import OutsideError
from degrade_ml.resolve import MaterialsTable, electrode_potential, resting_potential
from degrade_ml.vocab import MATERIAL_COLUMNS, PRODUCT_CLASSES, split_list


@dataclass(frozen=True)
class Problem:
    """One thing wrong in data/, named by file, record and column."""

    file: str
    record: str
    column: str
    message: str
    line: int | None = None  # for problems found before the file could be read as a table

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}: line {self.line}: {self.message}"
        return f"{self.file}: record {self.record!r}, column {self.column!r}: {self.message}"


class DataValidationError(OutsideError, ValueError):
    """The knowledge base fails its checks: every command that reads it stops with one line (exit 1), not an
    internal error; `degrade-ml data validate` lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in data (run `degrade-ml data validate` for all): "
                         + "; ".join(str(p) for p in problems[:3]) + ("; …" if len(problems) > 3 else ""))


@dataclass(frozen=True)
class Dataset:
    """The validated knowledge base, typed, with the content hash that names this version of it."""

    interfaces: pd.DataFrame
    materials: pd.DataFrame
    electrolytes: pd.DataFrame
    trends: pd.DataFrame
    references: pd.DataFrame
    content_hash: str

    def labelled(self, basis: str = "stated") -> pd.DataFrame:
        """The records with only the labels of the given basis: `stated` (the default for training and
        scoring) blanks every inferred label; `all` keeps both. Either way each label of an observation stated in
        several places (the review and its paper) is kept once (`observation_id`)."""
        if basis == "all":
            return count_once(self.interfaces)
        if basis != "stated":
            raise ValueError(f"label basis {basis!r}: choose 'stated' or 'all'")
        records = self.interfaces.copy()
        for label, basis_column in BASIS_OF.items():
            records.loc[records[basis_column] != "stated", label] = ""
        return count_once(records)

    @property
    def se_family(self) -> dict[str, str]:
        """SE family (Figure 2 classification) keyed by reduced formula."""
        return {formula_key(f): fam for f, fam in zip(self.electrolytes["se_formula"], self.electrolytes["family"])}


def default_data_dir() -> Path:
    """data/ of the checkout this package runs from (the project installs in editable mode)."""
    return Path(__file__).resolve().parents[3] / "data"


def formula_key(formula: str) -> str:
    """One spelling per composition, so `Li3PS4` and `Li6P2S8` meet."""
    return parse_formula(formula).reduced_formula


def read_table(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame.apply(lambda column: column.str.strip())


def content_hash(data_dir: Path) -> str:
    """sha256 over the table files: the dataset version logged with every run and bundled model."""
    digest = hashlib.sha256()
    for name in sorted(TABLES):
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def validate_dir(data_dir: Path | None = None) -> list[Problem]:
    """Every problem in data/, or an empty list when the knowledge base is valid."""
    data_dir = Path(data_dir or default_data_dir())
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, (schema, id_column) in TABLES.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(Problem(name, "-", "-", f"file missing in {data_dir}"))
            continue
        unreadable = _unreadable(name, path)
        if unreadable:
            problems.append(unreadable)
            continue
        frame = read_table(path)
        tables[name] = frame
        problems += _schema_problems(name, frame, schema, id_column)
        problems += _duplicate_problems(name, frame, id_column)
    return problems + _cross_table_problems(tables)


def _unreadable(name: str, path: Path) -> Problem | None:
    """A byte that is not UTF-8 or a quote that never closes, with the line it is on; None when readable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return Problem(name, "-", "-", f"byte {raw[error.start]:#04x} is not UTF-8 text; save the file as UTF-8",
                       line=line)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    started, width = 1, None
    try:
        for row in reader:
            if reader.line_num > started and any("\n" in cell or "\r" in cell for cell in row):
                return Problem(name, "-", "-", f"a quoted field opened on this line closes only on line "
                               f"{reader.line_num} (unterminated quote?)", line=started)
            if row and width is not None and len(row) != width:
                return Problem(name, "-", "-", f"{len(row)} fields, the header has {width}", line=started)
            width = len(row) if width is None else width
            started = reader.line_num + 1
    except csv.Error as error:
        if "end of data" in str(error):
            return Problem(name, "-", "-", "a quoted field opened on this line is never closed (unterminated quote)",
                           line=started)
        return Problem(name, "-", "-", f"quotes do not pair up on this line (unterminated or stray quote: {error})",
                       line=started)
    try:
        read_table(path)
    except (pd.errors.ParserError, ValueError) as error:
        found = re.search(r"line (\d+)", str(error))
        return Problem(name, "-", "-", f"not a readable CSV table ({' '.join(str(error).split())})",
                       line=int(found.group(1)) if found else started)
    return None


def load_dataset(data_dir: Path | None = None) -> Dataset:
    """The validated, typed knowledge base; DataValidationError listing every problem otherwise."""
    data_dir = Path(data_dir or default_data_dir())
    problems = validate_dir(data_dir)
    if problems:
        raise DataValidationError(problems)
    interfaces = read_table(data_dir / "interfaces.csv")
    for column in INTERFACE_NUMERIC:
        interfaces[column] = pd.to_numeric(interfaces[column].replace("", None)).astype(float)
    interfaces["in_situ"] = interfaces["in_situ"].map({"true": True, "false": False}).astype("boolean")
    materials = read_table(data_dir / "materials.csv")
    interfaces["potential_V"] = _record_potentials(interfaces, MaterialsTable(materials))
    electrolytes = read_table(data_dir / "electrolytes.csv")
    electrolytes["reduction_potential_V"] = pd.to_numeric(electrolytes["reduction_potential_V"].replace("", None)).astype(float)
    return Dataset(
        interfaces=interfaces,
        materials=materials,
        electrolytes=electrolytes,
        trends=read_table(data_dir / "trends.csv"),
        references=read_table(data_dir / "references.csv"),
        content_hash=content_hash(data_dir),
    )


def _record_potentials(interfaces: pd.DataFrame, materials: MaterialsTable) -> list[float]:
    """The electrode potential each record's interface saw: its stated voltage; at the pristine contact (`state`
    contact) the potential the electrode holds at rest, none for a cathode, which meets the SE chemically, as an
    "OCV" query is answered; else the electrode's nominal potential (materials table); else NaN (derived, not
    stored: the data state what the source states; no structural-family guess)."""
    potentials = []
    for name, voltage, state in zip(interfaces["electrode"], interfaces["voltage_V"], interfaces["state"]):
        electrode = materials.resolve(name)
        if pd.isna(voltage) and state == "contact":
            potential = resting_potential(electrode)
        else:
            potential = electrode_potential(electrode, None if pd.isna(voltage) else float(voltage), by_family=False)
        potentials.append(float("nan") if potential is None else potential)
    return potentials


def _schema_problems(name: str, frame: pd.DataFrame, schema: pa.DataFrameSchema, id_column: str) -> list[Problem]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return [_problem_from_failure(name, frame, id_column, case) for case in errors.failure_cases.itertuples()]
    return []


def _problem_from_failure(name: str, frame: pd.DataFrame, id_column: str, case) -> Problem:
    index = case.index
    record = str(frame.at[index, id_column]) if index is not None and index == index and id_column in frame else "-"
    column = str(case.column) if case.column is not None else "-"
    if case.check in ("column_in_dataframe", "column_in_schema"):
        return Problem(name, "-", str(case.failure_case), f"column {case.check.replace('_', ' ')} check failed")
    return Problem(name, record, column, f"{case.failure_case!r} {case.check}")


def _duplicate_problems(name: str, frame: pd.DataFrame, id_column: str) -> list[Problem]:
    if id_column not in frame or name == "electrolytes.csv":
        return []
    duplicated = frame[id_column][frame[id_column].duplicated()]
    return [Problem(name, value, id_column, "duplicate id") for value in duplicated.unique()]


_CROSS_COLUMNS = {
    "interfaces.csv": ("record_id", "se", "se_formula", "electrode", "electrode_formula", "coating", "coating_formula", "products",
                       "doi", "review_ref", "state", "voltage_V", "temperature_C", "pressure_MPa", "stability_basis"),
    "materials.csv": ("name", "formula"),
    "electrolytes.csv": ("se_formula",),
    "trends.csv": ("trend_id", "lower_record", "higher_record"),
    "references.csv": ("review_ref", "doi", "records"),
}


def _cross_table_problems(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Checks between tables, reported beside the schema problems: each check runs on whatever tables could be
    read, and skips cells whose own value is already a schema problem (a formula that does not parse)."""
    usable = {name: frame for name, frame in tables.items()
              if all(column in frame.columns for column in _CROSS_COLUMNS.get(name, ()))}
    problems: list[Problem] = []
    interfaces = usable.get("interfaces.csv")
    if interfaces is not None:
        for row in interfaces.itertuples(index=False):
            problems += _element_conservation(row)
        if "materials.csv" in usable:
            problems += _unknown_names(interfaces, usable["materials.csv"])
        if "electrolytes.csv" in usable:
            problems += _unlisted_electrolytes(interfaces, usable["electrolytes.csv"])
        if "trends.csv" in usable:
            record_ids = set(interfaces["record_id"])
            for row in usable["trends.csv"].itertuples(index=False):
                for column in ("lower_record", "higher_record"):
                    if getattr(row, column) not in record_ids:
                        problems.append(Problem("trends.csv", row.trend_id, column, f"{getattr(row, column)!r} is not a record_id of interfaces.csv"))
        if all(column in interfaces.columns for column in (*BASIS_OF.values(), "evidence")):
            problems += _basis_problems(interfaces)
        if "observation_id" in interfaces.columns:
            problems += [Problem("interfaces.csv", record, column, message)
                         for record, column, message in observation_problems(interfaces)]
        if "references.csv" in usable and "doi" in interfaces.columns:
            problems += _reference_problems(interfaces, usable["references.csv"])
    return problems


def _basis_problems(interfaces: pd.DataFrame) -> list[Problem]:
    """Every label says whether the source states it or we inferred it (and the evidence says from what);
    no label comes from the contract's chemistry rule, which would make the rule baseline right by construction."""
    problems = []
    for row in interfaces.itertuples(index=False):
        for label, basis_column in BASIS_OF.items():
            value, basis = getattr(row, label), getattr(row, basis_column)
            if value and not basis:
                problems.append(Problem("interfaces.csv", row.record_id, basis_column, f"{label} is set but its basis is empty (stated or inferred)"))
            if basis and not value:
                problems.append(Problem("interfaces.csv", row.record_id, basis_column, f"{basis!r} given for an empty {label}"))
        if "infer" not in row.evidence.lower() and "inferred" in (row.products_basis, row.stability_basis, row.modes_basis):
            problems.append(Problem("interfaces.csv", row.record_id, "evidence", "an inferred label needs the evidence to say what it was inferred from"))
        if "contract" in row.evidence.lower() or "chemistry rule" in row.evidence.lower():
            problems.append(Problem("interfaces.csv", row.record_id, "evidence", "labels may not come from the contract's chemistry rule"))
    return problems


def _reference_problems(interfaces: pd.DataFrame, references: pd.DataFrame) -> list[Problem]:
    """Each record's review references are listed in references.csv, whose counts and DOIs agree with the records."""
    listed = dict(zip(references["review_ref"], references["doi"]))
    counts = Counter(ref for cell in interfaces["review_ref"] for ref in split_list(cell))
    problems = []
    for row in interfaces.itertuples(index=False):
        refs = split_list(row.review_ref)
        for ref in refs:
            if ref not in listed:
                problems.append(Problem("interfaces.csv", row.record_id, "review_ref", f"{ref} is not in references.csv"))
        if row.doi and len(refs) == 1 and listed.get(refs[0]) and listed[refs[0]].lower() != row.doi.lower():  # DOIs ignore case
            problems.append(Problem("interfaces.csv", row.record_id, "doi", f"{row.doi} differs from the DOI of {refs[0]} in references.csv ({listed[refs[0]]})"))
    for row in references.itertuples(index=False):
        if row.records.isdigit() and int(row.records) != counts.get(row.review_ref, 0):
            problems.append(Problem("references.csv", row.review_ref, "records", f"says {row.records} but interfaces.csv has {counts.get(row.review_ref, 0)}"))
    return problems


def _unknown_names(interfaces: pd.DataFrame, materials: pd.DataFrame) -> list[Problem]:
    known_names = dict(zip(materials["name"], materials["formula"]))
    problems = []
    for row in interfaces.itertuples(index=False):
        for column in MATERIAL_COLUMNS:
            name = getattr(row, column)
            if name and name not in known_names and name != getattr(row, f"{column}_formula"):
                problems.append(Problem("interfaces.csv", row.record_id, column, f"{name!r} is not in materials.csv"))
    return problems


def _unlisted_electrolytes(interfaces: pd.DataFrame, electrolytes: pd.DataFrame) -> list[Problem]:
    se_formulas = {_key_or_none(f) for f in electrolytes["se_formula"]} - {None}
    return [
        Problem("interfaces.csv", row.record_id, "se_formula", f"{row.se_formula!r} is not in electrolytes.csv")
        for row in interfaces.itertuples(index=False)
        if (key := _key_or_none(row.se_formula)) is not None and key not in se_formulas
    ]


def _key_or_none(formula: str) -> str | None:
    try:
        return formula_key(formula)
    except ValueError:
        return None


def _element_conservation(row) -> list[Problem]:
    """A product needs its elements in SE + electrode + coating (SPEC §1): no LiCl from a Cl-free interface."""
    try:
        coating = parse_formula(row.coating_formula) if row.coating_formula else None
        elements = elements_of(parse_formula(row.se_formula), parse_formula(row.electrode_formula), coating)
    except ValueError:
        return []  # a formula that does not parse is a schema problem of its own
    allowed = possible_products(elements)
    return [
        Problem("interfaces.csv", row.record_id, "products", f"{key!r} needs elements the interface {sorted(elements)} lacks")
        for key in split_list(row.products)
        if key in PRODUCT_CLASSES and key not in allowed
    ]
