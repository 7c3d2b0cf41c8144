"""How long a sweep task (one race) will take: a per-model, per-policy cost model.

:meth:`lab.sweep.plan.SweepPlan.estimate_seconds` uses it for the sweep's guard rails and the
executors to start the longest tasks first; :mod:`lab.budget` uses the same numbers for the
app's interactive run limits. Nothing here times anything: the table was measured once, and
:mod:`lab.sweep.machine_speed` scales it to the machine that runs the estimate.
"""

from __future__ import annotations

import math

from lab.policies.kind import Work
from lab.policies.registry import policy_kind
from lab.spec.experiment import Experiment, PolicySpec
from lab.sweep.machine_speed import speed_factor

# Measured once (bench-style, single thread, threadpool_limits(1)) on the 2-core development
# machine while it was shared (load average about 3), SEA stream, scikit-learn 1.9.1, river
# 0.26.1; microseconds. `fit`: per training sample of a from-scratch fit (5,000 rows; river
# models learn_one row by row). `score`: per scored sample of a batch policy (chunked predict;
# river models predict one by one). `online`: per sample of the online policy (predict_one +
# learn_one). `minibatch`: per sample of a minibatch policy (size 100).
#
#   model                          fit    score   online  minibatch
#   sk.logistic_regression         2.2     0.4       -        -
#   sk.gaussian_nb                 0.8     0.4       -        -
#   sk.decision_tree               5.5     0.6       -        -
#   sk.random_forest             272      29         -        -
#   sk.hist_gradient_boosting     71      36         -        -
#   sk.sgd                        18       0.4    2994       66
#   river.logistic_regression     28      11        49       92
#   river.gaussian_nb              3.2    34        45       75
#   river.hoeffding_tree          22      13        38       40
#   river.hoeffding_adaptive_tree 37      27        91      184
#   river.adaptive_random_forest 1690    428      1864     1688
#   river.knn                    1603    340      1520     1164
#
# river.gaussian_nb and the three trees are the lab's classes with river's arithmetic in fewer
# Python calls (lab.learners.river_naive_bayes, lab.learners.river_trees): their rows are the
# first measurement times the ratio of the lab's class to river's own, measured on 5,000 SEA
# samples per column, best of 3 (fit / score / online: naive Bayes 0.66 / 0.14 / 0.23, tree
# 0.80 / 0.98 / 0.55, adaptive tree 0.58 / 0.76 / 0.55, forest 0.89 / 0.66 / 0.73; minibatch,
# which is learn_one and predict_one per sample for them, by the online ratio).
#
# The trees' and the forest's `online` figures were measured again (session 10,
# ``bench/cost_rows.py``) on the app's
# default stream (blobs2d, angle 0, separation 2.5, std 1, no drift) and on SEA (variant 0,
# noise 0.1), as the lab races them: one online contender, warm-up 1,000, one thread, process
# CPU of a 3,000- and an 8,000-sample race, best of 3 each, interleaved; the difference over
# the 5,000 extra samples, less drawing them, in µs per sample (the machine shared, load ~9):
#
#   model                          blobs2d           SEA             (before)
#   river.hoeffding_tree             27.2, 37.3       30.4, 30.8        51
#   river.hoeffding_adaptive_tree    91.0             68.5             132
#   river.adaptive_random_forest   1713.5, 1863.9   1383.7, 1462.1    2618
#
# (two passes for the tree and the forest: the figures move by up to a third between passes
# on this busy machine.) The streams differ by up to a third too, not in one direction (the
# adaptive tree and the forest are slower on blobs2d, the tree on SEA), so the table keeps one
# figure per model: the highest, rounded up, an estimate that errs slow, as the app's refusals
# need. A six-contender race (the default four, a forest, an adaptive tree and a tree, online,
# 20,000 blobs2d samples) took 31.2 s of CPU (best of 3; 34-38 s of wall time in the app) and
# was estimated 57 s with the old figures, 41 s with these; a forest alone on 20,000 SEA
# samples took 29.7 s (estimated 52 s, now 37 s). The trees' and the forest's other columns
# were not measured again.
#
# Drawing the stream, per sample: sea 3.6, agrawal 88, stagger 4.3, sine 1.4, hyperplane 5.6,
# rbf 156, led 3.8, blobs2d 0.1 (shipped data sets and CSV files: about 1).
COSTS_US: dict[str, tuple[float, float, float, float]] = {
    "sk.logistic_regression": (2.2, 0.4, math.nan, math.nan),
    "sk.gaussian_nb": (0.8, 0.4, math.nan, math.nan),
    "sk.decision_tree": (5.5, 0.6, math.nan, math.nan),
    "sk.random_forest": (272.0, 29.0, math.nan, math.nan),
    "sk.hist_gradient_boosting": (71.0, 36.0, math.nan, math.nan),
    "sk.sgd": (18.0, 0.4, 2994.0, 66.0),
    "river.logistic_regression": (28.0, 11.0, 49.0, 92.0),
    "river.gaussian_nb": (3.2, 34.0, 45.0, 75.0),
    "river.hoeffding_tree": (22.0, 13.0, 38.0, 40.0),
    "river.hoeffding_adaptive_tree": (37.0, 27.0, 91.0, 184.0),
    "river.adaptive_random_forest": (1690.0, 428.0, 1864.0, 1688.0),
    "river.knn": (1603.0, 340.0, 1520.0, 1164.0),
}
STREAM_US = {"sea": 3.6, "agrawal": 88.0, "stagger": 4.3, "sine": 1.4, "hyperplane": 5.6,
             "rbf": 156.0, "led": 3.8, "blobs2d": 0.1}
DEFAULT_COST_US = (100.0, 50.0, 300.0, 300.0)  # a model missing from the table: be pessimistic
DETECTOR_US = 3.0  # a drift detector's update per scored sample
TASK_OVERHEAD_S = 0.05  # validate, summarise, store
WORKER_START_S = 2.5  # a fresh worker process imports numpy, pandas, scikit-learn and river
MIN_PARALLEL_S = 2 * WORKER_START_S  # with jobs=None, less estimated work runs in this process


def estimate_task_seconds(experiment: Experiment, speed: float | None = None) -> float:
    """Rough seconds of one race of ``experiment`` on one core of this machine: the table's
    seconds (:data:`COSTS_US`) times ``speed``, by default this machine's
    (:func:`lab.sweep.machine_speed.speed_factor`; 1 is the table's machine)."""
    n, ev = experiment.stream.n_samples, experiment.evaluation
    source = experiment.stream.source
    micro = STREAM_US.get(source, 1.0) * n
    for c in experiment.contenders:
        fit, score, online, minibatch = COSTS_US.get(c.model.name, DEFAULT_COST_US)
        work = contender_work(c.policy, n, ev.warmup, len(experiment.stream.drifts))
        # a count of 0 adds nothing, also where the table has no figure (NaN: a batch-only
        # model never runs online)
        micro += sum(price * count for price, count in (
            (fit, work.fit_rows), (score, work.scored), (online, work.online),
            (minibatch, work.minibatch), (DETECTOR_US, work.detector)) if count)
    if speed is None:
        speed = speed_factor()
    return (micro / 1e6 + TASK_OVERHEAD_S) * speed


def contender_work(policy: PolicySpec, n: int, warmup: int, n_drifts: int) -> Work:
    """The :class:`~lab.policies.kind.Work` of one contender's race, as its kind counts it."""
    return policy_kind(policy.kind).work(policy.settings, n, warmup, n_drifts)
