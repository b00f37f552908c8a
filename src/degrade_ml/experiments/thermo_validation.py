"""How far the phase-energy table can be trusted: the candidate energy sources against pymatgen's bundled
experimental enthalpies (held out where fitted), the table against the Materials Project entries, SE windows against
published DFT windows (on the DFT level they were computed at), and the review's statements, in reports/thermo.md.

Run: `degrade-ml experiment thermo-validation [REPORT_DIR]`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from degrade_ml.experiments.thermo_candidates import (
    Candidate,
    candidates,
    class_rows,
    molecular_rows,
    table_sources,
)
from degrade_ml.experiments.thermo_outliers import outlier_section
from degrade_ml.io.atomic import atomic_write
from degrade_ml.thermo.engine import ThermoEngine, default_engine
from degrade_ml.thermo.sources import experimental_formation_energies
from degrade_ml.thermo.table import default_table_path, load_phase_table, table_hash

# Published DFT windows, V vs Li/Li+: Zhu, He & Mo, ACS AMI 2015, 7, 23685 (review ref [11b]), Table 1; Li7P3S11's
# reduction is also the one data/electrolytes.csv records from the review (Figure 2, Section 2.2.2).
PUBLISHED_WINDOWS: dict[str, tuple[float, float]] = {
    "Li3PS4": (1.71, 2.31),
    "Li10GeP2S12": (1.71, 2.14),
    "Li6PS5Cl": (1.71, 2.01),
    "Li7P3S11": (2.28, 2.31),
}
WINDOW_SOURCE = "Zhu, He & Mo, ACS Appl. Mater. Interfaces 2015, 7, 23685 (review ref [11b])"
WINDOW_TOLERANCE_V = 0.2
REACTION_PAIRS: tuple[tuple[str, str], ...] = (("Li3PS4", "LiCoO2"), ("Li6PS5Cl", "LiCoO2"), ("Li6PS5Cl", "LiNbO3"))


def dft_engine(level: str = "gga") -> ThermoEngine:
    """The shipped table on a DFT level: plain GGA/GGA+U ('gga', the level of Zhu, He & Mo's 2015 windows, which
    predate MP2020: their Li6PS5Cl limit is the Li2S -> S potential without a sulfide correction) or the Materials
    Project's MP2020 level ('mp2020'); neither carries the shifts fitted to experiment."""
    return ThermoEngine(load_phase_table(level=level))


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
    published_oxidation_V: float
    reduction_products: tuple[str, ...]
    oxidation_products: tuple[str, ...]

    def within(self, tolerance: float = WINDOW_TOLERANCE_V) -> bool:
        return all(edge is not None and abs(edge - published) <= tolerance for edge, published in
                   ((self.reduction_V, self.published_reduction_V), (self.oxidation_V, self.published_oxidation_V)))


def compare_windows(engine: ThermoEngine) -> list[WindowComparison]:
    rows = []
    for formula, (red, ox) in PUBLISHED_WINDOWS.items():
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
    experiment = experimental_formation_energies()
    scored = candidates()
    chosen = scored[-1]
    formation = compare_formation_energies(engine)
    errors = [abs(c.error_meV_atom) for c in formation]
    dft, mp2020_level = dft_engine("gga"), dft_engine("mp2020")
    parity = _parity_plot(chosen, experiment, report_dir / "thermo_parity.png")
    mp_parity, mp_shared, mp_mae = _mp_parity_plot(report_dir / "thermo_parity_mp.png")
    window_plot = _window_plot(dft, report_dir / "thermo_windows.png")
    sources = _source_counts()
    lines = [
        "# Phase-energy table: validation",
        "",
        f"Table `data/thermo/phases.csv` (sha256 `{table_hash()[:12]}`), {len(engine.table.names)} phases over "
        f"{len(engine.elements)} elements ({', '.join(sorted(engine.elements))}); "
        + ", ".join(f"{n} from {s}" for s, n in sources.items()) + ". Generated by `degrade-ml experiment thermo-validation`.",
        "",
        "## Which energies: candidates against experiment",
        "",
        "Formation energies per atom against pymatgen's experimental enthalpies (`exp_compounds.json.gz`), on the "
        "compounds the table holds that have one. A candidate that fits anything to experiment is scored "
        "leave-one-compound-out: the shifts that predict a compound are fitted without it.",
        "",
        "| candidate | compounds | MAE (meV/atom) | median | held out | worst | worst SE/product/cathode/coating compound | such compounds off by > 150 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for candidate in scored:
        sm = candidate.summary(experiment)
        held = _held_out_note(sm["name"], sm["held_out"])
        lines.append(f"| {sm['name']} | {sm['n']} | **{sm['mae']:.0f}** | {sm['median']:.0f} | {held} | "
                     + ", ".join(f"{f} {e:+.0f}" for f, e in sm["worst"][:4])
                     + f" | {sm['worst_battery'][0]} {sm['worst_battery'][1]:+.0f} | {len(sm['battery_over_150'])}: "
                     + ", ".join(sm["battery_over_150"]) + " |")
    shared = sorted(set(scored[0].predictions) & set(scored[3].predictions))
    from_wheel = set(scored[3].predictions)
    lines += [
        "",
        f"On the {len(shared)} compounds both CHGNet and the wheel hold: CHGNet {_mae(scored[0], experiment, shared):.0f}, "
        f"MP2020 {_mae(scored[3], experiment, shared):.0f} meV/atom. The chosen candidate by source, held out: "
        f"{len(from_wheel)} compounds from the wheel {_mae(chosen, experiment, from_wheel):.0f}, "
        f"{len(set(chosen.predictions) - from_wheel)} from CHGNet {_mae(chosen, experiment, set(chosen.predictions) - from_wheel):.0f} meV/atom.",
        "",
        "CHGNet's r2SCAN checkpoint (each compound the lower of a single point on its 0.3.0-relaxed structure and a "
        "relaxation from its authored structure, which keeps pyrite MnS2 high-spin where CHGNet 0.3.0 collapses it; its "
        "elemental references relaxed; `scripts/thermo/r2scan_energies.py`, cached in `data/thermo/r2scan_energies.json`; raw r2SCAN energies, no "
        "correction) beats CHGNet 0.3.0 on the same 100 compounds (second row) but not the shifted table: it fails where "
        "the Materials Project needs +U (Fe, Mn, Co oxides) and on Fe and Co phosphides. So the table takes it per class "
        "(`degrade_ml.thermo.source_choice`) where its error across the class's measured compounds the wheel lacks is "
        "below that of CHGNet 0.3.0 with held-out shifts; a class without such a compound keeps CHGNet 0.3.0. A class "
        "taken from r2SCAN is unshifted and left out of the shift fit, and the choice is held out twice: a compound's "
        "class gets its source without that compound, and the shifts that predict it are fitted without it.",
        "",
        "Two rules are scored. *By chemistry class* (third-last row): TM+U (a Co, Cr, Fe, Mn, Mo, Ni, V or W beside O or "
        "F, where r2SCAN without U fails as GGA does: FeO +202), TM or main-group cation × anion class. It scored lower "
        "but was built into the table and withdrawn: LiNbO3 (class TM/oxide, r2SCAN +98 against +22 shifted) reacted "
        "more with Li6PS5Cl (-162 against -122 meV/atom, to Li3NbS4 and NbS2), P2S5 left Li6PS5Cl's oxidation products "
        "(P2S3 instead), product micro-F1 across SE families fell from 0.584 to 0.552 and stability macro-F1 from 0.433 "
        "to 0.300, and two tests of a coating's effect failed. *By sub-class* (last row, shipped) splits two classes where "
        "the bonding differs, decided before looking at which compounds move: (1) transition metals at their group "
        "oxidation state, Ti4+, Zr4+, Nb5+, Ta5+, Y3+, La3+ (`TM-d0/...`): an empty d shell, band insulators like the "
        "main-group salts, with no occupied d states whose self-interaction error a meta-GGA removes, apart from the "
        "open-shell TMs without U (Ti2+/3+, Nb2+/4+, Cu+/2+: `TM/...`); (2) compounds of non-metals only (P4S3, P2S5, "
        "P4S7, P4S9, P2O5, P3N5: `molecular`), van der Waals molecular crystals whose lattice energy is dispersion, "
        "which r2SCAN without a dispersion term underbinds. Per sub-class (compounds the wheel lacks, meV/atom):",
        "",
        "| sub-class | chemistry class it splits (that class's source) | compounds | CHGNet 0.3.0 + shifts, held out | r2SCAN | table takes |",
        "|---|---|---|---|---|---|",
        *class_rows(),
        "",
        "The molecular solids the wheel lacks (P2S5, P4S7, P4S9) have no measured enthalpy, so the sub-class keeps "
        "CHGNet 0.3.0 by the rule; on those the wheel holds r2SCAN errs as expected ("
        + "; ".join(molecular_rows(experiment)) + " meV/atom). The d0 oxides go to CHGNet 0.3.0 by 45 against 49 "
        "meV/atom, a narrow margin; held out, without LiNbO3 the margin reverses and LiNbO3 is scored from r2SCAN. "
        "Built into the table, the sub-class rule keeps the chemistry the chemistry-class rule lost: LiNbO3 oxidises "
        "at the same 4.19 V (to LiNb3O8 + O2), Li6PS5Cl|LiNbO3 reacts at -119 meV/atom (-122 with CHGNet 0.3.0 + shifts "
        "everywhere), Li6PS5Cl oxidises to Li3PS4, LiCl and S and Li3PS4 to P2S5 and S, the Zhu windows on the GGA level "
        "do not move (r2SCAN rows keep CHGNet 0.3.0's GGA and MP2020 levels), and the coating tests pass. On the "
        "records' folds product micro-F1 goes from 0.594 / 0.351 / 0.594 to 0.588 / 0.343 / 0.588 (SE family / "
        "electrode / study): one interface, Li6PS5Cl|LiMn2O4 at 4.3 V (two records), now also forms MnSO4 (SOx, not "
        "reported there) because MnS, +494 before, is now +41; stability macro-F1 stays 0.433.",
        "",
        "A formula the wheel holds comes from the Materials Project (its entries beat CHGNet on the compounds both hold); "
        "every other compound is CHGNet 0.3.0's, or the r2SCAN checkpoint's in the sub-classes it takes; the MP and "
        "CHGNet 0.3.0 energies sit on the MP2020 level, and one set of per-species shifts (`fitted_shifts_eV` in "
        "build_info.json) is applied to them. The species follow the Materials Project's mixing scheme: a Co, Fe, Mn, "
        "Ni, Cr, V, Mo or W computed with U (beside O or F) is its own species, and the same metal computed without U "
        "(its sulfides, chlorides, phosphides) shares one shift per anion class with the others (`TM/chalcogenide`, "
        "`TM/halide`, `TM/pnictide`); compounds without an anion former (alloys such as LiAl, LiC6, carbides, silicides) "
        "are neither fitted nor shifted. Fitted to the wheel alone (fourth-last row), the TM sulfides and chlorides, which "
        "the wheel does not hold, got the anion's shift without a matching metal shift, and the TM dichlorides and MnS "
        "went from +100 to +170 to +300 to +500 meV/atom. Held out covers our shifts; MP2020's own coefficients were "
        "fitted by the Materials Project to these same wheel compounds, so for a fully held-out check the raw "
        "GGA/GGA+U entries with the shifts in place of MP2020 are scored too. The Materials Project's own MP2020 "
        "correction is reproduced: Li2S mp-1153 comes to -12.4656 eV per formula unit, the value the current Materials "
        "Project database gives for it.",
        "",
        "What the shifts and the r2SCAN classes do to the SE/product/cathode/coating compounds that any version gets "
        "wrong by more than 100 meV/atom (meV/atom, computed minus experiment; shifted = held out):",
        "",
        "| compound | no shifts | r2SCAN by chemistry class (withdrawn) | shifts only (shipped before) | r2SCAN by sub-class (shipped) |",
        "|---|---|---|---|---|",
        *_before_after([scored[5], scored[-3], scored[-2], chosen], experiment),
        "",
        *outlier_section(chosen, scored[5], experiment, engine, {c.formula: c.error_meV_atom for c in formation}),
        f"The shipped table itself (shifts fitted on all those compounds, so in sample for them): MAE "
        f"{sum(errors) / max(len(errors), 1):.0f} meV/atom on {len(formation)} compounds.",
        "",
        f"CHGNet against the Materials Project's own entries (MP2020) on the {mp_shared} compounds both hold: MAE "
        f"{mp_mae:.0f} meV/atom (CHGNet was trained on Materials Project energies of this kind).",
        "",
        f"![parity against experiment, held out]({parity.name}) ![CHGNet against the Materials Project]({mp_parity.name})",
        "",
        "## SE windows against published DFT",
        "",
        f"Published: {WINDOW_SOURCE}. Energy convention: plain GGA/GGA+U energies (`load_phase_table(level=\"gga\")`: "
        "the table's `uncorrected_energy_per_atom_eV`, without MP2020's anion and +U corrections and without the shifts "
        "fitted to experiment), the level Zhu et al. computed at in 2015, before MP2020. A sulfide correction moves every "
        "limit at which S is given off: Li2S gives off Li at "
        f"{_v(dft.window('Li2S').oxidation_limit_V)} V on the GGA level (to {', '.join(dft.window('Li2S').oxidation_products)}), "
        f"{_v(mp2020_level.window('Li2S').oxidation_limit_V)} V on the MP2020 level (to "
        f"{', '.join(mp2020_level.window('Li2S').oxidation_products)}), and Zhu et al.'s Li6PS5Cl limit, 2.01 V, is that "
        "uncorrected Li2S -> S potential. The table on the MP2020 level and as "
        f"shipped is beside it. Tolerance ±{WINDOW_TOLERANCE_V} V.",
        "",
        "| SE | reduction (GGA / published) | oxidation (GGA / published) | within | reduced to | oxidised to | MP2020 level | shipped table |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for w in compare_windows(dft):
        own, mp2020 = engine.window(w.formula), mp2020_level.window(w.formula)
        lines.append(f"| {w.formula} | {_v(w.reduction_V)} / {w.published_reduction_V:.2f} | {_v(w.oxidation_V)} / "
                     f"{_v(w.published_oxidation_V)} | {'yes' if w.within() else '**no**'} | {', '.join(w.reduction_products)} | "
                     f"{', '.join(w.oxidation_products)} | {_v(mp2020.reduction_limit_V)}–{_v(mp2020.oxidation_limit_V)} V | "
                     f"{_v(own.reduction_limit_V)}–{_v(own.oxidation_limit_V)} V |")
    above = [w.split(";")[0] for f in PUBLISHED_WINDOWS for w in dft.window(f).warnings if "above the hull" in w]
    lines += ["", "On the GGA level " + ", ".join(above) + " (each such SE's window is computed 1 meV/atom below the "
              "hull). Li7P3S11 and Li4P2S7 are searched packings, not the published coordinates, and relax to "
              "16-21 % above the experimental atomic volume of Li7P3S11, so their energies are upper bounds."]
    lno = engine.window("LiNbO3")
    lines += ["", f"LiNbO3 oxidation limit: {_v(lno.oxidation_limit_V)} V (shipped table; to {', '.join(lno.oxidation_products)}), "
              f"{_v(mp2020_level.window('LiNbO3').oxidation_limit_V)} V on the MP2020 level."]
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
             "(both reactants already at their grand-potential hull at 4.3 V, meV per non-Li atom); a contact that would "
             "give off O2, Cl2 or F2 is computed without that gas (one that would reduce carbonate to carbon, without "
             "reduced carbon). Each reactant's own decomposition energy at that potential, gas loss included, is "
             "beside it.", "",
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


def _before_after(versions: list[Candidate], experiment: dict[str, float]) -> list[str]:
    """One row per SE/product/cathode/coating compound any version gets wrong by more than 100 meV/atom."""
    errors = [v.errors_meV(experiment) for v in versions]
    battery = set(versions[-1].summary(experiment)["battery"])
    rows = sorted((f for f in battery if max(abs(e[f]) for e in errors) > 100), key=lambda f: -abs(errors[-1][f]))
    return ["| " + " | ".join([f] + [f"{e[f]:+.0f}" for e in errors]) + " |" for f in rows]


def _held_out_note(name: str, held_out: bool) -> str:
    """What 'held out' covers: our shifts always; MP2020's own coefficients were fitted by the Materials Project to
    these experimental data, so a candidate built on MP2020-corrected entries keeps that in-sample part."""
    on_mp2020 = name.startswith("MP") and "raw" not in name
    if not held_out:
        return "no: MP2020 was fitted to such data" if on_mp2020 else "nothing fitted"
    return "shifts held out; the MP2020 under the MP entries was fitted to such data" if on_mp2020 else "yes, fully"


def _mae(candidate: Candidate, experiment: dict[str, float], formulas) -> float:
    errors = candidate.errors_meV(experiment)
    return sum(abs(errors[f]) for f in formulas) / max(len(formulas), 1)


def _source_counts() -> dict[str, int]:
    import csv

    counts: dict[str, int] = {}
    with default_table_path().open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            counts[row["source"]] = counts.get(row["source"], 0) + 1
    return counts


def _scatter(ax, xs: list[float], ys: list[float], labels: list[str], xlabel: str, ylabel: str, title: str) -> None:
    ax.scatter(xs, ys, s=12)
    low = min(xs + ys + [0.0]) - 0.2
    ax.plot([low, 0.2], [low, 0.2], "k:")
    for x, y, label in sorted(zip(xs, ys, labels), key=lambda t: -abs(t[0] - t[1]))[:6]:
        ax.annotate(label, (x, y), fontsize=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)


def _parity_plot(chosen: Candidate, experiment: dict[str, float], path: Path) -> Path:
    from degrade_ml.thermo.plots import pyplot, save_figure

    fig, ax = pyplot().subplots(figsize=(4.8, 4.5))
    formulas = sorted(chosen.predictions)
    _scatter(ax, [experiment[f] for f in formulas], [chosen.predictions[f] for f in formulas], formulas,
             "experimental ΔHf (eV/atom)", "table ΔHf, held out (eV/atom)", "Formation energies (held out)")
    return save_figure(fig, path)


def _mp_parity_plot(path: Path) -> tuple[Path, int, float]:
    """CHGNet against the wheel's MP2020 entries on the compounds both hold: (figure, compounds, MAE meV/atom)."""
    from degrade_ml.thermo.plots import pyplot, save_figure

    chgnet, wheel = table_sources()
    shared = sorted(f for f in set(chgnet) & set(wheel) if len(wheel[f].composition.elements) > 1)
    xs = [wheel[f].formation_energy_eV_atom for f in shared]
    ys = [chgnet[f].formation_energy_eV_atom for f in shared]
    fig, ax = pyplot().subplots(figsize=(4.8, 4.5))
    _scatter(ax, xs, ys, shared, "Materials Project ΔHf, MP2020 (eV/atom)", "CHGNet 0.3.0 ΔHf (eV/atom)",
             f"CHGNet against the MP entries ({len(shared)} compounds)")
    mae = 1000 * sum(abs(x - y) for x, y in zip(xs, ys)) / max(len(shared), 1)
    return save_figure(fig, path), len(shared), mae


def _window_plot(engine: ThermoEngine, path: Path) -> Path:
    from degrade_ml.thermo.plots import plot_windows

    formulas = ["Li3PS4", "Li7P3S11", "Li10GeP2S12", "Li6PS5Cl", "Li6PS5Br", "Li6PS5I"]
    return plot_windows([engine.window(f) for f in formulas if not engine.placement_warning(f)], path)
