"""Marks several race charts share: the oracle's reference line, point labels that never
overlap, and contender names wrapped for a category axis.

Split from :mod:`lab.plots.race` and :mod:`lab.plots.style` to keep both short.

* :func:`oracle_line`: the oracle (the summary's ``"oracle": true``) is a reference, not a
  contender: one black long-dashed line named :data:`~lab.plots.palette.ORACLE_LABEL`, last in
  the legend, in no contender's colour.
* :func:`stacked_label_positions` / :func:`point_labels`: the trade-off chart's names, placed by a
  deterministic scheme. Each label sits beside its point, joined to it by a thin leader line, at a
  height chosen so that no two labels share a pixel row at the smallest plot height the chart is
  planned for. Vertical separation does not depend on the chart's width (its height is fixed), so
  the labels stay apart on any page width; the width only moves them sideways.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from lab.plots.palette import (
    ORACLE_COLOR,
    ORACLE_DASH,
    ORACLE_LEGEND_RANK,
    ORACLE_WIDTH,
    oracle_label,
)
from lab.plots.style import FONT_SIZE, LEGEND_ROW_HEIGHT, plain

# --------------------------------------------------------------------------------------------------
# the oracle
# --------------------------------------------------------------------------------------------------


def oracle_line(x: Sequence[Any], y: Sequence[Any], name: str, oracles: Sequence[str],
                value_hover: str, **extra: Any) -> go.Scatter:
    """The oracle ``name``'s line: black, long-dashed, last in the legend; ``value_hover`` is the
    hover's value part (e.g. ``"%{y:.1%}"``); ``extra`` goes to the trace (e.g. ``showlegend``).
    """
    label = plain(oracle_label(name, oracles))
    return go.Scatter(
        x=x, y=y, mode="lines", name=label, legendgroup="oracle:" + plain(name),
        legendrank=ORACLE_LEGEND_RANK,
        line=dict(color=ORACLE_COLOR, width=ORACLE_WIDTH, dash=ORACLE_DASH),
        hovertemplate=f"{label} ({plain(name)}): {value_hover}<extra></extra>", **extra)


# --------------------------------------------------------------------------------------------------
# point labels that never overlap
# --------------------------------------------------------------------------------------------------

LABEL_FONT = FONT_SIZE - 1
LABEL_CHAR_PX = 7.4  # average width of a character at LABEL_FONT (the legend planner's estimate)
LABEL_PAD_PX = 6  # box padding and border, both sides together
LABEL_GAP_PX = 22  # vertical distance between two label centres: a line of text and its padding
LABEL_OFFSET_PX = 14  # horizontal distance from a point's centre to its label's near edge
POINT_LABEL = "point label"  # the annotations' name, so tests and callers can find them
# The legend may wrap onto this many more rows than apply_layout planned (a narrow page): the
# plot area is then that much lower, and the labels are planned for that smallest height.
EXTRA_LEGEND_ROWS = 2


def label_width_px(text: str) -> float:
    """Estimated width in px of a label's box (the text as shown: an entity counts one)."""
    shown = len(text)
    for entity in ("&amp;", "&lt;", "&gt;", "&#37;"):
        shown -= (len(entity) - 1) * text.count(entity)
    return LABEL_CHAR_PX * shown + LABEL_PAD_PX


def stacked_label_positions(desired: Sequence[float], height: float,
                            gap: float = LABEL_GAP_PX) -> list[float]:
    """Label centres (px from the bottom of a plot ``height`` px high), one per ``desired``
    centre, each at least ``gap`` from every other and within ``[gap / 2, height - gap / 2]``.

    Labels that would collide are merged into a group centred on the mean of their wishes
    (so a group moves as little as possible), repeatedly, then the groups are pushed inside the
    plot. Deterministic; the order of the labels is the order of their wishes (ties by index).

    >>> stacked_label_positions([100, 105, 300], 400)
    [91.5, 113.5, 300.0]
    >>> stacked_label_positions([5, 5], 400)
    [11.0, 33.0]
    """
    n = len(desired)
    if n == 0:
        return []
    if n * gap > height:
        raise ValueError(f"{n} labels need {n * gap:.0f} px, the plot is {height:.0f} px high")
    order = sorted(range(n), key=lambda i: (desired[i], i))
    groups: list[list[float]] = []  # [bottom centre, count, sum of wishes]
    for i in order:
        groups.append([float(desired[i]), 1, float(desired[i])])
        while len(groups) > 1 and groups[-2][0] + groups[-2][1] * gap > groups[-1][0]:
            top = groups.pop()
            low = groups[-1]
            count, total = low[1] + top[1], low[2] + top[2]
            groups[-1] = [total / count - (count - 1) * gap / 2, count, total]
    centres: list[float] = []
    for bottom, count, _ in groups:
        centres += [bottom + k * gap for k in range(int(count))]
    for k in range(n):  # inside the plot: push up from the bottom, then down from the top
        centres[k] = max(centres[k], gap / 2, centres[k - 1] + gap if k else -math.inf)
    for k in reversed(range(n)):
        centres[k] = min(centres[k], height - gap / 2,
                         centres[k + 1] - gap if k < n - 1 else math.inf)
    out = [0.0] * n
    for rank, i in enumerate(order):
        out[i] = round(centres[rank], 6)
    return out


def planned_plot_height(fig: go.Figure) -> float:
    """The smallest plot-area height (px) a figure laid out by ``apply_layout`` gets: its
    height minus its margins and :data:`EXTRA_LEGEND_ROWS` rows of a wrapped legend."""
    layout = fig.layout
    return float(layout.height - layout.margin.t - layout.margin.b
                 - EXTRA_LEGEND_ROWS * LEGEND_ROW_HEIGHT)


def point_labels(
    fig: go.Figure,
    points: Sequence[tuple[str, float, float]],
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    color: str = "#333333",
) -> None:
    """Add a label to each ``(text, x, y)`` point of ``fig`` (x on a log axis: ``x`` is the
    value, ``x_range`` in log10 units; ``text`` already escaped with ``plain``).

    Each label is an annotation named :data:`POINT_LABEL` whose arrow head is the point and
    whose text box sits :data:`LABEL_OFFSET_PX` beside it (right of points in the left 60 % of
    the axis, left of the others, so labels near the right edge stay on the chart) at the
    height :func:`stacked_label_positions` gives for the planned plot height; ``ay`` is that
    height in data units (``ayref="y"``), so the layout holds the labels' positions.
    """
    height = planned_plot_height(fig)
    lo, hi = y_range
    wishes = [(y - lo) / (hi - lo) * height for _, _, y in points]
    lanes = stacked_label_positions(wishes, height)
    x_lo, x_hi = x_range
    for (text, x, y), lane in zip(points, lanes):
        share = (math.log10(x) - x_lo) / (x_hi - x_lo)
        right = share <= 0.6
        fig.add_annotation(
            x=math.log10(x), y=y, xref="x", yref="y", text=text, name=POINT_LABEL,
            showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor="#9a9a9a", standoff=9,
            axref="pixel", ax=LABEL_OFFSET_PX if right else -LABEL_OFFSET_PX,
            ayref="y", ay=lo + lane / height * (hi - lo),
            xanchor="left" if right else "right", yanchor="middle",
            font=dict(size=LABEL_FONT, color=color), bgcolor="rgba(255,255,255,0.8)",
            borderpad=2)


def label_boxes(fig: go.Figure, width: float, height: float) -> list[tuple[float, ...]]:
    """``(left, bottom, right, top)`` in px of every :data:`POINT_LABEL` box of ``fig`` on a
    plot area ``width`` x ``height`` px, computed from the figure's axes and annotations the way
    plotly places them (for tests and for checking a figure before it is drawn)."""
    x_lo, x_hi = fig.layout.xaxis.range
    y_lo, y_hi = fig.layout.yaxis.range
    boxes = []
    for a in fig.layout.annotations:
        if a.name != POINT_LABEL:
            continue
        tail_x = (a.x - x_lo) / (x_hi - x_lo) * width + a.ax
        centre_y = (a.ay - y_lo) / (y_hi - y_lo) * height
        w = label_width_px(a.text)
        left = tail_x if a.xanchor == "left" else tail_x - w
        boxes.append((left, centre_y - LABEL_GAP_PX / 2 + 1, left + w,
                      centre_y + LABEL_GAP_PX / 2 - 1))
    return boxes


def wrapped(name: str, width: int = 24) -> str:
    """An escaped name broken onto lines of about ``width`` characters at spaces (``<br>``),
    for category axes that would otherwise cut or tilt it.

    >>> wrapped("Periodic retrain every 1,000 on a window")
    'Periodic retrain every<br>1,000 on a window'
    >>> wrapped("Online")
    'Online'
    """
    lines: list[str] = []
    for word in str(name).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(plain(line) for line in lines)


def bar_height(count: int, *, per_bar: int = 46, base: int = 170) -> int:
    """Height of a horizontal bar chart with ``count`` bars: it grows with the contenders, so a
    bar never shrinks to a strip (``base`` holds the title, legend and axis title)."""
    return base + per_bar * max(count, 1)


def summary_rows(summary: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(summary.get("contenders", []) or [])
