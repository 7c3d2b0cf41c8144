"""Benchmark of ``lab.sweep``: parallel speed-up on this machine, and the same sweep on Dask.

Prints figures, not pass/fail. Run: ``python bench/sweep.py`` (about a minute and a half on 2
idle cores).

The sweep: the ``default`` preset (20,000 SEA samples, two drifts, four contenders) with the
periodic contender's ``every`` at 1000, 2000, 4000 and 8000, two seeds each: 8 tasks of about
1.5 s.

1. One worker (the tasks run one after the other in this process) against two worker processes
   (joblib / loky), alternating, best of ``--rounds``. Goal: speed-up >= 1.7x on 2 cores.
   Starting the two workers costs a few seconds of imports (numpy, pandas, scikit-learn,
   river), paid once per pool (loky keeps it for 5 idle minutes, so the app and repeated sweeps
   pay it once): the rounds run on a started pool; the cold figure includes the start.
2. The same sweep on a ``distributed.LocalCluster`` (2 worker processes, 1 thread each):
   seconds, and whether every figure but the measured ``train_cpu_s`` equals the local run's.

The machine may be shared: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from lab.presets import load_preset
from lab.sweep.executors import run_sweep
from lab.sweep.plan import plan_sweep
from lab.sweep.stats import FIGURES

ROOT = Path(__file__).resolve().parents[1]

VARY = {"contenders[1].policy.every": [1000, 2000, 4000, 8000]}
SEEDS = 2


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def same_numbers(a, b) -> bool:
    """Every figure but train_cpu_s equal (NaN == NaN), rows in the same order."""
    cols = [c for c in a.columns if c not in ("train_cpu_s", "error")]
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    x, y = a[cols].reset_index(drop=True), b[cols].reset_index(drop=True)
    return bool(((x == y) | (x.isna() & y.isna())).all().all())


def main():
    import logging

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternating 1-worker / 2-worker rounds; best of each is reported")
    args = parser.parse_args()

    plan = plan_sweep(load_preset("default"), VARY, SEEDS)
    print(f"sweep: default preset, {len(plan.settings)} settings x {SEEDS} seeds = "
          f"{plan.n_runs} tasks; estimate {plan.estimate_seconds(jobs=1):.1f} s on one worker, "
          f"{plan.estimate_seconds(jobs=2):.1f} s on two; {os.cpu_count()} CPUs; {load()}")

    def run(**kw):
        seconds, df = timed(lambda: run_sweep(plan, **kw))
        busy = df.attrs["task_seconds"]
        return seconds, busy, df

    # "task s" sums the tasks' own wall seconds: about the 1-worker time when the cores are ours;
    # much more in a 2-worker run means the workers were slowed down (shared cores, load).
    t_cold, busy_cold, cold = run(jobs=2)
    print(f"1. 2 worker processes, cold start: {t_cold:6.2f} s (task s {busy_cold:5.1f})  "
          f"[{load()}]")
    serial_times, parallel_times, frames = [], [], [cold]
    for k in range(args.rounds):
        t1, busy1, serial = run(jobs=1)
        print(f"   round {k + 1}: 1 worker (this process) {t1:6.2f} s (task s {busy1:5.1f})  "
              f"[{load()}]")
        t2, busy2, warm = run(jobs=2)
        print(f"   round {k + 1}: 2 worker processes       {t2:6.2f} s (task s {busy2:5.1f})  "
              f"speed-up {t1 / t2:.2f}x  [{load()}]")
        serial_times.append(t1)
        parallel_times.append(t2)
        frames += [serial, warm]
    best1, best2 = min(serial_times), min(parallel_times)
    print(f"   speed-up, best of {args.rounds}: {best1:.2f} s / {best2:.2f} s = "
          f"{best1 / best2:.2f}x (goal >= 1.7x); with the cold start: {best1 / t_cold:.2f}x")
    reference = frames[1]
    print(f"   numbers equal across runners and rounds: "
          f"{all(same_numbers(reference, f) for f in frames)}")

    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
        address = cluster.scheduler_address
        td_cold, _, dask_cold = run(scheduler=address)
        td, busy_d, dask_warm = run(scheduler=address)
    print(f"2. LocalCluster (2 processes x 1 thread): {td_cold:.2f} s with the workers' imports, "
          f"{td:.2f} s warm (task s {busy_d:.1f}; speed-up over 1 worker {best1 / td:.2f}x)")
    print(f"   results equal to the local ones: "
          f"{same_numbers(reference, dask_cold) and same_numbers(reference, dask_warm)}")
    acc = reference.groupby(["contenders[1].policy.every", "contender"], sort=False)["accuracy"]
    print("   mean accuracy of the periodic contender by `every`: " + ", ".join(
        f"{every}: {value:.4f}" for (every, name), value in acc.mean().items()
        if name == "Periodic retrain"))
    print(f"   {load()}")
    assert set(FIGURES) <= set(reference.columns)


if __name__ == "__main__":
    main()
