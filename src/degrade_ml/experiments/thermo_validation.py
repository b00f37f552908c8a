"""How far the phase-energy table can be trusted: formation energies against pymatgen's bundled experimental
table, SE windows against published DFT windows, and the review's statements, written to reports/thermo.md.

Run: `degrade-ml experiment thermo-validation [REPORT_DIR]`."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import pymatgen.analysis.compatibility
from pymatgen.core import Composition

from degrade_ml.io.atomic import atomic_write
from degrade_ml.thermo.engine import ThermoEngine, default_engine
from degrade_ml.thermo.table import table_hash

# Published DFT windows, V vs Li/Li+: Zhu, He & Mo, ACS AMI 2015, 7, 23685 (review ref [11b]).
PUBLISHED_WINDOWS: dict[str, tuple[float, float]] = {
    "Li3PS4": (1.71, 2.31),
    "Li10GeP2S12": (1.71, 2.14),
    "Li6PS5Cl": (1.71, 2.01),
}
WINDOW_SOURCE = "Zhu, He & Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b])"
# Reductions the review states in its Figure 2 / Section 2.2.2 data (data/electrolytes.csv, from [11b]).
PUBLISHED_REDUCTION: dict[str, float] = {"Li7P3S11": 2.28}
WINDOW_TOLERANCE_V = 0.3
REACTION_PAIRS: tuple[tuple[str, str], ...] = (("Li3PS4", "LiCoO2"), ("Li6PS5Cl", "LiCoO2"), ("Li6PS5Cl", "LiNbO3"))


def experimental_formation_energies() -> dict[str, float]:
    """Experimental formation enthalpies shipped with pymatgen, eV/atom, by reduced formula."""
    path = Path(pymatgen.analysis.compatibility.__file__).parent / "exp_compounds.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = json.load(handle)
    energies: dict[str, float] = {}
    for row in rows:
        composition = Composition(row["formula"])
        energies.setdefault(composition.reduced_formula, row["exp energy"] / composition.num_atoms)
    return energies


@dataclass(frozen=True)
class FormationComparison:
    formula: str
    table_eV_atom: float
    experiment_eV_atom: float

    @property
    def error_meV_atom(self) -> float:
        return (self.table_eV_atom - self.experiment_eV_atom) * 1000


def compare_formation_energies(engine: ThermoEngine) -> list[FormationComparison]:
    """Every compound in both tables, on the table's lowest-energy entry of that formula."""
    experiment = experimental_formation_energies()
    best: dict[str, float] = {}
    table = engine.table
    for composition, energy in zip(table.compositions, engine.formation_energies()):
        formula = composition.reduced_formula
        if composition.is_element or formula not in experiment:
            continue
        best[formula] = min(best.get(formula, float(energy)), float(energy))
    return [FormationComparison(f, e, experiment[f]) for f, e in sorted(best.items())]


@dataclass(frozen=True)
class WindowComparison:
    formula: str
    reduction_V: float | None
    oxidation_V: float | None
    published_reduction_V: float
    published_oxidation_V: float | None
    reduction_products: tuple[str, ...]
    oxidation_products: tuple[str, ...]

    def within(self, tolerance: float = WINDOW_TOLERANCE_V) -> bool:
        ok = self.reduction_V is not None and abs(self.reduction_V - self.published_reduction_V) <= tolerance
        if self.published_oxidation_V is not None:
            ok = ok and self.oxidation_V is not None and abs(self.oxidation_V - self.published_oxidation_V) <= tolerance
        return ok


def compare_windows(engine: ThermoEngine) -> list[WindowComparison]:
    rows = []
    published = {f: (red, ox) for f, (red, ox) in PUBLISHED_WINDOWS.items()}
    published |= {f: (red, None) for f, red in PUBLISHED_REDUCTION.items()}
    for formula, (red, ox) in published.items():
        window = engine.window(formula)
        rows.append(WindowComparison(formula, window.reduction_limit_V, window.oxidation_limit_V, red, ox,
                                     window.reduction_products, window.oxidation_products))
    return rows


def review_statements(engine: ThermoEngine) -> list[tuple[str, str, bool]]:
    """(statement, what the table gives, whether it agrees) for what the review states; reported, not forced."""
    lgps_li = engine.contact("Li10GeP2S12", "Li", None)
    lines = [("LGPS against Li metal forms a Li–Ge alloy or reduced Ge (Section 2.2.2, [18a])", f"products {', '.join(lgps_li.products)}",
              "Li_M_alloy" in lgps_li.product_classes)]
    energies = {c: engine.contact("Li6PS5Cl", formula, 4.0).reaction_energy_meV_atom
                for c, formula in (("LCO", "LiCoO2"), ("NMC111", "LiNi0.333Mn0.333Co0.333O2"), ("LMO", "LiMn2O4"))}
    ordered = energies["LCO"] >= energies["NMC111"] >= energies["LMO"]
    lines.append(("toward LPSCl, reactivity LCO < NMC111 << LMO (Section 3.2.1, [86])",
                  ", ".join(f"{k} {v:.0f}" for k, v in energies.items()) + " meV/atom at 4.0 V", ordered))
    return lines


def write_report(report_dir: Path, engine: ThermoEngine | None = None) -> Path:
    engine = engine or default_engine()
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    formation = compare_formation_energies(engine)
    windows = compare_windows(engine)
    errors = [abs(c.error_meV_atom) for c in formation]
    worst = sorted(formation, key=lambda c: -abs(c.error_meV_atom))[:8]
    parity = _parity_plot(formation, report_dir / "thermo_parity.png")
    window_plot = _window_plot(engine, report_dir / "thermo_windows.png")
    lines = [
        "# Phase-energy table: validation",
        "",
        f"Table `data/thermo/phases.csv` (sha256 `{table_hash()[:12]}`), {len(engine.table.names)} phases over "
        f"{len(engine.elements)} elements. Generated by `degrade-ml experiment thermo-validation`.",
        "",
        "## Formation energies against experiment",
        "",
        f"{len(formation)} compounds appear both in the table and in pymatgen's bundled experimental formation "
        "enthalpies (`exp_compounds.json.gz`).",
        "",
        f"- MAE: **{sum(errors) / max(len(errors), 1):.0f} meV/atom**; median {sorted(errors)[len(errors) // 2] if errors else 0:.0f} meV/atom",
        "- worst cases: " + ", ".join(f"{c.formula} {c.error_meV_atom:+.0f}" for c in worst),
        "",
        f"![parity]({parity.name})",
        "",
        "## SE windows against published DFT",
        "",
        f"Published: {WINDOW_SOURCE}; Li7P3S11 reduction from data/electrolytes.csv. Tolerance ±{WINDOW_TOLERANCE_V} V.",
        "",
        "| SE | reduction (ours / published) | oxidation (ours / published) | within | reduced to | oxidised to |",
        "|---|---|---|---|---|---|",
    ]
    for w in windows:
        lines.append(f"| {w.formula} | {_v(w.reduction_V)} / {w.published_reduction_V:.2f} | {_v(w.oxidation_V)} / "
                     f"{_v(w.published_oxidation_V)} | {'yes' if w.within() else '**no**'} | {', '.join(w.reduction_products)} | "
                     f"{', '.join(w.oxidation_products)} |")
    lines += ["", f"![windows]({window_plot.name})", "", "## Reaction energies", "",
              "Most negative reaction energy of each pair, chemical and with Li open at 4.0 V (meV/atom of the mixture). "
              "No published value for these pairs could be verified from the sources available offline, so none is "
              "compared; the numbers are reported for the record.", "",
              "| pair | chemical | products | at 4.0 V | products |", "|---|---|---|---|---|"]
    for a, b in REACTION_PAIRS:
        chemical, open_li = engine.contact(a, b, None), engine.contact(a, b, 4.0)
        lines.append(f"| {a} / {b} | {chemical.reaction_energy_meV_atom:.0f} | {', '.join(chemical.products)} | "
                     f"{open_li.reaction_energy_meV_atom:.0f} | {', '.join(open_li.products)} |")
    lines += _contact_section(engine, report_dir)
    lines += ["", "## What the review states", "", "| statement | table | agrees |", "|---|---|---|"]
    for statement, found, agrees in review_statements(engine):
        lines.append(f"| {statement} | {found} | {'yes' if agrees else '**no**'} |")
    path = report_dir / "thermo.md"
    text = "\n".join(lines) + "\n"
    atomic_write(path, lambda handle: handle.write(text.encode()))
    return path


def _contact_section(engine: ThermoEngine, report_dir: Path) -> list[str]:
    """Contact energies as the Materials Project app reports them (reactants at their hull at the potential), the
    reactants' own decomposition beside them, and the curves of Li6PS5Cl|LiCoO2 bare and through LiNbO3."""
    from degrade_ml.thermo.plots import plot_contacts

    lines = ["", "## Contacts at a cathode potential", "",
             "`reaction_energy_meV_atom` is the minimum of pymatgen's GrandPotentialInterfacialReactivity with its defaults "
             "(both reactants already at their grand-potential hull at 4.3 V, meV per non-Li atom); each reactant's own "
             "decomposition energy at that potential is beside it.", "",
             "| pair at 4.3 V | E_rxn | x | products | SE decomposition | cathode decomposition |", "|---|---|---|---|---|---|"]
    for cathode in ("LiCoO2", "LiMn2O4", "LiNi0.5Mn1.5O4", "LiFePO4", "LiNi0.8Mn0.1Co0.1O2"):
        c = engine.contact("Li3PS4", cathode, 4.3)
        lines.append(f"| Li3PS4 / {cathode} | {c.reaction_energy_meV_atom:.0f} | {c.mixing_ratio:.2f} | {', '.join(c.products)} | "
                     f"{c.decomposition_energy_a_meV_atom:.0f} | {c.decomposition_energy_b_meV_atom:.0f} |")
    contacts = [engine.contact("Li6PS5Cl", "LiCoO2", 4.3), engine.contact("Li6PS5Cl", "LiNbO3", None),
                engine.contact("LiNbO3", "LiCoO2", 4.3)]
    plot = plot_contacts(engine, contacts, report_dir / "thermo_lpscl_lco_lno.png")
    lines += ["", "Li6PS5Cl against LiCoO2 at 4.3 V, bare (top) and through a LiNbO3 coating (the SE|coating contact is "
              "chemical, the coating|cathode contact open to Li at 4.3 V):", "", f"![Li6PS5Cl, LiCoO2, LiNbO3]({plot.name})"]
    return lines


def _v(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _parity_plot(formation: list[FormationComparison], path: Path) -> Path:
    from degrade_ml.thermo.plots import pyplot, save_figure

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(4.8, 4.5))
    xs = [c.experiment_eV_atom for c in formation]
    ys = [c.table_eV_atom for c in formation]
    ax.scatter(xs, ys, s=14)
    low = min(xs + ys + [0.0]) - 0.2
    ax.plot([low, 0.2], [low, 0.2], "k:")
    for c in sorted(formation, key=lambda c: -abs(c.error_meV_atom))[:5]:
        ax.annotate(c.formula, (c.experiment_eV_atom, c.table_eV_atom), fontsize=7)
    ax.set_xlabel("experimental ΔHf (eV/atom)")
    ax.set_ylabel("table ΔHf (eV/atom)")
    ax.set_title("Formation energies")
    return save_figure(fig, path)


def _window_plot(engine: ThermoEngine, path: Path) -> Path:
    from degrade_ml.thermo.plots import plot_windows

    formulas = ["Li3PS4", "Li7P3S11", "Li10GeP2S12", "Li6PS5Cl", "Li6PS5Br", "Li6PS5I"]
    return plot_windows([engine.window(f) for f in formulas if not engine.placement_warning(f)], path)
