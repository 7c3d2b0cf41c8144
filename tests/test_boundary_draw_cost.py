"""What keeps the decision-boundary figure cheap for the browser to draw (the Boundary tab's first
open, issue 13): no axis grows the figure's margins and the dots have no outline. The figure's
CPU cost in chromium is ``bench/figure_draw_cpu.py``'s to measure; these checks only keep the two
settings that halved it from coming back (plotly_white's template turns ``automargin`` on)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab import plots


def small_figure():
    """A 2 x 3 grid of panels over a hand-made 2-D stream and hand-made predictions."""
    rng = np.random.default_rng(0)
    n = 300
    stream = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n),
                           "y": (rng.random(n) < 0.5).astype(np.int64),
                           "concept": np.zeros(n, np.int16)})
    grid = np.linspace(-2, 2, 4)
    times = [100, 200, 300]
    predictions = {name: {t: np.full((4, 4), t % 2) for t in times} for name in ("One", "Two")}
    return plots.decision_boundary_figure(stream, grid, grid, predictions, times)


def test_no_axis_of_the_boundary_figure_grows_the_margins():
    fig = small_figure().to_plotly_json()  # what the browser gets: the template included
    axes = {k: v for k, v in fig["layout"].items() if k.startswith(("xaxis", "yaxis"))}
    assert len(axes) == 2 * 6
    assert all(axis.get("automargin") is False for axis in axes.values()), axes
    # the template would turn it on for any axis left without it
    assert fig["layout"]["template"]["layout"]["xaxis"]["automargin"] is True
    # the fixed margins leave room for the left column's tick labels and axis title
    assert fig["layout"]["margin"]["l"] >= 70 and fig["layout"]["margin"]["b"] >= 55


def test_boundary_dots_are_drawn_without_an_outline():
    dots = [t for t in small_figure().data if t.type == "scatter"]
    assert dots and all(t.marker.line.width is None for t in dots)
    assert {t.name for t in dots} == {"class 0", "class 1"}  # the legend still names the classes
