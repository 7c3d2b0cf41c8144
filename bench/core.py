"""Benchmarks of the simulation core against bare river / scikit-learn loops on the same data.

Prints figures, not pass/fail. Run: ``python bench/core.py`` (about two minutes on 2 cores;
``--skip-memory`` skips the 1,000,000-sample run).

1. The lab's online loop against a bare river loop: a race of one online contender over 50,000
   SEA samples against a bare ``predict_one``/``learn_one`` loop over the same samples
   (pre-built dicts), in process CPU seconds (best of 5, interleaved, so that load from other
   processes on a shared machine hits neither side), for ``river.hoeffding_tree`` (~70 µs a
   sample) and ``river.logistic_regression`` (~12 µs, where the lab's fixed cost per sample
   weighs most). Goal <= 1.05. The lab turns numpy rows into dicts as it goes (~2.5 µs a
   sample); so does a river user's loop over ``river.stream.iter_array``, the second bare loop.
   Last, the pre-built-dicts loop timing every ``learn_one`` with ``time.process_time`` (what
   per-sample CPU timing of ``train_cpu_s`` would cost): the reason the lab reads the CPU clock
   once per stretch of its loop instead (``lab.policies``). And the bare loop with river's own
   class where the registry's class derives from it: ``lab.learners.river_trees`` does
   river's arithmetic in fewer Python calls (goal: well under 1).
2. Scoring a frozen scikit-learn model: samples per second of the lab's frozen contender over
   1,000,000 samples, next to one bare ``model.predict(X)`` call. Goal >= 1,000,000/s.
3. The ``default`` preset end to end (``python -m lab run``), seconds. Goal < 3 s.
4. Peak memory of a 1,000,000-sample race with six contenders (a child process's max RSS).
   Goal < 1 GiB.
"""

from __future__ import annotations

import argparse
import copy
import inspect
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lab import parse_experiment, run_race
from lab.data.stream import make_stream

ROOT = Path(__file__).resolve().parents[1]


def best_of(fn, repeat=3, clock=time.perf_counter):
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def online_overhead(model="river.hoeffding_tree", n=50_000, repeat=5):
    """Best process CPU seconds of the lab's race and of the three bare loops (``bare``: pre-built
    dicts, ``iter_array``: river's own conversion, ``timed``: pre-built dicts, process_time
    around every learn_one), run interleaved."""
    from lab.learners import make_learner

    cfg = {"seed": 1, "stream": {"source": "sea", "n_samples": n, "params": {"noise": 0.1}},
           "evaluation": {"warmup": 1, "window": 500, "step": 100},
           "contenders": [{"name": "M", "model": model, "policy": {"kind": "online"}}]}
    exp = parse_experiment(cfg)
    stream = make_stream(exp.stream, exp.seed)
    dicts = stream.dicts_uncached(0, n)
    ys = stream.y_list

    def new_model():  # the same river object, with the same parameters, as the lab builds
        return make_learner(model, {}, exp.seed, stream.classes).new()

    def bare(make_model=new_model):
        m = make_model()
        m.learn_one(dicts[0], ys[0])
        hits = 0
        for x, y in zip(dicts[1:], ys[1:]):
            hits += m.predict_one(x) == y
            m.learn_one(x, y)
        return hits

    def river_own_model():
        """The river class the registry's class derives from (river's own Hoeffding tree for
        ``lab.learners.river_trees``), with the same parameters."""
        m = new_model()
        river_class = next(c for c in type(m).__mro__ if c.__module__.startswith("river."))
        if river_class is type(m):
            return m
        # the parameters as river's own Base.clone resolves them (estimators as (class, params))
        return river_class(**{
            name: (getattr(m, name).clone(param[1])
                   if isinstance(param, tuple) and inspect.isclass(param[0]) else
                   copy.deepcopy(param))
            for name, param in m._get_params().items()})

    def bare_iter_array():
        from river import stream as river_stream

        rows = river_stream.iter_array(stream.X, stream.y_list, feature_names=stream.feature_names)
        x, y = next(rows)
        m = new_model()
        m.learn_one(x, y)
        hits = 0
        for x, y in rows:
            hits += m.predict_one(x) == y
            m.learn_one(x, y)
        return hits

    def bare_timed_per_sample():
        m = new_model()
        m.learn_one(dicts[0], ys[0])
        hits, spent, cpu = 0, 0.0, time.process_time
        for x, y in zip(dicts[1:], ys[1:]):
            hits += m.predict_one(x) == y
            t0 = cpu()
            m.learn_one(x, y)
            spent += cpu() - t0
        return hits

    def lab_run():
        run_race(exp, stream=stream)

    # Interleaved, best of `repeat` each, so a burst of load elsewhere hits all sides alike.
    sides = {"lab": lab_run, "bare": bare, "iter_array": bare_iter_array,
             "timed": bare_timed_per_sample, "river_own": lambda: bare(river_own_model)}
    best = dict.fromkeys(sides, float("inf"))
    for _ in range(repeat):
        for name, fn in sides.items():
            best[name] = min(best[name], best_of(fn, 1, time.process_time))
    return best


def frozen_scoring(n=1_000_000):
    from sklearn.linear_model import LogisticRegression

    cfg = {"seed": 1, "stream": {"source": "sea", "n_samples": n, "params": {"noise": 0.1}},
           "evaluation": {"warmup": 1000, "window": 500, "step": 100},
           "contenders": [{"name": "Frozen", "model": "sk.logistic_regression",
                           "policy": {"kind": "frozen"}}]}
    exp = parse_experiment(cfg)
    stream = make_stream(exp.stream, exp.seed)
    model = LogisticRegression().fit(stream.X[:1000], stream.y[:1000])
    t_bare = best_of(lambda: (model.predict(stream.X[1000:]) == stream.y[1000:]).mean())
    t_lab = best_of(lambda: run_race(exp, stream=stream), 2)
    return (n - 1000) / t_lab, (n - 1000) / t_bare


def default_preset_seconds():
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lab", "run", "--preset", "default", "--out", out,
                        "--quiet"], cwd=ROOT, check=True)
        total = time.perf_counter() - start
    from lab import load_preset

    exp = load_preset("default")
    race = best_of(lambda: run_race(exp), 2)
    return total, race


MEMORY_CHILD = """
import json, resource, sys, time
from lab import parse_experiment, run_race
from lab.race.metrics import summarise, timeline_frame
cfg = json.loads({cfg!r})
start = time.perf_counter()
result = run_race(parse_experiment(cfg))
rows = len(timeline_frame(result))
summary = summarise(result)
print(json.dumps({{"rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "rows": rows,
                  "seconds": time.perf_counter() - start,
                  "status": [c["status"] for c in summary["contenders"]]}}))
"""


def million_sample_memory():
    cfg = {"seed": 1,
           "stream": {"source": "sea", "n_samples": 1_000_000, "params": {"noise": 0.1},
                      "drifts": [{"at": 400_000, "width": 0, "to": {"variant": 2}},
                                 {"at": 700_000, "width": 50_000, "to": {"variant": 0}}]},
           "evaluation": {"warmup": 1000, "window": 1000, "step": 1000},
           "contenders": [
               {"name": "Frozen", "model": "sk.logistic_regression", "policy": {"kind": "frozen"}},
               {"name": "Periodic window", "model": "sk.logistic_regression",
                "policy": {"kind": "periodic", "every": 50_000, "data": "window",
                           "window": 20_000}},
               {"name": "Periodic decay", "model": "sk.gaussian_nb",
                "policy": {"kind": "periodic", "every": 100_000, "data": "decay",
                           "half_life": 20_000}},
               {"name": "Triggered", "model": "sk.decision_tree",
                "policy": {"kind": "triggered", "detector": "adwin", "window": 5000}},
               {"name": "Mini-batch SGD", "model": "sk.sgd",
                "policy": {"kind": "minibatch", "size": 500}},
               # river.gaussian_nb would cost 227 µs/sample in river itself (measured), so the
               # online contender here is river's logistic regression.
               {"name": "Online LR", "model": "river.logistic_regression",
                "policy": {"kind": "online"}},
           ]}
    code = MEMORY_CHILD.format(cfg=json.dumps(cfg))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    # the forest (10 trees, ~0.5 ms a sample) on fewer samples, to keep the bench short
    for model, n in (("river.hoeffding_tree", 50_000), ("river.logistic_regression", 50_000),
                     ("river.hoeffding_adaptive_tree", 20_000),
                     ("river.adaptive_random_forest", 10_000)):
        t = online_overhead(model, n=n, repeat=5 if n >= 50_000 else 3)
        print(f"1. online {model}, {n:,} samples, CPU seconds: lab {t['lab']:.2f} s, bare "
              f"river loop {t['bare']:.2f} s, ratio {t['lab'] / t['bare']:.3f} (goal <= 1.05); "
              f"over river.stream.iter_array {t['iter_array']:.2f} s, ratio "
              f"{t['lab'] / t['iter_array']:.3f}; bare loop with process_time around each "
              f"learn_one: {t['timed'] / t['bare']:.3f} x the bare loop; the bare loop with "
              f"river's own class {t['river_own']:.2f} s (the lab's class takes "
              f"{t['bare'] / t['river_own']:.2f} x its CPU)")
    lab_rate, bare_rate = frozen_scoring()
    print(f"2. frozen sk.logistic_regression scoring: lab {lab_rate:,.0f} samples/s (whole race), "
          f"one bare predict call {bare_rate:,.0f} samples/s, ratio {bare_rate / lab_rate:.2f} "
          f"(goal >= 1,000,000/s)")
    total, race = default_preset_seconds()
    print(f"3. default preset end to end (python -m lab run): {total:.2f} s; the race alone "
          f"{race:.2f} s (goal < 3 s)")
    if not args.skip_memory:
        mem = million_sample_memory()
        print(f"4. 1,000,000 samples, six contenders: peak RSS {mem['rss_kib'] / 1024:.0f} MiB, "
              f"{mem['rows']} timeline rows, {mem['seconds']:.1f} s, {mem['status']} "
              f"(goal < 1024 MiB)")


if __name__ == "__main__":
    main()
