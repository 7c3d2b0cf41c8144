"""The race charts: accuracy, model and data age, training cost along the stream; the summary
charts (cost per retrain, trade-off) are in :mod:`lab.plots.race_summary`, re-exported here.

Input is the race's output files as plain data: ``timeline.csv`` and ``events.csv`` as pandas
DataFrames, ``summary.json`` as a dict and the drift list ``[{"at", "width"}]`` (see
``docs/outputs.md``), so a chart can be rebuilt from the CLI's files without re-running the race.
The oracle (the summary's ``"oracle": true``) is drawn by every race chart as one black
long-dashed reference line (:func:`lab.plots.marks.oracle_line`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.plots.marks import oracle_line
from lab.plots.palette import BASELINE_DASHES as BASELINE_DASHES  # re-exported
from lab.plots.race_summary import TRADEOFF_COSTS as TRADEOFF_COSTS  # re-exported
from lab.plots.race_summary import finite_or_none as finite_or_none
from lab.plots.race_summary import log_ticks as log_ticks
from lab.plots.race_summary import pareto_front as pareto_front
from lab.plots.race_summary import retrain_cost_figure as retrain_cost_figure
from lab.plots.race_summary import short_number as short_number
from lab.plots.race_summary import tradeoff_figure as tradeoff_figure
from lab.plots.style import (
    AMOUNT_TICKFORMAT,
    FONT_SIZE,
    ORACLE_COLOR,
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
    timeline_or_empty,
)

# --------------------------------------------------------------------------------------------------
# time charts
# --------------------------------------------------------------------------------------------------


# Baselines (``evaluation.baselines``) are reference lines, not contenders: thin, grey, dotted
# (then dash-dotted), outside the contenders' colour cycle, so the eye reads them as a floor.
BASELINE_COLOR = "#8c8c8c"
#: The accuracy chart's note "grey baselines: below this axis" has a line of its own under the
#: x axis's tick labels and title, which the figure's usual bottom margin (``apply_layout``'s
#: 55 px) holds at the race lab's fonts and presenter mode's larger ones (plotly draws the title
#: about 50 px under the axis at 17 px). Drawn on the title's line before, it overprinted
#: "samples seen" on a narrow chart (session 9's walk-through, lessons at 1024 px).
BELOW_AXIS_NOTE_SHIFT = 60  # px from the plot area's bottom edge to the note's top
BELOW_AXIS_NOTE_MARGIN = BELOW_AXIS_NOTE_SHIFT + 24  # the bottom margin with the note (px)
BELOW_AXIS_NOTE = "below-axis note"  # the annotation's name, to find it
CPU_AXIS = "training CPU (s)"  # the cost chart's lower panel: process CPU seconds spent training


# How the overlay's legend entry draws the dotted lines of its 2nd, 3rd, ... contenders: dots in
# their colours, faded as the lines are, after the entry's own swatch (the 1st contender's line).
OVERLAY_DOTS = "\u25aa\u2009\u25aa\u2009\u25aa"  # small squares, as the swatch draws dots


def rgba(color: str, opacity: float) -> str:
    """``#RRGGBB`` at ``opacity``, as CSS ``rgba(...)`` (the faded colour of an overlay line)."""
    r, g, b = (int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{opacity:g})"


def overlay_legend(names: list[str], styles: Mapping[str, tuple[str, str]],
                   label: str) -> go.Scatter:
    """The overlaid run's one legend entry: its swatch is the first contender's faded dotted
    line, followed by a short dotted line (three bullets) in the faded colour of each other
    contender of the run, then "<label> (dotted, faded)": the entry looks like the lines it
    stands for. It shares the legend group of the overlay's lines, so a click on it shows or
    hides the whole overlaid run.

    The walk-through of issue 13 read the single swatch in the first contender's colour as that
    contender's line; a legend entry per line gave it 16 entries, and an entry per colour in one
    group is stacked in a column by plotly's horizontal legend (a group's entries go under
    each other), so the other colours are drawn in the entry's text.
    """
    first = styles[names[0]][0]
    dots = "".join(f'<span style="color:{rgba(styles[n][0], PREVIOUS_OPACITY)}">'
                   f"{OVERLAY_DOTS}</span>\u2002" for n in names[1:])  # en spaces apart
    return go.Scatter(
        x=[None], y=[None], mode="lines", name=f"{dots}{plain(label)} (dotted, faded)",
        legendgroup="previous run", legendrank=2000, showlegend=True, hoverinfo="skip",
        opacity=PREVIOUS_OPACITY, line=dict(color=first, width=PREVIOUS_WIDTH, dash=PREVIOUS_DASH))


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
    oracles: Iterable[str] | None = None,
    min_span: float = 0.06,
) -> go.Figure:
    """Rolling accuracy (``acc_window``) of every contender along the stream.

    One line per contender, each with its own (colour, dash) pair (:func:`contender_styles`:
    ten contenders stay apart); retrain deployments are triangles on the contender's line,
    detector alarms are crosses, failures red diamonds; drifts are dashed lines / grey bands,
    labelled above the plot. ``previous`` (a timeline of an earlier run) is drawn in the same
    colours, dotted, thin and faded, behind one compact legend entry (:func:`overlay_legend`: a
    faded dotted line in each of its contenders' colours, then "<previous_label> (dotted,
    faded)") that shows or hides all of its lines (the hover names each: "<name>
    (<previous_label>)").
    ``baselines`` names the timeline's reference contenders (the summary's ``"baseline":
    true``; the overlaid run's may be listed too, repeats are ignored): each is a thin grey
    dotted / dash-dotted line with one legend entry, after the contenders, taking no colour from
    them (and not overlaid from a previous run).
    ``oracles`` names the oracle (the summary's ``"oracle": true``, :func:`oracle_names`): a
    black long-dashed reference line "Best schedule in hindsight (oracle)", last in the legend,
    with its retrains as black triangles (not overlaid from a previous run either).

    The y axis fits the contenders' lines (this run's and the overlaid one's; see
    :func:`fitted_share_range`), so that lines between 94 and 100 % separate; baselines far
    below are then cut off, which a note under the plot says. ``full_scale=True`` shows the
    whole 0-100 % instead; ``min_span`` is the fitted axis's least span (the lessons widen it).

    What to look at: the dip after each drift (how deep, how long), which policy climbs back first,
    whether alarms and retrains come soon after the drift, and the gap between the lines in calm
    stretches (the price of forgetting or of staleness).
    """
    timeline = timeline_or_empty(timeline)
    events = events_or_empty(events)
    oracle = [str(o) for o in (oracles or ())]
    # once each: the page passes this run's baselines and the overlaid run's, the same names
    reference = list(dict.fromkeys([str(b) for b in (baselines or ())] + oracle))
    names = [n for n in ordered_names(timeline, events) if n not in reference]
    previous_names = [n for n in ordered_names(previous) if n not in reference]
    all_names = names + [n for n in previous_names if n not in names]
    styles = contender_styles(all_names, colors)
    fig = go.Figure()
    fitted: list[np.ndarray] = []  # the values the y axis fits

    if previous is not None and len(previous) > 0 and previous_names:
        fig.add_trace(overlay_legend(previous_names, styles, previous_label))
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
    for name in (n for n in oracle if n in present):
        t, acc = contender_series(timeline, name, "acc_window")
        fitted.append(acc)
        fig.add_trace(oracle_line(int_list(t), float_list(acc), name, oracle, "%{y:.1%}"))
        for trace in event_traces(events, name, ORACLE_COLOR, t, acc, event_kinds, ".1%"):
            fig.add_trace(trace.update(legendgroup="oracle:" + plain(name)))  # hidden with it
    reference_values: list[np.ndarray] = []
    for k, name in enumerate(n for n in reference if n in present and n not in oracle):
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
        np.concatenate(fitted) if fitted else [], min_span=min_span)
    if y_range is None:
        fig.update_yaxes(title_text=y_title, tickformat=".0%", range=[0, 1.03])
    else:
        # ".1~%": whole percents print as "95%", a half step as "95.5%" (never two "95%" ticks)
        fig.update_yaxes(title_text=y_title, tickformat=".1~%", range=y_range)
        below = [v for v in reference_values if np.any(v[np.isfinite(v)] < y_range[0])]
        if below:
            fig.add_annotation(
                x=1, xref="paper", xanchor="right", y=0, yref="paper", yanchor="top",
                yshift=-BELOW_AXIS_NOTE_SHIFT, showarrow=False,
                font=dict(size=FONT_SIZE - 2, color="#555555"), name=BELOW_AXIS_NOTE,
                text="grey baselines: " + ("partly " if all(
                    np.any(v[np.isfinite(v)] >= y_range[0]) for v in below) else "")
                + "below this axis")
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Rolling accuracy over the stream", hovermode="x unified",
                 bottom=BELOW_AXIS_NOTE_MARGIN if any(
                     a.name == BELOW_AXIS_NOTE for a in fig.layout.annotations) else 55)
    return fig


def staleness_figure(
    timeline: pd.DataFrame,
    events: pd.DataFrame | None,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    log_y: bool = False,
    colors: Mapping[str, str] | None = None,
    oracles: Iterable[str] | None = None,
) -> go.Figure:
    """Model age (``staleness``) and, below it, the age of the model's data (``data_age``).

    Top: samples since the newest sample the deployed model learned from. Bottom (when the
    timeline has a ``data_age`` column; ``timeline.csv`` files written before it existed draw
    the top panel alone): the mean age, in samples, of all the samples the deployed model was
    trained on. One line per contender, the same colour in both panels; failures are red
    diamonds; drifts are dashed lines / grey bands on both panels; the oracle (``oracles``) is
    the black long-dashed reference line of :func:`accuracy_figure`. ``log_y=True`` puts both
    ages on log axes so that online (model age ~1) and frozen (~N) both show.

    What to look at: a frozen model's age grows without end, a periodic policy draws a saw-tooth
    (each drop is a deployment), an online learner's model age stays near 1 (or at the label
    delay) while its data age grows as half the stream: it is always fresh, yet what it knows is
    on average old. A retrain on a window of w samples keeps data age near w / 2. Compare both
    ages at each drift with how long the accuracy stays down in the accuracy chart.
    """
    timeline = timeline_or_empty(timeline)
    events = events_or_empty(events)
    oracle = [str(o) for o in (oracles or ())]
    names = ordered_names(timeline, events)
    styles = contender_styles([n for n in names if n not in oracle], colors)
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
            if name in oracle:
                fig.add_trace(oracle_line(int_list(t), float_list(age), name, oracle,
                                          f"{what} %{{y:,.0f}} samples",
                                          showlegend=row in (None, 1)), **where)
                continue
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

    # "log scale" goes in the figure's title, not the axes': "model age (samples, log scale)"
    # ran 252 px along a 166-px panel and was cut off (session 11's walk-through).
    titles = {"staleness": "model age (samples)", "data_age": "data age (samples)"}
    fig.update_xaxes(tickformat=",d")
    fig.update_xaxes(title_text="samples seen", **(dict(row=2, col=1) if with_data_age else {}))
    for row, column, _ in panels:
        where = dict(row=row, col=1) if row else {}
        if log_y:
            fig.update_yaxes(title_text=titles[column], type="log", dtick=1, tickformat="~s",
                             **where)
        else:
            fig.update_yaxes(title_text=titles[column], tickformat=",d", rangemode="tozero",
                             **where)
    add_drift_markers(fig, drifts)
    if with_data_age:
        title = ("Model age (staleness) and data age, log scales" if log_y
                 else "Model age (staleness) and data age over the stream")
        apply_layout(fig, title, height=520, hovermode="x unified")
    else:
        title = "Model age (staleness) over the stream" + (", log scale" if log_y else "")
        apply_layout(fig, title, hovermode="x unified")
    return fig


def cost_figure(
    timeline: pd.DataFrame,
    drifts: Iterable[Mapping[str, Any]] | None,
    *,
    colors: Mapping[str, str] | None = None,
    oracles: Iterable[str] | None = None,
) -> go.Figure:
    """Cumulative training cost along the stream, two stacked panels sharing the x axis.
    The oracle (``oracles``) is the black long-dashed reference line of :func:`accuracy_figure`.

    Top: samples passed to training so far (``train_samples_cum``, deterministic). Bottom: CPU
    seconds spent training (``train_cpu_s_cum``, measured, so it varies a little between runs).

    What to look at: an online learner's cost rises as a straight line (one sample per sample), a
    periodic full refit climbs in steps whose height is its training-set size, a frozen model stays
    flat after warm-up, a triggered policy steps up only after alarms (ideally just after drifts).
    """
    timeline = timeline_or_empty(timeline)
    oracle = [str(o) for o in (oracles or ())]
    names = ordered_names(timeline)
    styles = contender_styles([n for n in names if n not in oracle], colors)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    panels = ((1, "train_samples_cum", "%{y:,.0f} samples trained"),
              (2, "train_cpu_s_cum", "%{y:.2f} CPU s"))
    for name in names:
        for row, column, hover in panels:
            t, values = contender_series(timeline, name, column)
            if name in oracle:
                fig.add_trace(oracle_line(int_list(t), float_list(values), name, oracle, hover,
                                          showlegend=row == 1), row=row, col=1)
                continue
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
        title_text="samples trained", tickformat=AMOUNT_TICKFORMAT, rangemode="tozero", row=1,
        col=1)
    # short enough for its panel (about 160 px tall): "training CPU seconds (process)" ran
    # 240 px along it and was cut off (session 11's walk-through); the hover says "CPU s"
    fig.update_yaxes(title_text=CPU_AXIS, rangemode="tozero", row=2, col=1)
    add_drift_markers(fig, drifts)
    apply_layout(fig, "Cumulative training cost", height=500, hovermode="x unified")
    return fig
