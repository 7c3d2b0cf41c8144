"""Issue 13, "charts that read at a glance": numbers rounded alike in the story and the tables,
an accuracy axis fitted to the data (0–100 % on request), drift labels above the plot, styles
that keep ten contenders and an overlaid run apart, a compact legend for the overlay."""

from __future__ import annotations

import re

from lab.race.story import race_story
from ui import tables


def _summary(segment_accuracies: dict[str, list[float]]) -> dict:
    """A one-drift summary whose contenders score ``segment_accuracies`` per stretch."""
    contenders = [{"name": name, "status": "ok", "error": None, "accuracy": sum(segs) / 2,
                   "accuracy_by_segment": list(segs), "retrains": 0, "train_samples": 1000 * i,
                   "max_drop": [0.1], "recovery": [200]}
                  for i, (name, segs) in enumerate(segment_accuracies.items(), start=1)]
    return {"n_scored": 9000, "complete": True, "drifts": [{"at": 5000, "width": 0}],
            "config": {"evaluation": {"warmup": 1000},
                       "stream": {"source": "sea", "n_samples": 10000}},
            "contenders": contenders}


# ---------------------------------------------------------------------------------------------
# One rounding for the story and the tables
# ---------------------------------------------------------------------------------------------
def test_a_tie_names_only_values_the_table_shows():
    """The walk-through's case: four contenders within half a point, two of them shown as
    89.3 % in the table; the story said "tie at 89.4 %"."""
    s = _summary({"Online": [0.8944, 0.86], "Periodic": [0.8941, 0.80],
                  "Frozen": [0.8934, 0.49], "Drift-triggered": [0.8932, 0.84]})
    first = race_story(s)[0].replace("\u00a0", " ")
    assert "tie at 89.3–89.4 %" in first, first
    shown = set(tables.stretch_table(s).pipe(
        lambda t: [tables.format_cell("Accuracy", v) for v in t["Accuracy"]]))
    low, high = re.search(r"tie at (\d+\.\d)–(\d+\.\d) %", first).groups()
    assert {f"{low} %", f"{high} %"} <= shown


def test_a_tie_whose_values_round_alike_names_one_value():
    s = _summary({"A": [0.8944, 0.7], "B": [0.8941, 0.9]})
    first = race_story(s)[0].replace("\u00a0", " ")
    assert first.startswith("**Before the first drift**: **A** and **B** tie at 89.4 %."), first


def test_an_overall_tie_names_the_range_of_shown_values():
    s = _summary({"A": [0.8949, 0.8949], "B": [0.8912, 0.8912]})  # overall 89.5 % and 89.1 %
    last = race_story(s)[-1].replace("\u00a0", " ")
    assert last.startswith("**Overall**: all contenders tie at 89.1–89.5 %"), last


def test_the_story_and_the_tables_share_one_rounding_function():
    """Not two copies of one expression: both modules call lab.spec.numbers.percent_digits."""
    import inspect

    import lab.race.story as story

    for module in (story, tables):
        assert "percent_digits(" in inspect.getsource(module)
        assert ":.1f}" not in inspect.getsource(module), module.__name__


# ---------------------------------------------------------------------------------------------
# The accuracy chart: styles, overlay legend, drift labels, fitted axis
# ---------------------------------------------------------------------------------------------
def _timeline(means: dict[str, float], n: int = 4000, step: int = 100, wobble: float = 0.004):
    """A timeline whose contenders' rolling accuracy wobbles around ``means`` (SEA-like when
    the means are between 94 and 100 %); the same shape the race writes (docs/outputs.md)."""
    import numpy as np
    import pandas as pd

    rows = []
    for k, (name, mean) in enumerate(means.items()):
        for i, t in enumerate(range(step, n + 1, step)):
            acc = min(1.0, mean + wobble * np.sin(i / 3 + k))
            rows.append({"t": t, "contender": name, "acc_window": acc, "staleness": 1,
                         "train_samples_cum": t, "train_cpu_s_cum": 0.0, "retrains_cum": 0})
    return pd.DataFrame(rows)


SEA_SIX = {"Frozen batch": 0.945, "Periodic retrain": 0.955, "Drift-triggered": 0.965,
           "Online": 0.975, "Online tree": 0.985, "Online naive Bayes": 0.993}
DRIFT = [{"at": 2000, "width": 0}]


def _lines(fig):
    return [t for t in fig.data if t.mode == "lines" and t.x is not None
            and any(x is not None for x in t.x)]


def test_ten_contenders_and_an_overlaid_run_have_distinct_colour_blind_safe_styles():
    from lab import plots
    from lab.plots.palette import CONTENDER_STYLES

    names = {f"Contender {i}": 0.8 + i / 100 for i in range(10)}
    fig = plots.accuracy_figure(_timeline(names), None, DRIFT,
                                previous=_timeline(names, wobble=0.01), previous_label="run 1",
                                baselines=["Contender 9"])  # one of them drawn as a baseline
    current = [t for t in _lines(fig) if t.legendgroup != "previous run"]
    overlay = [t for t in _lines(fig) if t.legendgroup == "previous run"]
    contenders = [t for t in current if t.line.color != plots.BASELINE_COLOR]
    assert len(contenders) == 9 and len(overlay) == 9
    pairs = {(t.line.color, t.line.dash) for t in contenders}
    assert len(pairs) == 9  # no two contenders share colour and dash
    # Okabe-Ito, then Paul Tol's (tests/test_contender_colours.py): nine distinct colours
    assert {t.line.color for t in contenders} <= {c for c, _ in CONTENDER_STYLES}
    assert len({t.line.color for t in contenders}) == 9
    for t in overlay:  # the overlay: its contender's colour, dotted, thinner, faded
        same = next(c for c in contenders if f"{c.name} (run 1)" == t.name)
        assert t.line.color == same.line.color and t.line.dash == "dot"
        assert t.opacity < 1 and t.line.width < same.line.width
    # no contender's style is the overlay's or a baseline's
    from lab.plots.palette import BASELINE_DASHES

    assert not {d for _, d in pairs} & {"dot", *BASELINE_DASHES}
    (baseline,) = [t for t in current if t.line.color == plots.BASELINE_COLOR]
    assert baseline.line.dash in BASELINE_DASHES

    from lab.plots.palette import contender_styles

    ten = contender_styles(list(names))
    assert len(set(ten.values())) == 10


def test_an_overlaid_run_adds_one_legend_entry():
    from lab import plots

    def entries(fig):
        return [t.name for t in fig.data if t.showlegend is not False]

    alone = plots.accuracy_figure(_timeline(SEA_SIX), None, DRIFT)
    both = plots.accuracy_figure(_timeline(SEA_SIX), None, DRIFT, previous=_timeline(SEA_SIX),
                                 previous_label="run 1")
    first, *rest = entries(both)
    assert first.endswith("run 1 (dotted, faded)") and rest == entries(alone)
    hidden = [t.name for t in both.data if t.showlegend is False]
    assert hidden == [f"{name} (run 1)" for name in SEA_SIX]  # the hover still names each


def test_drift_labels_sit_above_the_plot_area_in_their_own_band():
    from lab import plots
    from lab.plots.style import (
        DRIFT_LABEL_BAND,
        LEGEND_ROW_HEIGHT,
        TITLE_BAND,
        _legend_rows,
    )

    with_drift = plots.accuracy_figure(_timeline(SEA_SIX), None,
                                       DRIFT + [{"at": 3000, "width": 500}])
    labels = [a for a in with_drift.layout.annotations if "drift" in a.text]
    assert [a.text for a in labels] == ["drift", "gradual drift"]
    for a in labels:  # anchored by their bottom on the top edge of the plot: never on a line
        assert (a.y, a.yref, a.yanchor) == (1, "y domain", "bottom")
    # the band between the legend's last row (+ 8 px) and the plot area's top edge
    legend_bottom = TITLE_BAND + LEGEND_ROW_HEIGHT * _legend_rows(with_drift) + 8
    assert with_drift.layout.margin.t == legend_bottom + DRIFT_LABEL_BAND


def _pixels_per_share(fig) -> float:
    low, high = fig.layout.yaxis.range
    plot_height = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    return plot_height / (high - low)


def test_on_sea_like_accuracies_the_axis_fits_and_the_lines_separate():
    """Six contenders between 94 and 100 %: one point apart, on the fitted axis their lines
    are over 10 px apart (on 0-100 % they were 3 px apart: one band)."""
    from lab import plots

    fig = plots.accuracy_figure(_timeline(SEA_SIX), None, DRIFT, window=500)
    low, high = fig.layout.yaxis.range
    assert 0.9 <= low < min(SEA_SIX.values()) - 0.004 and high <= 1.005
    assert 0.01 * _pixels_per_share(fig) > 10
    assert fig.layout.yaxis.title.text == "accuracy (last 500 samples)"
    assert fig.layout.yaxis.tickformat.endswith("%")

    full = plots.accuracy_figure(_timeline(SEA_SIX), None, DRIFT, window=500, full_scale=True)
    assert full.layout.yaxis.range == (0, 1.03)
    assert 0.01 * _pixels_per_share(full) < 4


def test_baselines_below_the_fitted_axis_are_noted():
    from lab import plots

    means = {**SEA_SIX, "No-change baseline": 0.52}
    fig = plots.accuracy_figure(_timeline(means), None, DRIFT,
                                baselines=["No-change baseline"])
    assert fig.layout.yaxis.range[0] > 0.9  # the baseline does not squash the contenders
    notes = [a.text for a in fig.layout.annotations if "baseline" in a.text]
    assert notes == ["grey baselines: below this axis"]
    full = plots.accuracy_figure(_timeline(means), None, DRIFT, baselines=["No-change baseline"],
                                 full_scale=True)
    assert not [a for a in full.layout.annotations if "baseline" in a.text]


def test_cells_that_read_the_same_are_a_tie_and_not_highlighted():
    """Seen at 1366 px: Drift-triggered 98.07 % and Online 98.06 % both read "98.1 %", only one
    was green. They tie (within half a point, the story's rule): neither is highlighted."""
    s = _summary({"Drift-triggered": [0.9807, 0.9807], "Online": [0.9806, 0.9806],
                  "Frozen": [0.94, 0.94]})
    overall = tables.overall_table(s)
    assert [tables.format_cell("Accuracy", v) for v in overall["Accuracy"]][:2] == [
        "98.1 %", "98.1 %"]
    assert "Accuracy" not in tables.best_rows(overall)
    assert tables.shown_value("Kappa", 0.12345) == 0.123
    assert tables.shown_value("Trained samples", 1234.4) == 1234.0


def test_drift_labels_that_would_overprint_share_one_label():
    """The default drifts (8,000 sudden; 14,000-16,000 gradual) on a 20,000-sample stream get a
    label each; on 400,000 samples the two are 1.5 % of the axis apart, where "drift" (~45 px
    with its gap, 7.5 % of a 600-px plot) covered "gradual drift": one label names both."""
    from lab import plots
    from lab.plots.drift_labels import FONT_PX
    from lab.plots.style import FONT_SIZE

    assert FONT_PX == FONT_SIZE - 2  # the width estimate is of the labels' own font
    drifts = [{"at": 8000, "width": 0}, {"at": 14000, "width": 2000}]
    for n, expected in ((20_000, [(8000, "drift"), (14000, "gradual drift")]),
                        (400_000, [(8000, "drift + gradual drift")])):
        fig = plots.accuracy_figure(_timeline(SEA_SIX, n=n, step=n // 40), None, drifts)
        labels = [(a.x, a.text) for a in fig.layout.annotations if "drift" in a.text]
        assert labels == expected, n
        assert len([s for s in fig.layout.shapes if s.x0 in (8000, 14000)]) == 2  # both drawn
