"""The race's numbers are the libraries' own, reproducible, and robust to failing contenders."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from river import linear_model, preprocessing, tree
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from helpers import config
from lab import parse_experiment, run_race, summarise
from lab.policies.kind import scheduled_retrains
from lab.race.engine import recording_points
from lab.race.metrics import timeline_frame
from lab.race.outputs import stream_csv


def _stream_from_csv(result):
    """Read the stream back exactly as ``--dump-stream`` writes it."""
    df = pd.read_csv(io.StringIO(stream_csv(result)))
    features = [c for c in df.columns if c not in ("y", "concept")]
    return df, features


def _bare_river_accuracy(model, df, features, warmup, delay=0):
    """A plain river loop: predict_one then learn_one; scoring from the warm-up on."""
    rows = df[features].to_dict("records")
    ys = df["y"].tolist()
    hits = 0
    for i, (x, y) in enumerate(zip(rows, ys)):
        if i >= warmup:
            hits += model.predict_one(x) == y
            j = i - delay
            if j >= warmup:
                model.learn_one(rows[j], ys[j])
        else:
            model.learn_one(x, y)
    return hits / (len(ys) - warmup)


@pytest.mark.parametrize("source,params,model_name,make", [
    ("sea", {"noise": 0.1}, "river.hoeffding_tree", lambda: tree.HoeffdingTreeClassifier()),
    ("sine", {}, "river.logistic_regression",
     lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression()),
    ("hyperplane", {"mag_change": 0.01}, "river.hoeffding_tree",
     lambda: tree.HoeffdingTreeClassifier()),
])
@pytest.mark.slow
def test_online_contender_equals_a_plain_river_loop(source, params, model_name, make):
    cfg = config(source, n=4000, params=params,
                 drifts=[{"at": 2000, "width": 500, "to": {}}] if source == "hyperplane" else [],
                 contenders=[{"name": "o", "model": model_name, "policy": {"kind": "online"}}])
    result = run_race(parse_experiment(cfg))
    df, features = _stream_from_csv(result)
    expected = _bare_river_accuracy(make(), df, features, warmup=500)
    assert summarise(result)["contenders"][0]["accuracy"] == pytest.approx(expected, abs=1e-12)


@pytest.mark.slow
def test_label_delay_matches_a_delayed_river_loop():
    cfg = config("sea", n=3000, label_delay=50,
                 contenders=[{"name": "o", "model": "river.gaussian_nb",
                              "policy": {"kind": "online"}}])
    result = run_race(parse_experiment(cfg))
    df, features = _stream_from_csv(result)
    from river import naive_bayes
    expected = _bare_river_accuracy(naive_bayes.GaussianNB(), df, features, 500, delay=50)
    assert summarise(result)["contenders"][0]["accuracy"] == pytest.approx(expected, abs=1e-12)
    # staleness of an online learner is 1 + label delay
    assert set(timeline_frame(result)["staleness"]) == {51}


@pytest.mark.parametrize("model_name,estimator", [
    ("sk.logistic_regression", lambda: LogisticRegression()),
    ("sk.decision_tree", lambda: DecisionTreeClassifier(random_state=5)),
])
@pytest.mark.slow
def test_frozen_contender_equals_a_scikit_learn_fit_on_the_warmup(model_name, estimator):
    cfg = config("agrawal", n=2500, drifts=[{"at": 1500, "to": {"classification_function": 3}}],
                 contenders=[{"name": "f", "model": model_name, "policy": {"kind": "frozen"}}])
    result = run_race(parse_experiment(cfg))
    df, features = _stream_from_csv(result)
    X, y = df[features].to_numpy(), df["y"].to_numpy()
    model = estimator().fit(X[:500], y[:500])
    expected = float((model.predict(X[500:]) == y[500:]).mean())
    assert summarise(result)["contenders"][0]["accuracy"] == pytest.approx(expected, abs=1e-12)


@pytest.mark.slow
def test_after_a_sudden_drift_frozen_collapses_and_retraining_recovers():
    cfg = config("blobs2d", n=12000, params={"separation": 2.5},
                 drifts=[{"at": 5000, "width": 0, "to": {"angle": 90}}],
                 window=500, warmup=1000,
                 contenders=[
                     {"name": "Frozen", "model": "sk.logistic_regression",
                      "policy": {"kind": "frozen"}},
                     {"name": "Window", "model": "sk.logistic_regression",
                      "policy": {"kind": "periodic", "every": 1000, "data": "window",
                                 "window": 1000}},
                     {"name": "Online", "model": "river.hoeffding_tree",
                      "policy": {"kind": "online"}},
                 ])
    summary = summarise(run_race(parse_experiment(cfg)))
    frozen, window, online = summary["contenders"]
    assert frozen["accuracy_by_segment"][1] < online["accuracy_by_segment"][1] - 0.2
    assert frozen["recovery"] == [None]
    assert window["recovery"][0] is not None and window["recovery"][0] < 3000
    # at 2,000, 3,000, ..., 11,000: none at 12,000, the stream's end, where no sample is left
    # to score (lab.policies.kind.scheduled_retrains counts the same)
    assert window["retrains"] == 10 == scheduled_retrains(12000, 1000, 1000)


@pytest.mark.slow
def test_same_config_same_bytes_except_cpu_seconds(tmp_path):
    from lab.race.outputs import write_outputs
    cfg = config("sea", n=3000, drifts=[{"at": 1500, "width": 400, "to": {"variant": 3}}],
                 label_delay=20, contenders=[
                     {"name": "a", "model": {"name": "sk.random_forest",
                                             "params": {"n_estimators": 10}},
                      "policy": {"kind": "periodic", "every": 700, "data": "decay"}},
                     {"name": "b", "model": {"name": "river.adaptive_random_forest",
                                             "params": {"n_models": 3}},
                      "policy": {"kind": "online", "retrain_latency": 5}},
                     {"name": "c", "model": "sk.hist_gradient_boosting",
                      "policy": {"kind": "triggered", "detector": "kswin", "retrain_latency": 30}},
                 ])
    for k in (1, 2):
        write_outputs(run_race(parse_experiment(cfg)), tmp_path / str(k), dump_stream=True)
    for name in ("events.csv", "stream.csv", "config.json"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
    t1, t2 = (pd.read_csv(tmp_path / k / "timeline.csv").drop(columns="train_cpu_s_cum")
              for k in "12")
    pd.testing.assert_frame_equal(t1, t2)
    import json
    s1, s2 = (json.loads((tmp_path / k / "summary.json").read_text()) for k in "12")
    for s in (s1, s2):
        for c in s["contenders"]:
            c.pop("train_cpu_s")
    assert s1 == s2


@pytest.mark.slow
def test_a_crashing_contender_is_reported_and_the_others_finish():
    from dataclasses import replace

    cfg = config("sea", n=2000, contenders=[
        {"name": "bad", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
        {"name": "good", "model": "river.gaussian_nb", "policy": {"kind": "online"}},
    ])
    exp = parse_experiment(cfg)
    # validate refuses C = -1 now, so the crash is injected past validation
    bad = replace(exp.contenders[0], model=replace(exp.contenders[0].model, params={"C": -1}))
    result = run_race(replace(exp, contenders=(bad, exp.contenders[1])))
    bad, good = summarise(result)["contenders"]
    assert bad["status"] == "failed" and "C" in bad["error"] and bad["accuracy"] is None
    assert good["status"] == "ok" and good["accuracy"] > 0.6
    assert set(timeline_frame(result)["contender"]) == {"good"}


def test_a_contender_failing_mid_run_keeps_its_rows_until_the_failure(monkeypatch):
    from lab.policies import incremental
    original = incremental.OnlinePolicy.run

    def explode(self, lo, hi):
        if lo >= 1500:
            raise RuntimeError("boom")
        return original(self, lo, hi)

    monkeypatch.setattr(incremental.OnlinePolicy, "run", explode)
    cfg = config("sea", n=3000, contenders=[
        {"name": "online", "model": "river.gaussian_nb", "policy": {"kind": "online"}},
        {"name": "frozen", "model": "sk.gaussian_nb", "policy": {"kind": "frozen"}},
    ])
    result = run_race(parse_experiment(cfg))
    timeline = timeline_frame(result)
    assert timeline[timeline.contender == "online"].t.max() == 1500
    assert timeline[timeline.contender == "frozen"].t.max() == 3000
    online = summarise(result)["contenders"][0]
    assert online["status"] == "failed" and online["error"] == "RuntimeError: boom"


def test_progress_is_reported_and_a_race_can_be_cancelled():
    seen = []
    cfg = config("sea", n=5000)
    result = run_race(parse_experiment(cfg), progress=lambda r: seen.append(r.n_done),
                      should_stop=lambda: len(seen) >= 3, progress_every=500)
    assert result.cancelled and seen[:3] == [1000, 1500, 2000]
    assert result.n_done == 2000
    assert timeline_frame(result)["t"].max() == 2000


def test_recording_points_and_timeline_shape():
    assert recording_points(1000, 100, 300) == [300, 600, 900, 1000]
    cfg = config("sea", n=2050, step=100)
    timeline = timeline_frame(run_race(parse_experiment(cfg)))
    assert timeline["t"].tolist() == list(range(600, 2001, 100)) + [2050]


@pytest.mark.parametrize("policy,model", [
    ({"kind": "minibatch", "size": 50}, "river.logistic_regression"),
    ({"kind": "minibatch", "size": 64, "retrain_latency": 100}, "sk.sgd"),
    ({"kind": "minibatch", "size": 30}, "river.hoeffding_tree"),
    ({"kind": "hybrid", "every": 600, "window": 800, "retrain_latency": 150},
     "river.hoeffding_tree"),
    ({"kind": "hybrid", "every": 700, "window": 800}, "sk.sgd"),
    ({"kind": "online"}, "sk.sgd"),
    ({"kind": "online"}, "river.knn"),
    ({"kind": "online"}, "river.hoeffding_adaptive_tree"),
    ({"kind": "periodic", "every": 500, "data": "all", "retrain_latency": 200},
     "sk.gaussian_nb"),
    ({"kind": "periodic", "every": 800, "data": "decay", "half_life": 300},
     "river.hoeffding_tree"),
    ({"kind": "triggered", "detector": "ddm"}, "sk.decision_tree"),
    ({"kind": "triggered", "detector": "page_hinkley", "min_gap": 0}, "river.gaussian_nb"),
    ({"kind": "triggered", "detector": "hddm_w"}, "sk.logistic_regression"),
    ({"kind": "triggered", "detector": "hddm_a"}, "sk.logistic_regression"),
    ({"kind": "triggered", "detector": "eddm"}, "sk.logistic_regression"),
])
@pytest.mark.slow
def test_every_policy_runs_and_keeps_its_bookkeeping_consistent(policy, model):
    cfg = config("sea", n=3000, drifts=[{"at": 1800, "to": {"variant": 3}}], label_delay=10,
                 contenders=[{"name": "c", "model": model, "policy": policy}])
    result = run_race(parse_experiment(cfg))
    [summary] = summarise(result)["contenders"]
    assert summary["status"] == "ok", summary["error"]
    assert 0.5 < summary["accuracy"] <= 1.0
    run = result.contenders[0]
    idx = np.arange(500, 3000)
    newest = run.trace.newest[500:3000]
    # a model never serves a sample whose label had not arrived (warm-up labels come first)
    assert np.all((newest <= idx - 1 - 10) | (newest == 499))
    assert newest.min() == 499
    timeline = timeline_frame(result)
    assert timeline["train_samples_cum"].is_monotonic_increasing
    assert timeline["retrains_cum"].iloc[-1] == summary["retrains"]


def test_periodic_retrain_sawtooth_and_latency():
    cfg = config("sea", n=3000, step=50, contenders=[
        {"name": "p", "model": "sk.gaussian_nb",
         "policy": {"kind": "periodic", "every": 1000, "window": 800, "retrain_latency": 100}}])
    result = run_race(parse_experiment(cfg))
    events = [(t, kind) for t, kind, _ in result.contenders[0].events]
    assert events == [(1500, "retrain_start"), (1600, "deploy"),
                      (2500, "retrain_start"), (2600, "deploy")]
    staleness = timeline_frame(result).set_index("t")["staleness"]
    assert staleness[1550] == 1050  # old model (newest sample 499) still serving
    assert staleness[1650] == 150  # new model learned up to sample 1499
    assert summarise(result)["contenders"][0]["train_samples"] == 500 + 800 + 800
