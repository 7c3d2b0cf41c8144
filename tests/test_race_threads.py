"""A race runs with one BLAS / OpenMP thread wherever it is called from (``lab.race.engine.
run_race``): its small fits only lose time handing work between threads (the engine's
docstring has the figures), and the app, the CLI and the lessons then race alike."""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

from lab import parse_experiment, run_race

CONFIG = {"seed": 3, "stream": {"source": "sea", "n_samples": 1500},
          "evaluation": {"warmup": 500, "window": 200, "step": 100},
          "contenders": [{"name": "Periodic", "model": "sk.logistic_regression",
                          "policy": {"kind": "periodic", "every": 300, "data": "all"}}]}


def test_the_race_runs_on_one_thread_and_gives_the_limit_back():
    seen = []
    with threadpool_limits(limits=2):  # a process whose libraries use two threads
        before = [pool["num_threads"] for pool in threadpool_info()]
        run_race(parse_experiment(CONFIG), progress=lambda result: seen.append(
            {pool["num_threads"] for pool in threadpool_info()}))
        after = [pool["num_threads"] for pool in threadpool_info()]
    assert seen and all(threads == {1} for threads in seen)
    assert before == after and set(before) == {2}
