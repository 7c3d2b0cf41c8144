"""The HTML report holds the Net cost tab's two charts, built by the same calls the tab makes
(issue 13: one report with every figure instead of a 4.8 MB HTML page per chart)."""

from __future__ import annotations

import pytest

from helpers import priced_sea_run
from lab.race.report import figure_heading, report_figures


@pytest.fixture(scope="module")
def out():
    """A small priced SEA race with one drift and the baselines, packaged as the app keeps it."""
    return priced_sea_run()


@pytest.mark.slow  # a small race and seven figures: about 3 s on a shared core
def test_the_report_ends_with_the_net_cost_tabs_charts_as_the_tab_draws_them(out):
    from ui.costs import net_cost_builders
    from ui.pages.race_lab import result_view

    view = result_view({"outputs": out, "figs": {}}, None)
    tab = [build() for build in net_cost_builders(view).values()]
    # without the stream (its two data charts are the slow ones); tests/test_downloads.py
    # checks the whole page: every figure's title, plotly.js once
    figures = report_figures(out["public_summary"], out["timeline"], out["events"])
    assert len(figures) == 7  # 5 race charts, then the 2 Net cost charts
    assert [f.to_dict() for f in figures[-2:]] == [f.to_dict() for f in tab]
    titles = [figure_heading(f) for f in figures[-2:]]
    assert titles == ["Cumulative cost along the stream", "What each bill is made of"]
    # the baselines are reference lines of the accuracy chart only, as in the tab
    names = {t.name for f in figures[-2:] for t in f.data}
    assert "Online" in names and not any("baseline" in str(n).lower() for n in names), names

    # the bill's total at the run's prices is in the ledger chart's data
    totals = {c["name"]: c["cost"]["total"] for c in out["summary"]["contenders"]
              if not c.get("baseline")}
    bars = figures[-1].data
    drawn = {}
    for bar in bars:
        for name, amount in zip(bar.y, bar.x):
            drawn[name] = drawn.get(name, 0.0) + float(amount)
    for name, total in totals.items():
        assert drawn[name] == pytest.approx(total), (name, drawn, totals)
