"""The cost ledger's charts: cumulative cost along the stream, and each contender's bill by part.

Input is the output files as plain data (``timeline.csv``'s ``cost_*`` columns, ``summary.json``'s
``cost`` objects; ``docs/outputs.md``), so both charts can be rebuilt from the CLI's files. A
timeline or summary written before the ledger existed draws an empty chart with a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lab.plots.marks import bar_height, oracle_line, wrapped
from lab.plots.style import (
    AMOUNT_TICKFORMAT,
    FONT_SIZE,
    ORACLE_COLOR,
    add_drift_markers,
    amount_text,
    apply_layout,
    contender_series,
    contender_styles,
    float_list,
    int_list,
    oracle_label,
    oracle_names,
    ordered_names,
    plain,
    timeline_or_empty,
)

#: The ledger's parts as the charts name and colour them (stacked in this order, bottom first).
PART_STYLE: dict[str, tuple[str, str]] = {
    "compute": ("compute (training samples and CPU)", "#4c78a8"),
    "retrains": ("retrains (deployments)", "#f58518"),
    "labels": ("labels bought", "#54a24b"),
    "errors": ("errors (wrong predictions)", "#e45756"),
}
COST_AXIS = "cost (price units)"


def _note(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=FONT_SIZE, color="#555555"))


def cumulative_cost_figure(
    timeline: pd.DataFrame,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    colors: Mapping[str, str] | None = None,
    oracles: Iterable[str] | None = None,
) -> go.Figure:
    """Each contender's ``cost_total`` along the stream, drifts marked; the oracle (``oracles``,
    the summary's ``"oracle": true``) is a black long-dashed reference line "Best schedule in
    hindsight (oracle)", last in the legend: the gap between a line and it is that contender's
    regret so far.

    What to look at: the steepest line is the dearest policy at that moment; errors make a line
    climb faster after a drift until the model recovers, a retrain adds a step, labels and
    online training a steady slope. Where two lines cross, the cheaper policy changes.
    """
    timeline = timeline_or_empty(timeline)
    oracle = [str(o) for o in (oracles or ())]
    names = ordered_names(timeline)
    # colour AND dash, as in the accuracy chart: contenders 5-10 are dashed or dash-dotted there
    # and were drawn solid here (session 11's walk-through)
    styles = contender_styles([n for n in names if n not in oracle], colors)
    fig = go.Figure()
    has_ledger = "cost_total" in timeline.columns
    parts_hover = "".join(f"<br>{label}: %{{customdata[{k}]:,.2f}}"
                          for k, (label, _) in enumerate(PART_STYLE.values()))
    for name in names if has_ledger else []:
        t, total = contender_series(timeline, name, "cost_total")
        parts = np.column_stack([contender_series(timeline, name, f"cost_{part}")[1]
                                 for part in PART_STYLE])
        if name in oracle:
            fig.add_trace(oracle_line(int_list(t), float_list(total), name, oracle,
                                      "%{y:,.2f} in total" + parts_hover, customdata=parts))
            continue
        fig.add_trace(go.Scatter(
            x=int_list(t), y=float_list(total), mode="lines", name=plain(name),
            line=dict(color=styles[name][0], width=2.5, dash=styles[name][1]),
            customdata=parts,
            hovertemplate=(f"<b>{plain(name)}</b>: %{{y:,.2f}} in total" + parts_hover
                           + "<extra></extra>")))
    if not has_ledger or not names:
        _note(fig, "no cost ledger in this run" if names else "nothing to show yet")
    fig.update_xaxes(title_text="samples seen", tickformat=",d")
    fig.update_yaxes(title_text=f"cumulative {COST_AXIS}", rangemode="tozero",
                     tickformat=AMOUNT_TICKFORMAT)
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Cumulative cost along the stream", hovermode="closest")
    return fig


def ledger_figure(summary: Mapping[str, Any]) -> go.Figure:
    """Each contender's bill as a horizontal stacked bar of its four parts: compute, retrains,
    labels, errors (``summary.json``'s ``cost``), the contenders named on the y axis (first at
    the top), the total written at the end of each bar without pointless decimals
    (:func:`~lab.plots.style.amount_text`); the chart grows with the contenders. A failed
    contender, or a summary without a ledger, gets no bar but a note. The bars are coloured by
    part, not by contender, so that a reader compares the same part across contenders; the
    oracle's bar is named "Best schedule in hindsight (oracle)", outlined in black and last."""
    contenders = list(summary.get("contenders", []) or [])
    oracles = oracle_names(summary)
    contenders.sort(key=lambda c: bool(c.get("oracle")))  # stable: the oracle last
    raw = [str(c.get("name")) for c in contenders]
    names = [wrapped(oracle_label(n, oracles) if n in oracles else n) for n in raw]
    outline = dict(color=[ORACLE_COLOR if n in oracles else "rgba(0,0,0,0)" for n in raw],
                   width=[2 if n in oracles else 0 for n in raw])
    fig = go.Figure()
    for part, (label, color) in PART_STYLE.items():
        values = [(c.get("cost") or {}).get(part) for c in contenders]
        fig.add_trace(go.Bar(
            y=names, x=values, name=label, orientation="h",
            marker=dict(color=color, line=outline),
            hovertemplate=f"%{{y}}: %{{x:,.2f}} for {label}<extra></extra>"))
    totals = [((c.get("cost") or {}).get("total")) for c in contenders]
    top = max([t for t in totals if t is not None] or [1.0])
    for name, c, total in zip(names, contenders, totals):
        if total is None:
            fig.add_annotation(y=name, x=0, xref="x", text="failed" if c.get("status") ==
                               "failed" else "no ledger", showarrow=False, xanchor="left",
                               xshift=4, font=dict(size=FONT_SIZE - 1, color="#555555"))
        else:
            fig.add_annotation(y=name, x=total, xref="x", text=amount_text(total),
                               showarrow=False, xanchor="left", xshift=4,
                               font=dict(size=FONT_SIZE - 1))
    if not contenders:
        _note(fig, "nothing to show yet")
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(title_text="contender", type="category", categoryorder="array",
                     categoryarray=names,
                     autorange="reversed", automargin=True)
    fig.update_xaxes(title_text=f"total {COST_AXIS}", tickformat=AMOUNT_TICKFORMAT,
                     range=[0, top * 1.15], automargin=True)
    apply_layout(fig, "What each bill is made of", height=bar_height(len(contenders), base=200))
    return fig
