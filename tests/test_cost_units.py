"""Issue 11, point 7: ``train_cpu_s`` is process CPU seconds spent training, for every policy.

Fake learners make the unit observable: one whose training *sleeps* (wall time, no CPU) must
cost (almost) no CPU seconds, one whose training *burns* a known amount of CPU must be charged
that amount, whatever the policy. A race that interleaves a dear and a cheap contender must
charge each its own work only. And the Trade-off chart can put either cost on its x axis.
"""

from __future__ import annotations

import dataclasses
import json
import time

import numpy as np
import pytest

import lab.race.engine
from helpers import assert_clean, config, new_app
from lab import plots
from lab.data.stream import make_stream
from lab.learners import MODELS, Learner, learner_for, make_learner
from lab.policies.registry import POLICY_KINDS, make_policy
from lab.race.engine import run_race
from lab.race.metrics import summarise, timeline_frame
from lab.validate import parse_experiment
from ui import text

SLEEP_S = 0.002  # per incremental training call (learn_one, partial_fit) of a sleepy learner
FIT_SLEEP_S = 0.1  # per from-scratch fit of a sleepy scikit-learn-style learner
BURN_S = 0.001  # CPU per training call of the busy learners


def burn(seconds: float) -> float:
    """Spin until this process has used ``seconds`` of CPU; return the CPU actually used."""
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass
    return time.process_time() - start


class Work:
    """What a fake learner does in a training call: sleep (no CPU) or burn CPU (and count it)."""

    def __init__(self, kind: str):
        self.kind, self.burnt, self.slept = kind, 0.0, 0.0

    def __call__(self, sleep: float = SLEEP_S) -> None:
        if self.kind == "sleep":
            time.sleep(sleep)
            self.slept += sleep
        else:
            self.burnt += burn(BURN_S)


class RiverLike:
    """A river-style model: predicts the last label it learned."""

    def __init__(self, work: Work):
        self.work, self.last = work, None

    def predict_one(self, x):
        return self.last

    def learn_one(self, x, y, w=1.0):
        self.work()
        self.last = y


class SklearnLike:
    """A scikit-learn-style estimator: predicts the last label of its last fit."""

    def __init__(self, work: Work):
        self.work, self.last = work, 0

    def fit(self, X, y, sample_weight=None):
        self.work(FIT_SLEEP_S)
        self.last = int(y[-1])
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        self.work()
        self.last = int(y[-1])
        return self

    def predict(self, X):
        return np.full(len(X), self.last)


def fake_learner(library: str, work: Work, classes) -> Learner:
    base = MODELS["river.gaussian_nb" if library == "river" else "sk.sgd"]
    model = RiverLike if library == "river" else SklearnLike
    info = dataclasses.replace(base, name=f"fake.{library}", build=lambda p, s, k: model(work),
                               incremental=True, learn_many=False, sample_weight=True)
    return learner_for(info, {}, 0, np.asarray(classes))


# Every policy kind the registry knows, scaled down to this 400-sample stream: a setting a kind
# declares takes the small value here (so that retrains, alarms and batches happen), the rest
# their defaults. A new kind is covered without touching this file.
SMALL_SETTINGS = {"every": 100, "data": "window", "window": 50, "detector": "page_hinkley",
                  "size": 10}
POLICIES = {name: {"kind": name, **{k: v for k, v in SMALL_SETTINGS.items() if k in kind.fields}}
            for name, kind in POLICY_KINDS.items()}
CASES = [(kind, library) for kind in POLICIES for library in ("river", "sklearn")
         if not (kind == "hybrid" and library == "sklearn")]  # sk refits + partial_fit: same code


def race_one(kind: str, library: str, work: Work, n: int = 400, warmup: int = 100):
    """Warm up and run one policy with a fake learner over a small SEA stream."""
    exp = parse_experiment(config(n=n, warmup=warmup, contenders=[
        {"name": "X", "model": "sk.sgd", "policy": POLICIES[kind]}]))
    stream = make_stream(exp.stream, exp.seed)
    policy = make_policy(exp.contenders[0].policy, fake_learner(library, work, stream.classes),
                         stream, exp.evaluation, exp.seed)
    wall = time.perf_counter()
    policy.warm_up()
    policy.run(warmup, n)
    return policy, time.perf_counter() - wall


@pytest.mark.slow
@pytest.mark.parametrize("kind, library", CASES)
def test_time_asleep_in_training_is_not_cpu_time(kind, library):
    """Wall-clock timing (what online policies used to record) would charge the sleeps."""
    work = Work("sleep")
    policy, wall = race_one(kind, library, work)
    assert wall >= work.slept >= 0.05  # training slept at least 0.05 s
    assert policy.train_cpu_s < 0.4 * work.slept, (kind, library, policy.train_cpu_s, work.slept)


@pytest.mark.slow
@pytest.mark.parametrize("kind, library", CASES)
def test_cpu_burnt_in_training_is_charged(kind, library):
    work = Work("burn")
    policy, _ = race_one(kind, library, work)
    assert work.burnt > 0.001
    # the charge covers the burnt CPU (plus the fake's own few µs per call), not much more; the
    # oracle charges its chosen schedule's fits only, and reports every fit's CPU apart
    charged = policy.training_cpu_total if kind == "oracle" else policy.train_cpu_s
    assert 0.85 * work.burnt <= charged <= 1.3 * work.burnt + 0.01, (
        kind, library, charged, work.burnt)


@pytest.mark.slow
def test_interleaved_contenders_each_pay_for_their_own_work_only(monkeypatch):
    """A dear online learner (1 ms of CPU per sample) and a cheap one run piece by piece in the
    same process: the cheap one's CPU seconds must not include the dear one's work, and no
    second is charged twice (the charges add up to at most the race's own CPU time)."""
    work = Work("burn")

    def learner_for(name, params, seed, classes):
        if name == "river.gaussian_nb":
            return fake_learner("river", work, classes)
        return make_learner(name, params, seed, classes)

    monkeypatch.setattr(lab.race.engine, "make_learner", learner_for)
    exp = parse_experiment(config(n=1500, warmup=100, contenders=[
        {"name": "Dear", "model": "river.gaussian_nb", "policy": {"kind": "online"}},
        {"name": "Cheap", "model": "river.logistic_regression", "policy": {"kind": "online"}},
        {"name": "Frozen", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
    ]))
    stream = make_stream(exp.stream, exp.seed)
    start = time.process_time()
    # with should_stop, the engine cuts blocks into pieces: the contenders truly interleave
    result = run_race(exp, stream=stream, should_stop=lambda: False)
    race_cpu = time.process_time() - start
    cost = {c["name"]: c["train_cpu_s"] for c in summarise(result)["contenders"]}
    assert 0.85 * work.burnt <= cost["Dear"] <= 1.3 * work.burnt + 0.01
    assert cost["Cheap"] < 0.1 * cost["Dear"], cost
    assert sum(cost.values()) <= race_cpu + 1e-3, (cost, race_cpu)
    # scoring is not training: a frozen model's cost stops with its warm-up fit
    frozen = timeline_frame(result).query("contender == 'Frozen'")["train_cpu_s_cum"]
    assert frozen.nunique() == 1 and frozen.iloc[0] > 0


def test_online_river_cost_is_a_share_of_the_process_cpu_time():
    """A real river learner online: charged at most the CPU the policy's run took, and a fair
    part of it (learn_one is about two thirds of a Hoeffding tree's per-sample work; building
    the samples' dicts and predicting are the rest)."""
    exp = parse_experiment(config(n=3000, warmup=200))
    stream = make_stream(exp.stream, exp.seed)
    learner = make_learner("river.hoeffding_tree", {}, exp.seed, stream.classes)
    policy = make_policy(exp.contenders[0].policy, learner, stream, exp.evaluation, exp.seed)
    policy.warm_up()
    before, start = policy.train_cpu_s, time.process_time()
    policy.run(200, 3000)
    spent = time.process_time() - start
    charged = policy.train_cpu_s - before
    assert spent / 10 <= charged <= spent + 1e-6, (charged, spent)


# --------------------------------------------------------------------------------------------
# The Trade-off view: training samples or CPU seconds on the x axis
# --------------------------------------------------------------------------------------------
SUMMARY = {"contenders": [
    {"name": "A", "status": "ok", "accuracy": 0.8, "train_samples": 1000, "train_cpu_s": 0.5,
     "retrains": 0},
    {"name": "B", "status": "ok", "accuracy": 0.9, "train_samples": 50_000, "train_cpu_s": 0.02,
     "retrains": 3},
    {"name": "C", "status": "ok", "accuracy": 0.7, "train_samples": 200, "train_cpu_s": 0.0,
     "retrains": 0},
]}


def points(fig):
    return {tr.name: (tr.x[0], tr.y[0]) for tr in fig.data if tr.name != "Pareto front"}


def test_tradeoff_x_axis_is_samples_by_default_or_cpu_seconds_with_units():
    by_samples = plots.tradeoff_figure(SUMMARY)
    assert points(by_samples) == {"A": (1000, 0.8), "B": (50_000, 0.9), "C": (200, 0.7)}
    assert by_samples.layout.xaxis.title.text == "training samples processed (total, log scale)"
    by_cpu = plots.tradeoff_figure(SUMMARY, cost="train_cpu_s")
    # a cost of 0 CPU seconds sits at the axis floor (a log axis has no 0)
    assert points(by_cpu) == {"A": (0.5, 0.8), "B": (0.02, 0.9), "C": (1e-4, 0.7)}
    assert by_cpu.layout.xaxis.title.text == (
        "training CPU seconds (process CPU time, total, log scale)")
    # the Pareto front follows the chosen cost: by CPU seconds B dominates A
    front = next(tr for tr in by_cpu.data if tr.name == "Pareto front")
    assert list(front.x) == [1e-4, 0.02]
    front = next(tr for tr in by_samples.data if tr.name == "Pareto front")
    assert list(front.x) == [200, 1000, 50_000]
    with pytest.raises(ValueError, match="cost must be one of"):
        plots.tradeoff_figure(SUMMARY, cost="wall_s")


def test_app_texts_name_every_tradeoff_cost_and_say_what_cpu_seconds_are():
    assert set(text.TRADEOFF_COSTS) == set(plots.TRADEOFF_COSTS)
    glossary = dict(text.GLOSSARY)["Retrain cost"]
    assert "Training CPU seconds" in glossary and "not predicting" in glossary
    assert "Training samples processed" in glossary


@pytest.mark.slow
def test_app_tradeoff_tab_switches_the_cost_axis():
    at = new_app()
    at.button(key="run").click().run()
    at.session_state["result_tabs"] = "Trade-off"
    at.run()
    assert_clean(at)

    def x_title():
        specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        spec = next(s for s in specs if "training cost" in json.dumps(s["layout"].get("title")))
        return spec["layout"]["xaxis"]["title"]["text"]

    assert x_title().startswith("training samples processed")
    at.radio(key="tradeoff_cost").set_value("train_cpu_s").run()
    assert_clean(at)
    assert x_title().startswith("training CPU seconds")
