"""The decision-boundary chart: each contender's predicted class over a plane, at a few moments.

The figure takes data only: the ``stream.csv`` table and the predicted classes over a grid, which
``lab.race.snapshots.boundary_grids`` computes from the snapshot models of a race (models never
reach this module).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lab.plots.data import class_display_names
from lab.plots.style import (
    FONT_SIZE,
    LEGEND_ROW_HEIGHT,
    PALETTE,
    TITLE_BAND,
    apply_layout,
    class_labels,
    even_indices,
    mix_colors,
    plain,
    two_features,
)


def _time_label(t: int | tuple[int, str]) -> tuple[int, str]:
    if isinstance(t, (tuple, list)):
        return int(t[0]), str(t[1])
    return int(t), f"after {int(t):,} samples"


#: Dots drawn per panel. Each dot is an SVG element the browser lays out, and every row of a
#: column repeats the same samples, so this bounds the tab's drawing time: with 400 per panel
#: (7,400 dots over the default race's 20 panels) chromium spent about 2.7 CPU seconds drawing
#: the figure, with 60 (1,200 dots) about 0.9 (``bench/figure_draw_cpu.py``); 60 still show on
#: which side of each boundary the latest samples fall.
MAX_POINTS_PER_PANEL = 60

#: Gaps between panels, as make_subplots' spacings (fractions of the plot area), and the share of
#: the width kept free on the right for the row titles (what make_subplots keeps for them).
HORIZONTAL_SPACING = 0.03
ROW_TITLE_ROOM = 0.02

#: The narrowest plot area the panels' column titles are wrapped for: the Boundary tab at about
#: 700 px wide (a 1024-px page with the sidebar open gives the tab 654 px) less the figure's
#: 70 + 110 px of side margins. One line per title overlapped its neighbours there (five
#: columns of about 90 px under titles of 180 px).
NARROW_PLOT_WIDTH = 470
TITLE_CHARACTER_PIXELS = 7.0  # a wide average of the 13-px title font
TITLE_LINE_PIXELS = 16  # px per line of a column title


def title_lines(label: str, cols: int, plot_width: float = NARROW_PLOT_WIDTH) -> list[str]:
    """``label`` wrapped at spaces into lines that fit one of ``cols`` columns of a plot area
    ``plot_width`` px wide (a word longer than a line keeps its own line; a number stays with
    the word before it: "drift 1", "at 8,000").

    >>> title_lines("just before drift 1 at 8,000", 5)
    ['just before', 'drift 1', 'at 8,000']
    >>> title_lines("just before drift 1 at 8,000", 1)
    ['just before drift 1 at 8,000']
    """
    column = ((1.0 - ROW_TITLE_ROOM) - HORIZONTAL_SPACING * (cols - 1)) / cols * plot_width
    width = max(6, int(column / TITLE_CHARACTER_PIXELS))
    glued = re.sub(r"(\w) (?=\d)", "\\1\u00a0", label)  # a no-break space: textwrap keeps it
    lines = textwrap.wrap(glued, width, break_long_words=False, break_on_hyphens=False)
    return [line.replace("\u00a0", " ") for line in lines] or [""]


def _class_indices(pred: np.ndarray, classes: Sequence, shape: tuple[int, int]) -> np.ndarray:
    """The position of each predicted class in ``classes`` over the grid, in a byte each when it
    fits; a point without a class (``None``, or a class the stream never had) is NaN (floats)."""
    pred = np.asarray(pred, dtype=object).reshape(shape)
    z = np.full(shape, np.nan)
    for i, cls in enumerate(classes):
        z[pred == cls] = i
    if np.isfinite(z).all():
        return z.astype(np.int8 if len(classes) <= 127 else np.int32)
    return z.astype(np.float32)


def _domains(count: int, spacing: float, end: float = 1.0) -> list[list[float]]:
    """``count`` equal ``[start, end]`` spans of ``[0, end]`` with ``spacing`` between them, in
    order from 0 (as make_subplots lays out its columns)."""
    width = (end - spacing * (count - 1)) / count
    return [[k * (width + spacing), k * (width + spacing) + width] for k in range(count)]


def _panel_layout(rows: int, cols: int, vertical_spacing: float, column_titles: list[str],
                  row_titles: list[str], x_title: str, y_title: str,
                  x_range: list[float], y_range: list[float]) -> dict:
    """The axes and panel titles of a ``rows`` x ``cols`` grid of panels sharing both axes, as
    ``make_subplots(shared_xaxes=True, shared_yaxes=True, column_titles=, row_titles=)`` lays
    them out (axis ``k = (row - 1) * cols + col``, row 1 at the top), written as one layout
    dictionary: make_subplots and a per-axis ``update_xaxes`` validate every axis property one
    call at a time, which took seconds for the 20 panels of the default race.

    ``column_titles`` may hold ``<br>`` line breaks (:func:`title_lines`); only the middle
    column's bottom axis carries ``x_title``.

    No axis grows the margins (``automargin=False``; the plotly_white template turns it on):
    the figure's fixed margins hold the tick labels and axis titles. With it, plotly.js
    measured the labels of all 40 axes of the default race's figure and, in the app, where
    that moved a margin, drew the whole figure a second time: without it chromium draws the
    figure in about half the CPU time (``bench/figure_draw_cpu.py``)."""
    x_domains = _domains(cols, HORIZONTAL_SPACING, 1.0 - ROW_TITLE_ROOM)
    y_domains = _domains(rows, vertical_spacing)[::-1]  # row 1 at the top
    titled = (cols - 1) // 2  # the one bottom axis with the x title: the middle column's
    layout: dict = {}
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c + 1
            suffix = "" if k == 1 else str(k)
            bottom, left = r == rows - 1, c == 0
            layout[f"xaxis{suffix}"] = dict(
                anchor=f"y{suffix}", domain=x_domains[c], range=x_range, constrain="domain",
                separatethousands=True, showticklabels=bottom, automargin=False,
                # zooming one panel zooms its column (and, below, its row) as make_subplots'
                # shared axes do
                **({} if bottom else {"matches": f"x{(rows - 1) * cols + c + 1}"}),
                # one x title, under the middle column: one under every column overlapped
                # its neighbours on a narrow page
                **({"title": {"text": x_title}} if bottom and c == titled else {}))
            layout[f"yaxis{suffix}"] = dict(
                anchor=f"x{suffix}", domain=y_domains[r], range=y_range, separatethousands=True,
                showticklabels=left, automargin=False,
                **({} if left else {"matches": "y" if r == 0 else f"y{r * cols + 1}"}),
                **({"title": {"text": y_title}} if left else {}))
    font = dict(size=FONT_SIZE - 1)
    layout["annotations"] = [
        dict(text=text, x=sum(x_domains[c]) / 2, y=1.0, xref="paper", yref="paper",
             xanchor="center", yanchor="bottom", showarrow=False, font=font)
        for c, text in enumerate(column_titles)
    ] + [
        dict(text=text, x=x_domains[-1][1], y=sum(y_domains[r]) / 2, xref="paper",
             yref="paper", xanchor="left", yanchor="middle", textangle=90, showarrow=False,
             font=font)
        for r, text in enumerate(row_titles)
    ]
    return layout


def decision_boundary_figure(
    stream: pd.DataFrame,
    x_grid: np.ndarray,
    y_grid: np.ndarray,
    predictions: Mapping[str, Mapping[int, np.ndarray]],
    times: Sequence[int | tuple[int, str]],
    *,
    recent: int = 400,
    contenders: Sequence[str] | None = None,
    max_points: int = MAX_POINTS_PER_PANEL,
    class_names: Sequence[str] | None = None,
) -> go.Figure:
    """Each contender's decision boundary at a few moments, over the data around each moment.

    ``stream`` is the ``stream.csv`` table of a 2-D stream (two feature columns, ``y``,
    ``concept``); ``x_grid`` and ``y_grid`` are the grid's values of the first and second
    feature; ``predictions[name][t]`` is the class the contender's deployed model predicts after
    ``t`` samples at each grid point, an array of shape ``(len(y_grid), len(x_grid))`` (``None``
    where it cannot predict yet; no entry when there is no model at ``t``):
    ``lab.race.snapshots.boundary_grids`` computes all three from a race's snapshot models.
    ``times`` are sample counts or ``(t, label)`` pairs such as
    ``(3000, "just before the drift at 3,000")``. One row per contender, one column per time.
    Each panel shades the predicted class over the grid (the boundary is where the shade
    changes) and shows the samples since the previous moment (at most the last ``recent``, at
    most ``max_points`` of them drawn, evenly spread), coloured by their true class, named as
    :func:`lab.plots.data.class_display_names` says (``class_names``, else the table's
    ``attrs["class_names"]``).

    What to look at: just before a drift all boundaries agree with the data; just after it the
    new points sit on the wrong side of a stale model's boundary (frozen), while an online
    learner's boundary has already turned; at the end, who caught up.

    The traces and the layout are written as dictionaries and validated once, by one
    ``go.Figure``: the figure of the default race (20 panels) builds in a tenth of the time
    make_subplots and per-trace ``add_trace(row=, col=)`` took.
    """
    (f1, x1), (f2, x2) = two_features(stream)
    y = stream["y"].to_numpy()
    classes = class_labels(stream)
    shown_as = class_display_names(stream, class_names)
    class_colors = {cls: PALETTE[i % len(PALETTE)] for i, cls in enumerate(classes)}
    # The shade's number is the class's position: the hover spells out which name it is (one
    # short text per panel, not a name per grid point).
    index_key = ", ".join(f"{i} = {shown_as[cls]}" for i, cls in enumerate(classes))
    names = [n for n in (contenders or list(predictions)) if n in predictions]
    moments = [_time_label(t) for t in times]
    g1, g2 = np.asarray(x_grid, dtype=float), np.asarray(y_grid, dtype=float)
    rows, cols = max(len(names), 1), max(len(moments), 1)

    n_classes = max(len(classes), 2)
    # a stepped colour scale: class i gets a light version of its colour
    scale = []
    for i in range(n_classes):
        light = class_colors.get(classes[i], "#DDDDDD") if i < len(classes) else "#DDDDDD"
        color = mix_colors(light, "#FFFFFF", 0.72)
        scale += [[i / n_classes, color], [(i + 1) / n_classes, color]]
    # the samples each column shows: those since the previous moment (at most `recent`); just
    # after a drift these are all new-concept samples, which a stale boundary gets wrong
    shown_positions = []
    for c, (t, _label) in enumerate(moments):
        lo = max(0, t - recent, moments[c - 1][0] if c > 0 and moments[c - 1][0] < t else 0)
        positions = np.arange(lo, min(t, len(y)))
        shown_positions.append(positions[even_indices(len(positions), max(int(max_points), 1))])
    traces: list[dict] = []
    no_model: list[dict] = []
    for r, name in enumerate(names):
        for c, (t, _label) in enumerate(moments):
            k = r * cols + c + 1
            axes = dict(xaxis=f"x{'' if k == 1 else k}", yaxis=f"y{'' if k == 1 else k}")
            pred = predictions[name].get(t)
            if pred is not None:
                traces.append(dict(
                    type="heatmap", x=g1, y=g2,  # numpy arrays: sent whole, as typed arrays
                    z=_class_indices(pred, classes, (len(g2), len(g1))),
                    zmin=-0.5, zmax=n_classes - 0.5, colorscale=scale, showscale=False,
                    hovertemplate=(f"<b>{plain(name)}</b> at {t:,}<br>{plain(f1)} "
                                   f"%{{x:.2f}}, {plain(f2)} %{{y:.2f}}<br>"
                                   f"predicts %{{z}} ({index_key})<extra></extra>"),
                    name=f"{plain(name)} at {t:,}", showlegend=False, **axes))
            else:
                no_model.append(dict(text="no model at this time", showarrow=False,
                                     x=float((g1[0] + g1[-1]) / 2),
                                     y=float((g2[0] + g2[-1]) / 2),
                                     xref=axes["xaxis"], yref=axes["yaxis"],
                                     font=dict(size=FONT_SIZE - 1)))
            positions = shown_positions[c]
            for cls in classes:
                sel = positions[y[positions] == cls]
                traces.append(dict(
                    type="scatter",
                    # float32 arrays: sent as typed arrays; a NaN is not drawn, as None
                    x=x1[sel].astype(np.float32), y=x2[sel].astype(np.float32),
                    mode="markers", name=shown_as[cls], legendgroup=shown_as[cls],
                    showlegend=r == 0 and c == 0,
                    # no outline: a stroke per dot was a third of the dots' drawing time
                    marker=dict(size=5, color=class_colors[cls], opacity=0.85),
                    hovertemplate=(f"{shown_as[cls]}<br>{plain(f1)} %{{x:.2f}}, "
                                   f"{plain(f2)} %{{y:.2f}}<extra></extra>"),
                    **axes))
    wrapped = [title_lines(label, cols) for _, label in moments]
    layout = _panel_layout(
        rows, cols, 0.05 if len(names) > 2 else 0.08,
        column_titles=["<br>".join(plain(line) for line in lines) for lines in wrapped],
        row_titles=[plain(n) for n in names],
        x_title=f"{plain(f1)} (feature value)", y_title=f"{plain(f2)} (feature value)",
        x_range=[float(g1[0]), float(g1[-1])], y_range=[float(g2[0]), float(g2[-1])])
    layout["annotations"] += no_model
    fig = go.Figure(data=traces, layout=layout)
    # the legend under the title (in the title's row it covered the title's end on a narrow
    # page), then the column titles' lines above the panels
    lines = max((len(w) for w in wrapped), default=1)
    top = TITLE_BAND + LEGEND_ROW_HEIGHT + 8 + TITLE_LINE_PIXELS * lines + 6
    apply_layout(
        fig,
        "Decision boundaries: shade = predicted class, dots = the latest samples",
        height=120 + 230 * rows + TITLE_LINE_PIXELS * lines,
        top=top,
    )
    fig.update_layout(margin=dict(r=110))
    return fig
