"""What every Driftlab figure shares: palettes, escaping, layout, legends, drift markers, export.

The figure modules of :mod:`lab.plots` build on these helpers so that all charts look alike:

* one colour and dash per contender from a colour-blind-safe palette (:func:`contender_colors`,
  :func:`contender_styles`: ten contenders stay apart), the same in every figure when the same
  ordered names are used (pass ``colors=`` to force one mapping);
* the x axis of time charts is "samples seen"; a sudden drift is a dashed vertical line and a
  gradual drift a light grey band (:func:`add_drift_markers`), explained by one legend entry
  "drift";
* ``plotly_white`` template, 14 px fonts, a horizontal legend above the plot, tight margins
  (:func:`apply_layout`);
* every user-supplied string goes through :func:`plain` on its way into a figure;
* figures are deterministic: the same input gives the same ``fig.to_json()``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from lab.plots.drift_labels import drift_label_groups, x_span
from lab.plots.palette import CONTENDER_STYLES as CONTENDER_STYLES  # re-exported
from lab.plots.palette import ORACLE_COLOR as ORACLE_COLOR
from lab.plots.palette import ORACLE_DASH as ORACLE_DASH
from lab.plots.palette import ORACLE_LABEL as ORACLE_LABEL
from lab.plots.palette import ORACLE_LEGEND_RANK as ORACLE_LEGEND_RANK
from lab.plots.palette import ORACLE_WIDTH as ORACLE_WIDTH
from lab.plots.palette import PALETTE as PALETTE
from lab.plots.palette import PREVIOUS_DASH as PREVIOUS_DASH
from lab.plots.palette import PREVIOUS_OPACITY as PREVIOUS_OPACITY
from lab.plots.palette import PREVIOUS_WIDTH as PREVIOUS_WIDTH
from lab.plots.palette import contender_colors as contender_colors
from lab.plots.palette import contender_styles as contender_styles
from lab.plots.palette import oracle_label as oracle_label
from lab.plots.palette import oracle_names as oracle_names
from lab.plots.palette import resolve_colors as resolve_colors
from lab.plots.streams import class_labels as class_labels
from lab.plots.streams import even_indices as even_indices
from lab.plots.streams import feature_columns as feature_columns
from lab.plots.streams import hex_to_rgb as hex_to_rgb
from lab.plots.streams import mix_colors as mix_colors
from lab.plots.streams import two_features as two_features
from lab.spec.columns import EVENT_COLUMNS, TIMELINE_BASE_COLUMNS

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
# The "drift" legend entry's dash: the drift lines' own (plotly's "dash" on a 1.5-px line is
# 9 px on, 9 off), in px so that the legend, which draws lines 5 px wide, does not stretch it to
# 15 on, 15 off (a stub 20 px from its label on a 30-px swatch, lab.plots.palette.DASH).
DRIFT_LEGEND_DASH = "9px,9px"
DRIFT_BAND_COLOR = "#888888"
PARETO_COLOR = "#444444"
EVENT_EXPLAIN_COLOR = "#666666"

FONT_SIZE = 14
# One tick format for counts and amounts on every axis: thousands separators ("8,000" and
# "20,000", never "8000" next to "20k"), no decimals that say nothing. :func:`apply_layout` also
# separates the thousands of axes left to plotly's own format.
AMOUNT_TICKFORMAT = ","
TITLE_SIZE = 18
MAIN_HEIGHT = 420

_EVENT_STYLE = {
    # kind: (legend label, marker symbol, size)
    "deploy": ("retrain deployed", "triangle-up", 10),
    "drift_alarm": ("drift alarm", "x", 10),
    "failure": ("failure", "diamond", 13),
}



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


def amount_text(value: float | None) -> str:
    """A count or amount as a bar label or a table cell shows it: thousands separated, whole
    from 100 on (a bill of 7,846 needs no ".00"), else up to two decimals without trailing zeros.

    Halves round away from zero, as people round (Python's own format rounds 2,316.5 down).

    >>> [amount_text(v) for v in (7846.0, 2316.5, 12.5, 0.25, 3.0, 0.004, None)]
    ['7,846', '2,317', '12.5', '0.25', '3', '0', '']
    """
    if value is None or not np.isfinite(value):
        return ""
    if abs(value) >= 100:
        return f"{int(np.sign(value) * np.floor(abs(value) + 0.5)):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


_ENTITY = re.compile(r"&(#\d+|#x[\da-fA-F]+|[a-z]+);")
_TAG = re.compile(r"<[^<>]*>")  # markup this module writes (<span style=...>, <b>); a user's
# "<" arrives escaped as &lt; (:func:`plain`), so it is never taken for a tag


def _shown_length(text: str) -> int:
    """How many characters plotly draws for ``text`` (an entity such as ``&lt;`` counts one, a
    tag such as ``<span style=...>`` none)."""
    return len(_ENTITY.sub("_", _TAG.sub("", text)))


DRIFT_LABEL = "drift label"  # the name of drift-label annotations (they need a band on top)
DRIFT_LABEL_BAND = 18  # px between the legend and the plot area for the drift labels
SUBPLOT_TITLE_BAND = 22  # px for subplot titles (14 px text) above the plot area, under a legend


def fitted_share_range(values: Iterable[float], *, margin: float = 0.08,
                       min_span: float = 0.06) -> list[float] | None:
    """A y range for shares (accuracies, 0..1) that fits ``values``, or None if none is finite.

    The data's span plus ``margin`` of it (at least one point) on each side, widened to
    ``min_span`` around its middle when the data is flatter (so that noise of a tenth of a
    point does not fill the chart), kept within 0 and just over 1 (a line at 100 % stays whole
    rather than half cut by the top of the plot area).

    >>> fitted_share_range([0.94, 1.0, 0.97])
    [0.93, 1.005]
    >>> fitted_share_range([0.5, 0.51])
    [0.475, 0.535]
    >>> fitted_share_range([float("nan")]) is None
    True
    """
    arr = np.asarray([v for v in values if v is not None], dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return None
    lo, hi = float(arr.min()), float(arr.max())
    pad = max(0.01, margin * (hi - lo))
    lo, hi = lo - pad, hi + pad
    if hi - lo < min_span:
        middle = (lo + hi) / 2
        lo, hi = middle - min_span / 2, middle + min_span / 2
    hi = min(hi, 1.005)
    lo = max(0.0, min(lo, hi - min_span))
    return [round(lo, 6), round(hi, 6)]


def widened_share_range(shown: Sequence[float] | None, values: Iterable[float], *,
                        min_span: float = 0.06) -> list[float] | None:
    """The y range of a chart drawn while its data grows (the race's live accuracy chart):
    :func:`fitted_share_range` of the ``values`` known so far, widened to keep the range
    ``shown`` until now (None: nothing shown yet), never narrowed. The finished chart fits the
    whole data by the same rule, so its axis is the live one, or a little narrower, not the
    0-100 % the live chart used to show before the axis jumped to the fitted range.

    >>> widened_share_range(None, [0.94, 1.0])
    [0.93, 1.005]
    >>> widened_share_range([0.93, 1.005], [0.97, 0.98])  # flatter data: the range is kept
    [0.93, 1.005]
    >>> widened_share_range([0.93, 1.005], [0.80, 0.99])  # a dip: it widens downwards
    [0.7848, 1.005]
    """
    fitted = fitted_share_range(values, min_span=min_span)
    if shown is None or fitted is None:
        return fitted if shown is None else [float(shown[0]), float(shown[1])]
    return [min(float(shown[0]), fitted[0]), max(float(shown[1]), fitted[1])]


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


def apply_layout(
    fig: go.Figure,
    title: str,
    *,
    height: int = MAIN_HEIGHT,
    top: int | None = None,
    bottom: int = 55,
    hovermode: str | bool = "closest",
    legend_in_title_row: bool = False,
    subplot_titles: bool = False,
) -> go.Figure:
    """Common look: template, fonts, title top-left, horizontal legend.

    The legend sits above the plot area, under the title; the top margin and the height grow with
    the estimated number of legend rows (plotly's automargin adds more on a narrow page) so that the
    legend never covers the title or the data; a figure with drift labels
    (:func:`add_drift_markers`, called first) gets a band of :data:`DRIFT_LABEL_BAND` px for
    them between the legend and the plot area.
    With ``legend_in_title_row`` the legend goes to the right end of the title row instead (for
    a figure without a toolbar, such as the editor's preview: on a chart with one, the toolbar
    that shows on hover sits at the same place, over the legend). ``subplot_titles`` keeps a
    band of :data:`SUBPLOT_TITLE_BAND` px for the subplots' titles under the legend.
    """
    band = DRIFT_LABEL_BAND if any(a.name == DRIFT_LABEL for a in fig.layout.annotations) else 0
    band += SUBPLOT_TITLE_BAND if subplot_titles else 0
    if legend_in_title_row:
        legend = dict(x=1, xanchor="right", xref="container", y=1, yanchor="top", yref="container")
        top = (70 if top is None else top) + band
    else:
        # Anchored in container coordinates just under the title: a legend that wraps onto more
        # rows than planned (narrow page) pushes the plot area down instead of covering the title.
        rows = _legend_rows(fig)
        if top is None:
            top = TITLE_BAND + LEGEND_ROW_HEIGHT * rows + 8 + band
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
    # thousands separated on every axis, the ones left to plotly's own tick format included
    fig.update_xaxes(separatethousands=True)
    fig.update_yaxes(separatethousands=True)
    return fig


def timeline_or_empty(timeline: pd.DataFrame | None) -> pd.DataFrame:
    if timeline is None:
        return pd.DataFrame({c: [] for c in TIMELINE_BASE_COLUMNS})
    return timeline


def events_or_empty(events: pd.DataFrame | None) -> pd.DataFrame:
    if events is None or len(events) == 0:
        return pd.DataFrame({c: [] for c in EVENT_COLUMNS})
    return events


def ordered_names(*frames: pd.DataFrame | None) -> list[str]:
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


def contender_series(frame: pd.DataFrame, name: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (t, value) arrays of one contender's column; NaN where the value is missing."""
    rows = frame.loc[frame["contender"].astype(str) == name, ["t", column]]
    rows = rows.sort_values("t", kind="stable")
    t = pd.to_numeric(rows["t"], errors="coerce").to_numpy(dtype=float)
    v = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype=float)
    return t, v


def int_list(values: np.ndarray) -> list[int | None]:
    return [None if not np.isfinite(v) else int(v) for v in values]


def float_list(values: np.ndarray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in values]


def _on_line(t_line: np.ndarray, y_line: np.ndarray, t_events: np.ndarray) -> np.ndarray:
    """y of a contender's line at the event times (linear interpolation, clamped at the ends)."""
    ok = np.isfinite(t_line) & np.isfinite(y_line)
    if not ok.any():
        return np.zeros(len(t_events), dtype=float)
    return np.interp(t_events, t_line[ok], y_line[ok])


def event_traces(
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
                x=int_list(t_ev),
                y=float_list(y_ev),
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


def event_legend_traces(events: pd.DataFrame, kinds: Sequence[str]) -> list[go.Scatter]:
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
    light grey band from ``at`` to ``at + width`` labelled "gradual drift". The labels sit just
    above the plot area, in a band :func:`apply_layout` adds to the top margin, so they never
    cover a line (inside the plot they hid the top of the accuracy lines). One legend entry
    "drift" explains the markers. On a figure with subplots the markers go on every subplot (or
    only on ``row``/``col`` when given) and the labels on the top one. Call it after adding the
    traces (and before :func:`apply_layout`). Returns the same figure.
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
    for at, text in drift_label_groups(clean, x_span(fig, clean)):
        annotations.append(dict(
            x=at,
            xref=xref,
            y=1,
            yref=f"{yref} domain",
            text=text,
            name=DRIFT_LABEL,
            showarrow=False,
            xanchor="left",
            yanchor="bottom",  # above the plot area, in the band apply_layout keeps free
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
                line=dict(color=DRIFT_LINE_COLOR, width=1.5, dash=DRIFT_LEGEND_DASH),
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
