"""The lessons' charts as a first-time user met them in presenter mode (issue 14, second
walk-through):

* a Try / "Make the claim fail" run overlaid on the original drew each baseline twice ("No-change
  baseline" and "Majority baseline" each had two legend entries, the legend grew to five rows);
* lesson 1's fitted axis (86-96 %) made the noise of a stable world look like a 10-point slide:
  a lesson's accuracy axis spans at least ``LESSON_ACCURACY_SPAN`` (30 points);
* lesson 16's claim is about cost but its charts showed only accuracy and model age, and drew the
  oracle as a solid green line: it now opens on the cumulative total cost, and the oracle is the
  race lab's black long-dashed "Best schedule in hindsight (oracle)" on every chart;
* lesson 16's Try box said "with dearer errors" without the new price.

The overlay and axis tests draw from small hand-made timelines (no run); lesson 16's run is the
cached one of ``lesson_runs`` (Gaussian naive Bayes on 6,000 samples, about a second).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lesson_runs import lesson_run, mode_summary

from lab.lessons.catalogue import LESSONS
from lab.lessons.checks import check_try
from lab.lessons.runner import CHART_CAPTIONS, lesson_figures
from lab.plots import ORACLE_LABEL, accuracy_figure
from lab.plots.lessons import LESSON_ACCURACY_SPAN, lesson_accuracy_figure
from lab.plots.palette import ORACLE_COLOR, ORACLE_DASH
from ui.pages import lessons as LP

BASELINES = ["No-change baseline", "Majority baseline"]
ORACLE = "Best schedule in hindsight"


def _timeline(levels: dict[str, float], n: int = 40, wiggle: float = 0.05,
              seed: int = 0) -> pd.DataFrame:
    """A timeline frame (``t``, ``contender``, ``acc_window``) with each contender's accuracy
    wandering ``wiggle`` around its level."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, n + 1) * 100 + 1000
    rows = [pd.DataFrame({"t": t, "contender": name,
                          "acc_window": np.clip(level + rng.uniform(-wiggle, wiggle, n), 0, 1)})
            for name, level in levels.items()]
    return pd.concat(rows, ignore_index=True)


def _race(levels: dict[str, float], seed: int) -> dict:
    """What ``LP.lesson_outputs`` keeps of a race to draw the overlay."""
    return {"timeline": _timeline(levels, seed=seed), "events": None,
            "drifts": [{"at": 3000, "width": 0}], "window": 500,
            "baselines": list(BASELINES), "oracles": [ORACLE]}


def _legend(fig) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False and t.name]


def test_an_overlaid_run_has_one_legend_entry_per_baseline_and_for_the_oracle():
    levels = {"Frozen": 0.7, "Online": 0.85, **{b: 0.5 for b in BASELINES}, ORACLE: 0.9}
    out = {"figures": [(CHART_CAPTIONS["accuracy"], None)], "race": _race(levels, 1)}
    base = {"figures": [(CHART_CAPTIONS["accuracy"], None)], "race": _race(levels, 2)}
    [(caption, fig)] = LP.overlaid(out, base, "run before the change")
    assert caption.endswith("Dotted and faded: the run before the change.")
    legend = _legend(fig)
    assert len(legend) == len(set(legend)), legend
    for name in BASELINES:
        assert legend.count(name) == 1 and sum(t.name == name for t in fig.data) == 1, legend
    assert any(n.endswith("run before the change (dotted, faded)") for n in legend)
    [oracle] = [t for t in fig.data if t.name == ORACLE_LABEL]
    assert (oracle.line.color, oracle.line.dash) == (ORACLE_COLOR, ORACLE_DASH)
    # the earlier run's learners are drawn faded behind (the references are not)
    faded = [t.name for t in fig.data if t.legendgroup == "previous run" and t.showlegend is False]
    assert sorted(faded) == ["Frozen (run before the change)", "Online (run before the change)"]


def test_a_lesson_axis_spans_at_least_30_points_and_fits_wider_data():
    calm = _timeline({"Trained once": 0.91, "Online": 0.91}, wiggle=0.05)
    race_lab = accuracy_figure(calm, None, [], window=500).layout.yaxis.range
    lesson = lesson_accuracy_figure(calm, None, [], window=500).layout.yaxis.range
    assert race_lab[1] - race_lab[0] < 0.2  # the race lab fits the 10-point wiggle
    assert lesson[1] - lesson[0] >= LESSON_ACCURACY_SPAN - 1e-9, lesson
    values = calm["acc_window"]
    assert lesson[0] <= values.min() and values.max() <= lesson[1]
    assert lesson[1] <= 1.005  # never past 100 % (a line at the top stays whole)
    # data wider than 30 points keeps the fitted axis: a drift's dip is not squashed
    dip = _timeline({"Frozen": 0.55, "Online": 0.9}, wiggle=0.03)
    assert lesson_accuracy_figure(dip, None, [], window=500).layout.yaxis.range == \
        accuracy_figure(dip, None, [], window=500).layout.yaxis.range


def test_lesson_16_opens_on_the_total_cost_with_the_race_labs_oracle():
    run = lesson_run("lesson-how-often")
    figures = lesson_figures(run)
    assert [c for c, _ in figures] == [CHART_CAPTIONS[c] for c in ("bill", "accuracy",
                                                                   "staleness")]
    assert LP.CHART_LABELS["bill"] == "Total cost"
    bill = figures[0][1]
    assert bill.layout.title.text == "Cumulative cost along the stream"
    assert bill.layout.xaxis.title.text == "samples seen"
    assert bill.layout.yaxis.title.text == "cumulative cost (price units)"
    assert any(t.name == "drift" for t in bill.data)  # the drift has its legend entry
    # each contender's line ends at its bill in the summary (the verdict's numbers)
    ends = {t.name: t.y[-1] for t in bill.data if t.name != "drift"}
    totals = {c["name"]: c["cost_total"] for c in run.summary["contenders"]
              if not c.get("baseline")}
    assert ends.pop(ORACLE_LABEL) == pytest.approx(totals.pop(ORACLE), rel=1e-9)
    assert ends == pytest.approx(totals, rel=1e-9)
    for caption, fig in figures:  # the oracle: black, long-dashed, named as in the race lab
        oracle = [t for t in fig.data if t.name == ORACLE_LABEL]
        assert oracle, caption
        assert {(t.line.color, t.line.dash) for t in oracle} == {(ORACLE_COLOR, ORACLE_DASH)}
        assert not [t for t in fig.data if t.name == ORACLE], caption


def test_lesson_16s_try_box_names_the_new_price_of_an_error():
    lesson = LESSONS["lesson-how-often"]
    box = check_try(lesson, mode_summary(lesson.key, "try"), mode_summary(lesson.key, "normal"))
    assert box.detail.startswith("with a wrong prediction priced 10 instead of 1,"), box.detail
    assert "dearer" not in box.detail
