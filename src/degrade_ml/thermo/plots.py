"""Figures of the thermodynamics: the SE window as a bar (like the review's Figure 4b) and the reaction energy of
each contact along its mixing line, kinks labelled with their products. Written whole or not at all."""

from __future__ import annotations

import textwrap
from pathlib import Path

from degrade_ml.io.atomic import atomic_write
from degrade_ml.thermo.engine import Contact, ThermoEngine, Window
from degrade_ml.thermo.kinks import contact_kinks

REACTION_LABEL_WIDTH = 60  # characters per line of a reaction written on its plot


def save_figure(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    atomic_write(Path(path), lambda handle: fig.savefig(handle, format="png", dpi=120))
    plt.close(fig)
    return Path(path)


def pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_windows(windows: list[Window], path: Path, potential_V: float | None = None) -> Path:
    """One horizontal bar per material from its reduction to its oxidation limit (0-5 V vs Li/Li+)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.8 * len(windows)))
    for i, window in enumerate(windows):
        low = window.reduction_limit_V or 0.0
        high = window.oxidation_limit_V if window.oxidation_limit_V is not None else 5.0
        ax.barh(i, low, color="tab:blue", alpha=0.25)
        ax.barh(i, 5.5 - high, left=high, color="tab:red", alpha=0.25)
        ax.barh(i, high - low, left=low, color="tab:green", alpha=0.7)
        ax.text(low - 0.05, i, "reduced to\n" + ", ".join(window.reduction_products), ha="right", va="center", fontsize=7)
        ax.text(high + 0.05, i, "oxidised to\n" + ", ".join(window.oxidation_products), ha="left", va="center", fontsize=7)
        ax.text((low + high) / 2, i, f"{low:.2f}–{high:.2f} V", ha="center", va="center", fontsize=8)
    if potential_V is not None:
        ax.axvline(potential_V, color="k", ls=":", label=f"electrode {potential_V:g} V")
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(range(len(windows)), [w.formula for w in windows])
    ax.set_xlim(0, 5.5)
    ax.set_xlabel("potential (V vs Li/Li+)")
    ax.set_title("Electrochemical stability window (phase-energy table)")
    return save_figure(fig, path)


def plot_contacts(engine: ThermoEngine, contacts: list[Contact], path: Path) -> Path:
    """Reaction energy against mixing ratio, one panel per contact, as the Materials Project app draws it."""
    plt = pyplot()
    fig, axes = plt.subplots(len(contacts), 1, figsize=(7, 3 * len(contacts)), squeeze=False)
    for ax, contact in zip(axes[:, 0], contacts):
        kinks = contact_kinks(engine, contact)
        xs = [k.mixing_ratio for k in kinks]
        ys = [k.energy_meV_atom for k in kinks]
        ax.plot(xs, ys, "o-", color="tab:purple")
        deepest = min(kinks, key=lambda k: k.energy_meV_atom)
        # a long reaction wraps, and leans away from the nearer edge, so that it stays inside the panel
        side = "left" if deepest.mixing_ratio < 0.3 else ("right" if deepest.mixing_ratio > 0.7 else "center")
        ax.annotate(textwrap.fill(contact.reaction or "no reaction", REACTION_LABEL_WIDTH, break_on_hyphens=False),
                    (deepest.mixing_ratio, deepest.energy_meV_atom), fontsize=7, xytext=(0, 14),
                    textcoords="offset points", ha=side, va="bottom")
        if "Li" in (contact.a, contact.b):
            where = "Li metal, chemical"
        else:
            where = "chemical" if contact.potential_V is None else f"Li open at {contact.potential_V:g} V"
        ax.set_title(f"{contact.a} | {contact.b} ({where})", fontsize=10)
        ax.set_xlabel(f"mixing ratio x (atomic fraction of {contact.a})")
        ax.set_ylabel("reaction energy (meV/atom)")
        ax.axhline(0, color="k", lw=0.5)
    return save_figure(fig, path)
