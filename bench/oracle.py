"""What the oracle contender (``lab.policies.oracle``) costs on the default race.

Prints figures, not pass/fail. Run: ``python bench/oracle.py`` (about a minute on 2 cores).

The ``default`` preset (20,000 samples, warm-up 1,000, ``sk.logistic_regression``) with an
oracle contender ``{"kind": "oracle", "grid": 250, "data": "window", "window": 5000}``:
75 candidate retrains. Best of ``--repeat`` runs, interleaved so that load from other processes
on a shared machine hits every side alike, in wall seconds and process CPU seconds:

1. ``oracle``: the oracle contender alone, as the engine runs it: its warm-up (the warm-up fit
   and the planning: 75 fits, 76 models scored, the dynamic programme) and its replay of the
   scored stream. This is what adding it to a race costs. Goal <= 1 s.
2. ``periodic``: the preset's periodic contender (every 3,000 samples, window 5,000) alone, the
   same way: the price of an ordinary batch contender.
3. ``bare``: a bare scikit-learn loop doing the oracle's model work by hand: for each of the
   same candidates ``LogisticRegression(random_state=42).fit`` on the same window, then
   ``predict`` on the rest of the stream and the errors summed per stretch with
   ``np.add.reduceat``, BLAS limited to one thread as the oracle's planning is. The ratio
   oracle / bare is the lab's overhead on top of the unavoidable fits and predictions.
4. ``dp``: the dynamic programme alone on the 76 x 76 cost matrix.
5. ``race +oracle`` / ``race``: the default race end to end (``run_race``, as
   ``python -m lab run --preset default`` runs it, BLAS threads as the process has them) with
   and without the oracle contender.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from lab import parse_experiment, run_race
from lab.data.stream import make_stream
from lab.learners import make_learner
from lab.policies.oracle import candidate_points
from lab.policies.oracle_schedule import optimal_schedule
from lab.policies.registry import make_policy
from lab.presets import load_preset

ORACLE = {"name": "Best in hindsight", "model": "sk.logistic_regression",
          "policy": {"kind": "oracle", "grid": 250, "data": "window", "window": 5000}}


def experiments():
    """The default preset, and the same with the oracle contender added."""
    base = load_preset("default")
    config = base.to_dict()
    config["contenders"].append(ORACLE)
    return base, parse_experiment(config)


def contender_alone(exp, index: int, stream):
    """Run contender ``index`` of ``exp`` alone as the engine does; its policy."""
    spec = exp.contenders[index]
    learner = make_learner(spec.model.name, spec.model.params, exp.seed, stream.classes)
    policy = make_policy(spec.policy, learner, stream, exp.evaluation, exp.seed)
    policy.warm_up()
    policy.run(exp.evaluation.warmup, len(stream))
    return policy


def bare_loop(stream, warmup: int, grid: int, window: int):
    """The oracle's fits and scoring, by hand with scikit-learn and numpy; the cost matrix."""
    X, y, n = stream.X, stream.y, len(stream)
    points = candidate_points(n, warmup, grid, 0)
    deploys = np.concatenate(([warmup], points))
    spans = [(0, warmup)] + [(max(0, p - window), p) for p in points]
    errors = np.zeros((len(deploys), len(deploys)))
    with threadpool_limits(limits=1):
        for i, (lo, hi) in enumerate(spans):
            model = LogisticRegression(random_state=42).fit(X[lo:hi], y[lo:hi])
            wrong = (model.predict(X[deploys[i]:]) != y[deploys[i]:]).astype(np.float64)
            errors[i, i:] = np.add.reduceat(wrong, deploys[i:] - deploys[i])
    return errors


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    base, with_oracle = experiments()
    stream = make_stream(with_oracle.stream, with_oracle.seed)
    oracle_index, periodic_index = len(with_oracle.contenders) - 1, 1
    ev = with_oracle.evaluation

    sides = {
        "oracle": lambda: contender_alone(with_oracle, oracle_index, stream),
        "periodic": lambda: contender_alone(with_oracle, periodic_index, stream),
        "bare": lambda: bare_loop(stream, ev.warmup, 250, 5000),
        "race": lambda: run_race(base, stream=stream),
        "race +oracle": lambda: run_race(with_oracle, stream=stream),
    }
    best = {name: [np.inf, np.inf] for name in sides}
    values = {}
    for _ in range(args.repeat):
        for name, fn in sides.items():
            values[name], wall, cpu = timed(fn)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    oracle = values["oracle"]
    errors = values["bare"]
    switch = np.zeros(len(errors))
    dp = min(timed(lambda: optimal_schedule(errors, switch))[1] for _ in range(args.repeat))

    print(f"default race + oracle (grid 250): {oracle.plan.fits} candidate retrains, "
          f"{len(oracle.plan.chosen)} chosen; best of {args.repeat}, interleaved")
    print(f"{'':14s} {'wall s':>8s} {'CPU s':>8s}")
    for name in sides:
        print(f"{name:14s} {best[name][0]:8.3f} {best[name][1]:8.3f}")
    print(f"{'dp':14s} {dp:8.4f}")
    ow, oc = best["oracle"]
    for other in ("periodic", "bare"):
        print(f"oracle / {other}: {ow / best[other][0]:.2f} wall, {oc / best[other][1]:.2f} CPU")
    added = best["race +oracle"][0] - best["race"][0]
    print(f"the oracle adds {added:.3f} s (wall) to the default race end to end")
    same = np.array_equal(errors, oracle.plan.errors)
    print(f"bare loop's cost matrix equals the oracle's: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
