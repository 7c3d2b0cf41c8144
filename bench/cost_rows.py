"""Per-sample CPU of an online contender, by model and stream: the ``online`` column of
``lab.sweep.cost.COSTS_US`` (a benchmark, not a test).

For each model, a race of one online contender (warm-up 1,000, one BLAS/OpenMP thread, as the
app runs races) on 3,000 and on 8,000 samples of each stream, process CPU seconds, best of 3,
the streams and sizes interleaved so that load from other processes hits them alike; printed:
the difference over the 5,000 extra samples in µs per sample, with drawing the stream included
(``lab.sweep.cost.STREAM_US`` has drawing apart: subtract it). The streams are the app's default
(2-D blobs as the ``default`` preset draws them, without its drifts) and SEA (variant 0, noise
0.1), on which the first table was measured.

Run: ``python bench/cost_rows.py [model ...]`` (the trees and the forest by default: about three
minutes on a shared 2-core machine, most of it the forest).
"""

from __future__ import annotations

import copy
import sys
import time

from threadpoolctl import threadpool_limits

from lab import parse_experiment, run_race
from lab.presets import PRESETS

STREAMS = {"blobs2d": {**PRESETS["default"].config["stream"], "drifts": []},
           "sea": {"source": "sea", "params": {"variant": 0, "noise": 0.1}}}
SIZES = (3000, 8000)
MODELS = ("river.hoeffding_tree", "river.hoeffding_adaptive_tree",
          "river.adaptive_random_forest")


def experiment(model: str, source: str, n: int):
    return parse_experiment({
        "seed": 42, "stream": {**copy.deepcopy(STREAMS[source]), "n_samples": n},
        "evaluation": {"warmup": 1000, "window": 500, "label_delay": 0, "step": 100},
        "contenders": [{"name": "x", "model": model, "policy": {"kind": "online"}}]})


def cpu_seconds(exp) -> float:
    began = time.process_time()
    with threadpool_limits(1):
        run_race(exp)
    return time.process_time() - began


def main(models=MODELS, repeat: int = 3) -> None:
    for model in models:
        best: dict[tuple[str, int], float] = {}
        for _ in range(repeat):
            for source in STREAMS:
                for n in SIZES:
                    spent = cpu_seconds(experiment(model, source, n))
                    best[source, n] = min(best.get((source, n), float("inf")), spent)
        for source in STREAMS:
            us = (best[source, SIZES[1]] - best[source, SIZES[0]]) / (SIZES[1] - SIZES[0]) * 1e6
            print(f"{model:32s} {source:8s} online {us:8.1f} µs/sample (drawing included)",
                  flush=True)


if __name__ == "__main__":
    main(tuple(sys.argv[1:]) or MODELS)
