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
    assert first.startswith("**Before the first drift**: **A** and B tie at 89.4 %."), first


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
