"""Which Summary columns get a "best" highlight (issue 13, walk-through): a highlight says
"better", so a count that is neither better nor worse gets none. Online's "Retrains 0" was
marked best though it learns every sample; model age (staleness, data age) says how a policy
works, not how well. "Trained samples", a cost, keeps its highlight and reads against the stream
("30,000 (1.5× stream)"): 30,000 for periodic retraining on a 20,000-sample stream puzzled."""

from __future__ import annotations

import pytest

from lab.race.report import overall_frame, samples_seen, times_stream
from ui import tables

# warm-up 1,000 and 19,000 scored samples: the race went through 20,000
ROWS = (("Frozen", 0.75, 0, 1000, 9500.0, 9500, 10000.0),
        ("Periodic", 0.78, 6, 30000, 1600.0, 3000, 2500.0),
        ("Online", 0.87, 0, 20000, 1.0, 1, 10000.0))


def summary(n_scored=19000) -> dict:
    contenders = [{"name": name, "status": "ok", "error": None, "accuracy": acc,
                   "retrains": retrains, "train_samples": trained, "train_cpu_s": 0.1,
                   "mean_staleness": stale, "max_staleness": max_stale,
                   "data_age_mean": age}
                  for name, acc, retrains, trained, stale, max_stale, age in ROWS]
    return {"drifts": [], "contenders": contenders, "n_scored": n_scored,
            "config": {"evaluation": {"warmup": 1000}, "stream": {"n_samples": 20000}}}


def test_counts_that_are_neither_better_nor_worse_are_never_highlighted():
    s = summary()
    overall, costs = tables.overall_table(s), tables.cost_table(s)
    # Online and Frozen share the fewest retrains (0), Online the lowest staleness (1) and
    # Periodic the youngest data: none of them is "best" at it
    best = {**tables.best_rows(overall, s), **tables.best_rows(costs, s)}
    for column in ("Retrains", "Mean staleness", "Max staleness", "Mean data age"):
        assert column not in best, column
        assert tables.COLUMNS[column].better is None
        assert "Not highlighted" in tables.COLUMNS[column].help or column == "Max staleness"
    # outcomes keep theirs: the accuracy, and the training cost (fewest samples best)
    assert best["Accuracy"] == ["contender:2"] and best["Trained samples"] == ["contender:0"]


def test_trained_samples_read_against_the_stream():
    s = summary()
    assert samples_seen(s) == 1000 + 19000
    overall = tables.overall_table(s)
    assert overall["Trained samples"].dtype == "float64"  # a number: it sorts as one
    seen = overall.attrs[tables.SEEN]
    shown = [tables.format_cell("Trained samples", v, seen) for v in overall["Trained samples"]]
    # 1,000 / 20,000 = 0.05; 30,000 / 20,000 = 1.5; 20,000 / 20,000 = 1
    assert shown == ["1,000 (0.05× stream)", "30,000 (1.5× stream)", "20,000 (1× stream)"]
    html = tables.styled(overall, s).to_html()
    assert all(text in html for text in shown)
    # the HTML report writes the same
    assert overall_frame(s)["Trained samples"].tolist() == shown
    # a race stopped after 9,000 scored samples went through 10,000: 30,000 is 3×
    stopped = summary(n_scored=9000)
    assert tables.format_cell("Trained samples", 30000.0,
                              tables.overall_table(stopped).attrs[tables.SEEN]) == (
        "30,000 (3× stream)")
    # nothing scored: the count alone
    assert overall_frame(summary(n_scored=0))["Trained samples"].tolist() == [
        "1,000", "30,000", "20,000"]


@pytest.mark.parametrize("trained, seen, text", [
    (30000, 20000, "1.5× stream"), (1000, 20000, "0.05× stream"), (20000, 20000, "1× stream"),
    (5000, 20000, "0.25× stream"), (260000, 20000, "13× stream"), (198000, 20000, "9.9× stream"),
    (202000, 20000, "10× stream"), (1000, 3000, "0.33× stream")])
def test_times_the_stream_by_hand(trained, seen, text):
    # two significant digits, whole from 10 on (202,000 / 20,000 = 10.1: 10)
    assert times_stream(trained, seen) == text
