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

from lab.plots.style import (
    FONT_SIZE,
    add_drift_markers,
    apply_layout,
    contender_series,
    float_list,
    int_list,
    ordered_names,
    plain,
    resolve_colors,
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
) -> go.Figure:
    """Each contender's ``cost_total`` along the stream, drifts marked.

    What to look at: the steepest line is the dearest policy at that moment; errors make a line
    climb faster after a drift until the model recovers, a retrain adds a step, labels and
    online training a steady slope. Where two lines cross, the cheaper policy changes.
    """
    timeline = timeline_or_empty(timeline)
    names = ordered_names(timeline)
    palette = resolve_colors(names, colors)
    fig = go.Figure()
    has_ledger = "cost_total" in timeline.columns
    for name in names if has_ledger else []:
        t, total = contender_series(timeline, name, "cost_total")
        parts = np.column_stack([contender_series(timeline, name, f"cost_{part}")[1]
                                 for part in PART_STYLE])
        fig.add_trace(go.Scatter(
            x=int_list(t), y=float_list(total), mode="lines", name=plain(name),
            line=dict(color=palette[name], width=2.5), customdata=parts,
            hovertemplate=(f"<b>{plain(name)}</b>: %{{y:,.2f}} in total<br>"
                           + "<br>".join(f"{label}: %{{customdata[{k}]:,.2f}}"
                                         for k, (label, _) in enumerate(PART_STYLE.values()))
                           + "<extra></extra>")))
    if not has_ledger or not names:
        _note(fig, "no cost ledger in this run" if names else "nothing to show yet")
    fig.update_xaxes(title_text="samples seen", tickformat=",d")
    fig.update_yaxes(title_text=f"cumulative {COST_AXIS}", rangemode="tozero")
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Cumulative cost along the stream", hovermode="closest")
    return fig


def ledger_figure(summary: Mapping[str, Any]) -> go.Figure:
    """Each contender's bill as a stacked bar of its four parts: compute, retrains, labels,
    errors (``summary.json``'s ``cost``). A failed contender, or a summary without a ledger, gets
    no bar but a note. The bars are coloured by part, not by contender, so that a reader
    compares the same part across contenders."""
    contenders = list(summary.get("contenders", []) or [])
    names = [plain(str(c.get("name"))) for c in contenders]
    fig = go.Figure()
    for part, (label, color) in PART_STYLE.items():
        values = [(c.get("cost") or {}).get(part) for c in contenders]
        fig.add_trace(go.Bar(
            x=names, y=values, name=label, marker=dict(color=color),
            hovertemplate=f"%{{x}}: %{{y:,.2f}} for {label}<extra></extra>"))
    for name, c in zip(names, contenders):
        cost = c.get("cost")
        if cost is None:
            fig.add_annotation(x=name, y=0, yref="y", text="failed" if c.get("status") ==
                               "failed" else "no ledger", showarrow=False, yanchor="bottom",
                               font=dict(size=FONT_SIZE - 1, color="#555555"))
        else:
            fig.add_annotation(x=name, y=cost["total"], yref="y", text=f"{cost['total']:,.2f}",
                               showarrow=False, yanchor="bottom",
                               font=dict(size=FONT_SIZE - 1))
    if not contenders:
        _note(fig, "nothing to show yet")
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(title_text="contender", type="category", categoryorder="array",
                     categoryarray=names)
    fig.update_yaxes(title_text=f"total {COST_AXIS}", rangemode="tozero")
    apply_layout(fig, "What each bill is made of", height=420)
    return fig
