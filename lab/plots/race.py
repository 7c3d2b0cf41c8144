"""The race charts: accuracy, model and data age, training cost, cost per retrain, trade-off.

Input is the race's output files as plain data: ``timeline.csv`` and ``events.csv`` as pandas
DataFrames, ``summary.json`` as a dict and the drift list ``[{"at", "width"}]`` (see
``docs/outputs.md``), so a chart can be rebuilt from the CLI's files without re-running the race.
:func:`pareto_front` is the one Pareto rule of the project (the sweep's table uses it too).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.plots.style import (
    FONT_SIZE,
    MAIN_HEIGHT,
    PARETO_COLOR,
    PREVIOUS_DASH,
    PREVIOUS_OPACITY,
    PREVIOUS_WIDTH,
    add_drift_markers,
    apply_layout,
    contender_series,
    contender_styles,
    event_legend_traces,
    event_traces,
    events_or_empty,
    fitted_share_range,
    float_list,
    int_list,
    ordered_names,
    plain,
    resolve_colors,
    timeline_or_empty,
)

# --------------------------------------------------------------------------------------------------
# time charts
# --------------------------------------------------------------------------------------------------


# Baselines (``evaluation.baselines``) are reference lines, not contenders: thin, grey, dotted
# (then dash-dotted), outside the contenders' colour cycle, so the eye reads them as a floor.
BASELINE_COLOR = "#8c8c8c"
BASELINE_DASHES = ("dot", "dashdot")


def accuracy_figure(
    timeline: pd.DataFrame,
    events: pd.DataFrame | None,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    window: int | None = None,
    previous: pd.DataFrame | None = None,
    previous_label: str = "previous run",
    colors: Mapping[str, str] | None = None,
    baselines: Iterable[str] | None = None,
    full_scale: bool = False,
) -> go.Figure:
    """Rolling accuracy (``acc_window``) of every contender along the stream.

    One line per contender, each with its own (colour, dash) pair (:func:`contender_styles`:
    ten contenders stay apart); retrain deployments are triangles on the contender's line,
    detector alarms are crosses, failures red diamonds; drifts are dashed lines / grey bands,
    labelled above the plot. ``previous`` (a timeline of an earlier run) is drawn in the same
    colours, dotted, thin and faded, behind one legend entry "<previous_label> (dotted, faded)"
    that shows or hides all of its lines (the hover names each: "<name> (<previous_label>)").
    ``baselines`` names the timeline's reference contenders (the summary's ``"baseline":
    true``): each is a thin grey dotted / dash-dotted line with its own legend entry, after the
    contenders, taking no colour from them (and not overlaid from a previous run).

    The y axis fits the contenders' lines (this run's and the overlaid one's; see
    :func:`fitted_share_range`), so that lines between 94 and 100 % separate; baselines far
    below are then cut off, which a note under the plot says. ``full_scale=True`` shows the
    whole 0-100 % instead.

    What to look at: the dip after each drift (how deep, how long), which policy climbs back first,
    whether alarms and retrains come soon after the drift, and the gap between the lines in calm
    stretches (the price of forgetting or of staleness).
    """
    timeline = timeline_or_empty(timeline)
    events = events_or_empty(events)
    reference = [str(b) for b in (baselines or ())]
    names = [n for n in ordered_names(timeline, events) if n not in reference]
    previous_names = [n for n in ordered_names(previous) if n not in reference]
    all_names = names + [n for n in previous_names if n not in names]
    styles = contender_styles(all_names, colors)
    fig = go.Figure()
    fitted: list[np.ndarray] = []  # the values the y axis fits

    if previous is not None and len(previous) > 0 and previous_names:
        overlay = f"{plain(previous_label)} (dotted, faded)"
        fig.add_trace(go.Scatter(  # the overlay's one legend entry: toggles all its lines
            x=[None], y=[None], mode="lines", name=overlay, legendgroup="previous run",
            legendrank=2000, showlegend=True, hoverinfo="skip",
            opacity=PREVIOUS_OPACITY, line=dict(color=styles[previous_names[0]][0],
                                                width=PREVIOUS_WIDTH, dash=PREVIOUS_DASH)))
        for name in previous_names:
            t, acc = contender_series(previous, name, "acc_window")
            fitted.append(acc)
            label = f"{plain(name)} ({plain(previous_label)})"
            fig.add_trace(
                go.Scatter(
                    x=int_list(t),
                    y=float_list(acc),
                    mode="lines",
                    name=label,
                    legendgroup="previous run",
                    showlegend=False,
                    line=dict(color=styles[name][0], width=PREVIOUS_WIDTH, dash=PREVIOUS_DASH),
                    opacity=PREVIOUS_OPACITY,
                    hovertemplate=f"{label}: %{{y:.1%}}<extra></extra>",
                )
            )

    event_kinds = ("deploy", "drift_alarm", "failure")
    for name in names:
        t, acc = contender_series(timeline, name, "acc_window")
        fitted.append(acc)
        color, dash = styles[name]
        fig.add_trace(
            go.Scatter(
                x=int_list(t),
                y=float_list(acc),
                mode="lines",
                name=plain(name),
                legendgroup=plain(name),
                line=dict(color=color, width=2.5, dash=dash),
                hovertemplate=f"{plain(name)}: %{{y:.1%}}<extra></extra>",
            )
        )
        for trace in event_traces(events, name, color, t, acc, event_kinds, ".1%"):
            fig.add_trace(trace)
    present = set(ordered_names(timeline))
    reference_values: list[np.ndarray] = []
    for k, name in enumerate(n for n in reference if n in present):
        t, acc = contender_series(timeline, name, "acc_window")
        reference_values.append(acc)
        fig.add_trace(
            go.Scatter(
                x=int_list(t),
                y=float_list(acc),
                mode="lines",
                name=plain(name),
                legendgroup=plain(name),
                line=dict(color=BASELINE_COLOR, width=1.5,
                          dash=BASELINE_DASHES[k % len(BASELINE_DASHES)]),
                legendrank=1500,
                hovertemplate=f"{plain(name)}: %{{y:.1%}}<extra></extra>",
            )
        )
    for trace in event_legend_traces(events, event_kinds):
        fig.add_trace(trace)

    y_title = (
        f"accuracy (last {int(window):,} samples)" if window else "accuracy (rolling window, %)"
    )
    fig.update_xaxes(title_text="samples seen", tickformat=",d")
    y_range = None if full_scale else fitted_share_range(
        np.concatenate(fitted) if fitted else [])
    if y_range is None:
        fig.update_yaxes(title_text=y_title, tickformat=".0%", range=[0, 1.03])
    else:
        # ".1~%": whole percents print as "95%", a half step as "95.5%" (never two "95%" ticks)
        fig.update_yaxes(title_text=y_title, tickformat=".1~%", range=y_range)
        below = [v for v in reference_values if np.any(v[np.isfinite(v)] < y_range[0])]
        if below:
            fig.add_annotation(
                x=1, xref="paper", xanchor="right", y=0, yref="paper", yanchor="top",
                yshift=-30, showarrow=False, font=dict(size=FONT_SIZE - 2, color="#555555"),
                text="grey baselines: " + ("partly " if all(
                    np.any(v[np.isfinite(v)] >= y_range[0]) for v in below) else "")
                + "below this axis")
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Rolling accuracy over the stream", hovermode="x unified")
    return fig


def staleness_figure(
    timeline: pd.DataFrame,
    events: pd.DataFrame | None,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    log_y: bool = False,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Model age (``staleness``) and, below it, the age of the model's data (``data_age``).

    Top: samples since the newest sample the deployed model learned from. Bottom (when the
    timeline has a ``data_age`` column; ``timeline.csv`` files written before it existed draw
    the top panel alone): the mean age, in samples, of all the samples the deployed model was
    trained on. One line per contender, the same colour in both panels; failures are red
    diamonds; drifts are dashed lines / grey bands on both panels. ``log_y=True`` puts both
    ages on log axes so that online (model age ~1) and frozen (~N) both show.

    What to look at: a frozen model's age grows without end, a periodic policy draws a saw-tooth
    (each drop is a deployment), an online learner's model age stays near 1 (or at the label
    delay) while its data age grows as half the stream: it is always fresh, yet what it knows is
    on average old. A retrain on a window of w samples keeps data age near w / 2. Compare both
    ages at each drift with how long the accuracy stays down in the accuracy chart.
    """
    timeline = timeline_or_empty(timeline)
    events = events_or_empty(events)
    names = ordered_names(timeline, events)
    styles = contender_styles(names, colors)
    with_data_age = "data_age" in timeline.columns
    if with_data_age:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1)
        panels = ((1, "staleness", "model age"), (2, "data_age", "data age"))
    else:
        fig = go.Figure()
        panels = ((None, "staleness", "model age"),)
    for name in names:
        for row, column, what in panels:
            t, age = contender_series(timeline, name, column)
            if log_y:
                age = np.where(age > 0, age, np.nan)
            where = dict(row=row, col=1) if row else {}
            fig.add_trace(
                go.Scatter(
                    x=int_list(t),
                    y=float_list(age),
                    mode="lines",
                    name=plain(name),
                    legendgroup=plain(name),
                    showlegend=row in (None, 1),
                    line=dict(color=styles[name][0], width=2.5, dash=styles[name][1]),
                    hovertemplate=f"{plain(name)}: {what} %{{y:,.0f}} samples<extra></extra>",
                ),
                **where,
            )
            for trace in event_traces(events, name, styles[name][0], t, age, ("failure",),
                                      ",.0f"):
                fig.add_trace(trace, **where)
    for trace in event_legend_traces(events, ("failure",)):
        fig.add_trace(trace, **(dict(row=1, col=1) if with_data_age else {}))

    titles = {"staleness": "model age (samples)", "data_age": "data age (samples)"}
    fig.update_xaxes(tickformat=",d")
    fig.update_xaxes(title_text="samples seen", **(dict(row=2, col=1) if with_data_age else {}))
    for row, column, _ in panels:
        where = dict(row=row, col=1) if row else {}
        if log_y:
            fig.update_yaxes(title_text=titles[column].replace(")", ", log scale)"),
                             type="log", dtick=1, tickformat="~s", **where)
        else:
            fig.update_yaxes(title_text=titles[column], tickformat=",d", rangemode="tozero",
                             **where)
    add_drift_markers(fig, drifts)
    if with_data_age:
        apply_layout(fig, "Model age (staleness) and data age over the stream", height=520,
                     hovermode="x unified")
    else:
        apply_layout(fig, "Model age (staleness) over the stream", hovermode="x unified")
    return fig


def cost_figure(
    timeline: pd.DataFrame,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """Cumulative training cost along the stream, two stacked panels sharing the x axis.

    Top: samples passed to training so far (``train_samples_cum``, deterministic). Bottom: CPU
    seconds spent training (``train_cpu_s_cum``, measured, so it varies a little between runs).

    What to look at: an online learner's cost rises as a straight line (one sample per sample), a
    periodic full refit climbs in steps whose height is its training-set size, a frozen model stays
    flat after warm-up, a triggered policy steps up only after alarms (ideally just after drifts).
    """
    timeline = timeline_or_empty(timeline)
    names = ordered_names(timeline)
    styles = contender_styles(names, colors)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    panels = ((1, "train_samples_cum", "%{y:,.0f} samples trained"),
              (2, "train_cpu_s_cum", "%{y:.2f} CPU s"))
    for name in names:
        for row, column, hover in panels:
            t, values = contender_series(timeline, name, column)
            fig.add_trace(
                go.Scatter(
                    x=int_list(t),
                    y=float_list(values),
                    mode="lines",
                    name=plain(name),
                    legendgroup=plain(name),
                    showlegend=row == 1,
                    line=dict(color=styles[name][0], width=2.5, dash=styles[name][1]),
                    hovertemplate=f"{plain(name)}: {hover}<extra></extra>",
                ),
                row=row,
                col=1,
            )
    fig.update_xaxes(tickformat=",d")
    fig.update_xaxes(title_text="samples seen", row=2, col=1)
    fig.update_yaxes(
        title_text="samples trained", tickformat="~s", rangemode="tozero", row=1, col=1
    )
    fig.update_yaxes(title_text="training CPU seconds (process)", rangemode="tozero", row=2,
                     col=1)
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Cumulative training cost", height=500, hovermode="x unified")
    return fig


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
    """Average cost of one retrain per contender: ``train_samples / retrains`` as a bar.

    Contenders without any retrain (frozen, pure online) get no bar but a "no retrains" note, since
    their cost is not made of retrains (see the cumulative cost chart for online updates).

    What to look at: a full refit on "all" data gets dearer as the stream grows, a sliding window
    keeps each retrain at the window size; multiply by the number of retrains to see the total.
    """
    contenders = list(summary.get("contenders", []) or [])
    names = [str(c.get("name")) for c in contenders]
    palette = resolve_colors(names, colors)
    fig = go.Figure()
    notes: list[tuple[str, str]] = []
    for c, name in zip(contenders, names):
        retrains = finite_or_none(c.get("retrains"))
        samples = finite_or_none(c.get("train_samples"))
        if retrains is None or samples is None:
            notes.append((name, "no data"))
            per = None
        elif retrains <= 0:
            notes.append((name, "no retrains"))
            per = None
        else:
            per = samples / retrains
        failed = c.get("status") == "failed"
        fig.add_trace(
            go.Bar(
                x=[plain(name)],
                y=[per],
                name=plain(name) + (" (failed)" if failed else ""),
                legendgroup=plain(name),
                marker=dict(color=palette[name], opacity=0.55 if failed else 1.0),
                text=[f"{per:,.0f}" if per is not None else ""],
                textposition="outside",
                cliponaxis=False,
                customdata=[[int(retrains or 0), int(samples or 0)]],
                hovertemplate=(
                    f"<b>{plain(name)}</b><br>%{{y:,.0f}} samples per retrain<br>"
                    "%{customdata[0]:,} retrains, %{customdata[1]:,} samples trained<extra></extra>"
                ),
            )
        )
    for name, text in notes:
        fig.add_annotation(
            x=plain(name),
            y=0,
            yref="y",
            text=text,
            showarrow=False,
            yanchor="bottom",
            font=dict(size=FONT_SIZE - 1, color="#555555"),
        )
    fig.update_xaxes(
        title_text="contender", type="category", categoryorder="array",
        categoryarray=[plain(n) for n in names],
    )
    fig.update_yaxes(title_text="samples trained per retrain", tickformat=",d", rangemode="tozero")
    if all(tr.y[0] is None for tr in fig.data):
        fig.update_yaxes(range=[0, 1])
    fig.update_layout(barmode="overlay", bargap=0.35)
    apply_layout(fig, "Cost per retrain", height=400)
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
    """1500 -> '1.5k', 2000000 -> '2M', 50 -> '50'."""
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= limit:
            return f"{v / limit:.3g}{suffix}"
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

    What to look at: points on the front are the sensible choices; a point far below the front
    wastes compute; the step height tells how much accuracy the next tenfold of compute buys.
    """
    if cost not in TRADEOFF_COSTS:
        raise ValueError(f"cost must be one of {sorted(TRADEOFF_COSTS)}, got {cost!r}")
    axis_title, floor = TRADEOFF_COSTS[cost]
    contenders = list(summary.get("contenders", []) or [])
    names = [str(c.get("name")) for c in contenders]
    palette = resolve_colors(names, colors)
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

    front = pareto_front([(cost, acc) for _, cost, acc, _ in plotted])
    front_set = set(front)
    for i, (name, value, acc, c) in enumerate(plotted):
        on_front = i in front_set
        fig.add_trace(
            go.Scatter(
                x=[max(value, floor)],
                y=[acc],
                mode="markers+text",
                name=plain(name),
                legendgroup=plain(name),
                text=[plain(name)],
                textposition="top center",
                textfont=dict(size=FONT_SIZE - 1),
                cliponaxis=False,
                marker=dict(
                    size=16,
                    color=palette[name],
                    line=dict(
                        width=2.5 if on_front else 1, color="#222222" if on_front else "white"
                    ),
                ),
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
    if plotted:
        costs = [max(value, floor) for _, value, _, _ in plotted]
        lo_x, hi_x = math.log10(min(costs)) - 0.25, math.log10(max(costs)) + 0.25
        ticks = log_ticks(lo_x, hi_x)
        fig.update_xaxes(
            range=[lo_x, hi_x],
            tickvals=ticks,
            ticktext=[short_number(v) for v in ticks],
            minor=dict(showgrid=False),
        )
    fig.update_yaxes(title_text="accuracy (scored samples)", tickformat=".0%")
    if plotted:
        accs = [acc for _, _, acc, _ in plotted]
        lo, hi = min(accs), max(accs)
        pad = max(0.03, (hi - lo) * 0.25)
        fig.update_yaxes(range=[max(0.0, lo - pad), min(1.05, hi + pad)])
    apply_layout(fig, "Accuracy vs. training cost", height=MAIN_HEIGHT)
    return fig
