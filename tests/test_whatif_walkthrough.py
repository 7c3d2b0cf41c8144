"""Session 11's walk-through of the What-if tab (issue 13): a 95 % CI of a figure that does not
vary over the seeds reads as such (or its column goes when it carries nothing), and the results
and the ranking tables fit the page at 1366 px."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.sweep.answer import answer_sweep
from ui.column_widths import other_column_width
from ui.whatif import TABLE_HELP, results_formats, results_table
from ui.whatif_answer import (
    SAME_ON_EVERY_SEED,
    drop_constant_ci,
    fitted_config,
    ranking_formats,
    ranking_table,
)

EVERY = "contenders[1].policy.every"
PAGE_AT_1366 = 1366 - 300 - 2 * 35  # the main area with the sidebar open


class Column(dict):
    """Stands for ``st.column_config.Column``: the settings as a dict."""

    def __init__(self, **kw):
        super().__init__(kw)


@pytest.fixture(scope="module")
def swept():
    """The What-if tests' shortened default race, its periodic retrain's interval swept over
    three values and two seeds (a second or two)."""
    from test_whatif_app import SMALL

    from lab.sweep.executors import run_sweep
    from lab.sweep.plan import plan_sweep
    from lab.sweep.stats import summarise_sweep
    from lab.validate import parse_experiment

    summary = summarise_sweep(run_sweep(plan_sweep(parse_experiment(SMALL),
                                                   {EVERY: [300, 600, 1200]}, 2), jobs=1))
    return summary, SMALL


def ci_columns(table):
    return [c for c in table.columns if c.endswith(" 95 % CI")]


@pytest.mark.slow  # a sweep of six short races
def test_a_ci_never_reads_as_a_bare_number(swept):
    summary, cfg = swept
    for target in (0.5, 0.8, 0.95):
        table = ranking_table(answer_sweep(summary, "accuracy", target, config=cfg), cfg)
        for column in ci_columns(table):
            for cell in table[column]:
                assert cell == "–" or "–" in cell or cell.endswith(SAME_ON_EVERY_SEED), cell
        # the samples trained by these fixed schedules are the same on every seed: no column
        assert "Trained samples 95 % CI" not in table.columns
        assert (summary["train_samples_ci_low"] == summary["train_samples_ci_high"]).all()
        assert "Accuracy 95 % CI" in table.columns  # the accuracy does vary


def test_a_constant_ci_is_named_in_a_mixed_column_and_dropped_when_all_are():
    mixed = pd.DataFrame({"Trained samples 95 % CI": ["21,000" + SAME_ON_EVERY_SEED,
                                                      "3,100–3,500"]})
    assert list(drop_constant_ci(mixed).columns) == ["Trained samples 95 % CI"]
    constant = pd.DataFrame({"Trained samples 95 % CI": ["21,000" + SAME_ON_EVERY_SEED] * 2,
                             "Accuracy 95 % CI": ["1.0 %" + SAME_ON_EVERY_SEED, "–"]})
    assert list(drop_constant_ci(constant).columns) == ["Accuracy 95 % CI"]


@pytest.mark.slow
def test_the_results_and_the_ranking_fit_the_page_at_1366_with_whole_cells(swept):
    summary, cfg = swept
    results = results_table(summary, [EVERY], cfg)
    ranking = ranking_table(answer_sweep(summary, "accuracy", 0.8, config=cfg), cfg)
    for table, formats, tips in ((results, results_formats(results), TABLE_HELP),
                                 (ranking, ranking_formats(ranking, "accuracy"), None)):
        config = fitted_config(table, formats, Column, tips)
        assert sum(c["width"] for c in config.values()) <= PAGE_AT_1366
        for column, settings in config.items():
            cells = [str(formats[column](v)) if column in formats else str(v)
                     for v in table[column]]
            assert other_column_width("", cells) <= settings["width"], column  # whole cells
            assert settings["help"]  # a cut header is whole in its tooltip
        labels = [c["label"] for c in config.values()]
        assert labels.count("95 % CI") == len(ci_columns(table))
