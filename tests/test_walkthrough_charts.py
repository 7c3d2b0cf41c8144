"""Session 11's walk-through of the result tabs (issue 13) at 1366 and 1024 px: axis titles that
fit their panel, every per-contender line in its (colour, dash) pair, a Data-tab legend clear of
the chart's toolbar."""

from __future__ import annotations

import pytest

from helpers import priced_sea_run
from lab import plots
from lab.plots.costs import cumulative_cost_figure
from lab.plots.drift_labels import NARROW_PLOT_PX
from lab.plots.style import contender_styles

# Width of one character of an axis title, in px per px of font: measured in chromium on the
# race charts ("training CPU seconds (process)", 30 characters at 14 px: 240 px, 0.57 em;
# "accuracy (last 200 samples)": 212 px, 0.56 em), rounded up so that the estimate is safe.
TITLE_EM = 0.6
MARGIN_X = 70 + 25  # apply_layout's left and right margins (px)


@pytest.fixture(scope="module")
def run():
    """A small SEA race with a drift, the baselines and prices, as the app keeps it."""
    return priced_sea_run()


def race_figures(out) -> dict:
    """Every race chart of the result tabs, as the report draws them, and the log-scale ages."""
    from lab.race.report import report_figures

    figures = report_figures(out["public_summary"], out["timeline"], out["events"],
                             out["stream"])
    named = {fig.layout.title.text: fig for fig in figures}
    timeline = out["timeline"]
    named["log ages"] = plots.staleness_figure(timeline, out["events"],
                                               out["public_summary"]["drifts"], log_y=True)
    return named


def title_px(axis) -> float:
    size = (axis.title.font.size if axis.title.font and axis.title.font.size else None) or 14
    return len(axis.title.text or "") * TITLE_EM * size


def test_every_axis_title_fits_its_panel_on_the_narrowest_chart(run):
    """A y title no taller than its panel (the cost chart's "training CPU seconds (process)"
    ran 240 px along a 160-px panel and was cut off), an x title no wider than the plot area
    of a chart NARROW_PLOT_PX wide (a 1024-px window less the sidebar)."""
    too_long = []
    for name, fig in race_figures(run).items():
        layout = fig.layout
        plot_height = layout.height - layout.margin.t - layout.margin.b
        for key in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
            axis = layout[key]
            if not axis.title.text:
                continue
            low, high = axis.domain or (0, 1)
            room = ((high - low) * plot_height if key.startswith("y")
                    else (high - low) * (NARROW_PLOT_PX - MARGIN_X))
            if title_px(axis) > room:
                too_long.append((name, axis.title.text, round(title_px(axis)), round(room)))
    assert not too_long, too_long


# ---------------------------------------------------------------------------------------------
# Every per-contender line chart draws each contender in its (colour, dash) pair
# ---------------------------------------------------------------------------------------------
SEVEN = [f"Contender {k}" for k in range(1, 8)]  # 5-7 are dashed or dash-dotted


def seven_timeline():
    """A timeline of seven contenders with every column the line charts draw (the ledger's
    included), values made up: only the lines' styles are checked."""
    import pandas as pd

    from lab.spec.columns import TIMELINE_COLUMNS

    rows = []
    for k, name in enumerate(SEVEN):
        for t in range(400, 2001, 100):
            row = {c: float(t * (k + 1)) for c in TIMELINE_COLUMNS}
            row.update(t=t, contender=name, acc_window=0.8 + 0.01 * k, acc_cum=0.8)
            row.update({f"cost_{part}": float(t) for part in
                        ("total", "compute", "retrains", "labels", "errors")})
            rows.append(row)
    return pd.DataFrame(rows)


def test_every_per_contender_line_chart_uses_the_accuracy_charts_colour_and_dash():
    """The Net cost chart drew contenders 5-10 solid, losing the dashes that tell them apart in
    the accuracy chart (session 11's walk-through)."""
    timeline = seven_timeline()
    drifts = [{"at": 1200, "width": 0}]
    colors = plots.contender_colors(SEVEN)
    styles = contender_styles(SEVEN, colors)
    figures = {
        "accuracy": plots.accuracy_figure(timeline, None, drifts, colors=colors),
        "staleness": plots.staleness_figure(timeline, None, drifts, colors=colors),
        "cost": plots.cost_figure(timeline, drifts, colors=colors),
        "net cost": cumulative_cost_figure(timeline, drifts, colors=colors),
    }
    assert {styles[n][1] for n in SEVEN[4:]} - {"solid"}  # the dashes this test is about
    for chart, fig in figures.items():
        lines = [tr for tr in fig.data if tr.name in SEVEN and tr.mode == "lines"]
        assert {tr.name for tr in lines} == set(SEVEN), chart
        for tr in lines:
            assert (tr.line.color, tr.line.dash or "solid") == styles[tr.name], (chart, tr.name)


# ---------------------------------------------------------------------------------------------
# The Data tab's legends clear of the chart's toolbar
# ---------------------------------------------------------------------------------------------
# The toolbar (plotly's modebar) shows on hover at the top right of a chart, over its top 32 px
# (measured in chromium: y 10-32 px from the top of a 700-px data chart, 216-264 px wide).
TOOLBAR_BOTTOM = 32


def legend_box(fig) -> tuple[float, float]:
    """(top, bottom) of a figure's horizontal legend, in px from the top of the figure, as
    apply_layout plans it (rows of LEGEND_ROW_HEIGHT px)."""
    from lab.plots.style import LEGEND_ROW_HEIGHT, _legend_rows

    legend = fig.layout.legend
    assert legend.yref == "container" and legend.yanchor == "top"
    top = (1 - legend.y) * fig.layout.height
    return top, top + LEGEND_ROW_HEIGHT * _legend_rows(fig)


@pytest.mark.parametrize("name", ["Samples per concept", "Feature distributions per concept",
                                  "Rolling accuracy over the stream"])
def test_the_data_charts_legends_are_under_the_toolbar_and_above_the_subplot_titles(name):
    """The 2-D data chart and the feature distributions had their legend at the right end of
    the title row, where the toolbar shows on hover and covered it (session 11's walk-through):
    now under the title as on the race charts (the accuracy chart, for comparison), with the
    panels' titles ("concept 0", a feature's name) under it."""
    from test_plots import make_stream, make_timeline

    fig = {"Samples per concept": lambda: plots.data_figure(make_stream(2)),
           "Feature distributions per concept":
               lambda: plots.feature_distributions_figure(make_stream(4)),
           "Rolling accuracy over the stream":
               lambda: plots.accuracy_figure(make_timeline(), None, [])}[name]()
    assert fig.layout.title.text.startswith(name)
    top, bottom = legend_box(fig)
    assert top >= TOOLBAR_BOTTOM
    subplot_titles = [a for a in fig.layout.annotations if a.yref == "paper" and a.y == 1]
    if subplot_titles:
        from lab.plots.style import SUBPLOT_TITLE_BAND

        assert fig.layout.margin.t - SUBPLOT_TITLE_BAND >= bottom
