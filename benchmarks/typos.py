"""The typo check (`resolve.typo_warning`): how many slips it catches and how many real compounds it questions.

    .venv/bin/python benchmarks/typos.py

Slips are made from the materials table's formulas, as a hand slips: a digit or decimal point dropped, a digit
doubled or changed, an element with its count dropped; a slip that does not parse, or gives a formula the tables
hold, is not one. 1,500 of them are drawn with a fixed seed. Real compounds: battery materials the tables lack (SEs,
coatings, salts, alloys, polysulfides, Zintl phosphides), and the compounds of pymatgen's experimental and Materials
Project tables read as if they were unknown (the check knows them, so it is asked without them). Prints the share
flagged in each set and the time per formula.
"""

from __future__ import annotations

import random
import re
import time

from degrade_ml.chemistry.formulas import FormulaError, parse_formula
from degrade_ml.registry.bundle import load_bundle
from degrade_ml.resolve import KnownFormulas, typo_warning, wheel_compounds

SLIPS = 1500
SEED = 0
BATTERY_COMPOUNDS = """
Li3NbO4 Li2TiO3 Li4SiO4 Li6Zr2O7 Li8ZrO6 Li5AlO4 LiAl5O8 Li3B7O12 LiB3O5 Li4B2O5 Li6B4O9 Li2Si2O5 Li4GeO4 Li2GeO3
Li3TaO4 LiTa3O8 Li7TaO6 Li5La3Ta2O12 LiInS2 Li3ScCl6 Li3ErCl6 LiAlCl4 LiGaCl4 Li2S4 Li2S6 Li2S8 Li2SnS3 Li4GeS4
Li2GeS3 Li3AsS4 Li3BS3 LiBS2 Li5B7S13 Li7PS6 Li48P16S61 LiCoPO4 LiNiPO4 LiMnPO4 Li2FeS2 Li6CoO4 Li5FeO4 Li2NiO2
Li2CuO2 Li2MoO4 Li2WO4 Li2SO3 Li2NH LiNH2 LiN3 Li3BN2 Li7PN4 LiBH4 LiH Li2C2 LiP Li3P7 LiP7 LiP5 LiSi Li13Si4
Li21Si5 Li22Si5 LiGe Li9Ge4 Li22Ge5 Li22Sn5 Li2Sn5 Li13In3 LiMg Li2Te Li2Se LiIO3 LiBrO3 LiBF4 LiPF6 LiAsF6 Li2SiF6
LiO2 Li1.2Ni0.2Mn0.6O2 Li1.2Ni0.13Co0.13Mn0.54O2 Li4Mn5O12 Li2Mn2O4 LiCo2O4 Li3NbS4 Li2MnS2 LiCrS2 LiVS2 Li2MoS4
Li2ZnCl4 Li6PS5Cl0.5Br0.5 Li5.4PS4.4Cl1.6 Li6.6Si0.6Sb0.4S5I Li10SiP2S12 Li11Si2PS12 Li3PS3.7O0.3
""".split()


def slips(formula: str) -> set[str]:
    out = set()
    for i, char in enumerate(formula):
        if char.isdigit() or char == ".":
            out.add(formula[:i] + formula[i + 1:])
        if char.isdigit():
            out.add(formula[:i] + char + formula[i:])
            out.update(formula[:i] + digit + formula[i + 1:] for digit in "123456789" if digit != char)
    for element in re.finditer(r"[A-Z][a-z]?[0-9.]*", formula):
        out.add(formula[:element.start()] + formula[element.end():])
    return out - {formula}


def drawn_slips(known: KnownFormulas, formulas: list[str]) -> list[str]:
    found = set()
    for formula in formulas:
        for slip in slips(formula):
            try:
                reduced = parse_formula(slip).reduced_formula
            except (FormulaError, ValueError):
                continue
            if reduced not in known.formulas and reduced != parse_formula(formula).reduced_formula:
                found.add(slip)
    drawn = sorted(found)
    random.Random(SEED).shuffle(drawn)
    return drawn[:SLIPS]


def flagged(formulas: list[str], known: KnownFormulas) -> list[str]:
    return [formula for formula in formulas if typo_warning(formula, known)]


def main() -> None:
    predictor = load_bundle()
    known = predictor.known
    table_formulas = sorted({f for f in predictor.materials["formula"].dropna() if re.fullmatch(r"[A-Za-z0-9.()]+", f)})
    cases = drawn_slips(known, table_formulas)
    start = time.perf_counter()
    caught = flagged(cases, known)
    seconds = time.perf_counter() - start
    print(f"slips of {len(table_formulas)} table formulas: {len(caught)} of {len(cases)} flagged "
          f"({len(caught) / len(cases):.1%}); {1000 * seconds / len(cases):.2f} ms per formula")
    battery = [f for f in BATTERY_COMPOUNDS if parse_formula(f).reduced_formula not in known.formulas]
    questioned = flagged(battery, known)
    print(f"battery compounds the tables lack: {len(questioned)} of {len(battery)} flagged {questioned}")
    # pymatgen's compounds as if unknown: a check that knows only the project's tables
    alone = KnownFormulas(known.named.items(), with_pymatgen=False)
    wheel = [name for name, _ in wheel_compounds() if name not in known.formulas]
    questioned = flagged(wheel, alone)
    print(f"pymatgen's compounds, asked without them: {len(questioned)} of {len(wheel)} flagged "
          f"({len(questioned) / len(wheel):.1%})")


if __name__ == "__main__":
    main()
