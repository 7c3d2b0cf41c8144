"""Issue 12: learners come in a scikit-learn and a river flavour behind one interface (no
``is_river`` flag), the engine owns each contender's per-sample trace, and every policy queues
its model changes in one shape (``PendingDeploy``).

The traces are checked against bare library loops written here, sample by sample: the
predictions, whether each was right, and the newest sample the serving model had learned.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from river import naive_bayes
from river import stream as river_stream
from sklearn.linear_model import LogisticRegression, SGDClassifier

from helpers import config
from lab.data.stream import make_stream
from lab.learners import (
    MODELS,
    Learner,
    RiverLearner,
    SklearnLearner,
    learner_for,
    make_learner,
)
from lab.policies.base import NO_PREDICTION, PendingDeploy
from lab.policies.registry import make_policy
from lab.race.engine import run_race
from lab.validate import parse_experiment

LAB = Path(__file__).resolve().parents[1] / "lab"
N, WARMUP = 700, 100


def test_each_registry_model_gets_its_library_s_flavour():
    flavours = {name: type(make_learner(name, {}, 0, [0, 1])) for name in MODELS}
    assert {n for n, f in flavours.items() if f is SklearnLearner} == {
        n for n in MODELS if n.startswith("sk.")}
    assert {n for n, f in flavours.items() if f is RiverLearner} == {
        n for n in MODELS if n.startswith(("river.", "baseline."))}
    assert all(issubclass(f, Learner) for f in flavours.values())


def test_the_interface_cannot_be_instantiated_nor_half_implemented():
    info = MODELS["sk.gaussian_nb"]
    with pytest.raises(TypeError, match="abstract"):
        Learner(info, {}, 0, np.array([0, 1]))

    class NoLoop(Learner):  # the interface with one method, not all
        prediction_chunk = 0

        def fit(self, stream, lo, hi, weights=None):
            return None

    with pytest.raises(TypeError, match="prequential"):
        NoLoop(info, {}, 0, np.array([0, 1]))
    # a stand-in model description picks its flavour by its library, like a registry entry
    assert type(learner_for(MODELS["baseline.majority"], {}, 0, [0, 1])) is RiverLearner


def test_no_is_river_flag_is_left_in_lab():
    """Not as a name, an attribute, nor in a comment or docstring."""
    hits = [str(path.relative_to(LAB.parent)) for path in LAB.rglob("*.py")
            if "is_river" in path.read_text()]
    assert hits == []


def race(model: str, policy: dict, label_delay: int = 0, n: int = N):
    exp = parse_experiment(config(n=n, warmup=WARMUP, label_delay=label_delay, step=100,
                                  contenders=[{"name": "c", "model": model, "policy": policy}]))
    result = run_race(exp)
    run = result.contenders[0]
    assert run.status == "ok", run.error
    assert run.policy.trace is run.trace  # the engine's trace is the one the policy wrote
    return result.stream, run.trace, exp.seed


def expected_newest(lag: int, n: int = N) -> np.ndarray:
    return np.maximum(np.arange(WARMUP, n) - 1 - lag, WARMUP - 1)


@pytest.mark.parametrize("delay", [0, 3])
def test_online_river_trace_equals_a_bare_river_loop(delay):
    stream, trace, _ = race("river.gaussian_nb", {"kind": "online"}, delay)
    rows = list(river_stream.iter_array(stream.X, stream.y.tolist(),
                                        feature_names=stream.feature_names))
    model = naive_bayes.GaussianNB()
    for x, y in rows[:WARMUP]:
        model.learn_one(x, y)
    predicted = []
    for i in range(WARMUP, N):
        predicted.append(model.predict_one(rows[i][0]))
        j = i - delay
        if j >= WARMUP:
            model.learn_one(*rows[j])
    predicted = np.array([NO_PREDICTION if p is None else p for p in predicted])
    assert trace.predicted[WARMUP:].tolist() == predicted.tolist()
    assert trace.correct[WARMUP:].tolist() == (predicted == stream.y[WARMUP:]).tolist()
    assert trace.newest[WARMUP:].tolist() == expected_newest(delay).tolist()
    assert 0.6 < trace.correct[WARMUP:].mean() < 1  # a real learner, not a constant


@pytest.mark.parametrize("delay", [0, 3])
def test_online_sklearn_trace_equals_a_bare_partial_fit_loop(delay):
    n = 250  # a partial_fit and a predict call per sample cost ~0.2 ms each: keep it short
    stream, trace, seed = race("sk.sgd", {"kind": "online"}, delay, n)
    X, y, classes = stream.X, stream.y, stream.classes
    model = SGDClassifier(random_state=seed).partial_fit(X[:WARMUP], y[:WARMUP], classes=classes)
    predicted = []
    for i in range(WARMUP, n):
        predicted.append(model.predict(X[i:i + 1])[0])
        j = i - delay
        if j >= WARMUP:
            model.partial_fit(X[j:j + 1], y[j:j + 1], classes=classes)
    assert trace.predicted[WARMUP:].tolist() == predicted
    assert trace.correct[WARMUP:].tolist() == (np.array(predicted) == y[WARMUP:]).tolist()
    assert trace.newest[WARMUP:].tolist() == expected_newest(delay, n).tolist()


def test_frozen_sklearn_trace_equals_one_fit_and_predict():
    stream, trace, seed = race("sk.logistic_regression", {"kind": "frozen"})
    model = LogisticRegression(random_state=seed).fit(stream.X[:WARMUP], stream.y[:WARMUP])
    predicted = model.predict(stream.X[WARMUP:])
    assert trace.predicted[WARMUP:].tolist() == predicted.tolist()
    assert trace.correct[WARMUP:].tolist() == (predicted == stream.y[WARMUP:]).tolist()
    assert set(trace.newest[WARMUP:].tolist()) == {WARMUP - 1}
    # nothing before the warm-up's end is scored
    assert set(trace.predicted[:WARMUP].tolist()) == {NO_PREDICTION}


@pytest.mark.parametrize("model, policy, newest", [
    # retrain after the label of sample 199, deployed 150 samples later: newest 99, then 199
    ("sk.decision_tree", {"kind": "periodic", "every": 100, "retrain_latency": 150}, (99, 199)),
    # the first mini-batch, samples 100..149, is learned by the model serving from 300 on
    ("river.gaussian_nb", {"kind": "minibatch", "size": 50, "retrain_latency": 150}, (99, 149)),
    # a hybrid's refit is deployed at 350 after its catch-up: as fresh as the online model
    ("river.gaussian_nb", {"kind": "hybrid", "every": 100, "window": 100,
                           "retrain_latency": 150}, (348, 349)),
])
def test_every_policy_queues_its_model_changes_in_one_shape(model, policy, newest):
    exp = parse_experiment(config(n=N, warmup=WARMUP, contenders=[
        {"name": "c", "model": model, "policy": policy}]))
    stream = make_stream(exp.stream, exp.seed)
    learner = make_learner(model, {}, exp.seed, stream.classes)
    contender = make_policy(exp.contenders[0].policy, learner, stream, exp.evaluation, exp.seed)
    contender.warm_up()
    contender.run(WARMUP, 250)  # the first change starts at sample 150 or 200, serves 150 later
    assert len(contender.pending) >= 1
    assert all(type(change) is PendingDeploy for change in contender.pending)
    contender.run(250, N)
    first = 350 if policy["kind"] != "minibatch" else 300
    assert tuple(contender.trace.newest[first - 1:first + 1].tolist()) == newest
    if policy["kind"] != "minibatch":  # a new model's deployment is logged; an update is not
        assert (first, "deploy") in [(t, kind) for t, kind, _ in contender.events]
