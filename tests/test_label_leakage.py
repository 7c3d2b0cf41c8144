"""No policy ever learns from a label that was not bought or has not arrived (issue 15, label
economics).

A spy model of each flavour (river: ``predict_one`` / ``learn_one`` / ``learn_many``;
scikit-learn: ``fit`` / ``partial_fit`` / ``predict``) records every sample it learns from and
the step at that moment: the newest sample predicted one at a time, or the end of the stretch
the policy last recorded in its trace (batch policies fit after recording the stretch that
ends on the retrain step). Every registered policy kind runs with the spy, under a share of
labels and random delays; each learned sample must be bought and its arrival at or before the
step. A drift detector spy checks the detector is fed no more outcomes than have arrived.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from river import naive_bayes
from sklearn.linear_model import SGDClassifier

from lab import parse_experiment
from lab.data.stream import make_stream
from lab.learners import MODELS, learner_for
from lab.policies import triggered
from lab.policies.label_plan import LabelPlan
from lab.policies.registry import POLICY_KINDS, make_policy, policy_spec
from lab.policies.trace import Trace

N, WARMUP = 1500, 300
LABELS = {"share": 0.4, "delay": "uniform", "delay_low": 0, "delay_high": 120}


class Clock:
    """The race's current step, as seen from inside the models."""

    def __init__(self, stream):
        self.now = -1
        self.index = {row.tobytes(): i for i, row in enumerate(stream.X)}
        self.learned: list[tuple[int, int]] = []  # (step, sample)
        self.calls: list[list[int]] = []  # the samples of each learning call

    def at(self, row) -> int:
        return self.index[np.asarray(row, dtype=np.float64).tobytes()]

    def learn(self, rows) -> None:
        samples = [self.at(row) for row in rows]
        self.calls.append(samples)
        self.learned += [(self.now, j) for j in samples]


class SpyRiver(naive_bayes.GaussianNB):
    clock: Clock = None

    def predict_one(self, x, **kw):
        self.clock.now = max(self.clock.now, self.clock.at(list(x.values())))
        return super().predict_one(x, **kw)

    def learn_one(self, x, y, w=1.0):
        self.clock.learn([list(x.values())])
        return super().learn_one(x, y)


class SpySk(SGDClassifier):
    clock: Clock = None

    def fit(self, X, y, **kw):
        self.clock.learn(X)
        return super().fit(X, y, **kw)

    def partial_fit(self, X, y, **kw):
        self.clock.learn(X)
        return super().partial_fit(X, y, **kw)

    def predict(self, X):
        if len(X) == 1:  # one row at a time: the online loop's current sample
            self.clock.now = max(self.clock.now, self.clock.at(X[0]))
        return super().predict(X)


def spy_info(flavour: str, clock: Clock):
    if flavour == "river":
        cls = type("Spy", (SpyRiver,), {"clock": clock})
        base = MODELS["river.gaussian_nb"]
        return dataclasses.replace(base, build=lambda p, s, k: cls(), learn_many=False,
                                   sample_weight=True)
    cls = type("Spy", (SpySk,), {"clock": clock})
    base = MODELS["sk.sgd"]
    return dataclasses.replace(base, build=lambda p, s, k: cls(loss="log_loss", random_state=s))


def experiment(labels=LABELS, **evaluation):
    return parse_experiment({
        "seed": 5, "stream": {"source": "sea", "n_samples": N,
                              "drifts": [{"at": 800, "to": {"variant": 2}}]},
        "evaluation": {"warmup": WARMUP, "step": 100, **evaluation,
                       **({"labels": labels} if labels else {})},
        "contenders": [{"name": "x", "model": "sk.logistic_regression",
                        "policy": {"kind": "frozen"}}]})


SETTINGS = {"periodic": {"every": 300, "data": "window", "window": 400},
            "triggered": {"window": 300, "min_gap": 100, "detector": "ddm"},
            "hybrid": {"every": 400, "window": 400}, "minibatch": {"size": 50},
            "oracle": {"grid": 200, "data": "decay", "half_life": 300},
            "online": {"retrain_latency": 7}}


def run_spied(kind: str, flavour: str, exp):
    stream = make_stream(exp.stream, exp.seed)
    clock = Clock(stream)
    learner = learner_for(spy_info(flavour, clock), {}, exp.seed, stream.classes)
    trace = Trace(stream.y)
    record = trace.record

    def recording(lo, hi, *args):  # a batch policy learns after recording up to its step
        record(lo, hi, *args)
        clock.now = max(clock.now, hi - 1)

    trace.record = recording
    policy = make_policy(policy_spec(kind, **SETTINGS.get(kind, {})), learner, stream,
                         exp.evaluation, exp.seed, trace)
    policy.warm_up()
    clock.learned = [(s, j) for s, j in clock.learned if s >= 0]  # the warm-up's, before step 0
    for lo in range(WARMUP, N, 100):
        policy.run(lo, min(N, lo + 100))
    return policy, clock


@pytest.mark.slow  # 14 races of 1,500 samples with a spy: ~15 s in all on a quiet machine
@pytest.mark.parametrize("flavour", ["river", "sklearn"])
@pytest.mark.parametrize("kind", sorted(POLICY_KINDS))
def test_no_policy_learns_a_label_not_bought_or_not_arrived(kind, flavour):
    exp = experiment()
    policy, clock = run_spied(kind, flavour, exp)
    plan = LabelPlan.of(exp.evaluation, N, exp.seed)
    steps = np.array([s for s, _ in clock.learned], dtype=np.int64)
    samples = np.array([j for _, j in clock.learned], dtype=np.int64)
    if kind == "oracle":
        # it plans in hindsight at the warm-up (it sees future errors by design), but each
        # candidate fit (the calls after the warm-up fit, one per kept point) may use only the
        # labels received by its own retrain step
        assert policy.plan.fits == len(policy.plan.points) > 0
        if flavour == "sklearn":  # one fit call per candidate (river learns one by one)
            fits = clock.calls[1:1 + policy.plan.fits]
            for rows, point in zip(fits, policy.plan.points.tolist()):
                assert plan.bought[rows].all() and (plan.arrival[rows] <= point - 1).all()
    if kind not in ("frozen", "oracle"):  # (the oracle may well choose no retrain)
        assert len(samples), "the spy saw no learning: the test would prove nothing"
    assert plan.bought[samples].all(), "learned a label that was not bought"
    late = samples[plan.arrival[samples] > steps]
    assert late.size == 0, f"learned samples {late[:5]} before their labels arrived"


def test_the_spy_catches_a_policy_that_peeks():
    """The same check fails for a periodic retrain that ignores the plan (all labels, now)."""
    exp = experiment()
    policy, clock = run_spied("periodic", "sklearn", experiment(labels=None))
    plan = LabelPlan.of(exp.evaluation, N, exp.seed)
    samples = np.array([j for _, j in clock.learned], dtype=np.int64)
    assert not plan.bought[samples].all()


def test_the_detector_reads_only_arrived_bought_outcomes(monkeypatch):
    fed: list[int] = []
    real = triggered.detector_factory

    def spy_factory(name):
        cls = real(name)

        class Spy(cls):
            def update(self, x):
                fed.append(clock_now[0])
                return super().update(x)

        return Spy

    clock_now = [0]
    monkeypatch.setattr(triggered, "detector_factory", spy_factory)
    exp = experiment()
    stream = make_stream(exp.stream, exp.seed)
    learner = learner_for(MODELS["sk.logistic_regression"], {}, exp.seed, stream.classes)
    policy = make_policy(policy_spec("triggered", **SETTINGS["triggered"]), learner, stream,
                         exp.evaluation, exp.seed)
    policy.warm_up()
    plan = LabelPlan.of(exp.evaluation, N, exp.seed)
    for lo in range(WARMUP, N, 100):
        clock_now[0] = min(N, lo + 100) - 1
        policy.run(lo, min(N, lo + 100))
        arrived = int(np.count_nonzero(plan.arrival[WARMUP:] <= clock_now[0]))
        assert len(fed) <= arrived
    assert 0 < len(fed) < N - WARMUP
