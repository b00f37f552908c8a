"""Plotly figures of the web page: reaction energy along a contact's mixing line with the reaction at every kink on
hover (as the Materials Project interface-reactions app draws it), the SE window against the electrode potential,
and the screen's SE × electrode heatmap."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from degrade_ml.thermo.engine import Contact, Window
from degrade_ml.thermo.kinks import Kink

WINDOW_AXIS_V = 5.5  # the window plot runs from Li metal (0 V) to beyond every cathode's potential
_LAYOUT = dict(template="plotly_white", margin=dict(l=60, r=20, t=50, b=50), font=dict(size=12))


def _reaction_lines(reaction: str, width: int = 56) -> str:
    """A balanced reaction over several hover lines: reactants, then products wrapped at `width` characters."""
    reactants, arrow, products = reaction.partition(" -> ")
    lines = textwrap.wrap(reactants, width) + (["→ " + line for line in textwrap.wrap(products, width)] if arrow else [])
    return "<br>".join(lines)


def contact_figure(contact: Contact, kinks: tuple[Kink, ...], title: str) -> go.Figure:
    """Reaction energy (meV/atom) against the mixing ratio x, one marker per kink, its reaction on hover; the deepest
    kink is the contact's reaction energy."""
    deepest = min(kinks, key=lambda k: k.energy_meV_atom)
    hover = [f"x = {k.mixing_ratio:.3f}<br>E = {k.energy_meV_atom:.0f} meV/atom<br>{_reaction_lines(k.reaction)}"
             for k in kinks]
    figure = go.Figure(go.Scatter(
        x=[k.mixing_ratio for k in kinks], y=[k.energy_meV_atom for k in kinks], mode="lines+markers",
        marker=dict(size=8, color="#5b3f9e"), line=dict(color="#5b3f9e"), hovertext=hover, hoverinfo="text",
        name="kinks",
    ))
    if contact.reacts:
        figure.add_annotation(x=deepest.mixing_ratio, y=deepest.energy_meV_atom, ax=0, ay=-30,
                              text=f"{contact.reaction_energy_meV_atom:.0f} meV/atom")
    where = "chemical" if contact.potential_V is None else f"Li open at {contact.potential_V:g} V"
    figure.update_layout(
        title=dict(text=f"{title} ({where})", font=dict(size=14)), height=330, showlegend=False, hovermode="closest",
        xaxis=dict(title=f"mixing ratio x  (x·{contact.a} + (1−x)·{contact.b})", range=[-0.02, 1.02]),
        yaxis=dict(title="reaction energy (meV/atom)"), **_LAYOUT,
    )
    figure.add_hline(y=0, line=dict(color="black", width=0.5))
    return figure


def window_figure(window: Window, potential_V: float | None, se_name: str) -> go.Figure:
    """The SE's window as a green band between its reduction and oxidation limits (reduced below, oxidised above),
    and the electrode potential as a line: where the line leaves the band the SE decomposes on its own."""
    low = window.reduction_limit_V or 0.0
    high = window.oxidation_limit_V if window.oxidation_limit_V is not None else WINDOW_AXIS_V
    bands = (
        (0.0, low, "#9ecae1", f"reduced to {', '.join(window.reduction_products) or '–'}"),
        (low, high, "#74c476", f"stable {low:.2f}–{high:.2f} V"),  # often too narrow for its text: on hover
        (high, WINDOW_AXIS_V, "#fc9272", f"oxidised to {', '.join(window.oxidation_products) or '–'}"),
    )
    figure = go.Figure()
    for start, end, colour, text in bands:
        figure.add_trace(go.Bar(x=[end - start], base=[start], y=[se_name], orientation="h", marker_color=colour,
                                hovertext=[text], hoverinfo="text", text=[text], textposition="inside", textangle=0,
                                insidetextanchor="middle", showlegend=False))
    if potential_V is not None:
        figure.add_vline(x=potential_V, line=dict(color="black", dash="dot", width=2),
                         annotation_text=f"electrode {potential_V:g} V", annotation_position="top")
    figure.update_layout(
        title=dict(text=f"{se_name} window {low:.2f}–{high:.2f} V against the electrode potential", font=dict(size=14)),
        height=200,
        barmode="overlay", xaxis=dict(title="potential (V vs Li/Li+)", range=[0, WINDOW_AXIS_V]), **_LAYOUT,
    )
    return figure


def heatmap_figure(results: pd.DataFrame, listed: dict[str, list[str]], coating: str, colour: str,
                   label: str) -> go.Figure:
    """SE (rows) × electrode (columns) for one coating, coloured by `colour` (a numeric result column), in the order
    the materials were listed (`listed["SE"]`, `listed["electrode"]`)."""
    rows = results[results["coating"] == coating]
    grid = rows.pivot_table(index="se", columns="electrode", values=colour, aggfunc="first", sort=False, dropna=False)
    grid = grid.reindex(index=listed["SE"], columns=listed["electrode"])
    # red is bad either way: a low p(stable), a strongly negative reaction energy
    span = dict(zmin=0.0, zmax=1.0) if colour == "p_stable" else dict(zmax=0.0)  # no false contrast between near equals
    heatmap = go.Heatmap(z=grid.to_numpy(), x=list(grid.columns), y=list(grid.index), colorscale="RdYlGn",
                         colorbar=dict(title=label), **span,
                         hovertemplate="%{y} | %{x}<br>" + label + " = %{z:.3g}<extra></extra>")
    figure = go.Figure(heatmap)
    figure.update_layout(title=dict(text=f"coating: {coating or 'none'}", font=dict(size=14)),
                         height=max(320, 40 * len(grid.index) + 140), xaxis=dict(title="electrode"),
                         yaxis=dict(title="SE", autorange="reversed"), **_LAYOUT)
    return figure
