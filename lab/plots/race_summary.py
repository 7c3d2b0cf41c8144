"""The race's summary charts: cost per retrain, and accuracy against training cost with the
Pareto front.

Split from :mod:`lab.plots.race` (which re-exports these names) to keep that module short.
Input is ``summary.json`` as a dict (``docs/outputs.md``). :func:`pareto_front` is the one Pareto
rule of the project (the sweep's table uses it too).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from lab.plots.marks import bar_height, point_labels, wrapped
from lab.plots.style import (
    AMOUNT_TICKFORMAT,
    FONT_SIZE,
    MAIN_HEIGHT,
    ORACLE_COLOR,
    ORACLE_DASH,
    ORACLE_LEGEND_RANK,
    PARETO_COLOR,
    apply_layout,
    oracle_label,
    oracle_names,
    plain,
    resolve_colors,
)

# --------------------------------------------------------------------------------------------------
# summary charts
# --------------------------------------------------------------------------------------------------


def finite_or_none(value: Any) -> float | None:
    """A finite float, or None for missing / NaN / non-numeric values."""
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def retrain_cost_figure(
    summary: Mapping[str, Any], *, colors: Mapping[str, str] | None = None
) -> go.Figure:
    """Average cost of one retrain per contender: ``train_samples / retrains`` as a horizontal
    bar, the contenders named on the y axis (first at the top, long names wrapped), so that no
    legend is needed and five or ten contenders read as well as two; the chart grows with the
    contenders (:func:`~lab.plots.marks.bar_height`).

    Contenders without any retrain (frozen, pure online) get no bar but a "no retrains" note, since
    their cost is not made of retrains (see the cumulative cost chart for online updates). The
    oracle (the summary's ``"oracle": true``) is a black bar named "Best schedule in hindsight
    (oracle)", last.

    What to look at: a full refit on "all" data gets dearer as the stream grows, a sliding window
    keeps each retrain at the window size; multiply by the number of retrains to see the total.
    """
    contenders = list(summary.get("contenders", []) or [])
    oracles = oracle_names(summary)
    contenders.sort(key=lambda c: bool(c.get("oracle")))  # stable: the oracle last
    names = [str(c.get("name")) for c in contenders]
    palette = resolve_colors([n for n in names if n not in oracles], colors)
    labels = [wrapped(oracle_label(n, oracles) if n in oracles else n) for n in names]
    fig = go.Figure()
    notes: list[tuple[str, str]] = []
    for c, name, label in zip(contenders, names, labels):
        retrains = finite_or_none(c.get("retrains"))
        samples = finite_or_none(c.get("train_samples"))
        if retrains is None or samples is None:
            notes.append((label, "no data"))
            per = None
        elif retrains <= 0:
            notes.append((label, "no retrains"))
            per = None
        else:
            per = samples / retrains
        failed = c.get("status") == "failed"
        color = ORACLE_COLOR if name in oracles else palette[name]
        fig.add_trace(
            go.Bar(
                y=[label],
                x=[per],
                orientation="h",
                name=plain(name) + (" (failed)" if failed else ""),
                legendgroup=plain(name),
                showlegend=False,  # the y axis names every bar
                marker=dict(color=color, opacity=0.55 if failed else 1.0),
                text=[f"{per:,.0f}" if per is not None else ""],
                textposition="outside",
                cliponaxis=False,
                customdata=[[int(retrains or 0), int(samples or 0)]],
                hovertemplate=(
                    f"<b>{plain(name)}</b><br>%{{x:,.0f}} samples per retrain<br>"
                    "%{customdata[0]:,} retrains, %{customdata[1]:,} samples trained<extra></extra>"
                ),
            )
        )
    for label, text in notes:
        fig.add_annotation(x=0, y=label, xref="x", yref="y", text=text, showarrow=False,
                           xanchor="left", xshift=4,
                           font=dict(size=FONT_SIZE - 1, color="#555555"))
    fig.update_yaxes(title_text="contender", type="category", categoryorder="array",
                     categoryarray=labels,
                     autorange="reversed", automargin=True)
    values = [tr.x[0] for tr in fig.data if tr.x[0] is not None]
    top = max(values) if values else 1.0
    # room on the right for the "3,500" beside the longest bar
    fig.update_xaxes(title_text="samples trained per retrain", tickformat=AMOUNT_TICKFORMAT,
                     range=[0, top * 1.18], automargin=True)
    fig.update_layout(barmode="overlay", bargap=0.3)
    apply_layout(fig, "Cost per retrain", height=bar_height(len(contenders)), top=58)
    fig.update_layout(showlegend=False)
    return fig


def pareto_front(points: Sequence[tuple[float, float]]) -> list[int]:
    """Indices (ascending) of the Pareto-optimal ``(cost, accuracy)`` points.

    A point is optimal when no other point is at least as cheap *and* at least as accurate while
    being strictly better in one of the two. Identical points are all kept; points with a missing
    or NaN coordinate are never optimal.

    >>> pts = [(100, 0.80), (1000, 0.90), (500, 0.70), (1000, 0.85), (100, 0.80), (5000, 0.90)]
    >>> pareto_front(pts)
    [0, 1, 4]
    >>> pareto_front([])
    []
    """
    clean = [(i, finite_or_none(p[0]), finite_or_none(p[1])) for i, p in enumerate(points)]
    clean = [(i, cost, acc) for i, cost, acc in clean if cost is not None and acc is not None]
    # cost ascending, then accuracy descending: a point is optimal when it is the most accurate
    # of its cost and more accurate than every strictly cheaper point (O(n log n))
    clean.sort(key=lambda p: (p[1], -p[2]))
    front: list[int] = []
    best_cheaper = -math.inf
    k = 0
    while k < len(clean):
        j = k
        while j < len(clean) and clean[j][1] == clean[k][1]:
            j += 1
        top = clean[k][2]
        if top > best_cheaper:
            front += [i for i, _, acc in clean[k:j] if acc == top]
        best_cheaper = max(best_cheaper, top)
        k = j
    return sorted(front)


def log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 tick values between 10**lo and 10**hi (powers of ten only for wide ranges)."""
    steps = (1, 2, 5) if hi - lo <= 3 else (1,)
    ticks = []
    for exp in range(math.floor(lo), math.ceil(hi) + 1):
        for m in steps:
            v = m * 10.0**exp
            if 10**lo <= v <= 10**hi:
                ticks.append(v)
    return ticks


def short_number(v: float) -> str:
    """1500 -> '1.5k', 2000000 -> '2M', 50 -> '50' (the sweep's compact category labels)."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= limit:
            return f"{v / limit:.3g}{suffix}"
    return f"{v:.3g}"


def tick_number(v: float) -> str:
    """A log axis's tick as every other axis writes it, thousands separated:
    1500 -> '1,500', 20000 -> '20,000', 50 -> '50', 0.002 -> '0.002'."""
    if abs(v) >= 1:
        return f"{v:,.0f}"
    return f"{v:.3g}"


# Cost measures the trade-off chart can put on its x axis: summary key -> (axis title, the
# smallest value drawn on the log axis: a smaller cost, e.g. 0, is drawn there).
TRADEOFF_COSTS: dict[str, tuple[str, float]] = {
    "train_samples": ("training samples processed (total, log scale)", 1.0),
    "train_cpu_s": ("training CPU seconds (process CPU time, total, log scale)", 1e-4),
}


def tradeoff_figure(
    summary: Mapping[str, Any],
    *,
    cost: str = "train_samples",
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Accuracy against total training cost, one labelled point per contender that finished.

    x is the total training cost (log axis), y the accuracy over the scored samples. ``cost``
    picks the measure (:data:`TRADEOFF_COSTS`): ``"train_samples"``, the samples passed to
    training, which does not depend on the machine (the default), or ``"train_cpu_s"``, the
    process CPU seconds spent training, measured (it varies a little between runs, and with the
    model: a sample costs a forest far more than a naive Bayes). The "Pareto front" step line
    joins the contenders that no other contender beats on both (cheaper and at least as
    accurate); failed contenders are listed in a note.

    Each point's name is a label beside it with a thin leader line, placed by
    :func:`~lab.plots.marks.point_labels` so that no two labels overlap at any page width (with
    five, six or ten contenders close together); the figure grows with the contenders so that
    the labels fit. The oracle (the summary's ``"oracle": true``) is a reference, not a choice:
    a black open diamond with a black long-dashed line at its accuracy, "Best schedule in
    hindsight (oracle)" last in the legend, and left out of the Pareto front.

    What to look at: points on the front are the sensible choices; a point far below the front
    wastes compute; the step height tells how much accuracy the next tenfold of compute buys.
    """
    if cost not in TRADEOFF_COSTS:
        raise ValueError(f"cost must be one of {sorted(TRADEOFF_COSTS)}, got {cost!r}")
    axis_title, floor = TRADEOFF_COSTS[cost]
    contenders = list(summary.get("contenders", []) or [])
    oracles = oracle_names(summary)
    names = [str(c.get("name")) for c in contenders]
    palette = resolve_colors([n for n in names if n not in oracles], colors)
    fig = go.Figure()
    plotted: list[tuple[str, float, float, Mapping[str, Any]]] = []
    skipped: list[str] = []
    for c, name in zip(contenders, names):
        acc = finite_or_none(c.get("accuracy"))
        value = finite_or_none(c.get(cost))
        if c.get("status", "ok") != "ok" or acc is None or value is None:
            skipped.append(name)
            continue
        plotted.append((name, value, acc, c))

    choices = [i for i, p in enumerate(plotted) if p[0] not in oracles]
    front = [choices[k] for k in pareto_front([(plotted[i][1], plotted[i][2])
                                                for i in choices])]
    front_set = set(front)
    for i, (name, value, acc, c) in enumerate(plotted):
        on_front = i in front_set
        is_oracle = name in oracles
        legend_name = plain(oracle_label(name, oracles) if is_oracle else name)
        marker = (dict(size=15, symbol="diamond-open", color=ORACLE_COLOR,
                       line=dict(width=2.5, color=ORACLE_COLOR)) if is_oracle else
                  dict(size=16, color=palette[name],
                       line=dict(width=2.5 if on_front else 1,
                                 color="#222222" if on_front else "white")))
        fig.add_trace(
            go.Scatter(
                x=[max(value, floor)],
                y=[acc],
                mode="markers",
                name=legend_name,
                legendgroup=("oracle:" if is_oracle else "") + plain(name),
                legendrank=ORACLE_LEGEND_RANK if is_oracle else 1000,
                cliponaxis=False,
                marker=marker,
                customdata=[
                    [
                        int(finite_or_none(c.get("train_samples")) or 0),
                        int(finite_or_none(c.get("retrains")) or 0),
                        finite_or_none(c.get("train_cpu_s")) or 0.0,
                    ]
                ],
                hovertemplate=(
                    f"<b>{plain(name)}</b><br>accuracy %{{y:.1%}}"
                    "<br>%{customdata[0]:,} samples trained, %{customdata[2]:.3g} CPU s"
                    "<br>%{customdata[1]:,} retrains"
                    + ("<br>on the Pareto front" if on_front else "")
                    + ("<br>the best retrain schedule in hindsight" if is_oracle else "")
                    + "<extra></extra>"
                ),
            )
        )
    ordered = sorted(front, key=lambda i: (plotted[i][1], plotted[i][2], i))
    fig.add_trace(
        go.Scatter(
            x=[max(plotted[i][1], floor) for i in ordered],
            y=[plotted[i][2] for i in ordered],
            mode="lines",
            line=dict(shape="hv", color=PARETO_COLOR, width=2, dash="dot"),
            name="Pareto front",
            legendgroup="pareto",
            hoverinfo="skip",
        )
    )
    if skipped:
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="right",
            y=0,
            yref="paper",
            yanchor="bottom",
            text="not shown (failed or no result): " + ", ".join(plain(n) for n in skipped),
            showarrow=False,
            font=dict(size=FONT_SIZE - 2, color="#555555"),
        )
    fig.update_xaxes(title_text=axis_title, type="log")
    fig.update_yaxes(title_text="accuracy (scored samples)", tickformat=".0%")
    # the labels need about 2 x 22 px of plot height each
    apply_layout(fig, "Accuracy vs. training cost",
                 height=max(MAIN_HEIGHT, 200 + 44 * len(plotted)))
    if not plotted:
        return fig
    costs = [max(value, floor) for _, value, _, _ in plotted]
    lo_x, hi_x = math.log10(min(costs)) - 0.25, math.log10(max(costs)) + 0.25
    ticks = log_ticks(lo_x, hi_x)
    fig.update_xaxes(range=[lo_x, hi_x], tickvals=ticks, ticktext=[tick_number(v) for v in ticks],
                     minor=dict(showgrid=False))
    accs = [acc for _, _, acc, _ in plotted]
    lo, hi = min(accs), max(accs)
    pad = max(0.03, (hi - lo) * 0.25)
    y_range = (max(0.0, lo - pad), min(1.05, hi + pad))
    fig.update_yaxes(range=list(y_range))
    for name, _, acc, _ in plotted:
        if name in oracles:  # its reference line across the chart, in its legend group
            fig.add_trace(go.Scatter(
                x=[10 ** lo_x, 10 ** hi_x], y=[acc, acc], mode="lines",
                line=dict(color=ORACLE_COLOR, width=1.5, dash=ORACLE_DASH),
                legendgroup="oracle:" + plain(name), showlegend=False, hoverinfo="skip"))
    point_labels(fig, [(plain(name) + (" (oracle)" if name in oracles else ""),
                        max(value, floor), acc) for name, value, acc, _ in plotted],
                 x_range=(lo_x, hi_x), y_range=y_range)
    return fig
