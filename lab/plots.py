"""Plotly figures for Driftlab results, shared by the Streamlit app and the exports.

Every function here takes plain data shaped like the output-file contract in DESIGN.md
(``timeline.csv`` and ``events.csv`` as pandas DataFrames, ``summary.json`` as a dict, the drift
list ``[{"at", "width"}]`` and ``stream.csv`` as a DataFrame), so a figure can be rebuilt from the
CLI's files without re-running the race. Nothing here imports streamlit or runs a simulation.

Conventions shared by all figures:

* one colour per contender from a colour-blind-safe palette (:func:`contender_colors`), the same in
  every figure when the same ordered names are used (pass ``colors=`` to force one mapping);
* the x axis of time charts is "samples seen"; a sudden drift is a dashed vertical line and a
  gradual drift a light grey band (:func:`add_drift_markers`), explained by one legend entry
  "drift";
* ``plotly_white`` template, 14 px fonts, a horizontal legend above the plot, tight margins;
* figures are deterministic: the same input gives the same ``fig.to_json()``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

__all__ = [
    "PALETTE",
    "CONCEPT_PALETTE",
    "BASELINE_COLOR",
    "plain",
    "contender_colors",
    "add_drift_markers",
    "accuracy_figure",
    "staleness_figure",
    "cost_figure",
    "retrain_cost_figure",
    "pareto_front",
    "tradeoff_figure",
    "stream_preview_figure",
    "data_figure",
    "feature_distributions_figure",
    "figure_html",
    "decision_boundary_figure",
    "loss_curve_figure",
    "kmeans_figure",
    "sweep_path_label",
    "sweep_line_figure",
    "sweep_heatmap_figure",
    "sweep_tradeoff_figure",
]

# Okabe & Ito (2008) colour-blind-safe qualitative palette. Vermillion comes late so that it is not
# mistaken for the red failure markers, and yellow (weak on white) comes last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow
)

# Paul Tol's "light" palette: soft colours for concepts (a different dimension from contenders).
CONCEPT_PALETTE: tuple[str, ...] = (
    "#77AADD",
    "#EE8866",
    "#44BB99",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)

FAILURE_COLOR = "#D62728"
DRIFT_LINE_COLOR = "#555555"
DRIFT_BAND_COLOR = "#888888"
PARETO_COLOR = "#444444"
EVENT_EXPLAIN_COLOR = "#666666"

FONT_SIZE = 14
TITLE_SIZE = 18
MAIN_HEIGHT = 420

_EVENT_STYLE = {
    # kind: (legend label, marker symbol, size)
    "deploy": ("retrain deployed", "triangle-up", 10),
    "drift_alarm": ("drift alarm", "x", 10),
    "failure": ("failure", "diamond", 13),
}

TIMELINE_COLUMNS = (
    "t",
    "contender",
    "acc_window",
    "acc_cum",
    "staleness",
    "train_samples_cum",
    "train_cpu_s_cum",
    "retrains_cum",
)
EVENT_COLUMNS = ("t", "contender", "kind", "detail")


# --------------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------------


def plain(text: Any) -> str:
    """``text`` escaped so that a plotly figure shows it literally, character for character.

    plotly.js renders a pseudo-HTML subset in every piece of text it draws (trace names in the
    legend, hover labels, annotations, axis, subplot and colour-bar titles, tick labels, text on
    markers): ``<a href=...>`` becomes a clickable link, ``<b>``, ``<i>``, ``<br>``, ``<sup>``,
    ``<span style=...>`` are interpreted, and entities (``&lt;``, ``&#60;``) are decoded. In
    hover templates ``%{...}`` is also replaced by data values. Contender names, class labels,
    feature (column) names and config paths / values come from the user, a CSV or a shared link,
    so every such string goes through this function on its way into a figure: ``&``, ``<``, ``>``
    become ``&amp;``, ``&lt;``, ``&gt;`` and ``%`` becomes ``&#37;`` (no ``%{`` is left for the
    template engine); plotly decodes these entities back when it draws, so the user sees exactly
    what they typed. Markup that this module writes itself (``<br>``, ``<b>``, ``%{y}``) must not
    go through it. Other text (letters, digits, spaces, other punctuation) is unchanged.

    >>> plain('<a href="http://x">50% & more</a>')
    '&lt;a href="http://x"&gt;50&#37; &amp; more&lt;/a&gt;'
    >>> plain("Periodic (every 500)")
    'Periodic (every 500)'
    """
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("%", "&#37;"))


_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")


def _shown_length(text: str) -> int:
    """How many characters plotly draws for ``text`` (an entity such as ``&lt;`` counts one)."""
    return len(_ENTITY.sub("_", text))


def contender_colors(names: Iterable[str]) -> dict[str, str]:
    """Map each contender name to a stable colour, by order of first appearance in ``names``.

    The colours come from the Okabe-Ito colour-blind-safe palette (:data:`PALETTE`); after eight
    contenders the palette repeats. Duplicated names keep their first colour.

    >>> contender_colors(["Frozen batch", "Online"])
    {'Frozen batch': '#0072B2', 'Online': '#E69F00'}
    """
    colors: dict[str, str] = {}
    for name in names:
        name = str(name)
        if name not in colors:
            colors[name] = PALETTE[len(colors) % len(PALETTE)]
    return colors


LEGEND_REFERENCE_WIDTH = 1000  # px: plan the legend rows for a chart about this wide
LEGEND_ROW_HEIGHT = 26  # px per legend row
TITLE_BAND = 44  # px from the top of the figure to the top of the legend


def _legend_rows(fig: go.Figure, width: int = LEGEND_REFERENCE_WIDTH) -> int:
    """Estimated number of rows of the horizontal legend when the chart is ``width`` px wide."""
    total = 0.0
    row_used = 0.0
    rows = 1
    seen: set[tuple[str, str]] = set()
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        key = (str(trace.legendgroup or ""), str(trace.name))
        if key in seen:
            continue
        seen.add(key)
        item = 48 + 7.4 * _shown_length(str(trace.name))  # symbol + gap + text at 13 px
        total += item
        if row_used + item > width - 80 and row_used > 0:
            rows += 1
            row_used = 0.0
        row_used += item
    return rows


def _apply_layout(
    fig: go.Figure,
    title: str,
    *,
    height: int = MAIN_HEIGHT,
    top: int | None = None,
    bottom: int = 55,
    hovermode: str | bool = "closest",
    legend_in_title_row: bool = False,
) -> go.Figure:
    """Common look: template, fonts, title top-left, horizontal legend.

    The legend sits above the plot area, under the title; the top margin and the height grow with
    the estimated number of legend rows (plotly's automargin adds more on a narrow page) so that the
    legend never covers the title or the data.
    With ``legend_in_title_row`` the legend goes to the right end of the title row instead (for
    figures with subplot titles and only a few legend entries).
    """
    if legend_in_title_row:
        legend = dict(x=1, xanchor="right", xref="container", y=1, yanchor="top", yref="container")
        top = 70 if top is None else top
    else:
        # Anchored in container coordinates just under the title: a legend that wraps onto more
        # rows than planned (narrow page) pushes the plot area down instead of covering the title.
        rows = _legend_rows(fig)
        if top is None:
            top = TITLE_BAND + LEGEND_ROW_HEIGHT * rows + 8
            height += LEGEND_ROW_HEIGHT * (rows - 1)
        legend = dict(
            x=0,
            xanchor="left",
            xref="paper",
            y=1 - TITLE_BAND / height,
            yanchor="top",
            yref="container",
        )
    fig.update_layout(
        template="plotly_white",
        title=dict(
            text=title,
            x=0.01,
            xanchor="left",
            xref="container",
            y=1,
            yanchor="top",
            yref="container",
            pad=dict(t=12),
            font=dict(size=TITLE_SIZE),
        ),
        font=dict(size=FONT_SIZE),
        showlegend=True,
        legend=dict(
            orientation="h",
            font=dict(size=FONT_SIZE - 1),
            bgcolor="rgba(255,255,255,0)",
            itemsizing="constant",
            **legend,
        ),
        height=height,
        margin=dict(l=70, r=25, t=top, b=bottom),
        hovermode=hovermode,
        hoverlabel=dict(font=dict(size=FONT_SIZE - 1)),
    )
    return fig


def _timeline_frame(timeline: pd.DataFrame | None) -> pd.DataFrame:
    if timeline is None:
        return pd.DataFrame({c: [] for c in TIMELINE_COLUMNS})
    return timeline


def _events_frame(events: pd.DataFrame | None) -> pd.DataFrame:
    if events is None or len(events) == 0:
        return pd.DataFrame({c: [] for c in EVENT_COLUMNS})
    return events


def _ordered_names(*frames: pd.DataFrame | None) -> list[str]:
    """Contender names in order of first appearance across the given frames."""
    names: list[str] = []
    seen: set[str] = set()
    for frame in frames:
        if frame is None or len(frame) == 0 or "contender" not in frame.columns:
            continue
        for name in pd.unique(frame["contender"].astype(str)):
            if name not in seen:
                seen.add(name)
                names.append(name)
    return names


def _resolve_colors(names: Sequence[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """``colors`` wins where given; missing names get the next unused palette colours."""
    resolved = contender_colors(names)
    if colors:
        resolved = dict(colors)
        extra = [n for n in names if n not in resolved]
        used = len(resolved)
        for i, name in enumerate(extra):
            resolved[name] = PALETTE[(used + i) % len(PALETTE)]
    return resolved


def _series(frame: pd.DataFrame, name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (t, value) arrays of one contender's column; NaN where the value is missing."""
    rows = frame.loc[frame["contender"].astype(str) == name, ["t", column]]
    rows = rows.sort_values("t", kind="stable")
    t = pd.to_numeric(rows["t"], errors="coerce").to_numpy(dtype=float)
    v = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
    return t, v


def _int_list(values: np.ndarray) -> list[int | None]:
    return [None if not np.isfinite(v) else int(v) for v in values]


def _float_list(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in values]


def _on_line(t_line: np.ndarray, y_line: np.ndarray, t_events: np.ndarray) -> np.ndarray:
    """y of a contender's line at the event times (linear interpolation, clamped at the ends)."""
    ok = np.isfinite(t_line) & np.isfinite(y_line)
    if not ok.any():
        return np.zeros(len(t_events), dtype=float)
    return np.interp(t_events, t_line[ok], y_line[ok])


def _event_traces(
    events: pd.DataFrame,
    name: str,
    color: str,
    t_line: np.ndarray,
    y_line: np.ndarray,
    kinds: Sequence[str],
    value_fmt: str,
) -> list[go.Scatter]:
    """Marker traces for one contender's events of the given kinds, placed on its line."""
    traces: list[go.Scatter] = []
    if len(events) == 0:
        return traces
    mine = events.loc[events["contender"].astype(str) == name]
    for kind in kinds:
        rows = mine.loc[mine["kind"].astype(str) == kind].sort_values("t", kind="stable")
        if len(rows) == 0:
            continue
        label, symbol, size = _EVENT_STYLE[kind]
        t_ev = pd.to_numeric(rows["t"], errors="coerce").to_numpy(dtype=float)
        y_ev = _on_line(t_line, y_line, t_ev)
        details = (
            ["" if pd.isna(d) else str(d) for d in rows["detail"]]
            if "detail" in rows
            else [""] * len(rows)
        )
        is_failure = kind == "failure"
        traces.append(
            go.Scatter(
                x=_int_list(t_ev),
                y=_float_list(y_ev),
                mode="markers",
                name=f"{plain(name)}: {label}",
                legendgroup=plain(name),
                showlegend=False,
                marker=dict(
                    symbol=symbol,
                    size=size,
                    color=FAILURE_COLOR if is_failure else color,
                    line=dict(width=1, color="white" if symbol != "x" else color),
                ),
                customdata=[plain(d) for d in details],
                hovertemplate=(
                    f"<b>{plain(name)}</b>: {label}<br>at sample %{{x:,}}<br>%{{y:{value_fmt}}}"
                    "<br>%{customdata}<extra></extra>"
                ),
            )
        )
    return traces


def _event_legend_traces(events: pd.DataFrame, kinds: Sequence[str]) -> list[go.Scatter]:
    """Legend-only entries that explain the event marker symbols (one per kind present)."""
    traces: list[go.Scatter] = []
    if len(events) == 0:
        return traces
    present = set(events["kind"].astype(str))
    for kind in kinds:
        if kind not in present:
            continue
        label, symbol, size = _EVENT_STYLE[kind]
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                legendgroup=f"event:{kind}",
                showlegend=True,
                hoverinfo="skip",
                marker=dict(
                    symbol=symbol,
                    size=size,
                    color=FAILURE_COLOR if kind == "failure" else EVENT_EXPLAIN_COLOR,
                ),
            )
        )
    return traces


def _subplot_refs(fig: go.Figure, row: int | None, col: int | None) -> tuple[str, str]:
    """(xref, yref) of the subplot that carries the drift labels and the legend entry."""
    if getattr(fig, "_grid_ref", None) is None:
        return "x", "y"
    sub = fig.get_subplot(row or 1, col or 1)
    xref = sub.xaxis.plotly_name.replace("axis", "")
    yref = sub.yaxis.plotly_name.replace("axis", "")
    return xref, yref


def _spanned_subplots(fig: go.Figure, row: int | str, col: int | str) -> list[tuple[str, str]]:
    """(xref, yref) of the subplots a marker spans, as ``fig.add_vline(row=, col=)`` picks them:
    the given row/column or ``"all"``, leaving out subplots without any trace."""
    grid = fig._grid_ref
    rows = range(1, len(grid) + 1) if row == "all" else [int(row)]
    cols = range(1, len(grid[0]) + 1) if col == "all" else [int(col)]
    used = {(t.xaxis or "x", t.yaxis or "y") for t in fig.data}
    refs = []
    for r in rows:
        for c in cols:
            if fig.get_subplot(r, c) is None:
                continue
            xref, yref = _subplot_refs(fig, r, c)
            if (xref, yref) in used:
                refs.append((xref, yref))
    return refs


def drift_band(d: Mapping[str, Any]) -> tuple[int, int]:
    """``(start, width)`` of a drift's transition band as drawn: ``start``/``end`` when the
    summary gives them (MOA-shaped drifts are centred on ``at``), else ``at``/``width``."""
    start = int(d.get("start", d["at"]))
    end = int(d.get("end", int(d["at"]) + int(d.get("width", 0) or 0)))
    return start, max(end - start, 0)


def _clean_drifts(drifts: Iterable[Mapping[str, Any]] | None) -> list[tuple[int, int]]:
    return sorted(drift_band(d) for d in drifts or [])


# --------------------------------------------------------------------------------------------------
# drift markers
# --------------------------------------------------------------------------------------------------


def add_drift_markers(
    fig: go.Figure,
    drifts: Iterable[Mapping[str, Any]] | None,
    row: int | str | None = None,
    col: int | str | None = None,
) -> go.Figure:
    """Mark where the concept drifts on a figure whose x axis is the sample index.

    A sudden drift (``width == 0``) is a dashed vertical line labelled "drift"; a gradual drift is a
    light grey band from ``at`` to ``at + width`` labelled "gradual drift". One legend entry "drift"
    explains the markers. On a figure with subplots the markers go on every subplot (or only on
    ``row``/``col`` when given) and the labels on the top one. Call it after adding the traces.
    Returns the same figure.
    """
    clean = _clean_drifts(drifts)
    if not clean:
        return fig
    has_grid = getattr(fig, "_grid_ref", None) is not None
    target_row = row if (has_grid and row is not None) else "all"
    target_col = col if (has_grid and col is not None) else "all"
    label_row = row if isinstance(row, int) else None
    label_col = col if isinstance(col, int) else None
    xref, yref = _subplot_refs(fig, label_row, label_col)
    spans = _spanned_subplots(fig, target_row, target_col) if has_grid else [("x", "y")]

    # Every marker is built as a plain dict and the layout is assigned once: plotly's
    # add_vline / add_vrect / add_annotation each re-validate and copy the whole tuple of
    # shapes, so adding k markers one by one cost O(k^2) (300 drifts: 43 s for the cost chart).
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for at, width in clean:
        for span_x, span_y in spans:
            if width == 0:
                shapes.append(dict(
                    type="line", x0=at, x1=at, y0=0, y1=1, xref=span_x, yref=f"{span_y} domain",
                    line=dict(color=DRIFT_LINE_COLOR, width=1.5, dash="dash"), opacity=0.9,
                    legendgroup="drift"))
            else:
                shapes.append(dict(
                    type="rect", x0=at, x1=at + width, y0=0, y1=1, xref=span_x,
                    yref=f"{span_y} domain", fillcolor=DRIFT_BAND_COLOR, opacity=0.15,
                    line=dict(width=0), layer="below", legendgroup="drift"))
        annotations.append(dict(
            x=at,
            xref=xref,
            y=1,
            yref=f"{yref} domain",
            text="drift" if width == 0 else "gradual drift",
            showarrow=False,
            xanchor="left",
            yanchor="top",
            xshift=3,
            font=dict(size=FONT_SIZE - 2, color=DRIFT_LINE_COLOR),
        ))
    fig.update_layout(shapes=list(fig.layout.shapes) + shapes,
                      annotations=list(fig.layout.annotations) + annotations)

    already = any(
        getattr(tr, "legendgroup", None) == "drift" and tr.name == "drift" for tr in fig.data
    )
    if not already:
        any_sudden = any(w == 0 for _, w in clean)
        if any_sudden:
            legend_trace = go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line=dict(color=DRIFT_LINE_COLOR, width=1.5, dash="dash"),
            )
        else:
            legend_trace = go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker=dict(symbol="square", size=14, color=DRIFT_BAND_COLOR, opacity=0.35),
            )
        legend_trace.update(name="drift", legendgroup="drift", showlegend=True, hoverinfo="skip")
        if has_grid:
            fig.add_trace(legend_trace, row=label_row or 1, col=label_col or 1)
        else:
            fig.add_trace(legend_trace)
    return fig


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
) -> go.Figure:
    """Rolling accuracy (``acc_window``) of every contender along the stream.

    One line per contender; retrain deployments are triangles on the contender's line, detector
    alarms are crosses, failures red diamonds; drifts are dashed lines / grey bands. ``previous``
    (a timeline of an earlier run) is drawn as dashed, faded lines named "<name> (previous run)".
    ``baselines`` names the timeline's reference contenders (the summary's ``"baseline":
    true``): each is a thin grey dotted / dash-dotted line with its own legend entry, after the
    contenders, taking no colour from them (and not overlaid from a previous run).

    What to look at: the dip after each drift (how deep, how long), which policy climbs back first,
    whether alarms and retrains come soon after the drift, and the gap between the lines in calm
    stretches (the price of forgetting or of staleness).
    """
    timeline = _timeline_frame(timeline)
    events = _events_frame(events)
    reference = [str(b) for b in (baselines or ())]
    names = [n for n in _ordered_names(timeline, events) if n not in reference]
    all_names = names + [n for n in _ordered_names(previous)
                         if n not in names and n not in reference]
    palette = _resolve_colors(all_names, colors)
    fig = go.Figure()

    if previous is not None and len(previous) > 0:
        for name in [n for n in _ordered_names(previous) if n not in reference]:
            t, acc = _series(previous, name, "acc_window")
            label = f"{plain(name)} ({plain(previous_label)})"
            fig.add_trace(
                go.Scatter(
                    x=_int_list(t),
                    y=_float_list(acc),
                    mode="lines",
                    name=label,
                    legendgroup=label,
                    line=dict(color=palette[name], width=2, dash="dash"),
                    opacity=0.45,
                    legendrank=2000,
                    hovertemplate=f"{label}: %{{y:.1%}}<extra></extra>",
                )
            )

    event_kinds = ("deploy", "drift_alarm", "failure")
    for name in names:
        t, acc = _series(timeline, name, "acc_window")
        fig.add_trace(
            go.Scatter(
                x=_int_list(t),
                y=_float_list(acc),
                mode="lines",
                name=plain(name),
                legendgroup=plain(name),
                line=dict(color=palette[name], width=2.5),
                hovertemplate=f"{plain(name)}: %{{y:.1%}}<extra></extra>",
            )
        )
        for trace in _event_traces(events, name, palette[name], t, acc, event_kinds, ".1%"):
            fig.add_trace(trace)
    present = set(_ordered_names(timeline))
    for k, name in enumerate(n for n in reference if n in present):
        t, acc = _series(timeline, name, "acc_window")
        fig.add_trace(
            go.Scatter(
                x=_int_list(t),
                y=_float_list(acc),
                mode="lines",
                name=plain(name),
                legendgroup=plain(name),
                line=dict(color=BASELINE_COLOR, width=1.5,
                          dash=BASELINE_DASHES[k % len(BASELINE_DASHES)]),
                legendrank=1500,
                hovertemplate=f"{plain(name)}: %{{y:.1%}}<extra></extra>",
            )
        )
    for trace in _event_legend_traces(events, event_kinds):
        fig.add_trace(trace)

    y_title = (
        f"accuracy (last {int(window):,} samples)" if window else "accuracy (rolling window, %)"
    )
    fig.update_xaxes(title_text="samples seen", tickformat=",d")
    fig.update_yaxes(title_text=y_title, tickformat=".0%", range=[0, 1.03])
    add_drift_markers(fig, drifts)
    _apply_layout(fig, "Rolling accuracy over the stream", hovermode="x unified")
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
    timeline = _timeline_frame(timeline)
    events = _events_frame(events)
    names = _ordered_names(timeline, events)
    palette = _resolve_colors(names, colors)
    with_data_age = "data_age" in timeline.columns
    if with_data_age:
        fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1)
        panels = ((1, "staleness", "model age"), (2, "data_age", "data age"))
    else:
        fig = go.Figure()
        panels = ((None, "staleness", "model age"),)
    for name in names:
        for row, column, what in panels:
            t, age = _series(timeline, name, column)
            if log_y:
                age = np.where(age > 0, age, np.nan)
            where = dict(row=row, col=1) if row else {}
            fig.add_trace(
                go.Scatter(
                    x=_int_list(t),
                    y=_float_list(age),
                    mode="lines",
                    name=plain(name),
                    legendgroup=plain(name),
                    showlegend=row in (None, 1),
                    line=dict(color=palette[name], width=2.5),
                    hovertemplate=f"{plain(name)}: {what} %{{y:,.0f}} samples<extra></extra>",
                ),
                **where,
            )
            for trace in _event_traces(events, name, palette[name], t, age, ("failure",),
                                       ",.0f"):
                fig.add_trace(trace, **where)
    for trace in _event_legend_traces(events, ("failure",)):
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
        _apply_layout(fig, "Model age (staleness) and data age over the stream", height=520,
                      hovermode="x unified")
    else:
        _apply_layout(fig, "Model age (staleness) over the stream", hovermode="x unified")
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
    timeline = _timeline_frame(timeline)
    names = _ordered_names(timeline)
    palette = _resolve_colors(names, colors)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    panels = ((1, "train_samples_cum", "%{y:,.0f} samples trained"),
              (2, "train_cpu_s_cum", "%{y:.2f} CPU s"))
    for name in names:
        for row, column, hover in panels:
            t, values = _series(timeline, name, column)
            fig.add_trace(
                go.Scatter(
                    x=_int_list(t),
                    y=_float_list(values),
                    mode="lines",
                    name=plain(name),
                    legendgroup=plain(name),
                    showlegend=row == 1,
                    line=dict(color=palette[name], width=2.5),
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
    fig.update_yaxes(title_text="CPU seconds", rangemode="tozero", row=2, col=1)
    add_drift_markers(fig, drifts)
    _apply_layout(fig, "Cumulative training cost", height=500, hovermode="x unified")
    return fig


# --------------------------------------------------------------------------------------------------
# summary charts
# --------------------------------------------------------------------------------------------------


def _num(value: Any) -> float | None:
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
    palette = _resolve_colors(names, colors)
    fig = go.Figure()
    notes: list[tuple[str, str]] = []
    for c, name in zip(contenders, names):
        retrains = _num(c.get("retrains"))
        samples = _num(c.get("train_samples"))
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
    _apply_layout(fig, "Cost per retrain", height=400)
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
    clean: list[tuple[int, float, float]] = []
    for i, p in enumerate(points):
        cost, acc = _num(p[0]), _num(p[1])
        if cost is not None and acc is not None:
            clean.append((i, cost, acc))
    front = []
    for i, ci, ai in clean:
        dominated = any(
            cj <= ci and aj >= ai and (cj < ci or aj > ai) for j, cj, aj in clean if j != i
        )
        if not dominated:
            front.append(i)
    return front


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1-2-5 tick values between 10**lo and 10**hi (powers of ten only for wide ranges)."""
    steps = (1, 2, 5) if hi - lo <= 3 else (1,)
    ticks = []
    for exp in range(math.floor(lo), math.ceil(hi) + 1):
        for m in steps:
            v = m * 10.0**exp
            if 10**lo <= v <= 10**hi:
                ticks.append(v)
    return ticks


def _short_number(v: float) -> str:
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
    palette = _resolve_colors(names, colors)
    fig = go.Figure()
    plotted: list[tuple[str, float, float, Mapping[str, Any]]] = []
    skipped: list[str] = []
    for c, name in zip(contenders, names):
        acc = _num(c.get("accuracy"))
        value = _num(c.get(cost))
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
                        int(_num(c.get("train_samples")) or 0),
                        int(_num(c.get("retrains")) or 0),
                        _num(c.get("train_cpu_s")) or 0.0,
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
        ticks = _log_ticks(lo_x, hi_x)
        fig.update_xaxes(
            range=[lo_x, hi_x],
            tickvals=ticks,
            ticktext=[_short_number(v) for v in ticks],
            minor=dict(showgrid=False),
        )
    fig.update_yaxes(title_text="accuracy (scored samples)", tickformat=".0%")
    if plotted:
        accs = [acc for _, _, acc, _ in plotted]
        lo, hi = min(accs), max(accs)
        pad = max(0.03, (hi - lo) * 0.25)
        fig.update_yaxes(range=[max(0.0, lo - pad), min(1.05, hi + pad)])
    _apply_layout(fig, "Accuracy vs. training cost", height=MAIN_HEIGHT)
    return fig


# --------------------------------------------------------------------------------------------------
# stream charts
# --------------------------------------------------------------------------------------------------


def _hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _mix(a: str, b: str, share_b: float) -> str:
    ra, ga, ba = _hex_to_rgb(a)
    rb, gb, bb = _hex_to_rgb(b)
    mixed = [round(x + (y - x) * share_b) for x, y in ((ra, rb), (ga, gb), (ba, bb))]
    return "#{:02X}{:02X}{:02X}".format(*mixed)


def _concept_color(concept: int) -> str:
    return CONCEPT_PALETTE[int(concept) % len(CONCEPT_PALETTE)]


def stream_preview_figure(
    n_samples: int,
    drifts: Iterable[Mapping[str, Any]] | None,
    concepts: Sequence[int] | None = None,
) -> go.Figure:
    """A thin strip of the stream showing which concept is active where.

    Solid coloured segments are stretches of one concept ("concept 0", "concept 1", ...); a gradual
    drift is a colour gradient from the old to the new concept (the new one's share rising along a
    sigmoid); a sudden drift is a dashed line. ``concepts`` gives the concept each drift switches
    to (default 1, 2, 3, ...); repeating an earlier index shows a recurring drift in the same
    colour.

    What to look at: where the drifts fall, how long each concept lasts, and which are recurring.
    """
    n = max(int(n_samples), 0)
    raw = list(drifts or [])
    if concepts is None:
        to_concepts = list(range(1, len(raw) + 1))
    else:
        to_concepts = [int(c) for c in concepts]
        if len(to_concepts) < len(raw):
            raise ValueError(
                f"concepts has {len(to_concepts)} entries but there are {len(raw)} drifts; "
                "give one concept index per drift"
            )
    # keep each drift paired with its concept when sorting by position
    pairs = sorted(
        (
            (*drift_band(d), to_concepts[i])
            for i, d in enumerate(raw)
        ),
        key=lambda p: (p[0], p[1]),
    )

    solid: dict[int, list[tuple[int, int]]] = {}
    gradients: list[tuple[int, int, int, int]] = []  # start, end, from, to
    current, start = 0, 0
    for k, (at, width, to) in enumerate(pairs):
        at = min(max(at, start), n)
        if at > start:
            solid.setdefault(current, []).append((start, at))
        nxt = pairs[k + 1][0] if k + 1 < len(pairs) else n
        end = min(at + width, max(nxt, at), n)
        if width > 0 and end > at:
            gradients.append((at, end, current, to))
        start, current = (end if width > 0 else at), to
    if n > start:
        solid.setdefault(current, []).append((start, n))

    order: list[int] = []
    for c in [0] + [p[2] for p in pairs]:
        if c not in order and c in solid:
            order.append(c)
    for _, _, a, b in gradients:
        for c in (a, b):
            if c not in order:
                order.append(c)

    fig = go.Figure()
    for c in order:
        segs = solid.get(c, [])
        fig.add_trace(
            go.Bar(
                x=[e - s for s, e in segs] or [None],
                base=[s for s, _ in segs] or [None],
                y=["stream"] * max(len(segs), 1),
                orientation="h",
                name=f"concept {c}",
                legendgroup=f"concept {c}",
                marker=dict(color=_concept_color(c), line=dict(width=0)),
                customdata=[[s, e - 1] for s, e in segs] or [[None, None]],
                hovertemplate=(
                    f"concept {c}<br>samples %{{customdata[0]:,}}–%{{customdata[1]:,}}"
                    "<extra></extra>"
                ),
                width=1.0,
            )
        )
    slices = 16
    for at, end, a, b in gradients:
        edges = np.linspace(at, end, slices + 1)
        mids = (edges[:-1] + edges[1:]) / 2
        centre, half = (at + end) / 2, max((end - at) / 2, 1e-9)
        shares = 1 / (1 + np.exp(-4 * (mids - centre) / half))
        fig.add_trace(
            go.Bar(
                x=[float(e1 - e0) for e0, e1 in zip(edges[:-1], edges[1:])],
                base=[float(e0) for e0 in edges[:-1]],
                y=["stream"] * slices,
                orientation="h",
                name=f"gradual drift {a}→{b}",
                legendgroup="gradual",
                showlegend=False,
                marker=dict(
                    color=[_mix(_concept_color(a), _concept_color(b), float(s)) for s in shares],
                    line=dict(width=0),
                ),
                hovertemplate=(
                    f"gradual drift concept {a} → concept {b}<br>samples {at:,}–{end - 1:,}"
                    "<extra></extra>"
                ),
                width=1.0,
            )
        )
    # Shapes and labels are assigned to the layout in one go: one add_vline per drift copies
    # the layout's shapes every time, quadratic in the number of drifts.
    lines = [
        dict(type="line", x0=at, x1=at, y0=0, y1=1, xref="x", yref="y domain",
             line=dict(color=DRIFT_LINE_COLOR, width=1.5, dash="dash"), legendgroup="drift")
        for at, width, _ in pairs
        if width == 0 and 0 < at < n
    ]
    labels = [
        dict(x=(s + e) / 2, y="stream", text=f"concept {c}", showarrow=False,
             font=dict(size=FONT_SIZE - 2, color="#222222"))
        for c in order
        for s, e in solid.get(c, [])
        if n and (e - s) / n >= 0.08
    ]
    fig.update_layout(shapes=lines, annotations=labels)
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_xaxes(
        title_text="sample index", range=[0, max(n, 1)], tickformat=",d", showgrid=False
    )
    fig.update_yaxes(
        title_text="concept", title_font=dict(size=11), showticklabels=False, showgrid=False
    )
    _apply_layout(
        fig, "Concepts along the stream", height=150, top=38, bottom=45, legend_in_title_row=True
    )
    fig.update_layout(
        legend=dict(font=dict(size=FONT_SIZE - 2)),
        margin=dict(l=40, r=15),
        title=dict(font=dict(size=FONT_SIZE + 1), pad=dict(t=8)),
    )
    return fig


def _feature_columns(stream: pd.DataFrame) -> list[str]:
    return [str(c) for c in stream.columns if str(c) not in ("y", "concept")]


def _concept_values(stream: pd.DataFrame) -> np.ndarray:
    if "concept" in stream.columns:
        return pd.to_numeric(stream["concept"], errors="coerce").fillna(0).to_numpy(dtype=int)
    return np.zeros(len(stream), dtype=int)


def _class_labels(stream: pd.DataFrame) -> list[Any]:
    values = pd.unique(stream["y"]) if "y" in stream.columns else np.array([])
    try:
        return sorted(values.tolist())
    except TypeError:
        return sorted(values.tolist(), key=str)


def _even_indices(n: int, k: int) -> np.ndarray:
    """Up to ``k`` evenly spread positions in ``range(n)``, deterministic."""
    if n <= k:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, k).round().astype(int))


def data_figure(stream: pd.DataFrame, max_points: int = 4000) -> go.Figure:
    """What the data looks like in each concept.

    With exactly two feature columns: a scatter of feature 1 against feature 2, coloured by class,
    one panel per concept (the first four concepts; at most ``max_points`` points per panel, taken
    evenly along the stream, so the picture is deterministic). Otherwise: the share of each class
    per concept as grouped bars (see :func:`feature_distributions_figure` for the features).

    What to look at: in the scatter, how the class boundary moves between concepts (real drift)
    or how the cloud moves while the boundary stays (virtual drift); in the bars, a change of class
    balance between concepts (prior shift), which also moves the accuracy of a constant guesser.
    """
    features = _feature_columns(stream)
    concepts_all = _concept_values(stream)
    concept_ids = sorted(set(concepts_all.tolist()))
    classes = _class_labels(stream)
    class_colors = {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}
    y = stream["y"].to_numpy() if "y" in stream.columns else np.zeros(len(stream))

    if len(features) == 2:
        shown = concept_ids[:4] or [0]
        fig = make_subplots(
            rows=1,
            cols=len(shown),
            shared_yaxes=True,
            horizontal_spacing=0.04,
            subplot_titles=[f"concept {c}" for c in shown],
        )
        f1, f2 = features
        x1 = pd.to_numeric(stream[f1], errors="coerce").to_numpy(dtype=float)
        x2 = pd.to_numeric(stream[f2], errors="coerce").to_numpy(dtype=float)
        for col, c in enumerate(shown, start=1):
            positions = np.flatnonzero(concepts_all == c)
            positions = positions[_even_indices(len(positions), max(int(max_points), 1))]
            for cls in classes:
                sel = positions[y[positions] == cls]
                fig.add_trace(
                    go.Scatter(
                        x=_float_list(x1[sel]),
                        y=_float_list(x2[sel]),
                        mode="markers",
                        name=f"class {plain(cls)}",
                        legendgroup=f"class {plain(cls)}",
                        showlegend=col == 1,
                        marker=dict(size=5, color=class_colors[cls], opacity=0.6),
                        hovertemplate=(
                            f"concept {c}, class {plain(cls)}<br>{plain(f1)} %{{x:.3g}}<br>"
                            f"{plain(f2)} %{{y:.3g}}"
                            "<extra></extra>"
                        ),
                    ),
                    row=1,
                    col=col,
                )
            fig.update_xaxes(title_text=f"{plain(f1)} (feature value)", row=1, col=col)
        fig.update_xaxes(matches="x")
        fig.update_yaxes(title_text=f"{plain(f2)} (feature value)", row=1, col=1)
        extra = f" (first 4 of {len(concept_ids)} concepts)" if len(concept_ids) > 4 else ""
        _apply_layout(fig, f"Samples per concept: {plain(f1)} vs {plain(f2)}{extra}",
                      legend_in_title_row=True)
        return fig

    fig = go.Figure()
    labels = [f"concept {c}" for c in concept_ids]
    for cls in classes:
        shares = []
        counts = []
        for c in concept_ids:
            in_concept = concepts_all == c
            total = int(in_concept.sum())
            count = int((y[in_concept] == cls).sum())
            counts.append(count)
            shares.append(count / total if total else 0.0)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=shares,
                name=f"class {plain(cls)}",
                legendgroup=f"class {plain(cls)}",
                marker=dict(color=class_colors[cls]),
                customdata=counts,
                hovertemplate=(
                    f"%{{x}}, class {plain(cls)}<br>%{{y:.1%}} (%{{customdata:,}} samples)"
                    "<extra></extra>"
                ),
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="concept", type="category")
    fig.update_yaxes(title_text="share of samples (%)", tickformat=".0%", rangemode="tozero")
    _apply_layout(fig, "Class balance per concept", height=400)
    return fig


def _box_stats(values: np.ndarray) -> dict[str, float] | None:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    iqr = q3 - q1
    low = values[values >= q1 - 1.5 * iqr].min()
    high = values[values <= q3 + 1.5 * iqr].max()
    return {
        "q1": float(q1),
        "median": float(median),
        "q3": float(q3),
        "lowerfence": float(low),
        "upperfence": float(high),
        "mean": float(values.mean()),
    }


def feature_distributions_figure(stream: pd.DataFrame, max_features: int = 6) -> go.Figure:
    """Box plots of the first numeric features, one box per concept, one panel per feature.

    Boxes are precomputed (quartiles, whiskers at 1.5 IQR, mean as a dashed line) so the figure
    stays small for long streams. Non-numeric feature columns are skipped.

    What to look at: a feature whose box moves between concepts has a shifted distribution
    (covariate shift); if nothing moves but accuracy still drops, the drift is in the labels.
    """
    candidates = _feature_columns(stream)
    numeric: list[str] = []
    for col in candidates:
        if pd.api.types.is_numeric_dtype(stream[col]) and not pd.api.types.is_bool_dtype(
            stream[col]
        ):
            numeric.append(col)
        if len(numeric) >= max_features:
            break
    concepts_all = _concept_values(stream)
    concept_ids = sorted(set(concepts_all.tolist()))

    if not numeric:
        fig = go.Figure()
        fig.add_annotation(
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            text="no numeric features to show",
            showarrow=False,
        )
        # an empty legend entry per concept keeps the legend meaningful
        for c in concept_ids:
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=f"concept {c}",
                    marker=dict(symbol="square", size=12, color=_concept_color(c)),
                )
            )
        fig.update_xaxes(title_text="concept", visible=True, showticklabels=False)
        fig.update_yaxes(title_text="feature value", showticklabels=False)
        _apply_layout(fig, "Feature distributions per concept", height=300)
        return fig

    ncols = min(3, len(numeric))
    nrows = math.ceil(len(numeric) / ncols)
    fig = make_subplots(
        rows=nrows,
        cols=ncols,
        subplot_titles=[plain(col) for col in numeric],
        horizontal_spacing=0.07,
        vertical_spacing=0.16 if nrows > 1 else 0.1,
    )
    for k, col in enumerate(numeric):
        r, cidx = k // ncols + 1, k % ncols + 1
        values = pd.to_numeric(stream[col], errors="coerce").to_numpy(dtype=float)
        for c in concept_ids:
            stats = _box_stats(values[concepts_all == c])
            if stats is None:
                continue
            fig.add_trace(
                go.Box(
                    x=[str(c)],
                    q1=[stats["q1"]],
                    median=[stats["median"]],
                    q3=[stats["q3"]],
                    lowerfence=[stats["lowerfence"]],
                    upperfence=[stats["upperfence"]],
                    mean=[stats["mean"]],
                    boxmean=True,
                    boxpoints=False,
                    name=f"concept {c}",
                    legendgroup=f"concept {c}",
                    showlegend=k == 0,
                    marker=dict(color=_concept_color(c)),
                    line=dict(color=_mix(_concept_color(c), "#000000", 0.45)),
                    fillcolor=_concept_color(c),
                ),
                row=r,
                col=cidx,
            )
        fig.update_xaxes(type="category", row=r, col=cidx)
        if cidx == 1:
            fig.update_yaxes(title_text="feature value", row=r, col=cidx)
        if k + ncols >= len(numeric):  # lowest panel of its column
            fig.update_xaxes(title_text="concept", row=r, col=cidx)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    _apply_layout(
        fig, "Feature distributions per concept", height=130 + 250 * nrows, legend_in_title_row=True
    )
    return fig


# --------------------------------------------------------------------------------------------------
# export
# --------------------------------------------------------------------------------------------------


def figure_html(fig: go.Figure, *, div_id: str = "driftlab-figure") -> str:
    """A self-contained interactive HTML page of ``fig`` with plotly.js inlined (works offline).

    The page is over 3 MB because the whole plotly.js library is embedded; ``div_id`` is fixed so
    the same figure gives the same HTML.
    """
    return pio.to_html(
        fig,
        include_plotlyjs=True,
        full_html=True,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}},
    )


# --------------------------------------------------------------------------------------------------
# lesson figures: decision boundaries, gradient-descent loss curves, moving k-means
# --------------------------------------------------------------------------------------------------


def _predict_grid(model: Any, grid: np.ndarray, feature_names: Sequence[str]) -> np.ndarray:
    """Predicted classes of ``model`` at the rows of ``grid``.

    river learners (anything with ``predict_one``) get one dict per row whose keys are the
    stream's feature names; scikit-learn estimators get the numpy array, as in the race. A model
    that cannot predict yet (river before its first sample) gives ``None``.
    """
    if hasattr(model, "predict_one"):
        names = list(feature_names)
        return np.array([model.predict_one(dict(zip(names, row))) for row in grid.tolist()],
                        dtype=object)
    return np.asarray(model.predict(grid), dtype=object)


def _time_label(t: int | tuple[int, str]) -> tuple[int, str]:
    if isinstance(t, (tuple, list)):
        return int(t[0]), str(t[1])
    return int(t), f"after {int(t):,} samples"


def decision_boundary_figure(
    stream: pd.DataFrame,
    snapshots: Mapping[str, Mapping[int, Any]],
    times: Sequence[int | tuple[int, str]],
    *,
    recent: int = 400,
    grid_size: int = 60,
    contenders: Sequence[str] | None = None,
    max_points: int = 400,
) -> go.Figure:
    """Each contender's decision boundary at a few moments, over the data around each moment.

    ``stream`` is the ``stream.csv`` table of a 2-D stream (two feature columns, ``y``,
    ``concept``); ``snapshots[name][t]`` is the contender's deployed model after ``t`` samples
    (``run_race(..., snapshots=times)``); ``times`` are sample counts or ``(t, label)`` pairs such
    as ``(3000, "just before the drift at 3,000")``. One row per contender, one column per time.
    Each panel shades the class the model predicts over a grid (the boundary is where the shade
    changes) and shows the samples since the previous moment (at most the last ``recent``, at
    most ``max_points`` drawn), coloured by their true class.

    What to look at: just before a drift all boundaries agree with the data; just after it the
    new points sit on the wrong side of a stale model's boundary (frozen), while an online
    learner's boundary has already turned; at the end, who caught up.
    """
    features = _feature_columns(stream)
    if len(features) != 2:
        raise ValueError(f"the decision-boundary view needs exactly 2 features, the stream has "
                         f"{len(features)} ({', '.join(features)})")
    f1, f2 = features
    x1 = pd.to_numeric(stream[f1], errors="coerce").to_numpy(dtype=float)
    x2 = pd.to_numeric(stream[f2], errors="coerce").to_numpy(dtype=float)
    y = stream["y"].to_numpy()
    classes = _class_labels(stream)
    class_colors = {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}
    index = {cls: i for i, cls in enumerate(classes)}
    names = [n for n in (contenders or list(snapshots)) if n in snapshots]
    moments = [_time_label(t) for t in times]

    pad = 0.5
    lo1, hi1 = np.nanpercentile(x1, [0.5, 99.5])
    lo2, hi2 = np.nanpercentile(x2, [0.5, 99.5])
    g1 = np.linspace(lo1 - pad, hi1 + pad, grid_size)
    g2 = np.linspace(lo2 - pad, hi2 + pad, grid_size)
    grid = np.column_stack([np.tile(g1, grid_size), np.repeat(g2, grid_size)])  # x runs fastest

    fig = make_subplots(
        rows=max(len(names), 1),
        cols=max(len(moments), 1),
        shared_xaxes=True,
        shared_yaxes=True,
        horizontal_spacing=0.03,
        vertical_spacing=0.05 if len(names) > 2 else 0.08,
        column_titles=[plain(label) for _, label in moments],
        row_titles=[plain(n) for n in names],
    )
    n_classes = max(len(classes), 2)
    # a stepped colour scale: class i gets a light version of its colour
    scale = []
    for i in range(n_classes):
        color = _mix(class_colors.get(classes[i], "#DDDDDD") if i < len(classes) else "#DDDDDD",
                     "#FFFFFF", 0.72)
        scale += [[i / n_classes, color], [(i + 1) / n_classes, color]]
    for r, name in enumerate(names, start=1):
        for c, (t, label) in enumerate(moments, start=1):
            model = snapshots[name].get(t)
            if model is not None:
                pred = _predict_grid(model, grid, features)
                z = np.array([index.get(p, np.nan) if p is not None else np.nan for p in pred],
                             dtype=float).reshape(grid_size, grid_size)
                fig.add_trace(
                    go.Heatmap(
                        x=_float_list(g1),
                        y=_float_list(g2),
                        z=[_float_list(row) for row in z],
                        zmin=-0.5,
                        zmax=n_classes - 0.5,
                        colorscale=scale,
                        showscale=False,
                        hovertemplate=(f"<b>{plain(name)}</b> at {t:,}<br>{plain(f1)} "
                                       f"%{{x:.2f}}, {plain(f2)} %{{y:.2f}}<br>"
                                       "predicts class index %{z}<extra></extra>"),
                        name=f"{plain(name)} at {t:,}",
                        showlegend=False,
                    ),
                    row=r,
                    col=c,
                )
            else:
                fig.add_annotation(text="no model at this time", showarrow=False, row=r, col=c,
                                   x=float((g1[0] + g1[-1]) / 2), y=float((g2[0] + g2[-1]) / 2))
            # the samples since the previous moment (at most `recent`): just after a drift these
            # are all new-concept samples, which a stale boundary gets wrong
            lo = max(0, t - recent, moments[c - 2][0] if c > 1 and moments[c - 2][0] < t else 0)
            positions = np.arange(lo, min(t, len(y)))
            positions = positions[_even_indices(len(positions), max_points)]
            for cls in classes:
                sel = positions[y[positions] == cls]
                fig.add_trace(
                    go.Scatter(
                        x=_float_list(x1[sel]),
                        y=_float_list(x2[sel]),
                        mode="markers",
                        name=f"class {plain(cls)}",
                        legendgroup=f"class {plain(cls)}",
                        showlegend=r == 1 and c == 1,
                        marker=dict(size=5, color=class_colors[cls], opacity=0.85,
                                    line=dict(width=0.5, color="white")),
                        hovertemplate=(f"class {plain(cls)}<br>{plain(f1)} %{{x:.2f}}, "
                                       f"{plain(f2)} %{{y:.2f}}<extra></extra>"),
                    ),
                    row=r,
                    col=c,
                )
    for c in range(1, len(moments) + 1):
        fig.update_xaxes(title_text=f"{plain(f1)} (feature value)", row=len(names), col=c)
    for r in range(1, len(names) + 1):
        fig.update_yaxes(title_text=f"{plain(f2)} (feature value)", row=r, col=1)
    fig.update_xaxes(range=[float(g1[0]), float(g1[-1])], constrain="domain")
    fig.update_yaxes(range=[float(g2[0]), float(g2[-1])])
    fig.update_annotations(font=dict(size=FONT_SIZE - 1))
    _apply_layout(
        fig,
        "Decision boundaries: shade = predicted class, dots = the latest samples",
        height=120 + 230 * max(len(names), 1),
        legend_in_title_row=True,
    )
    fig.update_layout(margin=dict(r=110))
    return fig


def loss_curve_figure(run: Any, *, colors: Mapping[str, str] | None = None) -> go.Figure:
    """Full-data log-loss after every update of gradient descent, per batch size (lesson 10).

    ``run`` is a :class:`lab.lesson_gradient.GradientRun` (its ``curves`` and ``best``). Left:
    against the number of updates; right: against the samples processed (both log axes). The
    dotted line is the lowest reachable loss.

    What to look at: on the left, the full batch's curve is smooth and each of its updates counts
    most; the small batches jitter. On the right, the small batches reach the low loss after far
    fewer samples: each of their steps is cheap, even if it is noisy.
    """
    curves = list(run.curves)
    labels = [c.label for c in curves]
    palette = _resolve_colors(labels, colors)
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
        subplot_titles=["per update", "per sample processed"],
    )
    for c in curves:
        updates = np.arange(1, len(c.loss))
        for col, x in ((1, updates), (2, c.samples[1:])):
            fig.add_trace(
                go.Scatter(
                    x=_int_list(x.astype(float)),
                    y=_float_list(c.loss[1:]),
                    mode="lines",
                    name=plain(c.label),
                    legendgroup=plain(c.label),
                    showlegend=col == 1,
                    line=dict(color=palette[c.label], width=1.2 if c.size == 1 else 2),
                    hovertemplate=(f"{plain(c.label)}<br>"
                                   f"%{{x:,}} {'updates' if col == 1 else 'samples'}"
                                   "<br>loss %{y:.4f}<extra></extra>"),
                ),
                row=1,
                col=col,
            )
    for col in (1, 2):
        fig.add_hline(y=float(run.best), line=dict(color=PARETO_COLOR, width=1.5, dash="dot"),
                      row=1, col=col)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name="best reachable loss",
                             line=dict(color=PARETO_COLOR, width=1.5, dash="dot"),
                             hoverinfo="skip"), row=1, col=1)
    top = max(float(np.nanmax(c.loss[1:])) for c in curves) if curves else 1.0
    top = min(top, float(curves[0].loss[0]) * 1.15) if curves else top
    fig.update_yaxes(title_text="log-loss on all rows (nats)", row=1, col=1,
                     range=[float(run.best) - 0.02, top])
    fig.update_xaxes(title_text="updates (log scale)", type="log", row=1, col=1)
    fig.update_xaxes(title_text="samples processed (log scale)", type="log", row=1, col=2)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    _apply_layout(fig, "Gradient descent: loss after every update, by batch size", height=460)
    return fig


KMEANS_STYLE = {
    # method: (colour, line dash, marker symbol)
    "batch_all": ("#0072B2", None, "x"),
    "batch_first": ("#56B4E9", None, "diamond"),
    "online": ("#E69F00", "solid", "circle"),
    "minibatch": ("#CC79A7", "dash", "square"),
}


def kmeans_figure(run: Any, *, max_points: int = 1500) -> go.Figure:
    """Moving clusters and the centroids each method finds (lesson 11).

    ``run`` is a :class:`lab.lesson_kmeans.KMeansRun`. Left: the points (shade = arrival time,
    light = early), the true centres' paths (thin black), the paths of the incrementally updated
    centroids and the fixed batch centroids. Right: each method's mean distance to the true
    current centres as the points arrive.

    What to look at: batch k-means on all data puts its centroids in the middle of each path
    (right for nobody at the end); the online centroids ride along with the groups; the
    mini-batch centroids move, but ever more slowly, because they average everything seen.
    """
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.09,
                        subplot_titles=["points and centroids", "distance to the true centres"])
    X = np.asarray(run.X)
    keep = _even_indices(len(X), max_points)
    fig.add_trace(
        go.Scatter(
            x=_float_list(X[keep, 0]), y=_float_list(X[keep, 1]), mode="markers",
            name="points (darker = later)",
            marker=dict(size=4, color=_float_list(keep.astype(float)), colorscale="Greys",
                        cmin=-0.3 * len(X), cmax=len(X), opacity=0.6),
            hovertemplate="point %{marker.color:,.0f}<br>(%{x:.2f}, %{y:.2f})<extra></extra>",
        ),
        row=1, col=1,
    )
    truth = np.asarray(run.truth)
    for i in range(truth.shape[1]):
        fig.add_trace(
            go.Scatter(x=_float_list(truth[:, i, 0]), y=_float_list(truth[:, i, 1]),
                       mode="lines", name="true centres", legendgroup="truth",
                       showlegend=i == 0, line=dict(color="#000000", width=1.5),
                       hoverinfo="skip"),
            row=1, col=1,
        )
    from lab.lessons.kmeans import METHODS

    times = np.asarray(run.times)
    for method, label in METHODS.items():
        color, dash, symbol = KMEANS_STYLE[method]
        path = np.asarray(run.paths[method])
        moving = not np.allclose(path, path[0])
        for i in range(path.shape[1]):
            if moving:
                fig.add_trace(
                    go.Scatter(
                        x=_float_list(path[:, i, 0]), y=_float_list(path[:, i, 1]),
                        mode="lines", name=label, legendgroup=method, showlegend=i == 0,
                        line=dict(color=color, width=2.5, dash=dash),
                        customdata=_int_list(times.astype(float)),
                        hovertemplate=f"{label}<br>after %{{customdata:,}} points<br>"
                                      "(%{x:.2f}, %{y:.2f})<extra></extra>",
                    ),
                    row=1, col=1,
                )
            # a marker where the centroid ends up
            fig.add_trace(
                go.Scatter(
                    x=[float(path[-1, i, 0])], y=[float(path[-1, i, 1])], mode="markers",
                    name=label, legendgroup=method, showlegend=(i == 0 and not moving),
                    marker=dict(symbol=symbol, size=13, color=color,
                                line=dict(width=1.5, color="white" if symbol != "x" else color)),
                    hovertemplate=f"{label}: final centroid<br>(%{{x:.2f}}, %{{y:.2f}})"
                                  "<extra></extra>",
                ),
                row=1, col=1,
            )
        fig.add_trace(
            go.Scatter(
                x=_int_list(times.astype(float)), y=_float_list(np.asarray(run.distance[method])),
                mode="lines", name=label, legendgroup=method, showlegend=False,
                line=dict(color=color, width=2.5, dash=dash),
                hovertemplate=f"{label}<br>after %{{x:,}} points: %{{y:.2f}} units"
                              "<extra></extra>",
            ),
            row=1, col=2,
        )
    fig.update_xaxes(title_text="x (units)", row=1, col=1)
    fig.update_yaxes(title_text="y (units)", row=1, col=1, scaleanchor="x", scaleratio=1)
    fig.update_xaxes(title_text="points seen", tickformat=",d", row=1, col=2)
    fig.update_yaxes(title_text="mean distance to true centres (units)", rangemode="tozero",
                     row=1, col=2)
    fig.update_annotations(font=dict(size=FONT_SIZE))
    _apply_layout(fig, "k-means on moving clusters: batch vs online", height=500)
    return fig


# --------------------------------------------------------------------------------------------------
# sweep charts (the What-if tab; input: ``lab.sweep.summarise_sweep`` tables)
# --------------------------------------------------------------------------------------------------
SWEEP_METRICS: dict[str, tuple[str, str, str | None]] = {
    # metric: (chart title noun, y axis title, tick format)
    "accuracy": ("Accuracy", "accuracy (mean over seeds, 95 % CI)", ".0%"),
    "train_samples": ("Training cost", "samples trained (mean over seeds, 95 % CI)", None),
    "train_cpu_s": ("Training CPU time", "training CPU seconds (mean, 95 % CI)", None),
    "retrains": ("Retrains", "retrains (mean over seeds, 95 % CI)", None),
    "mean_staleness": ("Staleness", "mean model age in samples (mean, 95 % CI)", None),
}
_SAMPLE_FIELDS = ("every", "window", "at", "width", "label_delay", "n_samples", "warmup",
                  "min_gap", "size", "retrain_latency", "half_life", "step")


def sweep_path_label(path: str) -> str:
    """A config path as an axis title, with its unit (the path passed through :func:`plain`).

    >>> sweep_path_label("contenders[1].policy.every"), sweep_path_label("stream.label_noise")
    ('contenders[1].policy.every (samples)', 'stream.label_noise (share of labels)')
    """
    last = path.rsplit(".", 1)[-1]
    if last in _SAMPLE_FIELDS:
        return f"{plain(path)} (samples)"
    if last == "label_noise":
        return f"{plain(path)} (share of labels)"
    return plain(path)


def _sweep_axis_values(values: Sequence[Any]) -> tuple[list[Any], bool]:
    """The distinct values of a varied column in order (sorted when all numeric) and whether
    they are numeric (a numeric axis) or not (categories, in the order given)."""
    distinct: list[Any] = []
    for v in values:
        if not any(v == d for d in distinct):
            distinct.append(v)
    numeric = all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
        and not (isinstance(v, float) and math.isnan(v))
        for v in distinct
    )
    if numeric:
        distinct = sorted(distinct)
    return distinct, numeric


def _sweep_names(summary: pd.DataFrame) -> list[str]:
    return [str(n) for n in dict.fromkeys(summary["contender"].tolist())]


def _rgba(color: str, alpha: float) -> str:
    r, g, b = _hex_to_rgb(color)
    return f"rgba({r},{g},{b},{alpha})"


def sweep_line_figure(
    summary: pd.DataFrame,
    path: str,
    metric: str = "accuracy",
    *,
    colors: Mapping[str, str] | None = None,
) -> go.Figure:
    """One varied parameter: ``metric`` (mean over seeds) against the parameter, one line per
    contender with its 95 % confidence interval as a shaded band (traces named ``"<name> 95 %
    CI"``, grouped with the line in the legend). With one seed there is no interval, and a note
    says so.

    What to look at: where a contender's line bends (more of the parameter stops helping), where
    lines cross (the winner changes) and whether bands overlap (then the seeds cannot tell the
    contenders apart).
    """
    noun, y_title, tickformat = SWEEP_METRICS[metric]
    names = _sweep_names(summary)
    palette = _resolve_colors(names, colors)
    xs, numeric = _sweep_axis_values(summary[path].tolist())
    fig = go.Figure()
    any_band = False
    for name in names:
        part = summary[summary["contender"] == name]
        rows = []
        for x in xs:
            match = part[part[path].apply(lambda v, x=x: v == x)]
            if match.empty:
                continue
            r = match.iloc[0]
            rows.append((x, _num(r[f"{metric}_mean"]), _num(r[f"{metric}_ci_low"]),
                         _num(r[f"{metric}_ci_high"]), int(r.get("n_seeds", 0) or 0)))
        x_plot = [r[0] if numeric else plain(r[0]) for r in rows]
        band = [(x, lo, hi) for x, (_, _, lo, hi, _) in zip(x_plot, rows)
                if lo is not None and hi is not None]
        if band:
            any_band = True
            bx = [b[0] for b in band]
            fig.add_trace(go.Scatter(
                x=bx + bx[::-1], y=[b[2] for b in band] + [b[1] for b in band][::-1],
                fill="toself", fillcolor=_rgba(palette[name], 0.18), mode="lines",
                line=dict(width=0, color=palette[name]), name=f"{plain(name)} 95 % CI",
                legendgroup=plain(name), showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(
            x=x_plot, y=[r[1] for r in rows], mode="lines+markers", name=plain(name),
            legendgroup=plain(name),
            line=dict(color=palette[name], width=2.5), marker=dict(size=8, color=palette[name]),
            customdata=[[r[2], r[3], r[4]] for r in rows],
            hovertemplate=(f"<b>{plain(name)}</b><br>{plain(path)} = %{{x}}"
                           f"<br>mean %{{y:{tickformat or ',.4g'}}}"
                           "<br>95 % CI %{customdata[0]" + f":{tickformat or ',.4g'}" + "} to "
                           "%{customdata[1]" + f":{tickformat or ',.4g'}" + "}"
                           "<br>%{customdata[2]} seeds<extra></extra>")))
    if not any_band:
        fig.add_annotation(x=1, xref="paper", xanchor="right", y=0, yref="paper",
                           yanchor="bottom", showarrow=False,
                           text="one seed per setting: no confidence interval",
                           font=dict(size=FONT_SIZE - 2, color="#555555"))
    fig.update_xaxes(title_text=sweep_path_label(path), type=None if numeric else "category")
    if numeric:
        fig.update_xaxes(tickvals=xs)
    fig.update_yaxes(title_text=y_title)
    if tickformat:
        fig.update_yaxes(tickformat=tickformat)
    _apply_layout(fig, f"{noun} vs. {plain(path)}", height=MAIN_HEIGHT, hovermode="x unified")
    return fig


def sweep_heatmap_figure(
    summary: pd.DataFrame,
    path_x: str,
    path_y: str,
    contender: str,
    metric: str = "accuracy",
) -> go.Figure:
    """Two varied parameters: the mean ``metric`` of one contender on the grid (x: ``path_x``,
    y: ``path_y``), each cell labelled with its value; the colour bar is the legend.

    What to look at: the direction in which the colour changes fastest is the parameter that
    matters most; a flat row or column means that parameter does not matter there.
    """
    noun, _, tickformat = SWEEP_METRICS[metric]
    part = summary[summary["contender"].astype(str) == str(contender)]
    xs, x_num = _sweep_axis_values(part[path_x].tolist())
    ys, y_num = _sweep_axis_values(part[path_y].tolist())
    z = np.full((len(ys), len(xs)), np.nan)
    for _, r in part.iterrows():
        i = next(k for k, v in enumerate(ys) if v == r[path_y])
        j = next(k for k, v in enumerate(xs) if v == r[path_x])
        value = _num(r[f"{metric}_mean"])
        z[i, j] = math.nan if value is None else value
    fmt = tickformat or ",.4g"
    x_labels = [_short_number(v) if x_num else plain(v) for v in xs]
    y_labels = [_short_number(v) if y_num else plain(v) for v in ys]
    fig = go.Figure(go.Heatmap(
        z=z.tolist(), x=x_labels, y=y_labels, colorscale="Viridis",
        name=f"{plain(contender)}: mean {metric}",
        texttemplate=f"%{{z:{fmt}}}", textfont=dict(size=FONT_SIZE - 1),
        colorbar=dict(title=dict(text=f"mean {metric}", side="right"),
                      tickformat=tickformat or None),
        hovertemplate=(f"{plain(path_x)} = %{{x}}<br>{plain(path_y)} = %{{y}}<br>mean {metric} "
                       f"%{{z:{fmt}}}<extra></extra>")))
    fig.update_xaxes(title_text=sweep_path_label(path_x), type="category")
    fig.update_yaxes(title_text=sweep_path_label(path_y), type="category")
    _apply_layout(fig, f"{noun} of {plain(contender)} (mean over seeds)", height=MAIN_HEIGHT)
    fig.update_layout(showlegend=False)
    return fig


def sweep_tradeoff_figure(
    summary: pd.DataFrame,
    *,
    colors: Mapping[str, str] | None = None,
    cost: str = "train_samples_mean",
    accuracy: str = "accuracy_mean",
) -> go.Figure:
    """Cost against accuracy for every (setting, contender) of a sweep: one marker per point,
    coloured by contender, with the accuracy's 95 % CI as an error bar; the Pareto front across
    all settings and contenders is a dotted step line, its points ringed ("Pareto-optimal").

    What to look at: the ringed points are the settings worth choosing; a contender whose points
    sit far below the front wastes training compute whatever its setting.
    """
    names = _sweep_names(summary)
    palette = _resolve_colors(names, colors)
    paths = [c for c in summary.columns if c not in ("setting", "contender", "n_seeds", "n_failed")
             and not c.endswith(("_mean", "_ci_low", "_ci_high"))]
    frame = summary.reset_index(drop=True)
    points = [(_num(c), _num(a)) for c, a in zip(frame[cost], frame[accuracy])]
    front = pareto_front(points)

    def label(r) -> str:
        return ", ".join(f"{plain(p)}={plain(r[p])}" for p in paths) or "base config"

    fig = go.Figure()
    for name in names:
        idx = [i for i in range(len(frame)) if str(frame.at[i, "contender"]) == name
               and points[i][0] is not None and points[i][1] is not None]
        if not idx:
            continue
        acc = [points[i][1] for i in idx]
        hi = [_num(frame.at[i, "accuracy_ci_high"]) if "accuracy_ci_high" in frame else None
              for i in idx]
        lo = [_num(frame.at[i, "accuracy_ci_low"]) if "accuracy_ci_low" in frame else None
              for i in idx]
        fig.add_trace(go.Scatter(
            x=[max(points[i][0], 1.0) for i in idx], y=acc, mode="markers", name=plain(name),
            legendgroup=plain(name),
            marker=dict(size=11, color=palette[name], line=dict(width=1, color="white")),
            error_y=dict(type="data", symmetric=False, thickness=1.2, width=0,
                         color=_rgba(palette[name], 0.6),
                         array=[(h - a) if h is not None else 0 for h, a in zip(hi, acc)],
                         arrayminus=[(a - low) if low is not None else 0
                                     for low, a in zip(lo, acc)]),
            text=[label(frame.iloc[i]) for i in idx],
            hovertemplate=(f"<b>{plain(name)}</b><br>%{{text}}<br>accuracy %{{y:.1%}}"
                           "<br>%{x:,.0f} samples trained<extra></extra>")))
    ordered = sorted(front, key=lambda i: (points[i][0], -points[i][1]))
    fig.add_trace(go.Scatter(
        x=[max(points[i][0], 1.0) for i in ordered], y=[points[i][1] for i in ordered],
        mode="lines", line=dict(shape="hv", color=PARETO_COLOR, width=2, dash="dot"),
        name="Pareto front", legendgroup="pareto", hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=[max(points[i][0], 1.0) for i in ordered], y=[points[i][1] for i in ordered],
        mode="markers", name="Pareto-optimal", legendgroup="pareto",
        marker=dict(size=19, symbol="circle-open", color=PARETO_COLOR, line=dict(width=2.5)),
        text=[f"{plain(frame.at[i, 'contender'])}: {label(frame.iloc[i])}" for i in ordered],
        hovertemplate="<b>Pareto-optimal</b><br>%{text}<extra></extra>"))
    fig.update_xaxes(title_text="samples trained (mean over seeds, log scale)", type="log")
    valid = [p for p in points if p[0] is not None and p[1] is not None]
    if valid:
        costs = [max(c, 1.0) for c, _ in valid]
        lo_x, hi_x = math.log10(min(costs)) - 0.25, math.log10(max(costs)) + 0.25
        ticks = _log_ticks(lo_x, hi_x)
        fig.update_xaxes(range=[lo_x, hi_x], tickvals=ticks,
                         ticktext=[_short_number(v) for v in ticks], minor=dict(showgrid=False))
    fig.update_yaxes(title_text="accuracy (mean over seeds, 95 % CI)", tickformat=".0%")
    _apply_layout(fig, "Accuracy vs. training cost, every setting", height=MAIN_HEIGHT)
    return fig
