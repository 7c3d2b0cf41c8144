"""Issue 13, charts that read at a glance (session 9's walk-through, findings 7 and 3):

* an overlaid earlier run lists each baseline once (the page passes both runs' baselines, which
  drew and listed the no-change and majority lines twice) and its one legend entry looks like
  its lines: a faded dotted line in each contender's colour, not one light-blue swatch;
* the live chart of a running race fits its y axis as the finished chart does (widening only),
  instead of 0-100 % that jumped to the fitted range when the race ended; 0-100 % when the
  accuracy tab's toggle asks for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lab import plots
from lab.plots.palette import PREVIOUS_DASH, PREVIOUS_OPACITY

BASELINES = ["No-change baseline", "Majority baseline"]
CONTENDERS = {"Frozen batch": 0.95, "Periodic retrain": 0.96, "Drift-triggered": 0.97,
              "Online": 0.98}


def timeline(levels: dict[str, float], n: int = 3000, step: int = 100,
             dip: float = 0.0) -> pd.DataFrame:
    """Rolling accuracies around ``levels``, every ``step`` samples up to ``n``; ``dip`` takes
    that much off every line over the stream's second half."""
    rows = []
    for k, (name, level) in enumerate(levels.items()):
        for i, t in enumerate(range(step, n + 1, step)):
            acc = level + 0.004 * np.sin(i / 2 + k) - (dip if t > n // 2 else 0.0)
            rows.append({"t": t, "contender": name, "acc_window": min(1.0, acc)})
    return pd.DataFrame(rows)


def with_baselines(levels):
    return {**levels, **{b: 0.5 for b in BASELINES}}


def overlaid():
    """The accuracy chart of a run with baselines over an earlier one with baselines, called as
    the race page calls it (this run's baselines, then the earlier run's)."""
    return plots.accuracy_figure(
        timeline(with_baselines(CONTENDERS)), None, [{"at": 1500, "width": 0}], window=500,
        previous=timeline(with_baselines(CONTENDERS), dip=0.02), previous_label="run 1",
        baselines=BASELINES + BASELINES)


def legend(fig) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False]


def test_an_overlaid_run_lists_and_draws_each_baseline_once():
    fig = overlaid()
    names = legend(fig)
    assert len(names) == len(set(names)), names
    for name in BASELINES:
        assert [t.name for t in fig.data].count(name) == 1, name


def test_the_overlay_has_one_legend_entry_that_looks_like_its_lines():
    """Its swatch is the first contender's faded dotted line; its text draws a dotted line in
    each other contender's faded colour, in order, then names the run."""
    fig = overlaid()
    entries = [t for t in fig.data if t.legendgroup == "previous run" and t.showlegend]
    assert len(entries) == 1
    (entry,) = entries
    colors = plots.contender_colors(CONTENDERS)
    first, *others = CONTENDERS
    assert entry.line.color == colors[first] and entry.line.dash == PREVIOUS_DASH
    assert entry.opacity == PREVIOUS_OPACITY
    faded = [f"rgba({int(c[1:3], 16)},{int(c[3:5], 16)},{int(c[5:7], 16)},{PREVIOUS_OPACITY:g})"
             for c in (colors[n] for n in others)]
    positions = [entry.name.find(f"color:{f}") for f in faded]
    assert -1 not in positions and positions == sorted(positions), entry.name
    assert entry.name.endswith("run 1 (dotted, faded)")
    # the overlaid lines themselves: each contender's colour, dotted and faded, no entry each
    lines = [t for t in fig.data if t.legendgroup == "previous run" and t.showlegend is False]
    assert [(t.name, t.line.color) for t in lines] == [(f"{n} (run 1)", colors[n])
                                                       for n in CONTENDERS]


def test_the_legend_plans_its_rows_by_the_text_it_shows_not_the_markup():
    """The overlay entry's colour markup is not text: the figure with it keeps the same top
    margin as one whose entry reads the same in plain text (it once planned extra rows)."""
    fig = overlaid()
    marked = fig.layout.margin.t
    entry = next(t for t in fig.data if t.legendgroup == "previous run" and t.showlegend)
    import re

    plain_text = re.sub(r"<[^>]*>", "", entry.name)
    entry.name = plain_text
    plots.style.apply_layout(fig, fig.layout.title.text, hovermode="x unified")
    assert fig.layout.margin.t == marked


# ---------------------------------------------------------------------------------------------
# The live chart's y axis
# ---------------------------------------------------------------------------------------------
def _live_figure():
    from ui.race import live_figure  # importing it runs no page

    return live_figure


def live_run(full_scale=False, dip=0.06):
    """The live chart redrawn at a third, two thirds and the whole of a race whose lines dip
    by ``dip`` after the drift; the finished chart of the same data; and the y ranges."""
    live_figure = _live_figure()
    whole = timeline(with_baselines(CONTENDERS), dip=dip)
    colors = plots.contender_colors(CONTENDERS)
    fig, ranges = None, []
    for until in (1000, 2000, 3000):
        fig = live_figure(fig, whole[whole["t"] <= until], [{"at": 1500, "width": 0}], 500,
                          3000, colors, BASELINES, (), full_scale)
        ranges.append(list(fig.layout.yaxis.range))
    final = plots.accuracy_figure(whole, None, [{"at": 1500, "width": 0}], window=500,
                                  colors=colors, baselines=BASELINES, full_scale=full_scale)
    return fig, ranges, list(final.layout.yaxis.range)


def test_the_live_axis_fits_the_lines_and_only_widens():
    fig, ranges, final = live_run()
    assert ranges[0][0] > 0.8, ranges  # fitted to the contenders, not 0-100 % or the baselines
    for before, after in zip(ranges, ranges[1:]):
        assert after[0] <= before[0] and after[1] >= before[1], ranges  # never narrows
    assert ranges[1][0] < ranges[0][0]  # the dip after the drift widened it
    assert fig.layout.yaxis.tickformat == ".1~%"  # as the finished chart's fitted axis
    # the finished chart, fitted to the same lines by the same rule: within the last live
    # range and at most half a point narrower at either end (the view does not jump)
    assert ranges[-1][0] <= final[0] <= ranges[-1][0] + 0.005, (ranges, final)
    assert ranges[-1][1] - 0.005 <= final[1] <= ranges[-1][1], (ranges, final)
    np.testing.assert_allclose(final, plots.style.fitted_share_range(
        timeline(CONTENDERS, dip=0.06)["acc_window"]))


def test_the_live_axis_is_0_to_100_percent_when_the_toggle_asks():
    fig, ranges, final = live_run(full_scale=True)
    assert ranges == [[0, 1.03]] * 3 and final == [0, 1.03]
    assert fig.layout.yaxis.tickformat == ".0%"


def test_the_race_passes_the_accuracy_toggle_to_the_live_chart():
    """``ui.race.race`` reads the accuracy tab's toggle (its session key) for the live chart."""
    import inspect

    import ui.race
    from ui import keys as K

    source = inspect.getsource(ui.race.race)
    assert "K.ACCURACY_FULL_SCALE" in source and K.ACCURACY_FULL_SCALE == "accuracy_full_scale"
    assert "oracles, full_scale)" in source
