"""The sweep figures of ``lab.plots`` (What-if tab): titles, axis titles with units, legends,
confidence bands, heatmap dimensions and the Pareto front, on hand-made summaries shaped like
``lab.sweep.summarise_sweep`` output (no simulation, so these run in milliseconds)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lab import plots
from lab.sweep.stats import SUMMARY_METRICS, pareto_front

EVERY = "contenders[1].policy.every"
DELAY = "evaluation.label_delay"


def summary(paths: dict[str, list], contenders=("Frozen", "Periodic", "Online"), seeds=3):
    """A summary table over the grid of ``paths``: accuracy rises with every, cost falls."""
    import itertools

    rows = []
    grid = list(itertools.product(*paths.values()))
    for s, combo in enumerate(grid):
        for k, name in enumerate(contenders):
            row = {"setting": s, **dict(zip(paths, combo)), "contender": name,
                   "n_seeds": seeds, "n_failed": 0}
            for m in SUMMARY_METRICS:
                mean = 0.6 + 0.05 * k + 0.01 * s if m == "accuracy" else 1000.0 * (k + 1) + s
                half = math.nan if seeds == 1 else 0.02 * mean
                row.update({f"{m}_mean": mean, f"{m}_ci_low": mean - half,
                            f"{m}_ci_high": mean + half})
            rows.append(row)
    return pd.DataFrame(rows)


def check_layout(fig, title_part: str):
    assert title_part in fig.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


@pytest.mark.parametrize("metric, unit", [("accuracy", "accuracy"),
                                          ("train_samples", "samples trained")])
def test_line_figure_has_a_line_and_a_ci_band_per_contender(metric, unit):
    s = summary({EVERY: [4000, 1000, 2000]})
    fig = plots.sweep_line_figure(s, EVERY, metric)
    check_layout(fig, "vs. Contender 2: samples between retrains")  # a plain label, no path
    assert fig.layout.xaxis.title.text == "Contender 2: samples between retrains"
    assert unit in fig.layout.yaxis.title.text and "95 % CI" in fig.layout.yaxis.title.text
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    bands = [t for t in fig.data if t.fill == "toself"]
    assert [t.name for t in lines] == ["Frozen", "Periodic", "Online"]
    assert [t.name for t in bands] == ["Frozen 95 % CI", "Periodic 95 % CI", "Online 95 % CI"]
    assert fig.layout.showlegend and all(t.showlegend is not False for t in lines)
    colors = plots.contender_colors(["Frozen", "Periodic", "Online"])
    assert [t.line.color for t in lines] == list(colors.values())
    periodic = lines[1]
    assert list(periodic.x) == [1000, 2000, 4000]  # numeric values are sorted
    part = s[s["contender"] == "Periodic"].sort_values(EVERY)
    assert list(periodic.y) == pytest.approx(part[f"{metric}_mean"].tolist())
    band = bands[1]  # the band goes out along the upper bound and back along the lower one
    assert list(band.y) == pytest.approx(part[f"{metric}_ci_high"].tolist()
                                         + part[f"{metric}_ci_low"].tolist()[::-1])


def test_line_figure_with_one_seed_has_no_band_and_says_so():
    fig = plots.sweep_line_figure(summary({EVERY: [1000, 2000]}, seeds=1), EVERY)
    assert not [t for t in fig.data if t.fill == "toself"]
    assert any("no confidence interval" in a.text for a in fig.layout.annotations)


def test_line_figure_with_text_values_uses_categories():
    fig = plots.sweep_line_figure(summary({"contenders[2].policy.detector":
                                           ["adwin", "kswin"]}), "contenders[2].policy.detector")
    assert fig.layout.xaxis.type == "category"
    assert list(fig.data[1].x) == ["adwin", "kswin"]


def test_heatmap_has_one_cell_per_setting():
    s = summary({EVERY: [1000, 2000, 4000], DELAY: [0, 100]})
    fig = plots.sweep_heatmap_figure(s, EVERY, DELAY, "Online")
    check_layout(fig, "Online")
    assert fig.layout.xaxis.title.text == "Contender 2: samples between retrains"
    assert fig.layout.yaxis.title.text == "Label delay (samples)"
    (heat,) = fig.data
    z = np.array(heat.z, dtype=float)
    assert z.shape == (2, 3)  # rows: label delays, columns: every
    assert list(heat.x) == ["1k", "2k", "4k"]
    assert list(heat.y) == ["0", "100"]
    part = s[s["contender"] == "Online"]
    want = part.pivot(index=DELAY, columns=EVERY, values="accuracy_mean").to_numpy()
    assert z == pytest.approx(want)
    assert heat.colorbar.title.text == "mean accuracy"  # the colour bar is the legend


def test_tradeoff_marks_the_pareto_front_across_all_settings():
    s = summary({EVERY: [1000, 2000]})
    fig = plots.sweep_tradeoff_figure(s)
    check_layout(fig, "training cost")
    assert fig.layout.xaxis.type == "log" and "samples trained" in fig.layout.xaxis.title.text
    names = [t.name for t in fig.data]
    assert names == ["Frozen", "Periodic", "Online", "Pareto front", "Pareto-optimal"]
    assert sum(len(t.x) for t in fig.data[:3]) == len(s)  # every (setting, contender)
    front = s[pareto_front(s)]
    optimal = fig.data[-1]
    assert sorted(zip(optimal.x, optimal.y)) == sorted(
        zip(front["train_samples_mean"], front["accuracy_mean"]))
    assert fig.data[-2].line.shape == "hv"
    errors = fig.data[0].error_y
    assert errors.array is not None and min(errors.array) > 0  # the accuracy CI


@pytest.mark.slow
def test_sweep_figures_are_deterministic():
    s = summary({EVERY: [1000, 2000]})
    assert plots.sweep_tradeoff_figure(s).to_json() == plots.sweep_tradeoff_figure(s).to_json()
    assert (plots.sweep_line_figure(s, EVERY).to_json()
            == plots.sweep_line_figure(s, EVERY).to_json())
