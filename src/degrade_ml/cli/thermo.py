"""`degrade-ml window` and `degrade-ml react`: the thermodynamics of the phase-energy table, as tables, JSON and plots."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from degrade_ml.errors import OutsideError, UserError
from degrade_ml.io import strict_json
from degrade_ml.resolve import (
    Material,
    contact_size_error,
    electrode_potential,
    materials_table,
    resting_potential,
    voltage_conflict,
)

VOLTAGE_RANGE = (0.0, 10.0)


def _resolve(text: str, option: str) -> Material:
    try:
        return materials_table().resolve_in(text, option.removeprefix("--"))
    except ValueError as error:
        raise UserError(f"{option}: {error}") from None


def _engine():
    from degrade_ml.thermo.engine import default_engine

    try:
        return default_engine()
    except (FileNotFoundError, ValueError) as error:
        raise OutsideError(f"phase-energy table unavailable: {error}") from None


def _check_plot(plot: Path | None) -> None:
    if plot is None:
        return
    if plot.suffix.lower() != ".png":
        raise UserError(f"--plot {str(plot)!r}: give a .png file")
    if not plot.parent.is_dir():
        raise UserError(f"--plot {str(plot)!r}: folder {str(plot.parent)!r} does not exist")
    if plot.exists() and not plot.is_file():
        raise UserError(f"--plot {str(plot)!r} exists and is not a regular file")


def _draw(plot_function: Callable, items: list, plot: Path) -> None:
    """Draw into `plot` by the one exit rule: a path that cannot be written is the user's (2), the disk's failure not (1)."""
    from degrade_ml.io.atomic import DiskError, OutputError

    try:
        plot_function(items, plot)
    except (OutputError, DiskError) as error:
        raise type(error)(f"--plot {error}") from None


def window_json(name: str, window, notes: tuple[str, ...] = ()) -> dict:
    """The window as `window --json` prints it; `notes`: what reading the SE's name assumed, before its warnings."""
    return {
        "se": name, "formula": window.formula,
        "reduction_limit_V": window.reduction_limit_V, "oxidation_limit_V": window.oxidation_limit_V,
        "reduction_products": list(window.reduction_products), "oxidation_products": list(window.oxidation_products),
        "reduction_product_classes": list(window.reduction_classes),
        "oxidation_product_classes": list(window.oxidation_classes),
        "energy_above_hull_meV_atom": window.energy_above_hull_meV,
        "warnings": [*notes, *window.warnings],
    }


def run_window(se: str, as_json: bool, plot: Path | None, out: Console) -> None:
    from degrade_ml.thermo.engine import ThermoCoverageError

    material = _resolve(se, "SE")
    _check_plot(plot)
    engine = _engine()
    try:
        window = engine.window(material.formula)
    except ThermoCoverageError as error:
        raise UserError(str(error)) from None
    if plot is not None:
        from degrade_ml.thermo.plots import plot_windows

        _draw(plot_windows, [window], plot)
    notes = (material.note,) if material.note else ()
    if as_json:
        out.print_json(strict_json.dumps(window_json(se, window, notes)))
        return
    table = Table(title=f"{se} ({material.formula}): electrochemical window vs Li/Li+")
    for column in ("limit", "V", "phases", "product classes"):
        table.add_column(column)
    table.add_row("reduction", _volts(window.reduction_limit_V), ", ".join(window.reduction_products), ", ".join(window.reduction_classes))
    table.add_row("oxidation", _volts(window.oxidation_limit_V), ", ".join(window.oxidation_products), ", ".join(window.oxidation_classes))
    out.print(table)
    for warning in (*notes, *window.warnings):
        out.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)
    if plot is not None:
        out.print(f"plot → {plot}", markup=False, highlight=False)


def _volts(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def check_voltage(voltage: float | None) -> None:
    if voltage is None:
        return
    low, high = VOLTAGE_RANGE
    if math.isnan(voltage) or not low <= voltage <= high:
        raise UserError(f"--voltage {voltage!r} is outside [{low:g}, {high:g}] V vs Li/Li+")


def run_react(se: str, electrode: str, coating: str | None, voltage_text: str | None, as_json: bool,
              plot: Path | None, out: Console) -> None:
    from degrade_ml.conditions import OpenCircuit, parse_voltage
    from degrade_ml.query import split_coated
    from degrade_ml.thermo.engine import ThermoCoverageError
    from degrade_ml.thermo.stack import interface_parts

    given = parse_voltage(voltage_text) if voltage_text else None
    at_rest = given if isinstance(given, OpenCircuit) else None
    voltage = None if at_rest else given
    check_voltage(voltage)
    if not coating:  # a coated electrode named in one option ("LiNbO3-coated NMC811"), as predict reads it
        electrode, coating = split_coated(electrode, materials_table()) or (electrode, coating)
    a = _resolve(se, "--se")
    b = _resolve(electrode, "--electrode")
    if voltage_conflict(b, voltage):
        raise UserError(voltage_conflict(b, voltage))
    c = _resolve(coating, "--coating") if coating else None
    if contact_size_error(a, b, c):
        raise UserError(contact_size_error(a, b, c))
    _check_plot(plot)
    engine = _engine()
    potential = resting_potential(b) if at_rest else electrode_potential(b, voltage)
    # the contacts the predictor computes, as it computes them (a metallic interlayer meets the SE at the electrode's
    # potential, an insulating coating chemically; a lithiated cathode below its oxidation onset closed to Li)
    try:
        parts = interface_parts(engine, a.formula, b.formula, c.formula if c else "", potential)
    except ThermoCoverageError as error:
        raise UserError(str(error)) from None
    contacts = [parts.se_electrode, *((parts.se_coating, parts.coating_electrode) if c else ())]
    pairs = [(a, b), (a, c), (c, b)][:len(contacts)]
    warnings = [m.note for m in (a, b, c) if m is not None and m.note]  # what reading each name assumed
    warnings += list(dict.fromkeys(w for contact in contacts for w in contact.warnings))
    if at_rest:
        warnings.append(at_rest.note(potential))
    elif potential is None and not b.formula == "Li":
        warnings.append(f"no potential known for {electrode}: give --voltage for the electrochemical (Li-open) contact")
    if plot is not None:
        from degrade_ml.thermo.plots import plot_contacts

        _draw(lambda items, path: plot_contacts(engine, items, path), contacts, plot)
    if as_json:
        payload = {"contacts": [_contact_json(engine, contact, x.name, y.name) for contact, (x, y) in zip(contacts, pairs)],
                   "warnings": warnings}
        out.print_json(strict_json.dumps(payload))
        return
    table = Table(title="Interface reactions (phase-energy table)")
    for column in ("contact", "potential (V)", "E_rxn (meV/atom)", "x", "products", "product classes"):
        table.add_column(column)
    # behind a coating the SE does not meet the electrode: that contact is what the interface would be uncoated
    uncoated_only = [bool(c) and contact is parts.se_electrode for contact in contacts]
    labels = [f"{x.name} | {y.name}" + (" (if uncoated)" if only else "") for (x, y), only in zip(pairs, uncoated_only)]
    for contact, label in zip(contacts, labels):
        table.add_row(label, "chemical" if contact.potential_V is None else f"{contact.potential_V:g}",
                      f"{contact.reaction_energy_meV_atom:.0f}", f"{contact.mixing_ratio:.2f}",
                      ", ".join(contact.products) or "none", ", ".join(contact.product_classes))
    out.print(table)
    for contact, label in zip(contacts, labels):
        out.print(f"{label}: {contact.reaction or 'no reaction'}", markup=False, highlight=False)
    for contact, (x, _), label in zip(contacts, pairs, labels):
        if contact.a == parts.se_electrode.a and contact.interphase_products != contact.products:
            holds = ", ".join(contact.interphase_products) or "nothing"
            out.print(f"{label}, next to {x.name} (what its interphase holds): {holds} "
                      f"({', '.join(contact.interphase_classes) or 'no product class'})", markup=False, highlight=False)
    touching = [(contact, pair) for contact, pair, only in zip(contacts, pairs, uncoated_only) if not only]
    for line in _own_decompositions(engine, touching):
        out.print(line, markup=False, highlight=False)
    for warning in warnings:
        out.print(f"warning: {warning}", style="yellow", markup=False, highlight=False)
    if plot is not None:
        out.print(f"plot → {plot}", markup=False, highlight=False)


def _own_decompositions(engine, contacts: list[tuple]) -> list[str]:
    """Each material that decomposes on its own at the potential of a contact it makes, once: a contact that does
    not react (Li6PS5Cl | Si at 0.1 V) says nothing of the SE reduced beside it, which the contact energy leaves out.
    `contacts`: (contact, (material a, material b)) of the contacts the stack has (behind a coating the SE does not
    meet the electrode's potential)."""
    lines = {}
    for contact, pair in contacts:
        if contact.potential_V is None or "Li" in (contact.a, contact.b):  # closed: Li metal is met chemically
            continue
        energies = (contact.decomposition_energy_a_meV_atom, contact.decomposition_energy_b_meV_atom)
        for material, energy in zip(pair, energies):
            if energy < -0.5 and (material.name, contact.potential_V) not in lines:
                phases = ", ".join(engine.decomposition_at(material.formula, contact.potential_V))
                lines[material.name, contact.potential_V] = (
                    f"{material.name} on its own at {contact.potential_V:g} V: {energy:.0f} meV/atom, to {phases}")
    return list(lines.values())


def _contact_json(engine, contact, a_name: str, b_name: str) -> dict:
    """SPEC §4 `react --json`: the contact as the Materials Project app reports it, and every kink of its curve."""
    from degrade_ml.thermo.kinks import contact_kinks

    return {
        "a": a_name, "b": b_name, "a_formula": contact.a, "b_formula": contact.b, "potential_V": contact.potential_V,
        "reaction_energy_meV_atom": contact.reaction_energy_meV_atom, "mixing_ratio": contact.mixing_ratio,
        "products": list(contact.products), "product_classes": list(contact.product_classes),
        "interphase_products": list(contact.interphase_products),
        "interphase_classes": list(contact.interphase_classes),
        "decomposition_energy_a_meV_atom": contact.decomposition_energy_a_meV_atom,
        "decomposition_energy_b_meV_atom": contact.decomposition_energy_b_meV_atom,
        "coverage": contact.coverage, "reaction": contact.reaction,
        "kinks": [asdict(k) for k in contact_kinks(engine, contact)],
    }
