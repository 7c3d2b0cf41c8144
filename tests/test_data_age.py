"""Issue 11, point 9: data age, the mean age in samples of the data the deployed model was
trained on, next to staleness (the age of its newest sample).

At sample i: ``data_age = i - mean index of the training data``; a fit on rows [lo, hi) has
mean index (lo + hi - 1) / 2 (sample-weighted for a decayed fit), an incrementally updated
model every sample from its first to its newest. The timeline reads it at sample t - 1, like
staleness. Each expected value below is worked out by hand from the policy's schedule.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from helpers import assert_clean, config, new_app
from lab import plots
from lab.policies.base import mean_index
from lab.race.engine import run_race
from lab.race.metrics import events_frame, summarise, timeline_frame
from lab.validate import parse_experiment
from ui import text


def race(policy: dict, model: str = "sk.gaussian_nb", n: int = 1000, warmup: int = 500,
         step: int = 100, source: str = "sea", params=None, drifts=None, **evaluation):
    exp = parse_experiment(config(source=source, n=n, params=params, warmup=warmup, step=step,
                                  drifts=drifts, contenders=[
        {"name": "X", "model": model, "policy": policy}], **evaluation))
    result = run_race(exp)
    (summary,) = summarise(result)["contenders"]
    assert summary["status"] == "ok", summary["error"]
    timeline = timeline_frame(result).set_index("t")
    return result, timeline, summary


# --------------------------------------------------------------------------------------------
# The formula
# --------------------------------------------------------------------------------------------
def test_mean_index_of_training_rows_by_hand():
    assert mean_index(100, 200) == 149.5  # rows 100..199
    assert mean_index(0, 1) == 0.0
    # decayed weights 1/4, 1/2, 1 on rows 0, 1, 2: (0/4 + 1/2 + 2) / (7/4) = 10/7
    assert mean_index(0, 3, np.array([0.25, 0.5, 1.0])) == pytest.approx(10 / 7, abs=1e-15)
    # a learner keeping only its last 10 rows: rows 190..199
    assert mean_index(100, 200, memory=10) == 194.5
    # ... and only the last weights with them
    assert mean_index(0, 3, np.array([0.25, 0.5, 1.0]), memory=2) == pytest.approx(5 / 3)
    assert np.isnan(mean_index(5, 5))


def test_frozen_model_data_age_by_hand():
    """Trained on rows 0..499 (mean index 249.5): data age at sample i is i - 249.5."""
    _, timeline, summary = race({"kind": "frozen"})
    assert timeline.loc[600, "data_age"] == 599 - 249.5
    assert timeline.loc[1000, "data_age"] == 999 - 249.5
    assert timeline.loc[1000, "staleness"] == 999 - 499
    # mean over samples 500..999 of (i - 249.5) = 749.5 - 249.5
    assert summary["data_age_mean"] == 500.0


# --------------------------------------------------------------------------------------------
# One test per policy family
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("data, params, expected_mean", [
    ("window", {"window": 200}, 699.5),  # rows 600..799
    ("all", {}, 399.5),  # rows 0..799
    # rows 0..799 with weight 0.5 ** ((799 - j) / 100)
    ("decay", {"half_life": 100},
     float(np.average(np.arange(800), weights=0.5 ** ((799 - np.arange(800)) / 100)))),
])
def test_periodic_retrain_data_age(data, params, expected_mean):
    """Retrain at step 799 ((799 + 1 - 500) % 300 == 0) on data up to sample 799, serving from
    sample 800; before it, the warm-up model (mean index 249.5)."""
    _, timeline, summary = race({"kind": "periodic", "every": 300, "data": data, **params})
    assert timeline.loc[800, "data_age"] == 799 - 249.5
    assert timeline.loc[1000, "data_age"] == pytest.approx(999 - expected_mean, abs=1e-9)
    assert timeline.loc[1000, "staleness"] == 200
    ages = np.r_[np.arange(500, 800) - 249.5, np.arange(800, 1000) - expected_mean]
    assert summary["data_age_mean"] == pytest.approx(ages.mean(), abs=1e-9)


def test_periodic_window_with_label_delay_and_latency():
    """Delay 50: the retrain at step 799 has labels of samples ..749, so it fits rows 550..749
    (mean 649.5); latency 20: it serves from sample 820."""
    _, timeline, _ = race({"kind": "periodic", "every": 300, "data": "window", "window": 200,
                           "retrain_latency": 20}, step=10, label_delay=50)
    assert timeline.loc[820, "data_age"] == 819 - 249.5  # old model still serving sample 819
    assert timeline.loc[830, "data_age"] == 829 - 649.5
    assert timeline.loc[1000, "data_age"] == 999 - 649.5
    assert timeline.loc[1000, "staleness"] == 999 - 749


def test_triggered_retrains_data_age_follows_the_deployed_fits():
    """Expected values from the events alone: each deployed model's rows are named in its
    deploy event ("model trained on samples lo..hi-1 deployed")."""
    drifts = [{"at": 1500, "width": 0, "to": {"angle": 90}}]
    result, timeline, _ = race({"kind": "triggered", "detector": "adwin", "window": 300},
                               model="sk.logistic_regression", n=4000, source="blobs2d",
                               params={"separation": 2.5}, drifts=drifts)
    deploys = events_frame(result).query("kind == 'deploy'")
    assert len(deploys) >= 2  # the alarm's retrain and its follow-up
    served = [(0, 249.5)]
    for t, detail in zip(deploys["t"], deploys["detail"]):
        lo, last = map(int, re.search(r"samples (\d+)\.\.(\d+)", detail).groups())
        assert last - lo + 1 == 300
        served.append((t, (lo + last) / 2))
    for t, row in timeline.iterrows():
        mean = [m for start, m in served if start <= t - 1][-1]
        assert row["data_age"] == (t - 1) - mean, t
    assert (timeline["data_age"] >= timeline["staleness"]).all()


def test_minibatch_model_has_learned_everything_up_to_its_newest_sample():
    """Batches of 100 after the warm-up; sample 999 is predicted by the model updated with
    rows ..899 (the batch of 900..999 serves from 1000): rows 0..899, mean 449.5."""
    _, timeline, _ = race({"kind": "minibatch", "size": 100}, model="sk.sgd")
    assert timeline.loc[1000, "staleness"] == 100
    assert timeline.loc[1000, "data_age"] == 999 - 449.5
    newest = (timeline.index - 1) - timeline["staleness"]
    assert np.allclose(timeline["data_age"], (timeline.index - 1) - newest / 2)


@pytest.mark.parametrize("delay", [0, 9])
def test_online_learner_is_fresh_but_its_data_ages(delay):
    """Sample i is predicted by a model that learned rows 0..i-1-delay: data age
    i - (i - 1 - delay) / 2, while staleness stays at delay + 1."""
    _, timeline, summary = race({"kind": "online"}, model="river.logistic_regression",
                                n=1500, label_delay=delay)
    i = np.arange(500, 1500)
    expected = i - np.maximum(i - 1 - delay, 499) / 2
    assert timeline.loc[1000, "data_age"] == 999 - (998 - delay) / 2
    assert timeline.loc[1500, "data_age"] == 1499 - (1498 - delay) / 2
    assert set(timeline["staleness"][timeline.index > 500 + delay + 1]) == {delay + 1}
    assert summary["data_age_mean"] == pytest.approx(expected.mean(), abs=1e-9)
    assert summary["data_age_mean"] > 40 * summary["mean_staleness"]


@pytest.mark.slow
def test_a_learner_that_forgets_by_design_counts_only_what_it_keeps():
    """river.knn searches its last 1,000 samples only: once it has learned more, its data age
    is its staleness plus 499.5 (the mean age of a 1,000-sample window), not half the stream."""
    _, timeline, _ = race({"kind": "online"}, model="river.knn", n=3000, step=500)
    assert timeline.loc[1000, "data_age"] == 999 - 998 / 2  # rows 0..998: all kept
    assert timeline.loc[3000, "data_age"] == 2999 - (1999 + 2998) / 2  # rows 1999..2998
    assert timeline.loc[3000, "staleness"] == 1


@pytest.mark.parametrize("latency", [0, 50])
def test_hybrid_model_data_is_its_refit_window_plus_what_it_learned_since(latency):
    """Refit at boundary 800 on rows 600..799 (window 200); it serves from 800 + latency after
    catching up online, then keeps learning: at sample i it knows rows 600..i-1. Before, the
    online model knows rows 0..i-1."""
    _, timeline, _ = race({"kind": "hybrid", "every": 300, "window": 200,
                           "retrain_latency": latency}, model="river.logistic_regression",
                          step=50)
    assert timeline.loc[800, "data_age"] == 799 - 798 / 2
    if latency:
        assert timeline.loc[850, "data_age"] == 849 - 848 / 2  # still the online model
    assert timeline.loc[900, "data_age"] == 899 - (600 + 898) / 2
    assert timeline.loc[1000, "data_age"] == 999 - (600 + 998) / 2
    assert set(timeline["staleness"]) == {1}


# --------------------------------------------------------------------------------------------
# The Staleness chart, the texts
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def two_contenders():
    exp = parse_experiment(config(n=3000, step=100, drifts=[{"at": 1500, "width": 0,
                                                             "to": {"variant": 2}}],
                                  contenders=[
        {"name": "Frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
        {"name": "Online", "model": "river.logistic_regression", "policy": {"kind": "online"}},
    ]))
    result = run_race(exp)
    return timeline_frame(result), events_frame(result), summarise(result)["drifts"]


def test_staleness_chart_has_a_data_age_panel(two_contenders):
    timeline, events, drifts = two_contenders
    fig = plots.staleness_figure(timeline, events, drifts)
    assert fig.layout.title.text == "Model age (staleness) and data age over the stream"
    assert fig.layout.yaxis.title.text == "model age (samples)"
    assert fig.layout.yaxis2.title.text == "data age (samples)"
    assert fig.layout.xaxis2.title.text == "samples seen" and fig.layout.xaxis.matches == "x2"
    lines = {(tr.name, tr.yaxis): tr for tr in fig.data if tr.mode == "lines"}
    online = timeline.query("contender == 'Online'")
    assert list(lines["Online", "y2"].y) == online["data_age"].tolist()
    assert list(lines["Online", "y"].y) == online["staleness"].tolist()
    # one legend entry per contender (top panel), the same colour in both panels
    assert (lines["Online", "y"].showlegend is not False
            and lines["Online", "y2"].showlegend is False)
    assert lines["Online", "y"].line.color == lines["Online", "y2"].line.color
    assert [s.xref for s in fig.layout.shapes if s.type == "line"] == ["x", "x2"]  # the drift
    assert any(tr.name == "drift" for tr in fig.data)
    log = plots.staleness_figure(timeline, events, drifts, log_y=True)
    assert log.layout.yaxis2.type == "log"
    assert log.layout.yaxis2.title.text == "data age (samples)"
    assert log.layout.title.text == "Model age (staleness) and data age, log scales"


def test_staleness_chart_of_an_older_timeline_without_data_age(two_contenders):
    timeline, events, drifts = two_contenders
    fig = plots.staleness_figure(timeline.drop(columns="data_age"), events, drifts)
    assert fig.layout.title.text == "Model age (staleness) over the stream"
    assert {tr.yaxis for tr in fig.data} <= {None, "y"}  # one panel
    assert [tr.name for tr in fig.data if tr.mode == "lines"] == ["Frozen", "Online", "drift"]


def test_glossary_and_caption_explain_data_age():
    glossary = dict(text.GLOSSARY)
    assert "Data age" in glossary and "half the stream" in glossary["Data age"]
    assert "Data age" in text.CAPTIONS["staleness"]


@pytest.mark.slow
def test_app_staleness_tab_draws_data_age():
    at = new_app()
    at.button(key="run").click().run()
    at.session_state["result_tabs"] = "Staleness"
    at.run()
    assert_clean(at)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    spec = next(s for s in specs if "data age" in json.dumps(s["layout"].get("title")))
    assert spec["layout"]["yaxis2"]["title"]["text"] == "data age (samples)"
