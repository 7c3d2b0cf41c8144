"""Session 5, charts that read at a glance at 1024 and 1366 px (issues 13 and 15), checked on the
figures themselves: the oracle is one black long-dashed reference line in every race chart,
trade-off labels never overlap, bar charts name their bars on the y axis and grow with the
contenders, and every count or amount is written with thousands separators and no pointless
decimals. The browser half is ``tests/test_chart_glance_browser.py``."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from lab import plots
from lab.plots.costs import cumulative_cost_figure, ledger_figure
from lab.plots.marks import (
    LABEL_GAP_PX,
    POINT_LABEL,
    label_boxes,
    planned_plot_height,
    stacked_label_positions,
    wrapped,
)
from lab.plots.palette import CONTENDER_STYLES, ORACLE_COLOR, ORACLE_DASH
from lab.spec.costs import LEDGER_COLUMNS

ORACLE = "Hindsight"
# Six contenders close together on both axes (the walk-through's crowded trade-off) + the oracle.
POINTS = {"Frozen batch": (500, 0.688), "Periodic retrain": (17_500, 0.785),
          "Drift-triggered": (2_500, 0.832), "Online": (6_000, 0.870),
          "Online tree": (6_000, 0.866), "Periodic fast": (16_000, 0.790),
          ORACLE: (4_500, 0.824)}


def summary(points=POINTS, oracle=ORACLE) -> dict:
    rows = []
    for k, (name, (samples, acc)) in enumerate(points.items()):
        total = 1000.0 + 137.25 * k
        rows.append({"name": name, "status": "ok", "accuracy": acc, "train_samples": samples,
                     "train_cpu_s": samples * 1e-5, "retrains": k % 3,
                     "cost": {"compute": 0.5 * k, "retrains": 50.0 * (k % 3), "labels": 600.0,
                              "errors": total - 600 - 0.5 * k - 50.0 * (k % 3), "total": total,
                              "per_1000": total / 6.0},
                     "cost_total": total, **({"oracle": True} if name == oracle else {})})
    return {"contenders": rows, "drifts": [{"at": 3000, "width": 0}]}


def timeline(names=tuple(POINTS)) -> pd.DataFrame:
    t = np.arange(600, 6001, 300)
    frames = []
    for k, name in enumerate(names):
        frame = pd.DataFrame({"t": t, "contender": name, "acc_window": 0.9 - 0.02 * k,
                              "staleness": t % 1000, "data_age": t / 2,
                              "train_samples_cum": t, "train_cpu_s_cum": t * 1e-5})
        for column in LEDGER_COLUMNS:
            frame[column] = t * (0.3 + 0.01 * k)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


EVENTS = pd.DataFrame([(3300, ORACLE, "deploy", "refit"), (3300, "Online", "drift_alarm", "x")],
                      columns=list(plots.style.EVENT_COLUMNS))


BUILDERS = {
    "accuracy": lambda tl, s: plots.accuracy_figure(tl, EVENTS, s["drifts"], oracles=[ORACLE]),
    "staleness": lambda tl, s: plots.staleness_figure(tl, EVENTS, s["drifts"],
                                                      oracles=[ORACLE]),
    "cost": lambda tl, s: plots.cost_figure(tl, s["drifts"], oracles=[ORACLE]),
    "net cost": lambda tl, s: cumulative_cost_figure(tl, s["drifts"], oracles=[ORACLE]),
    "tradeoff": lambda tl, s: plots.tradeoff_figure(s),
    "retrain cost": lambda tl, s: plots.retrain_cost_figure(s),
    "ledger": lambda tl, s: ledger_figure(s),
}
_BUILT: dict = {}


def race_figures() -> dict:
    """Each race chart of the 7-contender race, built once for the module (plotly is slow)."""
    if not _BUILT:
        tl, s = timeline(), summary()
        _BUILT.update({name: build(tl, s) for name, build in BUILDERS.items()})
    return _BUILT


# ---------------------------------------------------------------------------------------------
# The oracle: a reference line in every race chart
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["accuracy", "staleness", "cost", "net cost", "tradeoff"])
def test_the_oracle_is_one_black_long_dashed_reference_last_in_the_legend(name):
    fig = race_figures()[name]
    oracle = [t for t in fig.data if t.name == plots.ORACLE_LABEL]
    assert oracle, f"{name}: no trace named {plots.ORACLE_LABEL!r}"
    legend = [t for t in fig.data if t.showlegend is not False and t.name]
    ranked = sorted(legend, key=lambda t: t.legendrank if t.legendrank is not None else 1000)
    assert ranked[-1].name == plots.ORACLE_LABEL  # last in the legend
    assert sum(t.name == plots.ORACLE_LABEL for t in legend) == 1
    lines = [t for t in fig.data if (t.legendgroup or "").startswith("oracle:")
             and t.mode == "lines"]
    assert lines and all(t.line.color == ORACLE_COLOR and t.line.dash == ORACLE_DASH
                         for t in lines), name
    contender_colors = {t.line.color for t in fig.data
                        if t.mode == "lines" and t not in lines and t.line.color}
    contender_colors |= {t.marker.color for t in fig.data
                         if t.mode == "markers" and isinstance(t.marker.color, str)
                         and not (t.legendgroup or "").startswith("oracle:")}
    assert ORACLE_COLOR not in contender_colors  # no contender is drawn in the oracle's black


def test_no_contender_style_is_the_oracles():
    assert all(color != ORACLE_COLOR and dash != ORACLE_DASH for color, dash in CONTENDER_STYLES)
    assert ORACLE_COLOR not in plots.contender_colors(f"c{i}" for i in range(12)).values()


def test_the_oracles_retrains_are_black_triangles_on_its_line():
    fig = race_figures()["accuracy"]
    (deploys,) = [t for t in fig.data if t.name == f"{ORACLE}: retrain deployed"]
    assert deploys.marker.color == ORACLE_COLOR and list(deploys.x) == [3300]


def test_the_oracle_is_named_and_last_in_the_bar_charts_and_not_on_the_pareto_front():
    figs = race_figures()
    for name in ("retrain cost", "ledger"):
        categories = list(figs[name].layout.yaxis.categoryarray)
        assert categories[-1] == wrapped(plots.ORACLE_LABEL), name
    (oracle_bar,) = [t for t in figs["retrain cost"].data if t.name == ORACLE]
    assert oracle_bar.marker.color == ORACLE_COLOR
    front = next(t for t in figs["tradeoff"].data if t.name == "Pareto front")
    assert POINTS[ORACLE][0] not in front.x  # a reference, not a choice


def test_without_an_oracle_nothing_is_drawn_as_one():
    plain = summary(oracle=None)
    for fig in (plots.tradeoff_figure(plain), plots.retrain_cost_figure(plain),
                plots.accuracy_figure(timeline(), None, [])):
        assert not [t for t in fig.data if t.name == plots.ORACLE_LABEL]


# ---------------------------------------------------------------------------------------------
# Trade-off labels that never overlap
# ---------------------------------------------------------------------------------------------
def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("cost", ["train_samples", "train_cpu_s"])
def test_no_two_tradeoff_labels_overlap_in_a_crowded_six_contender_race(cost):
    fig = plots.tradeoff_figure(summary(), cost=cost)
    labels = [a for a in fig.layout.annotations if a.name == POINT_LABEL]
    assert len(labels) == len(POINTS)
    low = planned_plot_height(fig)
    full = low + 2 * 26
    for width, height in itertools.product((420, 650, 1000, 1400), (low, full)):
        boxes = label_boxes(fig, width, height)
        for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
            assert not overlaps(a, b), (width, height, labels[i].text, labels[j].text)
        for box in boxes:  # inside the plot area vertically
            assert 0 <= box[1] and box[3] <= height, (width, height, box)
    # the scheme is needed here: drawn at their points, two labels would overlap
    naive = [(a.x, a.y) for a in labels]
    assert any(abs(ya - yb) < 0.005 for (_, ya), (_, yb) in itertools.combinations(naive, 2))


def test_ten_contenders_fit_because_the_chart_grows():
    many = {f"contender {k}": (1000 + k, 0.8 + 0.001 * k) for k in range(10)}
    fig = plots.tradeoff_figure(summary(many, oracle=None))
    assert planned_plot_height(fig) >= 10 * LABEL_GAP_PX
    boxes = label_boxes(fig, 650, planned_plot_height(fig))
    assert not any(overlaps(a, b) for a, b in itertools.combinations(boxes, 2))


def test_stacked_positions_keep_the_gap_and_stay_near_their_wishes():
    wishes = [100, 101, 102, 250, 251, 10]
    got = stacked_label_positions(wishes, 300)
    ordered = sorted(got)
    assert all(b - a >= LABEL_GAP_PX - 1e-9 for a, b in zip(ordered, ordered[1:]))
    assert got[5] == LABEL_GAP_PX / 2  # pushed inside the plot, from 10 px
    assert abs(np.mean(got[:3]) - 101) < 1e-9  # a group is centred on its wishes
    with pytest.raises(ValueError, match="need"):
        stacked_label_positions([0] * 20, 300)


# ---------------------------------------------------------------------------------------------
# Bar charts: names on the y axis, a height that grows, amounts written plainly
# ---------------------------------------------------------------------------------------------
def test_cost_per_retrain_is_horizontal_without_a_legend_and_grows_with_contenders():
    five = plots.retrain_cost_figure(summary(dict(list(POINTS.items())[:5]), oracle=None))
    ten = plots.retrain_cost_figure(summary({f"c{k}": (1000, 0.8) for k in range(10)}, None))
    assert all(t.orientation == "h" for t in five.data) and five.layout.showlegend is False
    for fig, n in ((five, 5), (ten, 10)):
        plot = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        assert plot / n >= 30, (n, plot)  # a bar and its gap, never a 40 px strip for all
    assert five.layout.xaxis.tickformat == ","
    texts = [t.text[0] for t in five.data if t.text[0]]
    assert texts and all("." not in s for s in texts)


def test_ledger_totals_have_thousands_separators_and_no_pointless_decimals():
    s = summary()
    s["contenders"][0]["cost"]["total"] = 7846.0
    fig = ledger_figure(s)
    texts = [a.text for a in fig.layout.annotations]
    assert "7,846" in texts and not any(t.endswith(".00") for t in texts)
    assert all(t.orientation == "h" for t in fig.data)


@pytest.mark.parametrize("name", ["accuracy", "staleness", "cost", "net cost", "tradeoff",
                                  "retrain cost", "ledger"])
def test_every_count_axis_separates_thousands(name):
    fig = race_figures()[name]
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        assert axis.separatethousands is True, name
        if axis.tickformat and not axis.tickformat.endswith("%"):
            assert axis.tickformat.startswith(","), (name, axis.tickformat)  # never "~s"
    if name == "tradeoff":  # the log axis's own tick texts
        assert "20,000" in fig.layout.xaxis.ticktext or "10,000" in fig.layout.xaxis.ticktext


def test_amount_text_on_hand_made_values():
    from lab.plots.style import amount_text

    assert [amount_text(v) for v in (7846.0, 20000.0, 99.5, 0.25, 0.0)] == [
        "7,846", "20,000", "99.5", "0.25", "0"]


# ---------------------------------------------------------------------------------------------
# The Net cost tab's tables
# ---------------------------------------------------------------------------------------------
def test_the_bill_shows_the_total_second_and_the_counts_in_their_own_table():
    from ui.costs import counts_table, ledger_table

    s = summary()
    bill, counts = ledger_table(s), counts_table(s)
    assert list(bill.columns)[:3] == ["contender", "total", "per 1,000"]
    assert len(bill.columns) <= 7 and len(counts.columns) <= 5
    assert bill["contender"].iloc[-1] == f"{ORACLE} (oracle)"
    assert bill["total"].tolist() == [c["cost"]["total"] for c in s["contenders"]]
    assert counts["samples trained"].tolist() == [c["train_samples"] for c in s["contenders"]]


def test_the_report_and_the_live_chart_draw_the_oracle_as_the_app_does():
    """The HTML report's figures and the live chart of a running race name the oracle's line
    ``ORACLE_LABEL`` in black, like the race page (they once drew it as a contender)."""
    from lab.race.report import report_figures
    from ui.race import live_figure

    tl, s = timeline(), summary()

    def oracle_lines(fig):
        lines = [t for t in fig.data if t.name == plots.ORACLE_LABEL and t.mode == "lines"]
        assert lines and all(t.line.color == ORACLE_COLOR for t in lines)
        return lines

    for fig in report_figures(s, tl, EVENTS)[:3]:  # accuracy, age, cumulative training cost
        oracle_lines(fig)
    first = tl[tl["t"] <= 3000]
    live = live_figure(None, first, s["drifts"], 500, 6000, plots.contender_colors(POINTS),
                       oracles=[ORACLE])
    live = live_figure(live, tl, s["drifts"], 500, 6000, None, oracles=[ORACLE])
    drawn = [list(t.x) for t in oracle_lines(live)]
    assert list(tl[tl["contender"] == ORACLE]["t"]) in drawn  # the update reached its line
