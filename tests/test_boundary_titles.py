"""The Boundary tab's figure at about 700 px wide (a 1024-px page with the sidebar open): its
column titles wrap so that none overlaps its neighbours, one x-axis title instead of one per
column, the legend under the title (not in the title's row, where it covered the title's end),
and room above the panels for the titles' lines. Issue 13's walk-through saw the five titles
of the default race run into each other there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab import plots
from lab.plots.boundary import (
    HORIZONTAL_SPACING,
    NARROW_PLOT_WIDTH,
    ROW_TITLE_ROOM,
    TITLE_CHARACTER_PIXELS,
    TITLE_LINE_PIXELS,
)

# the default race's moments (lab.lessons.runner.snapshot_plan of the default preset)
MOMENTS = [(8000, "just before drift 1 at 8,000"), (8250, "250 samples after drift 1"),
           (14000, "just before drift 2 at 14,000"), (16250, "250 samples after it ends"),
           (20000, "at the end (20,000)")]
NAMES = ["Frozen batch", "Periodic retrain", "Drift-triggered", "Online"]


def figure():
    rng = np.random.default_rng(0)
    n = 20000
    stream = pd.DataFrame({"x0": rng.normal(size=n), "x1": rng.normal(size=n),
                           "y": rng.integers(0, 2, n), "concept": 0})
    gx, gy = np.linspace(-3, 3, 20), np.linspace(-3, 3, 15)
    predictions = {name: {t: np.where(gx[None, :] > 0, 1, 0).repeat(len(gy), axis=0)
                          for t, _ in MOMENTS} for name in NAMES}
    return plots.decision_boundary_figure(stream, gx, gy, predictions, MOMENTS)


def test_column_titles_fit_their_columns_on_a_narrow_page():
    fig = figure()
    cols = len(MOMENTS)
    column = ((1 - ROW_TITLE_ROOM) - HORIZONTAL_SPACING * (cols - 1)) / cols * NARROW_PLOT_WIDTH
    titles = [a.text for a in fig.layout.annotations if a.textangle != 90 and a.yref == "paper"]
    assert [t.replace("<br>", " ") for t in titles] == [label for _, label in MOMENTS]
    lines = [t.split("<br>") for t in titles]
    for title in lines:  # each line within its column (7 px a character errs wide)
        assert max(len(line) for line in title) * TITLE_CHARACTER_PIXELS <= column, title
    # the top margin holds the title, the legend row and the titles' lines
    most = max(len(t) for t in lines)
    assert fig.layout.margin.t >= 44 + 26 + TITLE_LINE_PIXELS * most
    assert fig.layout.legend.y < 1 and fig.layout.legend.xanchor == "left"  # under the title


def test_one_x_title_under_the_middle_column_and_a_y_title_per_row():
    fig = figure()
    layout = fig.layout.to_plotly_json()
    x_titled = [k for k, v in layout.items() if k.startswith("xaxis") and "title" in v]
    rows, cols = len(NAMES), len(MOMENTS)
    assert x_titled == [f"xaxis{(rows - 1) * cols + (cols - 1) // 2 + 1}"]
    assert layout[x_titled[0]]["title"]["text"] == "x0 (feature value)"
    y_titled = [k for k, v in layout.items() if k.startswith("yaxis") and "title" in v]
    assert len(y_titled) == rows
